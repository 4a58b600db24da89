//! What listeners, consumers, migrations and command-line parsers look like in source text.

/// A sign in the code: a needle searched in string-masked text, and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Marker {
    pub needle: &'static str,
    pub reason: &'static str,
    /// Counts only when the binary's package (or a member it links) depends on one of these.
    pub requires: &'static [&'static str],
}

const fn m(needle: &'static str, reason: &'static str) -> Marker {
    Marker {
        needle,
        reason,
        requires: &[],
    }
}

const fn with(
    needle: &'static str,
    reason: &'static str,
    requires: &'static [&'static str],
) -> Marker {
    Marker {
        needle,
        reason,
        requires,
    }
}

/// A listener bind or a framework's serve call.
pub const SERVER: &[Marker] = &[
    m("TcpListener::bind(", "binds a TcpListener"),
    m("UdpSocket::bind(", "binds a UdpSocket"),
    m("axum::serve(", "serves with axum::serve"),
    m("axum_server::bind", "serves with axum-server"),
    m("Server::bind(", "binds a hyper Server"),
    m(
        "Server::from_tcp(",
        "serves a hyper Server on a TcpListener",
    ),
    m(".serve_connection", "serves hyper connections"),
    m("HttpServer::new(", "starts an actix-web HttpServer"),
    m("Server::build()", "starts an actix Server"),
    m("warp::serve(", "serves with warp::serve"),
    m("#[launch]", "launches Rocket (#[launch])"),
    m("#[rocket::launch]", "launches Rocket (#[launch])"),
    m("#[rocket::main]", "launches Rocket (#[rocket::main])"),
    m("rocket::build()", "launches Rocket (rocket::build)"),
    m("rocket::custom(", "launches Rocket (rocket::custom)"),
    m("rocket::ignite()", "launches Rocket (rocket::ignite)"),
    with(
        "Server::builder()",
        "serves a tonic gRPC Server",
        &["tonic"],
    ),
    with("Server::new(", "runs a poem Server", &["poem"]),
    with(".listen(", "listens with tide", &["tide"]),
    with(".listen(", "listens with actix-web", &["actix-web"]),
    with("TcpListener::new(", "binds a salvo TcpListener", &["salvo"]),
    m("Server::http(", "starts a tiny_http Server"),
    m("Server::https(", "starts a tiny_http Server"),
    m(".bind_rustls", "binds a TLS listener"),
    m(".bind_openssl(", "binds a TLS listener"),
    m("viz::serve(", "serves with viz"),
    m("gotham::start(", "starts a gotham server"),
    m("gotham::init_server(", "starts a gotham server"),
    m("ntex::web::server(", "starts an ntex server"),
    with("Iron::new(", "starts an iron server", &["iron"]),
    m("rouille::start_server(", "starts a rouille server"),
];

/// Calls that listen on the address they are given (with their opening parenthesis).
pub const LISTEN_CALLS: &[&str] = &[
    "bind(",
    "bind_rustls(",
    "bind_rustls_0_22(",
    "bind_rustls_0_23(",
    "bind_openssl(",
    ".listen(",
    "serve(",
    "Server::http(",
    "Server::https(",
    "TcpListener::new(",
    ".run(",
];

/// Whether a server marker is Rocket's (port from ROCKET_PORT, default 8000).
pub fn is_rocket(marker: &Marker) -> bool {
    marker.reason.contains("Rocket")
}

/// Whether a server marker is tonic's (gRPC, conventionally 50051).
pub fn is_grpc(marker: &Marker) -> bool {
    marker.reason.contains("gRPC")
}

/// Long-running consumers and schedulers.
pub const WORKER: &[Marker] = &[
    m("basic_consume(", "consumes an AMQP queue (basic_consume)"),
    m("StreamConsumer", "consumes Kafka (StreamConsumer)"),
    m("BaseConsumer", "consumes Kafka (BaseConsumer)"),
    with("WorkerBuilder::new(", "runs apalis workers", &["apalis"]),
    with("Monitor::new(", "runs apalis workers", &["apalis"]),
    m("JobScheduler::new(", "runs a cron scheduler"),
    with(
        "Scheduler::new(",
        "runs a scheduler",
        &["clokwerk", "job_scheduler"],
    ),
    with(
        ".subscribe(",
        "subscribes to a message stream",
        &[
            "async-nats",
            "nats",
            "rdkafka",
            "redis",
            "fred",
            "rumqttc",
            "paho-mqtt",
            "lapin",
        ],
    ),
    m("ConsumerBuilder", "consumes a job queue"),
];

/// What a loop body waits on when the loop is a long-running worker's.
pub const LOOP_WAITS: &[&str] = &[
    ".recv(",
    ".recv_many(",
    ".tick()",
    "sleep(",
    ".next().await",
    ".try_next().await",
    ".poll(",
    ".receive_message(",
    ".fetch(",
    "brpop",
    "blpop",
    "xread",
    ".message().await",
];

/// One-shot migrations and seeders.
pub const JOB: &[Marker] = &[
    m("migrate!(", "runs sqlx migrations"),
    m("run_pending_migrations(", "runs diesel migrations"),
    m("Migrator::up(", "runs sea-orm migrations"),
    m("Migrator::fresh(", "runs sea-orm migrations"),
    m("Migrator::refresh(", "runs sea-orm migrations"),
    m(".run_migrations(", "runs migrations"),
    m("embed_migrations!(", "runs embedded migrations"),
];

/// Binary names of one-shot programs.
pub const JOB_NAMES: &[&str] = &["migrate", "migration", "migrator", "seed", "seeder"];

/// Command-line parsing.
pub const TOOL: &[Marker] = &[
    // Any type's `parse()`: clap's only where the binary can use clap.
    with("::parse()", "parses its command line with clap", &["clap"]),
    with(
        "::try_parse()",
        "parses its command line with clap",
        &["clap"],
    ),
    with(
        "::parse_from(",
        "parses its command line with clap",
        &["clap"],
    ),
    with(
        "::from_args()",
        "parses its command line with structopt",
        &["structopt"],
    ),
    m("argh::from_env()", "parses its command line with argh"),
    m(
        "Arguments::from_env()",
        "parses its command line with pico-args",
    ),
    with(
        "Command::new(",
        "parses its command line with clap",
        &["clap"],
    ),
    with("Arg::new(", "parses its command line with clap", &["clap"]),
    with(
        "Arg::with_name(",
        "parses its command line with clap",
        &["clap"],
    ),
    with("App::new(", "parses its command line with clap", &["clap"]),
    m("lexopt::Parser", "parses its command line with lexopt"),
    m("Docopt::new(", "parses its command line with docopt"),
    m("env::args()", "reads its command-line arguments"),
    m("env::args_os()", "reads its command-line arguments"),
];

/// Derives of command-line parsers.
pub const PARSER_DERIVES: &[&str] = &["Parser", "StructOpt", "FromArgs", "Bpaf", "Options"];

/// Subcommands: a command-line tool with several actions.
pub const SUBCOMMANDS: &[&str] = &[
    "(subcommand)",
    "(subcommand,",
    ".subcommand(",
    "SubCommand::with_name(",
];

/// Crates that make a binary a server when nothing else decides.
pub const SERVER_CRATES: &[&str] = &[
    "actix-web",
    "axum",
    "rocket",
    "warp",
    "poem",
    "tide",
    "salvo",
    "tonic",
    "hyper",
    "tiny_http",
    "gotham",
    "viz",
    "ntex",
    "loco-rs",
    "iron",
    "rouille",
    "jsonrpsee",
];

/// GUI toolkits: a binary that links one is a desktop app, not something to containerize.
pub const DESKTOP_CRATES: &[&str] = &[
    "tauri",
    "eframe",
    "iced",
    "gtk",
    "gtk4",
    "relm4",
    "libadwaita",
    "slint",
    "druid",
    "fltk",
    "winit",
    "wry",
    "tao",
    "dioxus-desktop",
    "freya",
    "floem",
    "xilem",
    "native-windows-gui",
];

/// Name parts of settings that point at another service, never at the app's own listener.
pub const CLIENT_WORDS: &[&str] = &[
    "db",
    "database",
    "redis",
    "postgres",
    "pg",
    "mysql",
    "mongo",
    "mongodb",
    "smtp",
    "mail",
    "amqp",
    "rabbit",
    "rabbitmq",
    "kafka",
    "nats",
    "redirect",
    "upstream",
    "remote",
    "proxy",
    "target",
    "peer",
    "client",
    "metrics",
    "prometheus",
    "public",
    "external",
    "url",
    "domain",
    "origin",
    "callback",
    "base",
    "frontend",
    "cache",
    "s3",
    "minio",
    "elastic",
    "jaeger",
    "otel",
    "otlp",
    "zipkin",
    "statsd",
    "backend",
    "broker",
    "sentry",
    "consul",
    "etcd",
];

/// Name parts of settings for the app's own listen address.
pub const LISTEN_WORDS: &[&str] = &[
    "host",
    "hostname",
    "addr",
    "address",
    "bind",
    "listen",
    "ip",
    "interface",
    "socket",
];

/// Qualifiers allowed beside [`LISTEN_WORDS`] and `port` in a listen setting's name.
pub const LISTEN_QUALIFIERS: &[&str] = &[
    "server",
    "http",
    "https",
    "api",
    "web",
    "app",
    "service",
    "grpc",
    "rpc",
    "listen",
    "bind",
    "local",
    "tcp",
    "udp",
    "rest",
    "gateway",
    "svc",
    "application",
    "settings",
    "config",
    "main",
];

/// Name parts of a bound of a range of ports (`MIN_PORT`, `port_range_max`): ports the app
/// hands out, never the one it listens on.
const RANGE_WORDS: &[&str] = &[
    "min", "max", "minimum", "maximum", "lower", "upper", "range",
];

/// Splits a setting name (`SERVER_PORT`, `listenAddr`, `http-port`) into lowercase words.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// How a setting's name reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SettingKind {
    /// The app's own port; lower rank is better (0: exactly `port`).
    Port(u8),
    /// The app's own listen address (host, or host:port).
    Address,
    Other,
}

/// Classifies a setting name. `prefixed` allows one leading word of any kind (an app's
/// prefix, as in `MYAPP_PORT`).
pub fn setting_kind(name: &str, prefixed: bool) -> SettingKind {
    let mut w = words(name);
    // `BIND_TO`, `LISTEN_ON`: the preposition adds nothing.
    if w.len() > 1 && ["to", "on", "at"].contains(&w[w.len() - 1].as_str()) {
        w.pop();
    }
    let not_own =
        |x: &String| CLIENT_WORDS.contains(&x.as_str()) || RANGE_WORDS.contains(&x.as_str());
    if w.is_empty() || w.iter().any(not_own) {
        return SettingKind::Other;
    }
    let last = w.last().map(String::as_str).unwrap_or_default();
    let rest = &w[..w.len() - 1];
    let qualifiers_ok = |skip_first: bool| {
        rest.iter().enumerate().all(|(i, x)| {
            (skip_first && i == 0)
                || LISTEN_QUALIFIERS.contains(&x.as_str())
                || LISTEN_WORDS.contains(&x.as_str())
        })
    };
    let ok = qualifiers_ok(false) || prefixed && qualifiers_ok(true);
    if last == "port" {
        if w.len() == 1 {
            SettingKind::Port(0)
        } else if ok {
            SettingKind::Port(1)
        } else if !w
            .iter()
            .any(|x| ["admin", "debug", "health", "grpc"].contains(&x.as_str()))
        {
            SettingKind::Port(2)
        } else {
            SettingKind::Port(3)
        }
    } else if LISTEN_WORDS.contains(&last) && ok {
        SettingKind::Address
    } else {
        SettingKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_names() {
        assert_eq!(words("listenAddr"), ["listen", "addr"]);
        assert_eq!(words("SERVER_PORT"), ["server", "port"]);
        assert_eq!(setting_kind("port", false), SettingKind::Port(0));
        assert_eq!(setting_kind("SERVER_PORT", false), SettingKind::Port(1));
        assert_eq!(setting_kind("MYAPP_PORT", true), SettingKind::Port(1));
        assert_eq!(setting_kind("DATABASE_PORT", true), SettingKind::Other);
        assert_eq!(setting_kind("metrics_port", false), SettingKind::Other);
        // bore hands out tunnel ports between these; it listens on another.
        assert_eq!(setting_kind("min_port", false), SettingKind::Other);
        assert_eq!(setting_kind("BORE_MAX_PORT", true), SettingKind::Other);
        assert_eq!(setting_kind("host", false), SettingKind::Address);
        assert_eq!(setting_kind("BIND_TO", false), SettingKind::Address);
        assert_eq!(setting_kind("LISTEN_ON", true), SettingKind::Address);
        assert_eq!(setting_kind("BIND_ADDR", false), SettingKind::Address);
        assert_eq!(setting_kind("redirect_host", false), SettingKind::Other);
        assert_eq!(setting_kind("REDIS_HOST", true), SettingKind::Other);
        assert_eq!(setting_kind("user_name", false), SettingKind::Other);
    }
}
