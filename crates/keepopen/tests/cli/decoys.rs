//! Values that look like secrets but are not: none of them is reported.

use crate::support::*;

#[test]
fn placeholders_lookups_templates_examples_test_keys_hashes_uuids_and_public_keys_are_not_reported()
{
    let mut r = Repo::new();
    let aws_doc = ["AKIA", "IOSFODNN7", "EXAMPLE"].concat();
    let stripe_test = format!(
        "{}{}",
        ["sk", "_test_"].concat(),
        random_chars(5, 24, b"abcdefghijklmnopqrstuvwxyz0123456789")
    );
    let integrity = format!(
        "sha512-{}==",
        random_chars(
            6,
            86,
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        )
    );
    r.write(
        "settings.py",
        concat!(
            "import os\n",
            "PASSWORD = os.environ[\"DB_PASSWORD\"]\n",
            "api_key = \"<your-api-key>\"\n",
            "token = \"xxxxxxxxxxxxxxxxxxxxxxxx\"\n",
            "password = \"changeme\"\n",
            "secret_key = os.getenv(\"SECRET_KEY\")\n",
        ),
    );
    r.write("deploy.yml", "db:\n  password: ${DB_PASSWORD}\n  token: \"{{ vault_token }}\"\n  pat: $(System.AccessToken)\n");
    r.write("aws.md", format!("export AWS_ACCESS_KEY_ID={aws_doc}\n"));
    r.write(
        "pay.js",
        format!("const stripe = Stripe('{stripe_test}');\n"),
    );
    r.write(
        "package-lock.json",
        format!("{{\"packages\": {{\"node_modules/a\": {{\"integrity\": \"{integrity}\"}}}}}}\n"),
    );
    r.write("appsettings.json", "{\"AzureAd\": {\"ClientId\": \"3f2504e0-4f89-11d3-9a0c-0305e82c3301\", \"TenantId\": \"9a2b7c1d-1111-4a2b-8c3d-2e4f5a6b7c8d\"}}\n");
    r.write(
        "keys/id_rsa.pub",
        format!(
            "ssh-rsa AAAAB3NzaC1yc2E{} user@host\n",
            random_chars(
                7,
                300,
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            )
        ),
    );
    r.write("keys/public.pem", format!("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A{}\n-----END PUBLIC KEY-----\n", random_chars(8, 64, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")));
    r.commit("decoys");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(findings(&v), Vec::<serde_json::Value>::new(), "{v:#}");
    assert_eq!(code, 0);
}

#[test]
fn a_real_secret_beside_decoys_is_still_found() {
    let mut r = Repo::new();
    let key = aws_key_id(9);
    r.write(
        "aws.env",
        format!("AWS_ACCESS_KEY_ID={key}\nAWS_REGION=eu-west-2\n"),
    );
    r.commit("aws");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1);
    assert!(secrets(&v).contains(&key), "{v:#}");
}
