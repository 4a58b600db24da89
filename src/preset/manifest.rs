//! `preset.toml`: the preset's name, version, answers, image mirrors and enforced keys.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::config::Answers;

/// The file a preset folder is known by.
pub const FILE: &str = "preset.toml";

/// What `preset.toml` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetToml {
    pub name: String,
    pub version: String,
    /// Defaults for the answers, under the same keys as the answers in Cargo.toml.
    #[serde(default)]
    pub answers: Answers,
    /// Upstream image (`rust`, `gcr.io/distroless/cc-debian13`, `postgres`) -> its mirror;
    /// the tag is kept.
    #[serde(default)]
    pub images: BTreeMap<String, String>,
    #[serde(default)]
    pub enforce: Enforce,
}

/// `[enforce] keys = [...]`: answers a repository may not change; each one set in `[answers]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enforce {
    #[serde(default)]
    pub keys: Vec<String>,
}

/// Parses `preset.toml`; the error names the line (`line 3: unknown field ...`).
pub fn parse(text: &str) -> Result<PresetToml, String> {
    let parsed: PresetToml = toml_edit::de::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let message = e.message().trim().to_string();
        match line {
            Some(line) => format!("line {line}: {message}"),
            None => message,
        }
    })?;
    check(&parsed)?;
    Ok(parsed)
}

/// What the types cannot say: a name and version, enforced keys that the preset answers,
/// no preset inside a preset.
fn check(toml: &PresetToml) -> Result<(), String> {
    if toml.name.trim().is_empty() || toml.version.trim().is_empty() {
        return Err("`name` and `version` must not be empty".into());
    }
    if toml.answers.preset.is_some() {
        return Err("[answers] cannot name a preset (`preset`)".into());
    }
    let answered = toml_edit::ser::to_document(&toml.answers).expect("answers always serialize");
    for key in &toml.enforce.keys {
        if !answered.contains_key(key) {
            return Err(format!(
                "[enforce] names `{key}`, which [answers] does not set: an enforced key needs its value"
            ));
        }
    }
    for (from, to) in &toml.images {
        if from.contains(':') && !from.contains('/') || to.trim().is_empty() || to.contains(' ') {
            return Err(format!(
                "[images] \"{from}\" = \"{to}\": expected an image name without its tag and its mirror's name"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preset_toml_with_answers_images_and_enforced_keys() {
        let toml = parse(
            "name = \"acme\"\nversion = \"1.0.0\"\n[answers]\nregistry = \"r.acme/x\"\nruntime = \"distroless\"\n\
             [images]\nrust = \"m.acme/rust\"\n[enforce]\nkeys = [\"runtime\"]\n",
        )
        .unwrap();
        assert_eq!(toml.answers.registry.as_deref(), Some("r.acme/x"));
        assert_eq!(toml.images["rust"], "m.acme/rust");
        assert_eq!(toml.enforce.keys, ["runtime"]);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = [
            (
                "name = \"a\"\nversion = \"1\"\n[answers]\nregisty = \"x\"\n",
                "line 4",
            ),
            (
                "name = \"a\"\nversion = \"1\"\n[answers]\nci = \"yes\"\n",
                "line 4",
            ),
            ("name = \"a\"\nversion = 1\n", "line 2"),
            ("name = \"a\"\nversion = \"1\"\n[answers\n", "line 3"),
        ];
        for (text, line) in bad {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with(line), "{text}: {err}");
        }
        let err = parse("name = \"a\"\nversion = \"1\"\n[enforce]\nkeys = [\"ci\"]\n").unwrap_err();
        assert!(err.contains("`ci`"), "{err}");
    }
}
