//! The port a server listens on and the variable that sets it, from the most to the least trusted source.

use super::args::CliArg;
use super::config_files::FileSetting;
use super::env::EnvRead;
use super::frameworks::{LISTEN_CALLS, SettingKind, setting_kind, words};
use super::lex::{
    Src, find_word, ident_at, is_ident_byte, line_start, matching, stmt_range, strings_in,
};
use super::role::Hit;
use super::{Evidence, Location, PortFinding, PortSource};

/// A `const`/`static` item: its name, value as written and where.
#[derive(Debug, Clone)]
pub struct Const {
    pub name: String,
    pub value: String,
    pub is_u16: bool,
    pub at: Location,
}

/// Every `const NAME: T = value;` and `static` in the sources.
pub fn consts(srcs: &[Src]) -> Vec<Const> {
    let mut out = Vec::new();
    for src in srcs {
        let m = &src.masked;
        for kw in ["const", "static"] {
            for at in find_word(m, kw) {
                let Some(name) = ident_at(m, at + kw.len()) else {
                    continue;
                };
                if name == "fn" || name == "mut" {
                    continue;
                }
                let (_, end) = stmt_range(m, at);
                let stmt = &m[at..end];
                let Some(eq) = stmt.find('=') else {
                    continue;
                };
                out.push(Const {
                    name: name.to_string(),
                    value: src.code[at + eq + 1..end].trim().to_string(),
                    is_u16: stmt[..eq].contains("u16"),
                    at: Location {
                        file: src.path.clone(),
                        line: src.line(at),
                    },
                });
            }
        }
    }
    out
}

/// The port in a value: `8080`, `"8080"`, `0.0.0.0:8080`, `[::]:50051`, `http://0.0.0.0:80`.
pub fn port_in(value: &str) -> Option<u16> {
    let v = value.trim().trim_matches('"');
    let digits = match v.rsplit_once(':') {
        Some((_, p)) => p.trim_end_matches('/'),
        None => v,
    };
    digits.parse::<u16>().ok().filter(|p| *p > 0)
}

/// A value as a port, following a constant's name.
fn value_port(value: &str, consts: &[Const]) -> Option<(u16, Option<Location>)> {
    if let Some(p) = port_in(value) {
        return Some((p, None));
    }
    let c = consts.iter().find(|c| c.name == value.trim())?;
    port_in(&c.value).map(|p| (p, Some(c.at.clone())))
}

/// The parts of the search that come before a configuration file.
pub struct Code<'a> {
    pub srcs: &'a [Src],
    pub args: &'a [CliArg],
    pub reads: &'a [EnvRead],
    pub consts: &'a [Const],
    /// Port- and address-like fields of settings structs, with their defaults.
    pub fields: &'a [super::env::Field],
    pub server: Option<&'a Hit>,
}

/// What the search reads of a binary's sources, read once: its command-line options (their
/// defaults resolved through constants), environment reads, constants and settings fields.
pub struct Scanned {
    pub args: Vec<CliArg>,
    pub reads: Vec<EnvRead>,
    pub consts: Vec<Const>,
    pub fields: Vec<super::env::Field>,
}

impl Scanned {
    /// Reads `srcs`.
    pub fn of(srcs: &[Src]) -> Self {
        let mut args = super::args::cli_args(srcs);
        let consts = consts(srcs);
        let mut reads = super::env::env_reads(srcs);
        reads.extend(super::env::envy_reads(srcs, &consts));
        super::args::resolve(&mut args, &consts, srcs);
        let fields = super::env::settings_fields(srcs, &consts);
        Scanned {
            args,
            reads,
            consts,
            fields,
        }
    }

    /// The code the search reads: `srcs` as scanned, served by `server`.
    pub fn code<'a>(&'a self, srcs: &'a [Src], server: Option<&'a Hit>) -> Code<'a> {
        Code {
            srcs,
            args: &self.args,
            reads: &self.reads,
            consts: &self.consts,
            fields: &self.fields,
            server,
        }
    }
}

/// The port: a clap option, an env read, a literal, a configuration file, the framework's
/// documented default, else assumed. `file` is the configuration file setting (Rocket.toml
/// for Rocket apps); `rocket`/`grpc` say which framework serves.
pub fn find(code: &Code, file: Option<&FileSetting>, rocket: bool, grpc: bool) -> PortFinding {
    let partial = from_cli(code).or_else(|| from_env(code));
    if let Some(found) = &partial
        && found.port != 0
    {
        return found.clone();
    }
    // A variable with no default: it sets the port, whose value comes from a settings
    // field of the same name (the option overrides it), else from further down.
    if let Some(found) = partial {
        let same_name = code
            .args
            .iter()
            .filter(|a| a.env.is_some() && a.env == found.env)
            .find_map(|a| {
                let f = code.fields.iter().find(|f| f.name == a.name)?;
                let port = f.default.as_deref().and_then(port_in)?;
                Some((
                    port,
                    format!("; {port} is the default of `{}` at {}", f.name, f.at),
                ))
            });
        let (port, more) = match same_name.or_else(|| from_argument(code, &found)) {
            Some(found) => found,
            None => {
                let rest = rest(code, file, rocket, grpc);
                let more = match rest.source {
                    PortSource::Assumed => format!("; {} assumed", rest.port),
                    _ => format!("; {} from {}", rest.port, rest.evidence.reason),
                };
                (rest.port, more)
            }
        };
        let mut evidence = found.evidence.clone();
        evidence.reason.push_str(&more);
        return PortFinding {
            port,
            evidence,
            ..found
        };
    }
    rest(code, file, rocket, grpc)
}

fn rest(code: &Code, file: Option<&FileSetting>, rocket: bool, grpc: bool) -> PortFinding {
    if let Some(found) = from_literal(code) {
        return found;
    }
    if let Some(f) = file
        && let Some(port) = f.port
    {
        let reason = match &f.port_env {
            Some(env) => format!("`{}` in {} (env {env})", f.port_key, f.port_at.file),
            None => format!("`{}` in {}", f.port_key, f.port_at.file),
        };
        return PortFinding {
            port,
            env: f.port_env.clone(),
            env_holds_address: f.port_is_address,
            source: PortSource::ConfigFile,
            evidence: Evidence {
                reason,
                at: Some(f.port_at.clone()),
            },
        };
    }
    if rocket {
        return PortFinding {
            port: 8000,
            env: Some("ROCKET_PORT".into()),
            env_holds_address: false,
            source: PortSource::FrameworkDefault,
            evidence: Evidence {
                reason: "Rocket's documented default (8000, set by ROCKET_PORT)".into(),
                at: None,
            },
        };
    }
    let port = if grpc { 50051 } else { 8080 };
    PortFinding {
        port,
        env: None,
        env_holds_address: false,
        source: PortSource::Assumed,
        evidence: Evidence {
            reason: format!(
                "assumed: no port found in its code or configuration ({port}{})",
                if grpc { ", the usual gRPC port" } else { "" }
            ),
            at: None,
        },
    }
}

fn rank(kind: SettingKind, has_port: bool) -> Option<u8> {
    match kind {
        SettingKind::Port(0) => Some(0),
        SettingKind::Port(1) => Some(1),
        SettingKind::Address if has_port => Some(2),
        SettingKind::Port(2) => Some(3),
        SettingKind::Port(_) => Some(4),
        _ => None,
    }
}

/// (a) A port-like clap option (or envconfig field) with `env` and/or a default. Port 0
/// means "no default".
fn from_cli(code: &Code) -> Option<PortFinding> {
    let best = code
        .args
        .iter()
        .filter(|a| a.env.is_some() || a.default.is_some())
        .filter_map(|a| {
            let kind = setting_kind(&a.name, false);
            let port = a
                .default
                .as_deref()
                .and_then(|d| value_port(d, code.consts));
            let r = rank(kind, port.is_some())?;
            (a.env.is_some() || port.is_some()).then_some((r, a, kind, port))
        })
        .min_by_key(|(r, ..)| *r)?;
    let (_, arg, kind, port) = best;
    let option = arg.describe();
    let reason = match (&arg.env, &arg.default) {
        (Some(env), Some(d)) => format!("{option} (env {env}, default {d})"),
        (Some(env), None) => format!("{option} (env {env}, no default)"),
        (None, d) => format!(
            "{option} (default {}, no variable)",
            d.as_deref().unwrap_or_default()
        ),
    };
    Some(PortFinding {
        port: port.map_or(0, |p| p.0),
        env: arg.env.clone(),
        env_holds_address: kind == SettingKind::Address,
        source: PortSource::ClapArg,
        evidence: Evidence {
            reason,
            at: Some(arg.at.clone()),
        },
    })
}

/// (b) `env::var("X")` naming a port (or a listen address holding one), with its fallback.
/// A fallback that is a parameter of the function reading the variable (`fn serve(app,
/// default_port: u16)` with `.unwrap_or(default_port)`): the literal this binary's own code
/// passes there (`serve(app, 3000)`), with where it does.
fn from_argument(code: &Code, found: &PortFinding) -> Option<(u16, String)> {
    let at = found.evidence.at.as_ref()?;
    let src = code.srcs.iter().find(|s| s.path == at.file)?;
    let m = &src.masked;
    let stmt_at = line_start(m, at.line);
    let (_, end) = stmt_range(m, stmt_at);
    let stmt = m.get(stmt_at..end)?;
    let fallback = stmt
        .find("unwrap_or(")
        .map(|p| stmt_at + p + "unwrap_or(".len())?;
    let param = ident_at(m, fallback)?;
    if !param.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    // The function around the read, and the parameter's position in its list.
    let (name, index) = m[..stmt_at].rmatch_indices("fn ").find_map(|(p, _)| {
        let name = ident_at(m, p + 3)?;
        let open = p + 3 + name.len();
        if m.as_bytes().get(open) != Some(&b'(') {
            return None;
        }
        let close = matching(m, open)?;
        let index = top_level_items(&m[open + 1..close])
            .iter()
            .position(|item| {
                let name = item.split(':').next().unwrap_or("").trim();
                name.trim_start_matches("mut ").trim() == param
            })?;
        Some((name.to_string(), index))
    })?;
    // A call of that function (not its definition) with a literal there.
    for call_src in code.srcs {
        let cm = &call_src.masked;
        for (p, _) in cm.match_indices(&format!("{name}(")) {
            let before = cm[..p].trim_end();
            if (p > 0 && is_ident_byte(cm.as_bytes()[p - 1])) || before.ends_with("fn") {
                continue;
            }
            let open = p + name.len();
            let Some(close) = matching(cm, open) else {
                continue;
            };
            let args = top_level_items(&call_src.code[open + 1..close]);
            if let Some(port) = args
                .get(index)
                .and_then(|a| a.trim().parse::<u16>().ok())
                .filter(|p| *p != 0)
            {
                let line = call_src.line(p);
                return Some((
                    port,
                    format!("; {port} passed to `{name}` at {}:{line}", call_src.path),
                ));
            }
        }
    }
    None
}

/// The comma-separated items of a parameter or argument list, at its top level.
fn top_level_items(list: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in list.char_indices() {
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !list[start..].trim().is_empty() {
        out.push(&list[start..]);
    }
    out
}

fn from_env(code: &Code) -> Option<PortFinding> {
    let best = code
        .reads
        .iter()
        .filter_map(|r| {
            let kind = setting_kind(&r.var, true);
            let port = r
                .fallback
                .as_deref()
                .and_then(|f| value_port(f, code.consts));
            let kind = match kind {
                SettingKind::Other if r.as_u16 && port.is_some() && words(&r.var).len() > 1 => {
                    SettingKind::Port(3)
                }
                k => k,
            };
            let mut r_rank = rank(kind, port.is_some())?;
            if port.is_none() {
                r_rank += 10;
            }
            Some((r_rank, r, kind, port))
        })
        .min_by_key(|(r, ..)| *r)?;
    let (_, read, kind, port) = best;
    let reason = match &read.fallback {
        Some(f) => format!("reads {} (default {f})", read.var),
        None => format!("reads {} (no default)", read.var),
    };
    Some(PortFinding {
        port: port.map_or(0, |p| p.0),
        env: Some(read.var.clone()),
        env_holds_address: kind == SettingKind::Address,
        source: PortSource::EnvVar,
        evidence: Evidence {
            reason,
            at: Some(read.at.clone()),
        },
    })
}

/// (c) A literal in the listen call (following local bindings and constants), else a
/// `const ...PORT...: u16`.
fn from_literal(code: &Code) -> Option<PortFinding> {
    let literal = |port: u16, reason: String, at: Location| PortFinding {
        port,
        env: None,
        env_holds_address: false,
        source: PortSource::Literal,
        evidence: Evidence {
            reason,
            at: Some(at),
        },
    };
    if let Some(hit) = code.server {
        let src = &code.srcs[hit.file];
        let (start, end) = stmt_range(&src.masked, hit.offset);
        // The listen calls' arguments first (`.bind(("0.0.0.0", 8080))`), then the statement
        // (a builder's closure may hold unrelated numbers).
        let mut ranges: Vec<(usize, usize)> = LISTEN_CALLS
            .iter()
            .flat_map(|c| src.masked[start..end].match_indices(c))
            .filter_map(|(i, c)| {
                let open = start + i + c.len() - 1;
                Some((open, super::lex::matching(&src.masked, open)?))
            })
            .collect();
        ranges.sort();
        ranges.push((start, end));
        if let Some((port, at)) = ranges
            .iter()
            .find_map(|(s, e)| listen_port(code, src, *s, *e, 3))
        {
            return Some(literal(
                port,
                format!("a literal port where it listens ({})", hit.marker.reason),
                at.unwrap_or_else(|| hit.at.clone()),
            ));
        }
    }
    code.consts
        .iter()
        .filter(|c| c.is_u16 && words(&c.name).iter().any(|w| w == "port"))
        .find(|c| setting_kind(&c.name, true) != SettingKind::Other)
        .and_then(|c| {
            let port = port_in(&c.value)?;
            Some(literal(
                port,
                format!("constant `{}`", c.name),
                c.at.clone(),
            ))
        })
        .or_else(|| {
            // `run_server("0.0.0.0:3000".parse()?)`: an address on every interface is only
            // ever listened on, wherever it is written; one port among them decides.
            let mut found: Vec<(u16, String, Location)> = Vec::new();
            for src in code.srcs {
                for (at, s) in strings_in(&src.code, &src.masked, 0, src.masked.len()) {
                    let any = s.starts_with("0.0.0.0:") || s.starts_with("[::]:");
                    if let Some(port) = port_in(&s).filter(|_| any)
                        && !found.iter().any(|(p, ..)| *p == port)
                    {
                        found.push((port, s, loc(src, at)));
                    }
                }
            }
            match found.as_slice() {
                [(port, s, at)] => Some(literal(
                    *port,
                    format!("the address `{s}` in its code"),
                    at.clone(),
                )),
                _ => None,
            }
        })
}

/// A port in `src[start..end]`: a `host:port` string, a `(host, port)` tuple or
/// `SocketAddr::new(ip, port)`, or what a local binding or constant it names holds.
fn listen_port(
    code: &Code,
    src: &Src,
    start: usize,
    end: usize,
    depth: u8,
) -> Option<(u16, Option<Location>)> {
    let m = &src.masked;
    let strings = strings_in(&src.code, m, start, end);
    for (at, s) in &strings {
        if s.contains(':')
            && let Some(p) = port_in(s)
            && !s.contains("://")
        {
            return Some((p, Some(loc(src, *at))));
        }
    }
    // `, 8080)`: the last element of a tuple or of SocketAddr::new.
    let b = m.as_bytes();
    for (i, _) in m[start..end].match_indices(',') {
        let i = start + i + 1;
        let rest = m[i..end].trim_start();
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let after = rest[digits.len()..].trim_start();
        if !digits.is_empty()
            && after.starts_with(')')
            && let Ok(p) = digits.parse::<u16>()
            && p > 0
        {
            return Some((p, Some(loc(src, i))));
        }
        let _ = b;
    }
    if depth == 0 {
        return None;
    }
    // Names used in the call or inside `format!` braces.
    let mut names: Vec<(String, usize)> = Vec::new();
    let mut i = start;
    while i < end {
        if is_ident_byte(b[i]) && (i == 0 || !is_ident_byte(b[i - 1])) {
            let w = ident_at(m, i).unwrap_or_default();
            let after_dot = i > 0 && b[i - 1] == b'.';
            if !after_dot && !w.as_bytes()[0].is_ascii_digit() {
                names.push((w.to_string(), i));
            }
            i += w.len().max(1);
        } else {
            i += 1;
        }
    }
    for (_, s) in &strings {
        for part in s.split('{').skip(1) {
            let name = part.split(['}', ':']).next().unwrap_or_default();
            if !name.is_empty() && name.bytes().all(is_ident_byte) {
                names.push((name.to_string(), start));
            }
        }
    }
    for (name, _) in &names {
        if let Some(c) = code.consts.iter().find(|c| &c.name == name)
            && let Some(p) = port_in(&c.value)
        {
            return Some((p, Some(c.at.clone())));
        }
    }
    for (name, _) in &names {
        if let Some(let_at) = binding(src, name, start) {
            let (s, e) = stmt_range(m, let_at);
            if let Some(found) = listen_port(code, src, s, e, depth - 1) {
                return Some(found);
            }
        }
    }
    None
}

/// The last `let name` before `before` in the same function.
fn binding(src: &Src, name: &str, before: usize) -> Option<usize> {
    let fn_start = find_word(&src.masked[..before], "fn")
        .last()
        .copied()
        .unwrap_or(0);
    find_word(&src.masked[..before], name)
        .into_iter()
        .rev()
        .filter(|&at| at > fn_start)
        .find(|&at| {
            let head = src.masked[..at].trim_end();
            head.ends_with("let") || head.ends_with("let mut")
        })
}

fn loc(src: &Src, offset: usize) -> Location {
    Location {
        file: src.path.clone(),
        line: src.line(offset),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::detect::runs::role;

    /// The port of a binary whose one source file is `src/main.rs`.
    #[test]
    fn an_address_on_every_interface_handed_to_the_function_that_binds() {
        // skyapps-id/rust-apalis-test's shape.
        let main = "#[tokio::main]\nasync fn main() -> Result<()> {\n    let redis = \"redis://127.0.0.1:6379\";\n    run_server(\"0.0.0.0:3000\".parse()?, redis).await\n}\n";
        let lib = "pub async fn run_server(addr: SocketAddr, _r: &str) -> Result<()> {\n    let l = TcpListener::bind(addr).await?;\n    axum::serve(l, app()).await\n}\n";
        let p = port_of(&[("src/main.rs", main), ("src/server.rs", lib)], &["axum"]);
        assert_eq!((p.port, p.source, p.env), (3000, PortSource::Literal, None));
        assert_eq!(p.evidence.at.unwrap().to_string(), "src/main.rs:4");
        // Two such addresses: neither is the port.
        let two = "fn main() { serve(\"0.0.0.0:3000\"); metrics(\"0.0.0.0:9100\"); }\nfn serve(a: &str) { let l = TcpListener::bind(a).unwrap(); }\n";
        assert_eq!(main_port(two, &[]).source, PortSource::Assumed);
    }

    fn main_port(code: &str, crates: &[&str]) -> PortFinding {
        port_of(&[("src/main.rs", code)], crates)
    }

    fn port_of(files: &[(&str, &str)], crates: &[&str]) -> PortFinding {
        let srcs: Vec<Src> = files.iter().map(|(p, t)| Src::new(p, t)).collect();
        let crates: BTreeSet<String> = crates.iter().map(|c| c.to_string()).collect();
        let (_, _, server) = role::role("app", &srcs, &crates);
        let scanned = Scanned::of(&srcs);
        let code = scanned.code(&srcs, server.as_ref());
        let rocket = server
            .as_ref()
            .is_some_and(|h| super::super::frameworks::is_rocket(&h.marker));
        find(&code, None, rocket, false)
    }

    #[test]
    fn a_default_passed_in_by_the_caller_is_the_port() {
        let lib = "pub async fn serve(app: Router, default_port: u16) {\n    let port = std::env::var(\"PORT\").ok().and_then(|p| p.parse().ok()).unwrap_or(default_port);\n    let listener = tokio::net::TcpListener::bind((\"0.0.0.0\", port)).await.unwrap();\n    axum::serve(listener, app).await.unwrap();\n}\n";
        let main =
            "#[tokio::main]\nasync fn main() {\n    app::serve(Router::new(), 3001).await;\n}\n";
        let found = port_of(
            &[("src/lib.rs", lib), ("src/bin/worker.rs", main)],
            &["axum"],
        );
        assert_eq!((found.port, found.env.as_deref()), (3001, Some("PORT")));
        assert!(
            found.evidence.reason.contains("src/bin/worker.rs:3"),
            "{}",
            found.evidence.reason
        );
    }

    #[test]
    fn options_and_env_reads_name_the_port() {
        // (case, code, port, variable, source, line, whether the variable holds an address)
        let cases: &[(&str, &str, u16, &str, PortSource, usize, bool)] = &[
            (
                "clap option with env and default",
                "#[derive(Parser)]\nstruct Args {\n    #[arg(long, default_value = \"8080\", env = \"SERVER_PORT\")]\n    port: u16,\n}\nasync fn main() { let a = Args::parse(); let l = TcpListener::bind((\"127.0.0.1\", a.port)).await; }\n",
                8080,
                "SERVER_PORT",
                PortSource::ClapArg,
                4,
                false,
            ),
            (
                "clap address option holding the port",
                "struct Opts {\n    #[clap(long, env = \"LISTEN_ADDR\", default_value = \"127.0.0.1:4000\")]\n    listen_addr: SocketAddr,\n    #[clap(long, env = \"DATABASE_PORT\", default_value_t = 5432)]\n    database_port: u16,\n}\n",
                4000,
                "LISTEN_ADDR",
                PortSource::ClapArg,
                3,
                true,
            ),
            (
                "envconfig field with a variable and default",
                "#[derive(Envconfig)]\nstruct Config {\n    #[envconfig(from = \"PORT\", default = \"443\")]\n    port: u16,\n    #[envconfig(from = \"API_TOKEN\")]\n    token: String,\n}\nasync fn main() { let c = Config::init_from_env().unwrap(); let l = TcpListener::bind(format!(\"0.0.0.0:{}\", c.port)).await; }\n",
                443,
                "PORT",
                PortSource::ClapArg,
                4,
                false,
            ),
            (
                "env read with a fallback",
                "async fn main() {\n    let db = env::var(\"DB_PORT\").unwrap_or(\"5432\".into());\n    let port = std::env::var(\"PORT\").unwrap_or_else(|_| \"3000\".into());\n    let l = TcpListener::bind(format!(\"0.0.0.0:{port}\")).await;\n}\n",
                3000,
                "PORT",
                PortSource::EnvVar,
                3,
                false,
            ),
            (
                "env read of an address with a fallback",
                "let addr = env::var(\"BIND_ADDRESS\").unwrap_or(\"0.0.0.0:8080\".to_string());\nlet l = TcpListener::bind(&addr).await;",
                8080,
                "BIND_ADDRESS",
                PortSource::EnvVar,
                1,
                true,
            ),
        ];
        for &(case, code, port, var, source, line, holds_address) in cases {
            let p = main_port(code, &[]);
            assert!(
                !case.starts_with("envconfig")
                    || p.evidence.reason.starts_with("envconfig field `port`"),
                "{}",
                p.evidence.reason
            );
            assert_eq!(
                (
                    p.port,
                    p.env.as_deref(),
                    p.source,
                    p.evidence.at.map(|at| at.line),
                    p.env_holds_address
                ),
                (port, Some(var), source, Some(line), holds_address),
                "{case}"
            );
        }
    }

    #[test]
    fn a_variable_without_default_takes_the_port_from_the_code() {
        // An env read without fallback, beside a constant; an option without default, beside
        // its settings field's default.
        for (code, port, var) in [
            (
                "const DEFAULT_PORT: u16 = 7000;\nfn main() { let port: u16 = env::var(\"PORT\").expect(\"PORT\").parse().unwrap(); }",
                7000,
                "PORT",
            ),
            (
                "struct RunOpts {\n    #[clap(long, env = \"DIR_HTTP_PORT\")]\n    pub http_port: Option<u16>,\n}\n#[derive(Deserialize, Builder)]\nstruct Mail { #[builder(default = \"587\")] pub port: u16 }\n#[derive(Deserialize, Builder)]\nstruct Configuration {\n    #[builder(default = \"17170\")]\n    pub http_port: u16,\n}\n",
                17170,
                "DIR_HTTP_PORT",
            ),
        ] {
            let p = main_port(code, &[]);
            assert_eq!((p.port, p.env.as_deref()), (port, Some(var)), "{code}");
        }
    }

    #[test]
    fn literals_in_listen_calls_and_constants() {
        let actix = main_port(
            "#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    HttpServer::new(|| App::new().service(hello))\n        .workers(4)\n        .bind((\"0.0.0.0\", 8080))?\n        .run()\n        .await\n}\n",
            &["actix-web"],
        );
        assert_eq!(
            (actix.port, actix.env, actix.source),
            (8080, None, PortSource::Literal)
        );
        assert_eq!(actix.evidence.at.unwrap().line, 5);
        let tonic = main_port(
            "async fn main() -> Result<(), Box<dyn Error>> {\n    let addr = \"[::]:50051\".parse()?;\n    Server::builder().add_service(GreeterServer::new(g)).serve(addr).await?;\n    Ok(())\n}\n",
            &["tonic"],
        );
        assert_eq!((tonic.port, tonic.source), (50051, PortSource::Literal));
        assert_eq!(tonic.evidence.at.unwrap().line, 2);
        let sock = main_port(
            "let addr = SocketAddr::from(([0, 0, 0, 0], 3000));\naxum::Server::bind(&addr).serve(app.into_make_service()).await;",
            &[],
        );
        assert_eq!(sock.port, 3000);
    }

    #[test]
    fn literals_for_each_framework() {
        for (code, krate, port) in [
            (
                "async fn main() { warp::serve(routes).run(([0, 0, 0, 0], 3030)).await; }",
                "warp",
                3030,
            ),
            (
                "async fn main() { let acceptor = TcpListener::new(\"0.0.0.0:5800\").bind().await; Server::new(acceptor).serve(router).await; }",
                "salvo",
                5800,
            ),
            (
                "async fn main() -> Result<(), std::io::Error> { Server::new(TcpListener::bind(\"0.0.0.0:3000\")).run(app).await }",
                "poem",
                3000,
            ),
            (
                "async fn main() -> tide::Result<()> { let mut app = tide::new(); app.listen(\"0.0.0.0:8080\").await?; Ok(()) }",
                "tide",
                8080,
            ),
            (
                "async fn main() -> Result<(), Box<dyn Error>> { Server::builder().add_service(svc).serve(\"[::]:50051\".parse()?).await?; Ok(()) }",
                "tonic",
                50051,
            ),
            (
                "fn main() { let server = tiny_http::Server::http(\"0.0.0.0:8000\").unwrap(); }",
                "tiny_http",
                8000,
            ),
            (
                "fn main() { let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 9090); let l = std::net::TcpListener::bind(addr).unwrap(); }",
                "",
                9090,
            ),
        ] {
            let p = port_of(&[("src/main.rs", code)], &[krate]);
            assert_eq!((p.port, p.source), (port, PortSource::Literal), "{code}");
        }
    }

    #[test]
    fn the_listen_call_before_numbers_in_the_app_factory() {
        let p = main_port(
            "async fn main() -> std::io::Result<()> {\n    HttpServer::new(move || {\n        App::new().route(\"/\", web::to(|d: web::Data<usize>| async move { assert_eq!(**d, 123); }))\n    })\n    .workers(2)\n    .bind((\"0.0.0.0\", 8081))?\n    .run()\n    .await\n}\n",
            &["actix-web"],
        );
        assert_eq!((p.port, p.evidence.at.unwrap().line), (8081, 6));
    }

    #[test]
    fn a_constant_reached_through_a_library_module() {
        let p = port_of(
            &[
                (
                    "src/bin/server.rs",
                    "#[derive(Parser)]\nstruct Cli { #[arg(long)] port: Option<u16> }\nasync fn main() { let cli = Cli::parse(); let port = cli.port.unwrap_or(DEFAULT_PORT); app::server::run(port).await; }",
                ),
                (
                    "src/lib.rs",
                    "pub mod server;\npub const DEFAULT_PORT: u16 = 6379;\n",
                ),
                (
                    "src/server.rs",
                    "pub async fn run(port: u16) {\n    let listener = TcpListener::bind(&format!(\"0.0.0.0:{}\", port)).await.unwrap();\n}\n",
                ),
            ],
            &["clap"],
        );
        assert_eq!((p.port, p.env, p.source), (6379, None, PortSource::Literal));
        assert_eq!(p.evidence.at.unwrap().to_string(), "src/lib.rs:2");
    }

    #[test]
    fn rocket_and_assumed() {
        let r = main_port(
            "#[launch]\nfn rocket() -> _ { rocket::build() }",
            &["rocket"],
        );
        assert_eq!(
            (r.port, r.env.as_deref(), r.source),
            (8000, Some("ROCKET_PORT"), PortSource::FrameworkDefault)
        );
        let a = main_port(
            "async fn main() { let l = TcpListener::bind(addr).await; }",
            &[],
        );
        assert_eq!((a.port, a.env, a.source), (8080, None, PortSource::Assumed));
        assert!(a.evidence.reason.starts_with("assumed"));
    }
}
