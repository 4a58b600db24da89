//! Answers as layers that remember their source: built-in defaults < preset < Cargo.toml < flags.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use toml_edit::{Item, TableLike, Value};

use super::{Answers, DeployTarget, Platform, ProdServices, Runtime};
use crate::catalog::S3Server;
use crate::error::Error;

/// The built-in defaults of the answers detection does not decide: the one place each is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defaults {
    pub runtime: Runtime,
    pub no_default_features: bool,
    pub dockerfile_syntax: bool,
    pub ci: bool,
    pub makefile: bool,
    pub sign: bool,
    pub pin_digests: bool,
    pub prod_services: ProdServices,
    pub s3_server: S3Server,
    pub deploy: &'static [DeployTarget],
    pub platforms: &'static [Platform],
}

/// The built-in defaults.
pub const DEFAULTS: Defaults = Defaults {
    runtime: Runtime::Distroless,
    no_default_features: false,
    dockerfile_syntax: true,
    ci: true,
    makefile: true,
    sign: false,
    pin_digests: false,
    prod_services: ProdServices::External,
    s3_server: S3Server::Seaweedfs,
    deploy: &[DeployTarget::Compose],
    platforms: &[Platform::Amd64],
};

/// Each defaulted answer named once: its value in the bottom layer (`Defaults::answers`) and,
/// with the type [`Answers`] hands it out as, the accessor that falls back to that value.
/// `bottom_only` answers get no accessor: detection decides them when no layer above answers.
macro_rules! defaulted {
    (bottom_only: $($only:ident),*; $($name:ident: $ty:ty),* $(,)?) => {
        impl Defaults {
            /// The defaults as answers: the bottom layer.
            pub fn answers(&self) -> Answers {
                Answers {
                    $($only: Some(self.$only),)*
                    $($name: Some(self.$name.into()),)*
                    ..Answers::default()
                }
            }
        }

        impl Answers {
            $(
                #[doc = concat!("The `", stringify!($name), "` answer, else its built-in default.")]
                pub fn $name(&self) -> $ty {
                    self.$name.clone().unwrap_or_else(|| DEFAULTS.$name.into())
                }
            )*
        }
    };
}

defaulted!(
    bottom_only: runtime;
    no_default_features: bool,
    dockerfile_syntax: bool,
    ci: bool,
    makefile: bool,
    sign: bool,
    pin_digests: bool,
    prod_services: ProdServices,
    s3_server: S3Server,
    deploy: Vec<DeployTarget>,
    platforms: Vec<Platform>,
);

/// Where an answer's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Built into cargo-dockerize ([`DEFAULTS`]).
    Default,
    /// Found in the workspace (what an unanswered key resolves to; not a layer of answers).
    Detected,
    /// Recorded in docker/dockerize.lock by the last render (the Rust version).
    Locked,
    /// A team preset, by its source: the layer above the defaults and below Cargo.toml.
    Preset(String),
    /// The answers table of a Cargo.toml.
    Stored { path: PathBuf, table: String },
    /// A command-line flag, e.g. `--port`.
    Flag(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::Detected => f.write_str("detected"),
            Source::Locked => f.write_str("docker/dockerize.lock"),
            Source::Preset(name) => write!(f, "preset {name}"),
            Source::Stored { path, table } => {
                let file = path.file_name().unwrap_or(path.as_os_str());
                write!(f, "{} [{table}]", file.to_string_lossy())
            }
            Source::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}

impl Source {
    /// The error for a value from here the workspace cannot take: a usage error naming the
    /// flag, or an answers error naming the table; `None` for values no one answered.
    fn refuse(&self, message: String) -> Option<Error> {
        match self {
            Source::Flag(flag) => Some(Error::Usage(format!("{flag}: {message}"))),
            Source::Stored { path, table } => Some(Error::Answers {
                path: path.clone(),
                table: table.clone(),
                message,
            }),
            Source::Preset(preset) => Some(Error::Preset {
                preset: preset.clone(),
                message: format!("[answers] {message}"),
            }),
            Source::Default | Source::Detected | Source::Locked => None,
        }
    }
}

/// An answer the workspace cannot take: its key as in Cargo.toml (`bins`, `bin.api.port`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub key: String,
    pub message: String,
}

impl Refusal {
    /// A refusal of `key`.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Refusal {
            key: key.into(),
            message: message.into(),
        }
    }
}

/// One layer of answers, each key (tables included) with its source.
#[derive(Debug, Clone)]
pub struct Layer {
    answers: Answers,
    sources: BTreeMap<String, Source>,
    /// Each value's key and its text as TOML, in the order of the answers' fields.
    values: Vec<(String, String)>,
}

impl Layer {
    /// `answers`, each key's source given by `source` (one for a table, one per flag).
    pub fn new(answers: Answers, source: impl Fn(&str) -> Source) -> Self {
        let mut sources = BTreeMap::new();
        let mut values = Vec::new();
        let doc = toml_edit::ser::to_document(&answers).expect("answers always serialize");
        flatten("", doc.as_table(), &mut |key, value| {
            sources.insert(key.to_string(), source(key));
            if let Some(value) = value {
                values.push((key.to_string(), value));
            }
        });
        Layer {
            answers,
            sources,
            values,
        }
    }

    /// The built-in defaults.
    pub fn defaults() -> Self {
        Layer::new(DEFAULTS.answers(), |_| Source::Default)
    }

    /// A layer with no answers.
    pub fn empty() -> Self {
        Layer::new(Answers::default(), |_| Source::Default)
    }

    /// The text of the value under `key`, if this layer gives one.
    fn value(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The answers of this layer.
    pub fn answers(&self) -> &Answers {
        &self.answers
    }

    /// The values under `key` (itself, or the keys of its table), as text.
    fn values_under(&self, key: &str) -> Vec<&(String, String)> {
        let table = format!("{key}.");
        (self.values.iter())
            .filter(|(k, _)| k == key || k.starts_with(&table))
            .collect()
    }
}

/// The dotted key of a binary's answers, e.g. `bin.api` (quoted where TOML needs it).
pub fn bin_key(bin: &str) -> String {
    format!("bin.{}", toml_edit::Key::new(bin).display_repr())
}

/// Calls `each` with every key under `table` (dotted, quoted where TOML needs it), with the
/// value's text for values and `None` for tables.
fn flatten(prefix: &str, table: &dyn TableLike, each: &mut dyn FnMut(&str, Option<String>)) {
    for (name, item) in table.iter() {
        let name = toml_edit::Key::new(name).display_repr().into_owned();
        let key = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}.{name}")
        };
        match item {
            Item::Table(sub) => {
                each(&key, None);
                flatten(&key, sub, each);
            }
            Item::Value(Value::InlineTable(sub)) => {
                each(&key, None);
                flatten(&key, sub, each);
            }
            Item::Value(value) => {
                let mut value = value.clone();
                value.decor_mut().clear();
                each(&key, Some(value.to_string()));
            }
            _ => {}
        }
    }
}

/// The layers of answers, lowest first: built-in defaults, (a preset), Cargo.toml, flags.
#[derive(Debug, Clone)]
pub struct Layers {
    defaults: Layer,
    /// A team preset's answers: above the defaults, below what the repository stores.
    preset: Option<Layer>,
    stored: Layer,
    /// The stored answers' table, blamed for refused values no layer gave.
    table: Source,
    flags: Layer,
}

impl Layers {
    /// The defaults under the answers stored in the `table` of the manifest at `path`, under
    /// the flags.
    pub fn new(stored: Answers, path: PathBuf, table: &str, flags: Layer) -> Self {
        let table = Source::Stored {
            path,
            table: table.into(),
        };
        Layers {
            defaults: Layer::defaults(),
            preset: None,
            stored: Layer::new(stored, |_| table.clone()),
            table,
            flags,
        }
    }

    /// These layers with a preset's `answers` above the defaults, named by `label` (`acme 1.0.0`).
    pub fn with_preset(mut self, answers: Answers, label: &str) -> Self {
        self.preset = Some(Layer::new(answers, |_| Source::Preset(label.to_string())));
        self
    }

    /// The preset's answers (none without a preset).
    pub fn preset(&self) -> Answers {
        (self.preset.as_ref()).map_or_else(Answers::default, |p| p.answers.clone())
    }

    /// Refuses a flag (a usage error) or a stored answer that gives an enforced key of the
    /// preset another value, naming the preset and the key.
    pub fn enforce(&self, keys: &[String]) -> Result<(), Error> {
        let Some(preset) = &self.preset else {
            return Ok(());
        };
        for layer in [&self.flags, &self.stored] {
            for key in keys {
                let given = layer.values_under(key);
                let wanted = preset.values_under(key);
                if given.is_empty() || given == wanted {
                    continue;
                }
                let source = &layer.sources[&given[0].0];
                let value = |v: &[&(String, String)]| {
                    v.iter()
                        .map(|(k, v)| format!("{k} = {v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let message = format!(
                    "{key} is enforced by {}: {} (not {})",
                    preset.sources[key],
                    value(&wanted),
                    value(&given)
                );
                return Err(source.refuse(message).expect("a flag or a table refuses"));
            }
        }
        Ok(())
    }

    /// Every layer, lowest first.
    fn each(&self) -> impl Iterator<Item = &Layer> {
        std::iter::once(&self.defaults)
            .chain(&self.preset)
            .chain([&self.stored, &self.flags])
    }

    /// The answers stored in Cargo.toml.
    pub fn stored(&self) -> &Answers {
        self.stored.answers()
    }

    /// The answers given as flags.
    pub fn flags(&self) -> &Answers {
        self.flags.answers()
    }

    /// The stored answers with the flags over them: what the repository keeps (defaults and
    /// preset stay out of Cargo.toml).
    pub fn answered(&self) -> Answers {
        self.stored().clone().overlay(self.flags().clone())
    }

    /// Where the value of `key` comes from: the highest layer that sets it.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.each().filter_map(|l| l.sources.get(key)).last()
    }

    /// The error for a refused value, naming the layer it came from (a flag, a Cargo.toml key);
    /// a value no layer gave (detected) is reported against the stored answers' table.
    pub fn refuse(&self, refusal: Refusal) -> Error {
        let Refusal { key, message } = refusal;
        match self.source(&key).and_then(|s| s.refuse(message.clone())) {
            Some(err) => err,
            None => self
                .table
                .refuse(message)
                .expect("a table's source refuses"),
        }
    }

    /// Each value's key, its text as TOML and its source, in the order Cargo.toml keeps
    /// them, with `detected` (what detection resolves unanswered keys to) just above the defaults.
    pub fn values_over(&self, detected: &Layer) -> Vec<(String, String, Source)> {
        let layers: Vec<&Layer> = std::iter::once(&self.defaults)
            .chain([detected])
            .chain(&self.preset)
            .chain([&self.stored, &self.flags])
            .collect();
        let folded = layers.iter().fold(Answers::default(), |low, high| {
            low.overlay(high.answers.clone())
        });
        let mut out = Vec::new();
        for (key, _) in Layer::new(folded, |_| Source::Default).values {
            let top = layers
                .iter()
                .rev()
                .find_map(|l| Some((l.value(&key)?, &l.sources[&key])));
            if let Some((value, source)) = top {
                out.push((key.clone(), value.to_string(), source.clone()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers(stored: Answers, flags: Answers) -> Layers {
        let flags = Layer::new(flags, |key| Source::Flag(format!("--{key}")));
        Layers::new(
            stored,
            "Cargo.toml".into(),
            "workspace.metadata.dockerize",
            flags,
        )
    }

    #[test]
    fn the_highest_layer_setting_a_key_is_its_source() {
        let stored = Answers {
            registry: Some("ghcr.io/acme".into()),
            port: Some(3000),
            ..Answers::default()
        };
        let flags = Answers {
            port: Some(8080),
            ..Answers::default()
        };
        let layers = layers(stored, flags);
        assert_eq!(layers.source("port"), Some(&Source::Flag("--port".into())));
        assert!(matches!(
            layers.source("registry"),
            Some(Source::Stored { table, .. }) if table == "workspace.metadata.dockerize"
        ));
        assert_eq!(layers.source("ci"), Some(&Source::Default));
        assert_eq!(layers.source("bins"), None);
        assert_eq!(layers.answered().port, Some(8080));
        assert_eq!(layers.answered().ci, None, "defaults are not stored");
    }

    #[test]
    fn a_refusal_names_the_flag_or_the_table() {
        let mut stored = Answers::default();
        stored.bin.entry("api".into()).or_default().port = Some(9000);
        let flags = Answers {
            bins: Some(vec!["nope".into()]),
            ..Answers::default()
        };
        let layers = layers(stored, flags);
        let err = layers.refuse(Refusal::new("bins", "no binary named `nope`"));
        assert!(matches!(&err, Error::Usage(m) if m == "--bins: no binary named `nope`"));
        assert_eq!(err.exit_code(), 2);
        for key in [bin_key("api"), "bin.api.port".into(), "services".into()] {
            let err = layers.refuse(Refusal::new(key.as_str(), "bad"));
            assert!(
                matches!(&err, Error::Answers { table, .. } if table == "workspace.metadata.dockerize"),
                "{key}: {err}"
            );
            assert_eq!(err.exit_code(), 1);
        }
    }

    #[test]
    fn values_keep_the_answers_order_with_their_sources() {
        let flags = Answers {
            ci: Some(false),
            ..Answers::default()
        };
        let detected = Layer::new(
            Answers {
                bins: Some(vec!["api".into()]),
                ..Answers::default()
            },
            |_| Source::Detected,
        );
        let values = layers(Answers::default(), flags).values_over(&detected);
        assert_eq!(
            values[0],
            ("bins".into(), "[\"api\"]".into(), Source::Detected)
        );
        let ci = values.iter().find(|(k, ..)| k == "ci").unwrap();
        assert_eq!(
            ci,
            &("ci".into(), "false".into(), Source::Flag("--ci".into()))
        );
        assert!(
            values
                .iter()
                .any(|v| v == &("makefile".into(), "true".into(), Source::Default))
        );
    }

    #[test]
    fn sources_read_as_the_user_knows_them() {
        let stored = Source::Stored {
            path: "/w/app/Cargo.toml".into(),
            table: "package.metadata.dockerize".into(),
        };
        assert_eq!(
            stored.to_string(),
            "Cargo.toml [package.metadata.dockerize]"
        );
        assert_eq!(Source::Flag("--port".into()).to_string(), "flag --port");
        assert_eq!(Source::Default.to_string(), "default");
        assert_eq!(bin_key("api"), "bin.api");
    }
}
