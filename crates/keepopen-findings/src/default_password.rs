//! Hashes of well-known default passwords. A SHA-512 crypt hash of
//! "vagrant" for a Vagrant box's user, or a bare SHA-256 of "changeme", is
//! the publication of a default, not a leak: the password was public
//! before the hash was. The few defaults below are tried against SHA-crypt
//! (`$5$`, `$6$`, Drepper's specification) and unsalted SHA-256/SHA-512
//! hex digests; other schemes (bcrypt, MD5) are not tried.
//!
//! SHA-crypt is written here over `sha2`, which this crate already uses,
//! rather than adding a crate for one check; it is tested against the
//! specification's vectors and glibc's `crypt(3)`.

use sha2::{Digest, Sha256, Sha512};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// Passwords that installers, boxes and tutorials ship with.
const DEFAULTS: &[&str] = &[
    "vagrant",
    "password",
    "Password",
    "password1",
    "Password1",
    "passw0rd",
    "Passw0rd",
    "P@ssw0rd",
    "admin",
    "admin123",
    "administrator",
    "changeme",
    "changeit",
    "secret",
    "root",
    "toor",
    "123456",
    "12345678",
    "qwerty",
    "letmein",
    "test",
    "test123",
    "demo",
    "guest",
    "user",
    "welcome",
    "default",
    "pass",
    "postgres",
    "mysql",
    "oracle",
    "ubuntu",
    "raspberry",
];

/// SHA-crypt with more rounds than this is tried against the first four
/// defaults only (the scheme's default is 5000; passlib uses 656,000).
const FULL_ROUNDS: u32 = 10_000;

/// SHA-crypt with more rounds than this is not tried.
const MAX_ROUNDS: u32 = 1_000_000;

/// SHA-crypt rounds one process may spend, over all hashes: about two
/// seconds of a release build. A hostile repository could hold millions of
/// costly hashes; past the budget they are left as they are.
const ROUND_BUDGET: u64 = 12_000_000;

static ROUNDS_SPENT: AtomicU64 = AtomicU64::new(0);

/// Reserves `cost` rounds of the budget, if there are that many left.
fn spend(cost: u64) -> bool {
    ROUNDS_SPENT
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |spent| {
            (spent + cost <= ROUND_BUDGET).then_some(spent + cost)
        })
        .is_ok()
}

/// The rounds a SHA-crypt spec asks for, if it is one to try.
fn rounds_of(spec: &str) -> Option<u32> {
    match spec.strip_prefix("rounds=") {
        Some(r) => r
            .split_once('$')?
            .0
            .parse::<u32>()
            .ok()
            .map(|n| n.clamp(1000, 999_999_999)),
        None => Some(5000),
    }
}

/// The defaults to try against a hash of `rounds`, within the budget.
fn candidates(rounds: u32) -> &'static [&'static str] {
    let list: &'static [&'static str] = if rounds <= FULL_ROUNDS {
        DEFAULTS
    } else {
        &DEFAULTS[..4]
    };
    if rounds > MAX_ROUNDS || !spend(u64::from(rounds) * list.len() as u64) {
        return &[];
    }
    list
}

/// What a finding on such a hash says.
pub const REASON: &str = "the hash of a well-known default password (tried: vagrant, password, admin, changeme and the like): the password was public before the hash was; make sure no system still uses it";

/// Answers kept per process: one hash is met again at every commit and
/// path that holds it, and trying it costs up to 165,000 SHA-512 rounds.
/// Past this many distinct hashes, new ones are tried each time.
const MAX_REMEMBERED: usize = 4096;

type Answers = Mutex<HashMap<String, Option<&'static str>>>;

static ANSWERS: OnceLock<Answers> = OnceLock::new();

/// The default password whose hash `value` is, if any. The same value
/// gets the same answer however often it is asked about, and spends the
/// round budget once.
pub fn cracked(value: &str) -> Option<&'static str> {
    let v = value.trim();
    let answers = ANSWERS.get_or_init(Default::default);
    let lock = || answers.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = lock().get(v) {
        return *known;
    }
    let answer = try_defaults(v);
    let mut kept = lock();
    if kept.len() < MAX_REMEMBERED {
        kept.insert(v.to_string(), answer);
    }
    answer
}

fn try_defaults(v: &str) -> Option<&'static str> {
    if let Some(rest) = v.strip_prefix("$6$") {
        let list = candidates(rounds_of(rest)?);
        return list
            .iter()
            .copied()
            .find(|p| sha_crypt::<Sha512>(p, rest, 64).as_deref() == Some(v));
    }
    if let Some(rest) = v.strip_prefix("$5$") {
        let list = candidates(rounds_of(rest)?);
        return list
            .iter()
            .copied()
            .find(|p| sha_crypt::<Sha256>(p, rest, 32).as_deref() == Some(v));
    }
    if v.bytes().all(|b| b.is_ascii_hexdigit()) {
        let lower = v.to_ascii_lowercase();
        return match v.len() {
            64 => DEFAULTS
                .iter()
                .copied()
                .find(|p| hex(&Sha256::digest(p.as_bytes())) == lower),
            128 => DEFAULTS
                .iter()
                .copied()
                .find(|p| hex(&Sha512::digest(p.as_bytes())) == lower),
            _ => None,
        };
    }
    None
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-crypt string of `password` for `spec` (what follows `$5$` or
/// `$6$`: `[rounds=N$]salt[$hash]`), or `None` when the spec is not one.
fn sha_crypt<D: Digest + Clone>(password: &str, spec: &str, n: usize) -> Option<String> {
    let (rounds, custom, rest) = match spec.strip_prefix("rounds=") {
        Some(r) => {
            let (num, rest) = r.split_once('$')?;
            (
                num.parse::<u32>().ok()?.clamp(1000, 999_999_999),
                true,
                rest,
            )
        }
        None => (5000, false, spec),
    };
    if rounds > MAX_ROUNDS {
        return None;
    }
    let salt = rest.split('$').next()?;
    let salt = &salt.as_bytes()[..salt.len().min(16)];
    let p = password.as_bytes();
    let digest = |parts: &[&[u8]]| {
        let mut d = D::new();
        for part in parts {
            d.update(part);
        }
        d.finalize().to_vec()
    };
    let b = digest(&[p, salt, p]);
    let mut a = D::new();
    a.update(p);
    a.update(salt);
    let mut left = p.len();
    while left > n {
        a.update(&b);
        left -= n;
    }
    a.update(&b[..left]);
    let mut len = p.len();
    while len > 0 {
        if len & 1 == 1 {
            a.update(&b);
        } else {
            a.update(p);
        }
        len >>= 1;
    }
    let a = a.finalize().to_vec();
    let repeat = |seed: &[u8], times: usize, out_len: usize| {
        let mut d = D::new();
        for _ in 0..times {
            d.update(seed);
        }
        let block = d.finalize().to_vec();
        block
            .iter()
            .cycle()
            .take(out_len)
            .copied()
            .collect::<Vec<u8>>()
    };
    let pp = repeat(p, p.len(), p.len());
    let ss = repeat(salt, 16 + usize::from(a[0]), salt.len());
    let mut c = a;
    for i in 0..rounds {
        let mut d = D::new();
        if i % 2 == 1 {
            d.update(&pp);
        } else {
            d.update(&c);
        }
        if i % 3 != 0 {
            d.update(&ss);
        }
        if i % 7 != 0 {
            d.update(&pp);
        }
        if i % 2 == 1 {
            d.update(&c);
        } else {
            d.update(&pp);
        }
        c = d.finalize().to_vec();
    }
    let encoded = if n == 64 {
        encode512(&c)
    } else {
        encode256(&c)
    };
    let salt = String::from_utf8_lossy(salt);
    let prefix = if n == 64 { "$6$" } else { "$5$" };
    Some(if custom {
        format!("{prefix}rounds={rounds}${salt}${encoded}")
    } else {
        format!("{prefix}{salt}${encoded}")
    })
}

const B64: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn b64(out: &mut String, b2: u8, b1: u8, b0: u8, chars: usize) {
    let mut w = (u32::from(b2) << 16) | (u32::from(b1) << 8) | u32::from(b0);
    for _ in 0..chars {
        out.push(char::from(B64[(w & 0x3f) as usize]));
        w >>= 6;
    }
}

fn encode512(f: &[u8]) -> String {
    let mut out = String::new();
    for i in 0..21 {
        let (a, b, c) = match i % 3 {
            0 => (i, i + 21, i + 42),
            1 => (i + 21, i + 42, i),
            _ => (i + 42, i, i + 21),
        };
        b64(&mut out, f[a], f[b], f[c], 4);
    }
    b64(&mut out, 0, 0, f[63], 2);
    out
}

fn encode256(f: &[u8]) -> String {
    let mut out = String::new();
    for i in 0..10 {
        let (a, b, c) = match i % 3 {
            0 => (i, i + 10, i + 20),
            1 => (i + 20, i, i + 10),
            _ => (i + 10, i + 20, i),
        };
        b64(&mut out, f[a], f[b], f[c], 4);
    }
    b64(&mut out, 0, f[31], f[30], 3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha_crypt_matches_the_specifications_vectors() {
        assert_eq!(
            sha_crypt::<Sha512>("Hello world!", "saltstring", 64).as_deref(),
            Some(
                "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
            )
        );
        assert_eq!(
            sha_crypt::<Sha256>("Hello world!", "saltstring", 32).as_deref(),
            Some("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5")
        );
        // glibc's crypt(3) on ("vagrant", "$6$rounds=10000$abc").
        assert_eq!(
            sha_crypt::<Sha512>("vagrant", "rounds=10000$abc", 64).as_deref(),
            Some(
                "$6$rounds=10000$abc$fPChR/vku8f4c1zX9RcV1OcmV/ip6X4nq4dzklarhhODdl4VZXDrjAcnqhEn5xSSAtqKa3iThTnn0ltw/yGaE0"
            )
        );
    }

    #[test]
    fn defaults_are_cracked_and_other_hashes_are_not() {
        let vagrant = sha_crypt::<Sha512>("vagrant", "Xy7", 64).unwrap_or_default();
        assert_eq!(cracked(&vagrant), Some("vagrant"));
        let other = sha_crypt::<Sha512>("a long unguessable phrase", "Xy7", 64).unwrap_or_default();
        assert_eq!(cracked(&other), None);
        assert_eq!(
            cracked(&hex(&Sha256::digest(b"changeme"))),
            Some("changeme")
        );
        assert_eq!(
            cracked(&hex(&Sha512::digest(b"admin")).to_uppercase()),
            Some("admin")
        );
        assert_eq!(cracked(&hex(&Sha256::digest(b"not a default"))), None);
        assert_eq!(
            cracked("$6$rounds=900000$abc$x"),
            None,
            "too many rounds to try"
        );
        assert_eq!(cracked("$6$"), None);
    }

    #[test]
    fn a_hash_asked_about_again_is_answered_from_memory() {
        let other =
            sha_crypt::<Sha512>("another unguessable phrase", "Zq9", 64).unwrap_or_default();
        assert_eq!(cracked(&other), None);
        // Answered from what was kept, not tried again: a planted answer
        // shows it (trimmed like the question).
        let Some(kept) = ANSWERS.get() else {
            panic!("nothing kept");
        };
        kept.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(other.clone(), Some("planted"));
        assert_eq!(cracked(&format!(" {other}\n")), Some("planted"));
    }
}
