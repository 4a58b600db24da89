//! Production secrets with `prod-services = "bundled"`: each container gets only its own
//! settings. The app reads the prod profile; a bundled service never does, and takes its
//! passwords as Compose secrets (files in docker/env/secrets/). Profiles keep the plain
//! `KEY=value` subset.

use crate::support::Fixture;

/// The lines of the top-level `section:` of a Compose file, up to the next top-level key.
fn section<'a>(yaml: &'a str, name: &str) -> Vec<&'a str> {
    yaml.lines()
        .skip_while(|l| !l.starts_with(&format!("{name}:")))
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' ') || l.starts_with('#'))
        .collect()
}

/// The block of service `name` (its lines below `  name:`).
fn service(yaml: &str, name: &str) -> String {
    let header = format!("  {name}:");
    let lines = section(yaml, "services");
    let start = lines
        .iter()
        .position(|l| *l == header)
        .unwrap_or_else(|| panic!("no service {name}:\n{yaml}"));
    lines[start + 1..]
        .iter()
        .take_while(|l| l.is_empty() || l.starts_with("    ") || l.starts_with("  #"))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every secret any bundled service can have.
const ALL_SECRETS: [&str; 6] = [
    "postgres-password",
    "mysql-password",
    "mysql-root-password",
    "rabbitmq-password",
    "mongodb-password",
    "s3-secret-key",
];

#[test]
fn bundled_services_get_only_their_own_secrets_and_never_the_prod_profile() {
    for s3_server in ["seaweedfs", "rustfs"] {
        let fx = Fixture::every_service_bundled(s3_server);
        let prod = fx.read("compose.prod.yaml");
        let mut own: Vec<(&str, Vec<&str>)> = vec![
            ("postgres", vec!["postgres-password"]),
            ("mysql", vec!["mysql-password", "mysql-root-password"]),
            ("redis", vec![]),
            ("rabbitmq", vec!["rabbitmq-password"]),
            ("kafka", vec![]),
            ("nats", vec![]),
            ("mongodb", vec!["mongodb-password"]),
            ("s3", vec!["s3-secret-key"]),
        ];
        if s3_server == "rustfs" {
            own.push(("s3-init", vec!["s3-secret-key"]));
        }
        for (name, secrets) in &own {
            let block = service(&prod, name);
            assert!(
                !block.contains("env_file") && !block.contains("prod.env.sh"),
                "{s3_server}: {name} reads the app's profile:\n{block}"
            );
            for secret in ALL_SECRETS {
                let mounted = block.contains(&format!("      - {secret}\n"))
                    || block.ends_with(&format!("      - {secret}"));
                assert_eq!(
                    mounted,
                    secrets.contains(&secret),
                    "{s3_server}: {name} and secret {secret}:\n{block}"
                );
            }
            // No password value in the file: only *_FILE paths or the wrapper's `cat`.
            for line in block.lines().filter(|l| !l.trim().starts_with('#')) {
                let key = line.trim().split(':').next().unwrap_or("");
                if ["PASSWORD", "_PASS", "SECRET"]
                    .iter()
                    .any(|w| key.contains(w))
                {
                    assert!(
                        key.ends_with("_FILE") && line.contains(": /run/secrets/"),
                        "{s3_server}: {name} sets a secret in the clear: {line}"
                    );
                }
            }
            assert!(!block.contains("app-secret"), "{block}");
        }
        // The images that read *_FILE get it; the others a wrapper reading the same file.
        for (name, var, file) in [
            ("postgres", "POSTGRES_PASSWORD_FILE", "postgres-password"),
            ("mysql", "MYSQL_PASSWORD_FILE", "mysql-password"),
            ("mysql", "MYSQL_ROOT_PASSWORD_FILE", "mysql-root-password"),
            (
                "mongodb",
                "MONGO_INITDB_ROOT_PASSWORD_FILE",
                "mongodb-password",
            ),
        ] {
            assert!(
                service(&prod, name).contains(&format!("{var}: /run/secrets/{file}")),
                "{name}: {var}"
            );
        }
        let rabbitmq = service(&prod, "rabbitmq");
        assert!(
            rabbitmq.contains(
                r#"RABBITMQ_DEFAULT_PASS=\"$$(cat /run/secrets/rabbitmq-password)\" && export RABBITMQ_DEFAULT_PASS && exec docker-entrypoint.sh rabbitmq-server"#
            ),
            "{rabbitmq}"
        );
        let s3 = service(&prod, "s3");
        if s3_server == "rustfs" {
            assert!(s3.contains("RUSTFS_SECRET_KEY_FILE: /run/secrets/s3-secret-key"));
            assert!(!s3.contains("entrypoint"), "{s3}");
        } else {
            assert!(
                s3.contains("exec /entrypoint.sh")
                    && s3.contains(r#"command: ["mini","-dir=/data"]"#),
                "{s3}"
            );
        }
        // mysql's production healthcheck reads the password file, not a variable.
        assert!(
            service(&prod, "mysql").contains("$$(cat /run/secrets/mysql-password)"),
            "{prod}"
        );

        // The app reads the prod profile (through the shared production settings).
        let anchor = section(&prod, "x-production").join("\n");
        assert!(
            anchor.contains("env_file:\n    - docker/env/prod.env.sh"),
            "{anchor}"
        );
        assert!(service(&prod, "plain-tool").contains("<<: *production"));

        // Each secret is a file in the git-ignored directory.
        let declared = section(&prod, "secrets").join("\n");
        for secret in ALL_SECRETS {
            assert!(
                declared.contains(&format!(
                    "  {secret}:\n    file: docker/env/secrets/{secret}"
                )),
                "{declared}"
            );
        }
        assert!(
            fx.read("docker/env/.gitignore")
                .lines()
                .any(|l| l == "secrets/")
        );
        assert!(
            fx.read(".dockerignore")
                .lines()
                .any(|l| l == "docker/env/secrets/")
        );
    }
}

/// The subset every profile line keeps: `KEY=value`, no quotes, no `export`, no `$`.
fn assert_profile_lines(name: &str, profile: &str) {
    for line in profile.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{name}: not KEY=value: {line}"));
        assert!(
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "{name}: key {key:?}"
        );
        assert!(
            !value
                .chars()
                .any(|c| "$\"'`\\;&|<>()".contains(c) || c.is_whitespace()),
            "{name}: value outside the profile subset: {line}"
        );
    }
}

#[test]
fn profiles_keep_the_plain_subset_and_the_prod_example_says_why() {
    for s3_server in ["seaweedfs", "rustfs"] {
        let fx = Fixture::every_service_bundled(s3_server);
        assert_profile_lines("dev.env.sh", &fx.read("docker/env/dev.env.sh"));
        let example = fx.read("docker/env/prod.env.sh.example");
        assert_profile_lines("prod.env.sh.example", &example);
        for needle in [
            "no quotes, no export, no $",
            "Compose expands",
            "docker/env/secrets/",
            "printf '%s' 'PASSWORD' > docker/env/secrets/postgres-password && chmod 600 docker/env/secrets/postgres-password",
            "# the bundled postgres; PASSWORD is the one in docker/env/secrets/postgres-password, percent-encoded\nDATABASE_URL=postgres://app:PASSWORD@postgres:5432/",
            "%24 for $",
        ] {
            assert!(example.contains(needle), "{needle}\n{example}");
        }
        // A bundled service's password is no longer a profile variable.
        for var in [
            "POSTGRES_PASSWORD=",
            "MYSQL_ROOT_PASSWORD=",
            "RABBITMQ_DEFAULT_PASS=",
            "MONGO_INITDB_ROOT_PASSWORD=",
            "RUSTFS_SECRET_KEY=",
        ] {
            assert!(!example.contains(var), "{var}\n{example}");
        }
        let readme = fx.read("README.Docker.md");
        assert!(
            readme.contains("Production secrets: the bundled")
                && readme.contains("mkdir -p -m 700 docker/env/secrets"),
            "{readme}"
        );
    }
    // External services: nothing about secret files.
    let fx = Fixture::new("plain");
    fx.cmd(&["init", "--yes", "--no-git", "--services", "postgres"])
        .assert()
        .success();
    assert!(!fx.read("compose.prod.yaml").contains("secrets:"));
    assert!(!fx.read("docker/env/prod.env.sh.example").contains("printf"));
    assert!(!fx.read("README.Docker.md").contains("Production secrets"));
}
