//! Regression (issue 11, F6): text from the scanned repository reached the
//! terminal raw. An ESC in file content or a file name, or a BEL in a commit
//! author's name, could retitle (`ESC ] 0 ;`) or clear (`ESC [ 2 J`) the
//! reader's terminal, even with `--color never`.

use crate::support::{Repo, github_token, keepopen};

fn hostile_repo() -> Repo {
    let mut r = Repo::new();
    // Committed by an author whose name carries BEL and a title sequence,
    // then removed: a history finding names that author.
    r.write("old.py", format!("TOKEN = \"{}\"\n", github_token(61)));
    r.git(&["add", "-A"]);
    r.git(&[
        "-c",
        "user.name=Eve\x1b]0;pwned\x07 Author",
        "commit",
        "-q",
        "-m",
        "add",
    ]);
    std::fs::remove_file(r.path().join("old.py")).expect("rm");
    r.commit("remove");
    r.write(
        "app.py",
        format!(
            "TOKEN = \"{}\"  # \x1b[2J\x1b]0;retitled\x07\u{202e}\n",
            github_token(62)
        ),
    );
    r.write(
        "evil\x1b[2Jname.py",
        format!("T = \"{}\"\n", github_token(63)),
    );
    r.commit("hostile");
    r
}

#[test]
fn human_and_markdown_reports_escape_control_and_bidi_characters() {
    let r = hostile_repo();
    for format in ["human", "markdown"] {
        let out = keepopen(
            &[
                "scan",
                ".",
                "--detectors",
                "secrets",
                "--color",
                "never",
                "--format",
                format,
            ],
            r.path(),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("app.py"), "{format}: {text}");
        for bad in ['\x1b', '\x07', '\u{202e}'] {
            assert!(!text.contains(bad), "{format}: raw {bad:?} in {text}");
        }
        assert!(text.contains("x1b[2Jname.py"), "{format}: {text}");
        if format == "human" {
            assert!(text.contains("evil\\x1b[2Jname.py"), "{text}");
            assert!(text.contains("\\x1b[2J"), "{text}");
            assert!(text.contains("Eve\\x1b]0;pwned\\x07 Author"), "{text}");
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err}");
    }
}
