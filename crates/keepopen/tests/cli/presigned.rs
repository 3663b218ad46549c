//! A secret inside an AWS presigned URL signed years ago: the URL and its
//! temporary credential have expired, so the finding is low, says why and
//! does not block; a URL signed today is still a finding as before.

use crate::support::*;

fn presigned(date: &str) -> String {
    // Built at test time: no live-looking key in the source.
    let key = ["AS", "IA", "QWERTYUIOPASDFGH"].concat();
    let token = [
        "IQoJb3JpZ2luX2Vj",
        "EH0aCXVzLWVhc3QtMSJHMEUCIQ",
        "Dk8vR0wU3nQ2bYc5hXz",
    ]
    .concat();
    format!(
        "Download: https://bucket.s3.amazonaws.com/paper.pdf?X-Amz-Security-Token={token}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={date}T195927Z&X-Amz-SignedHeaders=host&X-Amz-Expires=300&X-Amz-Credential={key}%2F{date}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc\n"
    )
}

#[test]
fn a_secret_in_a_presigned_url_signed_years_ago_is_low_and_does_not_block() {
    let mut r = Repo::new();
    r.write("notes.txt", presigned("20211107"));
    r.commit("notes");
    let (code, v) = scan_json(r.path(), &["--no-history"]);
    let fs = findings(&v);
    let secrets: Vec<_> = fs.iter().filter(|f| f["category"] == "secret").collect();
    assert!(!secrets.is_empty(), "the key is still listed: {v:#}");
    for f in &secrets {
        assert_eq!(f["severity"], "low", "{f:#}");
        assert_eq!(f["blocking"], false, "{f:#}");
        assert!(
            f["context_note"]
                .as_str()
                .unwrap_or("")
                .contains("presigned URL"),
            "{f:#}"
        );
    }
    assert!(!secrets.is_empty() && code != 2, "{v:#}");
}

#[test]
fn a_fresh_presigned_url_is_still_a_finding() {
    let today = std::process::Command::new("date")
        .arg("-u")
        .arg("+%Y%m%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    assert_eq!(today.len(), 8);
    let mut r = Repo::new();
    r.write("notes.txt", presigned(&today));
    r.commit("notes");
    let (_, v) = scan_json(r.path(), &["--no-history"]);
    let fs = findings(&v);
    assert!(
        fs.iter()
            .any(|f| f["category"] == "secret" && f["severity"] != "low" && f["blocking"] == true),
        "{v:#}"
    );
}
