//! The registry of generated file families: each one says which files it makes, where, with which mode, and when.

use std::collections::BTreeMap;

use crate::config::{Answers, Config, DeployTarget};

pub mod cargo_config;
pub mod ci_github;
pub mod compose;
pub mod dependabot;
pub mod dockerfile;
pub mod entrypoint;
pub mod gitattributes;
pub mod kubernetes;
pub mod lock;
pub mod makefile;
pub mod profiles;
pub mod readme;
pub mod secrets;
pub mod swarm;

/// Every family, in the order their files are listed.
pub static REGISTRY: Registry = Registry(&[
    dockerfile::FAMILY,
    compose::FAMILY,
    swarm::FAMILY,
    entrypoint::FAMILY,
    profiles::FAMILY,
    ci_github::FAMILY,
    dependabot::FAMILY,
    makefile::FAMILY,
    readme::FAMILY,
    kubernetes::FAMILY,
    gitattributes::FAMILY,
    cargo_config::FAMILY,
    lock::FAMILY,
]);

/// Files with one owner: the templates it renders and the files it makes from them.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// Its name, for messages and tests.
    pub name: &'static str,
    /// The templates it renders, named by their paths at the tool's own names (without `.j2`).
    pub templates: &'static [&'static str],
    /// Files it writes that no template renders (the lock, `.gitattributes`).
    pub written: &'static [&'static str],
    /// Whether the answers and the configuration want its files at all.
    pub wanted: fn(&Wants) -> bool,
    /// The files one of its templates makes for a configuration: one, or one per binary, ...
    pub files: fn(&str, &Config) -> Vec<Output>,
}

impl Family {
    /// A family rendering `templates`, each to one file at its own path, always wanted.
    pub const fn rendering(name: &'static str, templates: &'static [&'static str]) -> Family {
        Family {
            name,
            templates,
            written: &[],
            wanted: always,
            files: same_path,
        }
    }

    /// A family of files written from no template (the lock, `.gitattributes`), always wanted.
    pub const fn writing(name: &'static str, written: &'static [&'static str]) -> Family {
        Family {
            templates: &[],
            written,
            ..Family::rendering(name, &[])
        }
    }

    /// The same family, wanted only when `wanted` says so.
    pub const fn wanted_when(self, wanted: fn(&Wants) -> bool) -> Family {
        Family { wanted, ..self }
    }

    /// The same family, its templates making the files `files` says.
    pub const fn making(self, files: fn(&str, &Config) -> Vec<Output>) -> Family {
        Family { files, ..self }
    }
}

/// One file rendered from a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the workspace root (the CI workflow may climb out of it).
    pub path: String,
    pub executable: bool,
    /// Variables the template sees besides the configuration (e.g. the binary it is for).
    pub vars: BTreeMap<String, serde_json::Value>,
}

impl Output {
    /// A plain file at `path`.
    pub fn at(path: impl Into<String>) -> Self {
        Output {
            path: path.into(),
            executable: false,
            vars: BTreeMap::new(),
        }
    }

    /// The same file, executable.
    pub fn executable(self) -> Self {
        Output {
            executable: true,
            ..self
        }
    }
}

/// The template's one file at its own path: what most families make.
pub fn same_path(template: &str, _: &Config) -> Vec<Output> {
    vec![Output::at(template)]
}

/// The way from the workspace root up to the repository root (`../../`), where GitHub
/// reads the files under `.github/`.
pub fn up_to_repo_root(config: &Config) -> String {
    let depth = config
        .delivery
        .repo_dir
        .split('/')
        .filter(|p| !p.is_empty())
        .count();
    "../".repeat(depth)
}

/// Wanted always.
pub fn always(_: &Wants) -> bool {
    true
}

/// What decides whether a family is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wants {
    /// The `ci` answer.
    pub ci: bool,
    /// The `makefile` answer.
    pub makefile: bool,
    /// Whether there are cargo settings from above the workspace root to copy.
    pub cargo_home_config: bool,
    /// Whether the `deploy` answer names Docker Swarm.
    pub swarm: bool,
    /// Whether the `deploy` answer names Kubernetes.
    pub kubernetes: bool,
}

impl Wants {
    /// What a resolved configuration wants.
    pub fn of(config: &Config) -> Self {
        Wants {
            ci: config.delivery.ci,
            makefile: config.delivery.makefile,
            cargo_home_config: config.build.cargo_home_config.is_some(),
            swarm: config.delivery.deploy.contains(&DeployTarget::Swarm),
            kubernetes: config.delivery.deploy.contains(&DeployTarget::Kubernetes),
        }
    }

    /// What the answers want before the configuration is resolved; a file that depends on
    /// what the configuration holds counts as wanted.
    pub fn answered(answers: &Answers) -> Self {
        let deploy = answers.deploy();
        Wants {
            ci: answers.ci(),
            makefile: answers.makefile(),
            cargo_home_config: true,
            swarm: deploy.contains(&DeployTarget::Swarm),
            kubernetes: deploy.contains(&DeployTarget::Kubernetes),
        }
    }
}

/// A list of families.
#[derive(Debug, Clone, Copy)]
pub struct Registry(pub &'static [Family]);

impl Registry {
    /// The family that renders `template`.
    pub fn owner(&self, template: &str) -> Option<&'static Family> {
        self.0.iter().find(|f| f.templates.contains(&template))
    }

    /// Every template's path at the tool's own names, sorted: the files an `existing-files`
    /// answer can name.
    pub fn templates(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self
            .0
            .iter()
            .flat_map(|f| f.templates.iter().copied())
            .collect();
        out.sort_unstable();
        out
    }

    /// Whether `template` (a path at the tool's own names) is wanted by `wants`.
    pub fn wanted(&self, template: &str, wants: &Wants) -> bool {
        self.owner(template).is_none_or(|f| (f.wanted)(wants))
    }

    /// Whether a configuration renders `template`: its family is wanted and no `skip` answer
    /// leaves the file to the team.
    pub fn includes(&self, config: &Config, template: &str) -> bool {
        self.wanted(template, &Wants::of(config))
            && !config.delivery.skip.iter().any(|s| s == template)
    }

    /// The files `template` makes for a configuration (none when it is not included); a
    /// template no family owns makes its one file at its own path.
    pub fn outputs(&self, template: &str, config: &Config) -> Vec<Output> {
        if !self.includes(config, template) {
            return Vec::new();
        }
        match self.owner(template) {
            Some(family) => (family.files)(template, config),
            None => vec![Output::at(template)],
        }
    }

    /// Every file the families make for a configuration, in registry order: each family's
    /// rendered files at their output paths, then the files it writes besides them.
    pub fn paths(&self, config: &Config) -> Vec<String> {
        let wants = Wants::of(config);
        let mut out = Vec::new();
        for family in self.0.iter().filter(|f| (f.wanted)(&wants)) {
            for template in family.templates {
                out.extend(self.outputs(template, config).into_iter().map(|o| o.path));
            }
            out.extend(family.written.iter().map(|p| p.to_string()));
        }
        out
    }
}

/// Every template's path at the tool's own names, sorted (see [`Registry::templates`]).
pub fn templates() -> Vec<&'static str> {
    REGISTRY.templates()
}

/// Whether `template` (at the tool's own names) is wanted by `wants`.
pub fn wanted(template: &str, wants: &Wants) -> bool {
    REGISTRY.wanted(template, wants)
}

/// Whether a configuration renders `template` (see [`Registry::includes`]).
pub fn includes(config: &Config, template: &str) -> bool {
    REGISTRY.includes(config, template)
}

/// The files `template` makes for a configuration (see [`Registry::outputs`]).
pub fn outputs(template: &str, config: &Config) -> Vec<Output> {
    REGISTRY.outputs(template, config)
}

/// Every file the families make for a configuration, in registry order (the lock last): the
/// list tests compare the generated files with.
pub fn paths(config: &Config) -> Vec<String> {
    REGISTRY.paths(config)
}

#[cfg(test)]
mod tests;
