//! Command-line options as clap, structopt and argh declare them, and envconfig's fields: name, env variable, default.

use super::Location;
use super::lex::{Src, expr_end, find_word, ident_at, is_ident_byte, matching, strings_in};
use super::port::Const;

/// What declares an option.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Declared {
    /// A command-line parser (clap, structopt, argh, bpaf).
    #[default]
    Cli,
    /// A field of a `#[derive(Envconfig)]` struct: read from its variable only.
    Envconfig,
}

/// One declared option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliArg {
    /// The field name (derive) or the argument id (builder).
    pub name: String,
    pub declared: Declared,
    /// The variable clap reads it from (`env = "X"`, or `env` alone: the field in capitals).
    pub env: Option<String>,
    /// The default as written: a string literal's contents or an expression.
    pub default: Option<String>,
    pub at: Location,
}

impl CliArg {
    /// The long flag clap derives from the field: `--http-port` for `http_port`.
    pub fn flag(&self) -> String {
        format!("--{}", self.name.replace('_', "-"))
    }

    /// How the summary names it: "clap option `--http-port`", "envconfig field `port`".
    pub fn describe(&self) -> String {
        match self.declared {
            Declared::Cli => format!("clap option `{}`", self.flag()),
            Declared::Envconfig => format!("envconfig field `{}`", self.name),
        }
    }
}

/// Follows names in options: `env = SOME_CONST`, `default_value_t = DEFAULT_PORT` and
/// `default_value_t = default_addr()` (a function returning a literal or a constant).
pub fn resolve(args: &mut [CliArg], consts: &[Const], srcs: &[Src]) {
    let constant = |name: &str| -> Option<String> {
        let c = consts.iter().find(|c| c.name == name.trim())?;
        let v = c.value.trim();
        Some(
            v.strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v)
                .to_string(),
        )
    };
    for a in args.iter_mut() {
        if let Some(env) = &a.env
            && !env.is_empty()
            && env.bytes().all(is_ident_byte)
            && let Some(v) = constant(env).filter(|_| consts.iter().any(|c| &c.name == env))
        {
            a.env = Some(v);
        }
        let Some(default) = a.default.clone() else {
            continue;
        };
        let default = default.trim();
        if let Some(v) = constant(default) {
            a.default = Some(v);
        } else if let Some(name) = default.strip_suffix("()")
            && name.bytes().all(|b| is_ident_byte(b) || b == b':')
        {
            let name = name.rsplit("::").next().unwrap_or(name);
            if let Some(v) = function_value(srcs, name, &constant) {
                a.default = Some(v);
            }
        }
    }
}

/// The literal (or constant) a small function returns: `fn default_port() -> u16 { 8080 }`.
pub(super) fn function_value(
    srcs: &[Src],
    name: &str,
    constant: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    for src in srcs {
        for at in find_word(&src.masked, name) {
            if !src.masked[..at].trim_end().ends_with("fn") {
                continue;
            }
            let open = src.masked[at..].find('{')? + at;
            let close = matching(&src.masked, open)?;
            if let Some((_, s)) = strings_in(&src.code, &src.masked, open, close)
                .into_iter()
                .next()
            {
                return Some(s);
            }
            let body = src.masked[open + 1..close].trim();
            let word: String = body
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if word.bytes().all(|b| b.is_ascii_digit()) && !word.is_empty() {
                return Some(word);
            }
            if let Some(v) = constant(&word) {
                return Some(v);
            }
        }
    }
    None
}

const ATTRS: &[&str] = &[
    "#[arg(",
    "#[clap(",
    "#[structopt(",
    "#[argh(",
    "#[bpaf(",
    ENVCONFIG,
];

/// envconfig's field attribute: `#[envconfig(from = "PORT", default = "8080")]`.
const ENVCONFIG: &str = "#[envconfig(";

/// Every option declared in the sources, derive and builder style.
pub fn cli_args(srcs: &[Src]) -> Vec<CliArg> {
    let mut out = Vec::new();
    for src in srcs {
        derived(src, &mut out);
        built(src, &mut out);
    }
    out
}

/// `#[arg(...)]` (and `#[envconfig(...)]`) attributes, merged per field.
fn derived(src: &Src, out: &mut Vec<CliArg>) {
    let m = &src.masked;
    // (field offset, field name, the attributes' inner ranges, whether envconfig's)
    type Field = (usize, String, Vec<(usize, usize, bool)>);
    let mut fields: Vec<Field> = Vec::new();
    for attr in ATTRS {
        for (at, _) in m.match_indices(attr) {
            let open = at + attr.len() - 1;
            let (Some(close), Some(attr_end)) = (matching(m, open), matching(m, at + 1)) else {
                continue;
            };
            let Some((field_at, name)) = field_after(m, attr_end + 1) else {
                continue;
            };
            let range = (open + 1, close, *attr == ENVCONFIG);
            match fields.iter_mut().find(|f| f.0 == field_at) {
                Some(f) => f.2.push(range),
                None => fields.push((field_at, name, vec![range])),
            }
        }
    }
    'fields: for (field_at, name, ranges) in fields {
        let mut env = None;
        let mut default = None;
        let mut declared = Declared::Cli;
        for (start, end, envconfig) in ranges {
            let code = &src.code[start..end];
            let masked = &m[start..end];
            if envconfig {
                // A nested struct's fields are read under their own attributes.
                if key_value(code, masked, "nested").is_some() {
                    continue 'fields;
                }
                declared = Declared::Envconfig;
                let from = key_value(code, masked, "from").flatten();
                env = Some(from.unwrap_or_else(|| name.to_ascii_uppercase()));
                if let Some(Some(v)) = key_value(code, masked, "default") {
                    default = Some(v);
                }
                continue;
            }
            if let Some(e) = key_value(code, masked, "env") {
                env = Some(e.unwrap_or_else(|| name.to_ascii_uppercase()));
            }
            for key in ["default_value", "default_value_t", "default"] {
                if let Some(Some(v)) = key_value(code, masked, key) {
                    default = Some(v);
                }
            }
        }
        out.push(CliArg {
            name,
            declared,
            env,
            default,
            at: Location {
                file: src.path.clone(),
                line: src.line(field_at),
            },
        });
    }
}

/// The field an attribute belongs to: skips further attributes and `pub`, then `name:`.
fn field_after(m: &str, mut i: usize) -> Option<(usize, String)> {
    loop {
        let rest = &m[i..];
        i += rest.len() - rest.trim_start().len();
        if m[i..].starts_with("#[") {
            i = matching(m, i + 1)? + 1;
        } else if m[i..].starts_with("pub") {
            i += 3;
            if m[i..].trim_start().starts_with('(') {
                let open = i + m[i..].find('(')?;
                i = matching(m, open)? + 1;
            }
        } else {
            let name = ident_at(m, i)?;
            let after = i + name.len();
            return m[after..]
                .trim_start()
                .starts_with(':')
                .then(|| (i, name.to_string()));
        }
    }
}

/// `key = value` or bare `key` inside an attribute: `Some(Some(value))`, `Some(None)` when
/// bare, `None` when absent.
fn key_value(code: &str, masked: &str, key: &str) -> Option<Option<String>> {
    for at in find_word(masked, key) {
        let rest = masked[at + key.len()..].trim_start();
        let after = masked.len() - rest.len();
        if rest.starts_with('=') && !rest.starts_with("==") {
            let value_start = after + 1;
            let end = expr_end(masked, value_start);
            let value = code[value_start..end].trim();
            return Some(Some(string_literal(value).unwrap_or(value).to_string()));
        }
        if rest.is_empty() || rest.starts_with(',') {
            return Some(None);
        }
    }
    None
}

/// The string an expression spells: `"x"`, `String::from("x")`, `"x".to_string()`,
/// `"x".to_owned()`, `"x".into()`.
fn string_literal(expr: &str) -> Option<&str> {
    let e = expr.trim();
    let e = e
        .strip_prefix("String::from(")
        .and_then(|e| e.strip_suffix(')'))
        .or_else(|| {
            [".to_string()", ".to_owned()", ".into()"]
                .iter()
                .find_map(|s| e.strip_suffix(s))
        })
        .map_or(e, str::trim);
    e.strip_prefix('"')?.strip_suffix('"')
}

/// `Arg::new("port").long("port").env("X").default_value("N")` chains.
fn built(src: &Src, out: &mut Vec<CliArg>) {
    let m = &src.masked;
    for needle in ["Arg::new(", "Arg::with_name("] {
        for (at, _) in m.match_indices(needle) {
            if at > 0 && is_ident_byte(m.as_bytes()[at - 1]) {
                continue;
            }
            let end = expr_end(m, at);
            let Some((_, name)) = strings_in(&src.code, m, at, end).into_iter().next() else {
                continue;
            };
            let call = |method: &str| -> Option<String> {
                let p = m[at..end].find(method)? + at + method.len();
                strings_in(&src.code, m, p, end)
                    .into_iter()
                    .next()
                    .map(|(_, s)| s)
            };
            out.push(CliArg {
                declared: Declared::Cli,
                env: call(".env("),
                default: call(".default_value("),
                at: Location {
                    file: src.path.clone(),
                    line: src.line(at),
                },
                name,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::scan_main_rs;

    /// An option as (name, variable, default, line).
    type Opt<'a> = (&'a str, Option<&'a str>, Option<&'a str>, usize);

    fn summary(found: &[CliArg]) -> Vec<Opt<'_>> {
        found
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.env.as_deref(),
                    a.default.as_deref(),
                    a.at.line,
                )
            })
            .collect()
    }

    #[test]
    fn options_with_env_and_defaults() {
        let cases: &[(&str, &str, &[Opt])] = &[
            (
                "derive",
                "#[derive(Parser)]\nstruct Args {\n    /// The port.\n    #[arg(long, default_value = \"8080\", env = \"SERVER_PORT\")]\n    port: u16,\n    #[arg(long, default_value = \"127.0.0.1\", env = \"SERVER_HOST\")]\n    pub host: String,\n    #[arg(long, default_value = \"localhost\")]\n    redirect_host: String,\n    #[clap(long, env)]\n    #[clap(default_value_t = DEFAULT_WORKERS)]\n    workers: usize,\n}\n",
                &[
                    ("port", Some("SERVER_PORT"), Some("8080"), 5),
                    ("host", Some("SERVER_HOST"), Some("127.0.0.1"), 7),
                    ("redirect_host", None, Some("localhost"), 9),
                    ("workers", Some("WORKERS"), Some("DEFAULT_WORKERS"), 12),
                ],
            ),
            (
                "builder",
                "let m = Command::new(\"srv\")\n    .arg(Arg::new(\"port\").long(\"port\").env(\"APP_PORT\").default_value(\"9000\"))\n    .arg(Arg::new(\"verbose\").short('v'))\n    .get_matches();",
                &[
                    ("port", Some("APP_PORT"), Some("9000"), 2),
                    ("verbose", None, None, 3),
                ],
            ),
        ];
        for (case, code, expected) in cases {
            let found = scan_main_rs(cli_args, code);
            assert_eq!(summary(&found), *expected, "{case}");
        }
    }

    #[test]
    fn string_defaults_spelled_as_expressions() {
        let found = scan_main_rs(
            cli_args,
            "struct Args {\n    #[arg(long, env, default_value_t = String::from(\"localhost\"))]\n    host: String,\n    #[arg(long, default_value_t = \"127.0.0.1\".to_string())]\n    a: String,\n    #[arg(long, default_value_t = \"::1\".to_owned())]\n    b: String,\n    #[arg(long, default_value_t = \"0.0.0.0\".into())]\n    c: String,\n    #[arg(long, default_value_t = String::from(NAME))]\n    d: String,\n}\n",
        );
        let defaults: Vec<Option<&str>> = found.iter().map(|a| a.default.as_deref()).collect();
        assert_eq!(
            defaults,
            [
                Some("localhost"),
                Some("127.0.0.1"),
                Some("::1"),
                Some("0.0.0.0"),
                Some("String::from(NAME)")
            ]
        );
    }

    #[test]
    fn envconfig_fields() {
        let found = scan_main_rs(
            cli_args,
            "#[derive(Envconfig)]\nstruct Config {\n    #[envconfig(from = \"PORT\", default = \"443\")]\n    port: u16,\n    #[envconfig(from = \"API_TOKEN\")]\n    token: String,\n    #[envconfig(default = \"info\")]\n    log_level: String,\n    #[envconfig(nested = true)]\n    db: DbConfig,\n}\n",
        );
        assert_eq!(
            summary(&found),
            [
                ("port", Some("PORT"), Some("443"), 4),
                ("token", Some("API_TOKEN"), None, 6),
                ("log_level", Some("LOG_LEVEL"), Some("info"), 8),
            ]
        );
        assert!(found.iter().all(|a| a.declared == Declared::Envconfig));
        assert_eq!(found[0].describe(), "envconfig field `port`");
    }

    #[test]
    fn names_in_options_are_followed() {
        let srcs = [Src::new(
            "src/option.rs",
            "const HTTP_ADDR_VAR: &str = \"SEARCH_HTTP_ADDR\";\nconst DEFAULT_HTTP_ADDR: &str = \"localhost:7700\";\npub struct Opt {\n    #[clap(long, env = HTTP_ADDR_VAR, default_value_t = default_http_addr())]\n    pub http_addr: String,\n    #[clap(long, default_value_t = DEFAULT_WORKERS)]\n    pub workers: usize,\n}\nconst DEFAULT_WORKERS: usize = 4;\npub fn default_http_addr() -> String {\n    DEFAULT_HTTP_ADDR.to_string()\n}\n",
        )];
        let mut found = cli_args(&srcs);
        resolve(&mut found, &super::super::port::consts(&srcs), &srcs);
        assert_eq!(found[0].env.as_deref(), Some("SEARCH_HTTP_ADDR"));
        assert_eq!(found[0].default.as_deref(), Some("localhost:7700"));
        assert_eq!(found[1].default.as_deref(), Some("4"));
    }
}
