//! Published aggregate tables (counts by region, month and age band), with
//! small numbers either left in (a disclosure-control failure) or
//! suppressed and rounded as the statistical-disclosure rules ask.

use super::Builder;
use super::people::{self, REGIONS};
use super::table::{Column, Delimited, Table};
use crate::rng::Rng;

const AGE_BANDS: &[&str] = &["0-17", "18-39", "40-64", "65-79", "80+"];
const COUNT_NAMES: &[&str] = &["count", "n", "patients", "admissions"];
/// Counts below this are small (1 to 7 are disclosive).
const THRESHOLD: usize = 8;

pub struct Aggregate {
    pub table: Table,
    /// Unsuppressed small counts as written, first first (empty when
    /// suppressed).
    pub offending: Vec<String>,
    /// The suppression marker, when suppressed.
    pub marker: Option<&'static str>,
}

fn pick_some<'a>(rng: &mut Rng, xs: &'a [&'a str], n: usize) -> Vec<&'a str> {
    let mut v = xs.to_vec();
    rng.shuffle(&mut v);
    v.truncate(n);
    v
}

pub fn aggregate(rng: &mut Rng, suppressed: bool) -> Aggregate {
    let n = rng.range(2, 4);
    let regions = pick_some(rng, REGIONS, n);
    let year = rng.range(2021, 2025);
    let months: Vec<String> = (1..=rng.range(2, 3))
        .map(|m| format!("{year}-{m:02}"))
        .collect();
    let bands = pick_some(rng, AGE_BANDS, 3);
    let mut rows: Vec<[String; 3]> = Vec::new();
    for r in &regions {
        for m in &months {
            for a in &bands {
                rows.push([(*r).to_owned(), m.clone(), (*a).to_owned()]);
            }
        }
    }
    let mut counts: Vec<usize> = rows
        .iter()
        .map(|_| {
            if rng.chance(20) {
                rng.range(1, THRESHOLD - 1)
            } else {
                rng.range(THRESHOLD, 400)
            }
        })
        .collect();
    if !counts.iter().any(|&c| c < THRESHOLD) {
        let i = rng.below(counts.len());
        counts[i] = rng.range(1, THRESHOLD - 1);
    }
    let marker = suppressed.then(|| *rng.pick(&["*", "c", "<8"]));
    let written: Vec<String> = counts
        .iter()
        .map(|&c| match marker {
            Some(m) if c < THRESHOLD => m.to_owned(),
            Some(_) => (((c + 2) / 5) * 5).to_string(),
            None => c.to_string(),
        })
        .collect();
    let mut offending: Vec<String> = Vec::new();
    if marker.is_none() {
        for (w, &c) in written.iter().zip(&counts) {
            if c < THRESHOLD && !offending.contains(w) {
                offending.push(w.clone());
            }
        }
    }
    let col = |i: usize| rows.iter().map(|r| r[i].clone()).collect::<Vec<_>>();
    let mut count = Column::plain(rng.pick::<&str>(COUNT_NAMES), written);
    count.numeric = true;
    let table = Table {
        columns: vec![
            Column::plain("region", col(0)),
            Column::plain("month", col(1)),
            Column::plain("age_band", col(2)),
            count,
        ],
    };
    Aggregate {
        table,
        offending,
        marker,
    }
}

fn label(b: &mut Builder, path: &str, context: &str, a: &Aggregate) {
    match a.marker {
        None => {
            b.unit(
                "small-number-unsuppressed",
                path,
                context,
                a.offending.clone(),
            );
        }
        Some(m) => {
            b.unit("decoy-aggregate", path, context, vec![m.to_owned()]);
        }
    }
}

/// A CSV publication table.
pub fn write_csv(b: &mut Builder, rng: &mut Rng, suppressed: bool) {
    let a = aggregate(rng, suppressed);
    let stem = format!(
        "{}_{}",
        *rng.pick(&["monthly", "quarterly", "annual"]),
        *rng.pick(&[
            "admissions_by_region",
            "referrals_by_age",
            "attendances_summary"
        ])
    );
    let path = b.path(
        "publications",
        &format!("{stem}_{}", people::word(rng)),
        "csv",
    );
    let text = a.table.delimited(Delimited {
        sep: ',',
        bom: rng.chance(20),
        crlf: rng.chance(30),
        quote_all: false,
    });
    label(b, &path, "aggregate", &a);
    b.file(&path, text);
}

/// A notebook showing a publication table as its output.
pub fn write_notebook(b: &mut Builder, rng: &mut Rng, suppressed: bool) {
    let a = aggregate(rng, suppressed);
    let path = super::notebook::write_aggregate(b, rng, &a.table);
    label(b, &path, "notebook-aggregate", &a);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_tables_show_no_small_count() {
        let mut rng = Rng::new(9);
        for _ in 0..50 {
            let a = aggregate(&mut rng, true);
            let c = &a.table.columns[3].values;
            assert!(c.iter().any(|v| Some(v.as_str()) == a.marker));
            for v in c.iter().filter_map(|v| v.parse::<usize>().ok()) {
                assert!(v >= 10 && v % 5 == 0, "{v}");
            }
            let a = aggregate(&mut rng, false);
            assert!(!a.offending.is_empty());
            let first_small = a.table.columns[3]
                .values
                .iter()
                .find(|v| v.parse::<usize>().is_ok_and(|n| n < THRESHOLD));
            assert_eq!(first_small, a.offending.first());
        }
    }
}
