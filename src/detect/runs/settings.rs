//! Settings a binary needs at start: variables it unwraps without a fallback, required options with `env` (and envconfig fields), service URLs under its own names, `[env]` of `.cargo/config.toml`.

use toml_edit::{DocumentMut, Item};

use super::Location;
use super::args::{CliArg, Declared};
use super::env::EnvRead;
use super::lex::{Src, expr_end, find_word, ident_at, line_start, matching, quoted_at, stmt_range};
use crate::detect::ServiceKind;
use crate::workspace::CargoConfigFile;

/// The backing service whose URL a variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceUrl {
    /// A named service (`PG_DSN`, `APP_REDIS_URI`).
    Of(ServiceKind),
    /// "the database" (`DATABASE_URL`, `SERVICE_DB_URL`): whichever database the app uses.
    Database,
}

/// Which part of a service's URL a variable holds: the whole URL, or one piece of it as a
/// configuration file splits it (`database.host` read as `APP_DATABASE__HOST`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UrlPart {
    #[default]
    Url,
    Host,
    Port,
    User,
    Password,
    /// The database's name.
    Database,
}

/// A variable the app reads that the containers must set for it to start and work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub var: String,
    /// Where the code reads it.
    pub at: Location,
    /// Read without a fallback and unwrapped, or a required option: the app stops without it.
    pub required: bool,
    /// Its name says it is a key, secret, token, password or salt.
    pub secret: bool,
    /// It holds a backing service's URL: its name says so, or its default is one.
    pub service: Option<ServiceUrl>,
    /// Which part of that URL (the whole URL for a variable the code reads).
    pub part: UrlPart,
    /// Its value in the `[env]` table of the root `.cargo/config.toml`, which `cargo run`
    /// sets and a container does not (a relative path made absolute under `/app`).
    pub cargo_env: Option<String>,
}

/// Where the workspace root is in the containers (`WORKDIR`).
const APP_DIR: &str = "/app";

/// The settings of one binary's code, in the order the code reads them, each variable once.
pub fn settings(
    srcs: &[Src],
    reads: &[EnvRead],
    args: &[CliArg],
    cargo_configs: &[CargoConfigFile],
) -> Vec<Setting> {
    let cargo_env = cargo_env(cargo_configs);
    let mut out: Vec<Setting> = Vec::new();
    let mut add =
        |var: &str, at: &Location, required: bool, numeric: bool, default: Option<&str>| {
            if let Some(s) = out.iter_mut().find(|s| s.var == var) {
                s.required |= required;
                return;
            }
            let cargo = cargo_env
                .iter()
                .find(|(k, _)| k == var)
                .map(|(_, v)| v.clone());
            let service = service_url(var).or_else(|| default.and_then(url_service));
            if !required && service.is_none() && cargo.is_none() {
                return;
            }
            out.push(Setting {
                var: var.to_string(),
                at: at.clone(),
                required,
                secret: !numeric && service.is_none() && is_secret(var),
                service,
                part: UrlPart::Url,
                cargo_env: cargo,
            });
        };
    for read in reads {
        let (required, numeric) = read_use(srcs, read);
        if is_env_name(&read.var) {
            // A fallback that panics (`unwrap_or_else(|_| panic!(..))`, perhaps only in
            // release builds) stops the app like an unwrap: required.
            let panics = fallback_panics(srcs, read);
            add(
                &read.var,
                &read.at,
                (required && read.fallback.is_none()) || panics,
                numeric,
                read.fallback.as_deref(),
            );
        }
    }
    for arg in args {
        let Some(var) = arg.env.as_deref().filter(|v| is_env_name(v)) else {
            continue;
        };
        let ty = field_type(srcs, arg).unwrap_or_default();
        // envconfig requires every field but an `Option` without a default.
        let optional_types: &[&str] = match arg.declared {
            Declared::Cli => &["Option", "bool", "Vec"],
            Declared::Envconfig => &["Option"],
        };
        let optional = optional_types.iter().any(|t| !find_word(&ty, t).is_empty());
        // Builder options (no field type found) are taken as optional.
        let required = arg.default.is_none() && !ty.is_empty() && !optional;
        let numeric = NUMBERS.iter().any(|t| !find_word(&ty, t).is_empty());
        add(var, &arg.at, required, numeric, arg.default.as_deref());
    }
    out.sort_by(|a, b| (&a.at.file, a.at.line).cmp(&(&b.at.file, b.at.line)));
    out
}

/// A backing service's settings in the configuration files the app reads, named by the
/// variable its config crate maps to each key (`database.host` -> `APP_DATABASE__HOST`,
/// `redis_uri` -> `APP_REDIS_URI`): the file's values point at a laptop's services.
pub fn file_settings(files: &[&(String, String)], srcs: &[Src]) -> Vec<Setting> {
    let mut out: Vec<Setting> = Vec::new();
    for (file, text) in files {
        for entry in super::config_files::entries(file, text) {
            let Some((service, part)) = service_key(&entry.path) else {
                continue;
            };
            let Some(var) = super::config_files::env_override(srcs, &entry.path) else {
                continue;
            };
            if !is_env_name(&var) || out.iter().any(|s| s.var == var) {
                continue;
            }
            out.push(Setting {
                var,
                at: Location {
                    file: file.clone(),
                    line: entry.line,
                },
                required: false,
                secret: part == UrlPart::Password,
                service: Some(service),
                part,
                cargo_env: None,
            });
        }
    }
    out
}

/// The service and URL part a configuration key names: a service (or database) word in
/// its path and a URL, host, port, user, password or database-name key.
fn service_key(path: &[String]) -> Option<(ServiceUrl, UrlPart)> {
    let (last, parents) = path.split_last()?;
    let last = last.to_ascii_lowercase();
    let words: Vec<String> = path
        .iter()
        .flat_map(|seg| {
            seg.to_ascii_lowercase()
                .split(['_', '-'])
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let service = SERVICE_WORDS
        .iter()
        .find(|(w, _)| words.iter().any(|x| x == w))
        .map(|(_, k)| ServiceUrl::Of(*k))
        .or_else(|| {
            words
                .iter()
                .any(|w| w == "database" || w == "db")
                .then_some(ServiceUrl::Database)
        })?;
    let last_words: Vec<&str> = last.split(['_', '-']).collect();
    let part = if last_words.iter().any(|w| URL_WORDS.contains(w)) {
        UrlPart::Url
    } else {
        match last.as_str() {
            "host" | "hostname" => UrlPart::Host,
            "port" => UrlPart::Port,
            "user" | "username" => UrlPart::User,
            "password" | "pass" | "pwd" => UrlPart::Password,
            "database_name" | "db_name" | "dbname" | "name" | "database" | "db"
                if !parents.is_empty() && service != ServiceUrl::Of(ServiceKind::Redis) =>
            {
                UrlPart::Database
            }
            _ => return None,
        }
    };
    // A key of its own (`host`) means the service only under a service's section.
    if part != UrlPart::Url && parents.is_empty() {
        return None;
    }
    Some((service, part))
}

/// Types of a number: a setting parsed as one is not a secret.
const NUMBERS: &[&str] = &[
    "u8", "u16", "u32", "u64", "usize", "i32", "i64", "f32", "f64", "Duration",
];

/// Variables the system, the image or the profiles already set: never the app's to fill.
const SYSTEM_VARS: &[&str] = &[
    "HOME",
    "PATH",
    "USER",
    "LOGNAME",
    "PWD",
    "SHELL",
    "TERM",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "TZ",
    "HOSTNAME",
    "RUST_LOG",
    "RUST_BACKTRACE",
];

/// A name a variable can have (a helper's argument may be any string), and not one the
/// system or cargo sets (`HOME`, `CARGO_PKG_VERSION`).
fn is_env_name(var: &str) -> bool {
    crate::escape::is_env_key(var) && !SYSTEM_VARS.contains(&var) && !var.starts_with("CARGO_")
}

/// Whether the read's result is unwrapped (`expect`, `unwrap`, `?`, `.context`) before any
/// fallback, and whether it is parsed as a number.
fn read_use(srcs: &[Src], read: &EnvRead) -> (bool, bool) {
    let Some((src, q)) = quoted_at(srcs, &read.at, &read.var) else {
        return (false, false);
    };
    let m = &src.masked;
    let Some(open) = m[..q].rfind('(') else {
        return (false, false);
    };
    let Some(close) = matching(m, open) else {
        return (false, false);
    };
    // Parsed as a number: by the helper (`get_env_parse`), the chain, or a typed `let`.
    let (start, _) = stmt_range(m, q);
    let chain = &m[close..expr_end(m, close)];
    let before = &m[start..open];
    let numeric = before.to_ascii_lowercase().contains("parse")
        || chain.contains("parse")
        || NUMBERS.iter().any(|t| !find_word(before, t).is_empty());
    let option = m[..open].ends_with("var_os");
    (unwrapped(m, close + 1, option), numeric)
}

/// Whether the read's fallback is a closure that panics or exits (`unwrap_or_else(|e| {
/// if cfg!(debug_assertions) { DEV } else { panic!(..) } })`): the production image stops.
fn fallback_panics(srcs: &[Src], read: &EnvRead) -> bool {
    let Some((src, q)) = quoted_at(srcs, &read.at, &read.var) else {
        return false;
    };
    let m = &src.masked;
    let (_, end) = stmt_range(m, q);
    let stmt = &m[q..end];
    ["unwrap_or_else(", "or_else(", "map_or_else("]
        .iter()
        .filter_map(|call| stmt.find(call).map(|p| q + p + call.len() - 1))
        .filter_map(|open| Some((open, matching(m, open)?)))
        .any(|(open, close)| {
            let body = &m[open..close];
            ["panic!", "process::exit(", "unreachable!"]
                .iter()
                .any(|w| body.contains(w))
        })
}

/// Walks the method chain after a call: an unwrap before a fallback means required. A `?`
/// on an `Option` (`var_os("X")?`, `.ok()?`) returns `None` from a function that may return
/// it: optional. `option` says whether the call itself returns an `Option`.
fn unwrapped(m: &str, mut i: usize, mut option: bool) -> bool {
    const UNWRAP: &[&str] = &[
        "unwrap",
        "expect",
        "context",
        "with_context",
        "wrap_err",
        "wrap_err_with",
        "unwrap_or_exit",
    ];
    const FALLBACK: &[&str] = &[
        "unwrap_or",
        "unwrap_or_else",
        "unwrap_or_default",
        "is_ok",
        "is_err",
        "is_some",
        "is_none",
        "map_or",
        "map_or_else",
        "or",
        "or_else",
        "ok_or_default",
    ];
    let b = m.as_bytes();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i) {
            Some(b'?') => return !option,
            Some(b'.') => {
                let Some(word) = ident_at(m, i + 1) else {
                    return false;
                };
                if UNWRAP.contains(&word) {
                    return true;
                }
                if FALLBACK.contains(&word) {
                    return false;
                }
                match word {
                    "ok" => option = true,
                    "ok_or" | "ok_or_else" => option = false,
                    _ => {}
                }
                i = m[i + 1..]
                    .find(word)
                    .map_or(b.len(), |p| i + 1 + p + word.len());
                if m[i..].starts_with("::<") {
                    i = m[i..].find('>').map_or(b.len(), |p| i + p + 1);
                }
                if b.get(i) == Some(&b'(') {
                    i = matching(m, i).map_or(b.len(), |c| c + 1);
                }
            }
            _ => return false,
        }
    }
}

/// The declared type of a derive option's field (`String`, `Option<u16>`), if it has one.
fn field_type(srcs: &[Src], arg: &CliArg) -> Option<String> {
    let src = srcs.iter().find(|s| s.path == arg.at.file)?;
    let start = line_start(&src.masked, arg.at.line);
    let name_at = find_word(&src.masked[start..], &arg.name).first()? + start;
    let after = name_at + arg.name.len();
    let rest = &src.masked[after..];
    let colon = after + rest.len() - rest.trim_start().len();
    if src.masked.as_bytes().get(colon) != Some(&b':') {
        return None;
    }
    let end = type_end(&src.masked, colon + 1);
    Some(src.masked[colon + 1..end].trim().to_string())
}

/// The end of a field's type: a `,` or `}` outside angle brackets.
fn type_end(m: &str, from: usize) -> usize {
    let b = m.as_bytes();
    let mut depth = 0i32;
    for (i, c) in b.iter().enumerate().skip(from) {
        match c {
            b'<' | b'(' | b'[' => depth += 1,
            b'>' | b')' | b']' => depth -= 1,
            b',' | b'}' | b';' if depth <= 0 => return i,
            _ => {}
        }
    }
    expr_end(m, from)
}

/// Words naming a backing service in a variable's name.
const SERVICE_WORDS: &[(&str, ServiceKind)] = &[
    ("postgres", ServiceKind::Postgres),
    ("postgresql", ServiceKind::Postgres),
    ("pg", ServiceKind::Postgres),
    ("psql", ServiceKind::Postgres),
    ("mysql", ServiceKind::Mysql),
    ("mariadb", ServiceKind::Mysql),
    ("sqlite", ServiceKind::Sqlite),
    ("redis", ServiceKind::Redis),
    ("valkey", ServiceKind::Redis),
    ("amqp", ServiceKind::Rabbitmq),
    ("rabbit", ServiceKind::Rabbitmq),
    ("rabbitmq", ServiceKind::Rabbitmq),
    ("kafka", ServiceKind::Kafka),
    ("nats", ServiceKind::Nats),
    ("mongo", ServiceKind::Mongodb),
    ("mongodb", ServiceKind::Mongodb),
];

/// Stores the catalog does not run: `CLICKHOUSE_DB_URL` is not the app's main database.
const OTHER_STORES: &[&str] = &[
    "clickhouse",
    "influx",
    "influxdb",
    "elastic",
    "elasticsearch",
    "opensearch",
    "meili",
    "meilisearch",
    "qdrant",
    "surreal",
    "surrealdb",
    "scylla",
    "cassandra",
    "dynamo",
    "dynamodb",
    "neo4j",
    "etcd",
];

/// Words saying a variable holds where a service is.
const URL_WORDS: &[&str] = &["url", "uri", "dsn", "addr", "address", "brokers"];

/// The service whose URL `var` holds, by its name: a service word (or database/db) and a
/// URL word (`SERVICE_DB_URL`, `PG_DSN`, `APP_REDIS_URI`).
pub fn service_url(var: &str) -> Option<ServiceUrl> {
    let lower = var.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').filter(|w| !w.is_empty()).collect();
    if !words.iter().any(|w| URL_WORDS.contains(w)) {
        return None;
    }
    if words.iter().any(|w| OTHER_STORES.contains(w)) {
        return None;
    }
    if let Some((_, kind)) = SERVICE_WORDS.iter().find(|(w, _)| words.contains(w)) {
        return Some(ServiceUrl::Of(*kind));
    }
    words
        .iter()
        .any(|w| matches!(*w, "database" | "db"))
        .then_some(ServiceUrl::Database)
}

/// The service a URL's scheme names (`postgres://...`, `rediss://...`, `sqlite:data.db`).
fn url_service(value: &str) -> Option<ServiceUrl> {
    let value = value.trim().to_ascii_lowercase();
    if value.starts_with("sqlite:") {
        return Some(ServiceUrl::Of(ServiceKind::Sqlite));
    }
    let (scheme, _) = value.split_once("://")?;
    let scheme = scheme.strip_suffix("+srv").unwrap_or(scheme);
    let plain = |s: &str| SERVICE_WORDS.iter().find(|(w, _)| *w == s).map(|(_, k)| *k);
    plain(scheme)
        .or_else(|| scheme.strip_suffix('s').and_then(plain))
        .map(ServiceUrl::Of)
}

/// Words of a secret's name.
const SECRET_WORDS: &[&str] = &["KEY", "SECRET", "TOKEN", "PASSWORD", "PWD", "SALT", "PASS"];
/// Last words of settings about a secret that are not one (`TOKEN_DURATION_SEC`, `KEY_FILE`).
const NOT_SECRET_ENDS: &[&str] = &[
    "SEC", "SECS", "SECONDS", "MS", "MINUTES", "HOURS", "DAYS", "DURATION", "TTL", "EXPIRY",
    "EXPIRES", "LEN", "LENGTH", "SIZE", "FILE", "PATH", "DIR", "URL", "ID", "NAME", "HEADER",
];

/// Whether a variable's name says it holds a secret.
pub fn is_secret(var: &str) -> bool {
    let words: Vec<&str> = var.split('_').filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| SECRET_WORDS.contains(w))
        && !words.last().is_some_and(|w| NOT_SECRET_ENDS.contains(w))
}

/// The `[env]` entries of the root `.cargo/config.toml`: name and the value `cargo run` gives.
fn cargo_env(configs: &[CargoConfigFile]) -> Vec<(String, String)> {
    let Some(doc) = configs
        .iter()
        .find(|c| c.base.is_empty())
        .and_then(|c| c.text.parse::<DocumentMut>().ok())
    else {
        return Vec::new();
    };
    let Some(table) = doc.get("env").and_then(Item::as_table_like) else {
        return Vec::new();
    };
    table
        .iter()
        .filter_map(|(key, item)| {
            let (value, relative) = match item.as_str() {
                Some(v) => (v.to_string(), false),
                None => {
                    let t = item.as_table_like()?;
                    let v = t.get("value")?.as_str()?.to_string();
                    let rel = t.get("relative").and_then(Item::as_bool).unwrap_or(false);
                    (v, rel)
                }
            };
            let value = if relative && !value.starts_with('/') {
                format!("{APP_DIR}/{}", value.trim_start_matches("./"))
            } else {
                value
            };
            Some((key.to_string(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{args, env};
    use super::*;

    fn found(code: &str, cargo: &str) -> Vec<Setting> {
        let srcs = [Src::new("src/main.rs", code)];
        let configs = [CargoConfigFile {
            path: ".cargo/config.toml".into(),
            base: String::new(),
            text: cargo.into(),
        }];
        let mut cli = args::cli_args(&srcs);
        args::resolve(&mut cli, &[], &srcs);
        settings(&srcs, &env::env_reads(&srcs), &cli, &configs)
    }

    fn summary(found: &[Setting]) -> Vec<(&str, usize, bool, bool)> {
        found
            .iter()
            .map(|s| (s.var.as_str(), s.at.line, s.required, s.secret))
            .collect()
    }

    #[test]
    fn a_fallback_that_panics_in_release_is_required() {
        let code = "fn manage() {\n    let secret = env::var(\"SECRET_KEY\").unwrap_or_else(|err| {\n        if cfg!(debug_assertions) {\n            SECRET.to_string()\n        } else {\n            panic!(\"No SECRET_KEY: {:?}\", err)\n        }\n    });\n    let port = env::var(\"PORT\").unwrap_or_else(|_| \"8000\".to_string());\n}\n";
        let required: Vec<String> = found(code, "")
            .into_iter()
            .filter(|s| s.required)
            .map(|s| s.var)
            .collect();
        assert!(required.contains(&"SECRET_KEY".to_string()), "{required:?}");
        assert!(!required.contains(&"PORT".to_string()), "{required:?}");
    }

    #[test]
    fn reads_without_fallback_are_required() {
        // Unwrapped reads; helpers that return results and parse.
        for (code, settings) in [
            (
                "fn main() -> anyhow::Result<()> {\n    let key = if cfg!(debug_assertions) { \"dev\".to_string() } else { std::env::var(\"SECRET_KEY\").expect(\"SECRET_KEY must be set\") };\n    let level = env::var(\"LOG_LEVEL\").unwrap_or_else(|_| \"info\".into());\n    let salt = env::var(\"PWD_SALT\")?;\n    let name = env::var(\"APP_NAME\").context(\"name\")?;\n    let debug = env::var(\"DEBUG\").is_ok();\n    let opt = env::var(\"OPTIONAL\").ok();\n    let home = env::var(\"HOME\").unwrap();\n    Ok(())\n}\n",
                [
                    ("SECRET_KEY", 2, true, true),
                    ("PWD_SALT", 4, true, true),
                    ("APP_NAME", 5, true, false),
                ],
            ),
            (
                "pub fn load() -> Result<Config> {\n    Ok(Config {\n        pwd_key: get_env_b64u_as_u8s(\"SERVICE_PWD_KEY\")?,\n        token_key: get_env_b64u_as_u8s(\"SERVICE_TOKEN_KEY\")?,\n        token_duration: get_env_parse(\"SERVICE_TOKEN_DURATION_SEC\")?,\n    })\n}\n",
                [
                    ("SERVICE_PWD_KEY", 3, true, true),
                    ("SERVICE_TOKEN_KEY", 4, true, true),
                    ("SERVICE_TOKEN_DURATION_SEC", 5, true, false),
                ],
            ),
        ] {
            assert_eq!(summary(&found(code, "")), settings, "{code}");
        }
    }

    /// (variable, required, the service whose URL it holds) of each setting found.
    fn service_urls(code: &str) -> Vec<(String, bool, Option<ServiceUrl>)> {
        let found = found(code, "");
        assert!(found.iter().all(|s| !s.secret), "{found:?}");
        (found.iter())
            .map(|s| (s.var.clone(), s.required, s.service))
            .collect()
    }

    #[test]
    fn service_urls_by_the_apps_own_names_or_by_their_defaults() {
        let postgres = Some(ServiceUrl::Of(ServiceKind::Postgres));
        let redis = Some(ServiceUrl::Of(ServiceKind::Redis));
        let cases = [
            (
                "let db = std::env::var(\"SERVICE_DB_URL\").expect(\"db\");\nlet dsn = env::var(\"PG_DSN\").unwrap_or_else(|_| \"postgres://localhost/app\".into());\nlet cache = env::var(\"APP_REDIS_URI\").unwrap_or(\"redis://127.0.0.1\".into());\nlet other = env::var(\"UPSTREAM_URL\").unwrap_or(\"http://x\".into());\n",
                vec![
                    ("SERVICE_DB_URL", true, Some(ServiceUrl::Database)),
                    ("PG_DSN", false, postgres),
                    ("APP_REDIS_URI", false, redis),
                ],
            ),
            // A default with a service's scheme, whatever the name.
            (
                "#[derive(Parser)]\nstruct Args {\n    #[arg(long, env, default_value_t = String::from(\"postgres://admin:password@localhost:5432/app\"))]\n    database_host: String,\n    #[arg(long, env, default_value = \"http://localhost:9000\")]\n    upstream: String,\n}\nlet cache = env::var(\"CACHE\").unwrap_or(\"rediss://127.0.0.1\".into());\n",
                vec![("DATABASE_HOST", false, postgres), ("CACHE", false, redis)],
            ),
        ];
        for (code, want) in cases {
            let want: Vec<(String, bool, Option<ServiceUrl>)> = (want.into_iter())
                .map(|(v, r, s)| (v.to_string(), r, s))
                .collect();
            assert_eq!(service_urls(code), want, "{code}");
        }
        assert_eq!(
            url_service("mongodb+srv://h/db"),
            Some(ServiceUrl::Of(ServiceKind::Mongodb))
        );
        assert_eq!(
            url_service("sqlite:data.db"),
            Some(ServiceUrl::Of(ServiceKind::Sqlite))
        );
        assert_eq!(url_service("localhost:5432"), None);
        assert_eq!(url_service("redis:6379"), None);
    }

    #[test]
    fn clap_options_with_env_and_no_default() {
        let found = found(
            "#[derive(Parser)]\nstruct Args {\n    #[clap(long, env)]\n    hmac_key: String,\n    #[clap(long, env)]\n    database_url: String,\n    #[clap(long, env, default_value = \"8080\")]\n    port: u16,\n    #[clap(long, env = \"APP_TRACE\")]\n    trace: bool,\n    #[arg(long, env = \"APP_TIMEOUT\")]\n    timeout: Option<u64>,\n    #[arg(long, env = \"WORKERS\")]\n    workers: usize,\n}\n",
            "",
        );
        assert_eq!(
            summary(&found),
            [
                ("HMAC_KEY", 4, true, true),
                ("DATABASE_URL", 6, true, false),
                ("WORKERS", 14, true, false),
            ]
        );
        assert_eq!(found[1].service, Some(ServiceUrl::Database));
    }

    #[test]
    fn envconfig_fields_without_default_are_required() {
        let found = found(
            "#[derive(Envconfig)]\nstruct Config {\n    #[envconfig(from = \"PORT\", default = \"443\")]\n    port: u16,\n    #[envconfig(from = \"API_TOKEN\")]\n    token: String,\n    #[envconfig(from = \"CHAT_ID\")]\n    chat_id: Option<i64>,\n    #[envconfig(from = \"DRY_RUN\")]\n    dry_run: bool,\n}\n",
            "",
        );
        assert_eq!(
            summary(&found),
            [("API_TOKEN", 6, true, true), ("DRY_RUN", 10, true, false)]
        );
    }

    #[test]
    fn a_question_mark_on_an_option_is_optional() {
        let found = found(
            "fn wsl() -> Option<String> {\n    let v = std::env::var_os(\"OPTIONAL_THING\")?;\n    let w = env::var(\"OTHER_THING\").ok()?;\n    let n = env::var(\"COUNT\").ok().and_then(|v| v.parse::<u32>().ok())?;\n    v.into_string().ok()\n}\nfn load() -> anyhow::Result<()> {\n    let a = std::env::var_os(\"NEEDED_OS\").context(\"NEEDED_OS\")?;\n    let b = env::var(\"NEEDED\").ok().ok_or_else(|| anyhow!(\"NEEDED\"))?;\n    let c = env::var(\"NEEDED_TOO\")?;\n    Ok(())\n}\n",
            "",
        );
        let required: Vec<&str> = found
            .iter()
            .filter(|s| s.required)
            .map(|s| s.var.as_str())
            .collect();
        assert_eq!(required, ["NEEDED_OS", "NEEDED", "NEEDED_TOO"]);
    }

    #[test]
    fn cargo_config_env_entries_the_code_reads() {
        let found = found(
            "let web = env::var(\"SERVICE_WEB_FOLDER\").unwrap_or(\"web\".into());\nlet data = env::var(\"DATA_DIR\").unwrap();\n",
            "[env]\nSERVICE_WEB_FOLDER = \"web-folder/\"\nDATA_DIR = { value = \"data\", relative = true }\nUNREAD = \"x\"\n",
        );
        let values: Vec<(&str, Option<&str>, bool)> = found
            .iter()
            .map(|s| (s.var.as_str(), s.cargo_env.as_deref(), s.required))
            .collect();
        assert_eq!(
            values,
            [
                ("SERVICE_WEB_FOLDER", Some("web-folder/"), false),
                ("DATA_DIR", Some("/app/data"), true),
            ]
        );
    }

    #[test]
    fn config_crate_keys_of_a_database_and_redis() {
        let srcs = [Src::new(
            "src/configuration.rs",
            "let settings = config::Config::builder()\n    .add_source(config::File::from(dir.join(\"base.yaml\")))\n    .add_source(config::Environment::with_prefix(\"APP\").prefix_separator(\"_\").separator(\"__\"))\n    .build()?;\n",
        )];
        let file = (
            "configuration/base.yaml".to_string(),
            "application:\n  port: 8000\n  host: 0.0.0.0\ndatabase:\n  host: \"127.0.0.1\"\n  port: 5432\n  username: \"postgres\"\n  password: \"password\"\n  database_name: \"newsletter\"\n  require_ssl: false\nredis_uri: \"redis://127.0.0.1:6379\"\n".to_string(),
        );
        let found = file_settings(&[&file], &srcs);
        let summary: Vec<(&str, UrlPart, usize, bool)> = found
            .iter()
            .map(|s| (s.var.as_str(), s.part, s.at.line, s.secret))
            .collect();
        assert_eq!(
            summary,
            [
                ("APP_DATABASE__HOST", UrlPart::Host, 5, false),
                ("APP_DATABASE__PORT", UrlPart::Port, 6, false),
                ("APP_DATABASE__USERNAME", UrlPart::User, 7, false),
                ("APP_DATABASE__PASSWORD", UrlPart::Password, 8, true),
                ("APP_DATABASE__DATABASE_NAME", UrlPart::Database, 9, false),
                ("APP_REDIS_URI", UrlPart::Url, 11, false),
            ]
        );
        assert_eq!(found[0].service, Some(ServiceUrl::Database));
        assert_eq!(found[5].service, Some(ServiceUrl::Of(ServiceKind::Redis)));
    }

    #[test]
    fn secret_names() {
        assert!(is_secret("API_KEY"));
        assert!(is_secret("JWT_SECRET"));
        assert!(is_secret("SERVICE_PWD_KEY"));
        assert!(!is_secret("MONKEY"));
        assert!(!is_secret("API_KEY_FILE"));
        assert!(!is_secret("TOKEN_DURATION_SEC"));
        assert_eq!(service_url("REDIS_HOST"), None);
        assert_eq!(service_url("CLICKHOUSE_DB_URL"), None);
        assert_eq!(
            service_url("DATABASE_URL"),
            Some(ServiceUrl::Database),
            "a generic database"
        );
    }
}
