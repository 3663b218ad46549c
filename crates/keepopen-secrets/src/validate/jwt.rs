//! JSON Web Tokens: three base64url parts whose first decodes to a JSON
//! header with an `alg`. Anything else that merely starts with `eyJ` is not
//! a token.

pub(super) fn valid(token: &[u8]) -> bool {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
        return false;
    };
    let Some(h) = decode_b64url(header) else {
        return false;
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&h) else {
        return false;
    };
    json.get("alg").is_some_and(|a| a.is_string()) && decode_b64url(payload).is_some()
}

/// Base64url without padding (RFC 7515), tolerant of standard alphabet and padding.
fn decode_b64url(s: &[u8]) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | v as u32;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let b = s.as_bytes();
        let mut out = String::new();
        for chunk in b.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |acc, &x| (acc << 8) | x as u32) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    #[test]
    fn a_real_shaped_jwt_passes_and_lookalikes_fail() {
        let t = format!(
            "{}.{}.sig",
            enc(r#"{"alg":"HS256","typ":"JWT"}"#),
            enc(r#"{"sub":"1"}"#)
        );
        assert!(valid(t.as_bytes()));
        let no_alg = format!("{}.{}.sig", enc(r#"{"typ":"JWT"}"#), enc("{}"));
        assert!(!valid(no_alg.as_bytes()));
        assert!(!valid(b"eyJhbGciOi.not*base64.x"));
        assert!(!valid(b"onlyonepart"));
    }
}
