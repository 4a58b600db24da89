//! Folders a binary reads at run time (`config/`, `static/`, ...): copied into the production image.

use crate::workspace::Workspace;

/// The run-time folders found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuntimeFiles {
    /// Folders copied by default, relative to the root.
    pub dirs: Vec<String>,
    /// Folders found but left out, with why (compiled in, or only for migrations).
    pub left_out: Vec<(String, &'static str)>,
    /// Paths the code serves that are not in the workspace: (path, `file:line`).
    pub missing: Vec<(String, String)>,
}

/// Crates that compile templates in: their `templates/` is not read at run time.
const COMPILED_TEMPLATES: &[&str] = &["askama", "rinja", "sailfish", "maud"];
/// Crates that load templates at run time.
const RUNTIME_TEMPLATES: &[&str] = &["tera", "minijinja", "handlebars", "tinytemplate", "liquid"];

/// Keeps each candidate folder unless the sources compile it in.
pub fn detect(ws: &Workspace) -> RuntimeFiles {
    let has = |name: &str| ws.packages.iter().any(|p| p.name == name);
    let any_source = |needle: &str| ws.sources.iter().any(|(_, text)| text.contains(needle));
    let mut out = RuntimeFiles {
        missing: ws.missing_served.clone(),
        ..RuntimeFiles::default()
    };
    for dir in &ws.runtime_dir_candidates {
        let name = dir.rsplit('/').next().unwrap_or(dir);
        let reason = if any_source(&format!("folder = \"{name}"))
            || any_source(&format!("folder = \"./{name}"))
            || any_source(&format!("folder = \"$CARGO_MANIFEST_DIR/{name}"))
            || any_source(&format!("include_dir!(\"$CARGO_MANIFEST_DIR/{name}"))
        {
            Some("embedded in the binary")
        } else if name == "templates"
            && COMPILED_TEMPLATES.iter().any(|c| has(c))
            && !RUNTIME_TEMPLATES.iter().any(|c| has(c))
        {
            Some("compiled in by the template engine")
        } else if name == "migrations"
            && (any_source("migrate!(")
                || any_source("embed_migrations!(")
                || !any_source("\"migrations")
                    && !any_source("\"./migrations")
                    && !any_source("/migrations\""))
        {
            Some("applied by the migration tool, not read by the app")
        } else {
            None
        };
        match reason {
            Some(why) => out.left_out.push((dir.clone(), why)),
            None => out.dirs.push(dir.clone()),
        }
    }
    out
}

/// `.dockerignore` patterns for what git ignores inside `dirs` (local settings, secrets):
/// copied folders must not carry into an image what the repository never holds.
/// Patterns without a `/` match at any depth under the folder; negations are left out.
pub fn git_ignored_in(ws: &Workspace, dirs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |pattern: String| {
        if !out.contains(&pattern) {
            out.push(pattern);
        }
    };
    for (base, text) in &ws.gitignores {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                continue;
            }
            let anchored = line.trim_start_matches('/');
            let has_slash = anchored.trim_end_matches('/').contains('/') || line.starts_with('/');
            for dir in dirs {
                if base.is_empty() {
                    // The root's file: entries under the folder, or names matching anywhere.
                    if let Some(rest) = anchored.strip_prefix(&format!("{dir}/")) {
                        if !rest.is_empty() {
                            add(format!("{dir}/{rest}"));
                        }
                    } else if !has_slash {
                        add(format!("{dir}/**/{anchored}"));
                    }
                } else if base == dir {
                    add(if has_slash {
                        format!("{dir}/{anchored}")
                    } else {
                        format!("{dir}/**/{anchored}")
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    fn ws(deps: &[&str], dirs: &[&str], source: &str) -> Workspace {
        let mut ws = workspace_with(deps);
        ws.runtime_dir_candidates = dirs.iter().map(|d| d.to_string()).collect();
        ws.sources = vec![("src/main.rs".into(), source.into())];
        ws
    }

    #[test]
    fn folders_are_kept_unless_compiled_in() {
        let found = detect(&ws(
            &["askama", "rust-embed"],
            &["config", "static", "templates", "crates/api/public"],
            "#[derive(RustEmbed)]\n#[folder = \"static/\"]\nstruct Assets;",
        ));
        assert_eq!(found.dirs, ["config", "crates/api/public"]);
        assert_eq!(
            found.left_out,
            [
                ("static".to_string(), "embedded in the binary"),
                (
                    "templates".to_string(),
                    "compiled in by the template engine"
                ),
            ]
        );
    }

    #[test]
    fn git_ignored_files_of_the_copied_folders() {
        let mut ws = workspace_with(&[]);
        ws.gitignores = vec![
            (
                String::new(),
                "/target\n*.local.toml\nconfig/secrets.toml\n/static/build/\n!keep.toml\n# c\n"
                    .into(),
            ),
            ("config".into(), "dev/\n/override.toml\n".into()),
        ];
        let dirs = ["config".to_string()];
        assert_eq!(
            git_ignored_in(&ws, &dirs),
            [
                "config/**/*.local.toml",
                "config/secrets.toml",
                "config/**/dev/",
                "config/override.toml",
            ]
        );
    }

    #[test]
    fn migrations_only_when_read_at_run_time() {
        let embedded = detect(&ws(&[], &["migrations"], "sqlx::migrate!().run(&pool)"));
        assert!(embedded.dirs.is_empty());
        let read = detect(&ws(
            &[],
            &["migrations"],
            "Migrator::new(Path::new(\"./migrations\"))",
        ));
        assert_eq!(read.dirs, ["migrations"]);
        let tera = detect(&ws(&["tera"], &["templates"], ""));
        assert_eq!(tera.dirs, ["templates"]);
    }
}
