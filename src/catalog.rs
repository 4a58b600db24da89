//! The backing services: official image (pinned major), port, healthcheck, volume and the env vars the app gets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::detect::ServiceKind;

/// A backing service as the Compose files run it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceConfig {
    pub name: String,
    /// Whether it runs as its own container (SQLite is a file on a volume instead).
    pub container: bool,
    pub image: String,
    /// Arguments given to the image's entrypoint.
    pub command: Vec<String>,
    pub port: u16,
    /// A web interface published next to the service in development.
    pub ui_port: Option<u16>,
    pub env_prefix: String,
    /// Where the container keeps its data (a named volume).
    pub data_path: Option<String>,
    /// A directory of the app's own containers on a named volume (SQLite's database file).
    pub app_data_path: Option<String>,
    /// The container's own settings.
    pub environment: BTreeMap<String, String>,
    /// The healthcheck command (run by the image's shell).
    pub healthcheck: Option<String>,
    /// What the application is given in development.
    pub app_env: BTreeMap<String, String>,
    /// What the application needs in production, with a hint each.
    pub prod_env: BTreeMap<String, String>,
    /// The crates that implied it (empty when chosen by hand).
    pub implied_by: Vec<String>,
    /// A one-shot that prepares the service (creates a bucket); the app waits for it.
    pub init: Option<InitJob>,
    /// A development stand-in that must not serve production (a mail catcher keeps mail
    /// and delivers none): external in production even when the services are bundled.
    pub dev_only: bool,
    /// The container's settings that are secrets. In production each is a Compose secret
    /// (a file under `docker/env/secrets/`), never a profile value.
    pub secrets: Vec<ServiceSecret>,
    /// The production entrypoint when the image reads a secret only from its environment:
    /// `sh -c` exports it from the secret file, then execs the image's own entrypoint.
    pub prod_entrypoint: Vec<String>,
    /// The production healthcheck, when the development one reads a secret variable.
    pub prod_healthcheck: Option<String>,
}

/// Where the secret files live, relative to the project directory (git-ignored).
pub const SECRETS_DIR: &str = "docker/env/secrets";

/// A secret setting of a backing service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceSecret {
    /// The container's variable (`POSTGRES_PASSWORD`).
    pub env: String,
    /// The Compose secret, and its file's name under [`SECRETS_DIR`].
    pub name: String,
    /// The image reads `<env>_FILE`; otherwise a wrapper exports `env` from the file.
    pub from_file: bool,
    /// The uid that reads the file when the image reads it after dropping root (Compose
    /// mounts the file with its host owner and mode).
    pub owner: Option<u32>,
    /// The app's setting that carries the same secret (inside a URL, or as is).
    pub app_env: Option<String>,
}

fn secret(env: &str, name: &str, from_file: bool, app_env: Option<&str>) -> ServiceSecret {
    ServiceSecret {
        env: env.into(),
        name: name.into(),
        from_file,
        owner: None,
        app_env: app_env.map(Into::into),
    }
}

/// Shell (Compose-escaped: `$$`) that sets `env` from the secret file `name` and exports it.
fn export_from_secret(env: &str, name: &str) -> String {
    format!("{env}=\"$$(cat /run/secrets/{name})\" && export {env} && ")
}

/// An entrypoint that exports `env` from its secret file, then execs `entrypoint` (the
/// image's own, with its default command) with the service's `command` as arguments.
fn wrapper(env: &str, name: &str, entrypoint: &str) -> Vec<String> {
    let script = format!("{}exec {entrypoint} \"$$@\"", export_from_secret(env, name));
    ["sh", "-c", &script, "sh"].map(String::from).to_vec()
}

/// Why `value` cannot be written to an env profile, if it cannot: profiles are plain
/// `KEY=value` lines that `set -a; . file`, Compose `env_file:` and `docker run
/// --env-file` read alike: no quotes, no `$` (Compose expands it), no backslash or
/// backtick, no whitespace or line break, nothing the shell reads as an operator.
pub fn profile_value_error(value: &str) -> Option<String> {
    let bad = value.chars().find(|c| {
        matches!(
            c,
            '$' | '"' | '\'' | '`' | '\\' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
        ) || c.is_whitespace()
    })?;
    Some(format!(
        "`{bad}` cannot be written to an env profile (KEY=value, no quotes, no `$`)"
    ))
}

/// A one-shot container run after its service starts, before the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitJob {
    pub image: String,
    /// Run by `sh -c`.
    pub script: String,
    pub environment: BTreeMap<String, String>,
    /// The production script: the secrets exported from their files first.
    pub prod_script: String,
    /// The Compose secrets the production script reads.
    pub secrets: Vec<String>,
}

/// The S3-compatible server run in development (MinIO's community images are gone).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum S3Server {
    /// SeaweedFS `weed mini`: one process, creates the bucket itself (Apache-2.0).
    #[default]
    Seaweedfs,
    /// RustFS: a MinIO-compatible server; the bucket is created by a one-shot aws-cli job.
    Rustfs,
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A container service with the common fields filled in.
fn container(kind: ServiceKind, image: &str, port: u16, data_path: &str) -> ServiceConfig {
    ServiceConfig {
        name: kind.name().into(),
        container: true,
        image: image.into(),
        command: Vec::new(),
        port,
        ui_port: None,
        env_prefix: kind.name().to_ascii_uppercase(),
        data_path: Some(data_path.into()),
        app_data_path: None,
        environment: BTreeMap::new(),
        healthcheck: None,
        app_env: BTreeMap::new(),
        prod_env: BTreeMap::new(),
        implied_by: Vec::new(),
        init: None,
        dev_only: false,
        secrets: Vec::new(),
        prod_entrypoint: Vec::new(),
        prod_healthcheck: None,
    }
}

/// The development settings of `kind`; `database` names databases and buckets.
pub fn service(
    kind: ServiceKind,
    database: &str,
    implied_by: Vec<String>,
    s3_server: S3Server,
) -> ServiceConfig {
    let mut s = match kind {
        ServiceKind::Postgres => ServiceConfig {
            environment: map(&[
                ("POSTGRES_USER", "app"),
                ("POSTGRES_PASSWORD", "app"),
                ("POSTGRES_DB", database),
            ]),
            healthcheck: Some(format!("pg_isready -U app -d {database}")),
            secrets: vec![secret(
                "POSTGRES_PASSWORD",
                "postgres-password",
                true,
                Some("DATABASE_URL"),
            )],
            app_env: map(&[(
                "DATABASE_URL",
                &format!("postgres://app:app@postgres:5432/{database}"),
            )]),
            prod_env: map(&[(
                "DATABASE_URL",
                "the production database, e.g. postgres://USER:PASSWORD@HOST:5432/DB",
            )]),
            // 17: Postgres 18 images keep their data in a different directory.
            ..container(kind, "postgres:17", 5432, "/var/lib/postgresql/data")
        },
        ServiceKind::Mysql => ServiceConfig {
            environment: map(&[
                ("MYSQL_USER", "app"),
                ("MYSQL_PASSWORD", "app"),
                ("MYSQL_DATABASE", database),
                ("MYSQL_ROOT_PASSWORD", "root"),
            ]),
            // The container's own settings, not the development password ($$: Compose
            // leaves `$` to the shell).
            healthcheck: Some(
                "mysqladmin ping -h 127.0.0.1 -u \"$$MYSQL_USER\" -p\"$$MYSQL_PASSWORD\" --silent"
                    .into(),
            ),
            // The image reads its passwords from files, so they are not in its environment.
            prod_healthcheck: Some(
                "mysqladmin ping -h 127.0.0.1 -u \"$$MYSQL_USER\" -p\"$$(cat /run/secrets/mysql-password)\" --silent"
                    .into(),
            ),
            secrets: vec![
                secret("MYSQL_PASSWORD", "mysql-password", true, Some("DATABASE_URL")),
                secret("MYSQL_ROOT_PASSWORD", "mysql-root-password", true, None),
            ],
            app_env: map(&[(
                "DATABASE_URL",
                &format!("mysql://app:app@mysql:3306/{database}"),
            )]),
            prod_env: map(&[(
                "DATABASE_URL",
                "the production database, e.g. mysql://USER:PASSWORD@HOST:3306/DB",
            )]),
            ..container(kind, "mysql:8.4", 3306, "/var/lib/mysql")
        },
        ServiceKind::Sqlite => ServiceConfig {
            container: false,
            image: String::new(),
            data_path: None,
            app_data_path: Some("/data".into()),
            app_env: map(&[(
                "DATABASE_URL",
                &format!("sqlite:///data/{database}.db?mode=rwc"),
            )]),
            prod_env: map(&[(
                "DATABASE_URL",
                &format!(
                    "the database file on the data volume, e.g. sqlite:///data/{database}.db?mode=rwc"
                ),
            )]),
            ..container(kind, "", 0, "")
        },
        ServiceKind::Redis => ServiceConfig {
            healthcheck: Some("redis-cli ping".into()),
            app_env: map(&[("REDIS_URL", "redis://redis:6379")]),
            prod_env: map(&[("REDIS_URL", "the production Redis, e.g. rediss://HOST:6379")]),
            ..container(kind, "redis:7", 6379, "/data")
        },
        ServiceKind::Rabbitmq => ServiceConfig {
            ui_port: Some(15672),
            environment: map(&[
                ("RABBITMQ_DEFAULT_USER", "app"),
                ("RABBITMQ_DEFAULT_PASS", "app"),
            ]),
            healthcheck: Some("rabbitmq-diagnostics -q ping".into()),
            // RabbitMQ 4 images refuse RABBITMQ_DEFAULT_PASS_FILE (deprecated): a wrapper
            // exports the variable from the file and runs the image's entrypoint.
            secrets: vec![secret(
                "RABBITMQ_DEFAULT_PASS",
                "rabbitmq-password",
                false,
                Some("AMQP_ADDR"),
            )],
            prod_entrypoint: wrapper(
                "RABBITMQ_DEFAULT_PASS",
                "rabbitmq-password",
                "docker-entrypoint.sh rabbitmq-server",
            ),
            app_env: map(&[("AMQP_ADDR", "amqp://app:app@rabbitmq:5672/%2f")]),
            prod_env: map(&[(
                "AMQP_ADDR",
                "the production broker, e.g. amqps://USER:PASSWORD@HOST:5671/%2f",
            )]),
            ..container(kind, "rabbitmq:4-management", 5672, "/var/lib/rabbitmq")
        },
        ServiceKind::Kafka => ServiceConfig {
            // One KRaft node that is its own controller, reachable as kafka:9092.
            environment: map(&[
                ("KAFKA_NODE_ID", "1"),
                ("KAFKA_PROCESS_ROLES", "broker,controller"),
                ("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093"),
                ("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://kafka:9092"),
                ("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
                ("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093"),
                (
                    "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                    "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                ),
                ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1"),
                ("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1"),
                ("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1"),
                ("KAFKA_LOG_DIRS", "/var/lib/kafka/data"),
            ]),
            healthcheck: Some(
                "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092"
                    .into(),
            ),
            app_env: map(&[("KAFKA_BROKERS", "kafka:9092")]),
            prod_env: map(&[(
                "KAFKA_BROKERS",
                "the production brokers, e.g. HOST1:9092,HOST2:9092",
            )]),
            ..container(kind, "apache/kafka:4.3.1", 9092, "/var/lib/kafka/data")
        },
        ServiceKind::Nats => ServiceConfig {
            command: ["-js", "-sd", "/data", "-m", "8222"]
                .map(String::from)
                .to_vec(),
            healthcheck: Some("wget -q -O /dev/null http://127.0.0.1:8222/healthz".into()),
            app_env: map(&[("NATS_URL", "nats://nats:4222")]),
            prod_env: map(&[("NATS_URL", "the production NATS, e.g. tls://HOST:4222")]),
            ..container(kind, "nats:2.12-alpine", 4222, "/data")
        },
        ServiceKind::Mongodb => ServiceConfig {
            environment: map(&[
                ("MONGO_INITDB_ROOT_USERNAME", "app"),
                ("MONGO_INITDB_ROOT_PASSWORD", "app"),
            ]),
            healthcheck: Some("mongosh --quiet --eval 'db.adminCommand({ ping: 1 })'".into()),
            // The entrypoint reads the file after switching to the mongodb user (999).
            secrets: vec![ServiceSecret {
                owner: Some(999),
                ..secret(
                    "MONGO_INITDB_ROOT_PASSWORD",
                    "mongodb-password",
                    true,
                    Some("MONGODB_URI"),
                )
            }],
            app_env: map(&[(
                "MONGODB_URI",
                &format!("mongodb://app:app@mongodb:27017/{database}?authSource=admin"),
            )]),
            prod_env: map(&[(
                "MONGODB_URI",
                "the production MongoDB, e.g. mongodb+srv://USER:PASSWORD@HOST/DB",
            )]),
            ..container(kind, "mongo:8", 27017, "/data/db")
        },
        ServiceKind::S3 => s3(database, s3_server),
        ServiceKind::Smtp => ServiceConfig {
            // A mail catcher: every message is kept and shown at the web interface.
            ui_port: Some(8025),
            dev_only: true,
            data_path: None,
            healthcheck: Some("/mailpit readyz".into()),
            app_env: map(&[("SMTP_URL", "smtp://smtp:1025")]),
            prod_env: map(&[(
                "SMTP_URL",
                "the production relay, e.g. smtps://USER:PASSWORD@HOST:465",
            )]),
            ..container(kind, "axllent/mailpit:v1.31", 1025, "")
        },
    };
    s.implied_by = implied_by;
    // Profiles get these values verbatim (the names come sanitized from the workspace).
    debug_assert!(
        s.app_env.values().all(|v| profile_value_error(v).is_none()),
        "{:?}",
        s.app_env
    );
    s
}

/// The S3-compatible server, its bucket named after the project.
fn s3(database: &str, server: S3Server) -> ServiceConfig {
    let bucket = database.replace('_', "-");
    let port = match server {
        S3Server::Seaweedfs => 8333,
        S3Server::Rustfs => 9000,
    };
    let base = ServiceConfig {
        app_env: map(&[
            ("AWS_ENDPOINT_URL", &format!("http://s3:{port}")),
            ("AWS_ACCESS_KEY_ID", "app"),
            ("AWS_SECRET_ACCESS_KEY", "app-secret"),
            ("AWS_REGION", "us-east-1"),
            ("S3_BUCKET", &bucket),
        ]),
        prod_env: map(&[
            ("AWS_REGION", "the bucket's region, e.g. eu-west-1"),
            ("S3_BUCKET", "the production bucket"),
            (
                "AWS_ACCESS_KEY_ID",
                "credentials, unless the host provides a role",
            ),
            (
                "AWS_SECRET_ACCESS_KEY",
                "credentials, unless the host provides a role",
            ),
        ]),
        ..container(ServiceKind::S3, "", port, "/data")
    };
    let script = format!(
        "until aws --endpoint-url http://s3:9000 s3api head-bucket --bucket {bucket} 2>/dev/null || aws --endpoint-url http://s3:9000 s3 mb s3://{bucket}; do sleep 1; done"
    );
    match server {
        // One process (master, volume, filer, S3) that creates the bucket at start.
        S3Server::Seaweedfs => ServiceConfig {
            image: "chrislusf/seaweedfs:4.48".into(),
            command: ["mini", "-dir=/data"].map(String::from).to_vec(),
            environment: map(&[
                ("AWS_ACCESS_KEY_ID", "app"),
                ("AWS_SECRET_ACCESS_KEY", "app-secret"),
                ("S3_BUCKET", &bucket),
            ]),
            healthcheck: Some("wget -q -O /dev/null http://127.0.0.1:9333/cluster/healthz".into()),
            // `weed` reads the key only from its environment: a wrapper exports it from
            // the file and runs the image's entrypoint.
            secrets: vec![secret(
                "AWS_SECRET_ACCESS_KEY",
                "s3-secret-key",
                false,
                Some("AWS_SECRET_ACCESS_KEY"),
            )],
            prod_entrypoint: wrapper("AWS_SECRET_ACCESS_KEY", "s3-secret-key", "/entrypoint.sh"),
            ..base
        },
        // No shell in the image, so no healthcheck: the bucket job retries until it answers.
        S3Server::Rustfs => ServiceConfig {
            image: "rustfs/rustfs:1.0.0".into(),
            ui_port: Some(9001),
            environment: map(&[
                ("RUSTFS_ACCESS_KEY", "app"),
                ("RUSTFS_SECRET_KEY", "app-secret"),
                ("RUSTFS_VOLUMES", "/data"),
                ("RUSTFS_CONSOLE_ENABLE", "true"),
            ]),
            // RustFS runs as uid 10001 and reads RUSTFS_SECRET_KEY_FILE itself.
            secrets: vec![ServiceSecret {
                owner: Some(10001),
                ..secret(
                    "RUSTFS_SECRET_KEY",
                    "s3-secret-key",
                    true,
                    Some("AWS_SECRET_ACCESS_KEY"),
                )
            }],
            init: Some(InitJob {
                image: "amazon/aws-cli:2".into(),
                prod_script: format!(
                    "{}{script}",
                    export_from_secret("AWS_SECRET_ACCESS_KEY", "s3-secret-key")
                ),
                script,
                environment: map(&[
                    ("AWS_ACCESS_KEY_ID", "app"),
                    ("AWS_SECRET_ACCESS_KEY", "app-secret"),
                    ("AWS_REGION", "us-east-1"),
                ]),
                secrets: vec!["s3-secret-key".into()],
            }),
            ..base
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_container_has_an_image_a_port_and_a_healthcheck() {
        for kind in ServiceKind::ALL {
            let s = service(kind, "app", vec![], S3Server::default());
            assert_eq!(s.name, kind.name());
            assert!(!s.app_env.is_empty(), "{kind:?} gives the app no settings");
            for key in s.app_env.keys() {
                assert!(
                    s.prod_env.contains_key(key) || key.starts_with("AWS_"),
                    "{kind:?}: {key} has no prod hint"
                );
            }
            if s.container {
                assert!(s.image.contains(':'), "{kind:?} image is pinned");
                assert!(s.port > 0 && s.healthcheck.is_some(), "{kind:?}");
            }
        }
    }

    #[test]
    fn rustfs_gets_its_bucket_from_a_one_shot() {
        let s = service(ServiceKind::S3, "shop", vec![], S3Server::Rustfs);
        assert_eq!(s.app_env["AWS_ENDPOINT_URL"], "http://s3:9000");
        let init = s.init.expect("a bucket job");
        assert!(init.script.contains("s3 mb s3://shop"), "{}", init.script);
        assert!(s.healthcheck.is_none(), "no shell in the image");
        for kind in ServiceKind::ALL {
            if kind != ServiceKind::S3 {
                assert!(service(kind, "x", vec![], S3Server::Rustfs).init.is_none());
            }
            // Profiles are read by Compose too: no `$`.
            assert!(s.app_env.values().all(|v| !v.contains('$')), "{kind:?}");
        }
    }

    #[test]
    fn every_container_password_is_a_secret_read_from_a_file() {
        for server in [S3Server::Seaweedfs, S3Server::Rustfs] {
            for kind in ServiceKind::ALL {
                let s = service(kind, "app", vec![], server);
                for key in s.environment.keys() {
                    let secret = ["PASSWORD", "PASS", "SECRET"]
                        .iter()
                        .any(|w| key.contains(w));
                    assert_eq!(
                        secret,
                        s.secrets.iter().any(|x| &x.env == key),
                        "{kind:?} {key}"
                    );
                }
                for secret in &s.secrets {
                    let read = format!("/run/secrets/{}", secret.name);
                    if secret.from_file {
                        assert!(!s.prod_entrypoint.concat().contains(&read), "{kind:?}");
                    } else {
                        let wrapper = s.prod_entrypoint.join(" ");
                        assert!(
                            wrapper.starts_with("sh -c")
                                && wrapper.contains(&format!("{}=\"$$(cat {read})\"", secret.env))
                                && wrapper.contains("exec "),
                            "{kind:?}: {wrapper}"
                        );
                    }
                    if let Some(app) = &secret.app_env {
                        assert!(s.app_env.contains_key(app), "{kind:?} {app}");
                    }
                }
            }
        }
    }

    #[test]
    fn profile_values_keep_the_subset() {
        for server in [S3Server::Seaweedfs, S3Server::Rustfs] {
            for kind in ServiceKind::ALL {
                for value in service(kind, "my_app", vec![], server).app_env.values() {
                    assert_eq!(profile_value_error(value), None, "{kind:?}: {value}");
                }
            }
        }
        for bad in [
            "pa$$word", "a b", "\"x\"", "'x'", "a;b", "a&b", "`x`", "a\\b", "a\nb",
        ] {
            assert!(profile_value_error(bad).is_some(), "{bad}");
        }
        assert_eq!(
            profile_value_error("postgres://app:p%24ss@db:5432/app?sslmode=require"),
            None
        );
    }
}
