//! Health routes a server's router declares (`/health`, `/healthz`, `/livez`, `/readyz`, ...), for HTTP probes.

use serde::Serialize;

use super::Location;
use super::lex::{Src, matching};

/// What a health route tells an orchestrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Alive and ready alike (`/health`, `/healthz`).
    Both,
    /// The process is alive (`/livez`).
    Live,
    /// It can take traffic (`/readyz`).
    Ready,
}

/// The paths taken as health routes, and what each tells.
const PATHS: &[(&str, Kind)] = &[
    ("/health", Kind::Both),
    ("/healthz", Kind::Both),
    ("/health_check", Kind::Both),
    ("/healthcheck", Kind::Both),
    ("/livez", Kind::Live),
    ("/health/live", Kind::Live),
    ("/health/liveness", Kind::Live),
    ("/readyz", Kind::Ready),
    ("/health/ready", Kind::Ready),
    ("/health/readiness", Kind::Ready),
];

/// Calls and attributes that declare a route with its path as the first string:
/// `.route("/health", get(..))` (axum, actix), `web::resource("/health")` (actix),
/// `#[get("/health")]` (rocket, actix), `.at("/health", get(..))` (poem).
const DECLARATIONS: &[&str] = &[".route(", "resource(", "#[get(", ".at("];

/// A route found in the code: its path and where it is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub path: String,
    pub at: Location,
}

/// The paths a server's probes can GET, as its code declares them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HealthRoutes {
    /// Answers while the process is alive (liveness).
    pub liveness: Option<String>,
    /// Answers when it can take traffic (readiness).
    pub readiness: Option<String>,
    /// Where the first of them is declared (`src/main.rs:12`).
    pub at: String,
}

/// The health routes in a binary's code: a `/livez` or `/readyz` for its own probe, a
/// `/health`-like route for both; `None` when there is none.
pub fn find(srcs: &[Src]) -> Option<HealthRoutes> {
    let routes = routes(srcs);
    let first = |kinds: &[Kind]| {
        routes
            .iter()
            .find(|(_, k)| kinds.contains(k))
            .map(|(r, _)| r)
    };
    let liveness = first(&[Kind::Live]).or(first(&[Kind::Both]));
    let readiness = first(&[Kind::Ready]).or(first(&[Kind::Both]));
    let at = routes.first()?.0.at.to_string();
    Some(HealthRoutes {
        liveness: liveness.map(|r| r.path.clone()),
        readiness: readiness.map(|r| r.path.clone()),
        at,
    })
}

/// Every health route declared in `srcs` for GET, in source order.
fn routes(srcs: &[Src]) -> Vec<(Route, Kind)> {
    let mut out = Vec::new();
    for src in srcs {
        let mut found: Vec<(usize, String)> = DECLARATIONS
            .iter()
            .flat_map(|needle| src.masked.match_indices(needle))
            .filter_map(|(at, needle)| {
                let open = at + needle.len() - 1;
                let close = matching(&src.masked, open)?;
                let path = first_string(src, open + 1, close)?;
                gets(&src.masked[open + 1..close], needle).then_some((at, path))
            })
            .collect();
        found.sort();
        for (at, path) in found {
            if let Some((_, kind)) = PATHS.iter().find(|(p, _)| *p == path) {
                let route = Route {
                    path,
                    at: Location {
                        file: src.path.clone(),
                        line: src.line(at),
                    },
                };
                out.push((route, *kind));
            }
        }
    }
    out
}

/// The string literal a call's arguments start with.
fn first_string(src: &Src, start: usize, end: usize) -> Option<String> {
    let args = &src.masked[start..end];
    let quote = start + args.len() - args.trim_start().len();
    if src.masked.as_bytes().get(quote) != Some(&b'"') {
        return None;
    }
    let close = src.masked[quote + 1..].find('"')? + quote + 1;
    Some(src.code[quote + 1..close].to_string())
}

/// Whether a declaration with these arguments answers GET: an attribute says so; a `route`
/// or `at` call names `get` in them; a `resource` has GET unless its routes say otherwise.
fn gets(args: &str, needle: &str) -> bool {
    match needle {
        "#[get(" | "resource(" => true,
        _ => args.contains("get("),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::scan_main_rs;

    #[test]
    fn each_route_serves_its_probes() {
        // (case, code, liveness, readiness, where)
        for (case, code, liveness, readiness, at) in [
            (
                "an axum health route serves both",
                "fn app() -> Router {\n    Router::new()\n        .route(\"/\", get(index))\n        .route(\"/health\", get(health))\n}\n",
                Some("/health"),
                Some("/health"),
                "src/main.rs:4",
            ),
            (
                "livez and readyz each serve their own",
                "Router::new().route(\"/readyz\", get(ready)).route(\"/livez\", get(live))",
                Some("/livez"),
                Some("/readyz"),
                "src/main.rs:1",
            ),
            (
                "readyz alone serves readiness only",
                "Router::new().route(\"/readyz\", get(ready))",
                None,
                Some("/readyz"),
                "src/main.rs:1",
            ),
        ] {
            let found = scan_main_rs(find, code).unwrap_or_else(|| panic!("{case}"));
            assert_eq!(
                (
                    found.liveness.as_deref(),
                    found.readiness.as_deref(),
                    found.at.as_str()
                ),
                (liveness, readiness, at),
                "{case}"
            );
        }
    }

    #[test]
    fn actix_and_rocket_declarations_count() {
        for text in [
            "App::new().service(web::resource(\"/healthz\").route(web::get().to(h)))",
            "App::new().route(\"/healthz\", web::get().to(h))",
            "#[get(\"/healthz\")]\nasync fn h() -> &'static str { \"ok\" }",
            "Route::new().at(\"/healthz\", get(h))",
        ] {
            let found = scan_main_rs(find, text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(found.readiness.as_deref(), Some("/healthz"), "{text}");
        }
    }

    #[test]
    fn other_routes_methods_comments_and_clients_do_not() {
        for text in [
            "Router::new().route(\"/\", get(index)).route(\"/db\", get(db))",
            "Router::new().route(\"/health\", post(h))",
            "// .route(\"/health\", get(h))\nfn main() {}",
            "let r = reqwest::get(\"http://127.0.0.1:3000/health\").await;",
            "Router::new().route(\"/healthy-food\", get(h))",
        ] {
            assert_eq!(scan_main_rs(find, text), None, "{text}");
        }
    }
}
