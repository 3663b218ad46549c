//! The checksum in GitHub's (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and
//! npm's (`npm_`) tokens: `prefix_` + 30 random base62 characters + the
//! CRC32 of those 30 characters as 6 base62 digits (0-9, A-Z, a-z).
//! See <https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/>.

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The six checksum characters for a token's random part.
pub fn base62_crc32_checksum(random: &[u8]) -> String {
    let mut n = crc32fast::hash(random) as u64;
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % 62) as usize];
        n /= 62;
    }
    out.iter().map(|&b| b as char).collect()
}

pub(super) fn valid(token: &[u8]) -> bool {
    let Some(us) = token.iter().position(|&b| b == b'_') else {
        return false;
    };
    let body = &token[us + 1..];
    if body.len() < 7 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (random, sum) = body.split_at(body.len() - 6);
    base62_crc32_checksum(random).as_bytes() == sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_with_its_checksum_passes_and_a_changed_one_fails() {
        let random = "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0";
        let token = format!("ghp_{random}{}", base62_crc32_checksum(random.as_bytes()));
        assert_eq!(token.len(), 40);
        assert!(valid(token.as_bytes()));
        let tampered = token.replacen("aB3", "aB4", 1);
        assert!(!valid(tampered.as_bytes()));
        assert!(!valid(b"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(!valid(b"no-underscore"));
    }

    #[test]
    fn checksum_digits_follow_the_documented_alphabet() {
        // CRC32("") is 0, which is six zeros.
        assert_eq!(base62_crc32_checksum(b""), "000000");
        // CRC32("a") = 0xE8B7BE43 = 3904355907 = base62 "4FJ9Ye"... computed below.
        let mut n: u64 = 0xE8B7_BE43;
        let mut digits = Vec::new();
        while n > 0 {
            digits.push(ALPHABET[(n % 62) as usize]);
            n /= 62;
        }
        digits.reverse();
        let expect: String = digits.iter().map(|&b| b as char).collect();
        assert_eq!(base62_crc32_checksum(b"a"), format!("{expect:0>6}"));
    }
}
