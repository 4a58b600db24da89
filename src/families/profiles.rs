//! The environment profiles under `docker/env/`: the committed development one, the production example and the `.gitignore` that keeps real secrets out.

use super::{Family, Output};
use crate::config::Config;

/// The development profile, committed with values that work against the dev services.
pub const DEV: &str = "docker/env/dev.env.sh";
/// The production profile's committed example.
pub const PROD_EXAMPLE: &str = "docker/env/prod.env.sh.example";
/// Keeps the real profiles out of git.
pub const GITIGNORE: &str = "docker/env/.gitignore";

/// The profiles, always written; the `.sh` one executable.
pub const FAMILY: Family =
    Family::rendering("profiles", &[DEV, PROD_EXAMPLE, GITIGNORE]).making(files);

fn files(template: &str, _: &Config) -> Vec<Output> {
    let file = Output::at(template);
    vec![if template == DEV {
        file.executable()
    } else {
        file
    }]
}
