//! The port a service listens on, guessed from the web framework it uses directly.

use crate::workspace::Workspace;

/// The guessed port of the primary binary and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortGuess {
    pub port: u16,
    /// The framework crate that implied it, if any.
    pub framework: Option<String>,
}

/// Frameworks in order of precedence (hyper last: most frameworks pull it in).
const FRAMEWORKS: &[(&str, u16)] = &[
    ("actix-web", 8080),
    ("rocket", 8000),
    ("axum", 3000),
    ("poem", 3000),
    ("warp", 3030),
    ("tonic", 50051),
    ("hyper", 3000),
];

/// The port used when no framework is found.
pub const FALLBACK_PORT: u16 = 8080;

/// Looks for a framework among the members' direct dependencies.
pub fn detect(ws: &Workspace) -> PortGuess {
    FRAMEWORKS
        .iter()
        .find(|(name, _)| ws.packages.iter().any(|p| p.direct && p.name == *name))
        .map(|(name, port)| PortGuess {
            port: *port,
            framework: Some(name.to_string()),
        })
        .unwrap_or(PortGuess {
            port: FALLBACK_PORT,
            framework: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    #[test]
    fn framework_defaults() {
        assert_eq!(detect(&workspace_with(&["axum", "hyper"])).port, 3000);
        assert_eq!(detect(&workspace_with(&["hyper", "actix-web"])).port, 8080);
        assert_eq!(detect(&workspace_with(&["rocket"])).port, 8000);
        assert_eq!(detect(&workspace_with(&["warp"])).port, 3030);
        assert_eq!(detect(&workspace_with(&["tonic"])).port, 50051);
    }

    #[test]
    fn transitive_frameworks_do_not_count() {
        let mut ws = workspace_with(&["reqwest", "hyper"]);
        ws.packages[1].direct = false;
        assert_eq!(
            detect(&ws),
            PortGuess {
                port: FALLBACK_PORT,
                framework: None
            }
        );
    }
}
