//! The one size limit, `--max-blob-size`: a working-tree file and a history
//! blob are held to the same number, and one left out says so in the same
//! words, naming its size, the limit and the flag that raises it.

/// The limit when neither flag nor config sets one.
pub const DEFAULT_MAX_BLOB_SIZE: u64 = 256 * 1024 * 1024;

/// Why a file or object of `size` bytes was left out under `limit`.
pub fn over_limit(size: u64, limit: u64) -> String {
    format!(
        "{} ({size} bytes) is over the {} limit; raise it with --max-blob-size",
        size_text(size),
        size_text(limit)
    )
}

/// `256 MiB`, `300.0 MiB`, `900 bytes`: whole units when exact, else one
/// decimal.
pub fn size_text(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut unit = 0;
    while unit + 1 < UNITS.len() && n >= 1u64 << (10 * (unit + 1)) {
        unit += 1;
    }
    let base = 1u64 << (10 * unit);
    if n.is_multiple_of(base) {
        format!("{} {}", n / base, UNITS[unit])
    } else {
        format!("{:.1} {}", n as f64 / base as f64, UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(size_text(900), "900 bytes");
        assert_eq!(size_text(DEFAULT_MAX_BLOB_SIZE), "256 MiB");
        assert_eq!(size_text(300 << 20), "300 MiB");
        assert_eq!(size_text((300 << 20) + (1 << 19)), "300.5 MiB");
        assert_eq!(size_text(3 << 30), "3 GiB");
        assert_eq!(
            over_limit(2 << 20, 1 << 20),
            "2 MiB (2097152 bytes) is over the 1 MiB limit; raise it with --max-blob-size"
        );
    }
}
