//! Values published by vendors as samples or for local emulators: the
//! jwt.io sample token, emulator keys, test keys. Kept as SHA-256 digests so
//! that this file holds no secret-looking literal.

use sha2::{Digest, Sha256};

const KNOWN_PUBLIC: &[&str] = &[
    // the jwt.io sample token
    "7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606",
    // gcloud's public OAuth client secret
    "f0386f9be1fe905fb2f97a8daff11a9baa9988ceca7c2ecae4aec8db182db1b4",
    // Google's reCAPTCHA test secret key
    "f5e95c9954635b65acab57e6d5ea663eb900f06dc8794a90358f5abb1c77d4e0",
    // Google's reCAPTCHA test site key
    "03b970ed8171d73b58bbc9a5c72e3e4eec28503b56b3bb400a0801857dd45614",
    // the Azurite storage emulator's account key
    "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059",
    // the Cosmos DB emulator's key
    "aa6547439583c3a275d4542a0df6c1ad6a863971be9f2a2220f027cc02aef615",
    // the kubeadm documentation's bootstrap token
    "a4b8b245ab28bc4f72dcaa0d9ba9f73d6488fa758a2a5cb55ecb11511f002f80",
    // the MD5, SHA-1, SHA-256 and SHA-512 digests of the empty string: a
    // `password_hash` of nothing guards nothing
    "f215faf9d88b7f0a881632ee22459ee452a296c808d261b6cc993d3a1fd0600e",
    "07e23ede2756aa3f5f7cc9759117c4910875e032c27b8556a1e20626224f10ec",
    "cd372fb85148700fa88095e3492d3f9f5beb43e555e5ff26d95f5a6adc36f8e6",
    "2a5049ed45b470054f963b922905d77ba7cbd0674ebf8a2639c571e7eb1c1974",
];

pub(super) fn is_known_public(secret: &str) -> bool {
    let digest: String = Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    KNOWN_PUBLIC.contains(&digest.as_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn published_samples_are_known_and_others_are_not() {
        let sample = ["d-FL95Q19q7", "MQmFpd7hHD0Ty"].concat();
        assert!(super::is_known_public(&sample));
        assert!(!super::is_known_public("d-FL95Q19q7MQmFpd7hHD0Tz"));
    }
}
