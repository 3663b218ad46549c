use crate::address::{Host, classify, internal_hosts};
use crate::connection::connections;
use crate::{Exposure, check_examples, dockerfile, inventory, state};
use keepopen_content::{Content, Detector};
use keepopen_findings::Severity;

fn detector() -> Exposure {
    Exposure::new(&Default::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn found(path: &str, text: &str) -> Vec<(String, Severity, u32, String)> {
    detector()
        .look_at(&Content::new(text.as_bytes(), Some(path)))
        .matches
        .into_iter()
        .map(|m| (m.rule, m.severity, m.line, m.secret))
        .collect()
}

#[test]
fn every_example_holds() {
    assert_eq!(check_examples(&detector()), Vec::<String>::new());
}

#[test]
fn a_broken_example_is_reported() {
    let rules = crate::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert!(rules.iter().all(|r| !r.examples.bad.is_empty()));
    // Swap a good example into the bad list: the check must say so.
    let mut broken = rules.clone();
    let good = broken[0].examples.good[0].clone();
    broken[0].examples.bad.push(good);
    let d = Exposure::with_rules(broken);
    let failures = check_examples(&d);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].starts_with("exposure-internal-host: missed"));
}

#[test]
fn hosts_are_classified() {
    for (host, kind) in [
        ("10.0.3.4", Host::Private),
        ("172.20.1.9", Host::Private),
        ("192.168.10.2", Host::Private),
        ("172.32.1.9", Host::Other),
        ("8.8.8.8", Host::Other),
        ("127.0.0.1", Host::Other),
        ("169.254.169.254", Host::Other),
        ("192.0.2.10", Host::Other),
        ("10.0.0.0", Host::Other),
        ("172.17.0.1", Host::Other),
        ("pas01.trust.corp", Host::Internal),
        ("ip-10-0-1-5.eu-west-2.compute.internal", Host::Internal),
        ("printer.local", Host::Internal),
        ("router.home.arpa", Host::Internal),
        ("nww.eprescribing.sometrust.nhs.uk", Host::Internal),
        ("www.nhs.uk", Host::Other),
        ("gw.xnhs.net", Host::Internal),
        ("sql1.privatelink.database.windows.net", Host::Internal),
        ("sql1.database.windows.net", Host::CloudDatabase),
        ("api.default.svc.cluster.local", Host::Other),
        ("host.docker.internal", Host::Other),
        ("metadata.google.internal", Host::Other),
        ("config.local", Host::Other),
        ("Foo.Local", Host::Other),
        ("example.com", Host::Other),
        ("localhost", Host::Other),
    ] {
        assert_eq!(classify(host), kind, "{host}");
    }
}

#[test]
fn ranges_versions_and_file_names_are_not_hosts() {
    let hosts = |l: &str| -> Vec<String> {
        internal_hosts(l)
            .into_iter()
            .map(|s| s.host.to_string())
            .collect()
    };
    assert_eq!(
        hosts("cidr: 10.20.0.0/16, host 10.20.1.7/32"),
        ["10.20.1.7"]
    );
    assert!(hosts("version: 10.1.2.3").is_empty());
    assert!(hosts("oid 1.2.840.10045.4.3.2 and 10.1.2.3.4").is_empty());
    assert!(hosts("env_file: .env.local").is_empty());
    assert!(hosts("DB_HOST_10.1.2.3").is_empty());
    assert_eq!(hosts("url: http://db01.corp:5432/x."), ["db01.corp"]);
    assert!(hosts(r#"  "vcs.ignore.local": true,"#).is_empty());
    assert!(hosts("feature.internal=on").is_empty());
    assert!(hosts("- host: chart-example.local").is_empty());
    assert_eq!(hosts("a == pas01.corp"), ["pas01.corp"]);
}

#[test]
fn connection_strings_name_internal_servers_only() {
    let hosts =
        |l: &str| -> Vec<String> { connections(l).into_iter().map(|c| c.identity()).collect() };
    assert_eq!(
        hosts("url=jdbc:postgresql://10.1.8.22:5432/app"),
        ["postgresql://10.1.8.22"]
    );
    assert_eq!(
        hosts("mongodb://u:p@mongo1.trust.internal:27017,mongo2.trust.internal/x"),
        ["mongodb://mongo1.trust.internal"]
    );
    assert_eq!(
        hosts("jdbc:oracle:thin:@//ora01.trust.corp:1521/PAS"),
        ["oracle://ora01.trust.corp"]
    );
    assert_eq!(
        hosts("Data Source=tcp:PASSQL01,1433;Initial Catalog=Pas;User Id=app"),
        ["sqlserver://PASSQL01"]
    );
    assert_eq!(
        hosts("Server=reports\\LIVE;Database=R"),
        ["sqlserver://reports"]
    );
    for quiet in [
        "postgres://app@db:5432/app",
        "postgres://app@db.example.com/app",
        "redis://localhost:6379",
        "postgresql://${DB_HOST}:5432/app",
        "Server=db;Database=App",
        "Server=(localdb)\\MSSQLLocalDB;Database=App",
        "Server=10.1.1.1", // no database or user: any setting
    ] {
        assert!(hosts(quiet).is_empty(), "{quiet}");
    }
}

#[test]
fn dockerfile_final_stage_decides() {
    let root = "FROM node:20\nARG NPM_TOKEN\nENV API_KEY=x \\\n    PORT=80\nCMD node .\n";
    let f = found("services/api/Dockerfile", root);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, "exposure-root-container-credentials");
    assert_eq!(f[0].1, Severity::Medium);
    assert_eq!(f[0].3, "NPM_TOKEN API_KEY");
    let user = format!("{root}USER node\n");
    assert_eq!(found("Dockerfile", &user)[0].1, Severity::Low);
    let user_root = format!("{root}USER node\nUSER root\n");
    assert_eq!(found("Dockerfile", &user_root)[0].1, Severity::Medium);
    let built_only = "FROM node:20 AS b\nARG NPM_TOKEN\nFROM nginx\nCOPY --from=b /x /y\n";
    assert!(found("Dockerfile", built_only).is_empty());
    assert!(dockerfile::is_secret_name("DB_PASSWORD"));
    assert!(!dockerfile::is_secret_name("DB_PASSWORD_FILE"));
    assert!(!dockerfile::is_secret_name("GPG_KEY"));
    assert!(!dockerfile::is_secret_name("KEYCLOAK_URL"));
    assert!(!dockerfile::is_secret_name("MONKEY"));
    assert!(!dockerfile::is_secret_name("AUTH_MODE"));
    // A key's fingerprint is not a credential; a sandbox's stand-in is one
    // band lower.
    assert!(
        found(
            "Dockerfile",
            "FROM x\nENV REPO_KEY=B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8\n"
        )
        .is_empty()
    );
    let sandbox = found("Dockerfile", "FROM x\nENV SHARED_KEY=TestKey\n");
    assert_eq!(sandbox[0].1, Severity::Low);
    let passed = found(
        "Dockerfile",
        "FROM x\nENV SHARED_KEY=TestKey\nARG NPM_TOKEN\n",
    );
    assert_eq!(passed[0].1, Severity::Medium);
}

#[test]
fn whole_file_evidence_comes_first() {
    let yaml_inv = "all:\n  children:\n    db:\n      hosts:\n        pas01.trust.corp:\n";
    assert_eq!(
        found("inventories/prod/hosts.yml", yaml_inv)[0].0,
        "exposure-host-inventory"
    );
    let inv = "[db]\npas01.trust.corp ansible_host=10.1.0.4\n[web]\nweb01.trust.corp\n";
    let f = found("deploy/inventory/prod", inv);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "exposure-host-inventory");
    assert!(inventory::named_as_inventory("ansible/hosts.ini"));
    assert!(inventory::named_as_inventory(
        "inventories/prod/group_vars/all.yml"
    ));
    assert!(!inventory::named_as_inventory("src/hosts.py"));
    // The same lines anywhere else are hosts, one finding each.
    assert_eq!(found("deploy/vars.yml", inv).len(), 3);

    let kube = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.0.0.5:6443\nusers:\n- name: a\n  user:\n    token: ${TOKEN}\n";
    let f = found("ops/kubeconfig", kube);
    assert_eq!(f[0].0, "exposure-kubeconfig");
    assert_eq!(f[0].1, Severity::Medium, "a variable is not a credential");
    assert_eq!(f[0].2, 5);
    assert!(state::kubeconfig("kind: ConfigMap\nclusters:\n server: x\n").is_none());

    let tf = "{\n \"version\": 4,\n \"terraform_version\": \"1.5.0\",\n \"lineage\": \"abc\",\n \"resources\": []\n}\n";
    let f = found("infra/state.json", tf);
    assert_eq!(f[0].0, "exposure-terraform-state");
    assert_eq!(f[0].1, Severity::Low, "an empty state");
    assert_eq!(f[0].3, "terraform state abc");
}

#[test]
fn many_hosts_are_capped_and_counted() {
    let text: String = (1..=30).map(|i| format!("h{i}: 10.9.0.{i}\n")).collect();
    let d = detector();
    let out = d.look_at(&Content::new(text.as_bytes(), Some("hosts.yml")));
    // hosts.yml is an inventory name: one finding for the file.
    assert_eq!(out.matches.len(), 1);
    let out = d.look_at(&Content::new(text.as_bytes(), Some("config/net.yml")));
    assert_eq!(out.matches.len(), 20);
    assert!(
        out.matches[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("one of 30"))
    );
}

#[test]
fn what_is_not_configuration_is_not_read() {
    for path in [
        "src/app.py",
        "package-lock.json",
        "vendor/x/config.yml",
        "README.md",
    ] {
        assert!(!crate::is_config_file(path), "{path}");
    }
    for path in [
        ".env.production",
        "Dockerfile.api",
        "infra/prod.tfvars",
        "web.config",
        "k/.kube/config",
    ] {
        assert!(crate::is_config_file(path), "{path}");
    }
    let out = detector().look_at(&Content::new(b"host: \xff10.1.2.3", Some("a.yml")));
    assert_eq!(out.troubles.len(), 1);
}

#[test]
fn disabled_rules_are_not_emitted() {
    let d = Exposure::new(&["exposure-internal-host".to_string()].into_iter().collect())
        .unwrap_or_else(|e| panic!("{e}"));
    let out = d.look_at(&Content::new(b"host: 10.1.2.3\n", Some("a.yml")));
    assert!(out.matches.is_empty());
}

/// Mangled configuration never panics, whatever the bytes (the fuzz
/// target `exposure` runs the same without a seed).
#[test]
fn mangled_configuration_never_panics() {
    let rules = crate::builtin().unwrap_or_else(|e| panic!("{e}"));
    let seeds: Vec<&str> = rules
        .iter()
        .flat_map(|r| r.examples.bad.iter().chain(&r.examples.good))
        .map(|e| e.text.as_str())
        .collect();
    const INSERTS: &[u8] = b"\\:=@/.[]\"'";
    let paths = [
        "Dockerfile",
        "hosts",
        "a.tfstate",
        "kubeconfig",
        "x.yml",
        "web.config",
    ];
    let d = detector();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for i in 0..3000 {
        let seed = seeds[i % seeds.len()].as_bytes();
        let mut bytes = seed.to_vec();
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if bytes.is_empty() {
                break;
            }
            let at = (state as usize) % bytes.len();
            match state % 4 {
                0 => bytes[at] = (state >> 8) as u8,
                1 => {
                    bytes.remove(at);
                }
                2 => bytes.insert(at, INSERTS[(state >> 16) as usize % INSERTS.len()]),
                _ => bytes.truncate(at),
            }
        }
        let _ = d.look_at(&Content::new(&bytes, Some(paths[i % paths.len()])));
    }
}

/// No password in a line reaches the report through this detector's
/// context: the URL's and the keyed ones are masked, a Dockerfile's values
/// are not shown.
#[test]
fn contexts_never_carry_the_password() {
    let pw = ["hunter", "2Secret"].concat();
    let cases = [
        (
            "a.yml",
            format!("url: postgres://app:{pw}@10.1.2.3:5432/db\n"),
        ),
        (
            "Web.config",
            format!(
                "<add connectionString=\"Server=PASSQL01\\LIVE;Database=P;User Id=a;Password={pw}\" />\n"
            ),
        ),
        ("Dockerfile", format!("FROM x\nENV DB_PASSWORD={pw}\n")),
        ("b.env", format!("HOST=10.1.2.3 TOKEN={pw}\n")),
    ];
    for (path, text) in cases {
        let out = detector().look_at(&Content::new(text.as_bytes(), Some(path)));
        assert!(!out.matches.is_empty(), "{path}");
        for m in &out.matches {
            assert!(!m.context.contains(&pw), "{path}: {}", m.context);
            assert!(!m.secret.contains(&pw), "{path}: {}", m.secret);
        }
    }
}

/// The false alarms a reviewer found on real repositories, and the misses,
/// as classes: written-out ranges, Terraform references, mailboxes, file
/// paths and made-up names are not hosts; TNS descriptors, a database's
/// fully qualified name and XML-wrapped strings are connection strings.
#[test]
fn what_real_repositories_taught() {
    let hosts = |l: &str| -> Vec<String> {
        internal_hosts(l)
            .into_iter()
            .map(|s| s.host.to_string())
            .collect()
    };
    for quiet in [
        "# 10.199.131.128 - 10.199.131.255 (126)",
        "security_groups = [var.internal, local.lbs.private]",
        "maintainer: moj@moj.local",
        "cp /etc/rc.local /tmp",
        "zone: mydomain.internal",
        "<logger name=\"io.netty.util.internal.logging.InternalLoggerFactory\"/>",
        "alias: intranet.justice.gov.uk, corp.tlscontact.com",
        "domain: internal.somedomainyoucontrol.com",
    ] {
        assert!(hosts(quiet).is_empty(), "{quiet}: {:?}", hosts(quiet));
    }
    assert_eq!(
        hosts("url: ldaps://ldap.nis1.national.ncrs.nhs.uk"),
        ["ldap.nis1.national.ncrs.nhs.uk"]
    );
    assert_eq!(
        hosts("mesh: mesh.vp.nhsredteam.internal.nhs.uk"),
        ["mesh.vp.nhsredteam.internal.nhs.uk"]
    );
    let conns = |l: &str| -> Vec<(String, Host)> {
        connections(l)
            .into_iter()
            .map(|c| (c.identity(), c.kind))
            .collect()
    };
    assert_eq!(
        conns(
            "(ADDRESS=(PROTOCOL=TCP)(HOST=10.161.98.92)(PORT=1521))(ADDRESS=(HOST=10.161.98.93))"
        ),
        [("oracle://10.161.98.92".to_string(), Host::Private)]
    );
    assert_eq!(
        conns("url=jdbc:oracle:thin:@ebs-db.laa-production.service.justice.gov.uk:1522/EBSPROD"),
        [(
            "oracle://ebs-db.laa-production.service.justice.gov.uk".to_string(),
            Host::Named
        )]
    );
    assert_eq!(
        conns("<C>Data Source=chatbotlabs.database.windows.net;User ID=admin</C>"),
        [(
            "sqlserver://chatbotlabs.database.windows.net".to_string(),
            Host::CloudDatabase
        )]
    );
    // A protocol that is not a database names no server by a public name.
    assert!(conns("ldap://ldap.trust.nhs.uk").is_empty());
    assert!(conns("postgres://app@db.example.com/app").is_empty());
    assert!(conns("mongodb://mongo-0.mongo:27017/app").is_empty());
    // The same address as a host and in a connection string: both said.
    let f = found(
        "docker-compose.yml",
        "dns: 192.168.128.11\nurl: ldap://192.168.128.11\n",
    );
    let mut rules: Vec<&str> = f.iter().map(|f| f.0.as_str()).collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        ["exposure-connection-string", "exposure-internal-host"],
        "{f:?}"
    );
    // `ENV TOKEN ""` clears a value; it sets no credential.
    assert!(found("Dockerfile", "FROM x\nENV GH_TOKEN \"\"\n").is_empty());
    assert!(crate::is_config_file("ansible/templates/hosts.ini.j2"));
    assert!(crate::is_config_file(
        "Properties/PublishProfiles/Prod.pubxml"
    ));
}

#[test]
fn a_word_is_found_in_any_case_wherever_it_lies() {
    use crate::connection::contains_ignore_case as has;
    // Every line of a few letters against every needle: the same answer as
    // comparing each window.
    let letters = [
        "", "o", "O", "or", "Oracle", "xORACLEx", "oraclx", "hoSt", "ho", "h",
    ];
    for line in letters
        .iter()
        .flat_map(|a| letters.iter().map(move |b| format!("{a}{b}")))
    {
        for needle in ["oracle", "host", "o", "windows.net"] {
            let want = line
                .as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
            assert_eq!(has(&line, needle), want, "{line:?} {needle:?}");
        }
    }
    assert!(has("Server=ORACLE01", "oracle"));
    assert!(!has("orac", "oracle"));
}
