//! Docker Swarm: `deploy/swarm/stack.yaml`, deployable alone with `docker stack deploy`, and how the app reads its secrets there.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Family, Output};
use crate::config::Config;

/// The stack file.
pub const STACK: &str = "deploy/swarm/stack.yaml";

/// The stack, written when the `deploy` answer names Swarm.
pub const FAMILY: Family = Family::rendering("swarm", &[STACK])
    .wanted_when(|wants| wants.swarm)
    .making(files);

fn files(template: &str, config: &Config) -> Vec<Output> {
    let mut out = Output::at(template);
    out.vars.insert("swarm".into(), plan_value(config));
    vec![out]
}

/// The plan as a template variable (`swarm`), for the stack and the README.
pub fn plan_value(config: &Config) -> serde_json::Value {
    serde_json::to_value(Plan::of(config)).expect("the plan serializes")
}

/// What the stack gives the app's containers besides each binary's own variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Settings read from Swarm secret files.
    pub secrets: Vec<AppSecret>,
    /// Settings that are not secret, set inline.
    pub settings: Vec<InlineSetting>,
    /// The Swarm secret the migration job reads as its `.env` file (`DATABASE_URL=...`),
    /// when the workspace has a migration image.
    pub migrate_env: Option<String>,
    /// Every secret the stack names (the app's, the bundled services', the migration job's),
    /// each once: key in the stack and Swarm name.
    pub stack_secrets: Vec<StackSecret>,
}

/// A secret of the stack's top-level `secrets:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StackSecret {
    pub file: String,
    pub name: String,
}

/// A setting the app reads from a secret file under `/run/secrets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppSecret {
    /// The variable the app reads (`DATABASE_URL`); the stack sets `<var>_FILE` to the file.
    pub var: String,
    /// The secret's key in the stack and its file name under `/run/secrets`.
    pub file: String,
    /// The Swarm secret's name (`<project>-<file>`), created before the first deploy.
    pub name: String,
    /// What goes in it.
    pub hint: String,
    /// It is a bundled service's own secret (the same file the service reads).
    pub shared: bool,
}

/// A setting that is not secret: its value, or taken from the deployer's environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineSetting {
    pub var: String,
    /// The value, or `None`: `${VAR:?...}` from the environment of `docker stack deploy`.
    pub value: Option<String>,
    pub hint: String,
}

/// The project-scoped name of a Swarm secret.
pub fn secret_name(project: &str, file: &str) -> String {
    format!("{project}-{file}")
}

/// `DATABASE_URL` -> `database-url`.
fn file_name(var: &str) -> String {
    var.to_ascii_lowercase().replace('_', "-")
}

/// A variable named like a secret (the templates' `secret` test).
fn secret_named(var: &str) -> bool {
    ["PASSWORD", "PASS", "SECRET"]
        .iter()
        .any(|w| var.contains(w))
}

impl Plan {
    /// Service settings carrying a password and settings named like secrets are secrets;
    /// everything else is inline.
    pub fn of(config: &Config) -> Plan {
        let project = &config.project;
        let mut secrets: Vec<AppSecret> = Vec::new();
        let mut settings: Vec<InlineSetting> = Vec::new();
        for service in &config.services {
            let bundled =
                config.delivery.prod_services_bundled && service.container && !service.dev_only;
            let values: BTreeMap<&String, (Option<&String>, String)> = if bundled {
                (service.app_env.iter())
                    .map(|(k, v)| (k, (Some(v), format!("the bundled {}", service.name))))
                    .collect()
            } else {
                (service.prod_env.iter())
                    .map(|(k, hint)| {
                        // A file on the app's own volume (SQLite) has the same path everywhere.
                        let value = (!service.container).then(|| &service.app_env[k]);
                        (k, (value, hint.clone()))
                    })
                    .collect()
            };
            for (var, (value, hint)) in values {
                let carried = service
                    .secrets
                    .iter()
                    .find(|s| s.app_env.as_ref() == Some(var));
                let with_password = hint.contains("PASSWORD@")
                    || value.is_some_and(|v| v.contains(":app@"))
                    || (bundled && carried.is_some());
                // A value not known here (an external service's URL) may carry a credential.
                let unknown_secret = value.is_none() && super::secrets::is_secret(var);
                if !(secret_named(var) || with_password || unknown_secret) {
                    settings.push(InlineSetting {
                        var: var.clone(),
                        value: value.cloned(),
                        hint,
                    });
                    continue;
                }
                // The service's own secret when the app's value is that secret as is.
                let same = carried.filter(|s| {
                    bundled && service.environment.get(&s.env) == service.app_env.get(var)
                });
                let file = same.map_or_else(|| file_name(var), |s| s.name.clone());
                let hint = match (bundled, same) {
                    (true, Some(_)) => format!("the bundled {}'s password", service.name),
                    (true, None) => match value {
                        Some(v) if v.contains(":app@") => format!(
                            "{}, with the bundled {}'s password",
                            v.replace(":app@", ":PASSWORD@"),
                            service.name
                        ),
                        _ => hint,
                    },
                    (false, _) => hint,
                };
                secrets.push(AppSecret {
                    var: var.clone(),
                    name: secret_name(project, &file),
                    file,
                    hint,
                    shared: same.is_some(),
                });
            }
        }
        for setting in &config.app_settings {
            if secrets.iter().any(|s| s.var == setting.var)
                || settings.iter().any(|s| s.var == setting.var)
            {
                continue;
            }
            if setting.secret || super::secrets::is_secret(&setting.var) {
                let file = file_name(&setting.var);
                secrets.push(AppSecret {
                    var: setting.var.clone(),
                    name: secret_name(project, &file),
                    file,
                    hint: setting.prod_hint.clone(),
                    shared: false,
                });
            } else {
                settings.push(InlineSetting {
                    var: setting.var.clone(),
                    value: None,
                    hint: setting.prod_hint.clone(),
                });
            }
        }
        let migrate_env = (config.delivery.migrations.as_ref())
            .filter(|m| m.image)
            .map(|_| secret_name(project, "migrate-env"));
        let mut files: Vec<String> = secrets.iter().map(|s| s.file.clone()).collect();
        for service in &config.services {
            if config.delivery.prod_services_bundled && service.container && !service.dev_only {
                files.extend(service.secrets.iter().map(|s| s.name.clone()));
            }
        }
        if migrate_env.is_some() {
            files.push("migrate-env".into());
        }
        let mut stack_secrets: Vec<StackSecret> = Vec::new();
        for file in files {
            if !stack_secrets.iter().any(|s| s.file == file) {
                stack_secrets.push(StackSecret {
                    name: secret_name(project, &file),
                    file,
                });
            }
        }
        Plan {
            secrets,
            settings,
            migrate_env,
            stack_secrets,
        }
    }
}

/// What the app must do on Swarm for each secret it reads only from its environment: the
/// lines for the init summary (none when the stack is not generated).
pub fn app_side_lines(config: &Config) -> Vec<String> {
    if !super::includes(config, STACK) {
        return Vec::new();
    }
    Plan::of(config)
        .secrets
        .iter()
        .map(|s| {
            format!(
                "on Swarm, {var} is the file /run/secrets/{file} (secret {name}): the app must read the path in {var}_FILE when it is set (README.Docker.md, \"Docker Swarm\")",
                var = s.var,
                file = s.file,
                name = s.name
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Answers, DeployTarget, MigrationsConfig, resolve};
    use crate::detect;

    fn config(deps: &[&str]) -> Config {
        let mut ws = detect::test_support::workspace_with(deps);
        ws.name = "shop".into();
        ws.bins = detect::test_support::bins("shop", &["shop"]);
        let answers = Answers {
            deploy: Some(vec![DeployTarget::Swarm]),
            ..Answers::default()
        };
        resolve(&ws, &detect::detect(&ws), &answers).unwrap()
    }

    #[test]
    fn urls_of_external_services_are_secrets_as_on_kubernetes() {
        // An external Redis URL may carry a password (`rediss://:PASSWORD@host`), as a
        // Postgres one does: both come from Swarm secrets.
        let plan = Plan::of(&config(&["tokio-postgres", "redis"]));
        let secrets: Vec<(&str, &str)> = (plan.secrets.iter())
            .map(|s| (s.var.as_str(), s.name.as_str()))
            .collect();
        assert_eq!(
            secrets,
            [
                ("DATABASE_URL", "shop-database-url"),
                ("REDIS_URL", "shop-redis-url")
            ]
        );
        assert!(plan.settings.iter().all(|s| s.var != "REDIS_URL"));
        assert_eq!(plan.migrate_env, None);
    }

    #[test]
    fn migrations_run_as_a_job_reading_their_env_file_from_a_secret() {
        let mut config = config(&["tokio-postgres"]);
        config.delivery.migrations = Some(MigrationsConfig {
            tool: "sqlx".into(),
            dir: "migrations".into(),
            dev_command: "sqlx migrate run".into(),
            cli_install: Some("sqlx-cli".into()),
            cli_bin: Some("sqlx".into()),
            image: true,
            embedded: false,
        });
        let plan = Plan::of(&config);
        assert_eq!(plan.migrate_env.as_deref(), Some("shop-migrate-env"));
        assert!(
            plan.stack_secrets
                .iter()
                .any(|s| s.name == "shop-migrate-env")
        );
        let files = crate::render::render(&config).unwrap();
        let stack = &files[STACK].contents;
        assert!(stack.contains("mode: replicated-job"), "{stack}");
        assert!(stack.contains("target: /app/.env"), "{stack}");
        assert!(
            !stack.contains("profiles:") && !stack.contains("\nname:"),
            "{stack}"
        );
    }
}
