//! Token generators: each concatenates a provider's documented prefix with
//! random characters of the documented alphabet and length, so no token
//! exists anywhere but in the generated corpus.

use crate::encode::{base62_crc32, base64, base64url, hex, url_encode, uuid};
use crate::rng::{self, ALNUM, DASH_UNDERSCORE, DIGIT, LOWER, PLUS_SLASH, Rng, UPPER};

fn alnum(rng: &mut Rng, n: usize) -> String {
    rng.string(&rng::class(ALNUM), n)
}

fn b64url_chars(rng: &mut Rng, n: usize) -> String {
    rng.string(&rng::class(ALNUM | DASH_UNDERSCORE), n)
}

/// AWS access key id and its secret access key.
pub fn aws_pair(rng: &mut Rng) -> Vec<String> {
    let mut id_chars = rng::class(UPPER);
    id_chars.extend(b'2'..=b'7');
    let id = format!("{}{}", "AKIA", rng.string(&id_chars, 16));
    let secret = rng.string(&rng::class(ALNUM | PLUS_SLASH), 40);
    vec![id, secret]
}

/// Azure storage account key: 64 random bytes in base64 (88 chars, `==`).
pub fn azure_storage_key(rng: &mut Rng) -> String {
    base64(&rng.bytes(64))
}

/// The `sig=` value of an Azure SAS URL, percent-encoded as it appears in
/// the URL.
pub fn azure_sas_sig(rng: &mut Rng) -> String {
    url_encode(&base64(&rng.bytes(32)))
}

/// Entra ID (Azure AD) client secret: 3 characters, a version digit, `Q~`,
/// then 34 of `[A-Za-z0-9_.~-]`.
pub fn entra_client_secret(rng: &mut Rng) -> String {
    let mut tail = rng::class(ALNUM | DASH_UNDERSCORE);
    tail.extend([b'.', b'~']);
    format!("{}8{}{}", alnum(rng, 3), "Q~", rng.string(&tail, 34))
}

pub fn gcp_api_key(rng: &mut Rng) -> String {
    format!("{}{}", "AIza", b64url_chars(rng, 35))
}

/// `prefix` + 30 random base62 characters + their base62 CRC32.
fn checksummed(rng: &mut Rng, prefix: &str) -> String {
    let random = alnum(rng, 30);
    let sum = base62_crc32(&random);
    format!("{prefix}{random}{sum}")
}

pub fn github_classic(rng: &mut Rng) -> String {
    checksummed(rng, "ghp_")
}

pub fn github_fine_grained(rng: &mut Rng) -> String {
    format!("{}{}_{}", "github_pat_", alnum(rng, 22), alnum(rng, 59))
}

pub fn gitlab_pat(rng: &mut Rng) -> String {
    format!("{}{}", "glpat-", b64url_chars(rng, 20))
}

/// Legacy Azure DevOps PAT: 52 characters of lower-case base32.
pub fn azure_devops_legacy(rng: &mut Rng) -> String {
    rng.string(&rng::base32_lower(), 52)
}

/// The 84-character Azure DevOps PAT (Microsoft's common annotated key
/// layout): 52 random, the `JQQJ99` signature, a character, a date
/// character A-L, 16 characters, the `AZDO` provider tag and 4 characters.
pub fn azure_devops_pat(rng: &mut Rng) -> String {
    let a_to_l: Vec<u8> = (b'A'..=b'L').collect();
    format!(
        "{}{}{}{}{}{}{}",
        alnum(rng, 52),
        "JQQJ99",
        alnum(rng, 1),
        rng.string(&a_to_l, 1),
        alnum(rng, 16),
        "AZDO",
        alnum(rng, 4)
    )
}

pub fn slack_bot_token(rng: &mut Rng) -> String {
    let (a, b) = (rng.range(10, 13), rng.range(10, 13));
    format!(
        "{}{}-{}-{}",
        "xoxb-",
        rng.digits(a),
        rng.digits(b),
        alnum(rng, 24)
    )
}

pub fn slack_webhook(rng: &mut Rng) -> String {
    let up = rng::class(UPPER | DIGIT);
    let (t, b) = (rng.range(8, 10), rng.range(8, 10));
    format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        rng.string(&up, t),
        rng.string(&up, b),
        alnum(rng, 24)
    )
}

pub fn teams_webhook(rng: &mut Rng) -> String {
    let org = *rng.pick(&["northwind", "contoso", "fabrikamhealth", "globexretail"]);
    let (a, b) = (uuid(rng), uuid(rng));
    let h = hex(&rng.bytes(16));
    let c = uuid(rng);
    format!("https://{org}.webhook.office.com/webhookb2/{a}@{b}/IncomingWebhook/{h}/{c}")
}

pub fn stripe_live(rng: &mut Rng) -> String {
    let n = if rng.chance(50) { 24 } else { 99 };
    format!("{}{}", "sk_live_", alnum(rng, n))
}

/// OpenAI project key: 74 characters, the base64 of the provider's name,
/// 74 characters.
pub fn openai_key(rng: &mut Rng) -> String {
    let marker = base64("OpenAI".as_bytes());
    format!(
        "{}{}{}{}",
        "sk-proj-",
        b64url_chars(rng, 74),
        marker,
        b64url_chars(rng, 74)
    )
}

pub fn anthropic_key(rng: &mut Rng) -> String {
    format!("{}{}{}", "sk-ant-api03-", b64url_chars(rng, 93), "AA")
}

pub fn huggingface_token(rng: &mut Rng) -> String {
    format!("{}{}", "hf_", rng.string(&rng::class(UPPER | LOWER), 34))
}

pub fn npm_token(rng: &mut Rng) -> String {
    checksummed(rng, "npm_")
}

/// A PyPI API token: a macaroon serialised in base64url whose location is
/// the index, so every token starts with the same few characters.
pub fn pypi_token(rng: &mut Rng) -> String {
    let mut m = vec![0x02, 0x01, 0x08];
    m.extend_from_slice("pypi.org".as_bytes());
    m.extend_from_slice(&[0x02, 0x24]);
    m.extend_from_slice(uuid(rng).as_bytes());
    m.extend_from_slice(&[0x00, 0x02, 0x2a]);
    m.extend_from_slice(&rng.bytes(70));
    format!("pypi-{}", base64url(&m))
}

/// NuGet API key: `oy2` + 43 characters of [a-z0-9] with the fixed
/// positions Microsoft's detector checks.
pub fn nuget_key(rng: &mut Rng) -> String {
    let lo = rng::class(DIGIT | LOWER);
    let a_p: Vec<u8> = (b'a'..=b'p').collect();
    let mut s = String::from("oy2");
    s.push_str(&rng.string(&a_p, 1));
    s.push_str(&rng.string(&lo, 15));
    s.push_str(&rng.string(b"aq", 1));
    s.push_str(&rng.string(&lo, 11));
    s.push_str(&rng.string(b"eu", 1));
    s.push_str(&rng.string(b"bdfhjlnprtvxz357", 1));
    s.push_str(&rng.string(&a_p, 1));
    s.push_str(&rng.string(&lo, 11));
    s.push_str(&rng.string(b"aeimquy4", 1));
    s
}

/// An HS256 JSON Web Token with a real header and a plausible payload.
pub fn jwt(rng: &mut Rng) -> String {
    let header = serde_json::json!({"alg": "HS256", "typ": "JWT"}).to_string();
    let iat = 1_690_000_000 + rng.below(30_000_000) as u64;
    let name = *rng.pick(&[
        "Ada Byron",
        "Grace Murray",
        "Alan Mathison",
        "Katherine Coleman",
    ]);
    let payload = serde_json::json!({
        "sub": rng.digits(10),
        "name": name,
        "role": *rng.pick(&["admin", "analyst", "service"]),
        "iat": iat,
        "exp": iat + 86_400 * 30,
    })
    .to_string();
    format!(
        "{}.{}.{}",
        base64url(header.as_bytes()),
        base64url(payload.as_bytes()),
        base64url(&rng.bytes(32))
    )
}

/// HashiCorp Vault service token (`hvs.` + base64url protobuf, 90+ chars).
pub fn vault_token(rng: &mut Rng) -> String {
    let mut b = vec![0x08, 0x01, 0x12, 0x20];
    b.extend(rng.bytes(66));
    format!("hvs.{}", base64url(&b))
}

pub fn databricks_token(rng: &mut Rng) -> String {
    format!("{}{}", "dapi", hex(&rng.bytes(16)))
}

pub fn posit_connect_key(rng: &mut Rng) -> String {
    alnum(rng, 32)
}

/// A random API secret as `secrets.token_hex` or `token_urlsafe` make.
pub fn api_secret(rng: &mut Rng) -> String {
    if rng.chance(50) {
        hex(&rng.bytes(24))
    } else {
        base64url(&rng.bytes(30))
    }
}

pub fn alnum_token(rng: &mut Rng) -> String {
    let n = rng.range(32, 40);
    alnum(rng, n)
}

/// Django's `get_random_secret_key()`: 50 characters of its alphabet.
pub fn django_secret_key(rng: &mut Rng) -> String {
    let mut a = rng::class(LOWER | DIGIT);
    a.extend("!@#$%^&*(-_=+)".bytes());
    rng.string(&a, 50)
}

const WORDS: &[&str] = &[
    "Summer", "Falcon", "Maple", "River", "Copper", "Velvet", "Harbor", "Meadow", "Rocket",
    "Panda", "Sunset", "Thunder", "Orchid", "Granite", "Willow", "Cobalt", "Ember", "Juniper",
    "Lantern", "Puffin", "Marble", "Quartz", "Saffron", "Tundra",
];

/// A password as people choose them: words, digits and punctuation, 10–20
/// characters, starting with a letter. `uri_safe` keeps to characters that
/// need no escaping in a URL's user-info.
pub fn password(rng: &mut Rng, uri_safe: bool) -> String {
    let punct: &[u8] = if uri_safe { b"!*-_.~" } else { b"!@#^&*-_.+=?" };
    loop {
        let w1 = *rng.pick(WORDS);
        let w2 = *rng.pick(WORDS);
        let p = char::from(*rng.pick(punct));
        let nd = rng.range(2, 4);
        let d = rng.digits(nd);
        let s = match rng.below(5) {
            0 => format!("{w1}{w2}{d}{p}"),
            1 => format!("{w1}{p}{}{d}", w2.to_lowercase()),
            2 => format!("{}{d}{p}{w2}", w1.to_lowercase()),
            3 => format!("{w1}{p}{d}{p}{}", alnum(rng, 3)),
            _ => format!("{}{}{d}{p}", w1.to_lowercase(), alnum(rng, 4)),
        };
        if (10..=20).contains(&s.len()) {
            return s;
        }
    }
}

pub fn plain_password(rng: &mut Rng) -> String {
    password(rng, false)
}

pub fn uri_password(rng: &mut Rng) -> String {
    password(rng, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str, f: impl Fn(char) -> bool) -> bool {
        s.chars().all(f)
    }

    #[test]
    fn shapes_follow_the_documented_formats() {
        let mut r = Rng::new(9);
        let gh = github_classic(&mut r);
        assert_eq!(gh.len(), 40);
        assert_eq!(base62_crc32(&gh[4..34]), gh[34..]);
        let npm = npm_token(&mut r);
        assert_eq!(npm.len(), 40);
        assert_eq!(azure_storage_key(&mut r).len(), 88);
        assert!(azure_storage_key(&mut r).ends_with("=="));
        let e = entra_client_secret(&mut r);
        assert_eq!(e.len(), 40);
        assert_eq!(&e[4..6], "Q~");
        assert_eq!(gcp_api_key(&mut r).len(), 39);
        assert_eq!(azure_devops_pat(&mut r).len(), 84);
        assert_eq!(&azure_devops_pat(&mut r)[76..80], "AZDO");
        assert!(all(&azure_devops_legacy(&mut r), |c| c
            .is_ascii_lowercase()
            || ('2'..='7').contains(&c)));
        assert_eq!(openai_key(&mut r).len(), 8 + 156);
        assert_eq!(anthropic_key(&mut r).len(), 13 + 95);
        assert_eq!(huggingface_token(&mut r).len(), 37);
        assert_eq!(nuget_key(&mut r).len(), 46);
        assert!(pypi_token(&mut r).starts_with(&format!(
            "pypi-{}",
            base64url(b"\x02\x01\x08pypi.org")[..14].to_owned()
        )));
        assert!(vault_token(&mut r).len() >= 94);
        assert_eq!(databricks_token(&mut r).len(), 36);
        assert_eq!(django_secret_key(&mut r).len(), 50);
        let jwt = jwt(&mut r);
        assert_eq!(jwt.split('.').count(), 3);
    }

    #[test]
    fn passwords_look_like_passwords() {
        let mut r = Rng::new(5);
        for _ in 0..200 {
            let p = password(&mut r, false);
            assert!((10..=20).contains(&p.len()), "{p}");
            assert!(p.chars().next().is_some_and(|c| c.is_ascii_alphabetic()));
            assert!(p.chars().any(|c| c.is_ascii_digit()));
            assert!(!p.contains(['"', '\'', '\\', '$', ';', ':', '%', ' ']));
            let u = password(&mut r, true);
            assert!(
                u.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!*-_.~".contains(c))
            );
        }
    }
}
