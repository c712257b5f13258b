//! Database URLs: which backend a URL names, and how to print it without its password.
//!
//! Accepted forms: `sqlite://<absolute path>`, a plain filesystem path ending in `.sqlite` or `.db`,
//! and `postgres://…` / `postgresql://…` (handed to libpq as they are). Anything else is refused
//! with the list of accepted forms, so a typo never silently creates a new database file.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::StoreError;

/// The accepted forms, as printed in errors.
pub const ACCEPTED_FORMS: &str =
    "sqlite://<path>, a path ending in .sqlite or .db, postgres://user@host/db or postgresql://user@host/db";

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend's name: `sqlite` or `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The Cargo feature of `skillnet-store` that compiles this backend in.
    pub fn feature(self) -> &'static str {
        self.as_str()
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed database URL. `Display` and `Debug` redact any password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string, as given.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses `url`, refusing anything that is not one of the [`ACCEPTED_FORMS`].
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(StoreError::InvalidUrl(
                    "`sqlite://` needs a file path after it, e.g. sqlite:///home/me/calibration.sqlite"
                        .into(),
                ));
            }
            // `sqlite://tmp/x.db` (one slash short) or `sqlite://user:pw@/x.db` would otherwise
            // create directories under the current one.
            if !path.starts_with('/') {
                return Err(StoreError::InvalidUrl(
                    "`sqlite://` takes an absolute path, e.g. sqlite:///home/me/calibration.sqlite; \
                     write a relative path without the scheme, e.g. data/calibration.sqlite"
                        .into(),
                ));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        let path = Path::new(url);
        let is_db_file = matches!(path.extension().and_then(|e| e.to_str()), Some("sqlite" | "db"));
        if is_db_file && !url.contains("://") {
            return Ok(DatabaseUrl::Sqlite(path.to_path_buf()));
        }
        Err(StoreError::InvalidUrl(format!(
            "unsupported database URL `{}`; accepted forms: {ACCEPTED_FORMS}",
            redact(url)
        )))
    }

    /// Builds the URL of an SQLite file.
    pub fn sqlite(path: impl Into<PathBuf>) -> Self {
        DatabaseUrl::Sqlite(path.into())
    }

    /// The backend this URL names.
    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) if path.is_absolute() => format!("sqlite://{}", path.display()),
            DatabaseUrl::Sqlite(path) => path.display().to_string(),
            DatabaseUrl::Postgres(url) => redact(url),
        }
    }

    /// The URL to hand to the driver. Contains the password: never print it.
    pub fn expose(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => path.display().to_string(),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Replaces every password in a connection string with `***`: the one in
/// `scheme://user:password@host/...` (whatever characters it holds, escaped or not: the user
/// information ends at the last `@`), every `password=` query parameter, and the `password`
/// of a keyword/value string (`host=h password=secret dbname=d`, quoted or not). Text that is
/// not a connection string comes back as it is.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return redact_keywords(url);
    };
    let rest = scheme_end + 3;
    let mut out = url.to_owned();
    if let Some(at) = url[rest..].rfind('@') {
        let userinfo = &url[rest..rest + at];
        if let Some(colon) = userinfo.find(':') {
            out = format!("{}{}:***{}", &url[..rest], &userinfo[..colon], &url[rest + at..]);
        }
    }
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let query = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&");
        out = format!("{head}{query}");
    }
    out
}

/// The `password` values of a keyword/value connection string, with their byte ranges.
fn keyword_passwords(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("password") {
        let key_end = from + i + "password".len();
        from = key_end;
        let after = text[key_end..].trim_start();
        let Some(value) = after.strip_prefix('=') else { continue };
        let value = value.trim_start();
        let start = text.len() - value.len();
        let end = if let Some(quoted) = value.strip_prefix('\'') {
            let mut end = quoted.len();
            let mut escaped = false;
            for (i, c) in quoted.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '\'' if !escaped => {
                        end = i + 1;
                        break;
                    }
                    _ => escaped = false,
                }
            }
            start + 1 + end
        } else {
            start + value.find(char::is_whitespace).unwrap_or(value.len())
        };
        found.push((start, end));
        from = end.max(from);
    }
    found
}

fn redact_keywords(text: &str) -> String {
    let mut out = text.to_owned();
    for (start, end) in keyword_passwords(text).into_iter().rev() {
        out.replace_range(start..end, "***");
    }
    out
}

/// Every password `url` holds, as written and percent-decoded, for scrubbing driver messages.
fn secrets(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(scheme_end) = url.find("://") {
        let rest = scheme_end + 3;
        if let Some(at) = url[rest..].rfind('@') {
            if let Some((_, password)) = url[rest..rest + at].split_once(':') {
                found.push(password.to_owned());
            }
        }
        if let Some((_, query)) = url.split_once('?') {
            for pair in query.split('&') {
                if let Some((key, value)) = pair.split_once('=') {
                    if key.eq_ignore_ascii_case("password") {
                        found.push(value.to_owned());
                    }
                }
            }
        }
    } else {
        found
            .extend(keyword_passwords(url).into_iter().map(|(s, e)| url[s..e].trim_matches('\'').to_owned()));
    }
    let decoded: Vec<String> = found.iter().map(|s| percent_decode(s)).collect();
    found.extend(decoded);
    found.retain(|s| !s.is_empty());
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    found.dedup();
    found
}

/// `%XX` escapes decoded; invalid ones left as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `text` with every password of `url` replaced by `***`.
pub(crate) fn scrub(text: &str, url: &DatabaseUrl) -> String {
    let DatabaseUrl::Postgres(raw) = url else { return text.to_owned() };
    secrets(raw).iter().fold(text.to_owned(), |text, secret| text.replace(secret.as_str(), "***"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms_pick_their_backend() {
        let cases = [
            ("sqlite:///var/lib/x.sqlite", DatabaseUrl::Sqlite("/var/lib/x.sqlite".into())),
            ("sqlite:///var/lib/x.anything", DatabaseUrl::Sqlite("/var/lib/x.anything".into())),
            ("/tmp/calibration.sqlite", DatabaseUrl::Sqlite("/tmp/calibration.sqlite".into())),
            ("data.db", DatabaseUrl::Sqlite("data.db".into())),
            ("postgres://u@h/db", DatabaseUrl::Postgres("postgres://u@h/db".into())),
            (
                "postgresql:///db?host=/run/postgresql",
                DatabaseUrl::Postgres("postgresql:///db?host=/run/postgresql".into()),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(DatabaseUrl::parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn anything_else_is_refused_with_the_accepted_forms() {
        for bad in ["mysql://u:secret@h/db", "calibration.txt", "", "sqlite://", "http://x.db"] {
            let err = DatabaseUrl::parse(bad).unwrap_err().to_string();
            assert!(err.contains("accepted forms") || err.contains("needs a file path"), "{bad}: {err}");
            assert!(!err.contains("secret"), "{err}");
        }
    }

    #[test]
    fn passwords_are_redacted() {
        let cases = [
            ("postgres://user:s3cret@host:5432/db", "postgres://user:***@host:5432/db"),
            ("postgresql://user@host/db", "postgresql://user@host/db"),
            (
                "postgres://host/db?user=u&password=s3cret&sslmode=require",
                "postgres://host/db?user=u&password=***&sslmode=require",
            ),
            ("postgres://u:p%40ss@h/db", "postgres://u:***@h/db"),
        ];
        for (url, expected) in cases {
            assert_eq!(redact(url), expected);
            let parsed = DatabaseUrl::parse(url).unwrap();
            assert_eq!(parsed.to_string(), expected);
            assert!(!format!("{parsed:?}").contains("s3cret"));
        }
    }
}

#[cfg(test)]
mod defect_4 {
    use super::*;

    /// Every form libpq accepts, and forms it refuses, lose their password when printed.
    #[test]
    fn defect_4_passwords_are_redacted_in_every_form() {
        let cases = [
            ("host=h password=hunter2 dbname=d", "hunter2"),
            ("host=h password='hunter 2' dbname=d", "hunter 2"),
            ("postgres://u:pw%zz@h/db", "pw%zz"),
            ("postgres://u:pa/ss@h/db", "pa/ss"),
            ("postgres://u:pa?ss@h/db", "pa?ss"),
            ("postgres://u:p@ss@h/db", "p@ss"),
            ("postgresql://u:s3cret@h/db?password=other", "other"),
        ];
        for (url, password) in cases {
            assert!(!redact(url).contains(password), "{url} -> {}", redact(url));
            if let Err(e) = DatabaseUrl::parse(url) {
                assert!(!e.to_string().contains(password), "{e}");
            }
        }
        // A driver's message that quotes the password is scrubbed too.
        let url = DatabaseUrl::parse("postgres://u:pw%zz@h/db").unwrap();
        let e = StoreError::unavailable(&url, "invalid percent-encoded token: \"pw%zz\"");
        assert!(!e.to_string().contains("pw%zz"), "{e}");
    }

    #[test]
    fn defect_11_sqlite_urls_with_a_relative_path_or_user_information_are_refused() {
        for bad in ["sqlite://rel/x.sqlite", "sqlite://user:pw@/tmp/x.sqlite", "sqlite://tmp/x.db"] {
            let err = DatabaseUrl::parse(bad).unwrap_err().to_string();
            assert!(err.contains("absolute path"), "{bad}: {err}");
            assert!(!err.contains("pw@"), "{err}");
        }
        assert_eq!(DatabaseUrl::parse("rel/x.sqlite").unwrap(), DatabaseUrl::Sqlite("rel/x.sqlite".into()));
    }
}
