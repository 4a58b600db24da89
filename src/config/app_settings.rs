//! The settings the app's own code reads, with the value each env profile gives them.

use serde::Serialize;
use sha2::{Digest, Sha512};

use super::{BinConfig, ServiceConfig};
use crate::detect::{BinRun, ServiceKind, ServiceUrl, Setting, UrlPart};
use crate::escape::{env_value_problem, one_line};

/// A variable the app reads that no backing service sets under that name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppSetting {
    pub var: String,
    /// Its value in the development profile (empty: for the user to fill in).
    pub dev: String,
    /// The comment above it in the development profile.
    pub dev_note: String,
    /// The comment above it in the production example (whose value is always empty).
    pub prod_hint: String,
    pub secret: bool,
}

/// Databases a generic `DATABASE`/`DB` URL may mean, in the order they are preferred.
const DATABASES: [ServiceKind; 4] = [
    ServiceKind::Postgres,
    ServiceKind::Mysql,
    ServiceKind::Sqlite,
    ServiceKind::Mongodb,
];

/// The settings of the packaged binaries, each variable once: those the services and the
/// binaries' listen settings already set are left to them.
pub fn app_settings(
    project: &str,
    runs: &[BinRun],
    bins: &[BinConfig],
    services: &[ServiceConfig],
) -> Vec<AppSetting> {
    let mut out: Vec<AppSetting> = Vec::new();
    for bin in bins {
        let Some(run) = runs.iter().find(|r| r.bin == bin.name) else {
            continue;
        };
        for s in &run.settings {
            let taken = services.iter().any(|sv| sv.app_env.contains_key(&s.var))
                || bins.iter().any(|b| b.env.contains_key(&s.var))
                || out.iter().any(|o| o.var == s.var);
            if !taken && let Some(setting) = app_setting(project, s, services) {
                out.push(setting);
            }
        }
    }
    out
}

/// One setting's values: a service's URL, the cargo config's value, a development secret,
/// or empty for the user to fill in; `None` for a service URL with a fallback and no service.
fn app_setting(project: &str, s: &Setting, services: &[ServiceConfig]) -> Option<AppSetting> {
    let at = one_line(&s.at.to_string());
    let service = s
        .service
        .and_then(|u| service_for(u, services))
        .and_then(|(service, key)| {
            let value = url_part(&service.app_env[key], s.part)?;
            Some((service, key, value))
        });
    let (dev, dev_note, prod_hint) = if let Some((service, key, value)) = service {
        let hint = match s.part {
            UrlPart::Url => service
                .prod_env
                .get(key)
                .cloned()
                .unwrap_or_else(|| format!("the production {}", service.name)),
            part => format!("the {} of the production {}", part_name(part), service.name),
        };
        let what = match s.part {
            UrlPart::Url => String::new(),
            part => format!("the {} of ", part_name(part)),
        };
        (
            value,
            format!("{what}the development {} (read at {at})", service.name),
            match s.part {
                UrlPart::Url => format!("{hint}; the same as {key} (read at {at})"),
                _ => format!("{hint} (read at {at})"),
            },
        )
    } else if s.service.is_some() && !s.required && s.cargo_env.is_none() {
        // It has a fallback and no service here gives it a URL: the app starts as it is.
        return None;
    } else if let Some(value) = &s.cargo_env {
        let note = format!(
            "from .cargo/config.toml [env], which cargo run sets and a container does not (read at {at})"
        );
        match env_value_problem(value) {
            None => (
                value.clone(),
                note,
                format!(
                    "cargo run gets it from .cargo/config.toml [env]; in the image: {value} (read at {at})"
                ),
            ),
            Some(problem) => (
                String::new(),
                format!(
                    "set it: its .cargo/config.toml [env] value has {problem}, which a profile cannot hold (read at {at})"
                ),
                format!("set in .cargo/config.toml [env] for cargo run (read at {at})"),
            ),
        }
    } else if s.secret {
        (
            development_secret(project, &s.var),
            format!(
                "development only, derived from the project's name: not a secret (read at {at})"
            ),
            format!(
                "a secret the app needs at start: generate one, e.g. openssl rand -hex 64 (read at {at})"
            ),
        )
    } else {
        (
            String::new(),
            format!("set it: the app needs it at start (read at {at})"),
            format!("required at start (read at {at})"),
        )
    };
    Some(AppSetting {
        var: s.var.clone(),
        dev,
        dev_note: one_line(&dev_note),
        prod_hint: one_line(&prod_hint),
        secret: s.secret,
    })
}

/// The service a URL variable names, and the key of its URL in the catalog's `app_env`.
fn service_for(url: ServiceUrl, services: &[ServiceConfig]) -> Option<(&ServiceConfig, &String)> {
    let kinds: Vec<ServiceKind> = match url {
        ServiceUrl::Of(kind) => vec![kind],
        ServiceUrl::Database => DATABASES.to_vec(),
    };
    let service = kinds
        .iter()
        .find_map(|k| services.iter().find(|s| s.name == k.name()))?;
    let key = service
        .app_env
        .keys()
        .find(|k| k.ends_with("_URL"))
        .or_else(|| service.app_env.keys().next())?;
    Some((service, key))
}

/// How a URL part is called in the profiles' comments.
fn part_name(part: UrlPart) -> &'static str {
    match part {
        UrlPart::Url => "URL",
        UrlPart::Host => "host",
        UrlPart::Port => "port",
        UrlPart::User => "user",
        UrlPart::Password => "password",
        UrlPart::Database => "database name",
    }
}

/// A part of a service URL (`postgres://app:app@postgres:5432/shop`, `redis://redis:6379`,
/// `kafka:9092`); `None` when the URL has no such part.
fn url_part(url: &str, part: UrlPart) -> Option<String> {
    if part == UrlPart::Url {
        return Some(url.to_string());
    }
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (user, password) = match userinfo {
        Some(u) => match u.split_once(':') {
            Some((user, pass)) => (Some(user), Some(pass)),
            None => (Some(u), None),
        },
        None => (None, None),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (hostport, None),
    };
    let database = path.split(['?', '/']).next().filter(|d| !d.is_empty());
    let value = match part {
        UrlPart::Url => Some(url),
        UrlPart::Host => Some(host).filter(|h| !h.is_empty()),
        UrlPart::Port => port,
        UrlPart::User => user,
        UrlPart::Password => password,
        UrlPart::Database => database,
    };
    value.map(str::to_string)
}

/// A stable development value for a secret: the SHA-512 of the project and variable, in
/// hex (128 characters, so it also serves where a key must be long), never random.
pub fn development_secret(project: &str, var: &str) -> String {
    let digest = Sha512::digest(format!("cargo-dockerize development {project} {var}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Location, Role};

    fn setting(var: &str, required: bool, secret: bool) -> Setting {
        Setting {
            var: var.into(),
            at: Location {
                file: "src/main.rs".into(),
                line: 7,
            },
            required,
            secret,
            service: match var {
                "SERVICE_DB_URL" | "DATABASE_URL" => Some(ServiceUrl::Database),
                "APP_REDIS_URI" => Some(ServiceUrl::Of(ServiceKind::Redis)),
                _ => None,
            },
            part: UrlPart::Url,
            cargo_env: None,
        }
    }

    fn run(settings: Vec<Setting>) -> BinRun {
        BinRun {
            settings,
            ..crate::detect::test_support::bin_run("api", Role::Server)
        }
    }

    fn bin() -> BinConfig {
        BinConfig {
            name: "api".into(),
            package: "api".into(),
            port: 3000,
            target: "production".into(),
            env_prefix: "API".into(),
            run_flags: String::new(),
            role: Role::Server,
            args: Vec::new(),
            port_env: Some("PORT".into()),
            env: [("PORT".to_string(), "3000".to_string())].into(),
            host_port: 3000,
            image: "api".into(),
            health: None,
        }
    }

    #[test]
    fn each_shape_gets_a_working_development_value() {
        let postgres = crate::catalog::service(
            ServiceKind::Postgres,
            "shop",
            Vec::new(),
            Default::default(),
        );
        let mut web = setting("WEB_FOLDER", false, false);
        web.cargo_env = Some("web-folder/".into());
        let settings = vec![
            setting("SERVICE_DB_URL", true, false),
            setting("DATABASE_URL", true, false),
            setting("PORT", true, false),
            setting("APP_REDIS_URI", false, false),
            setting("SECRET_KEY", true, true),
            setting("TOKEN_DURATION_SEC", true, false),
            web,
        ];
        let found = app_settings("shop", &[run(settings)], &[bin()], &[postgres]);
        let values: Vec<(&str, &str)> = found
            .iter()
            .map(|s| (s.var.as_str(), s.dev.as_str()))
            .collect();
        let secret = development_secret("shop", "SECRET_KEY");
        assert_eq!(
            values,
            [
                ("SERVICE_DB_URL", "postgres://app:app@postgres:5432/shop"),
                ("SECRET_KEY", secret.as_str()),
                ("TOKEN_DURATION_SEC", ""),
                ("WEB_FOLDER", "web-folder/"),
            ],
            "DATABASE_URL and PORT are set already; no Redis here and the app has a fallback"
        );
        assert_eq!(secret.len(), 128);
        assert_eq!(secret, development_secret("shop", "SECRET_KEY"), "stable");
        assert!(found[1].dev_note.contains("development only"));
        assert!(found[2].dev_note.contains("src/main.rs:7"));
        assert_eq!(
            found[0].dev_note,
            "the development postgres (read at src/main.rs:7)"
        );
        assert!(found[0].prod_hint.contains("postgres://USER:PASSWORD@HOST"));
        for s in &found {
            assert_eq!(env_value_problem(&s.dev), None, "{s:?}");
            assert!(!s.prod_hint.contains(&secret));
        }
    }

    #[test]
    fn url_parts() {
        let url = "postgres://app:app@postgres:5432/shop";
        let parts: Vec<Option<String>> = [
            UrlPart::Host,
            UrlPart::Port,
            UrlPart::User,
            UrlPart::Password,
            UrlPart::Database,
        ]
        .map(|p| url_part(url, p))
        .to_vec();
        assert_eq!(
            parts,
            ["postgres", "5432", "app", "app", "shop"].map(|s| Some(s.to_string()))
        );
        assert_eq!(url_part("redis://redis:6379", UrlPart::User), None);
        assert_eq!(
            url_part("redis://redis:6379", UrlPart::Host).as_deref(),
            Some("redis")
        );
    }

    #[test]
    fn a_configuration_files_database_points_at_the_development_service() {
        let postgres = crate::catalog::service(
            ServiceKind::Postgres,
            "shop",
            Vec::new(),
            Default::default(),
        );
        let parts = [
            ("APP_DATABASE__HOST", UrlPart::Host),
            ("APP_DATABASE__PASSWORD", UrlPart::Password),
            ("APP_DATABASE__DATABASE_NAME", UrlPart::Database),
        ];
        let settings = parts
            .iter()
            .map(|(var, part)| Setting {
                service: Some(ServiceUrl::Database),
                part: *part,
                secret: *part == UrlPart::Password,
                ..setting(var, false, false)
            })
            .collect();
        let found = app_settings("shop", &[run(settings)], &[bin()], &[postgres]);
        let values: Vec<(&str, &str)> = found
            .iter()
            .map(|s| (s.var.as_str(), s.dev.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("APP_DATABASE__HOST", "postgres"),
                ("APP_DATABASE__PASSWORD", "app"),
                ("APP_DATABASE__DATABASE_NAME", "shop"),
            ]
        );
        assert!(
            found[1]
                .prod_hint
                .starts_with("the password of the production postgres")
        );
    }

    #[test]
    fn a_cargo_value_a_profile_cannot_hold_is_left_to_fill() {
        let mut s = setting("GREETING", false, false);
        s.cargo_env = Some("hello world".into());
        let found = app_settings("shop", &[run(vec![s])], &[bin()], &[]);
        assert_eq!(found[0].dev, "");
        assert!(found[0].dev_note.contains("a blank"), "{:?}", found[0]);
    }
}
