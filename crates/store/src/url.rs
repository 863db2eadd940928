//! Database URLs as they may be shown: in logs, errors and the start-up line, never with a password.

/// The URL with its password (and any `password=` query parameter) replaced by `***`: `postgres://app:***@db/reg`.
/// A plain SQLite path is returned as it is.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The authority ends at the first `/`, `?` or `#`; credentials are what comes before its last `@`.
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// An error text with every occurrence of the URL's password replaced by `***` (a driver may quote the URL).
pub fn redact_in(text: &str, url: &str) -> String {
    let password = url
        .split_once("://")
        .map(|(_, rest)| &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())])
        .and_then(|authority| authority.rsplit_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, p)| p)
        .filter(|p| !p.is_empty());
    match password {
        Some(p) => text.replace(url, &redact_url(url)).replace(p, "***"),
        None => text.replace(url, &redact_url(url)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_a_database_url_is_never_shown() {
        assert_eq!(
            redact_url("postgres://app:s3cr%40t@db.example:5432/reg?sslmode=require"),
            "postgres://app:***@db.example:5432/reg?sslmode=require"
        );
        assert_eq!(
            redact_url("postgresql://db/reg?user=app&password=hunter2"),
            "postgresql://db/reg?user=app&password=***"
        );
        assert_eq!(redact_url("postgres://app@db/reg"), "postgres://app@db/reg");
        assert_eq!(redact_url("register.db"), "register.db");
        assert_eq!(
            redact_in(
                "cannot reach postgres://u:pw@h/d: pw refused",
                "postgres://u:pw@h/d"
            ),
            "cannot reach postgres://u:***@h/d: *** refused"
        );
    }
}
