//! Files built by code: GCP service-account keys, private keys in three
//! formats and PKCS#12 files. A private key's label is the first 40
//! characters of its body, on the line of its BEGIN (or PuTTY header) line;
//! a PKCS#12 file is labelled by its path alone.

use super::{Built, Make, Mark, Recipe, Variant::Custom};
use crate::keys::{self, KeyText};
use crate::rng::Rng;
use crate::text::{line_of, render};

pub(super) const RECIPES: &[Recipe] = &[
    Recipe {
        family: "gcp",
        kinds: &["gcp-service-account-key"],
        make: Make::None,
        variants: &[Custom(gcp_json), Custom(gcp_python), Custom(gcp_yaml)],
    },
    Recipe {
        family: "private-key",
        kinds: &["rsa-private-key"],
        make: Make::None,
        variants: &[Custom(rsa_file), Custom(rsa_python), Custom(rsa_yaml)],
    },
    Recipe {
        family: "private-key",
        kinds: &["openssh-private-key"],
        make: Make::None,
        variants: &[Custom(ssh_ansible), Custom(ssh_deploy), Custom(ssh_heredoc)],
    },
    Recipe {
        family: "private-key",
        kinds: &["putty-private-key"],
        make: Make::None,
        variants: &[Custom(ppk_jumpbox), Custom(ppk_deploy), Custom(ppk_bastion)],
    },
    Recipe {
        family: "key-file",
        kinds: &["pkcs12-file"],
        make: Make::None,
        variants: &[Custom(p12_client), Custom(p12_signing), Custom(p12_vpn)],
    },
];

fn built(rng: &mut Rng, path: &str, text: String, header: &str, head: String) -> Built {
    let line = line_of(&text, header);
    Built {
        path: render(rng, path, &[]),
        content: text.into_bytes(),
        marks: vec![Mark {
            secret: Some(head),
            line,
        }],
    }
}

/// The members of a service-account key file as JSON lines (no braces),
/// and the key's body head.
fn gcp_members(rng: &mut Rng, indent: &str) -> (Vec<String>, String) {
    let key = keys::pkcs8_pem(rng);
    let pem = key.lines.join("\n") + "\n";
    let project = render(rng, "«PROJECT»", &[]);
    let name = *rng.pick(&["etl-runner", "bq-loader", "ci-deployer"]);
    let email = format!("{name}@{project}.iam.gserviceaccount.com");
    let q = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    let fields: Vec<(&str, String)> = vec![
        ("type", "service_account".to_owned()),
        ("project_id", project.clone()),
        ("private_key_id", crate::encode::hex(&rng.bytes(20))),
        ("private_key", pem),
        ("client_email", email.clone()),
        ("client_id", rng.digits(21)),
        (
            "auth_uri",
            "https://accounts.google.com/o/oauth2/auth".to_owned(),
        ),
        (
            "token_uri",
            "https://oauth2.googleapis.com/token".to_owned(),
        ),
        (
            "auth_provider_x509_cert_url",
            "https://www.googleapis.com/oauth2/v1/certs".to_owned(),
        ),
        (
            "client_x509_cert_url",
            format!(
                "https://www.googleapis.com/robot/v1/metadata/x509/{}",
                email.replace('@', "%40")
            ),
        ),
        ("universe_domain", "googleapis.com".to_owned()),
    ];
    let n = fields.len();
    let lines = fields
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            format!(
                "{indent}{}: {}{}",
                q(k),
                q(v),
                if i + 1 < n { "," } else { "" }
            )
        })
        .collect();
    (lines, key.body_head)
}

fn gcp_json(rng: &mut Rng) -> Built {
    let (members, head) = gcp_members(rng, "  ");
    let text = format!("{{\n{}\n}}\n", members.join("\n"));
    built(
        rng,
        "credentials/«PROJECT»-sa.json",
        text,
        "\"private_key\"",
        head,
    )
}

fn gcp_python(rng: &mut Rng) -> Built {
    let (members, head) = gcp_members(rng, "    ");
    let text = format!(
        "from google.cloud import bigquery\nfrom google.oauth2 import service_account\n\n\
         SERVICE_ACCOUNT_INFO = {{\n{}\n}}\n\ncredentials = service_account.Credentials.from_service_account_info(SERVICE_ACCOUNT_INFO)\n\
         client = bigquery.Client(credentials=credentials)\n",
        members.join("\n")
    );
    built(rng, "etl/bq_client.py", text, "\"private_key\"", head)
}

fn gcp_yaml(rng: &mut Rng) -> Built {
    let (members, head) = gcp_members(rng, "      ");
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gcp-credentials\ntype: Opaque\nstringData:\n  key.json: |\n    {{\n{}\n    }}\n",
        members.join("\n")
    );
    built(
        rng,
        "deploy/k8s/gcp-credentials.yaml",
        text,
        "\"private_key\"",
        head,
    )
}

fn indented(k: &KeyText, indent: &str) -> String {
    k.lines
        .iter()
        .map(|l| format!("{indent}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rsa_file(rng: &mut Rng) -> Built {
    let k = keys::rsa_pem(rng);
    built(
        rng,
        "deploy/keys/«ORG»-deploy.pem",
        k.lines.join("\n") + "\n",
        &k.lines[0],
        k.body_head,
    )
}

fn rsa_python(rng: &mut Rng) -> Built {
    let k = keys::rsa_pem(rng);
    let text = format!(
        "import jwt\n\nSIGNING_KEY = \"\"\"{}\"\"\"\n\n\ndef sign(claims):\n    return jwt.encode(claims, SIGNING_KEY, algorithm=\"RS256\")\n",
        k.lines.join("\n")
    );
    built(rng, "auth/signing.py", text, &k.lines[0], k.body_head)
}

fn rsa_yaml(rng: &mut Rng) -> Built {
    let k = keys::rsa_pem(rng);
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ingress-tls\ntype: kubernetes.io/tls\nstringData:\n  tls.key: |\n{}\n",
        indented(&k, "    ")
    );
    built(
        rng,
        "deploy/k8s/ingress-tls.yaml",
        text,
        &k.lines[0],
        k.body_head,
    )
}

fn ssh_plain(rng: &mut Rng, path: &str) -> Built {
    let comment = render(rng, "«USER»@«ORG»-ci", &[]);
    let k = keys::openssh_ed25519(rng, &comment);
    built(
        rng,
        path,
        k.lines.join("\n") + "\n",
        &k.lines[0],
        k.body_head,
    )
}

fn ssh_ansible(rng: &mut Rng) -> Built {
    ssh_plain(rng, "ansible/files/id_ed25519")
}

fn ssh_deploy(rng: &mut Rng) -> Built {
    ssh_plain(rng, "deploy/ssh/deploy_key")
}

fn ssh_heredoc(rng: &mut Rng) -> Built {
    let k = keys::openssh_ed25519(rng, "runner@build");
    let text = format!(
        "#!/bin/bash\nset -e\nmkdir -p ~/.ssh\ncat > ~/.ssh/id_ed25519 <<'EOF'\n{}\nEOF\nchmod 600 ~/.ssh/id_ed25519\n",
        k.lines.join("\n")
    );
    built(
        rng,
        "scripts/bootstrap_runner.sh",
        text,
        &k.lines[0],
        k.body_head,
    )
}

fn ppk(rng: &mut Rng, path: &str) -> Built {
    let comment = format!("rsa-key-2023{:02}{:02}", rng.range(1, 12), rng.range(1, 28));
    let k = keys::putty_ppk(rng, &comment);
    built(
        rng,
        path,
        k.lines.join("\n") + "\n",
        &k.lines[0],
        k.body_head,
    )
}

fn ppk_jumpbox(rng: &mut Rng) -> Built {
    ppk(rng, "keys/jumpbox.ppk")
}

fn ppk_deploy(rng: &mut Rng) -> Built {
    ppk(rng, "tools/putty/deploy.ppk")
}

fn ppk_bastion(rng: &mut Rng) -> Built {
    ppk(rng, "ops/bastion/admin.ppk")
}

fn p12(rng: &mut Rng, path: &str) -> Built {
    Built {
        path: render(rng, path, &[]),
        content: keys::pkcs12_bytes(rng),
        marks: vec![Mark {
            secret: None,
            line: None,
        }],
    }
}

fn p12_client(rng: &mut Rng) -> Built {
    p12(rng, "certs/client.p12")
}

fn p12_signing(rng: &mut Rng) -> Built {
    p12(rng, "deploy/signing/app-signing.p12")
}

fn p12_vpn(rng: &mut Rng) -> Built {
    p12(rng, "infra/vpn/«USER»-vpn.p12")
}
