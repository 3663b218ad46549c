//! The fuzz target's property, run from a fixed seed in every test run:
//! arbitrary bytes, salted with every rule's keywords so that regexes,
//! checksums and decoy filters all run, never make the engine panic.

use keepopen_content::Content;
use keepopen_secrets::Engine;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn arbitrary_bytes_around_keywords_never_panic() {
    let rules = keepopen_rules::builtin().expect("rules");
    let keywords: Vec<String> = rules.iter().flat_map(|r| r.keywords.clone()).collect();
    let engine = Engine::new(rules).expect("engine");
    let pieces: &[&[u8]] = &[
        b"=", b"\"", b"'", b":", b"\n", b"\r\n", b" ", b"@", b"//", b"-----", b"\\n", b"==",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let mut data = Vec::new();
        for _ in 0..rng.below(24) {
            match rng.below(4) {
                0 => data.extend_from_slice(keywords[rng.below(keywords.len())].as_bytes()),
                1 => data.extend_from_slice(pieces[rng.below(pieces.len())]),
                2 => data.extend((0..rng.below(60)).map(|_| b"ABCxyz0189+/_-.~"[rng.below(16)])),
                _ => data.extend((0..rng.below(16)).map(|_| rng.next() as u8)),
            }
        }
        for m in engine.scan(&Content::new(&data, None)) {
            assert!((m.line >= 1 && m.column >= 1) || m.secret.is_empty());
        }
        let _ = engine.scan(&Content::new(&data, Some("config/.env")));
    }
}
