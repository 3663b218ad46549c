//! Key stores known by their bytes rather than their names: a keystore
//! renamed to `backup.bin` is still a keystore. Binary content is otherwise
//! skipped, so this is the one look a binary blob gets.

/// The rule id of the key-store format `data` starts with, if any.
pub(crate) fn key_store_rule(data: &[u8]) -> Option<&'static str> {
    const JKS: &[u8] = &[0xFE, 0xED, 0xFE, 0xED];
    const JCEKS: &[u8] = &[0xCE, 0xCE, 0xCE, 0xCE];
    // PKCS#7 `data` content type, 1.2.840.113549.1.7.1, as DER.
    const PKCS7_DATA: &[u8] = &[
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
    ];
    if data.starts_with(JKS) || data.starts_with(JCEKS) {
        return Some("file-java-keystore");
    }
    // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data), ... }
    let head = &data[..data.len().min(40)];
    let version_at = match head {
        [0x30, 0x82, _, _, ..] => 4,
        [0x30, 0x81, _, ..] => 3,
        [0x30, 0x80, ..] => 2,
        [0x30, len, ..] if *len < 0x80 => 2,
        _ => return None,
    };
    let v3 = head.get(version_at..version_at + 3) == Some(&[0x02, 0x01, 0x03][..]);
    let data_oid = head.windows(PKCS7_DATA.len()).any(|w| w == PKCS7_DATA);
    (v3 && data_oid).then_some("file-pkcs12")
}

#[cfg(test)]
mod tests {
    use super::key_store_rule;

    #[test]
    fn keystores_are_known_by_their_first_bytes() {
        assert_eq!(
            key_store_rule(&[0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2]),
            Some("file-java-keystore")
        );
        let mut pfx = vec![
            0x30, 0x82, 0x09, 0xC1, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0x87,
        ];
        pfx.extend([
            0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0,
        ]);
        assert_eq!(key_store_rule(&pfx), Some("file-pkcs12"));
        assert_eq!(key_store_rule(b"PK\x03\x04 a zip"), None);
        assert_eq!(
            key_store_rule(&[0x30, 0x82, 0x01, 0x0A, 0x02, 0x82]),
            None,
            "a DER certificate is not a PFX"
        );
    }
}
