//! Key material: private keys (PEM, OpenSSH, PuTTY), public keys and
//! certificates, and PKCS#12 bytes. Each has a realistic DER or wire-format
//! header followed by random bytes. Armour labels are assembled at run time
//! so this source never holds a key header.

use crate::encode::{base64, hex, wrap};
use crate::rng::Rng;

/// A key as text lines; `body_head` is the first 40 characters of the
/// secret body (the label of private keys).
pub struct KeyText {
    pub lines: Vec<String>,
    pub body_head: String,
}

fn private_label(kind: &str) -> String {
    let pk = ["PRIVATE", "KEY"].join(" ");
    if kind.is_empty() {
        pk
    } else {
        format!("{kind} {pk}")
    }
}

fn armor(label: &str, body: &str, width: usize) -> KeyText {
    let dashes = "-".repeat(5);
    let mut lines = vec![format!("{dashes}BEGIN {label}{dashes}")];
    lines.extend(wrap(body, width));
    lines.push(format!("{dashes}END {label}{dashes}"));
    KeyText {
        lines,
        body_head: body.chars().take(40).collect(),
    }
}

fn random_int(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut v = rng.bytes(n);
    v[0] |= 0x80;
    v
}

/// A DER sequence header for `len` bytes of content (long form, 2 bytes).
fn seq(len: usize) -> Vec<u8> {
    vec![0x30, 0x82, (len >> 8) as u8, (len & 0xff) as u8]
}

/// PKCS#1 RSA private key DER of `total` bytes.
fn pkcs1(rng: &mut Rng, total: usize) -> Vec<u8> {
    let mut v = seq(total - 4);
    v.extend([0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00]);
    v.extend(random_int(rng, 256));
    v.extend([0x02, 0x03, 0x01, 0x00, 0x01, 0x02, 0x82, 0x01, 0x00]);
    let rest = total - v.len();
    v.extend(random_int(rng, rest));
    v
}

const RSA_OID: [u8; 15] = [
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

/// `RSA PRIVATE KEY` (PKCS#1) PEM block.
pub fn rsa_pem(rng: &mut Rng) -> KeyText {
    armor(&private_label("RSA"), &base64(&pkcs1(rng, 1192)), 64)
}

/// An unencrypted PKCS#8 `PRIVATE KEY` block, as in a GCP service-account
/// file.
pub fn pkcs8_pem(rng: &mut Rng) -> KeyText {
    let inner = pkcs1(rng, 1190);
    let mut v = seq(3 + RSA_OID.len() + 4 + inner.len());
    v.extend([0x02, 0x01, 0x00]);
    v.extend(RSA_OID);
    v.extend([
        0x04,
        0x82,
        (inner.len() >> 8) as u8,
        (inner.len() & 0xff) as u8,
    ]);
    v.extend(inner);
    armor(&private_label(""), &base64(&v), 64)
}

fn ssh_string(out: &mut Vec<u8>, data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    out.extend(data);
}

/// An unencrypted OpenSSH ed25519 private key in the `openssh-key-v1`
/// format.
pub fn openssh_ed25519(rng: &mut Rng, comment: &str) -> KeyText {
    let kt = "ssh-ed25519".as_bytes();
    let pk = rng.bytes(32);
    let mut pub_blob = Vec::new();
    ssh_string(&mut pub_blob, kt);
    ssh_string(&mut pub_blob, &pk);
    let check = rng.bytes(4);
    let mut private = Vec::new();
    private.extend(&check);
    private.extend(&check);
    ssh_string(&mut private, kt);
    ssh_string(&mut private, &pk);
    let mut sk = rng.bytes(32);
    sk.extend(&pk);
    ssh_string(&mut private, &sk);
    ssh_string(&mut private, comment.as_bytes());
    let mut pad = 1u8;
    while private.len() % 8 != 0 {
        private.push(pad);
        pad += 1;
    }
    let mut v = "openssh-key-v1\0".as_bytes().to_vec();
    ssh_string(&mut v, b"none");
    ssh_string(&mut v, b"none");
    ssh_string(&mut v, b"");
    v.extend(1u32.to_be_bytes());
    ssh_string(&mut v, &pub_blob);
    ssh_string(&mut v, &private);
    armor(&private_label("OPENSSH"), &base64(&v), 70)
}

fn mpint(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut v = vec![0];
    v.extend(random_int(rng, n));
    v
}

fn rsa_public_blob(rng: &mut Rng) -> Vec<u8> {
    let mut b = Vec::new();
    ssh_string(&mut b, "ssh-rsa".as_bytes());
    ssh_string(&mut b, &[0x01, 0x00, 0x01]);
    ssh_string(&mut b, &mpint(rng, 256));
    b
}

/// A PuTTY `.ppk` (version 2, RSA, unencrypted). `body_head` is taken from
/// the private lines.
pub fn putty_ppk(rng: &mut Rng, comment: &str) -> KeyText {
    let public = base64(&rsa_public_blob(rng));
    let mut p = Vec::new();
    for n in [256, 128, 128, 128] {
        ssh_string(&mut p, &mpint(rng, n));
    }
    let private = base64(&p);
    let pub_lines = wrap(&public, 64);
    let priv_lines = wrap(&private, 64);
    let mut lines = vec![
        format!("{}-User-Key-File-2: ssh-rsa", "PuTTY"),
        "Encryption: none".to_owned(),
        format!("Comment: {comment}"),
        format!("Public-Lines: {}", pub_lines.len()),
    ];
    lines.extend(pub_lines);
    lines.push(format!("Private-Lines: {}", priv_lines.len()));
    lines.extend(priv_lines);
    lines.push(format!("Private-MAC: {}", hex(&rng.bytes(20))));
    KeyText {
        lines,
        body_head: private.chars().take(40).collect(),
    }
}

/// `PUBLIC KEY` block (SubjectPublicKeyInfo, RSA 2048).
pub fn public_key_pem(rng: &mut Rng) -> KeyText {
    let mut v = seq(0x122);
    v.extend(RSA_OID);
    v.extend([0x03, 0x82, 0x01, 0x0f, 0x00]);
    v.extend(seq(0x10a));
    v.extend([0x02, 0x82, 0x01, 0x01, 0x00]);
    v.extend(random_int(rng, 256));
    v.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
    armor("PUBLIC KEY", &base64(&v), 64)
}

/// A `CERTIFICATE` block: an X.509 header then random bytes.
pub fn certificate_pem(rng: &mut Rng) -> KeyText {
    let total = 900;
    let mut v = seq(total - 4);
    v.extend(seq(total - 4 - 4 - 15 - 261));
    v.extend([0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x14]);
    v.extend(rng.bytes(20));
    let rest = total - v.len();
    v.extend(rng.bytes(rest));
    armor("CERTIFICATE", &base64(&v), 64)
}

/// One `authorized_keys` line: `ssh-rsa AAAA... comment`. Returns the line
/// and the base64 blob.
pub fn ssh_rsa_public_line(rng: &mut Rng, comment: &str) -> (String, String) {
    let blob = base64(&rsa_public_blob(rng));
    (format!("ssh-rsa {blob} {comment}"), blob)
}

/// Bytes shaped like a PKCS#12 file: a DER header (version 3) then random
/// bytes.
pub fn pkcs12_bytes(rng: &mut Rng) -> Vec<u8> {
    let total = 2400 + rng.below(800);
    let mut v = seq(total - 4);
    v.extend([0x02, 0x01, 0x03]);
    v.extend(seq(total - 4 - 3 - 4 - 60));
    v.extend([
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
    ]);
    let rest = total - v.len();
    v.extend(rng.bytes(rest));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_armoured_and_heads_taken_from_the_body() {
        let mut r = Rng::new(11);
        let k = rsa_pem(&mut r);
        assert!(k.lines[0].starts_with("-----BEGIN RSA "));
        assert!(
            k.lines
                .last()
                .is_some_and(|l| l.starts_with("-----END RSA "))
        );
        assert_eq!(k.body_head, k.lines[1][..40]);
        let o = openssh_ed25519(&mut r, "deploy@ci");
        assert!(o.lines[1].starts_with(&base64(b"openssh-key-v1\0")[..18]));
        let p = putty_ppk(&mut r, "rsa-key-20230412");
        assert_eq!(p.lines[3], "Public-Lines: 6");
        assert!(p.lines.iter().any(|l| l.starts_with("Private-Lines: ")));
        let pk8 = pkcs8_pem(&mut r);
        assert!(pk8.lines[1].starts_with(&base64(&seq(0x4bc))[..4]));
        assert!(pkcs12_bytes(&mut r).len() >= 2400);
    }
}
