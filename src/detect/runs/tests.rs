//! Whole-workspace cases shaped like real projects.

use super::*;
use crate::workspace::Member;

/// One package `name` at the root with `deps`, its `bins` (name, src_path) and its files.
fn workspace(
    name: &str,
    deps: &[&str],
    bins: &[(&str, &str)],
    files: &[(&str, &str)],
) -> Workspace {
    Workspace {
        name: name.into(),
        members: vec![Member {
            name: name.into(),
            dependencies: deps.iter().map(|d| d.to_string()).collect(),
            ..Member::default()
        }],
        bins: bins
            .iter()
            .map(|(b, p)| BinTarget {
                name: b.to_string(),
                package: name.into(),
                src_path: p.to_string(),
                ..BinTarget::default()
            })
            .collect(),
        sources: files
            .iter()
            .filter(|(p, _)| p.ends_with(".rs"))
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
        config_files: files
            .iter()
            .filter(|(p, _)| !p.ends_with(".rs"))
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
        ..Workspace::default()
    }
}

/// The run of the binary `name`, the package's only one, whose `src/main.rs` is `code`.
fn main_rs(name: &str, deps: &[&str], code: &str) -> BinRun {
    let ws = workspace(
        name,
        deps,
        &[(name, "src/main.rs")],
        &[("src/main.rs", code)],
    );
    detect(&ws).remove(0)
}

fn run<'a>(runs: &'a [BinRun], bin: &str) -> &'a BinRun {
    runs.iter().find(|r| r.bin == bin).unwrap()
}

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Configuration files layered by the `config` crate: a base, and a host per environment.
pub(super) const LAYERED_YAML: &[(&str, &str)] = &[
    (
        "configuration/base.yaml",
        "application:\n  port: 8000\n  host: 127.0.0.1\ndatabase:\n  host: \"localhost\"\n  port: 5432\n",
    ),
    (
        "configuration/local.yaml",
        "application:\n  host: 127.0.0.1\n",
    ),
    (
        "configuration/production.yaml",
        "application:\n  host: 0.0.0.0\n",
    ),
];

#[test]
fn tcp_server_and_its_cli_client() {
    let ws = workspace(
        "kv",
        &["tokio", "clap"],
        &[
            ("kv-cli", "src/bin/cli.rs"),
            ("kv-server", "src/bin/server.rs"),
        ],
        &[
            (
                "src/lib.rs",
                "pub mod client;\npub mod server;\nmod frame;\n\n/// The port the server listens on by default.\npub const DEFAULT_PORT: u16 = 6379;\n",
            ),
            (
                "src/server.rs",
                "use tokio::net::TcpListener;\n\npub async fn run(port: u16) -> crate::Result<()> {\n    let listener = TcpListener::bind(&format!(\"0.0.0.0:{}\", port)).await?;\n    loop {\n        let (socket, _) = listener.accept().await?;\n        tokio::spawn(handle(socket));\n    }\n}\n",
            ),
            (
                "src/client.rs",
                "pub struct Client { conn: Connection }\n\nimpl Client {\n    pub async fn connect(addr: &str) -> crate::Result<Client> {\n        let socket = TcpStream::connect(addr).await?;\n        Ok(Client { conn: Connection::new(socket) })\n    }\n    pub async fn get(&mut self, key: &str) -> crate::Result<Option<Bytes>> { todo!() }\n}\n",
            ),
            ("src/frame.rs", "pub enum Frame { Simple(String) }\n"),
            (
                "src/bin/server.rs",
                "use clap::Parser;\nuse kv::{server, DEFAULT_PORT};\n\n#[derive(Parser, Debug)]\n#[command(name = \"kv-server\")]\nstruct Cli {\n    #[arg(long)]\n    port: Option<u16>,\n}\n\n#[tokio::main]\npub async fn main() -> kv::Result<()> {\n    let cli = Cli::parse();\n    let port = cli.port.unwrap_or(DEFAULT_PORT);\n    server::run(port).await\n}\n",
            ),
            (
                "src/bin/cli.rs",
                "use clap::{Parser, Subcommand};\nuse kv::{client::Client, DEFAULT_PORT};\n\n#[derive(Parser, Debug)]\nstruct Cli {\n    #[command(subcommand)]\n    command: Command,\n    #[arg(id = \"hostname\", long, default_value = \"127.0.0.1\")]\n    host: String,\n    #[arg(long, default_value_t = DEFAULT_PORT)]\n    port: u16,\n}\n\n#[derive(Subcommand, Debug)]\nenum Command {\n    Get { key: String },\n}\n\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() -> kv::Result<()> {\n    let cli = Cli::parse();\n    let addr = format!(\"{}:{}\", cli.host, cli.port);\n    let mut client = Client::connect(&addr).await?;\n    match cli.command {\n        Command::Get { key } => { client.get(&key).await?; }\n    }\n    Ok(())\n}\n",
            ),
        ],
    );
    let runs = detect(&ws);
    let server = run(&runs, "kv-server");
    assert_eq!(server.role, Role::Server);
    assert_eq!(
        server.role_evidence.at.as_ref().unwrap().to_string(),
        "src/server.rs:4"
    );
    let port = server.port.as_ref().unwrap();
    assert_eq!((port.port, port.env.as_deref()), (6379, None));
    assert_eq!(port.source, PortSource::Literal);
    assert!(server.env.is_empty());
    assert!(server.loopback_binds.is_empty());
    let cli = run(&runs, "kv-cli");
    assert_eq!(cli.role, Role::Tool, "{:?}", cli.role_evidence);
    assert_eq!(cli.port, None);
    assert!(cli.env.is_empty());
    let facts = crate::detect::detect(&ws);
    assert_eq!(facts.bins[0].name, "kv-server");
    assert_eq!(facts.runs[0].bin, "kv-server");
    assert!(facts.loopback_binds.is_empty());
}

#[test]
fn clap_server_with_port_and_host_variables() {
    let r = main_rs(
        "gate",
        &["axum", "clap", "tokio"],
        "use clap::Parser;\n\n#[derive(Parser)]\nstruct Args {\n    #[arg(long, default_value = \"8080\", env = \"SERVER_PORT\")]\n    port: u16,\n    #[arg(long, default_value = \"127.0.0.1\", env = \"SERVER_HOST\")]\n    host: String,\n    /// Where users are sent after login.\n    #[arg(long, default_value = \"localhost\")]\n    redirect_host: String,\n}\n\n#[tokio::main]\nasync fn main() {\n    let args = Args::parse();\n    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await.unwrap();\n    axum::serve(listener, app(args.redirect_host)).await.unwrap();\n}\n",
    );
    assert_eq!(r.role, Role::Server);
    let port = r.port.as_ref().unwrap();
    assert_eq!(
        (port.port, port.env.as_deref(), port.source),
        (8080, Some("SERVER_PORT"), PortSource::ClapArg)
    );
    assert_eq!(port.evidence.at.as_ref().unwrap().line, 6);
    assert_eq!(
        r.env,
        env(&[("SERVER_HOST", "0.0.0.0"), ("SERVER_PORT", "8080")])
    );
    assert_eq!(r.address.as_ref().unwrap().var, "SERVER_HOST");
    assert!(r.loopback_binds.is_empty(), "{:?}", r.loopback_binds);
    assert_eq!(
        r.env_for_port(9000),
        env(&[("SERVER_HOST", "0.0.0.0"), ("SERVER_PORT", "9000")])
    );
}

#[test]
fn layered_configuration_files_with_an_environment_override() {
    let sources = [
        (
            "src/main.rs",
            "use newsletter::configuration::get_configuration;\nuse newsletter::startup::run;\nuse std::net::TcpListener;\n\n#[tokio::main]\nasync fn main() -> std::io::Result<()> {\n    let configuration = get_configuration().expect(\"Failed to read configuration.\");\n    let address = format!(\n        \"{}:{}\",\n        configuration.application.host, configuration.application.port\n    );\n    let listener = TcpListener::bind(address)?;\n    run(listener)?.await\n}\n",
        ),
        ("src/lib.rs", "pub mod configuration;\npub mod startup;\n"),
        (
            "src/configuration.rs",
            "#[derive(serde::Deserialize)]\npub struct ApplicationSettings {\n    pub port: u16,\n    pub host: String,\n}\n\npub fn get_configuration() -> Result<Settings, config::ConfigError> {\n    let base_path = std::env::current_dir().expect(\"Failed to determine the current directory\");\n    let configuration_directory = base_path.join(\"configuration\");\n    let environment: Environment = std::env::var(\"APP_ENVIRONMENT\")\n        .unwrap_or_else(|_| \"local\".into())\n        .try_into()\n        .expect(\"Failed to parse APP_ENVIRONMENT.\");\n    let environment_filename = format!(\"{}.yaml\", environment.as_str());\n    let settings = config::Config::builder()\n        .add_source(config::File::from(configuration_directory.join(\"base.yaml\")))\n        .add_source(config::File::from(configuration_directory.join(environment_filename)))\n        .add_source(\n            config::Environment::with_prefix(\"APP\")\n                .prefix_separator(\"_\")\n                .separator(\"__\"),\n        )\n        .build()?;\n    settings.try_deserialize::<Settings>()\n}\n",
        ),
        (
            "src/startup.rs",
            "pub fn run(listener: TcpListener) -> Result<Server, std::io::Error> {\n    let server = HttpServer::new(|| App::new().route(\"/health_check\", web::get().to(health_check)))\n        .listen(listener)?\n        .run();\n    Ok(server)\n}\n",
        ),
    ];
    let ws = workspace(
        "newsletter",
        &["actix-web", "config", "serde", "sqlx"],
        &[("newsletter", "src/main.rs")],
        &[&sources[..], LAYERED_YAML].concat(),
    );
    let runs = detect(&ws);
    let r = run(&runs, "newsletter");
    assert_eq!(r.role, Role::Server);
    let port = r.port.as_ref().unwrap();
    assert_eq!(
        (port.port, port.env.as_deref(), port.source),
        (8000, Some("APP_APPLICATION__PORT"), PortSource::ConfigFile)
    );
    assert_eq!(
        port.evidence.at.as_ref().unwrap().to_string(),
        "configuration/base.yaml:2"
    );
    assert_eq!(
        port.evidence.reason,
        "`application.port` in configuration/base.yaml (env APP_APPLICATION__PORT)"
    );
    assert_eq!(
        r.env,
        env(&[
            ("APP_APPLICATION__HOST", "0.0.0.0"),
            ("APP_APPLICATION__PORT", "8000")
        ])
    );
    assert!(r.loopback_binds.is_empty(), "{:?}", r.loopback_binds);
}

#[test]
fn rocket_app() {
    let r = main_rs(
        "blog",
        &["rocket"],
        "#[macro_use]\nextern crate rocket;\n\n#[get(\"/\")]\nfn index() -> &'static str {\n    \"Hello, world!\"\n}\n\n#[launch]\nfn rocket() -> _ {\n    rocket::build().mount(\"/\", routes![index])\n}\n",
    );
    assert_eq!(r.role, Role::Server);
    assert_eq!(r.role_evidence.at.as_ref().unwrap().line, 9);
    let port = r.port.as_ref().unwrap();
    assert_eq!(
        (port.port, port.source),
        (8000, PortSource::FrameworkDefault)
    );
    assert_eq!(
        r.env,
        env(&[("ROCKET_ADDRESS", "0.0.0.0"), ("ROCKET_PORT", "8000")])
    );
}

#[test]
fn rocket_toml_sets_the_port() {
    let ws = workspace(
        "blog",
        &["rocket"],
        &[("blog", "src/main.rs")],
        &[
            (
                "src/main.rs",
                "#[rocket::main]\nasync fn main() { let _ = rocket::build().launch().await; }\n",
            ),
            (
                "Rocket.toml",
                "[default]\naddress = \"0.0.0.0\"\nport = 8800\n",
            ),
        ],
    );
    let r = detect(&ws).remove(0);
    let port = r.port.unwrap();
    assert_eq!((port.port, port.source), (8800, PortSource::ConfigFile));
    assert_eq!(r.env, env(&[("ROCKET_PORT", "8800")]));
}

#[test]
fn actix_and_tonic_literals() {
    let r = main_rs(
        "shop",
        &["actix-web"],
        "#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    HttpServer::new(|| App::new().service(index))\n        .bind((\"0.0.0.0\", 8080))?\n        .run()\n        .await\n}\n",
    );
    let port = r.port.unwrap();
    assert_eq!(
        (port.port, port.env, port.source),
        (8080, None, PortSource::Literal)
    );
    assert!(r.env.is_empty());
    let tonic = workspace(
        "greeter",
        &["tonic", "prost", "tokio"],
        &[("greeter-server", "src/server.rs")],
        &[(
            "src/server.rs",
            "#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n    let addr = \"[::]:50051\".parse()?;\n    let greeter = MyGreeter::default();\n    Server::builder()\n        .add_service(GreeterServer::new(greeter))\n        .serve(addr)\n        .await?;\n    Ok(())\n}\n",
        )],
    );
    let r = detect(&tonic).remove(0);
    assert_eq!(r.role, Role::Server);
    let port = r.port.unwrap();
    assert_eq!((port.port, port.source), (50051, PortSource::Literal));
    assert_eq!(port.evidence.at.unwrap().line, 3);
}

#[test]
fn env_port_read_sets_only_that_variable() {
    let r = main_rs(
        "api",
        &["axum", "tokio"],
        "#[tokio::main]\nasync fn main() {\n    let port: u16 = std::env::var(\"PORT\")\n        .ok()\n        .and_then(|p| p.parse().ok())\n        .unwrap_or(3000);\n    let listener = TcpListener::bind((\"0.0.0.0\", port)).await.unwrap();\n    axum::serve(listener, app()).await.unwrap();\n}\n",
    );
    assert_eq!(r.env, env(&[("PORT", "3000")]));
    assert_eq!(r.port.unwrap().evidence.at.unwrap().line, 3);
}

#[test]
fn no_port_variable_for_an_app_that_reads_none() {
    let r = main_rs(
        "api",
        &["axum", "tokio"],
        "#[tokio::main]\nasync fn main() {\n    let listener = TcpListener::bind(\"0.0.0.0:3000\").await.unwrap();\n    axum::serve(listener, app()).await.unwrap();\n}\n",
    );
    assert!(r.env.is_empty());
    assert_eq!(r.port.unwrap().port, 3000);
}

#[test]
fn loopback_warnings_only_for_code_compiled_into_the_binary() {
    let ws = workspace(
        "api",
        &["axum", "tokio", "reqwest"],
        &[("api", "src/main.rs"), ("probe", "src/bin/probe.rs")],
        &[
            (
                "src/main.rs",
                "mod routes;\n\n#[tokio::main]\nasync fn main() {\n    let listener = TcpListener::bind(\"127.0.0.1:3000\").await.unwrap();\n    axum::serve(listener, routes::app()).await.unwrap();\n}\n\n#[cfg(test)]\nmod tests {\n    #[tokio::test]\n    async fn serves() {\n        let l = TcpListener::bind(\"127.0.0.1:0\").await.unwrap();\n    }\n}\n",
            ),
            (
                "src/routes.rs",
                "pub fn app() -> Router {\n    let upstream = \"http://localhost:9000/api\";\n    Router::new().route(\"/\", get(move || proxy(upstream)))\n}\n",
            ),
            (
                "src/test_helpers.rs",
                "pub async fn spawn() { let l = TcpListener::bind(\"127.0.0.1:0\").await.unwrap(); }\n",
            ),
            (
                "src/bin/probe.rs",
                "#[tokio::main]\nasync fn main() { let r = reqwest::get(\"http://127.0.0.1:3000/health\").await; }\n",
            ),
        ],
    );
    let runs = detect(&ws);
    let api = run(&runs, "api");
    assert_eq!(api.loopback_binds.len(), 1, "{:?}", api.loopback_binds);
    assert_eq!(api.loopback_binds[0].file, "src/main.rs");
    assert_eq!(api.loopback_binds[0].line, 5);
    assert_eq!(api.port.as_ref().unwrap().port, 3000);
    let probe = run(&runs, "probe");
    assert_eq!(probe.role, Role::Tool);
    assert!(probe.loopback_binds.is_empty());
    assert_eq!(crate::detect::detect(&ws).loopback_binds.len(), 1);
}

#[test]
fn workers_and_jobs_in_one_workspace() {
    let ws = workspace(
        "shop",
        &["axum", "lapin", "sqlx", "tokio"],
        &[
            ("migrate", "src/bin/migrate.rs"),
            ("consumer", "src/bin/consumer.rs"),
            ("shop", "src/main.rs"),
        ],
        &[
            ("src/lib.rs", "pub mod db;\npub mod http;\n"),
            (
                "src/db.rs",
                "pub async fn migrate(pool: &PgPool) {\n    sqlx::migrate!(\"./migrations\").run(pool).await.unwrap();\n}\npub async fn connect() -> PgPool { todo!() }\n",
            ),
            (
                "src/http.rs",
                "pub async fn serve(pool: PgPool) {\n    let l = TcpListener::bind(\"0.0.0.0:8080\").await.unwrap();\n    axum::serve(l, router(pool)).await.unwrap();\n}\n",
            ),
            (
                "src/main.rs",
                "#[tokio::main]\nasync fn main() { let pool = shop::db::connect().await; shop::http::serve(pool).await; }\n",
            ),
            (
                "src/bin/migrate.rs",
                "#[tokio::main]\nasync fn main() { let pool = shop::db::connect().await; shop::db::migrate(&pool).await; }\n",
            ),
            (
                "src/bin/consumer.rs",
                "#[tokio::main]\nasync fn main() {\n    let mut consumer = channel.basic_consume(\"orders\", \"shop\", opts, table).await.unwrap();\n    while let Some(delivery) = consumer.next().await {\n        handle(delivery).await;\n    }\n}\n",
            ),
        ],
    );
    let runs = detect(&ws);
    assert_eq!(run(&runs, "shop").role, Role::Server);
    assert_eq!(run(&runs, "migrate").role, Role::Job);
    assert_eq!(run(&runs, "consumer").role, Role::Worker);
    assert!(run(&runs, "consumer").port.is_none());
    let facts = crate::detect::detect(&ws);
    let order: Vec<&str> = facts.bins.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(order, ["shop", "migrate", "consumer"]);
}

#[test]
fn the_first_server_is_primary_even_over_default_run() {
    let mut ws = workspace(
        "tools",
        &["clap", "tokio"],
        &[("admin", "src/bin/admin.rs"), ("api", "src/bin/api.rs")],
        &[
            ("src/bin/admin.rs", "fn main() { let a = Args::parse(); }\n"),
            (
                "src/bin/api.rs",
                "fn main() { let l = std::net::TcpListener::bind(\"0.0.0.0:7000\").unwrap(); }\n",
            ),
        ],
    );
    ws.members[0].default_run = Some("admin".into());
    let facts = crate::detect::detect(&ws);
    assert_eq!(facts.bins[0].name, "api");
    assert_eq!(facts.runs[0].bin, "api");
    assert_eq!(facts.runs[1].role, Role::Tool);
}

#[test]
fn an_address_option_named_through_constants_and_a_function() {
    let ws = workspace(
        "search",
        &["actix-web", "clap"],
        &[("search", "src/main.rs")],
        &[
            (
                "src/main.rs",
                "#[actix_web::main]\nasync fn main() -> anyhow::Result<()> {\n    let opt = search::option::Opt::parse();\n    HttpServer::new(move || create_app(&opt))\n        .bind(opt.http_addr.clone())?\n        .run()\n        .await?;\n    Ok(())\n}\n",
            ),
            ("src/lib.rs", "pub mod option;\n"),
            (
                "src/option.rs",
                "const SEARCH_HTTP_ADDR: &str = \"SEARCH_HTTP_ADDR\";\nconst DEFAULT_HTTP_ADDR: &str = \"localhost:7700\";\n\n#[derive(Debug, Clone, Parser)]\npub struct Opt {\n    /// The address on which the http server will listen.\n    #[clap(long, env = SEARCH_HTTP_ADDR, default_value_t = default_http_addr())]\n    pub http_addr: String,\n}\n\nfn default_http_addr() -> String {\n    DEFAULT_HTTP_ADDR.to_string()\n}\n",
            ),
        ],
    );
    let r = detect(&ws).remove(0);
    let port = r.port.as_ref().unwrap();
    assert_eq!(
        (port.port, port.env.as_deref(), port.env_holds_address),
        (7700, Some("SEARCH_HTTP_ADDR"), true)
    );
    assert_eq!(r.env, env(&[("SEARCH_HTTP_ADDR", "0.0.0.0:7700")]));
    assert!(r.address.is_none());
    assert!(r.loopback_binds.is_empty(), "{:?}", r.loopback_binds);
}

#[test]
fn settings_a_server_and_its_worker_need_at_start() {
    let mut ws = workspace(
        "newsletter",
        &["actix-web", "config", "sqlx", "redis"],
        &[
            ("newsletter", "src/main.rs"),
            ("worker", "src/bin/worker.rs"),
        ],
        &[
            ("src/lib.rs", "pub mod configuration;\npub mod startup;\n"),
            (
                "src/configuration.rs",
                "pub fn get_configuration() -> Result<Settings, config::ConfigError> {\n    let base = std::env::current_dir().unwrap().join(\"configuration\");\n    config::Config::builder()\n        .add_source(config::File::from(base.join(\"base.yaml\")))\n        .add_source(config::Environment::with_prefix(\"APP\").prefix_separator(\"_\").separator(\"__\"))\n        .build()?\n        .try_deserialize()\n}\n",
            ),
            (
                "src/startup.rs",
                "pub async fn run(settings: Settings) -> std::io::Result<()> {\n    let key = std::env::var(\"HMAC_SECRET\").expect(\"HMAC_SECRET\");\n    HttpServer::new(move || App::new()).bind((\"0.0.0.0\", 8000))?.run().await\n}\n",
            ),
            (
                "src/main.rs",
                "#[tokio::main]\nasync fn main() -> std::io::Result<()> {\n    let settings = newsletter::configuration::get_configuration().expect(\"config\");\n    newsletter::startup::run(settings).await\n}\n",
            ),
            (
                "src/bin/worker.rs",
                "fn main() {\n    let settings = newsletter::configuration::get_configuration().expect(\"config\");\n    let web = std::env::var(\"WEB_FOLDER\").unwrap_or_else(|_| \"web/\".into());\n    loop { std::thread::sleep(std::time::Duration::from_secs(1)); }\n}\n",
            ),
            (
                "configuration/base.yaml",
                "application:\n  port: 8000\ndatabase:\n  host: \"127.0.0.1\"\n  password: \"password\"\n  database_name: \"newsletter\"\nredis_uri: \"redis://127.0.0.1:6379\"\n",
            ),
        ],
    );
    ws.cargo_configs = vec![crate::workspace::CargoConfigFile {
        path: ".cargo/config.toml".into(),
        base: String::new(),
        text: "[env]\nWEB_FOLDER = \"web-folder/\"\n".into(),
    }];
    let runs = detect(&ws);
    let vars = |bin: &str| -> Vec<String> {
        run(&runs, bin)
            .settings
            .iter()
            .map(|s| s.var.clone())
            .collect()
    };
    let server = vars("newsletter");
    assert!(server.contains(&"HMAC_SECRET".to_string()), "{server:?}");
    for var in [
        "APP_DATABASE__HOST",
        "APP_DATABASE__PASSWORD",
        "APP_DATABASE__DATABASE_NAME",
        "APP_REDIS_URI",
    ] {
        assert!(server.contains(&var.to_string()), "{var} in {server:?}");
    }
    let required: Vec<&str> = run(&runs, "newsletter")
        .required_env()
        .iter()
        .map(|s| s.var.as_str())
        .collect();
    assert_eq!(required, ["HMAC_SECRET"]);
    // Settings are found for binaries of every role, not only servers.
    let worker = vars("worker");
    assert!(worker.contains(&"WEB_FOLDER".to_string()), "{worker:?}");
    assert!(!worker.contains(&"HMAC_SECRET".to_string()), "{worker:?}");
}

#[test]
fn a_desktop_app_beside_a_server_is_a_tool_left_out_of_the_default_bins() {
    let mut ws = workspace(
        "api",
        &["axum", "tokio"],
        &[("api", "src/main.rs")],
        &[
            (
                "src/main.rs",
                "#[tokio::main]\nasync fn main() {\n    let l = tokio::net::TcpListener::bind(\"0.0.0.0:8081\").await.unwrap();\n    axum::serve(l, app()).await.unwrap();\n}\n",
            ),
            (
                "app/src/main.rs",
                "fn main() {\n    tauri::Builder::default()\n        .run(tauri::generate_context!())\n        .expect(\"error while running tauri application\");\n}\n",
            ),
        ],
    );
    ws.members.push(Member {
        name: "app".into(),
        dependencies: vec!["tauri".into()],
        ..Member::default()
    });
    ws.bins.push(BinTarget {
        name: "app".into(),
        package: "app".into(),
        src_path: "app/src/main.rs".into(),
        ..BinTarget::default()
    });
    let facts = crate::detect::detect(&ws);
    let app = run(&facts.runs, "app");
    assert_eq!(
        (app.role, app.desktop.as_deref()),
        (Role::Tool, Some("tauri"))
    );
    assert_eq!(run(&facts.runs, "api").desktop, None);
    let names: Vec<&str> = facts
        .default_bins()
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(names, ["api"]);
    // A workspace of desktop apps alone keeps them: there is nothing else to package.
    ws.bins.remove(0);
    let facts = crate::detect::detect(&ws);
    assert_eq!(facts.default_bins().len(), 1);
}

#[test]
fn a_loopback_listen_option_without_a_variable_is_passed_as_an_argument() {
    // sshx-server's shape: `--listen` defaults to ::1 and no variable sets it.
    let server = main_rs(
        "sshx-server",
        &["clap", "tokio"],
        "#[derive(Parser)]\nstruct Args {\n    #[clap(long, default_value_t = 8051)]\n    port: u16,\n    #[clap(long, default_value = \"::1\")]\n    listen: IpAddr,\n}\n#[tokio::main]\nasync fn main() {\n    let args = Args::parse();\n    let l = TcpListener::bind((args.listen, args.port)).await.unwrap();\n}\n",
    );
    assert_eq!(server.args, ["--listen", "0.0.0.0"]);
    assert!(
        server.loopback_binds.is_empty(),
        "{:?}",
        server.loopback_binds
    );
    // Under a subcommand: the subcommand's own option after it, a top-level one before it.
    let cases = [
        (
            "#[derive(Subcommand)]\nenum Cmd {\n    Serve {\n        #[arg(long, default_value = \"127.0.0.1:8080\")]\n        bind: String,\n    },\n    Check,\n}\nfn main() {\n    match Cli::parse().cmd {\n        Cmd::Serve { bind } => { let l = TcpListener::bind(&bind).unwrap(); }\n        Cmd::Check => check(),\n    }\n}\n",
            ["serve", "--bind", "0.0.0.0:8080"],
        ),
        (
            "#[derive(Parser)]\nstruct Cli {\n    #[arg(long, default_value = \"localhost\")]\n    host: String,\n    #[command(subcommand)]\n    cmd: Cmd,\n}\n#[derive(Subcommand)]\nenum Cmd { Serve, Check }\nfn main() {\n    let cli = Cli::parse();\n    match cli.cmd {\n        Cmd::Serve => { let l = TcpListener::bind((cli.host.as_str(), 8080)).unwrap(); }\n        Cmd::Check => check(),\n    }\n}\n",
            ["--host", "0.0.0.0", "serve"],
        ),
        (
            "#[derive(Args)]\nstruct ServeArgs {\n    #[arg(long, default_value = \"::1\")]\n    listen: String,\n}\n#[derive(Subcommand)]\nenum Cmd { Serve(ServeArgs), Check }\nfn main() {\n    match Cli::parse().cmd {\n        Cmd::Serve(args) => { let l = TcpListener::bind((args.listen.as_str(), 8080)).unwrap(); }\n        Cmd::Check => check(),\n    }\n}\n",
            ["serve", "--listen", "0.0.0.0"],
        ),
    ];
    for (code, args) in cases {
        let run = main_rs("app", &["clap"], code);
        assert_eq!(run.args, args, "{code}");
        assert!(run.loopback_binds.is_empty(), "{:?}", run.loopback_binds);
    }
}
