//! Values filled in at deploy or run time: `${VAR}`, `{{ var }}`,
//! `$(VAR)`, `#{VAR}#`, `%VAR%`, `<%= x %>`, `$VAR`, `%(name)s`, `__VAR__`,
//! `@VAR@`, and the API clients' own functions (`{{$randomUUID}}`). Matched
//! by shape, so that a random key which merely contains `$(` is not taken
//! for one.

/// A variable's name: at least two characters, starting with a letter or
/// `_` (a single character inside `$(x)` is as likely to be random).
fn ident(s: &str) -> bool {
    let first = s.bytes().next().unwrap_or(b'0');
    s.len() >= 2
        && (first.is_ascii_alphabetic() || first == b'_')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-:[]'\" ".contains(&b))
}

/// A function of an API client inside `{{ }}`: Postman's dynamic variables
/// (`$randomUUID`), REST Client's system variables (`$dotenv API_KEY`,
/// `$processEnv %NAME`, `$datetime iso8601`) and the JetBrains HTTP
/// Client's (`$random.uuid`, `$auth.token("cis2")`).
fn client_function(s: &str) -> bool {
    s.strip_prefix('$').is_some_and(|f| {
        ident(f.split(['(', ' ']).next().unwrap_or(""))
            && f.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-:[]'\" %(),".contains(&b))
    })
}

/// Does `s` contain `open` + something `inner` accepts + `close` somewhere?
fn wraps(s: &str, open: &str, close: &str) -> bool {
    wraps_with(s, open, close, ident)
}

fn wraps_with(s: &str, open: &str, close: &str, inner: fn(&str) -> bool) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        if let Some(j) = after.find(close)
            && inner(after[..j].trim())
        {
            return true;
        }
        rest = after;
    }
    false
}

pub(super) fn is_template(s: &str) -> bool {
    let t = s.trim();
    // A command-line flag whose value is a variable or a command's output:
    // `mysql -p$MYSQL_PASSWORD`, `--password=${DB_PASS}`, `-p$(cat …)`.
    if let Some(rest) = ["--password=", "--pass=", "-p", "-P"]
        .iter()
        .find_map(|flag| t.strip_prefix(flag))
        && rest.starts_with('$')
        && (is_template(rest) || command_output(rest))
    {
        return true;
    }
    if command_output(t) {
        return true;
    }
    let whole = |open: &str, close: &str| {
        t.len() > open.len() + close.len()
            && t.starts_with(open)
            && t.ends_with(close)
            && ident(&t[open.len()..t.len() - close.len()])
    };
    wraps(t, "${", "}")
        || wraps(t, "{{", "}}")
        || wraps_with(t, "{{", "}}", client_function)
        || wraps(t, "$(", ")")
        || wraps(t, "#{", "}")
        || wraps(t, "%(", ")s")
        || t.contains("<%")
        || t.contains("{0}")
        || whole("%", "%")
        || whole("__", "__")
        || whole("@", "@")
        || whole("<", ">")
        || whole("[", "]")
        || (t.len() > 1
            && t.starts_with('$')
            && t[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// The whole value is a command substitution, `$(cat /run/secrets/db)`
/// or bash's file read `$(</run/secrets/db)`: the secret is read from
/// elsewhere when the script runs.
fn command_output(t: &str) -> bool {
    t.len() > 4
        && t.starts_with("$(")
        && t.ends_with(')')
        && (t[2..t.len() - 1].contains(' ') || t[2..].starts_with('<'))
}

#[cfg(test)]
mod tests {
    use super::is_template;

    #[test]
    fn a_flag_whose_value_is_a_variable_or_a_command_is_a_template() {
        for t in [
            "-p$MYSQL_PASSWORD",
            "-p${DB_PASS}",
            "--password=$PGPASSWORD",
            "-p$(cat /run/secrets/db)",
            "-p$(</run/secrets/MYSQL_ROOT_PASSWORD)",
            "$(cat ~/.db_password)",
            "-P$(SqlPassword)",
        ] {
            assert!(is_template(t), "{t}");
        }
        for t in [
            "-pS3cr3tValue9",
            "-p$3cr3t!x",
            "$(x)",
            "--password=hunter2Q",
        ] {
            assert!(!is_template(t), "{t}");
        }
    }

    #[test]
    fn templates_are_known_by_shape() {
        for t in [
            "${DB_PASSWORD}",
            "{{ vault_pw }}",
            "$(SqlPassword)",
            "#{Token}#",
            "%PASSWORD%",
            "$PASSWORD",
            "<your-api-key>",
            "%(password)s",
            "__DB_PASSWORD__",
            "@db.password@",
            "pre-${HOST}-post",
            "{{$randomUUID}}",
            "{{$guid}}",
            "{{$dotenv PDS_API_KEY}}",
            "{{$processEnv %TOKEN_NAME}}",
            "{{$random.uuid}}",
            "{{$auth.token(\"cis2\")}}",
            "Bearer {{$aadToken}}",
        ] {
            assert!(is_template(t), "{t}");
        }
    }

    #[test]
    fn random_keys_that_contain_template_characters_are_not_templates() {
        for k in [
            "k9$(2x!Qz#{7Lm",
            "django-insecure-a$(b)c%(d)e!9q",
            "Tr0ub4dor&3x%",
            "k9{{$}}2xQz7Lm",
            "k9{{$7}}2xQz7Lm",
        ] {
            assert!(!is_template(k), "{k}");
        }
    }
}
