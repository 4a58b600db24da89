//! Backing services implied by the resolved dependency graph (one rule per client crate).

use serde::{Deserialize, Serialize};

use crate::workspace::Workspace;

/// A backing service the application talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    Postgres,
    Mysql,
    /// A file on a volume; no service container.
    Sqlite,
    Redis,
    Rabbitmq,
    Kafka,
    Nats,
    Mongodb,
    /// S3-compatible object storage.
    S3,
    /// An SMTP server; a mail catcher in development.
    Smtp,
}

impl ServiceKind {
    /// Every kind, in the order they are listed.
    pub const ALL: [ServiceKind; 10] = [
        ServiceKind::Postgres,
        ServiceKind::Mysql,
        ServiceKind::Sqlite,
        ServiceKind::Redis,
        ServiceKind::Rabbitmq,
        ServiceKind::Kafka,
        ServiceKind::Nats,
        ServiceKind::Mongodb,
        ServiceKind::S3,
        ServiceKind::Smtp,
    ];

    /// The name used for the Compose service and in `--services`.
    pub fn name(self) -> &'static str {
        match self {
            ServiceKind::Postgres => "postgres",
            ServiceKind::Mysql => "mysql",
            ServiceKind::Sqlite => "sqlite",
            ServiceKind::Redis => "redis",
            ServiceKind::Rabbitmq => "rabbitmq",
            ServiceKind::Kafka => "kafka",
            ServiceKind::Nats => "nats",
            ServiceKind::Mongodb => "mongodb",
            ServiceKind::S3 => "s3",
            ServiceKind::Smtp => "smtp",
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
    rule(ServiceKind::Mysql, "sqlx-mysql", None),
    rule(ServiceKind::Mysql, "mysql_async", None),
    rule(ServiceKind::Mysql, "mysql", None),
    rule(ServiceKind::Mysql, "diesel", Some("mysql")),
    rule(ServiceKind::Mysql, "mysqlclient-sys", None),
    rule(ServiceKind::Sqlite, "sqlx-sqlite", None),
    rule(ServiceKind::Sqlite, "rusqlite", None),
    rule(ServiceKind::Sqlite, "diesel", Some("sqlite")),
    rule(ServiceKind::Sqlite, "libsqlite3-sys", None),
    rule(ServiceKind::Redis, "redis", None),
    rule(ServiceKind::Redis, "fred", None),
    rule(ServiceKind::Redis, "deadpool-redis", None),
    rule(ServiceKind::Redis, "bb8-redis", None),
    rule(ServiceKind::Rabbitmq, "lapin", None),
    rule(ServiceKind::Kafka, "rdkafka", None),
    rule(ServiceKind::Nats, "async-nats", None),
    rule(ServiceKind::Nats, "nats", None),
    rule(ServiceKind::Mongodb, "mongodb", None),
    rule(ServiceKind::S3, "aws-sdk-s3", None),
    rule(ServiceKind::S3, "rust-s3", None),
    rule(ServiceKind::S3, "object_store", Some("aws")),
    rule(ServiceKind::Smtp, "lettre", Some("smtp-transport")),
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
        assert!(kinds(&["diesel[chrono]"]).is_empty());
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
    fn every_kind_has_a_rule() {
        for kind in ServiceKind::ALL {
            assert!(RULES.iter().any(|r| r.kind == kind), "{kind:?}");
            assert_eq!(ServiceKind::parse(kind.name()), Some(kind));
        }
    }

    #[test]
    fn one_client_crate_each() {
        assert_eq!(kinds(&["sqlx-mysql"]), [ServiceKind::Mysql]);
        assert_eq!(kinds(&["rusqlite"]), [ServiceKind::Sqlite]);
        assert_eq!(kinds(&["lapin"]), [ServiceKind::Rabbitmq]);
        assert_eq!(kinds(&["rdkafka"]), [ServiceKind::Kafka]);
        assert_eq!(kinds(&["async-nats"]), [ServiceKind::Nats]);
        assert_eq!(kinds(&["mongodb"]), [ServiceKind::Mongodb]);
        assert_eq!(kinds(&["aws-sdk-s3"]), [ServiceKind::S3]);
        assert_eq!(kinds(&["object_store[aws]"]), [ServiceKind::S3]);
        assert!(kinds(&["object_store[gcp]"]).is_empty());
        assert_eq!(kinds(&["lettre[smtp-transport]"]), [ServiceKind::Smtp]);
        assert!(kinds(&["lettre[builder]"]).is_empty());
    }

    #[test]
    fn nothing_implied_nothing_found() {
        assert!(kinds(&["serde", "tokio", "axum"]).is_empty());
    }
}
