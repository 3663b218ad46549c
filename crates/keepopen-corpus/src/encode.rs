//! Encodings the generated tokens need: base64 (standard and URL-safe),
//! hex, percent-encoding, UUIDs and the base62 CRC32 checksum of GitHub and
//! npm tokens.

use crate::rng::{self, Rng};

fn b64_alphabet(url: bool) -> Vec<u8> {
    let mut v = rng::class(rng::UPPER | rng::LOWER);
    // Standard order is A-Z a-z 0-9 then the two extras.
    v.extend(b'0'..=b'9');
    if url {
        v.extend([b'-', b'_']);
    } else {
        v.extend([b'+', b'/']);
    }
    v
}

fn b64(data: &[u8], url: bool, pad: bool) -> String {
    let a = b64_alphabet(url);
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= n {
                out.push(char::from(a[((v >> (18 - 6 * i)) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 with `=` padding.
pub fn base64(data: &[u8]) -> String {
    b64(data, false, true)
}

/// URL-safe base64 without padding (JWTs, many API tokens).
pub fn base64url(data: &[u8]) -> String {
    b64(data, true, false)
}

pub fn hex(data: &[u8]) -> String {
    let digits = rng::hex_digits();
    let mut s = String::with_capacity(data.len() * 2);
    for b in data {
        s.push(char::from(digits[usize::from(b >> 4)]));
        s.push(char::from(digits[usize::from(b & 15)]));
    }
    s
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A random version-4 UUID in lower case.
pub fn uuid(rng: &mut Rng) -> String {
    let mut b = rng.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The six base62 checksum digits (0-9, A-Z, a-z, zero-padded) of the
/// CRC32 of a token's random part.
pub fn base62_crc32(random: &str) -> String {
    let alphabet = rng::class(rng::ALNUM);
    let mut n = u64::from(crc32fast::hash(random.as_bytes()));
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = alphabet[(n % 62) as usize];
        n /= 62;
    }
    out.iter().map(|&b| char::from(b)).collect()
}

/// Splits `s` into lines of at most `width` characters.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    s.as_bytes()
        .chunks(width)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn checksum_of_empty_is_zeros_and_uuid_is_v4() {
        assert_eq!(base62_crc32(""), "000000");
        let u = uuid(&mut Rng::new(3));
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(url_encode("a+b/c="), "a%2Bb%2Fc%3D");
        assert_eq!(hex(&[0, 255]), "00ff");
    }
}
