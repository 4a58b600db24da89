//! Loopback addresses hard-coded in the code compiled into a binary: listen addresses nothing outside the container can reach, and services dialed at the container itself.

use super::runs::LISTEN_CALLS;
use super::runs::lex::{Src, find_word, ident_at, matching, stmt_range};

/// A literal loopback bind address found in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopbackBind {
    /// The file, relative to the workspace root.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The line, trimmed.
    pub text: String,
}

/// What a loopback address looks like in Rust source.
const LOOPBACK: &[&str] = &[
    "\"127.0.0.1",
    "\"localhost",
    "\"[::1]",
    "\"::1\"",
    "[127, 0, 0, 1]",
    "[127,0,0,1]",
    "Ipv4Addr::LOCALHOST",
    "Ipv6Addr::LOCALHOST",
    "Ipv4Addr::new(127, 0, 0, 1)",
];

/// Calls that listen on the address they are given, beyond [`LISTEN_CALLS`].
const MORE_LISTEN_CALLS: &[&str] = &["bind_rustls", "bind_openssl"];

/// Words that make a statement a client's (a connection, a URL), never a listener's.
const CLIENT_WORDS: &[&str] = &[
    "connect", "://", "client", "url", "reqwest", "request", "proxy", "redirect", "database",
    "redis", "dial",
];

/// Loopback listen addresses hard-coded in `srcs` (comments and test code already blanked):
/// in a listen call, or in a binding or constant that one uses. Addresses read from a
/// variable or a command-line option (a fallback or a default) are not hard-coded.
pub fn hardcoded(srcs: &[Src]) -> Vec<LoopbackBind> {
    let mut found: Vec<LoopbackBind> = Vec::new();
    for src in srcs {
        for needle in LOOPBACK {
            for (at, _) in src.code.match_indices(needle) {
                let ephemeral = src.code[at..].starts_with(&format!("{}:0\"", needle));
                if ephemeral || in_attribute(src, at) || !listens(srcs, src, at, 3) {
                    continue;
                }
                let bind = LoopbackBind {
                    file: src.path.clone(),
                    line: src.line(at),
                    text: src.line_text(at),
                };
                if !found.contains(&bind) {
                    found.push(bind);
                }
            }
        }
    }
    found
}

/// Schemes of the services an app dials by URL.
const DIALED_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "mongodb",
    "nats",
    "http",
    "https",
    "grpc",
];

/// Loopback hosts in a URL.
const LOOPBACK_HOSTS: &[&str] = &["127.0.0.1", "localhost", "[::1]"];

/// Service URLs on a loopback host hard-coded in `srcs` (comments and test code already
/// blanked), which inside a container reach the container itself: not a fallback of a
/// variable, a default in an attribute or a constant (either may be overridden).
pub fn dialed(srcs: &[Src]) -> Vec<LoopbackBind> {
    let mut found: Vec<LoopbackBind> = Vec::new();
    for src in srcs {
        for (at, _) in src.code.match_indices("://") {
            let Some(open) = src.code[..at].rfind('"') else {
                continue;
            };
            let scheme = &src.code[open + 1..at];
            let rest = &src.code[at + 3..];
            // `user:password@` may stand before the host.
            let host_part = rest.split(['/', '"']).next().unwrap_or_default();
            let host_part = host_part.rsplit('@').next().unwrap_or(host_part);
            let loopback = (LOOPBACK_HOSTS.iter())
                .any(|h| host_part == *h || host_part.starts_with(&format!("{h}:")));
            if !DIALED_SCHEMES.contains(&scheme) || !loopback || in_attribute(src, open) {
                continue;
            }
            let (start, end) = stmt_range(&src.masked, open);
            let stmt = &src.masked[start..end];
            let head = stmt.trim_start();
            let overridable = ["var(", "unwrap_or", "default", "env!"]
                .iter()
                .any(|w| stmt.contains(w))
                || ["const ", "static ", "pub const ", "pub static "]
                    .iter()
                    .any(|k| head.starts_with(k));
            if overridable {
                continue;
            }
            let dial = LoopbackBind {
                file: src.path.clone(),
                line: src.line(open),
                // Without credentials: `redis://127.0.0.1:6379`.
                text: format!("{scheme}://{host_part}"),
            };
            if !found.contains(&dial) {
                found.push(dial);
            }
        }
    }
    found
}

fn in_attribute(src: &Src, at: usize) -> bool {
    src.masked[..at]
        .rfind("#[")
        .and_then(|open| matching(&src.masked, open + 1))
        .is_some_and(|close| close > at)
}

/// Whether the value at `at` ends up in a listen call.
fn listens(srcs: &[Src], src: &Src, at: usize, depth: u8) -> bool {
    let (start, end) = stmt_range(&src.masked, at);
    let masked = &src.masked[start..end];
    let lower = src.code[start..end].to_ascii_lowercase();
    if CLIENT_WORDS.iter().any(|w| lower.contains(w))
        || masked.contains("var(")
        || masked.contains("unwrap_or")
    {
        return false;
    }
    let run_call = |c: &&str| *c == ".run(";
    if LISTEN_CALLS
        .iter()
        .filter(|c| !run_call(c))
        .chain(MORE_LISTEN_CALLS)
        .any(|c| masked.contains(c))
        || [".run((", ".run(["].iter().any(|c| masked.contains(c))
    {
        return true;
    }
    if depth == 0 {
        return false;
    }
    let mut head = masked.trim_start();
    if let Some(rest) = head.strip_prefix("pub") {
        let rest = rest.trim_start();
        head = match rest.strip_prefix('(') {
            Some(inner) => inner.split_once(')').map_or(rest, |(_, r)| r).trim_start(),
            None => rest,
        };
    }
    let Some((kw, rest)) = ["let", "const", "static"]
        .iter()
        .find_map(|kw| head.strip_prefix(kw).map(|r| (*kw, r)))
    else {
        return false;
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("mut ").unwrap_or(rest);
    let Some(name) = ident_at(rest, 0) else {
        return false;
    };
    let uses = |s: &Src, from: usize| {
        find_word(&s.masked, name)
            .into_iter()
            .filter(|&u| u >= from && (u < start || u >= end || !std::ptr::eq(s, src)))
            .any(|u| listens(srcs, s, u, depth - 1))
    };
    if kw == "let" {
        uses(src, end)
    } else {
        srcs.iter().any(|s| uses(s, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::scan_main_rs;

    #[test]
    fn service_urls_on_loopback_that_nothing_overrides() {
        let code = "async fn main() {\n    let redis = redis::Client::open(\"redis://127.0.0.1:6379\").unwrap();\n    let blog = BlogClient::connect(\"http://app:secret@localhost:19527/x\").await?;\n    let db = env::var(\"DATABASE_URL\").unwrap_or(\"postgres://localhost/app\".into());\n    let up = reqwest::get(\"https://example.com\").await?;\n}\nconst FALLBACK: &str = \"nats://127.0.0.1:4222\";\n#[arg(long, default_value = \"http://[::1]:50051\")]\n";
        let found = dialed(&[Src::new("src/main.rs", code)]);
        let texts: Vec<(&str, usize)> = found.iter().map(|d| (d.text.as_str(), d.line)).collect();
        assert_eq!(
            texts,
            [("redis://127.0.0.1:6379", 2), ("http://localhost:19527", 3)]
        );
    }

    #[test]
    fn finds_literal_loopback_binds() {
        let found = scan_main_rs(
            hardcoded,
            "fn main() {\n    let listener = TcpListener::bind(\"127.0.0.1:3000\").unwrap();\n}\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 2);
        for text in [
            "let addr = SocketAddr::from(([127, 0, 0, 1], 8080));\naxum::Server::bind(&addr).serve(svc).await;",
            "axum::serve(TcpListener::bind(\"localhost:8080\").await?, app)",
        ] {
            assert_eq!(scan_main_rs(hardcoded, text).len(), 1, "{text}");
        }
        let through_const = hardcoded(&[
            Src::new("src/lib.rs", "pub const ADDR: &str = \"127.0.0.1:7878\";\n"),
            Src::new(
                "src/main.rs",
                "fn main() { let l = TcpListener::bind(app::ADDR).unwrap(); }",
            ),
        ]);
        assert_eq!(through_const[0].file, "src/lib.rs");
    }

    #[test]
    fn ignores_clients_comments_tests_and_all_interfaces() {
        for text in [
            "let db = connect(\"postgres://localhost:5432/db\");",
            "let c = Client::connect(\"127.0.0.1:6379\").await?;",
            "let base = \"http://localhost:8080\";\nlet r = reqwest::get(base).await;",
            "// bind(\"127.0.0.1:3000\")",
            "bind(\"0.0.0.0:3000\")",
            "let l = TcpListener::bind(\"127.0.0.1:0\").unwrap();",
            "#[cfg(test)]\nmod tests { fn t() { bind(\"127.0.0.1:0\"); } }",
            "let addr = \"127.0.0.1:9000\";\nprintln!(\"{addr}\");",
        ] {
            assert!(scan_main_rs(hardcoded, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn configurable_addresses_are_not_hard_coded() {
        for text in [
            "struct A {\n    #[arg(long, default_value = \"localhost\")]\n    redirect_host: String,\n}\n",
            "let host = env::var(\"HOST\").unwrap_or(\"127.0.0.1\".into());\nlet l = TcpListener::bind((host.as_str(), 80));",
        ] {
            assert!(scan_main_rs(hardcoded, text).is_empty(), "{text}");
        }
    }
}
