//! Feature choices a package cannot build without (a database backend, ...) that its default features leave unmade.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use cargo_platform::{Cfg, CfgExpr};

use super::services::{self, ServiceKind};
use crate::workspace::{Member, Workspace};

/// One feature of a choice, with the backing services it would bring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureOption {
    pub name: String,
    /// The services its part of the feature table implies (`postgresql = ["diesel/postgres"]`
    /// gives Postgres); empty when none is derivable.
    pub services: Vec<ServiceKind>,
}

/// A choice among features that a package's build needs: at least one option enabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureChoice {
    /// The member package whose features these are.
    pub package: String,
    pub options: Vec<FeatureOption>,
    /// Where the need shows, `file:line: why`; several sightings joined by `; `.
    pub evidence: String,
    /// The package's features that make the choice, each with the options it turns on: every
    /// option itself, `default` when the default features do, and features like `full`.
    pub enabled_by: BTreeMap<String, Vec<String>>,
}

impl FeatureChoice {
    /// The options' feature names.
    pub fn option_names(&self) -> Vec<&str> {
        self.options.iter().map(|o| o.name.as_str()).collect()
    }

    /// Each option with the services it brings, as the error and the question name it:
    /// `postgresql (postgres)`.
    pub fn described(&self) -> Vec<String> {
        (self.options.iter())
            .map(|o| {
                if o.services.is_empty() {
                    o.name.clone()
                } else {
                    let names: Vec<&str> = o.services.iter().map(|s| s.name()).collect();
                    format!("{} ({})", o.name, names.join(", "))
                }
            })
            .collect()
    }

    /// The options the default features turn on: then only `--no-default-features` leaves
    /// the choice unmade.
    pub fn default_options(&self) -> &[String] {
        self.enabled_by
            .get("default")
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// The choices a build with `enabled_features` (`--features` items: `feat` or `pkg/feat`,
/// comma- or space-separated lists allowed) leaves unmade; the package's `default` features
/// count unless `no_default_features`.
pub fn unmet<'a>(
    choices: &'a [FeatureChoice],
    enabled_features: &[String],
    no_default_features: bool,
) -> Vec<&'a FeatureChoice> {
    choices
        .iter()
        .filter(|choice| {
            let mut requested: Vec<&str> = enabled_features
                .iter()
                .flat_map(|f| f.split([',', ' ']))
                .filter(|f| !f.is_empty())
                .filter_map(|f| match f.split_once('/') {
                    Some((package, feature)) => (package == choice.package).then_some(feature),
                    None => Some(f),
                })
                .collect();
            if !no_default_features {
                requested.push("default");
            }
            !requested.iter().any(|f| choice.enabled_by.contains_key(*f))
        })
        .collect()
}

/// Finds the choices: a `compile_error!` guarded by "none of these features" in a member's
/// sources or build script, and a `default = [...]` list whose backends are commented out.
pub fn detect(ws: &Workspace) -> Vec<FeatureChoice> {
    let mut out: Vec<FeatureChoice> = Vec::new();
    for (path, text) in ws.sources.iter().chain(&ws.build_scripts) {
        let Some(member) = member_of(ws, path) else {
            continue;
        };
        for (line, options) in compile_error_guards(text) {
            let why = format!(
                "{path}:{line}: compile_error! unless one of the features {} is enabled",
                options.join(", ")
            );
            add(&mut out, ws, member, options, why);
        }
    }
    for member in &ws.members {
        if let Some((line, options)) = commented_defaults(&member.manifest, &member.features) {
            let path = if member.dir.is_empty() {
                "Cargo.toml".to_string()
            } else {
                format!("{}/Cargo.toml", member.dir)
            };
            let why = format!(
                "{path}:{line}: `default` lists the features {} commented out",
                options.join(", ")
            );
            add(&mut out, ws, member, options, why);
        }
    }
    out
}

/// The member whose folder holds `path` (the deepest one).
fn member_of<'a>(ws: &'a Workspace, path: &str) -> Option<&'a Member> {
    ws.members
        .iter()
        .filter(|m| m.dir.is_empty() || path.starts_with(&format!("{}/", m.dir)))
        .max_by_key(|m| m.dir.len())
}

/// Records a choice of `options` (those that are features of `member`), merging it with an
/// equal one already found; skipped when another member's dependency on it already makes it.
fn add(
    out: &mut Vec<FeatureChoice>,
    ws: &Workspace,
    member: &Member,
    options: Vec<String>,
    evidence: String,
) {
    let mut options: Vec<String> = options
        .into_iter()
        .filter(|o| member.features.contains_key(o))
        .collect();
    options.sort();
    options.dedup();
    if options.is_empty() {
        return;
    }
    let table = &member.features;
    let defaults = closure(table, ["default"]);
    let resolved = ws
        .packages
        .iter()
        .find(|p| p.is_member && p.name == member.name)
        .map(|p| p.features.as_slice())
        .unwrap_or_default();
    if options
        .iter()
        .any(|o| resolved.contains(o) && !defaults.contains(o))
    {
        return;
    }
    if let Some(existing) = out
        .iter_mut()
        .find(|c| c.package == member.name && c.option_names() == options)
    {
        existing.evidence = format!("{}; {evidence}", existing.evidence);
        return;
    }
    let enabled_by = table
        .keys()
        .filter_map(|feature| {
            let on = closure(table, [feature.as_str()]);
            let made: Vec<String> = options
                .iter()
                .filter(|o| on.contains(*o))
                .cloned()
                .collect();
            (!made.is_empty()).then(|| (feature.clone(), made))
        })
        .collect();
    out.push(FeatureChoice {
        package: member.name.clone(),
        options: options
            .iter()
            .map(|o| FeatureOption {
                name: o.clone(),
                services: services_of(table, o),
            })
            .collect(),
        evidence,
        enabled_by,
    });
}

/// The features `start` turns on within the package's own table, `start` included.
fn closure<'a>(
    table: &BTreeMap<String, Vec<String>>,
    start: impl IntoIterator<Item = &'a str>,
) -> BTreeSet<String> {
    let mut on: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = start
        .into_iter()
        .filter(|f| table.contains_key(*f))
        .map(str::to_string)
        .collect();
    while let Some(feature) = stack.pop() {
        if !on.insert(feature.clone()) {
            continue;
        }
        for item in table.get(&feature).into_iter().flatten() {
            if table.contains_key(item) && !on.contains(item) {
                stack.push(item.clone());
            }
        }
    }
    on
}

/// The services a feature brings through the dependencies it turns on: `dep:x` or `x`
/// (the client crate itself), `x/feat` (the crate with that feature), `x?/feat` (the feature
/// only, on a crate something else turns on).
fn services_of(table: &BTreeMap<String, Vec<String>>, feature: &str) -> Vec<ServiceKind> {
    let mut kinds: Vec<ServiceKind> = Vec::new();
    for on in closure(table, [feature]) {
        for item in table.get(&on).into_iter().flatten() {
            let found = if let Some(krate) = item.strip_prefix("dep:") {
                services::implied_by(krate, None)
            } else if let Some((krate, feat)) = item.split_once("?/") {
                let bare = services::implied_by(krate, None);
                services::implied_by(krate, Some(feat))
                    .into_iter()
                    .filter(|k| !bare.contains(k))
                    .collect()
            } else if let Some((krate, feat)) = item.split_once('/') {
                services::implied_by(krate, Some(feat))
            } else if table.contains_key(item) {
                Vec::new()
            } else {
                services::implied_by(item, None)
            };
            kinds.extend(found);
        }
    }
    kinds.sort();
    kinds.dedup();
    kinds
}

/// `#[cfg(<none of these features>)] compile_error!(..)`: (line of the attribute, features).
fn compile_error_guards(text: &str) -> Vec<(usize, Vec<String>)> {
    const OPEN: &str = "#[cfg(";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(OPEN) {
        let start = from + found;
        let expr_start = start + OPEN.len();
        let Some(expr_end) = closing_paren(text, expr_start) else {
            break;
        };
        from = expr_end + 1;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..start].trim_start().starts_with("//") {
            continue;
        }
        let Some(after) = text[from..].trim_start().strip_prefix(']') else {
            continue;
        };
        if !skip_trivia(after).starts_with("compile_error!") {
            continue;
        }
        let Ok(expr) = CfgExpr::from_str(&text[expr_start..expr_end]) else {
            continue;
        };
        if let Some(options) = none_of(&expr).filter(|o| !o.is_empty()) {
            out.push((text[..start].matches('\n').count() + 1, options));
        }
    }
    out
}

/// The index of the `)` closing the parenthesis opened just before `from`, skipping strings.
fn closing_paren(text: &str, from: usize) -> Option<usize> {
    let mut depth = 1;
    let mut in_string = false;
    for (i, c) in text[from..].char_indices() {
        match c {
            '"' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return Some(from + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `text` after leading whitespace and line comments.
fn skip_trivia(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        match text.strip_prefix("//") {
            Some(rest) => text = rest.split_once('\n').map_or("", |(_, r)| r),
            None => return text,
        }
    }
}

/// The features of an expression true exactly when none of them is enabled:
/// `not(any(feature = "a", ..))`, `all(not(feature = "a"), ..)`, `not(feature = "a")`.
fn none_of(expr: &CfgExpr) -> Option<Vec<String>> {
    match expr {
        CfgExpr::Not(inner) => any_of(inner),
        CfgExpr::All(items) => items
            .iter()
            .map(none_of)
            .collect::<Option<Vec<_>>>()
            .map(|v| v.concat()),
        _ => None,
    }
}

/// The features of an expression true when any of them is enabled.
fn any_of(expr: &CfgExpr) -> Option<Vec<String>> {
    match expr {
        CfgExpr::Value(Cfg::KeyPair(key, value)) if key.as_str() == "feature" => {
            Some(vec![value.clone()])
        }
        CfgExpr::Any(items) => items
            .iter()
            .map(any_of)
            .collect::<Option<Vec<_>>>()
            .map(|v| v.concat()),
        _ => None,
    }
}

/// `[features] default = [ # "sqlite", # "postgresql" ]`: (line of `default`, the commented
/// names that are features of the package) when at least two are and no live entry makes
/// the choice (turns one on, or brings a backing service itself).
fn commented_defaults(
    manifest: &str,
    table: &BTreeMap<String, Vec<String>>,
) -> Option<(usize, Vec<String>)> {
    let mut in_features = false;
    let mut offset = 0;
    for (n, line) in manifest.split('\n').enumerate() {
        let line_start = offset;
        offset += line.len() + 1;
        let code = line.split('#').next().unwrap_or_default().trim();
        if code.starts_with('[') {
            in_features = code == "[features]";
            continue;
        }
        let Some(value) = code.strip_prefix("default") else {
            continue;
        };
        if !in_features || !value.trim_start().starts_with('=') {
            continue;
        }
        let open = line_start + line.find('[')?;
        let (live, commented) = split_array(&manifest[open + 1..]);
        let on = closure(table, live.iter().map(String::as_str));
        let mut options: Vec<String> = commented
            .into_iter()
            .filter(|c| c != "default" && table.contains_key(c) && !live.contains(c))
            .collect();
        options.dedup();
        // A live entry that is an option, or brings a service of its own, makes the choice.
        let made = on
            .iter()
            .any(|f| options.contains(f) || !services_of(table, f).is_empty());
        if options.len() < 2 || made {
            return None;
        }
        return Some((n + 1, options));
    }
    None
}

/// The quoted items of a TOML array body up to its `]`: (live ones, ones in comments).
fn split_array(body: &str) -> (Vec<String>, Vec<String>) {
    let (mut live, mut commented) = (Vec::new(), Vec::new());
    let mut chars = body.chars();
    let mut in_comment = false;
    while let Some(c) = chars.next() {
        match c {
            '\n' => in_comment = false,
            '#' => in_comment = true,
            ']' if !in_comment => break,
            '"' => {
                let item: String = chars.by_ref().take_while(|&c| c != '"').collect();
                if in_comment {
                    commented.push(item);
                } else {
                    live.push(item);
                }
            }
            _ => {}
        }
    }
    (live, commented)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::ResolvedPackage;

    /// A member `app` (in `dir`) with a feature table given as `name = [items]` pairs.
    fn member(name: &str, dir: &str, features: &[(&str, &[&str])], manifest: &str) -> Member {
        Member {
            name: name.into(),
            dir: dir.into(),
            features: features
                .iter()
                .map(|(f, items)| (f.to_string(), items.iter().map(|i| i.to_string()).collect()))
                .collect(),
            manifest: manifest.into(),
            ..Member::default()
        }
    }

    const BACKENDS: &[(&str, &[&str])] = &[
        ("default", &[]),
        ("sqlite", &["diesel/sqlite", "dep:libsqlite3-sys"]),
        ("mysql", &["diesel/mysql"]),
        (
            "postgresql",
            &["diesel/postgres", "diesel_migrations/postgres"],
        ),
        ("full", &["sqlite", "mysql", "postgresql"]),
        ("libsqlite3-sys", &["dep:libsqlite3-sys"]),
    ];

    fn with_source(members: Vec<Member>, path: &str, text: &str) -> Workspace {
        Workspace {
            members,
            sources: vec![(path.into(), text.into())],
            ..Workspace::default()
        }
    }

    /// The choices in a workspace of one member `package` at the root, with `features`,
    /// whose `src/lib.rs` is `text`.
    fn lib_choices(package: &str, features: &[(&str, &[&str])], text: &str) -> Vec<FeatureChoice> {
        let ws = with_source(vec![member(package, "", features, "")], "src/lib.rs", text);
        detect(&ws)
    }

    /// A guard that wants one of the features sqlite and postgresql.
    const SQLITE_OR_POSTGRESQL: &str = "#[cfg(not(any(feature = \"sqlite\", feature = \"postgresql\")))]\ncompile_error!(\"x\");\n";

    #[test]
    fn compile_error_under_not_any() {
        let ws = with_source(
            vec![member("app", "", BACKENDS, "")],
            "src/main.rs",
            "use std::env;\n\n#[cfg(not(any(feature = \"sqlite\", feature = \"mysql\", feature = \"postgresql\")))]\ncompile_error!(\"enable a database backend\");\n",
        );
        let choices = detect(&ws);
        assert_eq!(choices.len(), 1);
        let c = &choices[0];
        assert_eq!(c.package, "app");
        assert_eq!(c.option_names(), ["mysql", "postgresql", "sqlite"]);
        assert!(
            c.evidence.starts_with("src/main.rs:3: compile_error!"),
            "{}",
            c.evidence
        );
        assert!(c.default_options().is_empty());
        assert_eq!(c.enabled_by["full"], ["mysql", "postgresql", "sqlite"]);
    }

    #[test]
    fn compile_error_under_all_not_in_a_build_script_of_a_nested_member() {
        let ws = Workspace {
            members: vec![
                member("root", "", &[], ""),
                member("store", "crates/store", BACKENDS, ""),
            ],
            build_scripts: vec![(
                "crates/store/build.rs".into(),
                "fn main() {\n    #[cfg(all(not(feature = \"sqlite\"), not(feature = \"postgresql\")))]\n    // a comment between\n    compile_error!(\"pick one\");\n}\n".into(),
            )],
            ..Workspace::default()
        };
        let choices = detect(&ws);
        assert_eq!(choices.len(), 1);
        assert_eq!(choices[0].package, "store");
        assert_eq!(choices[0].option_names(), ["postgresql", "sqlite"]);
        assert!(choices[0].evidence.starts_with("crates/store/build.rs:2:"));
    }

    #[test]
    fn other_guards_are_not_choices() {
        for text in [
            // Mutually exclusive features, not a choice.
            "#[cfg(all(feature = \"sqlite\", feature = \"mysql\"))]\ncompile_error!(\"one only\");\n",
            // Not a feature condition.
            "#[cfg(not(unix))]\ncompile_error!(\"unix only\");\n",
            // No compile_error after the attribute.
            "#[cfg(not(feature = \"sqlite\"))]\nfn fallback() {}\n",
            // Commented out.
            "// #[cfg(not(feature = \"sqlite\"))]\n// compile_error!(\"x\");\n",
            // Names that are not features of the package.
            "#[cfg(not(any(feature = \"oracle\", feature = \"db2\")))]\ncompile_error!(\"x\");\n",
        ] {
            assert!(lib_choices("app", BACKENDS, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_single_feature_guard_is_a_choice_of_one() {
        let choices = lib_choices(
            "app",
            BACKENDS,
            "#[cfg(not(feature = \"postgresql\"))] compile_error!(\"needs postgres\");",
        );
        assert_eq!(choices[0].option_names(), ["postgresql"]);
    }

    const COMMENTED: &str = "[package]\nname = \"app\"\n\n[features]\n# Pick a database backend.\ndefault = [\n  # \"sqlite\",\n  # \"mysql\",\n  # \"postgresql\",\n]\nsqlite = [\"diesel/sqlite\"]\n";

    #[test]
    fn commented_out_backends_in_default() {
        let ws = Workspace {
            members: vec![member("app", "", BACKENDS, COMMENTED)],
            ..Workspace::default()
        };
        let choices = detect(&ws);
        assert_eq!(choices.len(), 1);
        assert_eq!(choices[0].option_names(), ["mysql", "postgresql", "sqlite"]);
        assert_eq!(
            choices[0].evidence,
            "Cargo.toml:6: `default` lists the features sqlite, mysql, postgresql commented out"
        );
    }

    #[test]
    fn both_shapes_for_the_same_options_are_one_choice() {
        let ws = with_source(
            vec![member("app", "", BACKENDS, COMMENTED)],
            "src/db.rs",
            "#[cfg(not(any(feature = \"sqlite\", feature = \"mysql\", feature = \"postgresql\")))]\ncompile_error!(\"x\");\n",
        );
        let choices = detect(&ws);
        assert_eq!(choices.len(), 1);
        assert!(choices[0].evidence.contains("src/db.rs:1:"));
        assert!(choices[0].evidence.contains("; Cargo.toml:6:"));
    }

    #[test]
    fn commented_defaults_that_are_no_choice() {
        for manifest in [
            // A live default already makes the choice.
            "[features]\ndefault = [\"sqlite\", # \"mysql\",\n # \"postgresql\"\n]\n",
            "[features]\ndefault = [\"full\"] # \"mysql\", \"postgresql\"\n",
            // One commented feature is a switched-off default, not a choice.
            "[features]\ndefault = [\n  # \"mysql\",\n]\n",
            // Commented names that are not features.
            "[features]\ndefault = [\n  # \"oracle\",\n  # \"db2\",\n]\n",
            // A `default` key outside [features].
            "[package.metadata.x]\ndefault = [\n  # \"mysql\",\n  # \"sqlite\",\n]\n",
        ] {
            assert_eq!(
                commented_defaults(manifest, &table(BACKENDS)),
                None,
                "{manifest}"
            );
        }
    }

    #[test]
    fn a_live_default_without_a_backend_leaves_the_choice() {
        let manifest =
            "[features]\ndefault = [\"full-tls\",\n  # \"sqlite\",\n  # \"postgresql\",\n]\n";
        let mut features = BACKENDS.to_vec();
        features.push(("full-tls", &[]));
        assert_eq!(
            commented_defaults(manifest, &table(&features)),
            Some((2, vec!["sqlite".to_string(), "postgresql".to_string()]))
        );
    }

    fn table(features: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        member("x", "", features, "").features
    }

    #[test]
    fn options_carry_their_services() {
        let features: &[(&str, &[&str])] = &[
            ("default", &[]),
            ("postgres", &["sqlx/postgres", "dep:deadpool-postgres"]),
            ("mysql", &["sqlx/mysql"]),
            ("sqlite", &["sqlx?/sqlite"]),
            ("cache", &["dep:redis"]),
            ("pg-and-cache", &["postgres", "cache"]),
            ("plain", &["serde/derive"]),
        ];
        let t = table(features);
        assert_eq!(services_of(&t, "postgres"), [ServiceKind::Postgres]);
        assert_eq!(services_of(&t, "sqlite"), [ServiceKind::Sqlite]);
        assert_eq!(
            services_of(&t, "pg-and-cache"),
            [ServiceKind::Postgres, ServiceKind::Redis]
        );
        assert!(services_of(&t, "plain").is_empty());
        let choices = lib_choices(
            "app",
            features,
            "#[cfg(not(any(feature = \"postgres\", feature = \"mysql\")))]\ncompile_error!(\"x\");\n",
        );
        let choice = &choices[0];
        assert_eq!(choice.options[0].name, "mysql");
        assert_eq!(choice.options[0].services, [ServiceKind::Mysql]);
        assert_eq!(choice.options[1].services, [ServiceKind::Postgres]);
    }

    #[test]
    fn a_choice_another_member_makes_is_not_reported() {
        let mut ws = with_source(
            vec![member("store", "store", BACKENDS, "")],
            "store/src/lib.rs",
            SQLITE_OR_POSTGRESQL,
        );
        ws.packages = vec![ResolvedPackage {
            name: "store".into(),
            features: vec!["postgresql".into()],
            is_member: true,
            ..ResolvedPackage::default()
        }];
        assert!(detect(&ws).is_empty());
    }

    fn choice_with_default() -> FeatureChoice {
        let mut features = BACKENDS.to_vec();
        features[0] = ("default", &["sqlite"]);
        lib_choices("store", &features, SQLITE_OR_POSTGRESQL).remove(0)
    }

    #[test]
    fn unmet_by_the_answers_features() {
        let choices = lib_choices("store", BACKENDS, SQLITE_OR_POSTGRESQL);
        let none: [String; 0] = [];
        assert_eq!(unmet(&choices, &none, false).len(), 1);
        assert!(unmet(&choices, &["postgresql".into()], false).is_empty());
        assert!(unmet(&choices, &["store/sqlite".into()], true).is_empty());
        assert!(unmet(&choices, &["full".into()], true).is_empty());
        assert!(unmet(&choices, &["tls,store/postgresql".into()], true).is_empty());
        assert_eq!(unmet(&choices, &["other/sqlite".into()], false).len(), 1);
        assert_eq!(
            unmet(&choices, &["mysql".into(), "tls".into()], false).len(),
            1
        );
    }

    #[test]
    fn the_default_features_make_the_choice_unless_turned_off() {
        let choices = vec![choice_with_default()];
        assert_eq!(choices[0].default_options(), ["sqlite"]);
        assert!(unmet(&choices, &[], false).is_empty());
        assert_eq!(unmet(&choices, &[], true).len(), 1);
        assert!(unmet(&choices, &["postgresql".into()], true).is_empty());
    }

    #[test]
    fn found_in_a_workspace_read_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nresolver = \"3\"\nmembers = [\"server\", \"store\"]\n",
        );
        write(
            "server/Cargo.toml",
            "[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [features]\ndefault = [\n    # \"sqlite\",\n    # \"postgresql\",\n]\n\
             sqlite = []\npostgresql = []\n",
        );
        write(
            "server/build.rs",
            "fn main() {\n    #[cfg(not(any(feature = \"sqlite\", feature = \"postgresql\")))]\n    compile_error!(\"choose a database\");\n}\n",
        );
        write("server/src/main.rs", "fn main() {}\n");
        write(
            "store/Cargo.toml",
            "[package]\nname = \"store\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [features]\ndefault = [\"mem\"]\nmem = []\ndisk = []\n",
        );
        write(
            "store/src/lib.rs",
            "#[cfg(all(not(feature = \"mem\"), not(feature = \"disk\")))]\ncompile_error!(\"a store\");\n",
        );
        let ws = crate::workspace::load(Some(&dir.path().join("Cargo.toml")), &|_| {}).unwrap();
        let choices = detect(&ws);
        assert_eq!(choices.len(), 2, "{choices:#?}");
        let server = choices.iter().find(|c| c.package == "server").unwrap();
        assert_eq!(server.option_names(), ["postgresql", "sqlite"]);
        assert!(
            server.evidence.contains("server/build.rs:2:"),
            "{}",
            server.evidence
        );
        assert!(
            server.evidence.contains("server/Cargo.toml:7:"),
            "{}",
            server.evidence
        );
        let store = choices.iter().find(|c| c.package == "store").unwrap();
        assert_eq!(store.default_options(), ["mem"]);
        let names: Vec<&str> = unmet(&choices, &[], false)
            .iter()
            .map(|c| c.package.as_str())
            .collect();
        assert_eq!(names, ["server"]);
        assert_eq!(unmet(&choices, &["server/sqlite".into()], true).len(), 1);
        assert!(
            unmet(
                &choices,
                &["server/sqlite".into(), "store/disk".into()],
                true
            )
            .is_empty()
        );
    }
}
