//! A small deterministic PRNG (xoshiro256**, seeded through splitmix64) and
//! character classes. Every alphabet is built from byte ranges at run time,
//! so this file holds no long high-entropy string literal.

/// xoshiro256** — fast, good enough statistically, and identical on every
/// platform for a given seed.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        let s = [
            splitmix64(&mut x),
            splitmix64(&mut x),
            splitmix64(&mut x),
            splitmix64(&mut x),
        ];
        Rng { s }
    }

    /// An independent stream for one concern (so adding a draw in one module
    /// does not change what another module generates).
    pub fn fork(&self, label: &str) -> Rng {
        let mut h = self.s[0] ^ self.s[2].rotate_left(17);
        for b in label.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        Rng::new(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "below(0)");
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    pub fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| char::from(alphabet[self.below(alphabet.len())]))
            .collect()
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next_u64() >> 56) as u8).collect()
    }

    pub fn digits(&mut self, n: usize) -> String {
        let mut s = self.string(&class(DIGIT), n);
        // No leading zero: these are often account or workspace numbers.
        if s.starts_with('0') {
            s.replace_range(0..1, "7");
        }
        s
    }

    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

/// Character-class flags for [`class`].
pub const DIGIT: u8 = 1;
pub const UPPER: u8 = 2;
pub const LOWER: u8 = 4;
/// `-` and `_` (base64url's extra characters).
pub const DASH_UNDERSCORE: u8 = 8;
/// `+` and `/` (standard base64's extra characters).
pub const PLUS_SLASH: u8 = 16;

pub const ALNUM: u8 = DIGIT | UPPER | LOWER;

/// The characters of the given classes, in base62 order (0-9, A-Z, a-z)
/// followed by the extras.
pub fn class(flags: u8) -> Vec<u8> {
    let mut v = Vec::new();
    if flags & DIGIT != 0 {
        v.extend(b'0'..=b'9');
    }
    if flags & UPPER != 0 {
        v.extend(b'A'..=b'Z');
    }
    if flags & LOWER != 0 {
        v.extend(b'a'..=b'z');
    }
    if flags & DASH_UNDERSCORE != 0 {
        v.extend([b'-', b'_']);
    }
    if flags & PLUS_SLASH != 0 {
        v.extend([b'+', b'/']);
    }
    v
}

/// Lower-case hexadecimal digits.
pub fn hex_digits() -> Vec<u8> {
    let mut v: Vec<u8> = (b'0'..=b'9').collect();
    v.extend(b'a'..=b'f');
    v
}

/// RFC 4648 base32 in lower case (a-z, 2-7), the alphabet of legacy Azure
/// DevOps tokens.
pub fn base32_lower() -> Vec<u8> {
    let mut v: Vec<u8> = (b'a'..=b'z').collect();
    v.extend(b'2'..=b'7');
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_forks_differ() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut f = Rng::new(42).fork("one");
        let mut g = Rng::new(42).fork("two");
        assert_ne!(f.next_u64(), g.next_u64());
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(1);
        for n in 1..50 {
            for _ in 0..20 {
                assert!(r.below(n) < n);
            }
        }
        assert_eq!(class(ALNUM).len(), 62);
        assert_eq!(hex_digits().len(), 16);
        assert_eq!(base32_lower().len(), 32);
    }
}
