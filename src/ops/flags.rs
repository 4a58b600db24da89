//! The answers given as flags: parsed into the top layer of answers, each naming its flag.

use crate::catalog::S3Server;
use crate::cli::{AnswerFlags, ProdServicesArg, RuntimeArg, S3ServerArg};
use crate::config::{Answers, Layer, ProdServices, Runtime, Source};
use crate::detect::Role;
use crate::error::{Error, Result};
use crate::existing::Choice;

/// The flags' layer of answers; `existing` holds `init`'s `--existing FILE=CHOICE` values.
pub fn layer(args: &AnswerFlags, existing: &[String]) -> Result<Layer> {
    Ok(layer_of(answers(args, existing)?))
}

/// `answers` as given by flags.
pub fn layer_of(answers: Answers) -> Layer {
    Layer::new(answers, |key| Source::Flag(flag_for(key).into()))
}

/// The flag that gives the answer stored under `key` (`bins`, `bin.api.port`, ...).
fn flag_for(key: &str) -> &'static str {
    let parts: Vec<&str> = key.split('.').collect();
    match parts[..] {
        ["bins"] => "--bin",
        ["port"] | ["bin", _, "port"] => "--port",
        ["bin", _, "role"] => "--role",
        ["bin", ..] => "--port/--role",
        ["runtime"] => "--runtime",
        ["rust-version"] => "--rust-version",
        ["registry"] => "--registry",
        ["image-prefix"] => "--image-prefix",
        ["services"] => "--services",
        ["prod-services"] => "--prod-services",
        ["s3-server"] => "--s3-server",
        ["runtime-files"] => "--runtime-files",
        ["features"] => "--features",
        ["no-default-features"] => "--no-default-features",
        ["dockerfile-syntax"] => "--no-dockerfile-syntax",
        ["ci"] => "--no-ci",
        ["makefile"] => "--no-makefile",
        ["sign"] => "--sign",
        ["pin-digests"] => "--pin-digests",
        ["deploy"] => "--deploy",
        ["platforms"] => "--platforms",
        ["preset"] => "--preset",
        ["existing-files", ..] => "--existing",
        _ => "a flag",
    }
}

/// A list flag's values, sorted and each once; `None` when the flag was not given.
fn distinct<T: Ord + Clone>(values: &[T]) -> Option<Vec<T>> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    (!values.is_empty()).then_some(values)
}

/// The answers given as flags.
fn answers(args: &AnswerFlags, existing: &[String]) -> Result<Answers> {
    let mut answers = Answers::default();
    if !args.bins.is_empty() {
        answers.bins = Some(args.bins.clone());
    }
    for spec in &args.ports {
        let (bin, port) = match spec.split_once('=') {
            Some((bin, port)) => (Some(bin.trim()), port),
            None => (None, spec.as_str()),
        };
        let port: u16 = port.trim().parse().ok().filter(|p| *p > 0).ok_or_else(|| {
            Error::Usage(format!(
                "--port {spec}: expected N or BIN=N with N from 1 to 65535"
            ))
        })?;
        match bin {
            Some(bin) => answers.bin.entry(bin.to_string()).or_default().port = Some(port),
            None => answers.port = Some(port),
        }
    }
    for spec in &args.roles {
        let usage = |why: String| Error::Usage(format!("--role {spec}: {why}"));
        let (bin, role) = spec
            .split_once('=')
            .ok_or_else(|| usage("expected BIN=ROLE".into()))?;
        let role = Role::parse(role.trim()).ok_or_else(|| {
            usage(format!(
                "`{}` is not a role: {}",
                role.trim(),
                Role::ALL.map(Role::name).join(", ")
            ))
        })?;
        answers.bin.entry(bin.trim().to_string()).or_default().role = Some(role);
    }
    answers.runtime = args.runtime.map(|r| match r {
        RuntimeArg::Distroless => Runtime::Distroless,
        RuntimeArg::Static => Runtime::Static,
        RuntimeArg::Debian => Runtime::Debian,
    });
    answers.rust_version = args.rust_version.clone();
    answers.registry = args.registry.clone();
    answers.image_prefix = args.image_prefix.as_deref().map(|p| {
        if p.trim() == "none" {
            String::new()
        } else {
            p.trim().to_string()
        }
    });
    answers.services = args.services.as_deref().map(list_or_none);
    answers.features = args.features.as_deref().map(split_list);
    answers.runtime_files = args.runtime_files.as_deref().map(list_or_none);
    let no = |flag: bool| flag.then_some(false);
    if args.no_default_features {
        answers.no_default_features = Some(true);
    }
    answers.dockerfile_syntax = no(args.no_dockerfile_syntax);
    answers.ci = no(args.no_ci);
    answers.makefile = no(args.no_makefile);
    if args.sign {
        answers.sign = Some(true);
    }
    if args.pin_digests {
        answers.pin_digests = Some(true);
    }
    answers.deploy = distinct(&args.deploy);
    answers.platforms = distinct(&args.platforms);
    answers.prod_services = args.prod_services.map(|p| match p {
        ProdServicesArg::External => ProdServices::External,
        ProdServicesArg::Bundled => ProdServices::Bundled,
    });
    answers.s3_server = args.s3_server.map(|s| match s {
        S3ServerArg::Seaweedfs => S3Server::Seaweedfs,
        S3ServerArg::Rustfs => S3Server::Rustfs,
    });
    answers.preset = args.preset.clone();
    for spec in existing {
        let usage = |why: String| Error::Usage(format!("--existing {spec}: {why}"));
        let (file, choice) = spec
            .split_once('=')
            .ok_or_else(|| usage("expected FILE=adopt, FILE=replace or FILE=skip".into()))?;
        let file = file.trim();
        let choice = Choice::parse(choice).ok_or_else(|| {
            usage(format!(
                "`{}` is not a choice: adopt, replace or skip",
                choice.trim()
            ))
        })?;
        crate::existing::check(file, choice).map_err(usage)?;
        answers.existing_files.insert(file.to_string(), choice);
    }
    Ok(answers)
}

/// A comma-separated list, or `none` for an empty one.
fn list_or_none(s: &str) -> Vec<String> {
    if s.trim() == "none" {
        Vec::new()
    } else {
        split_list(s)
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_names_the_flag_that_gives_it() {
        let args = AnswerFlags {
            bins: vec!["api".into()],
            ports: vec!["8080".into(), "worker=9000".into()],
            roles: vec!["cli=tool".into()],
            no_ci: true,
            ..AnswerFlags::default()
        };
        let layer = layer(&args, &["Makefile=skip".into()]).unwrap();
        let layers =
            crate::config::Layers::new(Answers::default(), "Cargo.toml".into(), "t", layer);
        for (key, flag) in [
            ("bins", "--bin"),
            ("port", "--port"),
            ("bin.worker.port", "--port"),
            ("bin.cli.role", "--role"),
            ("bin.cli", "--port/--role"),
            ("ci", "--no-ci"),
            ("existing-files.Makefile", "--existing"),
        ] {
            assert_eq!(
                layers.source(key),
                Some(&Source::Flag(flag.into())),
                "{key}"
            );
        }
    }
}
