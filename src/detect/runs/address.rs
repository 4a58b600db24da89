//! The variable that sets a server's listen address when its default is loopback (set to `0.0.0.0` in containers).

use super::args::CliArg;
use super::config_files::FileSetting;
use super::env::EnvRead;
use super::frameworks::{SettingKind, setting_kind};
use super::{Evidence, PortFinding};

/// Whether an address (`127.0.0.1`, `localhost:3000`, `[::1]:80`, `::1`) is loopback.
pub fn is_loopback(value: &str) -> bool {
    let v = value.trim().trim_matches('"').to_ascii_lowercase();
    v.starts_with("127.")
        || v == "localhost"
        || v.starts_with("localhost:")
        || v.starts_with("[::1]")
        || v == "::1"
}

/// A listen-address variable to set, with the value that makes the app listen on all interfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressEnv {
    pub var: String,
    pub value: String,
    pub evidence: Evidence,
}

/// The listen-address variable whose default is loopback, if the app reads one (other than
/// the port variable itself when that holds `host:port`).
pub fn find(
    args: &[CliArg],
    reads: &[EnvRead],
    file: Option<&FileSetting>,
    rocket: Option<&FileSetting>,
    port: Option<&PortFinding>,
) -> Option<AddressEnv> {
    let port_var = port
        .filter(|p| p.env_holds_address)
        .and_then(|p| p.env.as_deref());
    let wanted = |var: &str| Some(var) != port_var;
    if let Some(r) = rocket {
        let set_elsewhere = r.host.as_ref().is_some_and(|h| !is_loopback(&h.0));
        if !set_elsewhere {
            return Some(AddressEnv {
                var: "ROCKET_ADDRESS".into(),
                value: "0.0.0.0".into(),
                evidence: Evidence {
                    reason: "Rocket listens on 127.0.0.1 unless ROCKET_ADDRESS is set".into(),
                    at: r.host.as_ref().map(|h| h.1.clone()),
                },
            });
        }
    }
    for a in args {
        if let (Some(env), Some(default)) = (&a.env, &a.default)
            && setting_kind(&a.name, false) == SettingKind::Address
            && is_loopback(default)
            && wanted(env)
        {
            return Some(AddressEnv {
                var: env.clone(),
                value: "0.0.0.0".into(),
                evidence: Evidence {
                    reason: format!(
                        "clap option `--{}` (env {env}) defaults to {default}",
                        a.name.replace('_', "-")
                    ),
                    at: Some(a.at.clone()),
                },
            });
        }
    }
    for r in reads {
        if let Some(fallback) = &r.fallback
            && setting_kind(&r.var, true) == SettingKind::Address
            && is_loopback(fallback)
            && wanted(&r.var)
        {
            return Some(AddressEnv {
                var: r.var.clone(),
                value: "0.0.0.0".into(),
                evidence: Evidence {
                    reason: format!("reads {} (default {fallback})", r.var),
                    at: Some(r.at.clone()),
                },
            });
        }
    }
    let (value, at, env, loopback) = file?.host.clone()?;
    let env = env?;
    let reason = if is_loopback(&value) {
        format!("listen host {value} in {} (env {env})", at.file)
    } else {
        format!(
            "listen host {value} in {}, loopback in another layer (env {env})",
            at.file
        )
    };
    loopback.then(|| AddressEnv {
        value: "0.0.0.0".into(),
        evidence: Evidence {
            reason,
            at: Some(at),
        },
        var: env,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::runs::lex::Src;
    use crate::detect::runs::{args, env};

    fn address(code: &str) -> Option<AddressEnv> {
        let srcs = vec![Src::new("src/main.rs", code)];
        find(
            &args::cli_args(&srcs),
            &env::env_reads(&srcs),
            None,
            None,
            None,
        )
    }

    #[test]
    fn loopback_forms() {
        for v in [
            "127.0.0.1",
            "localhost",
            "localhost:80",
            "[::1]:3000",
            "::1",
            "127.0.0.1:8080",
        ] {
            assert!(is_loopback(v), "{v}");
        }
        for v in ["0.0.0.0", "[::]:80", "example.com", "10.0.0.1"] {
            assert!(!is_loopback(v), "{v}");
        }
    }

    #[test]
    fn clap_host_with_env_but_not_a_redirect_host() {
        let found = address(
            "struct Args {\n    #[arg(long, default_value = \"localhost\")]\n    redirect_host: String,\n    #[arg(long, default_value = \"127.0.0.1\", env = \"SERVER_HOST\")]\n    host: String,\n}\n",
        )
        .unwrap();
        assert_eq!(
            (found.var.as_str(), found.value.as_str()),
            ("SERVER_HOST", "0.0.0.0")
        );
        assert_eq!(found.evidence.at.unwrap().line, 5);
        assert!(
            address(
                "struct A { #[arg(long, default_value = \"localhost\")] redirect_host: String }"
            )
            .is_none()
        );
        assert!(address("struct A { #[arg(long, env = \"HOST\", default_value = \"0.0.0.0\")] host: String }").is_none());
    }

    #[test]
    fn env_host_with_loopback_fallback_but_not_a_database_host() {
        let found = address(
            "let db = env::var(\"DATABASE_HOST\").unwrap_or(\"localhost\".into());\nlet host = env::var(\"HOST\").unwrap_or_else(|_| \"127.0.0.1\".to_string());",
        )
        .unwrap();
        assert_eq!(found.var, "HOST");
        assert!(
            address("let db = env::var(\"REDIS_HOST\").unwrap_or(\"localhost\".into());").is_none()
        );
    }

    #[test]
    fn rocket_address() {
        let rocket = FileSetting {
            port: None,
            port_env: Some("ROCKET_PORT".into()),
            port_is_address: false,
            port_key: "port".into(),
            port_at: super::super::Location {
                file: "Rocket.toml".into(),
                line: 1,
            },
            host: None,
        };
        let found = find(&[], &[], None, Some(&rocket), None).unwrap();
        assert_eq!(found.var, "ROCKET_ADDRESS");
    }
}
