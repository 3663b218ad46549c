//! Staff directories and password hashes through the real CLI: a
//! mysqldump of a `user` table whose inserts name no columns (the
//! openeyes seed dump's shape), a config line holding a hash, a fixture
//! copy that the path context lowers, and a placeholder that is no hash.
//! Every hash is built here, so none sits in the repository.

use crate::support::*;
use serde_json::Value;

const CRYPT: &[u8] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

fn bcrypt(seed: u64) -> String {
    format!(
        "{}{}",
        concat!("$2y", "$10$"),
        random_chars(seed, 53, CRYPT)
    )
}

fn dump(hashes: &[String]) -> String {
    let people = [("Ada", "Lovelace"), ("Grace", "Hopper"), ("Alan", "Turing")];
    let rows: Vec<String> = people
        .iter()
        .zip(hashes)
        .enumerate()
        .map(|(i, ((first, last), hash))| {
            format!(
                "({i},'{}','{first}','{last}','{}@leedsth.nhs.uk','Dr','MBChB FRCOphth','Consultant','{hash}','{}')",
                first.to_lowercase(),
                first.to_lowercase(),
                random_chars(i as u64 + 7, 10, CRYPT)
            )
        })
        .collect();
    format!(
        "-- MySQL dump\n\
         DROP TABLE IF EXISTS `user`;\n\
         CREATE TABLE `user` (\n  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n  `username` varchar(40) NOT NULL,\n  \
         `first_name` varchar(40) NOT NULL,\n  `last_name` varchar(40) NOT NULL,\n  `email` varchar(80) NOT NULL,\n  \
         `title` varchar(40) NOT NULL,\n  `qualifications` varchar(255) NOT NULL,\n  `role` varchar(255) NOT NULL,\n  \
         `password` varchar(60) DEFAULT NULL,\n  `salt` varchar(10) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n\
         LOCK TABLES `user` WRITE;\n\
         INSERT INTO `user` VALUES {};\n\
         UNLOCK TABLES;\n",
        rows.join(",")
    )
}

fn at<'a>(fs: &'a [Value], rule: &str, path: &str) -> Vec<&'a Value> {
    fs.iter()
        .filter(|f| f["rule"] == rule && f["path"] == path)
        .collect()
}

#[test]
fn a_user_table_dump_is_staff_data_with_its_password_hashes_as_credentials() {
    let hashes: Vec<String> = (1..=3).map(bcrypt).collect();
    let digest = random_chars(99, 64, HEX);
    let placeholder = format!("{}{}", concat!("$2y", "$10$"), "x".repeat(53));
    let mut r = Repo::new();
    r.write("db/staff_export.sql", dump(&hashes));
    r.write(
        "config/app.yml",
        format!("admin:\n  username: admin\n  password_hash: \"{digest}\"\n"),
    );
    r.write(
        "docs/setup.md",
        format!("Set `password: {placeholder}` to your own hash.\n"),
    );
    r.write(
        "tests/fixtures/users.csv",
        format!(
            "username,first_name,last_name,job_title,password_hash\nada,Ada,Lovelace,Porter,{}\ngrace,Grace,Hopper,Porter,{}\n",
            hashes[0], hashes[1]
        ),
    );
    r.commit("seed users");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    let fs = findings(&v);

    let staff = at(&fs, "staff-personal-data", "db/staff_export.sql");
    assert_eq!(staff.len(), 1, "{v:#}");
    assert_eq!(staff[0]["category"], "personal-data");
    assert_eq!(
        staff[0]["severity"], "high",
        "password material beside the names"
    );
    let detail = staff[0]["detail"].as_str().unwrap_or_default();
    for want in [
        "qualifications (\"qualifications\")",
        "NHS work e-mail addresses",
        "password hashes in \"password\" with salts in \"salt\"",
    ] {
        assert!(detail.contains(want), "{want}: {detail}");
    }
    for not in [
        "patient-level-data",
        "people-contact-list",
        "synthetic-patient-data",
    ] {
        assert!(by(&fs, not).is_empty(), "{not}: {v:#}");
    }

    // One finding for the column, with its count, not one per row.
    let table = at(&fs, "password-hash", "db/staff_export.sql");
    assert_eq!(table.len(), 1, "{v:#}");
    assert_eq!(table[0]["category"], "secret");
    assert_eq!(table[0]["severity"], "high");
    let detail = table[0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("3 password hashes (bcrypt) in table user, column 9 \"password\" of 3 rows; salts beside them in column \"salt\""),
        "{detail}"
    );

    // A configuration line: found by the rule file, not as a password.
    let line = at(&fs, "password-hash", "config/app.yml");
    assert_eq!(line.len(), 1, "{v:#}");
    assert_eq!(line[0]["line"], 3);
    assert!(
        !fs.iter()
            .any(|f| f["path"] == "config/app.yml" && f["rule"] != "password-hash"),
        "{v:#}"
    );

    // A placeholder is no hash; a fixture's hashes are found, lowered.
    assert!(fs.iter().all(|f| f["path"] != "docs/setup.md"), "{v:#}");
    let fixture = at(&fs, "password-hash", "tests/fixtures/users.csv");
    assert_eq!(fixture.len(), 1, "{v:#}");
    assert_eq!(fixture[0]["severity"], "low", "{:#}", fixture[0]);
    assert_eq!(fixture[0]["blocking"], false);

    // Without --show-secrets, no hash reaches the report.
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(
        &[
            "scan",
            &p,
            "--format",
            "json",
            "--no-progress",
            "--detectors",
            "secrets,personal",
        ],
        r.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for h in hashes.iter().chain([&digest]) {
        assert!(!text.contains(&h[7..]), "a hash in the report: {text}");
    }
}

fn by<'a>(fs: &'a [Value], rule: &str) -> Vec<&'a Value> {
    fs.iter().filter(|f| f["rule"] == rule).collect()
}

/// A hash that a database migration sets is a default account's, the same
/// in every installation: listed, low, not blocking, and saying why.
#[test]
fn a_hash_set_by_a_migration_is_a_default_account_not_a_leak() {
    let mut r = Repo::new();
    r.write(
        "protected/migrations/m110906_add_user.php",
        format!("<?php\n$this->insert('user', array(\n    'username' => 'user',\n    'password' => '{}',\n));\n", bcrypt(3)),
    );
    r.commit("default user");
    let (_, v) = scan_json(r.path(), &[]);
    let fs = findings(&v);
    let hash: Vec<&Value> = fs.iter().filter(|f| f["rule"] == "password-hash").collect();
    assert_eq!(hash.len(), 1, "{v:#}");
    assert_eq!(hash[0]["severity"], "low", "{:#}", hash[0]);
    assert_eq!(hash[0]["blocking"], false);
    assert!(
        hash[0]["context_note"]
            .as_str()
            .unwrap_or("")
            .contains("database migration"),
        "{:#}",
        hash[0]
    );
}

/// The hash of a well-known default password ("changeme") publishes
/// nothing that was not public: listed, low, not blocking, saying why. A
/// hash of anything else on the same key stays high and blocks.
#[test]
fn the_hash_of_a_default_password_is_low_and_other_hashes_are_not() {
    use sha2::{Digest, Sha256};
    let hex = |s: &str| -> String {
        Sha256::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let mut r = Repo::new();
    r.write(
        "config/admin.yml",
        format!("admin_password_hash: \"{}\"\n", hex("changeme")),
    );
    r.write(
        "config/ops.yml",
        format!(
            "ops_password_hash: \"{}\"\n",
            hex("a phrase no list holds 7Tq")
        ),
    );
    r.commit("hashes");
    let (_, v) = scan_json(r.path(), &[]);
    let fs = findings(&v);
    let at = |path: &str| {
        fs.iter()
            .find(|f| f["rule"] == "password-hash" && f["path"] == path)
            .cloned()
            .unwrap_or_else(|| panic!("{path}: {v:#}"))
    };
    let default = at("config/admin.yml");
    assert_eq!(default["severity"], "low", "{default:#}");
    assert_eq!(default["blocking"], false);
    assert!(
        default["context_note"]
            .as_str()
            .unwrap_or("")
            .contains("default password"),
        "{default:#}"
    );
    let other = at("config/ops.yml");
    assert_eq!(other["severity"], "high", "{other:#}");
    assert_eq!(other["blocking"], true);
}
