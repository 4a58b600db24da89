//! A binary's role from the code compiled into it: server, worker, job or tool.

use std::collections::BTreeSet;

use super::frameworks::{
    self, JOB, JOB_NAMES, LOOP_WAITS, Marker, PARSER_DERIVES, SERVER, SERVER_CRATES, SUBCOMMANDS,
    TOOL, WORKER,
};
use super::lex::{Src, find_word, matching, stmt_range};
use super::{Evidence, Location, Role};

/// A marker found in the code.
#[derive(Debug, Clone)]
pub struct Hit {
    pub marker: Marker,
    pub at: Location,
    /// Index of the file in the reached sources, and the offset in it.
    pub file: usize,
    pub offset: usize,
}

/// Every hit of `markers` whose crate requirement holds, in file order.
pub fn hits(srcs: &[Src], markers: &[Marker], crates: &BTreeSet<String>) -> Vec<Hit> {
    let mut out = Vec::new();
    for (fi, src) in srcs.iter().enumerate() {
        for marker in markers {
            if !marker.requires.is_empty() && !marker.requires.iter().any(|c| crates.contains(*c)) {
                continue;
            }
            for (offset, _) in src.masked.match_indices(marker.needle) {
                out.push(Hit {
                    marker: *marker,
                    at: Location {
                        file: src.path.clone(),
                        line: src.line(offset),
                    },
                    file: fi,
                    offset,
                });
            }
        }
    }
    out.sort_by_key(|h| (h.file, h.offset));
    out
}

fn evidence(reason: impl Into<String>, at: &Location) -> Evidence {
    Evidence {
        reason: reason.into(),
        at: Some(at.clone()),
    }
}

/// The role, why, and the server marker when it is a server.
pub fn role(bin: &str, srcs: &[Src], crates: &BTreeSet<String>) -> (Role, Evidence, Option<Hit>) {
    let real_listener = |h: &Hit| {
        // A bind to port 0 takes any free port: a test helper's, never a deployed server's.
        let src = &srcs[h.file];
        let (start, end) = stmt_range(&src.masked, h.offset);
        let stmt = src.code[start..end].to_ascii_lowercase();
        // Unix sockets have no port and are not published.
        !stmt.contains(":0\"") && !stmt.contains("unix") && !stmt.contains("uds")
    };
    if let Some(hit) = hits(srcs, SERVER, crates).into_iter().find(real_listener) {
        return (
            Role::Server,
            evidence(hit.marker.reason, &hit.at),
            Some(hit),
        );
    }
    let name_words = frameworks::words(bin);
    if name_words.iter().any(|w| JOB_NAMES.contains(&w.as_str())) {
        let at = srcs.first().map(|s| Location {
            file: s.path.clone(),
            line: 1,
        });
        let reason = format!("named `{bin}` and binds no listener");
        return verdict(Role::Job, reason, at.as_ref());
    }
    if let Some(at) = subcommands(srcs) {
        let reason = "a command-line program with subcommands and no listener";
        return verdict(Role::Tool, reason, Some(&at));
    }
    if let Some(hit) = hits(srcs, WORKER, crates).into_iter().next() {
        return verdict(Role::Worker, hit.marker.reason, Some(&hit.at));
    }
    if let Some((at, wait)) = waiting_loop(srcs) {
        let reason = format!("loops forever on `{wait}` with no listener");
        return verdict(Role::Worker, reason, Some(&at));
    }
    if let Some(hit) = hits(srcs, JOB, crates).into_iter().next() {
        let reason = format!("{} and binds no listener", hit.marker.reason);
        return verdict(Role::Job, reason, Some(&hit.at));
    }
    if let Some(at) = parser_derive(srcs) {
        let reason = "a command-line program (derives a parser) with no listener or loop";
        return verdict(Role::Tool, reason, Some(&at));
    }
    if let Some(hit) = hits(srcs, TOOL, crates).into_iter().next() {
        let reason = format!("{} and binds no listener or loop", hit.marker.reason);
        return verdict(Role::Tool, reason, Some(&hit.at));
    }
    match SERVER_CRATES.iter().find(|c| crates.contains(**c)) {
        Some(krate) => verdict(
            Role::Server,
            format!("assumed: no listener found in its code, but it depends on {krate}"),
            None,
        ),
        None => verdict(
            Role::Tool,
            "assumed: no listener, loop or command-line parser found in its code",
            None,
        ),
    }
}

/// A role that no server marker proves, and why: what was found at `at`, or what is assumed.
fn verdict(
    role: Role,
    reason: impl Into<String>,
    at: Option<&Location>,
) -> (Role, Evidence, Option<Hit>) {
    let evidence = Evidence {
        reason: reason.into(),
        at: at.cloned(),
    };
    (role, evidence, None)
}

fn locate(src: &Src, offset: usize) -> Location {
    Location {
        file: src.path.clone(),
        line: src.line(offset),
    }
}

/// Where the code declares subcommands.
fn subcommands(srcs: &[Src]) -> Option<Location> {
    for src in srcs {
        for needle in SUBCOMMANDS {
            if let Some(at) = src.masked.find(needle) {
                return Some(locate(src, at));
            }
        }
        if let Some(at) = derives(src, &["Subcommand"]) {
            return Some(locate(src, at));
        }
    }
    None
}

/// Where a command-line parser is derived.
fn parser_derive(srcs: &[Src]) -> Option<Location> {
    srcs.iter()
        .find_map(|src| derives(src, PARSER_DERIVES).map(|at| locate(src, at)))
}

/// The offset of a `#[derive(...)]` naming one of `names`.
fn derives(src: &Src, names: &[&str]) -> Option<usize> {
    src.masked.match_indices("#[derive(").find_map(|(at, _)| {
        let close = matching(&src.masked, at + 8)?;
        let inner = &src.masked[at + 9..close];
        names
            .iter()
            .any(|n| !find_word(inner, n).is_empty())
            .then_some(at)
    })
}

/// Words in a `while` condition that make a stream a consumer's.
const CONSUMER_WORDS: &[&str] = &["consumer", "subscriber", "subscription", "deliver", "queue"];

/// A `loop`, or a `while` over a receive, whose body waits on a channel, a timer or a stream,
/// in the binary's own package (a library's background loops say nothing about the binary;
/// neither do loops generating a stream).
fn waiting_loop(srcs: &[Src]) -> Option<(Location, &'static str)> {
    for src in srcs.iter().filter(|s| !s.foreign) {
        let m = &src.masked;
        let generators: Vec<(usize, usize)> = ["stream!", "stream::unfold("]
            .iter()
            .flat_map(|n| m.match_indices(n))
            .filter_map(|(at, n)| {
                let open = at + n.len() + m[at + n.len()..].find(['{', '('])?;
                Some((at, matching(m, open)?))
            })
            .collect();
        for kw in ["loop", "while"] {
            for at in find_word(m, kw) {
                if generators.iter().any(|(s, e)| *s < at && at < *e) {
                    continue;
                }
                let Some(open) = m[at..].find('{').map(|p| at + p) else {
                    continue;
                };
                if m[at + kw.len()..open].contains(';') {
                    continue;
                }
                let Some(close) = matching(m, open) else {
                    continue;
                };
                let head = &m[at..open];
                let body = &m[open..close];
                let ends =
                    !find_word(body, "break").is_empty() || !find_word(body, "return").is_empty();
                let found = if kw == "loop" {
                    LOOP_WAITS.iter().find(|w| !ends && body.contains(**w))
                } else if head.contains(".recv(")
                    && ["rx", "receiver", "chan", "queue", "inbox", "jobs", "events"]
                        .iter()
                        .any(|w| head.to_ascii_lowercase().contains(w))
                {
                    Some(&".recv(")
                } else if body.contains(".tick()") {
                    Some(&".tick()")
                } else if CONSUMER_WORDS.iter().any(|w| head.contains(w)) {
                    LOOP_WAITS.iter().find(|w| head.contains(**w))
                } else {
                    None
                };
                if let Some(wait) = found {
                    return Some((locate(src, at), wait));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role_of(name: &str, code: &str, crates: &[&str]) -> (Role, Evidence) {
        let srcs = vec![Src::new("src/main.rs", code)];
        let crates = crates.iter().map(|c| c.to_string()).collect();
        let (r, e, _) = role(name, &srcs, &crates);
        (r, e)
    }

    #[test]
    fn listeners_make_servers() {
        for code in [
            "async fn main() { let l = tokio::net::TcpListener::bind(addr).await?; axum::serve(l, app).await }",
            "fn main() { let s = std::net::UdpSocket::bind(\"0.0.0.0:9000\")?; }",
            "async fn main() { HttpServer::new(|| App::new()).bind((\"0.0.0.0\", 8080))?.run().await }",
            "#[launch]\nfn rocket() -> _ { rocket::build().mount(\"/\", routes![index]) }",
            "async fn main() { warp::serve(routes).run(([0, 0, 0, 0], 3030)).await; }",
            "fn main() { let server = Server::http(\"0.0.0.0:8000\").unwrap(); }",
        ] {
            let (r, e) = role_of("api", code, &[]);
            assert_eq!(r, Role::Server, "{code}");
            assert_eq!(e.at.unwrap().file, "src/main.rs");
        }
        let ephemeral =
            "fn spawn() { let l = std::net::TcpListener::bind(\"127.0.0.1:0\").unwrap(); }";
        assert_ne!(role_of("api", ephemeral, &[]).0, Role::Server);
        let uds = "async fn daemon() { Server::builder().add_service(s).serve_with_incoming(uds_stream).await; }";
        assert!(
            role_of("api", uds, &["tonic"])
                .1
                .reason
                .starts_with("assumed")
        );
        let grpc = "async fn main() { Server::builder().add_service(svc).serve(addr).await?; }";
        assert_eq!(role_of("api", grpc, &["tonic"]).0, Role::Server);
        assert_ne!(role_of("api", grpc, &[]).0, Role::Server);
    }

    #[test]
    fn a_clap_configured_server_is_a_server() {
        let code = "#[derive(Parser)]\nstruct Args { #[arg(long)] port: u16 }\n#[tokio::main]\nasync fn main() {\n    let args = Args::parse();\n    let l = TcpListener::bind((\"0.0.0.0\", args.port)).await.unwrap();\n}\n";
        let (r, e) = role_of("api", code, &["clap"]);
        assert_eq!(r, Role::Server);
        assert_eq!(e.at.unwrap().line, 6);
    }

    #[test]
    fn consumers_and_waiting_loops_make_workers() {
        let amqp = "async fn main() { let mut c = ch.basic_consume(\"jobs\", \"w\", opts, args).await?; while let Some(d) = c.next().await { handle(d) } }";
        assert_eq!(role_of("worker", amqp, &["lapin"]).0, Role::Worker);
        let ticker = "async fn main() {\n    let mut every = tokio::time::interval(Duration::from_secs(60));\n    loop {\n        every.tick().await;\n        sweep().await;\n    }\n}";
        let (r, e) = role_of("sweeper", ticker, &[]);
        assert_eq!(r, Role::Worker);
        assert_eq!(e.at.unwrap().line, 3);
        let channel =
            "async fn main() { while let Some(job) = rx.recv().await { run(job).await; } }";
        assert_eq!(role_of("runner", channel, &[]).0, Role::Worker);
    }

    #[test]
    fn migrations_and_names_make_jobs() {
        let code = "async fn main() { let pool = connect().await; sqlx::migrate!(\"./migrations\").run(&pool).await.unwrap(); }";
        assert_eq!(role_of("setup", code, &["sqlx"]).0, Role::Job);
        assert_eq!(
            role_of("migrate", "fn main() { db::up(); }", &[]).0,
            Role::Job
        );
        assert_eq!(role_of("seed-data", "fn main() {}", &[]).0, Role::Job);
    }

    #[test]
    fn command_line_programs_are_tools() {
        let cli = "#[derive(Debug, Parser)]\nstruct Cli { #[command(subcommand)] cmd: Cmd }\n#[derive(Subcommand)]\nenum Cmd { Get { key: String }, Subscribe { channels: Vec<String> } }\nasync fn main() { let cli = Cli::parse(); let mut c = Client::connect(&addr).await?; match cli.cmd { Cmd::Subscribe { channels } => { let mut s = c.subscribe(channels).await?; while let Some(m) = s.next_message().await? { println!(\"{m:?}\") } } _ => {} } }";
        assert_eq!(role_of("cli", cli, &["clap"]).0, Role::Tool);
        let args = "fn main() { let path = std::env::args().nth(1).unwrap(); import(&path); }";
        assert_eq!(role_of("import", args, &[]).0, Role::Tool);
        // ripgrep's shape: its own `flags::parse()` over lexopt, no clap in the graph.
        let own = "fn main() -> ExitCode { match run(flags::parse()) { Ok(c) => c, Err(_) => ExitCode::FAILURE } }
fn parse() { let p = Parser::new(); p.parse(std::env::args_os().skip(1)); }";
        let (r, e) = role_of("rg", own, &["lexopt"]);
        assert_eq!(r, Role::Tool);
        assert_eq!(
            e.reason,
            "reads its command-line arguments and binds no listener or loop"
        );
    }

    #[test]
    fn nothing_found_falls_back_on_dependencies() {
        let (r, e) = role_of("app", "fn main() { app::start() }", &["axum"]);
        assert_eq!(r, Role::Server);
        assert!(e.reason.starts_with("assumed"));
        assert!(e.at.is_none());
        let (r, e) = role_of("app", "fn main() { app::start() }", &["serde"]);
        assert_eq!(r, Role::Tool);
        assert!(e.reason.starts_with("assumed"));
    }
}
