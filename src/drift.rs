//! What changed between two resolved configurations, in the words of the answers behind them.

use serde_json::{Map, Value};

use crate::config::Config;

/// Settings computed from other ones: named only when nothing they follow changed (a new
/// feature also changes the build flags; the feature is what the user changed).
const DERIVED: &[&str] = &[
    "build_flags",
    "cargo_flags",
    "builder_image",
    "runtime_image",
    "debug_image",
    "debug_shell",
    "build_packages",
    "runtime_packages",
    "registry_host",
    "static_target",
    "cross",
    "image_digests",
    "runtime_ignores",
];

/// A binary's settings computed from its name, port and role.
const BIN_DERIVED: &[&str] = &["target", "env_prefix", "run_flags", "env", "host_port"];

/// Values longer than this are named without them.
const MAX_VALUE: usize = 60;

/// One line per changed setting, `port of `api` changed: 3000 -> 8080`; binaries and
/// services present on one side only are left to the caller.
pub fn describe(old: &Config, fresh: &Config) -> Vec<String> {
    let (Some(a), Some(b)) = (object(old), object(fresh)) else {
        return Vec::new();
    };
    let mut answered = Vec::new();
    let mut derived = Vec::new();
    for key in keys(&a, &b) {
        let (x, y) = (field(&a, key), field(&b, key));
        if x == y {
            continue;
        }
        match key {
            "bins" | "services" => {
                for (name, fields) in named_changes(x, y) {
                    for field_name in fields {
                        // Port 0: a binary that does not listen.
                        let unset = |v: Value| {
                            if field_name == "port" && v == 0 {
                                Value::Null
                            } else {
                                v
                            }
                        };
                        let (fx, fy) = (
                            unset(field_of(x, &name, &field_name)),
                            unset(field_of(y, &name, &field_name)),
                        );
                        let what = match key {
                            "bins" => format!("{} of `{name}`", words(&field_name)),
                            _ => format!("{} of service `{name}`", words(&field_name)),
                        };
                        let line = changed(&what, &fx, &fy);
                        if key == "bins" && BIN_DERIVED.contains(&field_name.as_str()) {
                            derived.push(line);
                        } else {
                            answered.push(line);
                        }
                    }
                }
            }
            _ if DERIVED.contains(&key) => derived.push(changed(&words(key), x, y)),
            _ => answered.push(changed(&words(key), x, y)),
        }
    }
    if answered.is_empty() {
        derived
    } else {
        answered
    }
}

fn object(config: &Config) -> Option<Map<String, Value>> {
    match serde_json::to_value(config) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// The keys of both sides, in order (either side may leave out a key at its default).
fn keys<'a>(a: &'a Map<String, Value>, b: &'a Map<String, Value>) -> Vec<&'a str> {
    let set: std::collections::BTreeSet<&str> =
        a.keys().chain(b.keys()).map(String::as_str).collect();
    set.into_iter().collect()
}

fn field<'a>(map: &'a Map<String, Value>, key: &str) -> &'a Value {
    map.get(key).unwrap_or(&Value::Null)
}

/// The entry called `name` of a list of named objects.
fn entry<'a>(list: &'a Value, name: &str) -> Option<&'a Map<String, Value>> {
    list.as_array()?
        .iter()
        .filter_map(Value::as_object)
        .find(|o| o.get("name").and_then(Value::as_str) == Some(name))
}

fn field_of(list: &Value, name: &str, key: &str) -> Value {
    entry(list, name)
        .map(|o| field(o, key).clone())
        .unwrap_or(Value::Null)
}

/// For each name on both sides, the fields that differ.
fn named_changes(a: &Value, b: &Value) -> Vec<(String, Vec<String>)> {
    let names = a
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("name").and_then(Value::as_str));
    names
        .filter_map(|name| {
            let (x, y) = (entry(a, name)?, entry(b, name)?);
            let fields: Vec<String> = keys(x, y)
                .into_iter()
                .filter(|k| field(x, k) != field(y, k))
                .map(str::to_string)
                .collect();
            (!fields.is_empty()).then(|| (name.to_string(), fields))
        })
        .collect()
}

/// A setting's name as the answers spell it.
fn words(key: &str) -> String {
    key.replace('_', "-")
}

fn changed(what: &str, old: &Value, new: &Value) -> String {
    let (a, b) = (shown(old), shown(new));
    if old.is_object()
        || new.is_object()
        || a.len() + b.len() > MAX_VALUE
        || a.contains('\n')
        || b.contains('\n')
    {
        format!("{what} changed")
    } else {
        format!("{what} changed: {a} -> {b}")
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::String(s) if s.is_empty() => "\"\"".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(shown).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(_) => "{..}".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Answers, Runtime, resolve};
    use crate::detect;

    fn config(answers: &Answers) -> Config {
        let mut ws = detect::test_support::one_binary(&["axum", "tokio-postgres"]);
        ws.rustc_version = Some("1.95.0".into());
        let mut facts = detect::detect(&ws);
        for run in &mut facts.runs {
            run.role = crate::detect::Role::Server;
        }
        resolve(&ws, &facts, answers).unwrap()
    }

    #[test]
    fn a_changed_answer_is_named_with_its_values_not_what_follows_from_it() {
        let before = config(&Answers::default());
        let after = config(&Answers {
            port: Some(9090),
            runtime: Some(Runtime::Debian),
            features: Some(vec!["svc/fast".into()]),
            ..Answers::default()
        });
        let lines = describe(&before, &after);
        assert!(
            lines.contains(&"port of `svc` changed: 8080 -> 9090".to_string()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"runtime changed: distroless -> debian".to_string()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"features changed: [] -> [svc/fast]".to_string()),
            "{lines:?}"
        );
        // The build flags, runtime image and the binary's variables follow from those.
        assert!(
            lines.iter().all(|l| !l.starts_with("build-flags")
                && !l.starts_with("runtime-image")
                && !l.starts_with("env of")),
            "{lines:?}"
        );
        assert!(describe(&before, &before).is_empty());
    }

    #[test]
    fn platforms_are_named_from_their_default_and_the_cross_stages_follow() {
        use crate::config::Platform;
        let before = config(&Answers::default());
        let after = config(&Answers {
            platforms: Some(vec![Platform::Amd64, Platform::Arm64]),
            ..Answers::default()
        });
        assert_eq!(
            describe(&before, &after),
            vec!["platforms changed: [linux/amd64] -> [linux/amd64, linux/arm64]".to_string()]
        );
    }

    #[test]
    fn a_derived_setting_alone_is_named() {
        let before = config(&Answers::default());
        let mut after = before.clone();
        after.build.build_flags.push_str(" --bin other");
        assert_eq!(
            describe(&before, &after),
            vec![format!(
                "build-flags changed: {} -> {}",
                before.build.build_flags, after.build.build_flags
            )]
        );
    }
}
