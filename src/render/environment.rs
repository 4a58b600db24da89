//! One minijinja environment holding every template of every shipped set, named `<set>/<path>`.

use std::borrow::Cow;
use std::sync::LazyLock;

use minijinja::{Environment, Template, UndefinedBehavior, syntax::SyntaxConfig};

use super::overlay::{Overlay, PREFIX};
use super::sets::{self, SUFFIX};
use crate::error::{Error, Result};
use crate::escape;

/// Every shipped set, compiled once.
static SHIPPED: LazyLock<Templates> =
    LazyLock::new(|| Templates::shipped().expect("the shipped templates compile"));

/// The templates of every shipped set in one environment. A template of set `3` is
/// `3/Dockerfile.j2`; inside it, `include`, `import` and `extends` name templates of the
/// same set (`_macros/apt.j2` is `3/_macros/apt.j2`), or of any set with its prefix.
#[derive(Clone)]
pub struct Templates {
    env: Environment<'static>,
}

/// The name of a template of a set in the environment: `<set>/<path>.j2`.
pub fn name(version: &str, path: &str) -> String {
    format!("{version}/{path}{SUFFIX}")
}

impl Templates {
    /// The shipped sets, compiled once per process.
    pub fn get() -> &'static Templates {
        &SHIPPED
    }

    /// Loads every file (partials included) of every shipped set.
    fn shipped() -> Result<Templates> {
        let versions = sets::shipped_versions();
        let mut templates = Templates {
            env: environment(versions.clone()),
        };
        for version in &versions {
            for (path, source) in sets::all_files_of(version)? {
                templates.add(format!("{version}/{path}"), source)?;
            }
        }
        Ok(templates)
    }

    /// Adds a template; one named `*.yaml.j2` or `*.yml.j2` uses the YAML delimiters.
    pub fn add(&mut self, name: String, source: impl Into<Cow<'static, str>>) -> Result<()> {
        let yaml = is_yaml(name.strip_suffix(SUFFIX).unwrap_or(&name));
        self.env.set_syntax(syntax(yaml));
        self.env
            .add_template_owned(name.clone(), source)
            .map_err(|e| template_error(&name, &e))
    }

    /// A template by its environment name.
    pub fn template(&self, name: &str) -> Result<Template<'_, '_>> {
        self.env
            .get_template(name)
            .map_err(|e| template_error(name, &e))
    }

    /// Adds an overlay's templates under `preset/`: inside them, a name without a set is the
    /// overlay's own file of that path (the template's own path aside), else set `version`'s,
    /// so `{% extends "Dockerfile.j2" %}` extends the shipped Dockerfile of the set rendered.
    pub fn add_overlay(&mut self, version: &str, overlay: &Overlay) -> Result<()> {
        for (path, source) in &overlay.files {
            if path.ends_with(SUFFIX) {
                let name = format!("{PREFIX}{path}");
                let yaml = is_yaml(path.strip_suffix(SUFFIX).unwrap_or(path));
                self.env.set_syntax(syntax(yaml));
                (self.env.add_template_owned(name.clone(), source.clone()))
                    .map_err(|e| overlay.error(&name, &e))?;
            }
        }
        let versions = sets::shipped_versions();
        let own: Vec<String> = overlay.files.keys().cloned().collect();
        let version = version.to_string();
        self.env.set_path_join_callback(move |name, parent| {
            if parent.starts_with(PREFIX) && !names_a_set(name, &versions) {
                let mine = own.iter().any(|p| p == name) && parent != format!("{PREFIX}{name}");
                return if mine {
                    format!("{PREFIX}{name}").into()
                } else {
                    format!("{version}/{name}").into()
                };
            }
            join(name, parent, &versions).into()
        });
        Ok(())
    }

    /// Whether the environment holds a template of this name with this source.
    pub fn holds(&self, name: &str, source: &str) -> bool {
        (self.env.get_template(name)).is_ok_and(|t| t.source() == source)
    }
}

/// A template error: a bug in the templates, reported with the template's name.
pub fn template_error(name: &str, e: &minijinja::Error) -> Error {
    Error::Template {
        name: name.to_string(),
        message: format!("{e:#}"),
    }
}

/// YAML files use `[[ ]]`/`[% %]` so GitHub's `${{ }}` and Compose's `${ }` stay literal.
pub fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

/// The delimiters and whitespace rules of a template; YAML ones get the bracket delimiters.
pub fn syntax(yaml: bool) -> SyntaxConfig {
    let mut syntax = SyntaxConfig::builder();
    if yaml {
        syntax
            .block_delimiters("[%", "%]")
            .variable_delimiters("[[", "]]")
            .comment_delimiters("[#", "#]");
    }
    syntax
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .expect("valid delimiters")
}

/// A name in `include`, `import` or `extends`, resolved against the template naming it:
/// one starting with a set (`2/...`) as is, any other in the naming template's set.
fn join(name: &str, parent: &str, versions: &[String]) -> String {
    let set_of = |path: &str| {
        let first = path.split('/').next().unwrap_or_default();
        versions.iter().any(|v| v == first).then_some(first.len())
    };
    match (set_of(name), set_of(parent)) {
        (None, Some(len)) => format!("{}/{name}", &parent[..len]),
        _ => name.to_string(),
    }
}

/// Whether `name` starts with a set (`3/Dockerfile.j2`).
fn names_a_set(name: &str, versions: &[String]) -> bool {
    let first = name.split('/').next().unwrap_or_default();
    versions.iter().any(|v| v == first)
}

/// The environment's filters, tests, undefined behaviour and set-relative lookup.
pub fn environment(versions: Vec<String>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_path_join_callback(move |name, parent| join(name, parent, &versions).into());
    // JSON, which YAML reads too: a double-quoted string `"a \"b\""`, or a list of them.
    // Settings that are secrets: they come from the prod profile, never from a committed file.
    env.add_test("secret", |key: &str| {
        ["PASSWORD", "PASS", "SECRET"]
            .iter()
            .any(|w| key.contains(w))
    });
    env.add_filter("quote", |v: minijinja::Value| {
        escape::yaml_quote(&v).map_err(|e| {
            minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
        })
    });
    // Values from the manifest, the code or the answers, escaped for the file they land in.
    env.add_filter("yaml_str", |v: &str| escape::yaml_str(v));
    env.add_filter("dockerfile_str", |v: &str| escape::dockerfile_str(v));
    env.add_filter("sh_str", |v: &str| escape::sh_str(v));
    env.add_filter("make_str", |v: &str| escape::make_str(v));
    // Profile values are validated in config; one outside the subset here is a bug.
    env.add_filter("env_value", |v: &str| match escape::env_value_problem(v) {
        None => Ok(v.to_string()),
        Some(problem) => Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("profile value {v:?} has {problem}"),
        )),
    });
    env.set_syntax(syntax(false));
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions() -> Vec<String> {
        vec!["2".into(), "3".into()]
    }

    #[test]
    fn names_resolve_in_the_naming_templates_set() {
        let v = versions();
        // (name, the naming template, what it resolves to)
        for (name, parent, resolved) in [
            ("_macros/apt.j2", "3/Dockerfile.j2", "3/_macros/apt.j2"),
            ("_macros/apt.j2", "2/Dockerfile.j2", "2/_macros/apt.j2"),
            ("2/Dockerfile.j2", "3/Dockerfile.j2", "2/Dockerfile.j2"),
            ("3/Dockerfile.j2", "team/Dockerfile.j2", "3/Dockerfile.j2"),
            ("x.j2", "team/Dockerfile.j2", "x.j2"),
        ] {
            assert_eq!(join(name, parent, &v), resolved, "{name} from {parent}");
        }
    }

    #[test]
    fn every_shipped_file_is_in_the_environment_under_its_set() {
        let templates = Templates::get();
        for version in sets::shipped_versions() {
            for (path, source) in sets::all_files_of(&version).unwrap() {
                let name = format!("{version}/{path}");
                assert!(templates.holds(&name, source), "{name}");
            }
        }
    }

    #[test]
    fn an_include_finds_the_piece_of_its_own_set() {
        let mut templates = Templates::get().clone();
        templates.add("2/_t/piece.j2".into(), "two\n").unwrap();
        templates.add("3/_t/piece.j2".into(), "three\n").unwrap();
        templates
            .add("2/t.j2".into(), "{% include \"_t/piece.j2\" %}")
            .unwrap();
        templates
            .add("3/t.yaml.j2".into(), "[% include \"_t/piece.j2\" %]")
            .unwrap();
        let render = |name: &str| {
            let t = templates.template(name).unwrap();
            t.render(minijinja::context! {}).unwrap()
        };
        assert_eq!(render("2/t.j2"), "two\n");
        assert_eq!(render("3/t.yaml.j2"), "three\n");
    }

    #[test]
    fn strict_undefined_is_an_error() {
        let env = environment(versions());
        let t = env.template_from_str("{{ nope }}").unwrap();
        assert!(t.render(minijinja::context! {}).is_err());
    }

    #[test]
    fn a_profile_value_outside_the_subset_is_a_render_error() {
        let env = environment(versions());
        let t = env.template_from_str("K={{ v | env_value }}").unwrap();
        assert_eq!(
            t.render(minijinja::context! { v => "a:b" }).unwrap(),
            "K=a:b"
        );
        assert!(t.render(minijinja::context! { v => "a $b" }).is_err());
    }

    #[test]
    fn yaml_leaves_github_expressions_alone() {
        let mut templates = Templates::get().clone();
        templates
            .add("t/x.yml.j2".into(), "a: ${{ github.sha }} [[ x ]]")
            .unwrap();
        let t = templates.template("t/x.yml.j2").unwrap();
        assert_eq!(
            t.render(minijinja::context! { x => 1 }).unwrap(),
            "a: ${{ github.sha }} 1"
        );
    }
}
