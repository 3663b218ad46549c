//! What goes into one corpus: how many of each file and unit. Each
//! section draws from its own fork of the seed, so changing one section
//! leaves the others as they were.

use super::Builder;
use super::aggregate;
use super::filler::{Filler, LANGS, Lang};
use super::notebook::{self, Printed};
use super::source::{self, SOURCE_DECOYS};
use super::tables::{self, Format, Id};
use crate::rng::Rng;

const DELIMITED: &[Format] = &[Format::Csv, Format::Csv, Format::Tsv, Format::Pipe];
const ANY: &[Format] = &[
    Format::Csv,
    Format::Tsv,
    Format::Pipe,
    Format::Json,
    Format::Jsonl,
    Format::Sql,
];

fn rows(rng: &mut Rng) -> usize {
    rng.range(5, 40)
}

fn positive_tables(b: &mut Builder, rng: &mut Rng) {
    let schedule: &[(Id, usize)] = &[
        (Id::Nhs, 16),
        (Id::Chi, 3),
        (Id::Hc, 2),
        (Id::Ni, 1),
        (Id::TestRange, 2),
    ];
    let mut i = 0;
    for &(id, n) in schedule {
        for _ in 0..n {
            let r = rows(rng);
            let t = tables::patient_table(rng, id, r);
            tables::write(
                b,
                rng,
                "data/extracts",
                &t,
                DELIMITED[i % DELIMITED.len()],
                "patients",
            );
            i += 1;
        }
    }
    let structured: &[(Id, Format)] = &[
        (Id::Nhs, Format::Json),
        (Id::Nhs, Format::Json),
        (Id::Nhs, Format::Json),
        (Id::TestRange, Format::Json),
        (Id::Nhs, Format::Jsonl),
        (Id::Nhs, Format::Jsonl),
        (Id::Nhs, Format::Jsonl),
        (Id::Chi, Format::Jsonl),
        (Id::Nhs, Format::Sql),
        (Id::Nhs, Format::Sql),
        (Id::Nhs, Format::Sql),
        (Id::Nhs, Format::Sql),
        (Id::Hc, Format::Sql),
    ];
    for &(id, f) in structured {
        let r = rows(rng);
        let t = tables::patient_table(rng, id, r);
        let dir = if f == Format::Sql {
            "db/seeds"
        } else {
            "data/api"
        };
        tables::write(b, rng, dir, &t, f, "patients");
    }
}

fn negative_tables(b: &mut Builder, rng: &mut Rng) {
    let invalid = [
        "invalid-checksum",
        "invalid-checksum",
        "invalid-checksum",
        "invalid-checksum",
        "invalid-checksum",
        "invalid-checksum",
        "check-digit-10",
        "check-digit-10",
        "check-digit-10",
        "repeated-digits",
        "repeated-digits",
        "repeated-digits",
    ];
    for (i, sort) in invalid.iter().enumerate() {
        let r = rows(rng);
        let t = tables::invalid_nhs_table(rng, sort, r);
        tables::write(b, rng, "data/extracts", &t, ANY[i % ANY.len()], "patients");
    }
    let business = [
        "outside-ranges",
        "invalid-checksum",
        "unix-timestamp",
        "ms-timestamp",
        "card-like",
    ];
    for round in 0..2 {
        for (i, sort) in business.iter().enumerate() {
            let r = rows(rng);
            let t = tables::business_table(rng, sort, r);
            let f = [Format::Csv, Format::Jsonl, Format::Sql][(i + round) % 3];
            tables::write(b, rng, "data/finance", &t, f, "orders");
        }
    }
}

fn notebooks(b: &mut Builder, rng: &mut Rng) {
    let positive: &[(Id, Id)] = &[
        (Id::Nhs, Id::Nhs),
        (Id::Nhs, Id::Nhs),
        (Id::Nhs, Id::Nhs),
        (Id::Nhs, Id::TestRange),
        (Id::Nhs, Id::Nhs),
        (Id::Chi, Id::Nhs),
        (Id::TestRange, Id::TestRange),
        (Id::Hc, Id::Nhs),
    ];
    for &(table, printed) in positive {
        let r = rng.range(5, 15);
        let t = tables::patient_table(rng, table, r);
        notebook::write(b, rng, &t, Printed::Valid(printed));
    }
    for sort in ["invalid-checksum", "check-digit-10", "invalid-checksum"] {
        let r = rng.range(5, 15);
        let t = tables::invalid_nhs_table(rng, sort, r);
        notebook::write(b, rng, &t, Printed::Decoy(sort));
    }
}

fn source_files(b: &mut Builder, rng: &mut Rng, filler: &mut Filler) {
    let extra = [Id::TestRange, Id::Chi, Id::Hc, Id::Ni];
    for i in 0..20 {
        let lang = LANGS[i % LANGS.len()];
        let mut ids = vec![Id::Nhs; rng.range(1, 2)];
        if i % 3 == 0 {
            ids.push(extra[(i / 3) % extra.len()]);
        }
        source::positive(b, rng, filler, lang, &ids);
    }
    for i in 0..16 {
        let lang = LANGS[(i + 2) % LANGS.len()];
        let mut sorts = vec![SOURCE_DECOYS[i % SOURCE_DECOYS.len()]];
        if rng.chance(50) {
            sorts.push(SOURCE_DECOYS[rng.below(3)]);
        }
        source::decoys(b, rng, filler, lang, &sorts);
    }
    for i in 0..5 {
        source::lone(b, rng, filler, LANGS[i % LANGS.len()]);
    }
    for i in 0..10 {
        let lang = if i < 6 {
            Lang::Python
        } else {
            LANGS[i % LANGS.len()]
        };
        source::plain(b, rng, filler, lang);
    }
}

fn aggregates(b: &mut Builder, rng: &mut Rng) {
    for i in 0..10 {
        aggregate::write_csv(b, rng, i % 2 == 1);
    }
    aggregate::write_notebook(b, rng, false);
    aggregate::write_notebook(b, rng, true);
}

pub fn plan(b: &mut Builder, root: &Rng) {
    positive_tables(b, &mut root.fork("positive-tables"));
    negative_tables(b, &mut root.fork("negative-tables"));
    notebooks(b, &mut root.fork("notebooks"));
    let mut filler = Filler::new(&mut root.fork("filler"), 24);
    source_files(b, &mut root.fork("source"), &mut filler);
    aggregates(b, &mut root.fork("aggregates"));
}
