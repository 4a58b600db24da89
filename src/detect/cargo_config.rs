//! What `.cargo/config.toml` asks of the builder: linker tools, a build target, vendored sources, registries.

use std::collections::BTreeSet;
use std::str::FromStr;

use cargo_platform::{Cfg, Ident, Platform};

use toml_edit::{DocumentMut, Item};

use crate::workspace::{CargoConfigFile, Workspace};

/// The cargo configuration's needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CargoConfig {
    /// Config files inside the root (copied into the image before `cargo chef cook`).
    pub files: Vec<String>,
    /// Config files above the root: outside the build context.
    pub outside: Vec<String>,
    /// Those files merged as cargo merges them (nearer wins, arrays joined), for a copy the
    /// image reads as `$CARGO_HOME/config.toml`.
    pub outside_merged: Option<String>,
    /// Vendored folders named by those files: outside the build context, not copied.
    pub outside_vendor_dirs: Vec<String>,
    /// Credential settings left out of that copy (`registry.token`, ...).
    pub outside_credentials: Vec<String>,
    /// Debian packages of the linker settings (clang, lld, mold).
    pub linker_packages: BTreeSet<String>,
    /// What the linker settings use, for the summary (`clang`, `lld`).
    pub linkers: Vec<String>,
    /// Linkers named by an absolute path outside /usr/bin, where Debian's packages do not
    /// put them.
    pub linker_paths: Vec<String>,
    /// `build.target`: binaries land in `target/<triple>/release`.
    pub build_target: Option<String>,
    /// Source replacement directories (`cargo vendor`), relative to the root.
    pub vendor_dirs: Vec<String>,
    /// Alternative registries by name (`[registries.NAME]`), which may need a token.
    pub registries: Vec<String>,
}

/// A linker name, or a `-fuse-ld=` / `--ld-path=` value, and the package providing it.
const LINKERS: &[(&str, &str)] = &[
    ("clang", "clang"),
    ("lld", "lld"),
    ("ld.lld", "lld"),
    ("mold", "mold"),
    ("ld.mold", "mold"),
];

/// Reads every config file, nearest first: the nearest wins where several set something.
/// Settings under `[target.<triple>]` or `[target.'cfg(..)']` count only for the triple the
/// image builds for: `build.target` when the config sets one, else the container's.
pub fn detect(ws: &Workspace) -> CargoConfig {
    let mut out = CargoConfig::default();
    let mut merged: Option<DocumentMut> = None;
    let docs: Vec<(&CargoConfigFile, DocumentMut)> = ws
        .cargo_configs
        .iter()
        .filter_map(|file| Some((file, file.text.parse::<DocumentMut>().ok()?)))
        .collect();
    out.build_target = docs.iter().find_map(|(_, doc)| {
        doc.get("build")
            .and_then(|b| b.get("target"))
            .and_then(|t| t.as_str())
            .map(str::to_string)
    });
    let triple = out
        .build_target
        .clone()
        .unwrap_or_else(crate::workspace::container_triple);
    // Cargo uses `build.rustflags` only when no target table for the triple sets rustflags.
    let target_rustflags = docs
        .iter()
        .any(|(_, doc)| target_tables(doc, &triple).any(|table| table.get("rustflags").is_some()));
    for (file, doc) in docs {
        if file.base.is_empty() {
            out.files.push(file.path.clone());
        } else {
            out.outside.push(file.path.clone());
            // Farther files go under what is merged so far (nearer ones).
            let mut farther = doc.clone();
            if let Some(nearer) = &merged {
                merge(farther.as_table_mut(), nearer.as_table());
            }
            merged = Some(farther);
        }
        read_linkers(&doc, &triple, !target_rustflags, &mut out);
        if file.base.is_empty() {
            read_sources(&doc, file, &mut out.vendor_dirs);
        } else {
            read_sources(&doc, file, &mut out.outside_vendor_dirs);
        }
        if let Some(registries) = doc.get("registries").and_then(Item::as_table_like) {
            for (name, _) in registries.iter() {
                // `[registries.crates-io]` only tunes crates.io (e.g. its protocol).
                if name != "crates-io" && !out.registries.iter().any(|r| r == name) {
                    out.registries.push(name.to_string());
                }
            }
        }
    }
    out.outside_merged = merged.map(|mut doc| {
        // Vendored folders above the root cannot be copied in; without them, a source
        // replacement would point at nothing, so the copy fetches from the registries.
        if !out.outside_vendor_dirs.is_empty() {
            doc.remove("source");
        }
        out.outside_credentials = strip_credentials(&mut doc);
        doc.to_string().trim().to_string()
    });
    out
}

/// Settings that hold or fetch credentials: never copied into an image.
const CREDENTIAL_KEYS: &[&str] = &[
    "token",
    "credential-provider",
    "global-credential-providers",
];

/// Removes credential settings (of `[registry]`, each `[registries.NAME]`, and `http.proxy`,
/// which may carry a password) and names what was removed.
fn strip_credentials(doc: &mut DocumentMut) -> Vec<String> {
    let mut removed = Vec::new();
    let mut strip = |table: &mut dyn toml_edit::TableLike, prefix: &str| {
        for key in CREDENTIAL_KEYS {
            if table.remove(key).is_some() {
                removed.push(format!("{prefix}.{key}"));
            }
        }
    };
    if let Some(registry) = doc.get_mut("registry").and_then(Item::as_table_like_mut) {
        strip(registry, "registry");
    }
    if let Some(registries) = doc.get_mut("registries").and_then(Item::as_table_like_mut) {
        for (name, table) in registries.iter_mut() {
            if let Some(table) = table.as_table_like_mut() {
                strip(table, &format!("registries.{name}"));
            }
        }
    }
    if let Some(http) = doc.get_mut("http").and_then(Item::as_table_like_mut)
        && http.remove("proxy").is_some()
    {
        removed.push("http.proxy".into());
    }
    removed
}

/// Lays `nearer` over `farther` as cargo does: tables merge, arrays are joined (the nearer
/// items last), other values are replaced.
fn merge(farther: &mut toml_edit::Table, nearer: &toml_edit::Table) {
    for (key, item) in nearer.iter() {
        match (farther.get_mut(key), item) {
            (Some(Item::Table(f)), Item::Table(n)) => merge(f, n),
            (
                Some(Item::Value(toml_edit::Value::Array(f))),
                Item::Value(toml_edit::Value::Array(n)),
            ) => {
                for v in n.iter() {
                    f.push_formatted(v.clone());
                }
            }
            _ => {
                farther.insert(key, item.clone());
            }
        }
    }
}

/// The `[target.KEY]` tables of a config that apply to a build for `triple`.
fn target_tables<'a>(doc: &'a DocumentMut, triple: &'a str) -> impl Iterator<Item = &'a Item> {
    doc.get("target")
        .and_then(Item::as_table_like)
        .into_iter()
        .flat_map(|targets| targets.iter())
        .filter(move |(key, _)| target_applies(key, triple))
        .map(|(_, table)| table)
}

/// `target.<t>.linker`, `target.<t>.rustflags` (for the tables applying to `triple`) and
/// `build.rustflags` (when `build_rustflags`, i.e. no such table sets rustflags).
fn read_linkers(doc: &DocumentMut, triple: &str, build_rustflags: bool, out: &mut CargoConfig) {
    let flags = |item: Option<&Item>| -> Vec<String> {
        match item {
            Some(item) if item.is_str() => item
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            Some(item) => item
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        }
    };
    let mut values = if build_rustflags {
        flags(doc.get("build").and_then(|b| b.get("rustflags")))
    } else {
        Vec::new()
    };
    for table in target_tables(doc, triple) {
        if let Some(linker) = table.get("linker").and_then(|l| l.as_str()) {
            values.push(format!("linker={linker}"));
        }
        values.extend(flags(table.get("rustflags")));
    }
    for value in values {
        let tool = ["linker=", "-fuse-ld=", "--ld-path="]
            .iter()
            .find_map(|prefix| value.split_once(prefix).map(|(_, v)| v));
        let Some(tool) = tool else { continue };
        if tool.starts_with('/')
            && !tool.starts_with("/usr/bin/")
            && !out.linker_paths.iter().any(|p| p == tool)
        {
            out.linker_paths.push(tool.to_string());
        }
        let base = tool.rsplit('/').next().unwrap_or(tool);
        // `clang-19` is Debian's clang 19: the `clang` package is the default version.
        let name = base.split('-').next().unwrap_or(base);
        if let Some((linker, package)) = LINKERS.iter().find(|(l, _)| *l == name) {
            out.linker_packages.insert(package.to_string());
            if !out.linkers.iter().any(|l| l == linker) {
                out.linkers.push(linker.to_string());
            }
        }
    }
}

/// Whether a `[target.KEY]` table applies to a build for `triple`: KEY is that triple, or a
/// `cfg(..)` expression true for it.
fn target_applies(key: &str, triple: &str) -> bool {
    match Platform::from_str(key) {
        Ok(Platform::Name(name)) => name == triple,
        Ok(Platform::Cfg(expr)) => expr.matches(&target_cfg(triple)),
        Err(_) => false,
    }
}

/// The `cfg` values rustc sets for a target triple (`arch-vendor-os[-env]`), as far as a
/// config's `[target.'cfg(..)']` tables use them.
fn target_cfg(triple: &str) -> Vec<Cfg> {
    let parts: Vec<&str> = triple.split('-').collect();
    let machine = parts.first().copied().unwrap_or_default();
    let (vendor, os, env) = match parts.as_slice() {
        [_, vendor, os, env, ..] => (*vendor, *os, *env),
        [_, vendor @ ("unknown" | "pc" | "apple"), os] => (*vendor, *os, ""),
        [_, os, env] => ("unknown", *os, *env),
        _ => ("unknown", "", ""),
    };
    let os = match os {
        "darwin" => "macos",
        other => other,
    };
    let arch = match machine {
        "i386" | "i586" | "i686" => "x86",
        m if m.starts_with("armv") || m.starts_with("thumbv") || m == "arm" => "arm",
        "riscv64gc" | "riscv64imac" => "riscv64",
        "powerpc64le" => "powerpc64",
        m => m,
    };
    let width = match arch {
        "x86_64" | "aarch64" | "riscv64" | "powerpc64" | "s390x" | "loongarch64" | "mips64"
        | "sparc64" => "64",
        _ => "32",
    };
    let endian = match machine {
        "s390x" | "powerpc64" | "powerpc" | "sparc64" | "mips" | "mips64" => "big",
        _ => "little",
    };
    let (env, abi) = ["gnu", "musl", "msvc", "uclibc", "sgx"]
        .iter()
        .find_map(|e| env.strip_prefix(e).map(|abi| (*e, abi)))
        .unwrap_or(("", env));
    let family = match os {
        "windows" => Some("windows"),
        "linux" | "macos" | "ios" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly"
        | "illumos" | "solaris" => Some("unix"),
        _ if arch.starts_with("wasm") => Some("wasm"),
        _ => None,
    };
    let ident = |name: &str| Ident {
        name: name.to_string(),
        raw: false,
    };
    let pair = |key: &str, value: &str| Cfg::KeyPair(ident(key), value.to_string());
    let mut cfg = vec![
        pair("target_arch", arch),
        pair("target_vendor", vendor),
        pair("target_os", os),
        pair("target_env", env),
        pair("target_abi", abi),
        pair("target_pointer_width", width),
        pair("target_endian", endian),
    ];
    if let Some(family) = family {
        cfg.push(pair("target_family", family));
        cfg.push(Cfg::Name(ident(family)));
    }
    cfg
}

/// `[source.NAME] directory = "vendor"`: the folder must be in the image before cook.
fn read_sources(doc: &DocumentMut, file: &CargoConfigFile, out: &mut Vec<String>) {
    let Some(sources) = doc.get("source").and_then(Item::as_table_like) else {
        return;
    };
    for (_, source) in sources.iter() {
        let Some(dir) = source.get("directory").and_then(|d| d.as_str()) else {
            continue;
        };
        let dir = dir.trim_end_matches('/').trim_start_matches("./");
        let rel = if file.base.is_empty() {
            dir.to_string()
        } else {
            format!("{}/{dir}", file.base)
        };
        if !dir.starts_with('/') && !out.contains(&rel) {
            out.push(rel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(files: &[(&str, &str, &str)]) -> CargoConfig {
        let ws = Workspace {
            cargo_configs: files
                .iter()
                .map(|(path, base, text)| CargoConfigFile {
                    path: path.to_string(),
                    base: base.to_string(),
                    text: text.to_string(),
                })
                .collect(),
            ..Workspace::default()
        };
        detect(&ws)
    }

    /// A config file at the root.
    fn root_config(text: &str) -> CargoConfig {
        config(&[(".cargo/config.toml", "", text)])
    }

    /// A config file at the root and one in the folder above it.
    fn root_and_parent(root: &str, parent: &str) -> CargoConfig {
        config(&[
            (".cargo/config.toml", "", root),
            ("../.cargo/config.toml", "..", parent),
        ])
    }

    #[test]
    fn clang_with_lld() {
        let c = root_config(&format!(
            "[target.{}]\nlinker = \"clang\"\nrustflags = [\"-C\", \"link-arg=-fuse-ld=lld\"]\n",
            crate::workspace::container_triple()
        ));
        assert_eq!(
            c.linker_packages.iter().collect::<Vec<_>>(),
            ["clang", "lld"]
        );
        assert_eq!(c.linkers, ["clang", "lld"]);
        assert_eq!(c.files, [".cargo/config.toml"]);
    }

    #[test]
    fn mold_through_build_rustflags_and_a_path() {
        let c = root_config(
            "[build]\nrustflags = \"-C linker=/usr/bin/clang-19 -C link-arg=--ld-path=/usr/bin/mold\"\n",
        );
        assert_eq!(
            c.linker_packages.iter().collect::<Vec<_>>(),
            ["clang", "mold"]
        );
        assert!(c.linker_paths.is_empty());
        let local = root_config(
            "[build]\nrustflags = [\"-C\", \"link-arg=-fuse-ld=/usr/local/bin/mold\"]\n",
        );
        assert_eq!(local.linker_paths, ["/usr/local/bin/mold"]);
    }

    #[test]
    fn target_vendor_and_registries() {
        let c = root_config(
            "[build]\ntarget = \"x86_64-unknown-linux-musl\"\n\
             [source.crates-io]\nreplace-with = \"vendored\"\n\
             [source.vendored]\ndirectory = \"vendor\"\n\
             [registries.acme]\nindex = \"sparse+https://crates.acme.dev/index/\"\n",
        );
        assert_eq!(c.build_target.as_deref(), Some("x86_64-unknown-linux-musl"));
        assert_eq!(c.vendor_dirs, ["vendor"]);
        assert_eq!(c.registries, ["acme"]);
        assert!(c.linker_packages.is_empty());
    }

    #[test]
    fn parent_configs_are_merged_for_a_copy() {
        let c = config(&[
            (".cargo/config.toml", "", "[env]\nA = \"1\"\n"),
            (
                "../.cargo/config.toml",
                "..",
                "[target.'cfg(unix)']\nlinker = \"clang\"\n\n[build]\nrustflags = [\"-Cforce-frame-pointers=yes\"]\n",
            ),
            (
                "../../.cargo/config.toml",
                "../..",
                "[build]\nrustflags = [\"-Ctarget-cpu=x86-64-v2\"]\njobs = 2\n\n[source.vendored]\ndirectory = \"vendor\"\n",
            ),
        ]);
        assert_eq!(
            c.outside,
            ["../.cargo/config.toml", "../../.cargo/config.toml"]
        );
        assert_eq!(c.files, [".cargo/config.toml"]);
        assert!(c.linker_packages.contains("clang"));
        assert_eq!(c.outside_vendor_dirs, ["../../vendor"]);
        assert!(c.vendor_dirs.is_empty());
        let merged: DocumentMut = c.outside_merged.unwrap().parse().unwrap();
        let flags: Vec<&str> = merged["build"]["rustflags"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(
            flags,
            ["-Ctarget-cpu=x86-64-v2", "-Cforce-frame-pointers=yes"]
        );
        assert_eq!(merged["build"]["jobs"].as_integer(), Some(2));
        assert!(
            merged.get("source").is_none(),
            "vendored folders cannot be copied"
        );
        assert_eq!(
            merged["target"]["cfg(unix)"]["linker"].as_str(),
            Some("clang")
        );
    }

    #[test]
    fn credentials_never_reach_the_copy_and_crates_io_is_no_private_registry() {
        let c = config(&[(
            "../.cargo/config.toml",
            "..",
            "[registry]\ntoken = \"cio_secret\"\n\n[registries.acme]\nindex = \"sparse+https://a.example/\"\ntoken = \"acme_secret\"\n\n[registries.crates-io]\nprotocol = \"sparse\"\n\n[http]\nproxy = \"http://u:p@proxy:3128\"\n",
        )]);
        let copy = c.outside_merged.unwrap();
        assert!(!copy.contains("secret") && !copy.contains("u:p@"), "{copy}");
        assert_eq!(
            c.outside_credentials,
            ["registry.token", "registries.acme.token", "http.proxy"]
        );
        assert_eq!(c.registries, ["acme"]);
    }

    #[test]
    fn a_linker_for_another_platform_is_ignored() {
        let c = root_config(
            "[target.aarch64-apple-darwin]\nlinker = \"/opt/homebrew/bin/ld64.lld\"\nrustflags = [\"-C\", \"link-arg=-fuse-ld=mold\"]\n\
             [target.x86_64-pc-windows-msvc]\nlinker = \"lld\"\n\
             [target.'cfg(target_os = \"macos\")']\nlinker = \"clang\"\n\
             [target.'cfg(windows)']\nrustflags = [\"-C\", \"link-arg=-fuse-ld=lld\"]\n",
        );
        assert!(c.linker_packages.is_empty(), "{:?}", c.linker_packages);
        assert!(c.linkers.is_empty());
        assert!(c.linker_paths.is_empty(), "nothing to warn about");
    }

    #[test]
    fn a_linker_for_the_container_triple_counts() {
        let triple = crate::workspace::container_triple();
        let c = root_config(&format!(
            "[target.{triple}]\nlinker = \"/opt/llvm/bin/clang\"\n"
        ));
        assert_eq!(c.linkers, ["clang"]);
        assert_eq!(c.linker_paths, ["/opt/llvm/bin/clang"]);
    }

    #[test]
    fn a_linux_cfg_table_counts() {
        let c = root_config(
            "[target.'cfg(target_os = \"linux\")']\nrustflags = [\"-C\", \"link-arg=-fuse-ld=mold\"]\n",
        );
        assert_eq!(c.linkers, ["mold"]);
    }

    #[test]
    fn cfg_expressions_are_evaluated_for_the_triple() {
        let gnu = "x86_64-unknown-linux-gnu";
        for key in [
            "cfg(unix)",
            "cfg(target_family = \"unix\")",
            "cfg(target_arch = \"x86_64\")",
            "cfg(target_env = \"gnu\")",
            "cfg(target_vendor = \"unknown\")",
            "cfg(target_pointer_width = \"64\")",
            "cfg(all(target_os = \"linux\", not(target_env = \"musl\")))",
            "cfg(any(windows, target_os = \"linux\"))",
            "cfg(not(target_os = \"macos\"))",
            gnu,
        ] {
            assert!(target_applies(key, gnu), "{key}");
        }
        for key in [
            "cfg(windows)",
            "cfg(target_os = \"macos\")",
            "cfg(target_arch = \"aarch64\")",
            "cfg(target_env = \"musl\")",
            "cfg(all(unix, target_vendor = \"apple\"))",
            "cfg(not(unix))",
            "cfg(this is not an expression",
            "aarch64-unknown-linux-gnu",
            "x86_64-unknown-linux-musl",
        ] {
            assert!(!target_applies(key, gnu), "{key}");
        }
        let musl = "aarch64-unknown-linux-musl";
        assert!(target_applies("cfg(target_env = \"musl\")", musl));
        assert!(target_applies("cfg(target_arch = \"aarch64\")", musl));
        assert!(target_applies(
            "cfg(target_arch = \"arm\")",
            "armv7-unknown-linux-gnueabihf"
        ));
        assert!(target_applies(
            "cfg(target_pointer_width = \"32\")",
            "i686-unknown-linux-gnu"
        ));
        assert!(target_applies(
            "cfg(target_os = \"macos\")",
            "aarch64-apple-darwin"
        ));
    }

    #[test]
    fn build_target_chooses_the_tables() {
        let c = root_config(
            "[build]\ntarget = \"aarch64-unknown-linux-musl\"\n\
             [target.aarch64-unknown-linux-musl]\nlinker = \"clang\"\n\
             [target.'cfg(target_env = \"gnu\")']\nrustflags = [\"-C\", \"link-arg=-fuse-ld=mold\"]\n",
        );
        assert_eq!(
            c.build_target.as_deref(),
            Some("aarch64-unknown-linux-musl")
        );
        assert_eq!(c.linkers, ["clang"]);
    }

    #[test]
    fn a_nearer_build_target_wins_over_a_farther_one() {
        let c = root_and_parent(
            "[build]\ntarget = \"x86_64-unknown-linux-musl\"\n",
            "[build]\ntarget = \"aarch64-apple-darwin\"\n[target.aarch64-apple-darwin]\nlinker = \"clang\"\n[target.x86_64-unknown-linux-musl]\nlinker = \"lld\"\n",
        );
        assert_eq!(c.build_target.as_deref(), Some("x86_64-unknown-linux-musl"));
        assert_eq!(c.linkers, ["lld"]);
    }

    #[test]
    fn target_rustflags_for_the_triple_replace_build_rustflags() {
        let c = root_and_parent(
            "[target.'cfg(unix)']\nrustflags = [\"-C\", \"link-arg=-fuse-ld=lld\"]\n",
            "[build]\nrustflags = [\"-C\", \"link-arg=-fuse-ld=mold\"]\n",
        );
        assert_eq!(c.linkers, ["lld"]);
        let other = root_config(
            "[build]\nrustflags = [\"-C\", \"link-arg=-fuse-ld=mold\"]\n\
             [target.'cfg(windows)']\nrustflags = [\"-C\", \"link-arg=-fuse-ld=lld\"]\n",
        );
        assert_eq!(
            other.linkers,
            ["mold"],
            "another platform's flags change nothing"
        );
    }
}
