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

/// The member sources that use a checked query macro, when sqlx is a dependency.
pub fn checked_query_files(ws: &Workspace) -> Vec<String> {
    if !ws.packages.iter().any(|p| p.name == "sqlx") {
        return Vec::new();
    }
    ws.sources
        .iter()
        .filter(|(_, text)| CHECKED_MACROS.iter().any(|m| text.contains(m)))
        .map(|(path, _)| path.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    #[test]
    fn finds_checked_queries_only_with_sqlx() {
        let mut ws = workspace_with(&["sqlx"]);
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
