//! The values no escaping can carry into the generated files, refused with what to do.
//!
//! Free text (description, license, repository URL) is escaped where it lands; names and
//! paths written unquoted into a `COPY`, a `RUN` line, a Makefile recipe or an env profile
//! must keep to characters that read the same there, or the files would be broken.

use super::Config;
use crate::error::{Error, Result};
use crate::escape::{env_value_problem, is_env_key, path_problem, yaml_printable};

/// `config` when every value that lands unquoted in a generated file can stand there.
pub(super) fn checked(config: Config) -> Result<Config> {
    validate(&config)?;
    Ok(config)
}

/// Checks every value of `config` that lands unquoted in a generated file.
fn validate(config: &Config) -> Result<()> {
    for bin in &config.bins {
        name("binary name", &bin.name)?;
        name("package name", &bin.package)?;
    }
    for feature in &config.build.features {
        check("feature", feature, feature_problem(feature), || {
            "cargo feature names hold letters, digits and `_-+.` (`package/feature` for another package's); fix the `features` answer".into()
        })?;
    }
    let answer = |key: &str| {
        format!(
            "rename the folder, or leave it out with `{key} = [...]` in the dockerize answers of Cargo.toml"
        )
    };
    for dir in &config.images.runtime_files {
        check("run-time folder", dir, path_problem(dir), || {
            answer("runtime-files")
        })?;
    }
    let rename = || "rename it to letters, digits and `._-/`".to_string();
    for path in config
        .build
        .vendor_dirs
        .iter()
        .chain(&config.build.cargo_config_files)
    {
        check(
            "path copied into the build",
            path,
            path_problem(path),
            rename,
        )?;
    }
    if let Some(migrations) = &config.delivery.migrations {
        check(
            "migrations folder",
            &migrations.dir,
            path_problem(&migrations.dir),
            rename,
        )?;
    }
    check(
        "workspace folder in the git repository",
        &config.delivery.repo_dir,
        repo_dir_problem(&config.delivery.repo_dir),
        || {
            "move the workspace to a folder whose path has no quote, backslash, `$` or control character".into()
        },
    )?;
    for registry in &config.build.registry_secrets {
        check(
            "cargo registry name",
            &registry.name,
            name_problem(&registry.name),
            || {
                "cargo registry names hold letters, digits, `-` and `_`: rename it in .cargo/config.toml".into()
            },
        )?;
    }
    let words = config.build.toolchain.iter().flat_map(|t| {
        std::iter::once(&t.channel)
            .chain(&t.components)
            .chain(&t.targets)
    });
    for word in words.chain(&config.build.build_target) {
        check("toolchain or target name", word, word_problem(word), || {
            "toolchain, component and target names hold letters, digits and `._-+/`: fix rust-toolchain.toml or .cargo/config.toml".into()
        })?;
    }
    profiles(config)
}

/// Every variable the env profiles set: `KEY=value` in the subset that the shell, Compose
/// and `docker run --env-file` read alike.
fn profiles(config: &Config) -> Result<()> {
    let services = config.services.iter().flat_map(|s| &s.app_env);
    let bins = config.bins.iter().flat_map(|b| &b.env);
    let settings = config.app_settings.iter().map(|s| (&s.var, &s.dev));
    for (key, value) in services.chain(bins).chain(settings) {
        if !is_env_key(key) {
            check(
                "profile variable",
                key,
                Some("characters other than letters, digits and `_`"),
                || {
                    "variable names hold ASCII letters, digits and `_`, not starting with a digit"
                        .into()
                },
            )?;
        }
        check(
            &format!("value of {key}"),
            value,
            env_value_problem(value),
            || {
                "profiles are `KEY=value` lines without quotes, blanks or `$`: choose a value without them".into()
            },
        )?;
    }
    Ok(())
}

/// `Ok` when `problem` is `None`, else the error naming the value and what to do.
fn check(
    what: &str,
    value: &str,
    problem: Option<&str>,
    fix: impl FnOnce() -> String,
) -> Result<()> {
    match problem {
        None => Ok(()),
        Some(problem) => Err(Error::Unrepresentable {
            what: what.into(),
            value: value.into(),
            problem: problem.into(),
            fix: fix(),
        }),
    }
}

/// A binary or package name, written as a shell word, a YAML key and a file name.
fn name(what: &str, value: &str) -> Result<()> {
    check(what, value, name_problem(value), || {
        "cargo names hold letters, digits, `-` and `_`: rename it, or leave the binary out with `bins = [...]` in the dockerize answers".into()
    })
}

fn name_problem(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        Some("no characters")
    } else if value
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        None
    } else {
        Some("characters other than letters, digits, `-` and `_`")
    }
}

fn feature_problem(feature: &str) -> Option<&'static str> {
    let ok = feature.split('/').count() <= 2
        && feature.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_-+.".contains(c))
        });
    (!ok).then_some("characters other than letters, digits and `_-+.` (or more than one `/`)")
}

/// A word written unquoted on a `RUN` line.
fn word_problem(word: &str) -> Option<&'static str> {
    let ok = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+/".contains(c));
    (!ok).then_some("characters other than ASCII letters, digits and `._-+/`")
}

/// The CI workflow quotes this path where it stands alone and puts it inside `"..."` and
/// comments elsewhere, and GitHub reads `${{` in it as an expression.
fn repo_dir_problem(dir: &str) -> Option<&'static str> {
    if dir.chars().any(|c| c.is_control() || !yaml_printable(c)) {
        Some("a line break or control character")
    } else if dir.contains(['"', '\\', '$']) {
        Some("a quote, backslash or `$`")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Answers, resolve};
    use crate::detect::{self, Facts};
    use crate::workspace::Workspace;

    /// A one-binary workspace resolved after `edit` changes it, its facts or the answers.
    fn resolved(edit: impl FnOnce(&mut Workspace, &mut Facts, &mut Answers)) -> Result<Config> {
        let mut ws = detect::test_support::one_binary(&[]);
        let mut facts = detect::detect(&ws);
        let mut answers = Answers::default();
        edit(&mut ws, &mut facts, &mut answers);
        resolve(&ws, &facts, &answers)
    }

    /// The message and help of the error `edit` leads to.
    fn refusal(edit: impl FnOnce(&mut Workspace, &mut Facts, &mut Answers)) -> String {
        let err = resolved(edit).unwrap_err();
        assert!(matches!(err, Error::Unrepresentable { .. }), "{err}");
        format!("{err}: {}", err.help().unwrap())
    }

    #[test]
    fn profile_values_outside_the_shared_subset_are_refused() {
        let mut config = resolved(|_, _, _| {}).unwrap();
        config.bins[0]
            .env
            .insert("GREETING".into(), "hello world".into());
        let err = validate(&config).unwrap_err();
        assert!(
            err.to_string()
                .contains(r#"value of GREETING "hello world" has a blank"#),
            "{err}"
        );
        config.bins[0].env = [("MY-VAR".to_string(), "1".to_string())].into();
        assert!(validate(&config).is_err());
    }

    #[test]
    fn free_text_is_escaped_not_refused() {
        let config = resolved(|ws, _, _| {
            let m = &mut ws.members[0];
            m.description = Some("A \"thing\".\nMore $HOME \\".into());
            m.license = Some("MIT\n".into());
            m.repository = Some("https://example.com/a\"b".into());
        });
        assert!(config.is_ok(), "{config:?}");
    }

    #[test]
    fn a_folder_name_no_file_can_hold_is_refused_with_the_fix() {
        let text = refusal(|_, facts, _| facts.runtime_files.dirs = vec!["conf\nig".into()]);
        assert!(
            text.contains(r#"run-time folder "conf\nig" has a blank, line break"#),
            "{text}"
        );
        assert!(text.contains("runtime-files = [...]"), "{text}");
        let text = refusal(|ws, _, _| ws.repo_dir = "a\"b".into());
        assert!(text.contains("workspace folder"), "{text}");
        let text = refusal(|_, _, answers| answers.features = Some(vec!["a b".into()]));
        assert!(text.contains(r#"feature "a b""#), "{text}");
    }

    #[test]
    fn names_features_and_words_keep_to_their_characters() {
        assert_eq!(name_problem("my-api_2"), None);
        assert!(name_problem("my api").is_some());
        assert_eq!(feature_problem("fleet-jobs/cron"), None);
        assert!(feature_problem("a b").is_some() && feature_problem("a//b").is_some());
        assert_eq!(word_problem("x86_64-unknown-linux-musl"), None);
        assert_eq!(word_problem("nightly-2026-01-01"), None);
        assert!(word_problem("1.80; rm -rf /").is_some());
        assert_eq!(repo_dir_problem("services/my api"), None);
        assert!(repo_dir_problem("a\nb").is_some());
        assert!(repo_dir_problem("a\u{2028}b").is_some());
    }
}
