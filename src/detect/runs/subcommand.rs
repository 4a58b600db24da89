//! The subcommand a binary serves or works under (`bore server`), and where its other subcommands are declared.

use super::Location;
use super::lex::{Src, find_word, ident_at, is_ident_byte, line_start, matching, strings_in};

/// A variant of a `#[derive(Subcommand)]` enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// As typed on the command line: the variant in kebab case, or its `name = "..."`.
    pub name: String,
    /// The enum and the variant, as code names them (`Command`, `Server`).
    pub path: (String, String),
    /// Where its options are declared: (index of the file in the sources, byte range). The
    /// variant itself, and for `Serve(ServeArgs)` the struct it wraps.
    pub decls: Vec<(usize, (usize, usize))>,
    /// The type a tuple variant wraps (`ServeArgs`, or the `Cmd` enum of `server::Cmd`).
    pub wrapped: Option<String>,
}

/// Where the role was decided (a listener, a loop) and the subcommand leading to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    /// The variant whose match arm leads to `at`.
    pub variant: Variant,
    /// The subcommands that start it, outermost first: `["server", "start"]` when the
    /// chosen variant's enum is itself wrapped by a variant (`Server(server::Cmd)`).
    pub args: Vec<String>,
    /// Every variant of the enum but the chosen one, and the siblings of each variant
    /// wrapping it.
    pub others: Vec<Variant>,
}

impl Chosen {
    /// Whether `at` lies in the declaration of the chosen subcommand (one of its options).
    pub fn declares(&self, srcs: &[Src], at: &Location) -> bool {
        spans(srcs, &self.variant, at)
    }

    /// Whether `at` lies in the declaration of another subcommand (its options are not the
    /// running one's).
    pub fn in_other(&self, srcs: &[Src], at: &Location) -> bool {
        self.others.iter().any(|v| spans(srcs, v, at))
    }
}

/// Whether a declaration of `v`'s options spans `at`.
fn spans(srcs: &[Src], v: &Variant, at: &Location) -> bool {
    v.decls.iter().any(|&(file, (start, end))| {
        let src = &srcs[file];
        src.path == at.file && (src.line(start)..=src.line(end)).contains(&at.line)
    })
}

/// The body of `struct name { ... }` in the sources: (file, byte range).
fn struct_decl(srcs: &[Src], name: &str) -> Option<(usize, (usize, usize))> {
    srcs.iter().enumerate().find_map(|(fi, src)| {
        let m = &src.masked;
        find_word(m, "struct").into_iter().find_map(|at| {
            (ident_at(m, at + 6) == Some(name)).then_some(())?;
            let open = at + m[at..].find(['{', ';'])?;
            let close = (m.as_bytes()[open] == b'{').then(|| matching(m, open))??;
            Some((fi, (at, close)))
        })
    })
}

/// Words naming the subcommand that runs a service, when its match arm does not show it.
const SERVE_WORDS: &[&str] = &[
    "serve", "server", "start", "run", "daemon", "web", "api", "listen", "worker", "work",
];

/// The subcommand whose match arm leads to `at` (where the role was decided): the arm holding
/// it, else the one arm naming the type or function that holds it, else the one variant
/// named like running a service. `None` when the binary has no subcommands, or no one of
/// them stands out.
pub fn leading_to(srcs: &[Src], at: &Location) -> Option<Chosen> {
    let variants = variants(srcs);
    if variants.is_empty() {
        return None;
    }
    let (fi, offset) = srcs
        .iter()
        .enumerate()
        .find_map(|(i, s)| (s.path == at.file).then(|| (i, line_start(&s.masked, at.line))))?;
    let arms: Vec<(&Variant, usize, (usize, usize))> = variants
        .iter()
        .flat_map(|v| arms(srcs, v).into_iter().map(move |(f, r)| (v, f, r)))
        .collect();
    let holding: Vec<&Variant> = (arms.iter())
        .filter(|(_, f, (s, e))| *f == fi && (*s..*e).contains(&offset))
        .map(|(v, ..)| *v)
        .collect();
    let names = enclosing_names(&srcs[fi].masked, offset);
    let naming: Vec<&Variant> = (arms.iter())
        .filter(|(_, f, (s, e))| {
            let body = &srcs[*f].masked[*s..*e];
            names.iter().any(|n| {
                find_word(body, n)
                    .iter()
                    .any(|&i| body[i + n.len()..].starts_with(['(', ':']))
            })
        })
        .map(|(v, ..)| *v)
        .collect();
    let named: Vec<&Variant> = (variants.iter())
        .filter(|v| {
            super::frameworks::words(&v.name)
                .iter()
                .any(|w| SERVE_WORDS.contains(&w.as_str()))
        })
        .collect();
    let chosen = [holding, naming, named]
        .into_iter()
        .find_map(|found| one(&found))?;
    let siblings = |v: &Variant| {
        (variants.iter())
            .filter(|o| o.path.0 == v.path.0 && o.path != v.path)
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut args = vec![chosen.name.clone()];
    let mut others = siblings(chosen);
    // Up through the variants that wrap the chosen one's enum (a bounded walk: a cycle of
    // wrapping enums is not a command line).
    let mut inner = chosen;
    for _ in 0..4 {
        let Some(outer) = (variants.iter()).find(|v| v.wrapped.as_deref() == Some(&inner.path.0))
        else {
            break;
        };
        args.insert(0, outer.name.clone());
        others.extend(siblings(outer));
        inner = outer;
    }
    Some(Chosen {
        variant: chosen.clone(),
        args,
        others,
    })
}

/// The variant when `found` names exactly one (an arm may be seen more than once).
fn one<'a>(found: &[&'a Variant]) -> Option<&'a Variant> {
    let first = found.first()?;
    found.iter().all(|v| v.path == first.path).then_some(*first)
}

/// The function holding `offset` and the type of the `impl` holding it, as code calls them.
fn enclosing_names(masked: &str, offset: usize) -> Vec<String> {
    let function = enclosing(masked, offset, "fn").filter(|n| *n != "main");
    [function, enclosing(masked, offset, "impl")]
        .into_iter()
        .flatten()
        .map(str::to_string)
        .collect()
}

/// The name of the nearest `fn` or `impl` (`kw`) whose body encloses `offset`; for `impl<T>
/// Trait for Type<T>`, `Type`.
fn enclosing<'a>(masked: &'a str, offset: usize, kw: &str) -> Option<&'a str> {
    let at = find_word(&masked[..offset], kw)
        .into_iter()
        .rev()
        .find(|&at| {
            masked[at..]
                .find('{')
                .and_then(|p| matching(masked, at + p))
                .is_some_and(|close| close >= offset)
        })?;
    let open = at + masked[at..].find('{')?;
    let head = &masked[at + kw.len()..open];
    let head = head.rsplit(" for ").next().unwrap_or(head).trim_start();
    let head = match head.strip_prefix('<') {
        Some(_) => matching(head, 0).map_or(head, |e| &head[e + 1..]),
        None => head,
    };
    ident_at(head, 0)
}

/// Every variant of the `#[derive(Subcommand)]` enums (and of enums deriving the parser)
/// in the sources.
fn variants(srcs: &[Src]) -> Vec<Variant> {
    let mut out = Vec::new();
    for (fi, src) in srcs.iter().enumerate() {
        let m = &src.masked;
        for (at, _) in m.match_indices("#[derive(") {
            let Some(close) = matching(m, at + 8) else {
                continue;
            };
            // An enum deriving the parser itself is a set of subcommands too (atuin-server).
            let derives = &m[at + 9..close];
            if ["Subcommand", "Parser", "StructOpt"]
                .iter()
                .all(|d| find_word(derives, d).is_empty())
            {
                continue;
            }
            let Some(kw) = m[close..].find("enum ").map(|p| close + p) else {
                continue;
            };
            // Only the attributes and visibility stand between the derive and the enum.
            if m[close..kw].contains([';', '{', '}']) {
                continue;
            }
            let Some(name) = ident_at(m, kw + 4) else {
                continue;
            };
            let Some(open) = m[kw..].find('{').map(|p| kw + p) else {
                continue;
            };
            let Some(end) = matching(m, open) else {
                continue;
            };
            out.extend(enum_variants(src, fi, name, open + 1, end));
        }
    }
    for v in &mut out {
        if let Some(decl) = v.wrapped.as_deref().and_then(|w| struct_decl(srcs, w)) {
            v.decls.push(decl);
        }
    }
    out
}

/// The variants declared in `src.masked[start..end]` (an enum's body).
fn enum_variants(src: &Src, file: usize, name: &str, start: usize, end: usize) -> Vec<Variant> {
    let m = &src.masked;
    let b = m.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    let mut attrs_from = start;
    while i < end {
        match b[i] {
            b'#' if b.get(i + 1) == Some(&b'[') => {
                i = matching(m, i + 1).map_or(end, |c| c + 1);
            }
            c if is_ident_byte(c) => {
                let ident = ident_at(m, i).unwrap_or_default();
                let decl_start = i;
                i += ident.len();
                let rest = i + (m[i..end].len() - m[i..end].trim_start().len());
                if matches!(b.get(rest), Some(b'{') | Some(b'(')) {
                    i = matching(m, rest).map_or(end, |c| c + 1);
                }
                // `Serve(ServeArgs)` wraps `ServeArgs`; `Server(server::Cmd)` wraps `Cmd`.
                let wrapped = (b.get(rest) == Some(&b'('))
                    .then(|| matching(m, rest))
                    .flatten()
                    .and_then(|close| m[rest + 1..close].trim().rsplit("::").next())
                    .and_then(|last| ident_at(last, 0))
                    .map(str::to_string);
                let own = strings_in(&src.code, m, attrs_from, decl_start)
                    .into_iter()
                    .find(|(q, _)| {
                        let head = m[attrs_from..*q].trim_end();
                        head.ends_with('=') && head[..head.len() - 1].trim_end().ends_with("name")
                    })
                    .map(|(_, s)| s);
                out.push(Variant {
                    name: own.unwrap_or_else(|| kebab(ident)),
                    path: (name.to_string(), ident.to_string()),
                    decls: vec![(file, (decl_start, i))],
                    wrapped,
                });
                // Up to the comma that ends the variant.
                i = m[i..end].find(',').map_or(end, |p| i + p + 1);
                attrs_from = i;
            }
            _ => i += 1,
        }
    }
    out
}

/// The bodies of the match arms `Enum::Variant ... => body` (or `Self::Variant` in the
/// enum's own `impl`) in the sources: (file, range).
fn arms(srcs: &[Src], variant: &Variant) -> Vec<(usize, (usize, usize))> {
    let (enum_name, ident) = &variant.path;
    let mut out = Vec::new();
    for (fi, src) in srcs.iter().enumerate() {
        let m = &src.masked;
        // `Cmd::Start`, or `Self::Start` inside `impl Cmd`.
        let path_at = |at: usize, len: usize| {
            let after = at + len;
            (m[after..].starts_with("::") && ident_at(m, after + 2) == Some(ident.as_str()))
                .then_some(after)
        };
        let named =
            (find_word(m, enum_name).into_iter()).filter_map(|at| path_at(at, enum_name.len()));
        let own = (find_word(m, "Self").into_iter())
            .filter_map(|at| path_at(at, "Self".len()).map(|after| (at, after)))
            .filter(|&(at, _)| enclosing(m, at, "impl") == Some(enum_name))
            .map(|(_, after)| after);
        for after in named.chain(own) {
            let mut i = after + 2 + ident.len();
            let rest = m[i..].trim_start();
            i = m.len() - rest.len();
            if rest.starts_with(['{', '(']) {
                let Some(close) = matching(m, i) else {
                    continue;
                };
                i = close + 1;
            }
            let rest = m[i..].trim_start();
            // A pattern (`=>` follows, maybe after a guard), not a value being built.
            let Some(arrow) = rest
                .find("=>")
                .filter(|p| !rest[..*p].contains([';', '{', '}']))
            else {
                continue;
            };
            let body_start = m.len() - rest.len() + arrow + 2;
            let body = m[body_start..].trim_start();
            let body_at = m.len() - body.len();
            let body_end = if body.starts_with('{') {
                matching(m, body_at).map_or(m.len(), |c| c + 1)
            } else {
                super::lex::expr_end(m, body_at)
            };
            out.push((fi, (body_at, body_end)));
        }
    }
    out
}

/// `RunServer` -> `run-server`, as clap names a subcommand by default.
fn kebab(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.char_indices() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// bore's shape: a client and a server subcommand; the listener is in another file.
    const BORE_MAIN: &str = "#[derive(Parser)]\nstruct Args {\n    #[clap(subcommand)]\n    command: Command,\n}\n\n#[derive(Subcommand, Debug)]\nenum Command {\n    /// Starts a local proxy.\n    Local {\n        #[clap(env = \"BORE_LOCAL_PORT\")]\n        local_port: u16,\n        #[clap(short, long, default_value = \"localhost\")]\n        local_host: String,\n    },\n    /// Runs the remote proxy server.\n    Server {\n        #[clap(long, default_value_t = 1024, env = \"BORE_MIN_PORT\")]\n        min_port: u16,\n    },\n}\n\nasync fn run(command: Command) -> Result<()> {\n    match command {\n        Command::Local { local_host, local_port } => {\n            let client = Client::new(&local_host, local_port).await?;\n            client.listen().await?;\n        }\n        Command::Server { min_port } => {\n            Server::new(min_port).listen().await?;\n        }\n    }\n    Ok(())\n}\n";
    const BORE_SERVER: &str = "impl Server {\n    pub fn new(min: u16) -> Self { Server { min } }\n    pub async fn listen(self) -> Result<()> {\n        let listener = TcpListener::bind((\"0.0.0.0\", CONTROL_PORT)).await?;\n        Ok(())\n    }\n}\n";

    fn at(file: &str, line: usize) -> Location {
        Location {
            file: file.into(),
            line,
        }
    }

    #[test]
    fn the_arm_naming_the_listeners_type_is_the_serving_subcommand() {
        let srcs = [
            Src::new("src/main.rs", BORE_MAIN),
            Src::new("src/server.rs", BORE_SERVER),
        ];
        let chosen = leading_to(&srcs, &at("src/server.rs", 4)).unwrap();
        assert_eq!(chosen.variant.name, "server");
        assert_eq!(chosen.others.len(), 1);
        assert_eq!(chosen.others[0].name, "local");
        // The client's options are another subcommand's; the server's are not.
        assert!(chosen.in_other(&srcs, &at("src/main.rs", 11)));
        assert!(chosen.in_other(&srcs, &at("src/main.rs", 13)));
        assert!(!chosen.in_other(&srcs, &at("src/main.rs", 18)));
    }

    #[test]
    fn an_arm_holding_the_listener_and_named_subcommands() {
        let code = "#[derive(Subcommand)]\nenum Cmd {\n    #[command(name = \"http\")]\n    ServeHttp { #[arg(long, env = \"PORT\")] port: u16 },\n    Migrate,\n    Check(CheckArgs),\n}\nfn main() {\n    match Cli::parse().cmd {\n        Cmd::ServeHttp { port } => {\n            let l = TcpListener::bind((\"0.0.0.0\", port)).unwrap();\n        }\n        Cmd::Migrate => migrate(),\n        Cmd::Check(args) => check(args),\n    }\n}\n";
        let srcs = [Src::new("src/main.rs", code)];
        let chosen = leading_to(&srcs, &at("src/main.rs", 11)).unwrap();
        assert_eq!(chosen.variant.name, "http");
        let names: Vec<&str> = chosen.others.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["migrate", "check"]);
    }

    #[test]
    fn a_tuple_variants_options_are_its_wrapped_structs() {
        let code = "#[derive(Args)]\nstruct ServeArgs {\n    #[arg(long, default_value = \"127.0.0.1\")]\n    listen: String,\n}\n#[derive(Args)]\nstruct PingArgs {\n    #[arg(long, env = \"PING_PORT\")]\n    port: u16,\n}\n#[derive(Subcommand)]\nenum Cmd {\n    Serve(ServeArgs),\n    Ping(PingArgs),\n}\nfn main() {\n    match Cli::parse().cmd {\n        Cmd::Serve(args) => serve(args),\n        Cmd::Ping(args) => ping(args),\n    }\n}\nfn serve(args: ServeArgs) {\n    let l = TcpListener::bind((args.listen.as_str(), 8080)).unwrap();\n}\n";
        let srcs = [Src::new("src/main.rs", code)];
        let chosen = leading_to(&srcs, &at("src/main.rs", 22)).unwrap();
        assert_eq!(chosen.variant.name, "serve");
        assert!(
            chosen.declares(&srcs, &at("src/main.rs", 3)),
            "ServeArgs's --listen"
        );
        assert!(
            chosen.in_other(&srcs, &at("src/main.rs", 8)),
            "PingArgs's --port"
        );
    }

    #[test]
    fn the_enum_may_live_in_another_members_library() {
        // lipish/unigateway's shape: the CLI crate declares the subcommands.
        let mut cli = Src::new(
            "crates/cli/src/lib.rs",
            "#[derive(Subcommand)]\npub enum Commands {\n    Serve { #[arg(long)] foreground: bool },\n    Stop,\n}\n",
        );
        cli.foreign = true;
        let main = "fn main() {\n    match Cli::parse().command {\n        Some(Commands::Serve { .. }) => server::run(),\n        Some(Commands::Stop) => stop(),\n        None => println!(\"use serve\"),\n    }\n}\n";
        let server =
            "pub fn run() {\n    let l = TcpListener::bind(\"0.0.0.0:3210\").unwrap();\n}\n";
        let srcs = [
            Src::new("src/main.rs", main),
            cli,
            Src::new("src/server.rs", server),
        ];
        let chosen = leading_to(&srcs, &at("src/server.rs", 2)).unwrap();
        assert_eq!(chosen.variant.name, "serve");
    }

    #[test]
    fn nested_subcommands_start_with_every_level() {
        // atuin's shape: `atuin server start`, the server's subcommands in their own module.
        let main = "#[derive(Subcommand)]\nenum AtuinCmd {\n    Server(server::Cmd),\n    Search { #[arg(long, env = \"ATUIN_PORT\")] port: u16 },\n}\nfn main() {\n    match Cli::parse().cmd {\n        AtuinCmd::Server(server) => server.run(),\n        AtuinCmd::Search { port } => search(port),\n    }\n}\n";
        let server = "#[derive(Subcommand)]\npub enum Cmd {\n    Start { #[arg(long)] host: Option<String> },\n    DefaultConfig,\n}\nimpl Cmd {\n    pub fn run(self) {\n        match self {\n            Self::Start { host } => launch(host),\n            Self::DefaultConfig => print_config(),\n        }\n    }\n}\npub fn launch(host: Option<String>) {\n    let l = TcpListener::bind(\"0.0.0.0:8888\").unwrap();\n}\n";
        let srcs = [
            Src::new("src/main.rs", main),
            Src::new("src/server.rs", server),
        ];
        let chosen = leading_to(&srcs, &at("src/server.rs", 15)).unwrap();
        assert_eq!(chosen.args, ["server", "start"]);
        // The client's options are another subcommand's, one level up.
        assert!(chosen.in_other(&srcs, &at("src/main.rs", 4)));
    }

    #[test]
    fn an_enum_deriving_the_parser_holds_subcommands() {
        // atuin-server's shape: `atuin-server start`, the listener in the library.
        let main = "#[derive(Parser, Debug)]\nenum Cmd {\n    Start { #[clap(long)] port: Option<u16> },\n    DefaultConfig,\n}\nasync fn main() {\n    match Cmd::parse() {\n        Cmd::Start { port } => launch::<Postgres>(settings, port).await,\n        Cmd::DefaultConfig => println!(\"x\"),\n    }\n}\n";
        let lib = "pub async fn launch<Db: Database>(s: Settings, port: u16) {\n    let l = TcpListener::bind((\"0.0.0.0\", port)).await.unwrap();\n}\n";
        let srcs = [
            Src::new("src/bin/main.rs", main),
            Src::new("src/lib.rs", lib),
        ];
        let chosen = leading_to(&srcs, &at("src/lib.rs", 2)).unwrap();
        assert_eq!(chosen.args, ["start"]);
    }

    #[test]
    fn no_subcommand_stands_out_or_none_exist() {
        let plain = "fn main() { let l = TcpListener::bind(\"0.0.0.0:80\").unwrap(); }";
        assert_eq!(
            leading_to(&[Src::new("src/main.rs", plain)], &at("src/main.rs", 1)),
            None
        );
        // Serving when no subcommand is given: every subcommand is another action.
        let optional = "#[derive(Subcommand)]\nenum Cmd { Migrate, Check }\nfn main() {\n    match cli.cmd {\n        Some(Cmd::Migrate) => migrate(),\n        Some(Cmd::Check) => check(),\n        None => {\n            let l = TcpListener::bind(\"0.0.0.0:80\").unwrap();\n        }\n    }\n}\n";
        assert_eq!(
            leading_to(&[Src::new("src/main.rs", optional)], &at("src/main.rs", 8)),
            None
        );
    }

    #[test]
    fn kebab_case_as_clap_names_subcommands() {
        assert_eq!(kebab("Server"), "server");
        assert_eq!(kebab("RunServer"), "run-server");
    }
}
