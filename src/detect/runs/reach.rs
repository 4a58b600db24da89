//! Which source files are compiled into a binary, and which of their functions it can call.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::lex::{Src, find_word, ident_at, is_ident_byte, matching, stmt_start};
use crate::workspace::{BinTarget, Workspace};

/// The code of one binary: its own module tree, then the library trees it links (the
/// package's and those of the workspace members it depends on), with the library
/// functions it never names blanked out. Tests, benches and examples are never included.
pub fn reach(ws: &Workspace, bin: &BinTarget) -> Vec<Src> {
    let index: HashMap<&str, &str> = ws
        .sources
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut seen = HashSet::new();
    let mut libs = tree(&index, &bin.src_path, &mut seen);
    if libs.is_empty() {
        return libs;
    }
    // The crate root runs; the binary's other modules count as they are named, like a
    // library's (an always-used crate called "").
    let root = libs.remove(0);
    let mut crates = vec![String::new(); libs.len()];
    for (i, (krate, root)) in library_roots(ws, &bin.package).into_iter().enumerate() {
        for mut src in tree(&index, &root, &mut seen) {
            // The first root is the binary's own package's library, when it has one.
            src.foreign = i > 0 || !own_library(ws, &bin.package, &root);
            crates.push(krate.clone());
            libs.push(src);
        }
    }
    blank_uncalled(&root, &mut libs, &crates);
    std::iter::once(root).chain(libs).collect()
}

/// Whether `root` is the library of `package` itself.
fn own_library(ws: &Workspace, package: &str, root: &str) -> bool {
    ws.members
        .iter()
        .find(|m| m.name == package)
        .is_some_and(|m| {
            m.lib_src_path.as_deref() == Some(root) || join(&m.dir, "src/lib.rs") == root
        })
}

/// The library roots a binary of `package` links, with their crate names: its own
/// `lib.rs`, then those of the members it depends on, directly or through other members.
fn library_roots(ws: &Workspace, package: &str) -> Vec<(String, String)> {
    let mut order = vec![package.to_string()];
    let mut i = 0;
    while i < order.len() {
        if let Some(m) = ws.members.iter().find(|m| m.name == order[i]) {
            for dep in &m.dependencies {
                if ws.members.iter().any(|o| &o.name == dep) && !order.contains(dep) {
                    order.push(dep.clone());
                }
            }
        }
        i += 1;
    }
    order
        .iter()
        .filter_map(|name| {
            let m = ws.members.iter().find(|m| &m.name == name)?;
            let root = m.lib_src_path.clone().or_else(|| {
                let path = join(&m.dir, "src/lib.rs");
                ws.sources.iter().any(|(p, _)| p == &path).then_some(path)
            })?;
            let krate = m.lib_name.clone().unwrap_or_else(|| name.replace('-', "_"));
            Some((krate, root))
        })
        .collect()
}

/// The module tree starting at the crate root `root`, each file once.
fn tree(index: &HashMap<&str, &str>, root: &str, seen: &mut HashSet<String>) -> Vec<Src> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_string(), true)];
    while let Some((path, mod_rs)) = stack.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let Some(text) = index.get(path.as_str()) else {
            continue;
        };
        let src = Src::new(&path, text);
        for decl in module_decls(&src) {
            let found = candidates(&path, mod_rs, &decl)
                .into_iter()
                .find(|c| index.contains_key(c.as_str()));
            if let Some(child) = found {
                let child_mod_rs = decl.path_attr.is_some() || child.ends_with("/mod.rs");
                stack.push((child, child_mod_rs));
            }
        }
        out.push(src);
    }
    out
}

/// A `mod name;` declaration: its name, the inline modules around it, its `#[path]`.
#[derive(Debug, PartialEq)]
struct ModDecl {
    name: String,
    inline: Vec<String>,
    path_attr: Option<String>,
}

/// The out-of-line module declarations of a file (test modules are already blanked).
fn module_decls(src: &Src) -> Vec<ModDecl> {
    let m = &src.masked;
    let mut inline: Vec<(String, usize, usize)> = Vec::new();
    let mut decls: Vec<(usize, String)> = Vec::new();
    for at in find_word(m, "mod") {
        let Some(name) = ident_at(m, at + 3) else {
            continue;
        };
        let after = m[at + 3..]
            .find(name)
            .map_or(at + 3, |p| at + 3 + p + name.len());
        match m[after..].trim_start().as_bytes().first() {
            Some(b';') => decls.push((at, name.to_string())),
            Some(b'{') => {
                let open = after + m[after..].find('{').unwrap_or(0);
                if let Some(close) = matching(m, open) {
                    inline.push((name.to_string(), open, close));
                }
            }
            _ => {}
        }
    }
    decls
        .into_iter()
        .map(|(at, name)| {
            let head = &src.code[stmt_start(m, at)..at];
            let path_attr = head.find("#[path").and_then(|p| {
                let rest = &head[p..];
                let q = rest.find('"')?;
                let end = rest[q + 1..].find('"')?;
                Some(rest[q + 1..q + 1 + end].to_string())
            });
            ModDecl {
                inline: inline
                    .iter()
                    .filter(|(_, open, close)| *open < at && at < *close)
                    .map(|(n, _, _)| n.clone())
                    .collect(),
                name,
                path_attr,
            }
        })
        .collect()
}

/// Where rustc looks for a declared module, in order.
fn candidates(file: &str, mod_rs: bool, decl: &ModDecl) -> Vec<String> {
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".rs");
    let base = if mod_rs {
        dir.to_string()
    } else {
        join(dir, stem)
    };
    let nested = decl
        .inline
        .iter()
        .fold(base, |acc, m| join(&acc, m.as_str()));
    match &decl.path_attr {
        Some(p) if decl.inline.is_empty() => vec![normalize(&join(dir, p))],
        Some(p) => vec![normalize(&join(&nested, p))],
        None => vec![
            normalize(&join(&nested, &format!("{}.rs", decl.name))),
            normalize(&join(&nested, &format!("{}/mod.rs", decl.name))),
        ],
    }
}

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() || dir == "." {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

/// Resolves `.` and `..` segments.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." | "" => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// A function item: its name and its range (signature and body) in the file.
struct FnItem {
    name: String,
    start: usize,
    end: usize,
}

fn fn_items(src: &Src) -> Vec<FnItem> {
    let m = &src.masked;
    find_word(m, "fn")
        .into_iter()
        .filter_map(|at| {
            let name = ident_at(m, at + 2)?.to_string();
            let b = m.as_bytes();
            let mut depth = 0i32;
            let mut i = at + 2;
            while i < b.len() {
                match b[i] {
                    b'(' | b'[' => depth += 1,
                    b')' | b']' => depth -= 1,
                    b';' if depth <= 0 => return None,
                    b'{' if depth <= 0 => {
                        let end = matching(m, i)? + 1;
                        return Some(FnItem {
                            name,
                            start: at,
                            end,
                        });
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        })
        .collect()
}

/// The identifiers used in `text`, leaving out the names being defined after `fn`. A name
/// qualified by a lowercase path segment (`tracing::init`) is recorded as `tracing::init`,
/// so it only reaches a function of a module called `tracing`.
fn idents(text: &str, into: &mut BTreeSet<String>) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut prev = "";
    let mut prev_end = 0;
    while i < b.len() {
        if is_ident_byte(b[i]) && (i == 0 || !is_ident_byte(b[i - 1])) {
            let len = b[i..].iter().take_while(|c| is_ident_byte(**c)).count();
            let word = &text[i..i + len];
            let qualified = text[prev_end..i].trim() == "::"
                && prev.starts_with(|c: char| c.is_ascii_lowercase())
                && !["self", "super", "crate"].contains(&prev);
            if prev != "fn" && !word.as_bytes()[0].is_ascii_digit() {
                if qualified {
                    into.insert(format!("{prev}::{word}"));
                } else {
                    into.insert(word.to_string());
                }
            }
            prev = word;
            i += len;
            prev_end = i;
        } else {
            i += 1;
        }
    }
}

/// The name a file's functions are reached through when qualified: its module's name, or
/// the crate's for a crate root.
fn module_name(path: &str, krate: &str) -> String {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or(path).trim_end_matches(".rs");
    match file {
        "lib" | "main" => krate.to_string(),
        "mod" => parts.next().unwrap_or_default().to_string(),
        _ => file.to_string(),
    }
}

/// Blanks the code the binary never reaches by name from its crate root: a library crate
/// counts once live code names it (`app::serve`, `use app::...`), then its functions once
/// live code names them. `crates[i]` is the crate of `libs[i]` (`""`: the binary's own).
fn blank_uncalled(root: &Src, libs: &mut [Src], crates: &[String]) {
    let mut words = BTreeSet::new();
    idents(&root.masked, &mut words);
    let items: Vec<Vec<FnItem>> = libs.iter().map(fn_items).collect();
    // Items outside functions (structs with clap defaults, constants, statics) are compiled
    // in with their crate and may name functions; `use` and `mod` lines only re-export.
    let outside: Vec<BTreeSet<String>> = libs
        .iter()
        .zip(&items)
        .map(|(src, fns)| {
            let mut rest = src.clone();
            for f in fns {
                rest.blank(f.start, f.end);
            }
            for kw in ["use", "mod"] {
                for at in find_word(&rest.masked.clone(), kw) {
                    let end = super::lex::item_end(&rest.masked, at);
                    rest.blank(at, end);
                }
            }
            let mut w = BTreeSet::new();
            idents(&rest.masked, &mut w);
            w
        })
        .collect();
    let mut entered: BTreeSet<&str> = BTreeSet::new();
    entered.insert("");
    for (o, w) in crates.iter().zip(&outside) {
        if o.is_empty() {
            words.extend(w.iter().cloned());
        }
    }
    let mut live: Vec<Vec<bool>> = items.iter().map(|f| vec![false; f.len()]).collect();
    loop {
        let mut changed = false;
        for (fi, krate) in crates.iter().enumerate() {
            if !entered.contains(krate.as_str()) && words.contains(krate) {
                entered.insert(krate);
                for (o, w) in crates.iter().zip(&outside) {
                    if o == krate {
                        words.extend(w.iter().cloned());
                    }
                }
                changed = true;
            }
            if !entered.contains(krate.as_str()) {
                continue;
            }
            let module = module_name(&libs[fi].path, krate);
            for (i, f) in items[fi].iter().enumerate() {
                let named =
                    words.contains(&f.name) || words.contains(&format!("{module}::{}", f.name));
                if !live[fi][i] && named {
                    live[fi][i] = true;
                    idents(&libs[fi].masked[f.start..f.end], &mut words);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (fi, fns) in items.iter().enumerate() {
        if !entered.contains(crates[fi].as_str()) {
            let len = libs[fi].masked.len();
            libs[fi].blank(0, len);
            continue;
        }
        for (i, f) in fns.iter().enumerate() {
            let inside_live = fns
                .iter()
                .zip(&live[fi])
                .any(|(o, l)| *l && o.start < f.start && f.end <= o.end);
            if !live[fi][i] && !inside_live {
                libs[fi].blank(f.start, f.end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Member;

    fn ws(files: &[(&str, &str)]) -> Workspace {
        Workspace {
            name: "app".into(),
            members: vec![Member {
                name: "app".into(),
                ..Member::default()
            }],
            sources: files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
            ..Workspace::default()
        }
    }

    fn bin(src: &str) -> BinTarget {
        BinTarget {
            name: "app".into(),
            package: "app".into(),
            src_path: src.into(),
            ..BinTarget::default()
        }
    }

    fn paths(srcs: &[Src]) -> Vec<&str> {
        let mut p: Vec<&str> = srcs.iter().map(|s| s.path.as_str()).collect();
        p.sort();
        p
    }

    #[test]
    fn follows_modules_in_every_form() {
        let ws = ws(&[
            (
                "src/main.rs",
                "mod routes;\nmod db;\n#[path = \"../gen/api.rs\"]\nmod api;\nmod outer {\n    pub mod inner;\n}\n#[cfg(test)]\nmod test_helpers;\n",
            ),
            ("src/routes.rs", "pub mod users;\n"),
            ("src/routes/users.rs", "pub fn list() {}\n"),
            ("src/db/mod.rs", "mod pool;\n"),
            ("src/db/pool.rs", ""),
            ("gen/api.rs", "mod types;\n"),
            ("gen/types.rs", ""),
            ("src/outer/inner.rs", ""),
            ("src/test_helpers.rs", "fn bind() {}"),
            ("src/unused.rs", ""),
        ]);
        assert_eq!(
            paths(&reach(&ws, &bin("src/main.rs"))),
            [
                "gen/api.rs",
                "gen/types.rs",
                "src/db/mod.rs",
                "src/db/pool.rs",
                "src/main.rs",
                "src/outer/inner.rs",
                "src/routes.rs",
                "src/routes/users.rs"
            ]
        );
    }

    #[test]
    fn bin_roots_outside_src_and_in_src_bin() {
        let ws = ws(&[
            ("bin/tool.rs", "mod util;\n"),
            ("bin/util.rs", ""),
            ("src/bin/server/main.rs", "mod handlers;\n"),
            ("src/bin/server/handlers.rs", ""),
        ]);
        assert_eq!(
            paths(&reach(&ws, &bin("bin/tool.rs"))),
            ["bin/tool.rs", "bin/util.rs"]
        );
        assert_eq!(
            paths(&reach(&ws, &bin("src/bin/server/main.rs"))),
            ["src/bin/server/handlers.rs", "src/bin/server/main.rs"]
        );
    }

    #[test]
    fn library_trees_of_the_package_and_member_dependencies() {
        let mut w = ws(&[
            ("src/main.rs", "fn main() { app::api::x(); core::start(); }"),
            ("src/lib.rs", "pub mod api;\n"),
            ("src/api.rs", ""),
            ("core/src/lib.rs", "pub fn start() { net::listen(); }\n"),
            (
                "quiet/src/lib.rs",
                "pub fn listen() { TcpListener::bind(\"0.0.0.0:1\"); }\n",
            ),
            ("net/src/lib.rs", "pub fn listen() {}\n"),
            ("other/src/lib.rs", "pub fn listen() {}\n"),
        ]);
        w.members[0].dependencies = vec!["core".into(), "serde".into(), "quiet".into()];
        for (name, deps) in [
            ("core", vec!["net".to_string()]),
            ("quiet", vec![]),
            ("net", vec![]),
            ("other", vec![]),
        ] {
            w.members.push(Member {
                name: name.into(),
                dir: name.into(),
                dependencies: deps,
                ..Member::default()
            });
        }
        let reached = reach(&w, &bin("src/main.rs"));
        assert_eq!(
            paths(&reached),
            [
                "core/src/lib.rs",
                "net/src/lib.rs",
                "quiet/src/lib.rs",
                "src/api.rs",
                "src/lib.rs",
                "src/main.rs"
            ]
        );
        // A member the binary never names contributes nothing.
        assert!(reached.iter().all(|s| !s.code.contains("TcpListener")));
        assert!(reached.iter().any(|s| s.code.contains("net::listen")));
    }

    #[test]
    fn a_library_named_apart_from_its_package() {
        let mut w = ws(&[
            ("src/main.rs", "fn main() { netcore::listen(); }"),
            (
                "net/lib.rs",
                "pub fn listen() { TcpListener::bind(\"0.0.0.0:1\"); }\n",
            ),
        ]);
        w.members[0].dependencies = vec!["net-core".into()];
        w.members.push(Member {
            name: "net-core".into(),
            dir: "net".into(),
            lib_src_path: Some("net/lib.rs".into()),
            lib_name: Some("netcore".into()),
            ..Member::default()
        });
        let reached = reach(&w, &bin("src/main.rs"));
        assert!(
            reached
                .iter()
                .any(|s| s.code.contains("TcpListener") && s.foreign)
        );
    }

    #[test]
    fn library_functions_never_named_are_blanked() {
        let ws = ws(&[
            (
                "src/bin/cli.rs",
                "fn main() { let c = app::client::Client::connect(addr); c.get(); }",
            ),
            ("src/bin/server.rs", "fn main() { app::server::run(); }"),
            (
                "src/lib.rs",
                "pub mod client;\npub mod server;\npub const DEFAULT_PORT: u16 = 6379;\n",
            ),
            (
                "src/client.rs",
                "impl Client { pub fn connect(a: &str) -> Self { todo!() } pub fn get(&self) {} }\n",
            ),
            (
                "src/server.rs",
                "pub fn run() { accept_loop(); }\nfn accept_loop() { TcpListener::bind(\"0.0.0.0:6379\"); }\n",
            ),
        ]);
        let cli = reach(&ws, &bin("src/bin/cli.rs"));
        let all: String = cli.iter().map(|s| s.code.as_str()).collect();
        assert!(!all.contains("TcpListener"));
        assert!(all.contains("DEFAULT_PORT"));
        let server = reach(&ws, &bin("src/bin/server.rs"));
        let all: String = server.iter().map(|s| s.code.as_str()).collect();
        assert!(all.contains("TcpListener::bind"));
    }

    #[test]
    fn the_binarys_own_modules_count_as_they_are_called() {
        let ws = ws(&[
            (
                "src/bin/schema.rs",
                "mod http;\nmod settings;\nmod tracing;\nfn main() { tracing::init(); print(settings::Settings::schema()); }",
            ),
            (
                "src/bin/http.rs",
                "pub async fn init() { HttpServer::new(app).bind(addr); }\npub struct Routes;\n",
            ),
            ("src/bin/tracing.rs", "pub fn init() {}\n"),
            (
                "src/bin/settings.rs",
                "impl Settings { pub fn schema() -> String { describe() } }\nfn describe() -> String { todo!() }\n",
            ),
        ]);
        let all: String = reach(&ws, &bin("src/bin/schema.rs"))
            .iter()
            .map(|s| s.code.clone())
            .collect();
        assert!(!all.contains("HttpServer"));
        assert!(all.contains("struct Routes"));
        assert!(all.contains("fn describe"));
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("src/../gen/./a.rs"), "gen/a.rs");
        assert_eq!(normalize("../x.rs"), "../x.rs");
    }
}
