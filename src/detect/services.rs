//! Backing services implied by the resolved dependency graph (one rule per client crate).

use serde::{Deserialize, Serialize};

use crate::workspace::Workspace;

/// A backing service the application talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    Postgres,
    Redis,
}

impl ServiceKind {
    /// Every kind, in the order they are listed.
    pub const ALL: [ServiceKind; 2] = [ServiceKind::Postgres, ServiceKind::Redis];

    /// The name used for the Compose service and in `--services`.
    pub fn name(self) -> &'static str {
        match self {
            ServiceKind::Postgres => "postgres",
            ServiceKind::Redis => "redis",
        }
    }

    /// Parses a `--services` item.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A service and the crates that implied it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedService {
    pub kind: ServiceKind,
    pub crates: Vec<String>,
}

/// A client crate (with a feature, if the crate serves several databases) implying a service.
struct Rule {
    kind: ServiceKind,
    krate: &'static str,
    feature: Option<&'static str>,
}

const fn rule(kind: ServiceKind, krate: &'static str, feature: Option<&'static str>) -> Rule {
    Rule {
        kind,
        krate,
        feature,
    }
}

const RULES: &[Rule] = &[
    rule(ServiceKind::Postgres, "tokio-postgres", None),
    rule(ServiceKind::Postgres, "postgres", None),
    rule(ServiceKind::Postgres, "sqlx-postgres", None),
    rule(ServiceKind::Postgres, "diesel", Some("postgres")),
    rule(ServiceKind::Postgres, "pq-sys", None),
    rule(ServiceKind::Redis, "redis", None),
    rule(ServiceKind::Redis, "fred", None),
    rule(ServiceKind::Redis, "deadpool-redis", None),
    rule(ServiceKind::Redis, "bb8-redis", None),
];

/// The services the graph implies, each with the crates that implied it.
pub fn detect(ws: &Workspace) -> Vec<DetectedService> {
    let mut found: Vec<DetectedService> = Vec::new();
    for rule in RULES {
        let hit = ws.packages.iter().any(|p| {
            !p.is_member && p.name == rule.krate && rule.feature.is_none_or(|f| p.has_feature(f))
        });
        if !hit {
            continue;
        }
        match found.iter_mut().find(|s| s.kind == rule.kind) {
            Some(s) => s.crates.push(rule.krate.to_string()),
            None => found.push(DetectedService {
                kind: rule.kind,
                crates: vec![rule.krate.to_string()],
            }),
        }
    }
    found.sort_by_key(|s| s.kind);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    fn kinds(deps: &[&str]) -> Vec<ServiceKind> {
        detect(&workspace_with(deps))
            .into_iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn postgres_clients() {
        assert_eq!(kinds(&["tokio-postgres"]), [ServiceKind::Postgres]);
        assert_eq!(kinds(&["sqlx", "sqlx-postgres"]), [ServiceKind::Postgres]);
        assert_eq!(kinds(&["diesel[postgres]"]), [ServiceKind::Postgres]);
    }

    #[test]
    fn a_feature_gated_client_needs_its_feature() {
        assert!(kinds(&["diesel[sqlite]"]).is_empty());
    }

    #[test]
    fn redis_and_postgres_together_record_their_crates() {
        let found = detect(&workspace_with(&[
            "redis",
            "deadpool-redis",
            "tokio-postgres",
        ]));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].kind, ServiceKind::Postgres);
        assert_eq!(found[1].crates, ["redis", "deadpool-redis"]);
    }

    #[test]
    fn nothing_implied_nothing_found() {
        assert!(kinds(&["serde", "tokio", "axum"]).is_empty());
    }
}
