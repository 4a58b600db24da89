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
    /// Crates that link a system library at run time (none can be linked statically
    /// against musl from Debian's glibc packages).
    pub linked: Vec<LinkedLibrary>,
}

/// A crate linking a shared system library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedLibrary {
    pub krate: String,
    /// How the crate builds its own copy instead, when it can.
    pub static_fix: Option<&'static str>,
    /// The library's development packages (headers, pkg-config file), which a cross build
    /// installs for the target architecture.
    pub dev_packages: Vec<&'static str>,
}

/// A crate (matched by name or `links` key) needing packages.
struct Rule {
    krate: &'static str,
    links: Option<&'static str>,
    build: &'static [&'static str],
    runtime: &'static [&'static str],
    /// Whether distroless cc already carries the run-time library.
    in_distroless_cc: bool,
    /// A feature of the crate that makes the packages unnecessary (it builds the library itself).
    unless_feature: Option<&'static str>,
    /// Crates whose presence makes the packages unnecessary (a vendored tool).
    unless_crates: &'static [&'static str],
    /// How to build the library into the binary instead (for a static runtime).
    static_fix: Option<&'static str>,
}

const fn rule(
    krate: &'static str,
    build: &'static [&'static str],
    runtime: &'static [&'static str],
) -> Rule {
    Rule {
        krate,
        links: None,
        build,
        runtime,
        in_distroless_cc: true,
        unless_feature: None,
        unless_crates: &[],
        static_fix: None,
    }
}

const RULES: &[Rule] = &[
    Rule {
        links: Some("openssl"),
        unless_feature: Some("vendored"),
        static_fix: Some("openssl's `vendored` feature, or rustls"),
        ..rule(
            "openssl-sys",
            &["pkg-config", "libssl-dev"],
            &["libssl3t64"],
        )
    },
    Rule {
        links: Some("pq"),
        in_distroless_cc: false,
        ..rule("pq-sys", &["pkg-config", "libpq-dev"], &["libpq5"])
    },
    Rule {
        in_distroless_cc: false,
        ..rule(
            "mysqlclient-sys",
            &["pkg-config", "default-libmysqlclient-dev"],
            &["libmariadb3"],
        )
    },
    Rule {
        links: Some("sqlite3"),
        in_distroless_cc: false,
        unless_feature: Some("bundled"),
        static_fix: Some("its `bundled` feature"),
        ..rule(
            "libsqlite3-sys",
            &["pkg-config", "libsqlite3-dev"],
            &["libsqlite3-0"],
        )
    },
    Rule {
        unless_feature: Some("static"),
        static_fix: Some("its `static` feature"),
        ..rule("libz-sys", &["pkg-config", "zlib1g-dev"], &["zlib1g"])
    },
    rule("rdkafka-sys", &["cmake", "make", "g++"], &[]),
    Rule {
        unless_crates: &["protoc-bin-vendored", "protobuf-src"],
        // libprotobuf-dev: the well-known types (`google/protobuf/timestamp.proto`, ...).
        ..rule(
            "prost-build",
            &["protobuf-compiler", "libprotobuf-dev"],
            &[],
        )
    },
    Rule {
        unless_crates: &["protoc-bin-vendored", "protobuf-src"],
        ..rule(
            "tonic-build",
            &["protobuf-compiler", "libprotobuf-dev"],
            &[],
        )
    },
    rule("bindgen", &["libclang-dev", "clang"], &[]),
];

/// The packages implied by the graph.
pub fn detect(ws: &Workspace) -> SystemPackages {
    let mut out = SystemPackages::default();
    for rule in RULES {
        let hit = ws.packages.iter().find(|p| {
            p.name == rule.krate || (rule.links.is_some() && p.links.as_deref() == rule.links)
        });
        let Some(package) = hit else { continue };
        if rule.unless_feature.is_some_and(|f| package.has_feature(f))
            || ws
                .packages
                .iter()
                .any(|p| rule.unless_crates.contains(&p.name.as_str()))
        {
            continue;
        }
        out.crates.push(rule.krate.to_string());
        out.build.extend(rule.build.iter().map(|s| s.to_string()));
        out.runtime
            .extend(rule.runtime.iter().map(|s| s.to_string()));
        if !rule.runtime.is_empty() {
            out.linked.push(LinkedLibrary {
                krate: rule.krate.to_string(),
                static_fix: rule.static_fix,
                dev_packages: rule
                    .build
                    .iter()
                    .copied()
                    .filter(|p| p.ends_with("-dev"))
                    .collect(),
            });
        }
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
    fn bundled_or_vendored_needs_nothing() {
        assert_eq!(
            detect(&workspace_with(&["libsqlite3-sys[bundled]"])),
            SystemPackages::default()
        );
        assert_eq!(
            detect(&workspace_with(&["openssl-sys[vendored]"])),
            SystemPackages::default()
        );
        assert_eq!(
            detect(&workspace_with(&["prost-build", "protoc-bin-vendored"])),
            SystemPackages::default()
        );
    }

    #[test]
    fn build_tools_are_build_only() {
        let found = detect(&workspace_with(&["tonic-build", "bindgen", "rdkafka-sys"]));
        for tool in [
            "protobuf-compiler",
            "libprotobuf-dev",
            "libclang-dev",
            "cmake",
        ] {
            assert!(found.build.contains(tool), "{tool}");
        }
        assert!(found.runtime.is_empty());
    }

    #[test]
    fn system_sqlite_and_mysql_force_a_debian_runtime() {
        let found = detect(&workspace_with(&["libsqlite3-sys", "mysqlclient-sys"]));
        assert!(found.missing_from_distroless.contains("libsqlite3-0"));
        assert!(found.missing_from_distroless.contains("libmariadb3"));
    }

    #[test]
    fn pure_rust_needs_nothing() {
        assert_eq!(
            detect(&workspace_with(&["rustls", "ring"])),
            SystemPackages::default()
        );
    }
}
