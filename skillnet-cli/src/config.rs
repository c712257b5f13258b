//! Which database to use, and why (SPEC §8).
//!
//! The first of these wins: `--database-url`; `SKILLNET_DATABASE_URL` (or its deprecated alias
//! `SKILLNET_DB_URL`); `SKILLNET_DATABASE_URL_FILE`; the config file's `[database]` table, else
//! the system-wide config file's (`$XDG_CONFIG_DIRS/skillnet/skillnet.toml`, which a NixOS host
//! writes for every process of its users); `SKILLNET_DATA_DIR`; the XDG data directory. Unless
//! the user chose a database above it, a system file that exists must be readable: a user it is
//! kept from gets an error, never a private SQLite file in its place. The generic `DATABASE_URL` is never used: it
//! usually belongs to another application, whose database skillnet must not migrate.
//!
//! Resolution is a pure function of the flags, an environment lookup and the two XDG base
//! directories, so it is tested without touching the process environment. The rules are a
//! precedence list rather than a merge of layers, so a layering crate would add weight without
//! removing code; `toml` with `deny_unknown_fields` reads the file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use skillnet_store::DatabaseUrl;

/// Variable holding the database URL.
pub const ENV_URL: &str = "SKILLNET_DATABASE_URL";
/// skillnet 0.6's name for [`ENV_URL`], still read, with a warning.
pub const ENV_URL_DEPRECATED: &str = "SKILLNET_DB_URL";
/// Variable naming a file that holds the database URL.
pub const ENV_URL_FILE: &str = "SKILLNET_DATABASE_URL_FILE";
/// Variable naming the data directory.
pub const ENV_DATA_DIR: &str = "SKILLNET_DATA_DIR";
/// The data directory variable as skillnet 0.6 spelled it (lower-case prefix): a deprecated alias.
pub const ENV_DATA_DIR_DEPRECATED: &str = "skillnet_DATA_DIR";
/// The variable naming the config file.
pub const ENV_CONFIG: &str = "SKILLNET_CONFIG";
/// The variable skillnet deliberately ignores.
pub const ENV_IGNORED: &str = "DATABASE_URL";

/// Where the database lives inside a data directory.
const DB_IN_DATA_DIR: &str = "multi-phase-plan/calibration.sqlite";

/// The configuration could not be resolved.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

impl ConfigError {
    /// A configuration problem described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// The config file's contents.
///
/// skillnet 0.6 kept the settings of its skills manager in the same file; its keys are accepted
/// and ignored (`config show` lists them), so a 0.6 user's file keeps working. Any other key is
/// an error that names it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    database: DatabaseTable,
    global: Option<toml::Value>,
    skills_root: Option<toml::Value>,
    mirror_root: Option<toml::Value>,
    projects: Option<toml::Value>,
    user: Option<toml::Value>,
    data_dir: Option<toml::Value>,
    external_manifests: Option<toml::Value>,
}

impl FileConfig {
    /// The keys of skillnet 0.6's skills manager present in the file.
    fn zero_six_keys(&self) -> Vec<&'static str> {
        [
            ("global", &self.global),
            ("skills_root", &self.skills_root),
            ("mirror_root", &self.mirror_root),
            ("projects", &self.projects),
            ("user", &self.user),
            ("data_dir", &self.data_dir),
            ("external_manifests", &self.external_manifests),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.is_some().then_some(key))
        .collect()
    }
}

/// The `[database]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatabaseTable {
    backend: Option<BackendName>,
    path: Option<PathBuf>,
    url: Option<String>,
    url_file: Option<PathBuf>,
}

impl DatabaseTable {
    /// Whether the table names a database (rather than being absent or empty).
    fn names_a_database(&self) -> bool {
        self.backend.is_some() || self.path.is_some() || self.url.is_some() || self.url_file.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum BackendName {
    Sqlite,
    Postgres,
}

/// Where the database URL came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum UrlSource {
    /// `--database-url`.
    Flag,
    /// An environment variable holding the URL.
    Env {
        /// Its name.
        variable: String,
    },
    /// An environment variable naming a file that holds the URL.
    EnvFile {
        /// Its name.
        variable: String,
        /// The file.
        file: PathBuf,
    },
    /// The config file.
    ConfigFile {
        /// The file.
        file: PathBuf,
        /// The key under `[database]`.
        key: String,
    },
    /// `SKILLNET_DATA_DIR`.
    DataDir {
        /// The directory.
        dir: PathBuf,
    },
    /// The XDG data directory.
    Default {
        /// The directory.
        dir: PathBuf,
    },
}

impl std::fmt::Display for UrlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlSource::Flag => write!(f, "--database-url"),
            UrlSource::Env { variable } => write!(f, "${variable}"),
            UrlSource::EnvFile { variable, file } => write!(f, "${variable} ({})", file.display()),
            UrlSource::ConfigFile { file, key } => write!(f, "{} [database] {key}", file.display()),
            UrlSource::DataDir { dir } => write!(f, "${ENV_DATA_DIR} ({})", dir.display()),
            UrlSource::Default { dir } => write!(f, "default data directory ({})", dir.display()),
        }
    }
}

/// The config file that was (or would be) read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigFileInfo {
    /// Its path.
    pub path: PathBuf,
    /// How it was chosen: `--config`, `$SKILLNET_CONFIG` or `default`.
    pub chosen_by: String,
    /// Whether it exists and was read.
    pub loaded: bool,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The database to use.
    pub url: DatabaseUrl,
    /// Why.
    pub source: UrlSource,
    /// The config file.
    pub config_file: ConfigFileInfo,
    /// The system-wide config file beneath it, when one exists.
    pub system_config_file: Option<ConfigFileInfo>,
    /// Warnings to print on stderr (deprecated names).
    pub warnings: Vec<String>,
    /// Settings present but ignored, with the reason (for `config show` and `doctor`).
    pub ignored: Vec<String>,
}

/// What resolution reads from the outside world.
pub struct Inputs<'a> {
    /// `--database-url`.
    pub flag_url: Option<&'a str>,
    /// `--config`.
    pub flag_config: Option<&'a Path>,
    /// Environment lookup (empty values count as unset).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// `$XDG_DATA_HOME` or its default.
    pub data_home: PathBuf,
    /// `$XDG_CONFIG_HOME` or its default.
    pub config_home: PathBuf,
    /// `$XDG_CONFIG_DIRS` or its default (`/etc/xdg`), most important first.
    pub config_dirs: Vec<PathBuf>,
}

/// The variable listing the system-wide config directories.
pub const ENV_CONFIG_DIRS: &str = "XDG_CONFIG_DIRS";

/// `$XDG_CONFIG_DIRS` as the XDG base directory specification reads it: absolute paths
/// separated by `:`, `/etc/xdg` when unset or empty.
pub fn config_dirs(value: Option<&str>) -> Vec<PathBuf> {
    let dirs: Vec<PathBuf> =
        value.unwrap_or_default().split(':').map(PathBuf::from).filter(|dir| dir.is_absolute()).collect();
    if dirs.is_empty() {
        vec![PathBuf::from("/etc/xdg")]
    } else {
        dirs
    }
}

/// Reads the process environment and the XDG base directories.
pub fn resolve_from_process(
    flag_url: Option<&str>,
    flag_config: Option<&Path>,
) -> Result<Resolved, ConfigError> {
    use etcetera::BaseStrategy;
    let xdg = etcetera::choose_base_strategy()
        .map_err(|e| ConfigError(format!("cannot find the home directory: {e}")))?;
    let env = |name: &str| std::env::var(name).ok();
    resolve(&Inputs {
        flag_url,
        flag_config,
        env: &env,
        data_home: xdg.data_dir(),
        config_home: xdg.config_dir(),
        config_dirs: config_dirs(std::env::var(ENV_CONFIG_DIRS).ok().as_deref()),
    })
}

/// Resolves the database from `inputs`.
pub fn resolve(inputs: &Inputs<'_>) -> Result<Resolved, ConfigError> {
    let env = |name: &str| (inputs.env)(name).filter(|v| !v.is_empty());
    let parse = |text: &str, from: &UrlSource| {
        DatabaseUrl::parse(text)
            .map_err(|e| ConfigError(format!("the database URL from {from} is invalid: {e}")))
    };
    let mut warnings = Vec::new();
    let mut config_file = choose_config_file(inputs, &env);
    // A URL given on the command line or in the environment decides before the file: then a
    // default config file that does not parse is worth a warning, not a refusal.
    let explicit_url = inputs.flag_url.is_some()
        || [ENV_URL, ENV_URL_DEPRECATED, ENV_URL_FILE].iter().any(|v| env(v).is_some());
    let file = match read_config_file(&config_file, &mut warnings) {
        Err(e) if explicit_url && config_file.chosen_by == "default" => {
            warnings.push(format!("{e}; ignored, since the database URL is given explicitly"));
            None
        }
        other => other?,
    };
    config_file.loaded = file.is_some();
    // The system-wide file: the first of the config directories that has one.
    let mut system_config_file = inputs
        .config_dirs
        .iter()
        .map(|dir| dir.join("skillnet/skillnet.toml"))
        .find(|path| path.exists() && *path != config_file.path)
        .map(|path| ConfigFileInfo { path, chosen_by: format!("${ENV_CONFIG_DIRS}"), loaded: false });
    // The user's own choice decides before it: then the system file is not read (a user who
    // may not read it is not stopped by it, and a hook run pays nothing for it).
    let user_chooses = explicit_url || file.as_ref().is_some_and(|f| f.database.names_a_database());
    let system_file = match &system_config_file {
        Some(info) if !user_chooses => read_config_file(info, &mut warnings)?,
        _ => None,
    };
    if let Some(info) = &mut system_config_file {
        info.loaded = system_file.is_some();
    }

    let mut chosen: Option<(DatabaseUrl, UrlSource)> = None;
    if let Some(url) = inputs.flag_url {
        chosen = Some((parse(url, &UrlSource::Flag)?, UrlSource::Flag));
    }
    if chosen.is_none() {
        for variable in [ENV_URL, ENV_URL_DEPRECATED] {
            if let Some(url) = env(variable) {
                let source = UrlSource::Env { variable: variable.into() };
                if variable == ENV_URL_DEPRECATED {
                    warnings.push(format!("{ENV_URL_DEPRECATED} is deprecated; set {ENV_URL} instead"));
                }
                chosen = Some((parse(&url, &source)?, source));
                break;
            }
        }
    }
    if chosen.is_none() {
        if let Some(file) = env(ENV_URL_FILE) {
            let file = PathBuf::from(file);
            let source = UrlSource::EnvFile { variable: ENV_URL_FILE.into(), file: file.clone() };
            chosen = Some((parse(&read_url_file(&file, &source)?, &source)?, source));
        }
    }
    if chosen.is_none() {
        chosen = from_database_table(&file, &config_file.path, &parse, &env)?;
    }
    if let (None, Some(info)) = (&chosen, &system_config_file) {
        chosen = from_database_table(&system_file, &info.path, &parse, &env)?;
    }
    let mut ignored = Vec::new();
    if let Some(keys) = file.as_ref().map(FileConfig::zero_six_keys).filter(|k| !k.is_empty()) {
        ignored.push(format!(
            "{} in {}: settings of skillnet 0.6's skills manager, which skillnet does not include",
            keys.join(", "),
            config_file.path.display()
        ));
    }
    let (url, source) = match chosen {
        Some(found) => found,
        None => {
            if env(ENV_IGNORED).is_some() {
                ignored.push(format!(
                    "${ENV_IGNORED} is set but ignored: it usually belongs to another application, whose \
                     database skillnet must not migrate; set ${ENV_URL} to use it"
                ));
            }
            let data_dir = env(ENV_DATA_DIR).or_else(|| {
                let old = env(ENV_DATA_DIR_DEPRECATED)?;
                warnings.push(format!("{ENV_DATA_DIR_DEPRECATED} is deprecated; set {ENV_DATA_DIR} instead"));
                Some(old)
            });
            match data_dir {
                Some(dir) => {
                    let dir = PathBuf::from(dir);
                    (DatabaseUrl::sqlite(dir.join(DB_IN_DATA_DIR)), UrlSource::DataDir { dir })
                }
                None => {
                    let dir = inputs.data_home.join("skillnet");
                    (DatabaseUrl::sqlite(dir.join(DB_IN_DATA_DIR)), UrlSource::Default { dir })
                }
            }
        }
    };
    Ok(Resolved { url, source, config_file, system_config_file, warnings, ignored })
}

fn choose_config_file(inputs: &Inputs<'_>, env: &dyn Fn(&str) -> Option<String>) -> ConfigFileInfo {
    let (path, chosen_by) = match (inputs.flag_config, env(ENV_CONFIG)) {
        (Some(path), _) => (path.to_path_buf(), "--config".to_owned()),
        (None, Some(path)) => (PathBuf::from(path), format!("${ENV_CONFIG}")),
        (None, None) => (inputs.config_home.join("skillnet/skillnet.toml"), "default".to_owned()),
    };
    ConfigFileInfo { path, chosen_by, loaded: false }
}

/// Reads the config file; a missing default file is fine, a missing `$SKILLNET_CONFIG` file a
/// warning (as in skillnet 0.6), a missing `--config` file an error.
fn read_config_file(
    info: &ConfigFileInfo,
    warnings: &mut Vec<String>,
) -> Result<Option<FileConfig>, ConfigError> {
    let text = match std::fs::read_to_string(&info.path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && info.chosen_by == "default" => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && info.chosen_by == format!("${ENV_CONFIG}") => {
            warnings.push(format!(
                "the config file {} (chosen by ${ENV_CONFIG}) does not exist; using the defaults",
                info.path.display()
            ));
            return Ok(None);
        }
        Err(e)
            if e.kind() == std::io::ErrorKind::PermissionDenied
                && info.chosen_by == format!("${ENV_CONFIG_DIRS}") =>
        {
            return Err(ConfigError(format!(
                "cannot read the system-wide config file {}, which names this host's skillnet database: {e} \
                 (its group may read it: is this user in that group? a new group membership takes \
                 effect at the next login)",
                info.path.display()
            )))
        }
        Err(e) => {
            return Err(ConfigError(format!(
                "cannot read the config file {} (chosen by {}): {e}",
                info.path.display(),
                info.chosen_by
            )))
        }
    };
    let config: FileConfig = toml::from_str(&text).map_err(|e| {
        let message = e.message();
        let place = e
            .span()
            .map(|span| {
                let line = text[..span.start].matches('\n').count() + 1;
                format!(" (line {line})")
            })
            .unwrap_or_default();
        ConfigError(format!("invalid config file {}{place}: {message}", info.path.display()))
    })?;
    Ok(Some(config))
}

fn from_database_table(
    file: &Option<FileConfig>,
    path: &Path,
    parse: &dyn Fn(&str, &UrlSource) -> Result<DatabaseUrl, ConfigError>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<(DatabaseUrl, UrlSource)>, ConfigError> {
    let Some(FileConfig { database: db, .. }) = file else { return Ok(None) };
    let source = |key: &str| UrlSource::ConfigFile { file: path.to_path_buf(), key: key.into() };
    let bad = |why: &str| ConfigError(format!("invalid config file {}: [database] {why}", path.display()));
    // Paths may start with `~` and name environment variables, as in skillnet 0.6.
    let expand = |key: &str, value: &Path| -> Result<PathBuf, ConfigError> {
        let text = value.to_string_lossy();
        shellexpand::full_with_context(
            &text,
            || env("HOME"),
            |name| env(name).map(Some).ok_or(std::env::VarError::NotPresent),
        )
        .map(|expanded| PathBuf::from(expanded.as_ref()))
        .map_err(|e| bad(&format!("{key}: {e}")))
    };
    if db.url.is_some() && db.url_file.is_some() {
        return Err(bad("sets both `url` and `url_file`; keep one"));
    }
    match db.backend {
        Some(BackendName::Sqlite) if db.url.is_some() || db.url_file.is_some() => {
            return Err(bad("backend = \"sqlite\" takes `path`, not `url` or `url_file`"));
        }
        Some(BackendName::Postgres) if db.path.is_some() => {
            return Err(bad("backend = \"postgres\" takes `url` or `url_file`, not `path`"));
        }
        Some(BackendName::Postgres) if db.url.is_none() && db.url_file.is_none() => {
            return Err(bad("backend = \"postgres\" needs `url` or `url_file`"));
        }
        _ => {}
    }
    let found = if let Some(url) = &db.url {
        let source = source("url");
        Some((parse(url, &source)?, source))
    } else if let Some(file) = &db.url_file {
        let source = source("url_file");
        let file = expand("url_file", file)?;
        Some((parse(&read_url_file(&file, &source)?, &source)?, source))
    } else if let Some(path) = &db.path {
        Some((DatabaseUrl::sqlite(expand("path", path)?), source("path")))
    } else {
        None
    };
    if let (Some(BackendName::Postgres), Some((url, _))) = (db.backend, &found) {
        if url.backend() != skillnet_store::Backend::Postgres {
            return Err(bad("backend = \"postgres\" but the URL is not a postgres:// URL"));
        }
    }
    Ok(found)
}

fn read_url_file(file: &Path, source: &UrlSource) -> Result<String, ConfigError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| ConfigError(format!("cannot read the database URL file from {source}: {e}")))?;
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    match lines[..] {
        [url] => Ok(url.to_owned()),
        [] => Err(ConfigError(format!("the database URL file from {source} is empty"))),
        _ => Err(ConfigError(format!(
            "the database URL file from {source} holds {} lines; it must hold one URL",
            lines.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct World {
        env: HashMap<&'static str, String>,
        dir: tempfile::TempDir,
        flag_url: Option<String>,
        flag_config: Option<PathBuf>,
    }

    impl World {
        fn new() -> Self {
            Self { env: HashMap::new(), dir: tempfile::tempdir().unwrap(), flag_url: None, flag_config: None }
        }
        fn set(mut self, k: &'static str, v: impl Into<String>) -> Self {
            self.env.insert(k, v.into());
            self
        }
        fn file(&self, name: &str, text: &str) -> PathBuf {
            let path = self.dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }
        fn config(&self, text: &str) -> PathBuf {
            self.file("config/skillnet/skillnet.toml", text)
        }
        fn resolve(&self) -> Result<Resolved, ConfigError> {
            let env = |k: &str| self.env.get(k).cloned();
            resolve(&Inputs {
                flag_url: self.flag_url.as_deref(),
                flag_config: self.flag_config.as_deref(),
                env: &env,
                data_home: self.dir.path().join("data"),
                config_home: self.dir.path().join("config"),
                config_dirs: vec![self.dir.path().join("etc-xdg"), self.dir.path().join("etc-xdg-2")],
            })
        }
    }

    #[test]
    fn nothing_configured_means_sqlite_in_the_xdg_data_dir() {
        let w = World::new();
        let r = w.resolve().unwrap();
        let dir = w.dir.path().join("data/skillnet");
        assert_eq!(r.url, DatabaseUrl::sqlite(dir.join("multi-phase-plan/calibration.sqlite")));
        assert_eq!(r.source, UrlSource::Default { dir });
        assert!(!r.config_file.loaded && r.warnings.is_empty() && r.ignored.is_empty());
    }

    #[test]
    fn each_level_beats_the_ones_below_it() {
        let mut w =
            World::new().set(ENV_DATA_DIR, "/d").set(ENV_URL_FILE, "").set(ENV_URL, "postgres://env@h/db");
        let url_file = w.file("secret", "postgres://file:pw@h/db\n\n");
        w.config("[database]\npath = \"/c/x.sqlite\"\n");
        w.flag_url = Some("sqlite:///flag.sqlite".into());
        assert_eq!(w.resolve().unwrap().source, UrlSource::Flag);
        w.flag_url = None;
        assert_eq!(w.resolve().unwrap().url, DatabaseUrl::parse("postgres://env@h/db").unwrap());
        w.env.remove(ENV_URL);
        w.env.insert(ENV_URL_FILE, url_file.display().to_string());
        let r = w.resolve().unwrap();
        assert_eq!(r.url.expose(), "postgres://file:pw@h/db", "trailing whitespace trimmed");
        w.env.remove(ENV_URL_FILE);
        assert_eq!(w.resolve().unwrap().url, DatabaseUrl::sqlite("/c/x.sqlite"));
        std::fs::remove_file(w.dir.path().join("config/skillnet/skillnet.toml")).unwrap();
        assert_eq!(w.resolve().unwrap().url, DatabaseUrl::sqlite("/d/multi-phase-plan/calibration.sqlite"));
    }

    #[test]
    fn the_system_file_is_beneath_the_user_s_and_above_the_defaults() {
        let mut w = World::new().set(ENV_DATA_DIR, "/d");
        let system = w.file(
            "etc-xdg-2/skillnet/skillnet.toml",
            "[database]\nurl = \"postgres://skillnet@/skillnet?host=/run/postgresql\"\n",
        );
        let r = w.resolve().unwrap();
        assert_eq!(r.url, DatabaseUrl::parse("postgres://skillnet@/skillnet?host=/run/postgresql").unwrap());
        assert_eq!(r.source, UrlSource::ConfigFile { file: system.clone(), key: "url".into() });
        let info = r.system_config_file.unwrap();
        assert_eq!((info.path, info.loaded), (system.clone(), true));
        // The first directory of $XDG_CONFIG_DIRS that has one wins.
        let first = w.file("etc-xdg/skillnet/skillnet.toml", "[database]\npath = \"/first.sqlite\"\n");
        assert_eq!(
            w.resolve().unwrap().source,
            UrlSource::ConfigFile { file: first.clone(), key: "path".into() }
        );
        // The user's own file wins when it names a database, and only then.
        w.config("[global]\n");
        assert_eq!(w.resolve().unwrap().url, DatabaseUrl::sqlite("/first.sqlite"));
        w.config("[database]\npath = \"/mine.sqlite\"\n");
        assert_eq!(w.resolve().unwrap().url, DatabaseUrl::sqlite("/mine.sqlite"));
        // The environment still wins over both.
        w = w.set(ENV_URL, "postgres://env@h/db");
        assert_eq!(w.resolve().unwrap().source, UrlSource::Env { variable: ENV_URL.into() });
    }

    #[test]
    fn a_system_file_that_cannot_be_read_is_an_error_not_a_private_sqlite_file() {
        let w = World::new();
        // A directory where the file should be: it exists, and reading it fails.
        std::fs::create_dir_all(w.dir.path().join("etc-xdg/skillnet/skillnet.toml")).unwrap();
        let err = w.resolve().unwrap_err().to_string();
        assert!(err.contains("etc-xdg/skillnet/skillnet.toml"), "{err}");
        // A user who chose a database, in the environment or in their own file, is not stopped.
        w.config("[database]\npath = \"/mine.sqlite\"\n");
        let r = w.resolve().unwrap();
        assert_eq!(r.url, DatabaseUrl::sqlite("/mine.sqlite"));
        assert!(!r.system_config_file.unwrap().loaded);
        let r = w.set(ENV_URL, "postgres://env@h/db").resolve().unwrap();
        assert_eq!(r.source, UrlSource::Env { variable: ENV_URL.into() });
    }

    #[test]
    fn xdg_config_dirs_is_read_as_the_specification_says() {
        let etc = || vec![PathBuf::from("/etc/xdg")];
        assert_eq!(config_dirs(None), etc());
        assert_eq!(config_dirs(Some("")), etc());
        assert_eq!(config_dirs(Some("relative:also/relative")), etc());
        assert_eq!(config_dirs(Some("/a::/b")), vec![PathBuf::from("/a"), PathBuf::from("/b")]);
    }

    #[test]
    fn the_deprecated_name_works_with_a_warning() {
        let r = World::new().set(ENV_URL_DEPRECATED, "postgres://old@h/db").resolve().unwrap();
        assert_eq!(r.source, UrlSource::Env { variable: ENV_URL_DEPRECATED.into() });
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn database_url_is_never_used_and_is_reported() {
        let r = World::new().set(ENV_IGNORED, "postgres://other-app@h/db").resolve().unwrap();
        assert!(matches!(r.source, UrlSource::Default { .. }));
        assert!(r.ignored[0].contains("DATABASE_URL is set but ignored"));
    }

    #[test]
    fn config_file_rules() {
        let w = World::new();
        let cases = [
            ("[database]\nurl = \"postgres://u@h/d\"\nurl_file = \"/x\"\n", "both `url` and `url_file`"),
            ("[database]\nbackend = \"sqlite\"\nurl = \"postgres://u@h/d\"\n", "takes `path`"),
            ("[database]\nbackend = \"postgres\"\n", "needs `url` or `url_file`"),
            ("[database]\nbackend = \"postgres\"\npath = \"/x.sqlite\"\n", "not `path`"),
            ("[database]\nbackend = \"postgres\"\nurl = \"/x.sqlite\"\n", "not a postgres:// URL"),
            ("[database]\npassword = \"x\"\n", "unknown field `password`"),
            ("[databse]\n", "unknown field `databse`"),
            ("[database]\nbackend = \"mysql\"\n", "unknown variant `mysql`"),
            ("[database\n", "invalid config file"),
            ("[database]\nurl = \"mysql://u:hunter2@h/d\"\n", "accepted forms"),
        ];
        for (text, expected) in cases {
            w.config(text);
            let err = w.resolve().unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        w.config("[database]\nbackend = \"postgres\"\nurl = \"postgres://u@h/d\"\n");
        let r = w.resolve().unwrap();
        assert_eq!(
            r.source,
            UrlSource::ConfigFile {
                file: w.dir.path().join("config/skillnet/skillnet.toml"),
                key: "url".into()
            }
        );
        w.config("");
        assert!(matches!(w.resolve().unwrap().source, UrlSource::Default { .. }));
    }

    #[test]
    fn a_0_6_config_file_works_and_its_skills_manager_keys_are_listed_as_ignored() {
        let w = World::new().set("HOME", "/home/ada").set("DATA", "/srv");
        w.config(
            "skills_root = \"~/skills\"\nmirror_root = \"~/.skillnet\"\n\n[global]\ncanonical_path = \"~/c\"\n\
             [[global.views]]\nlabel = \"claude\"\npath = \"~/.claude/skills\"\n\n\
             [database]\nbackend = \"sqlite\"\npath = \"~/data/calibration.sqlite\"\n\n\
             [[projects]]\nname = \"p\"\npath = \"~/src/p\"\n",
        );
        let r = w.resolve().unwrap();
        assert_eq!(r.url, DatabaseUrl::sqlite("/home/ada/data/calibration.sqlite"));
        assert_eq!(r.ignored.len(), 1, "{:?}", r.ignored);
        assert!(
            r.ignored[0].starts_with("global, skills_root, mirror_root, projects in "),
            "{:?}",
            r.ignored
        );
        assert!(r.ignored[0].contains("skillnet 0.6's skills manager"), "{:?}", r.ignored);
        w.config("[database]\nbackend = \"sqlite\"\npath = \"$DATA/${DATA}.sqlite\"\n");
        assert_eq!(w.resolve().unwrap().url, DatabaseUrl::sqlite("/srv//srv.sqlite"));
        w.config("[database]\npath = \"$NOWHERE/x.sqlite\"\n");
        let err = w.resolve().unwrap_err().to_string();
        assert!(err.contains("[database] path") && err.contains("NOWHERE"), "{err}");
        // Other unknown keys are still errors.
        w.config("[global]\n[scratch]\n");
        assert!(w.resolve().unwrap_err().to_string().contains("unknown field `scratch`"));
    }

    #[test]
    fn an_explicit_config_file_must_exist() {
        let mut w = World::new();
        w.flag_config = Some(w.dir.path().join("missing.toml"));
        assert!(w.resolve().unwrap_err().to_string().contains("cannot read the config file"));
    }

    #[test]
    fn a_missing_skillnet_config_file_is_a_warning_as_in_0_6() {
        let w = World::new().set(ENV_CONFIG, "/nonexistent/skillnet.toml");
        let r = w.resolve().unwrap();
        assert!(matches!(r.source, UrlSource::Default { .. }));
        assert!(
            r.warnings[0].contains("/nonexistent/skillnet.toml (chosen by $SKILLNET_CONFIG) does not exist")
        );
    }

    #[test]
    fn the_0_6_data_dir_variable_is_a_deprecated_alias() {
        let w = World::new().set(ENV_DATA_DIR_DEPRECATED, "/srv/skillnet");
        let r = w.resolve().unwrap();
        assert_eq!(r.source, UrlSource::DataDir { dir: "/srv/skillnet".into() });
        assert!(r.warnings[0].contains("skillnet_DATA_DIR is deprecated"));
        let w = World::new().set(ENV_DATA_DIR_DEPRECATED, "/old").set(ENV_DATA_DIR, "/new");
        assert_eq!(w.resolve().unwrap().source, UrlSource::DataDir { dir: "/new".into() });
    }

    #[test]
    fn an_unreadable_url_file_is_an_error() {
        let w = World::new().set(ENV_URL_FILE, "/nonexistent/url");
        let err = w.resolve().unwrap_err().to_string();
        assert!(err.contains("cannot read the database URL file"), "{err}");
    }

    #[test]
    fn defect_11_a_malformed_default_config_file_does_not_block_an_explicit_url() {
        let mut w = World::new();
        w.config("[database\n");
        w.flag_url = Some("postgres://u@h/d".into());
        let r = w.resolve().unwrap();
        assert_eq!(r.source, UrlSource::Flag);
        assert!(r.warnings.iter().any(|m| m.contains("invalid config file")), "{:?}", r.warnings);
        let w = World::new().set(ENV_URL, "postgres://u@h/d");
        w.config("[database\n");
        assert!(w.resolve().is_ok());
        // Without an explicit URL the file decides, so it still must parse.
        let w = World::new();
        w.config("[database\n");
        assert!(w.resolve().is_err());
    }

    #[test]
    fn defect_11_a_url_file_of_two_lines_is_refused() {
        let w = World::new();
        let file = w.file("url", "postgres://u@h/d\npostgres://u@h/other\n");
        let w = w.set(ENV_URL_FILE, file.display().to_string());
        let err = w.resolve().unwrap_err().to_string();
        assert!(err.contains("holds 2 lines"), "{err}");
        let w = World::new();
        let file = w.file("url", "postgres://u@h/d\n\n");
        let w = w.set(ENV_URL_FILE, file.display().to_string());
        assert!(w.resolve().is_ok(), "a trailing blank line is fine");
    }
}
