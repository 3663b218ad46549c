//! The config fuzz target's property, from a fixed seed: mangled configs
//! give errors, never panics.

use std::path::Path;

#[test]
fn mangled_configs_never_panic() {
    let good = "fail_on = \"high\"\nexclude = [\"a/\", \"*.js\"]\n[rules]\ndisable = []\n[allow]\nsecrets = ['^x']\n[[rule]]\nid = \"a-b\"\nname = \"n\"\ndescription = \"d\"\nseverity = \"high\"\nconfidence = \"low\"\nkeywords = [\"abc\"]\npattern = 'abc(\\d+)'\nexamples = [\"abc«»1\"]\n";
    let bytes = good.as_bytes();
    let mut x: u64 = 0xDEAD_BEEF_CAFE_F00D;
    for _ in 0..5000 {
        let mut v = bytes.to_vec();
        for _ in 0..(x % 6) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let i = (x as usize) % v.len();
            match x % 3 {
                0 => v[i] = (x >> 8) as u8,
                1 => {
                    v.remove(i);
                }
                _ => v.insert(i, b"[]\"'=\n{}(\\"[(x >> 16) as usize % 11]),
            }
        }
        if let Ok(text) = std::str::from_utf8(&v) {
            let _ = keepopen_config::Config::parse(Path::new(".keepopen.toml"), text);
        }
    }
}
