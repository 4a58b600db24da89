//! The files read beside `cargo metadata`: sources, migrations, toolchain, cargo configs, build scripts, run-time folders.

use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, TargetKind};

use super::{CargoConfigFile, Toolchain};

/// The workspace root and each member's folder: where migrations, run-time folders and
/// sqlx's `.sqlx/` live.
pub(super) fn member_dirs(metadata: &Metadata, root: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![root.to_path_buf()];
    dirs.extend(metadata.workspace_packages().iter().filter_map(|p| {
        p.manifest_path
            .parent()
            .map(|d| d.as_std_path().to_path_buf())
    }));
    dirs
}

/// The folders called one of `names` inside `dirs`, relative to the root, each once, in order.
fn folders_named(dirs: &[PathBuf], names: &[&str], root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for dir in dirs {
        for name in names {
            let found = dir.join(name);
            let rel = super::relative_to(root, &found);
            if found.is_dir() && !out.contains(&rel) {
                out.push(rel);
            }
        }
    }
    out
}

/// `migrations/` folders at the workspace root and at each member's root, sorted.
pub(super) fn find_migration_dirs(dirs: &[PathBuf], root: &Path) -> Vec<String> {
    let mut out = folders_named(dirs, &["migrations"], root);
    out.sort();
    out
}

/// At most this much source text is read for the scans.
const SOURCE_BUDGET: usize = 8 << 20;

/// The `.rs` files under each member's `src/`, and in the folders of binary and library
/// targets declared outside it (`bin/tool.rs`), within [`SOURCE_BUDGET`].
pub(super) fn read_sources(metadata: &Metadata, root: &Path) -> Vec<(String, String)> {
    // (folder, recursive, outside a `src/`)
    let mut dirs: Vec<(PathBuf, bool, bool)> = Vec::new();
    for package in metadata.workspace_packages() {
        let Some(package_dir) = package.manifest_path.parent().map(|d| d.as_std_path()) else {
            continue;
        };
        let src = package_dir.join("src");
        dirs.push((src.clone(), true, false));
        for target in &package.targets {
            let wanted = target.is_bin() || target.is_lib() || target.is_rlib();
            let Some(dir) = target.src_path.parent().map(|d| d.as_std_path()) else {
                continue;
            };
            if !wanted || dir.starts_with(&src) {
                continue;
            }
            // A target at the package's top: only the files beside it, not tests/ or target/.
            let entry = (dir.to_path_buf(), dir != package_dir, true);
            if !dirs.contains(&entry) {
                dirs.push(entry);
            }
        }
    }
    let mut out = Vec::new();
    let mut budget = SOURCE_BUDGET;
    let mut stack = dirs;
    while let Some((dir, recursive, outside_src)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                // Outside `src/` a target's folder may hold other targets' folders too.
                let other_targets =
                    outside_src && ["tests", "benches", "examples"].contains(&name.as_str());
                let skipped = name.starts_with('.') || name == "target" || other_targets;
                if recursive && !skipped {
                    stack.push((path, true, outside_src));
                }
            } else if path.extension().is_some_and(|e| e == "rs") && name != "build.rs" {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                if out.iter().any(|(p, _)| p == &rel) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if text.len() > budget {
                    out.sort();
                    return out;
                }
                budget -= text.len();
                out.push((rel, text));
            }
        }
    }
    out.sort();
    out
}

/// Configuration files larger than this are not read.
const CONFIG_FILE_LIMIT: u64 = 64 << 10;

/// Small `.yaml`/`.yml`/`.toml`/`.json` files in the run-time folders (and one level
/// below), the run-time files named in code, and `Rocket.toml` in the member folders:
/// where an app's port may be set.
pub(super) fn read_config_files(
    root: &Path,
    member_dirs: &[PathBuf],
    runtime_dirs: &[String],
) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = member_dirs.iter().map(|d| d.join("Rocket.toml")).collect();
    files.extend(
        runtime_dirs
            .iter()
            .map(|f| root.join(f))
            .filter(|f| f.is_file()),
    );
    for dir in runtime_dirs {
        let mut stack = vec![(root.join(dir), 0)];
        while let Some((d, depth)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() && depth == 0 {
                    stack.push((path, 1));
                } else if path
                    .extension()
                    .is_some_and(|e| ["yaml", "yml", "toml", "json"].iter().any(|x| e == *x))
                {
                    files.push(path);
                }
            }
        }
    }
    let mut out: Vec<(String, String)> = files
        .into_iter()
        .filter(|f| std::fs::metadata(f).is_ok_and(|m| m.is_file() && m.len() <= CONFIG_FILE_LIMIT))
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            Some((super::relative_to(root, &f), text))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The toolchain pinned by `rust-toolchain.toml` or `rust-toolchain`, if any.
pub(super) fn read_toolchain(root: &Path) -> Option<Toolchain> {
    ["rust-toolchain.toml", "rust-toolchain"]
        .into_iter()
        .find_map(|file| {
            let text = std::fs::read_to_string(root.join(file)).ok()?;
            Some(Toolchain {
                file: file.to_string(),
                ..parse_toolchain(&text)
            })
        })
}

/// Parses a toolchain file (TOML form or the legacy one-line form); `file` is left empty.
pub fn parse_toolchain(text: &str) -> Toolchain {
    if let Ok(doc) = text.parse::<toml_edit::DocumentMut>() {
        let table = doc.get("toolchain");
        let list = |key: &str| -> Vec<String> {
            table
                .and_then(|t| t.get(key))
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
                        .collect()
                })
                .unwrap_or_default()
        };
        return Toolchain {
            channel: table
                .and_then(|t| t.get("channel"))
                .and_then(|v| v.as_str())
                .map(|c| c.trim().to_string()),
            components: list("components"),
            targets: list("targets"),
            ..Toolchain::default()
        };
    }
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    Toolchain {
        channel: line
            .filter(|l| !l.contains('=') && !l.starts_with('['))
            .map(str::to_string),
        ..Toolchain::default()
    }
}

/// Cargo configuration files for a build at `root`: its own `.cargo/`, then each parent's
/// up to the repository's top (the folder holding `.git`), nearest first; outside a
/// repository, only its own.
pub(super) fn read_cargo_configs(root: &Path) -> Vec<CargoConfigFile> {
    let mut out = Vec::new();
    let mut dir = Some(root);
    let mut up = Vec::new();
    while let Some(d) = dir {
        for name in ["config.toml", "config"] {
            if let Ok(text) = std::fs::read_to_string(d.join(".cargo").join(name)) {
                let base = up.join("/");
                let path = if base.is_empty() {
                    format!(".cargo/{name}")
                } else {
                    format!("{base}/.cargo/{name}")
                };
                out.push(CargoConfigFile { path, base, text });
                // Cargo reads `config.toml` when both exist.
                break;
            }
        }
        if d.join(".git").exists() {
            return out;
        }
        dir = d.parent();
        up.push("..");
    }
    // No repository above: the parents are the user's own folders (their home's
    // `.cargo/config.toml` among them), which never belong in an image.
    out.retain(|f| f.base.is_empty());
    out
}

/// The build scripts of the members (`build.rs` or `package.build`).
pub(super) fn read_build_scripts(metadata: &Metadata, root: &Path) -> Vec<(String, String)> {
    metadata
        .workspace_packages()
        .iter()
        .flat_map(|p| &p.targets)
        .filter(|t| t.kind.contains(&TargetKind::CustomBuild))
        .filter_map(|t| {
            let path = t.src_path.as_std_path();
            let text = std::fs::read_to_string(path).ok()?;
            let rel = path.strip_prefix(root).unwrap_or(path);
            Some((rel.to_string_lossy().replace('\\', "/"), text))
        })
        .collect()
}

/// Folder names that usually hold files a server reads at run time.
pub const RUNTIME_DIR_NAMES: &[&str] = &[
    "configuration",
    "config",
    "static",
    "assets",
    "templates",
    "public",
    "migrations",
];

/// The [`RUNTIME_DIR_NAMES`] folders present at the root and at each member's root.
pub(super) fn find_runtime_dirs(dirs: &[PathBuf], root: &Path) -> Vec<String> {
    folders_named(dirs, RUNTIME_DIR_NAMES, root)
}

/// A string literal of the sources that reads as a path relative to the root, where the
/// binaries run: the part before any glob (`src/html` of `"./src/html/**/*"`).
pub(super) struct PathLiteral<'a> {
    /// `file:line`.
    at: String,
    /// The line's code before the literal.
    before: String,
    path: &'a str,
}

/// The path literals of the sources, except those the compiler reads (`include_str!`,
/// attributes) and those of test modules.
pub(super) fn path_literals(sources: &[(String, String)]) -> Vec<PathLiteral<'_>> {
    let mut out = Vec::new();
    for (file, text) in sources {
        // Test modules close a file by custom: what follows `#[cfg(test)]` is not run in
        // production.
        let lines = text.lines().take_while(|l| l.trim() != "#[cfg(test)]");
        for (n, line) in lines.enumerate() {
            let code = line.split("//").next().unwrap_or(line);
            let pieces: Vec<&str> = code.split('"').collect();
            // Odd pieces are inside quotes.
            for (i, literal) in pieces.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
                let before = pieces[..i].concat();
                if before.contains("include_") || before.trim_start().starts_with("#[") {
                    continue;
                }
                let path = literal.split(['*', '?', '{']).next().unwrap_or_default();
                let path = path.trim_start_matches("./").trim_end_matches('/');
                let plain = !path.is_empty()
                    && (path.bytes()).all(|b| b.is_ascii_alphanumeric() || b"_-./".contains(&b))
                    && !path.starts_with(['.', '/'])
                    && !path.split('/').any(|part| part == ".." || part.is_empty());
                if plain {
                    out.push(PathLiteral {
                        at: format!("{file}:{}", n + 1),
                        before,
                        path,
                    });
                }
            }
        }
    }
    out
}

/// Folders the sources name as a path (`Tera::new("src/html/**/*")`, `ServeDir::new("build")`)
/// that are folders of the workspace; folders of code (members, tests, or holding `.rs`
/// files) are left out.
pub(super) fn find_named_dirs(
    literals: &[PathLiteral],
    member_dirs: &[PathBuf],
    root: &Path,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &PathLiteral { path, .. } in literals {
        if out.iter().any(|d| d == path) {
            continue;
        }
        let dir = root.join(path);
        let code_folder = path == "src"
            || not_the_apps(path)
            || member_dirs.iter().any(|m| m.starts_with(&dir))
            || std::fs::read_dir(&dir).is_ok_and(|entries| {
                (entries.flatten()).any(|e| e.path().extension().is_some_and(|x| x == "rs"))
            });
        if dir.is_dir() && !code_folder {
            out.push(path.to_string());
        }
    }
    out.sort();
    out
}

/// Whether a path is under a folder a deployed binary never reads: tests, benches,
/// examples, build output.
fn not_the_apps(path: &str) -> bool {
    let top = path.split('/').next().unwrap_or(path);
    ["tests", "benches", "examples", "target"].contains(&top)
}

/// Extensions of configuration files.
const CONFIG_EXTENSIONS: &[&str] = &["toml", "yaml", "yml", "json", "ron", "ini"];

/// Configuration files of the workspace's tools, never the app's.
const TOOL_FILES: &[&str] = &[
    "Cargo.toml",
    "rust-toolchain.toml",
    "rustfmt.toml",
    "clippy.toml",
    "deny.toml",
    "Cross.toml",
    "package.json",
    "tsconfig.json",
];

/// Configuration files the sources name as a path relative to the root (`"config.toml"`),
/// or by the name a configuration crate completes (`File::with_name("config")` reading
/// `config.toml`); files of the build's own tools are left out.
pub(super) fn find_named_files(literals: &[PathLiteral], root: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &PathLiteral {
        ref before, path, ..
    } in literals
    {
        if not_the_apps(path) {
            continue;
        }
        let completed = ["with_name(", "File::new(", "::file("]
            .iter()
            .any(|c| before.trim_end().ends_with(c));
        let named = std::iter::once(path.to_string()).chain(
            (CONFIG_EXTENSIONS.iter())
                .filter(|_| completed)
                .map(|ext| format!("{path}.{ext}")),
        );
        for file in named {
            let name = file.rsplit('/').next().unwrap_or(&file);
            let config =
                (name.rsplit_once('.')).is_some_and(|(_, ext)| CONFIG_EXTENSIONS.contains(&ext));
            if config
                && !TOOL_FILES.contains(&name)
                && root.join(&file).is_file()
                && !out.contains(&file)
            {
                out.push(file);
            }
        }
    }
    out.sort();
    out
}

/// Calls that serve or load files from a path at run time.
const SERVING_CALLS: &[&str] = &[
    "ServeDir::new(",
    "ServeFile::new(",
    "FileServer::from(",
    "Files::new(",
    "NamedFile::open(",
    "fs::dir(",
    "fs::file(",
    "Tera::new(",
    "register_templates_directory(",
];

/// Paths that a serving call names and that are not in the workspace (built by another
/// tool, such as a front-end's `build/`): (path, `file:line`), each path once, a file under
/// a folder also named left out.
pub(super) fn find_missing_served(literals: &[PathLiteral], root: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for &PathLiteral {
        ref at,
        ref before,
        path,
    } in literals
    {
        let call = SERVING_CALLS.iter().any(|c| {
            before
                .rfind(c)
                .is_some_and(|i| !before[i + c.len()..].contains(')'))
        });
        if call && !root.join(path).exists() && !out.iter().any(|(p, _)| p == path) {
            out.push((path.to_string(), at.clone()));
        }
    }
    // A file under a missing folder is named by the folder.
    let folders: Vec<String> = out.iter().map(|(p, _)| format!("{p}/")).collect();
    out.retain(|(p, _)| !folders.iter().any(|f| p.starts_with(f.as_str())));
    out
}

/// The `.gitignore` at the root and in each of `dirs` (relative to the root), when present.
pub(super) fn read_gitignores(root: &Path, dirs: &[String]) -> Vec<(String, String)> {
    std::iter::once(String::new())
        .chain(dirs.iter().cloned())
        .filter_map(|dir| {
            let text = std::fs::read_to_string(root.join(&dir).join(".gitignore")).ok()?;
            Some((dir, text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    /// The folders, configuration files and missing served paths a source names.
    #[test]
    fn paths_named_in_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let tree = [
            "src/bin/html/index.html",
            "src/models/mod.rs",
            "build/app.js",
            "static/app.css",
            "crates/core/Cargo.toml",
            "sql/dev_initial/00.sql",
            "web/page.html",
            "tests/test_files/a.txt",
            "tests/fixture.toml",
            "config.toml",
            "settings/app.yaml",
            "notes.toml",
            "Cargo.toml",
        ];
        write(root, &tree.map(|path| (path, "")));
        let code = [
            "let tera = Tera::new(\"src/bin/html/**/*\").unwrap(); // \"web\"",
            "let app = Router::new().fallback_service(ServeDir::new(\"./build\"));",
            "let base = if c == \"crates\" { \"../..\" } else { \"sql/dev_initial\" };",
            "const PAGE: &str = include_str!(\"../web/page.html\"); mod models; // \"src/models\"",
            "#[template(path = \"web\")] struct Page; let x = \"src/models\"; let u = \"https://x/y\";",
            "let fixtures = \"tests/test_files\"; let t = \"tests/fixture.toml\"; let n = \"notes\";",
            "let c = Config::builder().add_source(config::File::with_name(\"config\")).build()?;",
            "let s = std::fs::read_to_string(\"settings/app.yaml\")?; let m = \"Cargo.toml\";",
            "let spa = ServeFile::new(\"dist/spa.html\");",
            "let files = ServeDir::new(\"dist\").fallback(spa); let s = ServeDir::new(\"static\");",
            "let v = Tera::new(\"views/**/*\"); let p = Path::new(\"data\"); f(ServeDir::new(y), \"x\");",
            "#[cfg(test)]",
            "mod tests { fn t() { read_dir(\"web\"); } }",
        ]
        .join("\n");
        let sources = vec![("src/main.rs".to_string(), code)];
        let literals = super::path_literals(&sources);
        let members = vec![root.to_path_buf(), root.join("crates/core")];
        assert_eq!(
            super::find_named_dirs(&literals, &members, root),
            ["build", "sql/dev_initial", "src/bin/html", "static"]
        );
        assert_eq!(
            super::find_named_files(&literals, root),
            ["config.toml", "settings/app.yaml"]
        );
        // A file under a missing folder is named by the folder.
        let missing = [("dist", "src/main.rs:10"), ("views", "src/main.rs:11")];
        assert_eq!(
            super::find_missing_served(&literals, root),
            missing.map(|(p, at)| (p.to_string(), at.to_string()))
        );
    }

    #[test]
    fn targets_outside_src_and_config_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (
                    "Cargo.toml",
                    "[package]\nname = \"tool\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"lib/core.rs\"\n\n[[bin]]\nname = \"tool\"\npath = \"bin/tool.rs\"\n",
                ),
                ("bin/tool.rs", "mod util;\nfn main() {}\n"),
                ("bin/util.rs", ""),
                ("bin/tests/fixture.rs", ""),
                ("lib/core.rs", "pub fn run() {}\n"),
                ("build.rs", "fn main() {}\n"),
                ("config/app.yaml", "port: 9000\n"),
                ("config/nested/prod.toml", "port = 9001\n"),
                ("config/notes.txt", "not config\n"),
                ("Rocket.toml", "[default]\nport = 8000\n"),
            ],
        );
        let ws = super::super::load(Some(&dir.path().join("Cargo.toml")), &|_| {}).unwrap();
        let sources: Vec<&str> = ws.sources.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(sources, ["bin/tool.rs", "bin/util.rs", "lib/core.rs"]);
        let configs: Vec<&str> = ws.config_files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            configs,
            ["Rocket.toml", "config/app.yaml", "config/nested/prod.toml"]
        );
        assert_eq!(ws.members[0].lib_src_path.as_deref(), Some("lib/core.rs"));
        assert_eq!(ws.members[0].lib_name.as_deref(), Some("tool"));
    }
}
