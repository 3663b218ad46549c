//! API clients' files: Bruno requests, Postman and Insomnia exports, REST
//! Client and JetBrains `.http` files. Teams keep the tokens they test an
//! API with beside the requests; their variables are not secrets.

use crate::support::*;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A token of an NHS API Management shape, made at run time.
fn token(seed: u64) -> String {
    random_chars(seed, 32, ALNUM)
}

/// The rule and path of the finding whose secret is `secret`.
fn found_by(v: &serde_json::Value, secret: &str) -> Option<(String, String)> {
    findings(v)
        .into_iter()
        .find(|f| f["secret"] == secret)
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("path"))
        })
}

#[test]
fn tokens_in_bruno_postman_insomnia_and_http_files_are_found() {
    let mut r = Repo::new();
    let [
        bearer,
        basic,
        apikey,
        var,
        env_secret,
        collection,
        insomnia,
        http_var,
        http_header,
    ] = std::array::from_fn(|i| token(101 + i as u64));
    r.write(
        "bruno/PDS/Get patient.bru",
        format!(
            "meta {{\n  name: Get patient\n  type: http\n  seq: 1\n}}\n\n\
             get {{\n  url: https://sandbox.api.service.nhs.uk/personal-demographics/FHIR/R4/Patient/9000000009\n  auth: bearer\n}}\n\n\
             auth:bearer {{\n  token: {bearer}\n}}\n\n\
             auth:basic {{\n  username: svc-pds\n  password: {basic}\n}}\n\n\
             auth:apikey {{\n  key: apikey\n  value: {apikey}\n  placement: header\n}}\n\n\
             vars {{\n  apiKey: {var}\n  nextToken: {{{{token}}}}\n}}\n\n\
             vars:secret [\n  clientSecret\n]\n"
        ),
    );
    r.write(
        "postman/PDS.postman_environment.json",
        format!(
            "{{\n\t\"name\": \"PDS sandbox\",\n\t\"values\": [\n\
             \t\t{{\n\t\t\t\"key\": \"client_secret\",\n\t\t\t\"value\": \"{env_secret}\",\n\t\t\t\"type\": \"secret\",\n\t\t\t\"enabled\": true\n\t\t}},\n\
             \t\t{{\n\t\t\t\"key\": \"access_token\",\n\t\t\t\"value\": \"{{{{token}}}}\",\n\t\t\t\"type\": \"default\",\n\t\t\t\"enabled\": true\n\t\t}}\n\
             \t]\n}}\n"
        ),
    );
    r.write(
        "postman/PDS.postman_collection.json",
        format!(
            "{{\n  \"info\": {{\"name\": \"PDS\"}},\n  \"auth\": {{\n    \"type\": \"bearer\",\n    \"bearer\": [\n      {{\n        \"key\": \"token\",\n        \"value\": \"{collection}\",\n        \"type\": \"string\"\n      }}\n    ]\n  }}\n}}\n"
        ),
    );
    r.write(
        "insomnia/Insomnia_2024-05-01.json",
        format!(
            "{{\"_type\": \"export\", \"__export_format\": 4, \"resources\": [{{\"_id\": \"req_1\", \"_type\": \"request\", \"url\": \"https://int.api.service.nhs.uk/x\", \"headers\": [{{\"name\": \"apikey\", \"value\": \"{insomnia}\"}}]}}]}}\n"
        ),
    );
    r.write(
        "api/pds.http",
        format!(
            "@token = {http_var}\n@host = https://sandbox.api.service.nhs.uk\n\n\
             GET {{{{host}}}}/personal-demographics/FHIR/R4/Patient/9000000009\n\
             Authorization: Bearer {{{{token}}}}\napikey: {http_header}\n"
        ),
    );
    r.commit("API client files");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    let want = [
        (&bearer, "bruno-secret", "bruno/PDS/Get patient.bru"),
        (&basic, "bruno-secret", "bruno/PDS/Get patient.bru"),
        (
            &apikey,
            "api-client-apikey-auth",
            "bruno/PDS/Get patient.bru",
        ),
        (&var, "bruno-secret", "bruno/PDS/Get patient.bru"),
        (
            &env_secret,
            "postman-secret",
            "postman/PDS.postman_environment.json",
        ),
        (
            &collection,
            "postman-secret",
            "postman/PDS.postman_collection.json",
        ),
        (
            &insomnia,
            "insomnia-secret",
            "insomnia/Insomnia_2024-05-01.json",
        ),
        (&http_var, "http-file-secret", "api/pds.http"),
        (&http_header, "http-file-secret", "api/pds.http"),
    ];
    for (secret, rule, path) in want {
        assert_eq!(
            found_by(&v, secret),
            Some((rule.to_string(), path.to_string())),
            "{rule} in {path}: {v:#}"
        );
    }
    // The variables beside them are not reported.
    assert_eq!(findings(&v).len(), want.len(), "{v:#}");
}

#[test]
fn api_client_variables_and_secrets_exported_empty_are_not_reported() {
    let mut r = Repo::new();
    r.write(
        "bruno/PDS/environments/int.bru",
        "vars {\n  host: https://int.api.service.nhs.uk\n  apiKey: {{process.env.PDS_API_KEY}}\n  token: {{$randomUUID}}\n}\n\
         vars:secret [\n  clientSecret,\n  apiKey\n]\n",
    );
    r.write(
        "postman/PDS.postman_environment.json",
        "{\"values\": [\n  {\"key\": \"client_secret\", \"value\": \"\", \"type\": \"secret\", \"enabled\": true},\n  \
         {\"key\": \"token\", \"value\": \"{{$randomUUID}}\", \"type\": \"default\", \"enabled\": true},\n  \
         {\"key\": \"api_key\", \"value\": \"{{api_key}}\", \"type\": \"default\", \"enabled\": true}\n]}\n",
    );
    r.write(
        "insomnia.yaml",
        "headers:\n  - name: apikey\n    value: \"{{ _.pds_api_key }}\"\n",
    );
    r.write(
        "api/pds.http",
        "@token = {{login.response.body.access_token}}\n@apiKey = {{$dotenv PDS_API_KEY}}\n\n\
         GET https://int.api.service.nhs.uk/x\nAuthorization: Bearer {{token}}\napikey: {{$processEnv PDS_API_KEY}}\n",
    );
    r.commit("API client variables");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(findings(&v), Vec::<serde_json::Value>::new(), "{v:#}");
    assert_eq!(code, 0);
}
