//! Reads and writes the answers table in the root Cargo.toml with toml_edit, leaving every other byte alone.

use std::path::Path;

use toml_edit::{DocumentMut, Item, Table};

use crate::config::Answers;
use crate::error::{Error, Result};

/// Where the answers live: `[workspace.metadata.dockerize]` or `[package.metadata.dockerize]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswersTable {
    Workspace,
    Package,
}

impl AnswersTable {
    /// The dotted name of the table.
    pub fn name(self) -> &'static str {
        match self {
            AnswersTable::Workspace => "workspace.metadata.dockerize",
            AnswersTable::Package => "package.metadata.dockerize",
        }
    }

    fn root(self) -> &'static str {
        match self {
            AnswersTable::Workspace => "workspace",
            AnswersTable::Package => "package",
        }
    }
}

/// The root manifest's text, parsed.
pub struct Manifest {
    doc: DocumentMut,
    original: String,
    pub table: AnswersTable,
}

impl Manifest {
    /// Parses the manifest text.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let doc: DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| Error::Manifest {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        let table = if doc.contains_table("workspace") {
            AnswersTable::Workspace
        } else {
            AnswersTable::Package
        };
        Ok(Self {
            doc,
            original: text.to_string(),
            table,
        })
    }

    /// Reads the file and parses it.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        Self::parse(path, &text)
    }

    fn answers_table(&self) -> Option<&Table> {
        self.doc
            .get(self.table.root())?
            .get("metadata")?
            .get("dockerize")?
            .as_table()
    }

    /// The stored answers (empty when there is no table).
    pub fn answers(&self, path: &Path) -> Result<Answers> {
        let Some(table) = self.answers_table() else {
            return Ok(Answers::default());
        };
        let mut doc = DocumentMut::new();
        *doc.as_table_mut() = table.clone();
        toml_edit::de::from_document(doc).map_err(|e| Error::Answers {
            path: path.to_path_buf(),
            table: self.table.name().into(),
            message: e.message().to_string(),
        })
    }

    /// The manifest text with `answers` stored; `None` when nothing would change.
    pub fn with_answers(&self, answers: &Answers) -> Option<String> {
        let mut new = toml_edit::ser::to_document(answers).expect("answers always serialize");
        inline(new.as_table_mut(), INLINE);
        let mut doc = self.doc.clone();
        if new.as_table().is_empty() {
            // No answer left (every one back to detection): drop the table, if any.
            let metadata = doc
                .get_mut(self.table.root())?
                .get_mut("metadata")?
                .as_table_mut()?;
            metadata.remove("dockerize")?;
            if metadata.is_empty() && metadata.is_implicit() {
                doc.get_mut(self.table.root())?
                    .as_table_mut()?
                    .remove("metadata");
            }
            let text = doc.to_string();
            return (text != self.original).then_some(text);
        }
        let root = doc
            .entry(self.table.root())
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_mut()?;
        let metadata = root.entry("metadata").or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        let dockerize = metadata.as_table_mut()?.entry("dockerize").or_insert_with(|| {
            let mut t = Table::new();
            // After every existing table, so the rest of the file keeps its bytes and order.
            t.set_position(Some(isize::MAX));
            t.decor_mut().set_prefix(
                "\n# cargo-dockerize answers: `cargo dockerize update` renders the container files from these.\n",
            );
            Item::Table(t)
        });
        merge(dockerize.as_table_mut()?, new.as_table());
        let text = doc.to_string();
        (text != self.original).then_some(text)
    }
}

/// Keys stored as one inline table (`existing-files = { "Makefile" = "skip" }`) rather than
/// a table of their own.
const INLINE: &[&str] = &["existing-files"];

/// Turns the tables under `keys` into inline tables.
fn inline(table: &mut Table, keys: &[&str]) {
    for key in keys {
        if let Some(item) = table.get_mut(key)
            && let Some(sub) = item.as_table().cloned()
        {
            *item = Item::Value(toml_edit::Value::InlineTable(sub.into_inline_table()));
        }
    }
}

/// Copies `src` into `dst`: new keys are added with a comment, changed values keep their
/// decor, and keys `src` no longer has are removed (an answer put back to the detected value).
fn merge(dst: &mut Table, src: &Table) {
    let gone: Vec<String> = dst
        .iter()
        .filter(|(key, _)| !src.contains_key(key))
        .map(|(key, _)| key.to_string())
        .collect();
    for key in gone {
        dst.remove(&key);
    }
    for (key, item) in src.iter() {
        match item {
            Item::Table(sub) => {
                let entry = dst.entry(key).or_insert_with(|| {
                    let mut t = Table::new();
                    t.set_implicit(true);
                    Item::Table(t)
                });
                if let Some(table) = entry.as_table_mut() {
                    merge(table, sub);
                }
            }
            Item::Value(toml_edit::Value::InlineTable(sub))
                if dst.get(key).is_some_and(Item::is_table) =>
            {
                // The user wrote it as a table of its own: keep that shape.
                if let Some(table) = dst.get_mut(key).and_then(Item::as_table_mut) {
                    merge(table, &sub.clone().into_table());
                }
            }
            Item::Value(value) => {
                let fresh = value.clone().decorated("", "");
                match dst.get_mut(key).and_then(Item::as_value_mut) {
                    Some(old) => {
                        if old.clone().decorated("", "").to_string() != fresh.to_string() {
                            let decor = old.decor().clone();
                            *old = fresh;
                            *old.decor_mut() = decor;
                        }
                    }
                    None => {
                        dst.insert(key, Item::Value(fresh.decorated(" ", "")));
                        if let (Some(comment), Some(mut k)) = (key_comment(key), dst.key_mut(key)) {
                            k.leaf_decor_mut().set_prefix(format!("# {comment}\n"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The comment written above a key the first time it is stored.
fn key_comment(key: &str) -> Option<&'static str> {
    Some(match key {
        "bins" => "Binaries packaged as images; the first is the primary one.",
        "port" => "Port the binary listens on.",
        "runtime" => "Production base image: distroless, static or debian.",
        "registry" => "Images are pushed as <registry>/<bin>.",
        "services" => "Backing services run next to the app in development.",
        "features" => "Cargo features built into the images.",
        "no-default-features" => "Build without the default features.",
        "dockerfile-syntax" => "Whether the Dockerfile starts with `# syntax=docker/dockerfile:1`.",
        "ci" => "Whether to generate the CI workflow (.github/workflows/docker.yml).",
        "makefile" => "Whether to generate the Makefile.",
        "sign" => "Whether the CI workflow signs the images it pushes (cosign, keyless).",
        "runtime-files" => "Folders the app reads at run time, copied into the images under /app.",
        "s3-server" => "S3-compatible server in development: seaweedfs or rustfs.",
        "existing-files" => {
            "Files that were there before: adopt (compose files keep their names), replace or skip."
        }
        "prod-services" => {
            "Backing services in production: external (URLs in the prod profile) or bundled."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Runtime;

    const ODD: &str = r#"# top comment
[package]
name    = "shop"   # aligned
version = "0.1.0"
edition = "2024"

[dependencies]
serde = { version = "1", features = [ "derive" ] } # keep me

[package.metadata.other]
x = 1
"#;

    fn parse(text: &str) -> Manifest {
        Manifest::parse(Path::new("Cargo.toml"), text).unwrap()
    }

    #[test]
    fn writes_only_the_answers_table() {
        let m = parse(ODD);
        assert_eq!(m.table, AnswersTable::Package);
        let answers = Answers {
            port: Some(8080),
            runtime: Some(Runtime::Debian),
            ..Answers::default()
        }
        .with_bin_port("worker", 9000);
        let out = m.with_answers(&answers).unwrap();
        assert!(
            out.starts_with(ODD),
            "the original text is untouched:\n{out}"
        );
        let back = parse(&out).answers(Path::new("Cargo.toml")).unwrap();
        assert_eq!(back, answers);
    }

    #[test]
    fn no_answers_no_change() {
        assert!(parse(ODD).with_answers(&Answers::default()).is_none());
    }

    #[test]
    fn changing_a_value_keeps_its_comment() {
        let text =
            "[workspace]\nmembers = []\n\n[workspace.metadata.dockerize]\nport = 3000 # the api\n";
        let m = parse(text);
        let out = m
            .with_answers(&Answers {
                port: Some(4000),
                ..Answers::default()
            })
            .unwrap();
        assert_eq!(out, text.replace("3000", "4000"));
        let same = parse(&out).with_answers(&Answers {
            port: Some(4000),
            ..Answers::default()
        });
        assert!(same.is_none());
    }

    #[test]
    fn an_answer_back_to_detection_is_removed() {
        let text = "[package]\nname = \"x\"\n\n[package.metadata.dockerize]\n# Port.\nport = 3000\nruntime = \"debian\"\n\n[package.metadata.dockerize.bin.worker]\nport = 4000\n";
        let out = parse(text)
            .with_answers(&Answers {
                runtime: Some(Runtime::Debian),
                ..Answers::default()
            })
            .unwrap();
        assert_eq!(
            out,
            "[package]\nname = \"x\"\n\n[package.metadata.dockerize]\nruntime = \"debian\"\n"
        );
    }

    #[test]
    fn no_answer_left_removes_the_table() {
        let text = "[package]\nname = \"x\"\n\n# cargo-dockerize answers.\n[package.metadata.dockerize]\nport = 3000\n";
        let out = parse(text).with_answers(&Answers::default()).unwrap();
        assert_eq!(out, "[package]\nname = \"x\"\n");
    }

    #[test]
    fn existing_files_are_one_inline_table() {
        use crate::existing::Choice;
        let pairs = [
            ("docker-compose.yml", Choice::Adopt),
            ("Makefile", Choice::Skip),
        ];
        let mut answers = Answers::existing(&pairs);
        let out = parse(ODD).with_answers(&answers).unwrap();
        assert!(
            out.ends_with(
                "existing-files = { Makefile = \"skip\", \"docker-compose.yml\" = \"adopt\" }\n"
            ),
            "{out}"
        );
        assert_eq!(
            parse(&out).answers(Path::new("Cargo.toml")).unwrap(),
            answers
        );
        // Written by hand as a table of its own, it keeps that shape.
        let text = "[package]\nname = \"x\"\n\n[package.metadata.dockerize.existing-files]\nMakefile = \"skip\"\n";
        let m = parse(text);
        assert_eq!(
            m.answers(Path::new("Cargo.toml"))
                .unwrap()
                .existing_files
                .len(),
            1
        );
        answers.existing_files.remove("docker-compose.yml");
        assert!(m.with_answers(&answers).is_none());
        answers
            .existing_files
            .insert("Dockerfile".into(), Choice::Replace);
        let out = m.with_answers(&answers).unwrap();
        assert!(
            out.ends_with("Makefile = \"skip\"\nDockerfile = \"replace\"\n"),
            "{out}"
        );
    }

    #[test]
    fn unknown_keys_are_reported() {
        let m = parse("[workspace]\n[workspace.metadata.dockerize]\nprot = 1\n");
        let err = m.answers(Path::new("Cargo.toml")).unwrap_err();
        assert!(err.to_string().contains("prot"), "{err}");
    }
}
