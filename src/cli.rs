//! Command-line definitions (clap); usable as `cargo dockerize` and `cargo-dockerize`.

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// Containerize a Rust workspace: Dockerfile, Compose, env profiles and CI, kept current.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-dockerize",
    bin_name = "cargo dockerize",
    version,
    after_help = MAIN_EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes: colour and verbosity.
#[derive(Debug, Args, Default, Clone)]
pub struct GlobalArgs {
    /// When to colour the output; `auto`: on a terminal, unless NO_COLOR is set.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorArg::Auto,
        global = true,
        help_heading = GLOBAL
    )]
    pub color: ColorArg,
    /// Print errors only.
    #[arg(
        long,
        short = 'q',
        global = true,
        conflicts_with = "verbose",
        help_heading = GLOBAL
    )]
    pub quiet: bool,
    /// Also print what runs and how long it takes (e.g. `cargo metadata`).
    #[arg(long, short = 'v', global = true, help_heading = GLOBAL)]
    pub verbose: bool,
}

/// The help heading of [`GlobalArgs`].
const GLOBAL: &str = "Global options";

/// `--color` values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    #[default]
    Auto,
    Always,
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect the workspace and generate the container files.
    #[command(after_help = INIT_EXAMPLES)]
    Init(Box<InitArgs>),
    /// Re-render with the current templates and detection, keeping the team's edits (3-way merge).
    #[command(after_help = UPDATE_EXAMPLES)]
    Update(UpdateArgs),
    /// Exit 1 when the generated files are due for an update (no git history needed).
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Print each answer's value and where it came from (flag, Cargo.toml, default or
    /// detection); writes nothing.
    #[command(after_help = ANSWERS_EXAMPLES)]
    Answers(Box<AnswersArgs>),
    /// Print a shell completion script to stdout.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

/// The branch the generated files are committed on unless `--branch` says otherwise.
pub const DEFAULT_BRANCH: &str = "dockerize";

const MAIN_EXAMPLES: &str = "\
Examples:
  cargo dockerize init                 answer a few questions, commit the files on branch `dockerize`
  cargo dockerize update               refresh the files after a dependency or template change
  cargo dockerize check                in CI: fail when an update is due
  cargo dockerize completions bash     shell completions";

const INIT_EXAMPLES: &str = "\
Examples:
  cargo dockerize init                         ask about what was detected, then commit on branch `dockerize`
  cargo dockerize init --yes                   commit the files on branch `dockerize` for review
  cargo dockerize init --yes --merge           ... and merge that branch into the current one
  cargo dockerize init --yes --no-git          accept every detected default, write into the workspace
  cargo dockerize init --dry-run --yes         show what would be written
  cargo dockerize init --yes --no-git --bin api --port 8080 --runtime debian
  cargo dockerize init --yes --existing docker-compose.yml=adopt --existing Makefile=skip";

const UPDATE_EXAMPLES: &str = "\
Examples:
  cargo dockerize update             commit the merged files on branch `dockerize` for review
  cargo dockerize update --merge     ... and merge that branch into the current one
  cargo dockerize update --no-git    merge into the files in the workspace
  cargo dockerize update --dry-run   show what would change, as a diff";

const CHECK_EXAMPLES: &str = "\
Examples:
  cargo dockerize check                              exit 1 and name what changed when an update is due
  cargo dockerize check --manifest-path api/Cargo.toml";

const ANSWERS_EXAMPLES: &str = "\
Examples:
  cargo dockerize answers                      what `update` would render from, and where each value comes from
  cargo dockerize answers --port 8080          ... with the flags `init` would take";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  cargo dockerize completions bash > ~/.local/share/bash-completion/completions/cargo-dockerize
  cargo dockerize completions zsh > ~/.zfunc/_cargo-dockerize
  cargo dockerize completions fish > ~/.config/fish/completions/cargo-dockerize.fish";

/// Options of `init`.
#[derive(Debug, Args, Default)]
pub struct InitArgs {
    /// Accept the detected defaults without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub answers: AnswerFlags,
    /// What to do with a file that exists and was not generated by cargo-dockerize (repeat
    /// for several): `adopt` (a docker-compose.yml, docker-compose.yaml or compose.yml: the
    /// compose files take its names), `replace` or `skip` (keep it, do not write ours).
    #[arg(long = "existing", value_name = "FILE=adopt|replace|skip")]
    pub existing: Vec<String>,
    /// Replace every file that exists and was not generated by cargo-dockerize (unless
    /// --existing or a stored answer says otherwise), and generated files edited since.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The flags that give answers, shared by `init` and `answers`.
#[derive(Debug, Args, Default)]
pub struct AnswerFlags {
    /// A binary to package (repeat for several); the first is the primary one.
    #[arg(long = "bin", value_name = "NAME")]
    pub bins: Vec<String>,
    /// The port of the primary binary (`N`) or of another one (`BIN=N`).
    #[arg(long = "port", value_name = "[BIN=]N")]
    pub ports: Vec<String>,
    /// How a binary runs (repeat for several): `server` (publishes its port), `worker`
    /// (long-running, no port), `tool` (a command that exits: `docker compose run --rm`) or
    /// `job` (one-shot, e.g. migrations); detected from the code when not given.
    #[arg(long = "role", value_name = "BIN=ROLE")]
    pub roles: Vec<String>,
    /// The production runtime image.
    #[arg(long, value_enum)]
    pub runtime: Option<RuntimeArg>,
    /// The Rust version of the images when no rust-toolchain.toml pins one (default: your
    /// rustc's, recorded so that another rustc is no drift).
    #[arg(long, value_name = "VERSION")]
    pub rust_version: Option<String>,
    /// Where images are pushed, e.g. `ghcr.io/acme`; images are `<registry>/<prefix>-<bin>`.
    #[arg(long, value_name = "REF")]
    pub registry: Option<String>,
    /// What image names start with (default: the project's name, so repositories sharing a
    /// registry do not collide); `none` for `<registry>/<bin>`.
    #[arg(long, value_name = "NAME")]
    pub image_prefix: Option<String>,
    /// Backing services, comma-separated (`postgres,redis`), replacing the detected set; `none` for none.
    #[arg(long, value_name = "LIST")]
    pub services: Option<String>,
    /// Where backing services run in production: `external` (URLs in the prod profile) or
    /// `bundled` (hardened copies in compose.prod.yaml).
    #[arg(long, value_enum, value_name = "WHERE")]
    pub prod_services: Option<ProdServicesArg>,
    /// The S3-compatible server run in development when the code uses S3.
    #[arg(long, value_enum, value_name = "SERVER")]
    pub s3_server: Option<S3ServerArg>,
    /// Folders the binaries read at run time, copied into the production images
    /// (comma-separated, relative to the workspace root); `none` for none.
    #[arg(long, value_name = "LIST")]
    pub runtime_files: Option<String>,
    /// Cargo features to build with, comma-separated.
    #[arg(long, value_name = "LIST")]
    pub features: Option<String>,
    /// Build without the default features.
    #[arg(long)]
    pub no_default_features: bool,
    /// Leave out the `# syntax=docker/dockerfile:1` line (for builders that cannot pull the frontend image).
    #[arg(long)]
    pub no_dockerfile_syntax: bool,
    /// Leave out the GitHub Actions workflow (`.github/workflows/docker.yml`).
    #[arg(long)]
    pub no_ci: bool,
    /// Leave out the Makefile.
    #[arg(long)]
    pub no_makefile: bool,
    /// Sign the images the CI workflow pushes (cosign, keyless: GitHub's OIDC identity).
    #[arg(long)]
    pub sign: bool,
    /// Where production runs, comma-separated: compose (one host), swarm, kubernetes. The
    /// Compose files are made in every case: development runs on them.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub deploy: Vec<crate::config::DeployTarget>,
    /// The CPU platforms of the production images, comma-separated: linux/amd64,
    /// linux/arm64. The builder cross-compiles for each on the build machine's platform.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub platforms: Vec<crate::config::Platform>,
    /// A team preset: a folder holding preset.toml (relative to the workspace root) or a git
    /// URL with an optional `#ref`; its answers sit under yours, its templates over the
    /// built-in ones. Default for a new init: $CARGO_DOCKERIZE_PRESET or the first line of
    /// $CARGO_HOME/dockerize/preset.
    #[arg(long, value_name = "SOURCE")]
    pub preset: Option<String>,
}

/// Options of `answers`.
#[derive(Debug, Args, Default)]
pub struct AnswersArgs {
    #[command(flatten)]
    pub answers: AnswerFlags,
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

/// Options of `update`.
#[derive(Debug, Args, Default)]
pub struct UpdateArgs {
    /// Accepted for symmetry with `init`: `update` asks nothing (answers live in Cargo.toml).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Move the images to this Rust version (stored as the `rust-version` answer); without
    /// it, the recorded version stays whatever rustc this machine has.
    #[arg(long, value_name = "VERSION")]
    pub rust_version: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where the output goes; shared by `init` and `update`.
#[derive(Debug, Args, Default)]
pub struct OutputArgs {
    /// The branch the files are committed on (replacing its previous commit by cargo-dockerize).
    #[arg(long, value_name = "NAME", conflicts_with = "no_git")]
    pub branch: Option<String>,
    /// Merge the branch into the current one (fast-forward when possible); only generated files are touched.
    #[arg(long, conflicts_with = "no_git")]
    pub merge: bool,
    /// Write the files into the workspace instead of committing them to a branch.
    #[arg(long)]
    pub no_git: bool,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

impl OutputArgs {
    /// The branch name (`--branch`, else `dockerize`).
    pub fn branch(&self) -> &str {
        self.branch.as_deref().unwrap_or(DEFAULT_BRANCH)
    }
}

/// Options of `check`.
#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

/// Options of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `--prod-services` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProdServicesArg {
    /// Managed elsewhere: their URLs go in docker/env/prod.env.sh.
    External,
    /// Hardened copies in compose.prod.yaml, on the app's host.
    Bundled,
}

/// `--s3-server` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum S3ServerArg {
    /// SeaweedFS `weed mini`: one process that creates the bucket itself (Apache-2.0).
    Seaweedfs,
    /// RustFS, MinIO-compatible; a one-shot aws-cli job creates the bucket.
    Rustfs,
}

/// `--runtime` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RuntimeArg {
    /// gcr.io/distroless/cc: glibc, libgcc, libssl; no shell (default).
    Distroless,
    /// gcr.io/distroless/static with a musl binary: smallest, no libc.
    Static,
    /// debian slim: for runtime libraries distroless lacks.
    Debian,
}

/// Parses the process arguments; cargo passes `dockerize` as the first argument.
pub fn parse() -> Cli {
    parse_from(std::env::args_os())
}

/// Parses the given arguments (the program name first); `--help` and usage errors follow
/// `--color` and NO_COLOR too.
pub fn parse_from(args: impl IntoIterator<Item = std::ffi::OsString>) -> Cli {
    let mut args: Vec<std::ffi::OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "dockerize") {
        args.remove(1);
    }
    let matches = Cli::command()
        .color(help_color(&args))
        .get_matches_from(args);
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// clap's own colour setting, read before parsing: the last `--color`, else NO_COLOR.
fn help_color(args: &[std::ffi::OsString]) -> clap::ColorChoice {
    let mut choice = None;
    let mut iter = args.iter().filter_map(|a| a.to_str());
    while let Some(arg) = iter.next() {
        let value = match arg.strip_prefix("--color") {
            Some("") => iter.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        choice = match value {
            Some("always") => Some(clap::ColorChoice::Always),
            Some("never") => Some(clap::ColorChoice::Never),
            Some(_) => Some(clap::ColorChoice::Auto),
            None => choice,
        };
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    choice.unwrap_or(if no_color {
        clap::ColorChoice::Never
    } else {
        clap::ColorChoice::Auto
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
