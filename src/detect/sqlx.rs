//! sqlx's compile-time-checked queries (`query!` and friends), which need offline data or a database to build.

use crate::workspace::Workspace;

/// The macros that check a query against a database at compile time.
const CHECKED_MACROS: &[&str] = &[
    "query!(",
    "query_as!(",
    "query_scalar!(",
    "query_file!(",
    "query_file_as!(",
    "query_file_scalar!(",
];

/// The member sources that use a checked query macro, when sqlx is built with its macros.
pub fn checked_query_files(ws: &Workspace) -> Vec<String> {
    let with_macros = ws
        .packages
        .iter()
        .any(|p| p.name == "sqlx" && p.has_feature("macros"));
    if !with_macros {
        return Vec::new();
    }
    ws.sources
        .iter()
        .filter(|(_, text)| uses_checked_macro(text))
        .map(|(path, _)| path.clone())
        .collect()
}

/// Whether code (not a `//` comment) calls one of [`CHECKED_MACROS`] by its own name
/// (`sqlx::query!(`, `query_as!(`), not a macro that merely ends like one (`my_query!(`).
fn uses_checked_macro(text: &str) -> bool {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(line))
        .any(|code| {
            CHECKED_MACROS.iter().any(|m| {
                code.match_indices(m).any(|(at, _)| {
                    !code[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    #[test]
    fn only_sqlx_macros_by_their_own_name_in_code() {
        assert!(uses_checked_macro("let n = sqlx::query!(\"select 1\");"));
        assert!(uses_checked_macro("query_as!(User, \"select\")"));
        assert!(!uses_checked_macro("let q = build_query!(x);"));
        assert!(!uses_checked_macro(
            "// sqlx::query!(\"select 1\") is checked"
        ));
        assert!(!uses_checked_macro("sqlx::query(\"select 1\")"));
    }

    #[test]
    fn finds_checked_queries_only_with_sqlx_macros() {
        let without = workspace_with(&["sqlx"]);
        let mut ws = workspace_with(&["sqlx[macros]"]);
        let source = (
            "src/db.rs".to_string(),
            "sqlx::query_as!(User, \"select * from users\")".to_string(),
        );
        let mut plain = without.clone();
        plain.sources = vec![source.clone()];
        assert!(checked_query_files(&plain).is_empty());
        ws.sources = vec![
            (
                "src/db.rs".into(),
                "sqlx::query_as!(User, \"select * from users\")".into(),
            ),
            ("src/main.rs".into(), "sqlx::query(\"select 1\")".into()),
        ];
        assert_eq!(checked_query_files(&ws), ["src/db.rs"]);
        ws.packages.clear();
        assert!(checked_query_files(&ws).is_empty());
    }
}
