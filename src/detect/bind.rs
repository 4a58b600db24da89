//! Servers bound to the loopback address, which nothing outside the container can reach.

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

/// What a bind to loopback looks like in Rust source.
const PATTERNS: &[&str] = &[
    "\"127.0.0.1:",
    "\"localhost:",
    "\"127.0.0.1\"",
    "\"localhost\"",
    "[127, 0, 0, 1]",
    "Ipv4Addr::LOCALHOST",
    "Ipv6Addr::LOCALHOST",
    "\"[::1]:",
];

/// Words that make a matching line a server bind rather than a client connection.
const BIND_WORDS: &[&str] = &["bind", "listen", "serve", "SocketAddr", "addr"];

/// Scans sources (path, text) for loopback binds, skipping comments and `#[cfg(test)]` modules.
pub fn scan(sources: &[(String, String)]) -> Vec<LoopbackBind> {
    let mut found = Vec::new();
    for (file, text) in sources {
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.starts_with("#[cfg(test)]") {
                break;
            }
            if trimmed.starts_with("//") {
                continue;
            }
            let lower = trimmed.to_ascii_lowercase();
            if PATTERNS.iter().any(|p| trimmed.contains(p))
                && BIND_WORDS
                    .iter()
                    .any(|w| lower.contains(&w.to_ascii_lowercase()))
            {
                found.push(LoopbackBind {
                    file: file.clone(),
                    line: i + 1,
                    text: trimmed.to_string(),
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Vec<(String, String)> {
        vec![("src/main.rs".to_string(), text.to_string())]
    }

    #[test]
    fn finds_literal_loopback_binds() {
        let found = scan(&src(
            "fn main() {\n    let listener = TcpListener::bind(\"127.0.0.1:3000\").unwrap();\n}\n",
        ));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 2);
        assert_eq!(
            scan(&src("let addr = SocketAddr::from(([127, 0, 0, 1], 8080));")).len(),
            1
        );
        assert_eq!(
            scan(&src(
                "axum::serve(TcpListener::bind(\"localhost:8080\").await?, app)"
            ))
            .len(),
            1
        );
    }

    #[test]
    fn ignores_clients_comments_tests_and_all_interfaces() {
        assert!(scan(&src("let db = connect(\"postgres://localhost:5432/db\");")).is_empty());
        assert!(scan(&src("// bind(\"127.0.0.1:3000\")")).is_empty());
        assert!(scan(&src("bind(\"0.0.0.0:3000\")")).is_empty());
        assert!(
            scan(&src(
                "#[cfg(test)]\nmod tests { fn t() { bind(\"127.0.0.1:0\"); } }"
            ))
            .is_empty()
        );
    }
}
