//! Where dependencies come from: git repositories (over https or ssh) and registries other than crates.io.

use crate::workspace::Workspace;

/// Non-crates.io dependency sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DependencySources {
    /// Git dependencies: (package, repository URL without the query or commit).
    pub git: Vec<(String, String)>,
    /// Whether a git dependency is fetched over ssh (an ssh agent is forwarded to the build).
    pub ssh: bool,
    /// Index URLs of registries other than crates.io.
    pub registries: Vec<String>,
}

impl DependencySources {
    /// Whether the build fetches from git.
    pub fn has_git(&self) -> bool {
        !self.git.is_empty()
    }
}

/// The crates.io index, as cargo metadata writes it (git and sparse protocols).
const CRATES_IO: &[&str] = &[
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

/// Reads every resolved package's source.
pub fn detect(ws: &Workspace) -> DependencySources {
    let mut out = DependencySources::default();
    for package in &ws.packages {
        let Some(source) = package.source.as_deref() else {
            continue;
        };
        if let Some(rest) = source.strip_prefix("git+") {
            let url = rest.split(['?', '#']).next().unwrap_or(rest).to_string();
            out.ssh |= url.starts_with("ssh://") || url.contains('@') && !url.contains("://");
            if !out.git.iter().any(|(_, u)| u == &url) {
                out.git.push((package.name.clone(), url));
            }
        } else if !CRATES_IO.contains(&source) && !out.registries.iter().any(|r| r == source) {
            out.registries.push(source.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    #[test]
    fn git_and_private_registries() {
        let mut ws = workspace_with(&["serde", "greeting", "internal", "acme-auth"]);
        ws.packages[1].source =
            Some("git+https://github.com/acme/greeting?branch=main#0123abcd".into());
        ws.packages[2].source = Some("git+ssh://git@github.com/acme/internal.git#4567".into());
        ws.packages[3].source = Some("sparse+https://crates.acme.dev/index/".into());
        let s = detect(&ws);
        assert_eq!(
            s.git,
            [
                (
                    "greeting".to_string(),
                    "https://github.com/acme/greeting".to_string()
                ),
                (
                    "internal".to_string(),
                    "ssh://git@github.com/acme/internal.git".to_string()
                ),
            ]
        );
        assert!(s.ssh);
        assert_eq!(s.registries, ["sparse+https://crates.acme.dev/index/"]);
    }

    #[test]
    fn crates_io_only() {
        let s = detect(&workspace_with(&["serde"]));
        assert!(!s.has_git() && !s.ssh && s.registries.is_empty());
    }
}
