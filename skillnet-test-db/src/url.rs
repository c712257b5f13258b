//! PostgreSQL URLs as the tests handle them: the database part replaced or read, the password
//! hidden for messages, a socket directory encoded as a query value.

/// `url` with its database part replaced by `database` (which must need no percent-encoding).
pub(crate) fn with_database(url: &str, database: &str) -> Result<String, String> {
    let (scheme, authority, _, rest) = split_url(url)?;
    Ok(format!("{scheme}{authority}/{database}{rest}"))
}

/// The database part of `url`, if it names one.
pub(crate) fn database_of(url: &str) -> Option<&str> {
    let (_, _, path, _) = split_url(url).ok()?;
    Some(path.trim_start_matches('/')).filter(|db| !db.is_empty())
}

/// `(scheme "postgres[ql]://", authority, "/path" or "", "?query#fragment" or "")`.
fn split_url(url: &str) -> Result<(&str, &str, &str, &str), String> {
    let rest =
        url.strip_prefix("postgresql://").or_else(|| url.strip_prefix("postgres://")).ok_or_else(|| {
            // Not `redact(url)`: that parses with this function.
            let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
            format!("expected a postgres:// or postgresql:// URL, got scheme `{scheme}`")
        })?;
    let scheme = &url[..url.len() - rest.len()];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(authority_end);
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let (path, rest) = rest.split_at(path_end);
    Ok((scheme, authority, path, rest))
}

/// `url` with the password of its user info replaced by `***`, for messages.
pub(crate) fn redact(url: &str) -> String {
    let Ok((scheme, authority, path, rest)) = split_url(url) else {
        return url.to_owned();
    };
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{scheme}{user}:***@{host}{path}{rest}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Percent-encodes everything but unreserved characters and `/`, for a URL query value.
pub(crate) fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_their_database_replaced() {
        let cases = [
            ("postgres://u:p@db.example:5433/app", "t1", "postgres://u:p@db.example:5433/t1"),
            ("postgres://u@localhost", "t1", "postgres://u@localhost/t1"),
            ("postgresql://u@/postgres?host=/tmp/x&port=1", "t1", "postgresql://u@/t1?host=/tmp/x&port=1"),
            ("postgresql://u@?host=/tmp/x", "t1", "postgresql://u@/t1?host=/tmp/x"),
            ("postgres://[::1]:5432/app?sslmode=disable", "t1", "postgres://[::1]:5432/t1?sslmode=disable"),
        ];
        for (url, database, expected) in cases {
            assert_eq!(with_database(url, database).as_deref(), Ok(expected), "{url}");
        }
        assert!(with_database("mysql://u@h/app", "t1").is_err());
        assert_eq!(database_of("postgres://u@h/app?x=1"), Some("app"));
        assert_eq!(database_of("postgres://u@h/"), None);
        assert_eq!(database_of("postgres://u@h"), None);
    }

    #[test]
    fn messages_never_show_a_password() {
        let cases = [
            ("postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db"),
            ("postgres://u@h/db", "postgres://u@h/db"),
            ("postgresql://u:p%40ss@h/db?x=1", "postgresql://u:***@h/db?x=1"),
        ];
        for (url, expected) in cases {
            assert_eq!(redact(url), expected);
        }
    }

    #[test]
    fn socket_paths_are_percent_encoded_for_the_url() {
        assert_eq!(percent_encode("/tmp/skillnet-pg-a.B_c"), "/tmp/skillnet-pg-a.B_c");
        assert_eq!(percent_encode("/tmp/a b&c=d"), "/tmp/a%20b%26c%3Dd");
    }
}
