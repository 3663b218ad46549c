//! `--format json`: the versioned report.

use crate::output::JsonReport;
use crate::{Format, Report};
use std::io::{self, Write};

pub(crate) struct Json;

impl Format for Json {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &JsonReport::build(report))?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture;

    #[test]
    fn json_report_snapshot() {
        let json = fixture::render(crate::FormatKind::Json, false);
        insta::assert_snapshot!(json);
    }

    #[test]
    fn json_output_follows_the_published_schema() {
        let json: serde_json::Value =
            serde_json::from_str(&fixture::render(crate::FormatKind::Json, true)).expect("json");
        let schema: serde_json::Value =
            serde_json::from_str(crate::SCHEMA).expect("schema is json");
        let errors = fixture::check_schema(&schema, &json, "$", &schema);
        assert!(errors.is_empty(), "{errors:#?}");
        let posture = fixture::posture();
        let with: serde_json::Value = serde_json::from_str(&fixture::render_with(
            crate::FormatKind::Json,
            false,
            Some(&posture),
        ))
        .expect("json");
        assert_eq!(with["posture"]["checks"][1]["status"], "fail");
        let errors = fixture::check_schema(&schema, &with, "$", &schema);
        assert!(errors.is_empty(), "{errors:#?}");
        // The checker is not blind: a wrong status is caught.
        let mut bad = with.clone();
        bad["posture"]["checks"][0]["status"] = "maybe".into();
        assert!(!fixture::check_schema(&schema, &bad, "$", &schema).is_empty());
    }

    #[test]
    fn secrets_appear_only_when_asked_for() {
        let hidden = fixture::render(crate::FormatKind::Json, false);
        assert!(!hidden.contains(fixture::SECRET));
        let shown = fixture::render(crate::FormatKind::Json, true);
        assert!(shown.contains(fixture::SECRET));
    }
}
