//! Checksums and structure checks that a rule's secret must pass. One file
//! per validator, one registry line each.

mod base62_crc32;
mod jwt;

pub use base62_crc32::base62_crc32_checksum;

/// A named check a rule can ask for with `validator = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validator {
    /// GitHub's and npm's token checksum: the last six characters are the
    /// CRC32 of the random part, in base62.
    Base62Crc32,
    /// A JSON Web Token whose header decodes to JSON naming an algorithm.
    Jwt,
}

impl Validator {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "github-crc32" | "base62-crc32" => Some(Validator::Base62Crc32),
            "jwt" => Some(Validator::Jwt),
            _ => None,
        }
    }

    pub fn names() -> &'static [&'static str] {
        &["github-crc32", "base62-crc32", "jwt"]
    }

    pub fn check(self, secret: &[u8]) -> bool {
        match self {
            Validator::Base62Crc32 => base62_crc32::valid(secret),
            Validator::Jwt => jwt::valid(secret),
        }
    }
}
