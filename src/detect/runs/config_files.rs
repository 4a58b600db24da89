//! A `port` (and listen host) key in a configuration file the app reads, and the variable its config crate maps to it.

use std::collections::BTreeSet;

use super::Location;
use super::frameworks::{SettingKind, setting_kind};
use super::lex::{Src, stmt_range, strings_in};
use super::port::Const;

/// A flattened key of a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: Vec<String>,
    pub value: String,
    pub line: usize,
}

/// The app's listen settings as a configuration file sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSetting {
    pub port: Option<u16>,
    pub port_env: Option<String>,
    /// The port key's value holds `host:port`.
    pub port_is_address: bool,
    /// The key, dotted (`application.port`).
    pub port_key: String,
    pub port_at: Location,
    /// A listen-host key beside the port: its value in the layer that wins, where it is,
    /// its variable, and whether any layer sets it to loopback.
    pub host: Option<(String, Location, Option<String>, bool)>,
}

/// Parses a YAML, TOML or JSON file into its scalar keys (lists are skipped).
pub fn entries(file: &str, text: &str) -> Vec<Entry> {
    // `.rs`: defaults set in code, laid out as TOML by `code_defaults`.
    if file.ends_with(".toml") || file.ends_with(".rs") {
        toml_entries(text)
    } else if file.ends_with(".json") {
        json_entries(text)
    } else {
        yaml_entries(text)
    }
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    for q in ['"', '\''] {
        if let Some(rest) = v.strip_prefix(q) {
            return rest.split(q).next().unwrap_or_default().to_string();
        }
    }
    match v.find(" #") {
        Some(p) => v[..p].trim().to_string(),
        None => v.to_string(),
    }
}

fn yaml_entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') || content.starts_with("---") {
            continue;
        }
        let indent = line.len() - content.len();
        while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
            stack.pop();
        }
        if content.starts_with("- ") {
            continue;
        }
        let Some((key, value)) = content.split_once(':') else {
            continue;
        };
        let key = unquote(key);
        let value = unquote(value);
        if value.is_empty() {
            stack.push((indent, key));
        } else {
            let mut path: Vec<String> = stack.iter().map(|(_, k)| k.clone()).collect();
            path.push(key);
            out.push(Entry {
                path,
                value,
                line: i + 1,
            });
        }
    }
    out
}

fn toml_entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut section: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let content = line.trim();
        if content.starts_with("[[") {
            section = vec!["[]".into()];
        } else if let Some(h) = content.strip_prefix('[') {
            let h = h.split(']').next().unwrap_or_default();
            section = h.split('.').map(unquote).collect();
        } else if let Some((key, value)) = content.split_once('=') {
            if content.starts_with('#') || value.trim_start().starts_with(['{', '[']) {
                continue;
            }
            let mut path = section.clone();
            path.extend(key.split('.').map(unquote));
            out.push(Entry {
                path,
                value: unquote(value),
                line: i + 1,
            });
        }
    }
    out
}

fn json_entries(text: &str) -> Vec<Entry> {
    fn walk(v: &serde_json::Value, path: &mut Vec<String>, text: &str, out: &mut Vec<Entry>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    path.push(k.clone());
                    walk(v, path, text, out);
                    path.pop();
                }
            }
            serde_json::Value::Array(_) => {}
            scalar => {
                let key = format!("\"{}\"", path.last().cloned().unwrap_or_default());
                let line = text
                    .lines()
                    .position(|l| l.contains(&key))
                    .map_or(1, |p| p + 1);
                out.push(Entry {
                    path: path.clone(),
                    value: scalar
                        .as_str()
                        .map_or_else(|| scalar.to_string(), str::to_string),
                    line,
                });
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        walk(&v, &mut Vec::new(), text, &mut out);
    }
    out
}

/// How a file's name ranks as a layer: production first, then base, then the rest.
fn layer_rank(file: &str) -> u8 {
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match stem.as_str() {
        "production" | "prod" | "release" => 0,
        "base" | "default" | "defaults" | "config" | "settings" | "application" | "app"
        | "common" | "server" => 1,
        "test" | "testing" | "local" | "dev" | "development" | "example" => 3,
        _ => 2,
    }
}

/// The variable naming the key `path`, as the config crate used in `srcs` maps it.
pub fn env_override(srcs: &[Src], path: &[String]) -> Option<String> {
    for src in srcs {
        let m = &src.masked;
        for needle in [
            "Environment::with_prefix(",
            "Environment::default()",
            "Environment::new()",
        ] {
            if let Some(at) = m.find(needle) {
                let (_, end) = stmt_range(m, at);
                let arg = |method: &str| -> Option<String> {
                    let p = m[at..end].find(method)? + at + method.len();
                    let s = strings_in(&src.code, m, p, end).into_iter().next()?;
                    (m[p..s.0].trim().is_empty()).then_some(s.1)
                };
                let prefix = arg("with_prefix(").or_else(|| arg(".prefix("));
                let separator = arg(".separator(");
                let prefix_separator = arg(".prefix_separator(")
                    .or_else(|| separator.clone())
                    .unwrap_or_else(|| "_".into());
                if path.len() > 1 && separator.is_none() {
                    return None;
                }
                let key = path.join(separator.as_deref().unwrap_or("_"));
                return Some(
                    match prefix {
                        Some(p) => format!("{p}{prefix_separator}{key}"),
                        None => key,
                    }
                    .to_ascii_uppercase(),
                );
            }
        }
        for needle in ["Env::prefixed(", "Env::raw()"] {
            if let Some(at) = m.find(needle) {
                let (_, end) = stmt_range(m, at);
                let strings = strings_in(&src.code, m, at, end);
                let prefix = if needle == "Env::raw()" {
                    String::new()
                } else {
                    strings.first().map(|s| s.1.clone()).unwrap_or_default()
                };
                let split = m[at..end]
                    .find(".split(")
                    .and_then(|p| strings.iter().find(|s| s.0 > at + p).map(|s| s.1.clone()));
                if path.len() > 1 && split.is_none() {
                    return None;
                }
                let key = path.join(split.as_deref().unwrap_or("_"));
                return Some(format!("{prefix}{key}").to_ascii_uppercase());
            }
        }
    }
    None
}

/// Whether the code names the file, its stem or its folder in a string.
fn named_in_code(srcs: &[Src], file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.split('.').next().unwrap_or(name);
    let folder = file.rsplit('/').nth(1).unwrap_or_default();
    let strings: Vec<String> = srcs
        .iter()
        .flat_map(|src| strings_in(&src.code, &src.masked, 0, src.masked.len()))
        .map(|(_, s)| s)
        .collect();
    let folder_named = !folder.is_empty()
        && strings
            .iter()
            .any(|s| s.trim_matches(['.', '/']).ends_with(folder));
    // A file at the root is named by its stem too (`File::with_name("config")`).
    let at_root = !file.contains('/');
    strings.iter().any(|s| {
        s.contains(name)
            || s.ends_with(&format!("/{stem}"))
            || (folder_named || at_root) && s.trim_start_matches("./") == stem
    }) || folder_named && layer_rank(file) < 3
}

/// Crates that read configuration files.
const CONFIG_CRATES: &[&str] = &[
    "config",
    "figment",
    "serde_yaml",
    "serde_yml",
    "toml",
    "serde_json",
    "confy",
    "twelf",
];

/// The configuration files the app reads (not Rocket.toml), production-most first.
pub fn read_by<'a>(
    files: &'a [(String, String)],
    srcs: &[Src],
    crates: &BTreeSet<String>,
) -> Vec<&'a (String, String)> {
    if !CONFIG_CRATES.iter().any(|c| crates.contains(*c)) {
        return Vec::new();
    }
    let mut read: Vec<&(String, String)> = files
        .iter()
        .filter(|(f, _)| !f.ends_with("Rocket.toml") && named_in_code(srcs, f))
        .collect();
    read.sort_by_key(|(f, _)| layer_rank(f));
    read
}

/// The listen settings in the configuration files the app reads (not Rocket.toml).
pub fn detect(
    files: &[(String, String)],
    srcs: &[Src],
    consts: &[Const],
    crates: &BTreeSet<String>,
) -> Option<FileSetting> {
    if !CONFIG_CRATES.iter().any(|c| crates.contains(*c)) {
        return None;
    }
    let mut read: Vec<(String, String)> = files
        .iter()
        .filter(|(f, _)| !f.ends_with("Rocket.toml") && named_in_code(srcs, f))
        .cloned()
        .collect();
    read.sort_by_key(|(f, _)| layer_rank(f));
    // Defaults set in code (config-rs `set_default("port", 8080)`, a settings struct's
    // `#[serde(default = ...)]`) come last.
    read.extend(code_defaults(srcs));
    read.extend(field_defaults(srcs, consts));
    let read: Vec<&(String, String)> = read.iter().collect();
    setting(&read, |path| env_override(srcs, path))
}

/// The defaults of a settings struct's port and address fields, as a TOML layer per file
/// (top-level keys: nested structs' paths are not followed).
fn field_defaults(srcs: &[Src], consts: &[Const]) -> Vec<(String, String)> {
    let mut layers: Vec<(String, Vec<String>)> = Vec::new();
    for f in super::env::settings_fields(srcs, consts) {
        let Some(default) = f.default else {
            continue;
        };
        let pos = match layers.iter().position(|(p, _)| *p == f.at.file) {
            Some(p) => p,
            None => {
                let len = srcs
                    .iter()
                    .find(|s| s.path == f.at.file)
                    .map_or(0, |s| s.line(s.masked.len()));
                layers.push((f.at.file.clone(), vec![String::new(); len]));
                layers.len() - 1
            }
        };
        if let Some(line) = layers[pos].1.get_mut(f.at.line - 1) {
            *line = format!("{} = \"{default}\"", f.name);
        }
    }
    layers
        .into_iter()
        .map(|(p, lines)| (p, lines.join("\n")))
        .collect()
}

/// config-rs `set_default("key", value)` calls, as a TOML layer per file (keys on their lines).
fn code_defaults(srcs: &[Src]) -> Vec<(String, String)> {
    srcs.iter()
        .filter_map(|src| {
            let m = &src.masked;
            let mut lines: Vec<String> = vec![String::new(); src.line(m.len())];
            let mut any = false;
            for (at, _) in m.match_indices(".set_default(") {
                let Some(end) = super::lex::matching(m, at + 12) else {
                    continue;
                };
                let strings = strings_in(&src.code, m, at, end);
                let Some((q, key)) = strings.first() else {
                    continue;
                };
                let rest = src.code[q + key.len() + 2..end]
                    .trim()
                    .trim_start_matches(',')
                    .trim();
                let value = rest.trim_matches('"');
                if value.is_empty() || value.contains('\n') {
                    continue;
                }
                lines[src.line(at) - 1] = format!("{key} = \"{value}\"");
                any = true;
            }
            any.then(|| (src.path.clone(), lines.join("\n")))
        })
        .collect()
}

/// Rocket.toml's port and address for the release profile, mapped to `ROCKET_PORT`/`ROCKET_ADDRESS`.
pub fn rocket(files: &[(String, String)]) -> Option<FileSetting> {
    let (file, text) = files.iter().find(|(f, _)| f.ends_with("Rocket.toml"))?;
    let mut es = entries(file, text);
    let profile_rank = |p: &str| match p {
        "global" => 0,
        "release" => 1,
        "default" => 2,
        _ => 9,
    };
    es.retain(|e| e.path.len() == 2 && profile_rank(&e.path[0]) < 9);
    es.sort_by_key(|e| profile_rank(&e.path[0]));
    let port = es.iter().find(|e| e.path[1] == "port");
    let address = es.iter().find(|e| e.path[1] == "address");
    let at = |line| Location {
        file: file.clone(),
        line,
    };
    Some(FileSetting {
        port: port.and_then(|e| e.value.parse().ok()),
        port_env: Some("ROCKET_PORT".into()),
        port_is_address: false,
        port_key: "port".into(),
        port_at: at(port.map_or(1, |e| e.line)),
        host: address.map(|e| {
            (
                e.value.clone(),
                at(e.line),
                Some("ROCKET_ADDRESS".into()),
                super::address::is_loopback(&e.value),
            )
        }),
    })
}

/// The best port key across layered files (first file wins), and the host beside it.
fn setting(
    files: &[&(String, String)],
    env_for: impl Fn(&[String]) -> Option<String>,
) -> Option<FileSetting> {
    let parsed: Vec<(&str, Vec<Entry>)> = files
        .iter()
        .map(|(f, t)| (f.as_str(), entries(f, t)))
        .collect();
    let clean = |e: &Entry| {
        e.path[..e.path.len() - 1]
            .iter()
            .all(|seg| matches!(setting_kind(seg, false), SettingKind::Other) && !is_client(seg))
    };
    let mut best: Option<(u8, &str, &Entry, bool)> = None;
    for (file, es) in &parsed {
        for e in es {
            let last = e.path.last().map(String::as_str).unwrap_or_default();
            let full = e.path.join("_");
            let rank = match setting_kind(&full, true).max(setting_kind(last, false)) {
                SettingKind::Port(r) if e.value.parse::<u16>().is_ok() => (r, false),
                SettingKind::Address if super::port::port_in(&e.value).is_some() => (2, true),
                _ => continue,
            };
            if clean(e) && best.is_none_or(|b| rank.0 < b.0) {
                best = Some((rank.0, file, e, rank.1));
            }
        }
    }
    let (_, file, entry, is_address) = best?;
    let parent = &entry.path[..entry.path.len() - 1];
    let key = entry.path.last()?.clone();
    // The layer that wins: the first (production-most) file holding the same key.
    let (win_file, win) = parsed
        .iter()
        .find_map(|(f, es)| es.iter().find(|e| e.path == entry.path).map(|e| (*f, e)))
        .unwrap_or((file, entry));
    let host_key = |e: &Entry| {
        e.path.len() == entry.path.len()
            && e.path[..parent.len()] == *parent
            && e.path.last() != Some(&key)
            && setting_kind(e.path.last().map(String::as_str).unwrap_or_default(), false)
                == SettingKind::Address
    };
    let host = parsed
        .iter()
        .find_map(|(f, es)| es.iter().find(|e| host_key(e)).map(|e| (*f, e)))
        .map(|(f, e)| {
            let loopback_anywhere = parsed
                .iter()
                .flat_map(|(_, es)| es)
                .any(|o| o.path == e.path && super::address::is_loopback(&o.value));
            (
                e.value.clone(),
                Location {
                    file: f.to_string(),
                    line: e.line,
                },
                env_for(&e.path),
                loopback_anywhere,
            )
        });
    Some(FileSetting {
        port: super::port::port_in(&win.value),
        port_env: env_for(&entry.path),
        port_is_address: is_address,
        port_key: entry.path.join("."),
        port_at: Location {
            file: win_file.to_string(),
            line: win.line,
        },
        host,
    })
}

fn is_client(seg: &str) -> bool {
    super::frameworks::words(seg)
        .iter()
        .any(|w| super::frameworks::CLIENT_WORDS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// The setting found among the config files `configs` for one source file `path` holding
    /// `code`, with `krate` the one dependency.
    fn setting(
        configs: &[(&str, &str)],
        path: &str,
        code: &str,
        krate: &str,
    ) -> Option<FileSetting> {
        let crates = BTreeSet::from([krate.to_string()]);
        detect(&files(configs), &[Src::new(path, code)], &[], &crates)
    }

    #[test]
    fn parses_the_three_formats() {
        let y = entries(
            "c.yaml",
            "application:\n  port: 8000\n  host: \"127.0.0.1\" # local\ndatabase:\n  port: 5432\n",
        );
        assert_eq!(y[0].path, ["application", "port"]);
        assert_eq!(y[1].value, "127.0.0.1");
        assert_eq!(y[2].line, 5);
        let t = entries(
            "c.toml",
            "[server]\nport = 9000 # http\n[db]\nurl = \"x\"\n",
        );
        assert_eq!(t[0].path, ["server", "port"]);
        assert_eq!(t[0].value, "9000");
        let j = entries("c.json", "{\n  \"http\": {\n    \"port\": 7000\n  }\n}\n");
        assert_eq!(j[0].path, ["http", "port"]);
        assert_eq!(j[0].line, 3);
    }

    #[test]
    fn layered_yaml_with_config_crate_environment() {
        let code = "pub fn get_configuration() -> Result<Settings, config::ConfigError> {\n    let dir = base_path.join(\"configuration\");\n    let settings = config::Config::builder()\n        .add_source(config::File::from(dir.join(\"base.yaml\")))\n        .add_source(\n            config::Environment::with_prefix(\"APP\")\n                .prefix_separator(\"_\")\n                .separator(\"__\"),\n        )\n        .build()?;\n}\n";
        let found = setting(
            crate::detect::runs::tests::LAYERED_YAML,
            "src/configuration.rs",
            code,
            "config",
        )
        .unwrap();
        assert_eq!(found.port, Some(8000));
        assert_eq!(found.port_env.as_deref(), Some("APP_APPLICATION__PORT"));
        assert_eq!(found.port_at.to_string(), "configuration/base.yaml:2");
        let (value, at, env, loopback) = found.host.unwrap();
        assert_eq!(value, "0.0.0.0");
        assert_eq!(at.file, "configuration/production.yaml");
        assert_eq!(env.as_deref(), Some("APP_APPLICATION__HOST"));
        assert!(loopback);
    }

    #[test]
    fn config_crate_separators_and_figment() {
        let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let srcs = |code: &str| vec![Src::new("src/main.rs", code)];
        let only_sep = srcs(
            "let c = Config::builder().add_source(Environment::with_prefix(\"app\").separator(\"__\")).build();",
        );
        assert_eq!(
            env_override(&only_sep, &p(&["server", "port"])).as_deref(),
            Some("APP__SERVER__PORT")
        );
        let flat = srcs(
            "let c = Config::builder().add_source(Environment::with_prefix(\"APP\")).build();",
        );
        assert_eq!(
            env_override(&flat, &p(&["port"])).as_deref(),
            Some("APP_PORT")
        );
        assert_eq!(env_override(&flat, &p(&["server", "port"])), None);
        let fig = srcs(
            "let f = Figment::new().merge(Toml::file(\"App.toml\")).merge(Env::prefixed(\"APP_\").split(\"__\"));",
        );
        assert_eq!(
            env_override(&fig, &p(&["http", "port"])).as_deref(),
            Some("APP_HTTP__PORT")
        );
        assert_eq!(env_override(&srcs("fn main() {}"), &p(&["port"])), None);
    }

    #[test]
    fn files_the_code_never_names_or_without_a_config_crate_are_ignored() {
        let fs = [("config/settings.toml", "port = 9000\n")];
        let code = "fn main() { let s = load(\"config/settings.toml\"); }";
        assert_eq!(
            setting(&fs, "src/main.rs", code, "toml").unwrap().port,
            Some(9000)
        );
        assert!(setting(&fs, "src/main.rs", code, "serde").is_none());
        assert!(setting(&fs, "src/main.rs", "fn main() {}", "toml").is_none());
    }

    #[test]
    fn defaults_set_in_code_with_the_environment() {
        let code = "let config = Config::builder()\n    .set_default(\"host\", \"127.0.0.1\")?\n    .set_default(\"port\", 8888)?\n    .set_default(\"metrics.port\", 9001)?\n    .add_source(Environment::with_prefix(\"notes\").prefix_separator(\"_\").separator(\"__\"))\n    .build()?;\n";
        let found = setting(&[], "src/settings.rs", code, "config").unwrap();
        assert_eq!(found.port, Some(8888));
        assert_eq!(found.port_env.as_deref(), Some("NOTES_PORT"));
        assert_eq!(found.port_at.to_string(), "src/settings.rs:3");
        let (value, _, env, loopback) = found.host.unwrap();
        assert_eq!(
            (value.as_str(), env.as_deref(), loopback),
            ("127.0.0.1", Some("NOTES_HOST"), true)
        );
    }

    #[test]
    fn settings_struct_defaults_with_figment() {
        let code = "#[derive(Clone, Deserialize, Builder)]\npub struct Configuration {\n    #[builder(default = \"3890\")]\n    pub ldap_port: u16,\n    #[builder(default = \"17170\")]\n    pub http_port: u16,\n}\npub fn init() -> Configuration {\n    Figment::from(Serialized::defaults(ConfigurationBuilder::default().build()))\n        .merge(Toml::file(\"config.toml\"))\n        .merge(Env::prefixed(\"DIR_\").split(\"__\"))\n        .extract()\n        .unwrap()\n}\n";
        let found = setting(&[], "server/src/configuration.rs", code, "figment").unwrap();
        assert_eq!(found.port, Some(17170));
        assert_eq!(found.port_env.as_deref(), Some("DIR_HTTP_PORT"));
        assert_eq!(found.port_at.to_string(), "server/src/configuration.rs:6");
    }

    #[test]
    fn the_listen_port_beats_other_ports() {
        let fs = [(
            "config/config.yaml",
            "cluster:\n  p2p:\n    port: 6335\nservice:\n  host: 0.0.0.0\n  http_port: 6333\n  grpc_port: 6334\n",
        )];
        let code = "let c = Config::builder().add_source(File::with_name(\"config/config\")).add_source(Environment::with_prefix(\"VEC\").separator(\"__\")).build();";
        let found = setting(&fs, "src/settings.rs", code, "config").unwrap();
        assert_eq!(found.port, Some(6333));
        assert_eq!(found.port_env.as_deref(), Some("VEC__SERVICE__HTTP_PORT"));
    }

    #[test]
    fn rocket_toml_release_profile() {
        let fs = files(&[(
            "Rocket.toml",
            "[default]\nport = 8000\naddress = \"127.0.0.1\"\n[release]\nport = 9000\n",
        )]);
        let r = rocket(&fs).unwrap();
        assert_eq!(r.port, Some(9000));
        assert_eq!(r.port_at.line, 5);
        assert_eq!(r.port_env.as_deref(), Some("ROCKET_PORT"));
        assert!(r.host.unwrap().3);
    }
}
