//! The Compose files: the base, the development override and the production override, under the tool's names or adopted ones.

use super::{Family, Output};
use crate::config::Config;

/// The base file, at the tool's name: what `docker compose` loads first.
pub const BASE: &str = "compose.yaml";
/// The development override, loaded by a plain `docker compose up`.
pub const DEV: &str = "compose.override.yaml";
/// The production override, named with `-f`.
pub const PROD: &str = "compose.prod.yaml";

/// The three compose files, under the names an `adopt` answer gives.
pub const FAMILY: Family = Family::rendering("compose", &[BASE, DEV, PROD]).making(files);

fn files(template: &str, config: &Config) -> Vec<Output> {
    vec![Output::at(
        config.delivery.compose_files.output_path(template),
    )]
}

/// Whether a configuration writes compose files (a kept compose file under another name, and
/// none adopted, leaves them out).
pub fn written(config: &Config) -> bool {
    super::includes(config, BASE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::existing::ComposeNames;

    #[test]
    fn the_templates_are_the_tools_own_names() {
        assert_eq!(FAMILY.templates, ComposeNames::default().all());
    }
}
