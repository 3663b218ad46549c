//! Shannon entropy, to tell random keys from words.

/// Bits of entropy per byte of `s`.
pub fn shannon(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::shannon;

    #[test]
    fn uniform_text_has_none_and_random_text_has_much() {
        assert_eq!(shannon(b"aaaaaaaa"), 0.0);
        assert!((shannon(b"abcd") - 2.0).abs() < 1e-9);
        assert!(shannon(b"q8ZrT2mXv9LkP3sWn7YbC4") > 4.0);
    }
}
