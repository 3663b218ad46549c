//! Valid numbers nobody planted: real code copied from the machine can
//! hold a ten-digit constant that happens to pass the check and lie in an
//! issued range. Such numbers have no context, so they are labelled as
//! lone units rather than left to count as false positives.

use super::Builder;
use super::ids::{self, HC_RANGE, NHS_RANGES, TEST_RANGE};

fn in_some_range(ten: &str) -> bool {
    let Ok(stem) = ten[..9].parse::<u32>() else {
        return false;
    };
    NHS_RANGES
        .iter()
        .chain([&HC_RANGE, &TEST_RANGE])
        .any(|&(lo, hi)| (lo..=hi).contains(&stem))
}

/// Runs of exactly ten digits in `text`.
fn ten_digit_runs(text: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i].is_ascii_digit() {
            let start = i;
            while i < text.len() && text[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 10 {
                out.push(String::from_utf8_lossy(&text[start..i]).into_owned());
            }
        } else {
            i += 1;
        }
    }
    out
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

pub fn label_stray_numbers(b: &mut Builder) {
    let mut found: Vec<(String, String)> = Vec::new();
    for (path, bytes) in &b.files {
        let known: Vec<String> = b
            .units
            .iter()
            .filter(|u| &u.path == path)
            .flat_map(|u| u.values.iter().map(|v| digits(v)))
            .collect();
        for run in ten_digit_runs(bytes) {
            let new = !known.contains(&run) && !found.contains(&(path.clone(), run.clone()));
            if new && ids::is_valid(&run) && in_some_range(&run) {
                found.push((path.clone(), run));
            }
        }
    }
    for (path, run) in found {
        b.unit("nhs-number-lone", &path, "filler", vec![run]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_runs_of_exactly_ten_digits() {
        let runs = ten_digit_runs(b"a 1234567890 b 12345678901 c 123456789 9999999999");
        assert_eq!(runs, vec!["1234567890".to_owned(), "9999999999".to_owned()]);
    }
}
