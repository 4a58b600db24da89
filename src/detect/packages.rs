//! System packages implied by `-sys` crates and `links` keys: build-time for the builder, run-time for production.

use std::collections::BTreeSet;

use crate::workspace::Workspace;

/// Debian packages the images need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemPackages {
    /// Installed in the builder (headers, pkg-config, tools).
    pub build: BTreeSet<String>,
    /// Shared libraries the binary loads at run time.
    pub runtime: BTreeSet<String>,
    /// Run-time libraries that distroless cc does not carry (they force a Debian runtime).
    pub missing_from_distroless: BTreeSet<String>,
    /// The crates that implied packages, for the summary.
    pub crates: Vec<String>,
}

/// A crate (matched by name or `links` key) needing packages.
struct Rule {
    krate: &'static str,
    links: &'static str,
    build: &'static [&'static str],
    runtime: &'static [&'static str],
    /// Whether distroless cc already carries the run-time library.
    in_distroless_cc: bool,
}

const RULES: &[Rule] = &[
    Rule {
        krate: "openssl-sys",
        links: "openssl",
        build: &["pkg-config", "libssl-dev"],
        runtime: &["libssl3t64"],
        in_distroless_cc: true,
    },
    Rule {
        krate: "pq-sys",
        links: "pq",
        build: &["pkg-config", "libpq-dev"],
        runtime: &["libpq5"],
        in_distroless_cc: false,
    },
];

/// The packages implied by the graph.
pub fn detect(ws: &Workspace) -> SystemPackages {
    let mut out = SystemPackages::default();
    for rule in RULES {
        let hit = ws
            .packages
            .iter()
            .any(|p| p.name == rule.krate || p.links.as_deref() == Some(rule.links));
        if !hit {
            continue;
        }
        out.crates.push(rule.krate.to_string());
        out.build.extend(rule.build.iter().map(|s| s.to_string()));
        out.runtime
            .extend(rule.runtime.iter().map(|s| s.to_string()));
        if !rule.in_distroless_cc {
            out.missing_from_distroless
                .extend(rule.runtime.iter().map(|s| s.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    #[test]
    fn openssl_needs_headers_to_build_and_fits_distroless() {
        let found = detect(&workspace_with(&["openssl-sys"]));
        assert!(found.build.contains("libssl-dev"));
        assert!(found.build.contains("pkg-config"));
        assert!(found.runtime.contains("libssl3t64"));
        assert!(found.missing_from_distroless.is_empty());
    }

    #[test]
    fn libpq_does_not_fit_distroless() {
        let found = detect(&workspace_with(&["pq-sys"]));
        assert!(found.missing_from_distroless.contains("libpq5"));
    }

    #[test]
    fn matched_by_links_key() {
        let mut ws = workspace_with(&["my-openssl-fork"]);
        ws.packages[0].links = Some("openssl".into());
        assert!(detect(&ws).build.contains("libssl-dev"));
    }

    #[test]
    fn pure_rust_needs_nothing() {
        assert_eq!(
            detect(&workspace_with(&["rustls", "ring"])),
            SystemPackages::default()
        );
    }
}
