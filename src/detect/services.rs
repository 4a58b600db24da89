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

/// The rules, grouped by service. Crate and feature names were checked against each crate's
/// published manifests (docs.rs); a driver crate alone implies its service, a crate serving
/// several databases needs the feature naming one.
const RULES: &[Rule] = &[
    // Postgres: the drivers, then what wraps them (sqlx 0.5/0.6 drivers are features of
    // `sqlx`/`sqlx-core`; 0.7+ splits them into `sqlx-postgres`, whose `sqlx` still has
    // a `postgres` feature), ORMs and pools.
    rule(ServiceKind::Postgres, "tokio-postgres", None),
    rule(ServiceKind::Postgres, "postgres", None),
    rule(ServiceKind::Postgres, "sqlx-postgres", None),
    rule(ServiceKind::Postgres, "sqlx", Some("postgres")),
    rule(ServiceKind::Postgres, "sqlx-core", Some("postgres")),
    rule(ServiceKind::Postgres, "sea-orm", Some("sqlx-postgres")),
    rule(ServiceKind::Postgres, "diesel", Some("postgres")),
    rule(ServiceKind::Postgres, "diesel-async", Some("postgres")),
    rule(ServiceKind::Postgres, "deadpool-diesel", Some("postgres")),
    rule(ServiceKind::Postgres, "deadpool-postgres", None),
    rule(ServiceKind::Postgres, "bb8-postgres", None),
    rule(ServiceKind::Postgres, "r2d2_postgres", None),
    rule(ServiceKind::Postgres, "mobc-postgres", None),
    rule(ServiceKind::Postgres, "pq-sys", None),
    // MySQL and MariaDB.
    rule(ServiceKind::Mysql, "sqlx-mysql", None),
    rule(ServiceKind::Mysql, "sqlx", Some("mysql")),
    rule(ServiceKind::Mysql, "sqlx-core", Some("mysql")),
    rule(ServiceKind::Mysql, "sea-orm", Some("sqlx-mysql")),
    rule(ServiceKind::Mysql, "mysql_async", None),
    rule(ServiceKind::Mysql, "mysql", None),
    rule(ServiceKind::Mysql, "diesel", Some("mysql")),
    rule(ServiceKind::Mysql, "diesel-async", Some("mysql")),
    rule(ServiceKind::Mysql, "deadpool-diesel", Some("mysql")),
    rule(ServiceKind::Mysql, "r2d2_mysql", None),
    rule(ServiceKind::Mysql, "mysqlclient-sys", None),
    // SQLite.
    rule(ServiceKind::Sqlite, "sqlx-sqlite", None),
    rule(ServiceKind::Sqlite, "sqlx", Some("sqlite")),
    rule(ServiceKind::Sqlite, "sqlx-core", Some("sqlite")),
    rule(ServiceKind::Sqlite, "sea-orm", Some("sqlx-sqlite")),
    rule(ServiceKind::Sqlite, "rusqlite", None),
    rule(ServiceKind::Sqlite, "diesel", Some("sqlite")),
    rule(ServiceKind::Sqlite, "diesel-async", Some("sqlite")),
    rule(ServiceKind::Sqlite, "deadpool-diesel", Some("sqlite")),
    rule(ServiceKind::Sqlite, "r2d2_sqlite", None),
    rule(ServiceKind::Sqlite, "libsqlite3-sys", None),
    // Redis, under its clients' current and older names.
    rule(ServiceKind::Redis, "redis", None),
    rule(ServiceKind::Redis, "fred", None),
    rule(ServiceKind::Redis, "redis-async", None),
    rule(ServiceKind::Redis, "redis_cluster_async", None),
    rule(ServiceKind::Redis, "deadpool-redis", None),
    rule(ServiceKind::Redis, "bb8-redis", None),
    rule(ServiceKind::Redis, "mobc-redis", None),
    rule(ServiceKind::Redis, "r2d2_redis", None),
    rule(ServiceKind::Redis, "redis_r2d2", None),
    // RabbitMQ (AMQP).
    rule(ServiceKind::Rabbitmq, "lapin", None),
    rule(ServiceKind::Rabbitmq, "deadpool-lapin", None),
    rule(ServiceKind::Rabbitmq, "bb8-lapin", None),
    rule(ServiceKind::Rabbitmq, "amqprs", None),
    // Kafka: librdkafka's binding and the pure-Rust `kafka` client.
    rule(ServiceKind::Kafka, "rdkafka", None),
    rule(ServiceKind::Kafka, "kafka", None),
    rule(ServiceKind::Nats, "async-nats", None),
    rule(ServiceKind::Nats, "nats", None),
    // The official driver, and the older one over libmongoc.
    rule(ServiceKind::Mongodb, "mongodb", None),
    rule(ServiceKind::Mongodb, "mongo_driver", None),
    // S3: the AWS SDK, rusoto's, and the S3-compatible clients (`rust-s3` is imported as
    // `s3`; `s3` is also a separate crate on crates.io).
    rule(ServiceKind::S3, "aws-sdk-s3", None),
    rule(ServiceKind::S3, "rusoto_s3", None),
    rule(ServiceKind::S3, "rust-s3", None),
    rule(ServiceKind::S3, "s3", None),
    rule(ServiceKind::S3, "object_store", Some("aws")),
    // lettre 0.9 and 0.10+ both name SMTP `smtp-transport` (a default feature in both).
    rule(ServiceKind::Smtp, "lettre", Some("smtp-transport")),
];

/// Whether the rule's feature only pulls a split-out driver crate named `<crate>-<feature>`
/// (sqlx 0.7+'s `postgres` feature pulls `sqlx-postgres`), which its own rule counts.
fn split_out(ws: &Workspace, rule: &Rule) -> bool {
    rule.feature.is_some_and(|f| {
        let driver = format!("{}-{f}", rule.krate);
        ws.packages.iter().any(|p| p.name == driver)
    })
}

/// The services a dependency implies: `krate` itself, or its `feature` when given (a
/// package's feature table naming `krate/feature` or `dep:krate`).
pub(crate) fn implied_by(krate: &str, feature: Option<&str>) -> Vec<ServiceKind> {
    let mut kinds: Vec<ServiceKind> = RULES
        .iter()
        .filter(|r| r.krate == krate && (r.feature.is_none() || r.feature == feature))
        .map(|r| r.kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The services the graph implies, each with the crates that implied it.
pub fn detect(ws: &Workspace) -> Vec<DetectedService> {
    let mut found: Vec<DetectedService> = Vec::new();
    for rule in RULES {
        let hit = ws.packages.iter().any(|p| {
            !p.is_member && p.name == rule.krate && rule.feature.is_none_or(|f| p.has_feature(f))
        });
        if !hit || split_out(ws, rule) {
            continue;
        }
        match found.iter_mut().find(|s| s.kind == rule.kind) {
            Some(s) if s.crates.iter().any(|c| c == rule.krate) => {}
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

    /// One case per rule: a graph holding the client (with its feature) and the service it
    /// implies. `every_rule_has_a_case` keeps this list complete.
    const CASES: &[(&str, ServiceKind)] = &[
        ("tokio-postgres", ServiceKind::Postgres),
        ("postgres", ServiceKind::Postgres),
        ("sqlx-postgres", ServiceKind::Postgres),
        ("sqlx[postgres]", ServiceKind::Postgres),
        ("sqlx-core[postgres]", ServiceKind::Postgres),
        ("sea-orm[sqlx-postgres]", ServiceKind::Postgres),
        ("diesel[postgres]", ServiceKind::Postgres),
        ("diesel-async[postgres]", ServiceKind::Postgres),
        ("deadpool-diesel[postgres]", ServiceKind::Postgres),
        ("deadpool-postgres", ServiceKind::Postgres),
        ("bb8-postgres", ServiceKind::Postgres),
        ("r2d2_postgres", ServiceKind::Postgres),
        ("mobc-postgres", ServiceKind::Postgres),
        ("pq-sys", ServiceKind::Postgres),
        ("sqlx-mysql", ServiceKind::Mysql),
        ("sqlx[mysql]", ServiceKind::Mysql),
        ("sqlx-core[mysql]", ServiceKind::Mysql),
        ("sea-orm[sqlx-mysql]", ServiceKind::Mysql),
        ("mysql_async", ServiceKind::Mysql),
        ("mysql", ServiceKind::Mysql),
        ("diesel[mysql]", ServiceKind::Mysql),
        ("diesel-async[mysql]", ServiceKind::Mysql),
        ("deadpool-diesel[mysql]", ServiceKind::Mysql),
        ("r2d2_mysql", ServiceKind::Mysql),
        ("mysqlclient-sys", ServiceKind::Mysql),
        ("sqlx-sqlite", ServiceKind::Sqlite),
        ("sqlx[sqlite]", ServiceKind::Sqlite),
        ("sqlx-core[sqlite]", ServiceKind::Sqlite),
        ("sea-orm[sqlx-sqlite]", ServiceKind::Sqlite),
        ("rusqlite", ServiceKind::Sqlite),
        ("diesel[sqlite]", ServiceKind::Sqlite),
        ("diesel-async[sqlite]", ServiceKind::Sqlite),
        ("deadpool-diesel[sqlite]", ServiceKind::Sqlite),
        ("r2d2_sqlite", ServiceKind::Sqlite),
        ("libsqlite3-sys", ServiceKind::Sqlite),
        ("redis", ServiceKind::Redis),
        ("fred", ServiceKind::Redis),
        ("redis-async", ServiceKind::Redis),
        ("redis_cluster_async", ServiceKind::Redis),
        ("deadpool-redis", ServiceKind::Redis),
        ("bb8-redis", ServiceKind::Redis),
        ("mobc-redis", ServiceKind::Redis),
        ("r2d2_redis", ServiceKind::Redis),
        ("redis_r2d2", ServiceKind::Redis),
        ("lapin", ServiceKind::Rabbitmq),
        ("deadpool-lapin", ServiceKind::Rabbitmq),
        ("bb8-lapin", ServiceKind::Rabbitmq),
        ("amqprs", ServiceKind::Rabbitmq),
        ("rdkafka", ServiceKind::Kafka),
        ("kafka", ServiceKind::Kafka),
        ("async-nats", ServiceKind::Nats),
        ("nats", ServiceKind::Nats),
        ("mongodb", ServiceKind::Mongodb),
        ("mongo_driver", ServiceKind::Mongodb),
        ("aws-sdk-s3", ServiceKind::S3),
        ("rusoto_s3", ServiceKind::S3),
        ("rust-s3", ServiceKind::S3),
        ("s3", ServiceKind::S3),
        ("object_store[aws]", ServiceKind::S3),
        ("lettre[smtp-transport]", ServiceKind::Smtp),
    ];

    #[test]
    fn each_rule_alone_implies_its_service() {
        for (spec, kind) in CASES {
            assert_eq!(kinds(&[spec]), [*kind], "{spec}");
        }
    }

    #[test]
    fn every_rule_has_a_case() {
        for r in RULES {
            let spec = match r.feature {
                Some(f) => format!("{}[{f}]", r.krate),
                None => r.krate.to_string(),
            };
            assert!(
                CASES.iter().any(|(s, k)| *s == spec && *k == r.kind),
                "no case for {spec}"
            );
        }
    }

    #[test]
    fn feature_gated_clients_without_a_database_feature_imply_nothing() {
        for spec in [
            "sqlx[macros,migrate,runtime-tokio]",
            "sqlx-core[migrate]",
            "sea-orm[macros,runtime-tokio-rustls]",
            "diesel-async[bb8]",
            "deadpool-diesel[rt_tokio_1]",
            "object_store[gcp]",
            "lettre[builder,file-transport]",
        ] {
            assert!(kinds(&[spec]).is_empty(), "{spec}");
        }
    }

    #[test]
    fn sql_server_has_no_service() {
        assert!(kinds(&["sqlx[mssql]", "sqlx-core[mssql]", "tiberius"]).is_empty());
    }

    #[test]
    fn sqlx_generations_each_give_one_postgres_with_their_crates() {
        // 0.5/0.6: the driver is a feature of sqlx and sqlx-core.
        let old = detect(&workspace_with(&[
            "sqlx[postgres,macros]",
            "sqlx-core[postgres]",
        ]));
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].crates, ["sqlx", "sqlx-core"]);
        // 0.7+: sqlx's `postgres` feature pulls the sqlx-postgres crate, which names it.
        let new = detect(&workspace_with(&[
            "sqlx[postgres]",
            "sqlx-postgres",
            "sqlx-core",
        ]));
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].crates, ["sqlx-postgres"]);
    }

    #[test]
    fn sea_orm_over_sqlx_names_both() {
        let found = detect(&workspace_with(&[
            "sea-orm[sqlx-mysql,sqlx-sqlite]",
            "sqlx[mysql,sqlite]",
            "sqlx-mysql",
            "sqlx-sqlite",
        ]));
        let kinds: Vec<_> = found.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [ServiceKind::Mysql, ServiceKind::Sqlite]);
        assert_eq!(found[0].crates, ["sqlx-mysql", "sea-orm"]);
        assert_eq!(found[1].crates, ["sqlx-sqlite", "sea-orm"]);
    }

    #[test]
    fn implied_by_a_dependency_or_its_feature() {
        assert_eq!(
            implied_by("diesel", Some("postgres")),
            [ServiceKind::Postgres]
        );
        assert_eq!(implied_by("tokio-postgres", None), [ServiceKind::Postgres]);
        assert_eq!(
            implied_by("tokio-postgres", Some("with-chrono-0_4")),
            [ServiceKind::Postgres]
        );
        assert!(implied_by("diesel", None).is_empty());
        assert!(implied_by("sqlx", Some("json")).is_empty());
    }

    #[test]
    fn nothing_implied_nothing_found() {
        assert!(kinds(&["serde", "tokio", "axum"]).is_empty());
    }
}
