//! A plain-text rendering of a [`PersonalScore`], for test failures and
//! the command line.

use std::fmt;

use super::eval::{KindRecall, PersonalScore};

/// At most this many missed units and false positives are listed.
const LIST: usize = 40;

fn ratio(k: &KindRecall) -> String {
    format!("{}/{} = {:.3}", k.found, k.planted, k.recall)
}

impl fmt::Display for PersonalScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "in-context NHS recall   {}", ratio(&self.nhs_in_context))?;
        writeln!(f, "required-unit recall    {}", ratio(&self.required))?;
        writeln!(
            f,
            "precision               {:.3} (tp {} fp {})",
            self.precision, self.tp, self.fp
        )?;
        writeln!(
            f,
            "decoy hits              {} {:?}",
            self.decoy_hits_total, self.decoy_hits
        )?;
        let t = self.test_range_as_info();
        writeln!(
            f,
            "test range              {} as nhs-number-test-range, {} findings as nhs-number",
            ratio(&t),
            self.test_range_as_nhs
        )?;
        writeln!(
            f,
            "lone numbers            {} ({} findings, not scored)",
            ratio(&self.lone),
            self.lone_findings
        )?;
        if !self.file_level.is_empty() {
            writeln!(f, "file-level (not scored) {:?}", self.file_level)?;
        }
        writeln!(f, "recall by kind:")?;
        for (kind, k) in &self.per_kind {
            writeln!(f, "  {kind:<28} {}", ratio(k))?;
        }
        if !self.missed.is_empty() {
            writeln!(f, "missed ({}):", self.missed.len())?;
            for m in self.missed.iter().take(LIST) {
                writeln!(
                    f,
                    "  {:<32} {} [{}] e.g. {}",
                    m.id,
                    m.path,
                    m.column.as_deref().unwrap_or("-"),
                    m.example.as_deref().unwrap_or("-")
                )?;
            }
        }
        if !self.false_positives.is_empty() {
            writeln!(f, "false positives ({}):", self.false_positives.len())?;
            for r in self.false_positives.iter().take(LIST) {
                let decoy = self
                    .decoy_findings
                    .iter()
                    .find(|d| d.finding == *r)
                    .map(|d| format!(" (decoy {} {})", d.sort, d.unit))
                    .unwrap_or_default();
                writeln!(
                    f,
                    "  {}:{} {} {:?}{decoy}",
                    r.path,
                    r.line.map_or("-".to_owned(), |l| l.to_string()),
                    r.rule,
                    r.secret.as_deref().unwrap_or("")
                )?;
            }
        }
        Ok(())
    }
}
