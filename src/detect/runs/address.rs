//! The variable that sets a server's listen address when its default is loopback or it has none (set to `0.0.0.0` in containers).

use super::args::CliArg;
use super::config_files::FileSetting;
use super::env::EnvRead;
use super::frameworks::{LISTEN_CALLS, SettingKind, setting_kind};
use super::lex::{Src, find_word, let_name, matching, quoted_at, stmt_range};
use super::{Evidence, Location, PortFinding};

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
/// the port variable itself when that holds `host:port`), or a listen host it reads
/// without a default and uses with the port variable in one listen call.
pub fn find(
    srcs: &[Src],
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
                    reason: format!("{} (env {env}) defaults to {default}", a.describe()),
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
    if let Some(r) = host_beside_port(srcs, args, reads, port)
        && wanted(&r.var)
    {
        return Some(AddressEnv {
            var: r.var.clone(),
            value: "0.0.0.0".into(),
            evidence: Evidence {
                reason: format!("reads {} (no default) for where it listens", r.var),
                at: Some(r.at.clone()),
            },
        });
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

/// A listen host read without a fallback (`env::var("HOST").unwrap()`) that a listen call
/// uses beside the port variable (`bind(format!("{}:{}", host, port))`): the app has no
/// address of its own to fall back to.
fn host_beside_port<'a>(
    srcs: &[Src],
    args: &[CliArg],
    reads: &'a [EnvRead],
    port: Option<&PortFinding>,
) -> Option<&'a EnvRead> {
    let port = port.filter(|p| p.env.is_some() && !p.env_holds_address)?;
    let port_at = port.evidence.at.as_ref()?;
    let port_name = match args.iter().find(|a| &a.at == port_at) {
        Some(a) => a.name.clone(),
        None => bound_name(srcs, port_at, port.env.as_deref()?)?,
    };
    reads.iter().find(|r| {
        if r.fallback.is_some() || setting_kind(&r.var, true) != SettingKind::Address {
            return false;
        }
        let Some(src) = srcs.iter().find(|s| s.path == r.at.file) else {
            return false;
        };
        let host = bound_name(srcs, &r.at, &r.var);
        listen_args(src).iter().any(|text| {
            let has = |name: &str| !find_word(text, name).is_empty();
            has(&port_name)
                && (host.as_deref().is_some_and(has) || text.contains(&format!("\"{}\"", r.var)))
        })
    })
}

/// The name a `let` statement at `at` binds the read of `var` to.
fn bound_name(srcs: &[Src], at: &Location, var: &str) -> Option<String> {
    let (src, read) = quoted_at(srcs, at, var)?;
    let (start, _) = stmt_range(&src.masked, read);
    let_name(&src.masked[start..read]).map(str::to_string)
}

/// The arguments of each listen call in `src`, with the statements of the local bindings
/// they name (`let addr = format!(..); bind(addr)`), in code text.
fn listen_args(src: &Src) -> Vec<String> {
    let m = &src.masked;
    let mut out = Vec::new();
    for call in LISTEN_CALLS {
        for (i, _) in m.match_indices(call) {
            let open = i + call.len() - 1;
            let Some(close) = matching(m, open) else {
                continue;
            };
            let mut text = src.code[open..=close].to_string();
            for name in words_in(&m[open..close]) {
                for at in find_word(&m[..open], &name) {
                    let (start, end) = stmt_range(m, at);
                    // The binding's own name, not a use of it further on.
                    if let_name(&m[start..at + name.len()]) == Some(&name) {
                        text.push('\n');
                        text.push_str(&src.code[start..end]);
                    }
                }
            }
            out.push(text);
        }
    }
    out
}

/// The identifiers in masked text.
fn words_in(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::runs::lex::Src;
    use crate::detect::runs::{args, env};

    fn address(code: &str) -> Option<AddressEnv> {
        let srcs = vec![Src::new("src/main.rs", code)];
        find(
            &srcs,
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
        let found = address(
            "#[derive(Parser)]\nstruct Args {\n    #[arg(long, env, default_value_t = String::from(\"localhost\"))]\n    host: String,\n    #[arg(long, env, default_value_t = 8080)]\n    port: u16,\n}\n",
        )
        .unwrap();
        assert_eq!(
            (found.var.as_str(), found.value.as_str()),
            ("HOST", "0.0.0.0")
        );
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

    /// The address found beside the port `port::find` finds in `code`.
    fn beside_port(code: &str) -> Option<AddressEnv> {
        let srcs = vec![Src::new("src/main.rs", code)];
        let scanned = super::super::port::Scanned::of(&srcs);
        let port = super::super::port::find(&scanned.code(&srcs, None), None, false, false);
        find(
            &srcs,
            &scanned.args,
            &scanned.reads,
            None,
            None,
            Some(&port),
        )
    }

    #[test]
    fn host_without_default_beside_the_port_variable() {
        let found = beside_port(
            "async fn main() {\n    let host: String = std::env::var(\"HTTP_SERVER_HOST\").unwrap();\n    let port: String = std::env::var(\"HTTP_SERVER_PORT\").unwrap();\n    let l = tokio::net::TcpListener::bind(format!(\"{}:{}\", host, port).as_str()).await.unwrap();\n}\n",
        )
        .unwrap();
        assert_eq!(
            (found.var.as_str(), found.value.as_str()),
            ("HTTP_SERVER_HOST", "0.0.0.0")
        );
        assert_eq!(found.evidence.at.unwrap().line, 2);
        for code in [
            "let host = env::var(\"HOST\").expect(\"HOST\");\nlet port = env::var(\"PORT\").unwrap_or(\"80\".into());\nlet addr = format!(\"{host}:{port}\");\nlet l = TcpListener::bind(addr).await?;\n",
            "let port = env::var(\"PORT\").unwrap_or(\"80\".into());\nlet l = TcpListener::bind(format!(\"{}:{}\", env::var(\"HOST\").unwrap(), port)).await?;\n",
        ] {
            assert_eq!(
                beside_port(code).map(|a| a.var).as_deref(),
                Some("HOST"),
                "{code}"
            );
        }
        assert!(
            beside_port(
                "let host = env::var(\"HOST\").unwrap();\nprintln!(\"{host}\");\nlet port = env::var(\"PORT\").unwrap_or(\"80\".into());\nlet l = TcpListener::bind((\"0.0.0.0\", port.parse::<u16>()?)).await?;\n",
            )
            .is_none()
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
        let found = find(&[], &[], &[], None, Some(&rocket), None).unwrap();
        assert_eq!(found.var, "ROCKET_ADDRESS");
    }
}
