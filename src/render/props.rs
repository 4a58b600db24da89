//! Property tests: arbitrary manifest text and folder names render into files their readers parse.

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_yaml_ng::Value;

use super::{Files, render};
use crate::config::{Answers, Config, resolve};
use crate::detect::{self, Facts};
use crate::error::Error;
use crate::escape::{env_value_problem, is_env_key, one_line, path_problem};
use crate::workspace::Workspace;

/// Printable Unicode, with quotes, `$`, backslashes, blanks and line breaks often.
fn text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        3 => any::<char>().prop_filter("printable", |c| !c.is_control()),
        3 => prop::sample::select(vec![
            '"', '\'', '$', '\\', '\n', '\r', '\t', ' ', '`', '#', ':', '{', '}', '*', '/', '1',
            '.', '-', '\u{2028}',
        ]),
        4 => prop::char::range('a', 'z'),
    ];
    prop::collection::vec(c, 0..24).prop_map(|v| v.into_iter().collect())
}

/// A workspace with one binary, a Postgres client and `edit` applied, resolved and rendered.
fn rendered(edit: impl FnOnce(&mut Workspace, &mut Facts)) -> Result<(Config, Files), Error> {
    let mut ws = detect::test_support::one_binary(&["axum", "tokio-postgres"]);
    let mut facts = detect::detect(&ws);
    edit(&mut ws, &mut facts);
    let config = resolve(&ws, &facts, &Answers::default())?;
    let files = render(&config).expect("a resolved configuration always renders");
    Ok((config, files))
}

/// A LABEL's key, value, and whether an unescaped `$` would expand a variable in the value.
type Label = (String, String, bool);

/// A LABEL's `key=value` pairs as BuildKit reads them: quotes removed, escapes applied.
fn label_pairs(args: &str) -> Vec<Label> {
    let mut out = Vec::new();
    let mut chars = args.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return out;
        }
        let (mut word, mut expands) = (String::new(), false);
        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
            match c {
                '\\' => word.extend(chars.next()),
                '\'' => word.extend(chars.by_ref().take_while(|&c| c != '\'')),
                '"' => loop {
                    match chars.next().expect("a closing quote") {
                        '"' => break,
                        '\\' => match chars.next().expect("an escaped character") {
                            e @ ('"' | '$' | '\\') => word.push(e),
                            e => word.extend(['\\', e]),
                        },
                        '$' => {
                            expands = true;
                            word.push('$');
                        }
                        c => word.push(c),
                    }
                },
                '$' => {
                    expands = true;
                    word.push('$');
                }
                c => word.push(c),
            }
        }
        let (key, value) = word.split_once('=').expect("key=value");
        out.push((key.to_string(), value.to_string(), expands));
    }
}

/// Parses the Dockerfile; returns its LABEL pairs and the sources of its `COPY` lines.
fn dockerfile(text: &str) -> (Vec<Label>, Vec<Vec<String>>) {
    use parse_dockerfile::{Instruction, Source};
    let parsed = parse_dockerfile::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let (mut labels, mut copies) = (Vec::new(), Vec::new());
    for instruction in &parsed.instructions {
        match instruction {
            Instruction::Label(label) => labels.extend(label_pairs(&label.arguments.value)),
            Instruction::Copy(copy) => copies.push(
                copy.src
                    .iter()
                    .map(|s| match s {
                        Source::Path(p) => p.value.to_string(),
                        _ => panic!("no here-documents"),
                    })
                    .chain([copy.dest.value.to_string()])
                    .collect(),
            ),
            _ => {}
        }
    }
    (labels, copies)
}

/// `sh -n`: the script parses.
fn sh_parses(path: &str, text: &str) {
    let mut child = Command::new("sh")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{path}: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every line of an env profile is blank, a comment or `KEY=value` in the shared subset.
fn profile_lines(path: &str, text: &str) {
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{path}: {line:?}"));
        assert!(is_env_key(key), "{path}: {line:?}");
        assert_eq!(env_value_problem(value), None, "{path}: {line:?}");
    }
}

/// Parses every YAML file and returns the CI workflow's.
fn yaml(files: &Files) -> Value {
    let mut workflow = None;
    for (path, file) in files {
        if path.ends_with(".yaml") || path.ends_with(".yml") {
            let value: Value = serde_yaml_ng::from_str(&file.contents)
                .unwrap_or_else(|e| panic!("{path}: {e}\n{}", file.contents));
            if path.ends_with(".yml") {
                workflow = Some(value);
            }
        }
    }
    workflow.expect("a CI workflow")
}

/// The checks every rendered file set passes, whatever the values.
fn every_file_parses(files: &Files) {
    dockerfile(&files["Dockerfile"].contents);
    yaml(files);
    for (path, file) in files {
        if path.ends_with(".sh") {
            sh_parses(path, &file.contents);
        }
        if path.starts_with("docker/env/") && !path.ends_with(".gitignore") {
            profile_lines(path, &file.contents);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn manifest_text_lands_escaped_and_round_trips(
        description in text(),
        license in text(),
        repository in text(),
    ) {
        let (config, files) = rendered(|ws, _| {
            let m = &mut ws.members[0];
            m.description = Some(description.clone());
            m.license = Some(license.clone());
            m.repository = Some(format!("https://github.com/{repository}"));
        })
        .expect("free text is escaped, never refused");
        every_file_parses(&files);
        // The registry, derived from the repository URL, reaches Compose as it is.
        let compose: Value = serde_yaml_ng::from_str(&files["compose.yaml"].contents).unwrap();
        let image = format!("${{REGISTRY:-{}}}/svc:${{GIT_SHA:-latest}}", config.registry);
        prop_assert_eq!(compose["services"]["svc"]["image"].as_str(), Some(image.as_str()));
        let (labels, _) = dockerfile(&files["Dockerfile"].contents);
        for (key, value) in [
            ("description", &description),
            ("licenses", &license),
            ("source", &format!("https://github.com/{repository}")),
        ] {
            let key = format!("org.opencontainers.image.{key}");
            let found = labels.iter().find(|(k, ..)| *k == key);
            if value.is_empty() {
                prop_assert!(found.is_none(), "{key}: an empty value is left out");
                continue;
            }
            let (_, read, expands) = found.expect("the label");
            prop_assert_eq!(read, &one_line(value), "{}", key);
            prop_assert!(!expands, "{key}: `$` is escaped");
        }
    }

    #[test]
    fn folder_names_round_trip_or_are_refused_by_validation(
        folder in text(),
        repo_dir in text(),
    ) {
        let folder = folder.trim_matches('/').to_string();
        prop_assume!(!folder.is_empty());
        let result = rendered(|ws, facts| {
            facts.runtime_files.dirs = vec![folder.clone()];
            ws.repo_dir = repo_dir.clone();
        });
        let (config, files) = match result {
            Err(Error::Unrepresentable { value, .. }) => {
                let folder_refused = value == folder && path_problem(&folder).is_some();
                prop_assert!(folder_refused || value == repo_dir, "{value:?}");
                return Ok(());
            }
            other => other.expect("rendered or refused by validation"),
        };
        every_file_parses(&files);
        let (_, copies) = dockerfile(&files["Dockerfile"].contents);
        let copy = vec![folder.clone(), format!("/app/{folder}")];
        prop_assert!(copies.contains(&copy), "COPY {folder:?}");
        if !config.delivery.repo_dir.is_empty() {
            let workflow = yaml(&files);
            let dir = &config.delivery.repo_dir;
            let mut found = Vec::new();
            values_by_key(&workflow, &mut found);
            let under = |key: &str| -> Vec<String> {
                found.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
            };
            prop_assert_eq!(under("working-directory"), vec![dir.clone()]);
            prop_assert!(under("paths").contains(&format!("{dir}/**")), "{:?}", under("paths"));
            let dockerfile_path = format!("{dir}/Dockerfile");
            prop_assert!(under("dockerfile").contains(&dockerfile_path), "{:?}", under("dockerfile"));
            let contexts = under("context");
            prop_assert!(!contexts.is_empty() && contexts.iter().all(|c| c == dir), "{contexts:?}");
        }
    }
}

/// Every string in a YAML tree with the key it sits under (a list's items under the list's key).
fn values_by_key(value: &Value, out: &mut Vec<(String, String)>) {
    fn walk(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            Value::String(s) => out.push((key.to_string(), s.clone())),
            Value::Sequence(items) => items.iter().for_each(|v| walk(key, v, out)),
            Value::Mapping(map) => {
                for (k, v) in map {
                    walk(k.as_str().unwrap_or(key), v, out);
                }
            }
            _ => {}
        }
    }
    walk("", value, out);
}

#[test]
fn the_label_reader_reads_buildkit_escapes() {
    assert_eq!(
        label_pairs(r#"a="x \"y\" \$z \\" b=${V}"#),
        [
            ("a".into(), r#"x "y" $z \"#.into(), false),
            ("b".into(), "${V}".into(), true)
        ]
    );
}

#[test]
fn a_multi_line_description_stays_in_its_label() {
    let (_, files) = rendered(|ws, _| {
        ws.members[0].description = Some("A thing.\nMore.\n".into());
    })
    .unwrap();
    let text = &files["Dockerfile"].contents;
    assert!(
        text.contains(r#"org.opencontainers.image.description="A thing. More.""#),
        "{text}"
    );
    every_file_parses(&files);
}
