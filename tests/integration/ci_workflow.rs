//! The generated CI workflow on real infrastructure: the tool version it installs, a cache
//! scope per Dockerfile target, one build per pushed image, the tag scheme it shares with
//! the Makefile and README, the repository's default branch, smoke tests by binary role,
//! tests against the development services, per-job permissions, signing; the crate's package.
//! End-to-end (`DOCKERIZE_E2E=1`): actionlint, the workflow and Dependabot schemas, and the
//! smoke script run against containers of each role.

use cargo_dockerize::config::Config;
use cargo_dockerize::detect::Role;
use cargo_dockerize::lock::Lock;
use cargo_dockerize::render::{self, TOOL_VERSION};

use crate::support::{Fixture, commit_all, output_of};

const WORKFLOW: &str = ".github/workflows/docker.yml";

/// A fixture after `init --yes --no-git <args>`.
fn init(name: &str, args: &[&str]) -> Fixture {
    let fx = Fixture::new(name);
    let mut all = vec!["init", "--yes", "--no-git"];
    all.extend_from_slice(args);
    fx.cmd(&all).assert().success();
    fx
}

/// The configuration the fixture's lock records.
fn locked_config(fx: &Fixture) -> Config {
    Lock::read(fx.path()).unwrap().expect("a lock").config()
}

/// `config` with one binary per role: the first binary as the server, then copies of it
/// named after the other roles.
fn with_every_role(mut config: Config) -> Config {
    let first = config.bins[0].clone();
    config.bins = Role::ALL
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let mut bin = first.clone();
            if i > 0 {
                bin.name = role.name().into();
                bin.target = format!("production-{}", role.name());
                bin.port = first.port + i as u16;
            }
            bin.role = *role;
            // What detection will set: the variables the server reads.
            if *role == Role::Server {
                bin.env = [
                    ("HOST", "0.0.0.0".to_string()),
                    ("PORT", bin.port.to_string()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            } else {
                bin.env.clear();
            }
            bin
        })
        .collect();
    config
}

/// The workflow rendered from a configuration.
fn render_workflow(config: &Config) -> String {
    render::render(config).unwrap()[WORKFLOW].contents.clone()
}

/// A top-level job's text: from `  <name>:` to the next job.
fn job<'a>(workflow: &'a str, name: &str) -> &'a str {
    let start = workflow
        .find(&format!("\n  {name}:\n"))
        .unwrap_or_else(|| panic!("no job {name}:\n{workflow}"))
        + 1;
    let rest = &workflow[start..];
    let mut end = rest.find('\n').unwrap() + 1;
    for line in rest[end..].split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if indent <= 2 && !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            break;
        }
        end += line.len();
    }
    &rest[..end]
}

/// A step's text, found by the start of its name (or its `id`).
fn step<'a>(job: &'a str, name: &str) -> &'a str {
    let start = job
        .find(&format!("- name: {name}"))
        .or_else(|| job.find(&format!("- id: {name}")))
        .unwrap_or_else(|| panic!("no step {name}:\n{job}"));
    let rest = &job[start..];
    let end = rest[1..].find("\n      - ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

/// The shell script of a step's `run: |`, unindented.
fn script(step: &str) -> String {
    let body = &step[step.find("run: |\n").expect("a run block") + "run: |\n".len()..];
    body.lines()
        .take_while(|l| l.is_empty() || l.starts_with("          "))
        .map(|l| l.get(10..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The values of a `key: value` line in the matrix, in order.
fn matrix_values(image_job: &str, key: &str) -> Vec<String> {
    let matrix = &image_job[image_job.find("matrix:").unwrap()..image_job.find("steps:").unwrap()];
    matrix
        .lines()
        .filter_map(|l| {
            l.trim()
                .trim_start_matches("- ")
                .strip_prefix(&format!("{key}: "))
        })
        .map(str::to_string)
        .collect()
}

/// Every `scope=` of the cache lines in a text.
fn cache_scopes(text: &str, key: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.trim_start().starts_with(key))
        .map(|l| {
            let scope = l
                .split_once("scope=")
                .unwrap_or_else(|| panic!("a cache without its own scope: {l}"))
                .1;
            scope.trim().to_string()
        })
        .collect()
}

#[test]
fn the_workflow_installs_the_version_that_rendered_it() {
    let fx = init("ledger", &[]);
    let workflow = fx.read(WORKFLOW);
    let lint = job(&workflow, "lint");
    let install =
        format!("cargo +stable install cargo-dockerize --version ={TOOL_VERSION} --locked");
    let at = lint.find(&install).unwrap_or_else(|| panic!("{lint}"));
    assert!(lint[at..].contains("run: cargo dockerize check"), "{lint}");
    assert_eq!(workflow.matches(" install ").count(), 1, "{workflow}");
    assert!(
        fx.read("docker/dockerize.lock")
            .contains(&format!("tool-version = \"{TOOL_VERSION}\"\n"))
    );
    assert!(fx.read("README.Docker.md").contains(&format!(
        "cargo-dockerize {TOOL_VERSION}, the version that rendered"
    )));
}

/// A tool release is no drift for `check`; `update` moves the installed version and keeps
/// the team's edits to the workflow (its base is rendered as the locked version).
#[test]
fn update_moves_the_installed_version_and_keeps_the_teams_edits() {
    let fx = init("ledger", &[]);
    let old = "0.0.1";
    let lock = fx.read("docker/dockerize.lock").replace(
        &format!("tool-version = \"{TOOL_VERSION}\""),
        &format!("tool-version = \"{old}\""),
    );
    fx.write("docker/dockerize.lock", &lock);
    let as_old = fx
        .read(WORKFLOW)
        .replace(
            &format!("cargo-dockerize {TOOL_VERSION}"),
            &format!("cargo-dockerize {old}"),
        )
        .replace(
            &format!("--version ={TOOL_VERSION}"),
            &format!("--version ={old}"),
        )
        .replace("cancel-in-progress: true", "cancel-in-progress: false");
    assert!(as_old.contains(&format!("--version ={old} --locked")));
    fx.write(WORKFLOW, &as_old);
    fx.cmd(&["check"]).assert().success();

    let (stdout, stderr) = output_of(&fx.cmd(&["update", "--yes", "--no-git"]).assert().success());
    assert!(
        format!("{stdout}{stderr}").contains(&format!(
            "the CI workflow installs cargo-dockerize {TOOL_VERSION} instead of {old}"
        )),
        "{stdout}{stderr}"
    );
    let workflow = fx.read(WORKFLOW);
    assert!(
        workflow.contains(&format!("--version ={TOOL_VERSION} --locked")),
        "{workflow}"
    );
    assert!(workflow.contains("cancel-in-progress: false"), "{workflow}");
    assert!(!workflow.contains("<<<<<<<"), "{workflow}");
    assert!(
        fx.read("docker/dockerize.lock")
            .contains(&format!("tool-version = \"{TOOL_VERSION}\""))
    );
    fx.cmd(&["check"]).assert().success();
}

#[test]
fn each_target_keeps_its_own_cache_scope() {
    // Services: the tests build `development`; the images, one target each.
    let fx = init("ledger", &[]);
    let workflow = fx.read(WORKFLOW);
    // The push step reads the image build's scope again and writes nothing.
    let from = cache_scopes(&workflow, "cache-from:");
    let to = cache_scopes(&workflow, "cache-to:");
    assert_eq!(from[..2], to, "{workflow}");
    assert_eq!(
        from,
        [
            "development",
            "${{ matrix.target }}",
            "${{ matrix.target }}"
        ],
        "{workflow}"
    );
    assert!(
        workflow
            .lines()
            .filter(|l| l.contains("cache-to:"))
            .all(|l| l.contains("type=gha,mode=max,scope=")),
        "{workflow}"
    );
    let image = job(&workflow, "image");
    let targets = matrix_values(image, "target");
    assert_eq!(
        targets,
        ["production", "production-ledger-notify", "migrate"],
        "{image}"
    );
    let mut all: Vec<&str> = targets.iter().map(String::as_str).collect();
    all.push("development");
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count, "scopes shared: {all:?}");

    // No services: the `test` target, in its own scope.
    let fx = init("plain", &[]);
    let workflow = fx.read(WORKFLOW);
    assert_eq!(
        cache_scopes(&workflow, "cache-to:"),
        ["test", "${{ matrix.target }}"],
        "{workflow}"
    );
}

#[test]
fn a_workspace_below_the_root_prefixes_its_scopes_with_its_project() {
    let fx = Fixture::nested("plain", "services/api");
    commit_all(fx.path(), "initial");
    let ws = fx.file("services/api");
    let mut cmd = assert_cmd::Command::cargo_bin("cargo-dockerize").unwrap();
    cmd.current_dir(&ws)
        .envs(crate::support::git_env())
        .args(["dockerize", "init", "--yes", "--no-git"])
        .assert()
        .success();
    let workflow = fx.read(".github/workflows/docker-plain-tool.yml");
    assert_eq!(
        cache_scopes(&workflow, "cache-from:"),
        [
            "plain-tool-test",
            "plain-tool-${{ matrix.target }}",
            "plain-tool-${{ matrix.target }}"
        ],
        "{workflow}"
    );
}

#[test]
fn every_pushed_image_is_built_once_and_pushed_as_tested() {
    let fx = init("ledger", &[]);
    let workflow = fx.read(WORKFLOW);
    let image = job(&workflow, "image");
    let build = step(image, "Build");
    assert!(build.contains("id: build"), "{build}");
    assert!(build.contains("load: true"), "{build}");
    assert!(!build.contains("push:"), "{build}");
    assert!(
        build.contains("tags: ${{ steps.meta.outputs.tags }}"),
        "{build}"
    );
    let tested = "${{ steps.build.outputs.imageid }}";
    assert!(step(image, "Smoke test").contains(tested), "{image}");
    // The push builds again with the build's inputs and cache, so BuildKit takes every step
    // from its cache: the same layers, now with an SBOM and provenance.
    let push = step(image, "Push the tested image");
    assert!(push.contains("id: push"), "{push}");
    assert!(push.contains("if: github.event_name == 'push'"), "{push}");
    for line in ["push: true", "sbom: true", "provenance: mode=max"] {
        assert!(
            push.contains(&format!("          {line}\n")),
            "{line}: {push}"
        );
    }
    let inputs = |step: &str| -> Vec<String> {
        step.lines()
            .filter(|l| {
                [
                    "context:",
                    "target:",
                    "build-args:",
                    "tags:",
                    "labels:",
                    "cache-from:",
                ]
                .iter()
                .any(|k| l.trim_start().starts_with(k))
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(inputs(push), inputs(build), "{image}");
    assert_eq!(inputs(push).len(), 6, "{push}");
    assert!(!push.contains("cache-to:"), "{push}");
    let check = step(image, "The pushed image holds the tested layers");
    assert!(check.contains(&format!("TESTED: {tested}")), "{check}");
    assert!(
        check.contains("@${{ steps.push.outputs.digest }}"),
        "{check}"
    );
    assert!(
        script(check).contains("test \"$(layers \"$PUSHED\")\" = \"$(layers \"$TESTED\")\""),
        "{check}"
    );
    assert_eq!(workflow.matches("push: true").count(), 1, "{workflow}");
    // Pushed only after the smoke test.
    assert!(image.find("- name: Smoke test").unwrap() < image.find("- name: Push").unwrap());
    // No signing unless asked.
    assert!(!workflow.contains("cosign"), "{workflow}");
}

#[test]
fn the_sign_answer_signs_the_pushed_digest_keylessly() {
    let fx = init("ledger", &["--sign"]);
    assert!(fx.read("Cargo.toml").contains("sign = true"));
    let workflow = fx.read(WORKFLOW);
    let image = job(&workflow, "image");
    assert!(
        image.contains("uses: sigstore/cosign-installer@"),
        "{image}"
    );
    let sign = step(image, "Sign the pushed image");
    assert!(sign.contains("if: github.event_name == 'push'"), "{sign}");
    assert!(
        sign.contains(
            "PUSHED: ${{ env.REGISTRY }}/${{ matrix.image }}@${{ steps.push.outputs.digest }}"
        ),
        "{sign}"
    );
    assert!(
        sign.contains("run: cosign sign --yes \"$PUSHED\""),
        "{sign}"
    );
    assert!(image.find("- name: Push").unwrap() < image.find("- name: Sign").unwrap());
    // The OIDC token only where the signature is made.
    assert_eq!(workflow.matches("id-token: write").count(), 1, "{workflow}");
    assert!(image.contains("      id-token: write\n"), "{image}");
    assert!(
        fx.read("README.Docker.md").contains("cosign verify"),
        "the README says how to verify"
    );
}

#[test]
fn one_tag_scheme_in_the_workflow_makefile_and_readme() {
    let fx = init("shop", &[]);
    let workflow = fx.read(WORKFLOW);
    let meta = step(job(&workflow, "image"), "meta");
    assert!(meta.contains("type=sha,format=long,prefix=\n"), "{meta}");
    assert!(!workflow.contains("format=short"), "{workflow}");
    assert!(workflow.contains("build-args: GIT_SHA=${{ github.sha }}"));
    assert!(
        workflow.contains("/<image>:<commit SHA, all 40 characters>\n"),
        "{workflow}"
    );
    let makefile = fx.read("Makefile");
    assert!(
        makefile.contains("GIT_SHA  ?= $(shell git rev-parse HEAD 2>/dev/null || echo dev)\n"),
        "{makefile}"
    );
    let readme = fx.read("README.Docker.md");
    assert!(readme.contains(":<full git sha>"), "{readme}");
    assert!(
        readme.contains("`git rev-parse HEAD`, all 40 characters"),
        "{readme}"
    );
    for text in [&workflow, &makefile, &readme] {
        assert!(!text.contains("--short"), "{text}");
        assert!(!text.contains("sha-"), "{text}");
    }
    assert!(fx.read("compose.prod.yaml").contains(":${GIT_SHA:?"));

    // What `make build` tags is what the workflow tags: the commit's full SHA.
    commit_all(fx.path(), "generated");
    let sha = fx.git(&["rev-parse", "HEAD"]).trim().to_string();
    assert_eq!(sha.len(), 40);
    let out = std::process::Command::new("make")
        .current_dir(fx.path())
        .args(["-n", "build"])
        .output()
        .expect("make");
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(
        plan.contains(&format!("-t ghcr.io/example-shop/shop:{sha} ")),
        "{plan}"
    );

    // Without the Makefile, README's own build lines tag the same way.
    let fx = init("shop", &["--no-makefile"]);
    let readme = fx.read("README.Docker.md");
    assert!(readme.contains(":$(git rev-parse HEAD) ."), "{readme}");
}

#[test]
fn jobs_run_for_the_repositorys_default_branch() {
    let fx = init("ledger", &[]);
    let workflow = fx.read(WORKFLOW);
    let on = &workflow[workflow.find("\non:\n").unwrap()..workflow.find("\njobs:\n").unwrap()];
    assert!(on.contains("branches: [\"**\"]"), "{on}");
    assert!(on.contains("tags: [\"v*\"]"), "{on}");
    for hard_coded in ["[main]", "'main'", "refs/heads/main", "\"main\""] {
        assert!(!workflow.contains(hard_coded), "{workflow}");
    }
    let wanted = "if: github.event_name == 'pull_request' || github.ref_type == 'tag' || github.ref_name == github.event.repository.default_branch\n";
    for name in ["lint", "test"] {
        assert!(job(&workflow, name).contains(wanted), "{name}:\n{workflow}");
    }
    assert!(job(&workflow, "image").contains("needs: [lint, test]"));
}

#[test]
fn smoke_tests_follow_each_binarys_role() {
    let fx = init("ledger", &[]);
    let workflow = render_workflow(&with_every_role(locked_config(&fx)));
    let image = job(&workflow, "image");
    assert_eq!(
        matrix_values(image, "role"),
        ["server", "worker", "tool", "job", "job"],
        "{image}"
    );
    assert_eq!(matrix_values(image, "port"), ["8080"], "servers only");
    assert_eq!(
        matrix_values(image, "run-env"),
        ["\"HOST=0.0.0.0 PORT=8080\""],
        "{image}"
    );
    let smoke = step(image, "Smoke test");
    assert!(smoke.contains("PORT: ${{ matrix.port }}"), "{smoke}");
    assert!(smoke.contains("RUN_ENV: ${{ matrix.run-env }}"), "{smoke}");
    let run = script(smoke);
    assert!(
        run.contains("for var in $RUN_ENV; do args+=(-e \"$var\"); done"),
        "{run}"
    );
    let arm = |role: &str| -> String {
        let start = run
            .find(&format!("  {role})\n"))
            .unwrap_or_else(|| panic!("no {role} arm:\n{run}"));
        run[start..start + run[start..].find(";;").unwrap()].to_string()
    };
    let server = arm("server");
    assert!(server.contains("deadline=$((SECONDS + 60))"), "{server}");
    assert!(
        server.contains("until (exec 3<>\"/dev/tcp/$ip/$PORT\") 2>/dev/null; do"),
        "{server}"
    );
    assert!(!server.contains("sleep 10"), "{server}");
    let worker = arm("worker");
    assert!(worker.contains("sleep 5"), "{worker}");
    assert!(
        worker.contains("test \"$(docker inspect -f '{{.State.Running}}' smoke)\" = true"),
        "{worker}"
    );
    let job_arm = arm("job");
    assert!(
        job_arm.contains("status=$(timeout 600 docker wait smoke)"),
        "{job_arm}"
    );
    assert!(job_arm.contains("[ \"$status\" = 0 ]"), "{job_arm}");
    let tool = arm("tool");
    assert!(tool.contains("\"$IMAGE\" --help"), "{tool}");
    assert!(tool.contains("[ \"$status\" = 0 ]"), "{tool}");
    assert!(
        run.contains("docker compose up -d --wait postgres\n"),
        "{run}"
    );
    let logs = step(image, "Container logs");
    assert!(logs.contains("if: always()"), "{logs}");
    assert!(logs.contains("docker logs smoke"), "{logs}");

    // Only the roles present get an arm: today's detection makes every binary a server.
    let workflow = fx.read(WORKFLOW);
    let run = script(step(job(&workflow, "image"), "Smoke test"));
    assert!(
        run.contains("  server)\n") && run.contains("  job)\n"),
        "{run}"
    );
    assert!(!run.contains("worker)") && !run.contains("tool)"), "{run}");
}

#[test]
fn tests_reach_the_development_services_when_there_are_some() {
    let fx = init("ledger", &[]);
    let workflow = fx.read(WORKFLOW);
    let test = job(&workflow, "test");
    assert!(!test.contains("target: test"), "{test}");
    let build = step(test, "Build the development image");
    assert!(build.contains("target: development"), "{build}");
    assert!(build.contains("load: true"), "{build}");
    // Tagged as the development override names it, so Compose runs it without building.
    let image = format!("{}-development:local", locked_config(&fx).project);
    assert!(build.contains(&format!("tags: {image}\n")), "{build}");
    assert!(
        fx.read("compose.override.yaml")
            .contains(&format!("image: {image}\n"))
    );
    let run = script(step(test, "cargo test against the development services"));
    assert_eq!(
        run.trim(),
        "docker compose up -d --wait postgres\ndocker compose run --rm ledger-api test"
    );
    assert!(step(test, "Service logs").contains("if: always()"));

    let fx = init("plain", &[]);
    let workflow = fx.read(WORKFLOW);
    let test = job(&workflow, "test");
    assert!(test.contains("target: test"), "{test}");
    assert!(!test.contains("docker compose"), "{test}");
}

#[test]
fn permissions_are_per_job_and_least() {
    let fx = init("ledger", &[]);
    let workflow = fx.read(WORKFLOW);
    assert!(workflow.contains("\npermissions: {}\n"), "{workflow}");
    let read_only = "    permissions:\n      contents: read\n    steps:";
    assert!(job(&workflow, "lint").contains(read_only));
    assert!(job(&workflow, "test").contains(read_only));
    assert!(
        job(&workflow, "image")
            .contains("    permissions:\n      contents: read\n      packages: write\n")
    );
    assert_eq!(workflow.matches("write").count(), 1, "{workflow}");
    assert!(!workflow.contains("id-token"), "{workflow}");

    // Another registry: GITHUB_TOKEN writes nothing.
    let fx = init("ledger", &["--registry", "registry.example.com/ledger"]);
    let workflow = fx.read(WORKFLOW);
    assert!(!workflow.contains("write"), "{workflow}");
    assert!(workflow.contains("secrets.REGISTRY_PASSWORD"));
}

/// What `cargo publish` uploads: every template (the frozen sets too) and the build script.
#[test]
fn the_crate_package_holds_every_template() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target.path())
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: std::collections::BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mut templates = Vec::new();
    collect_files(root, &root.join("templates"), &mut templates);
    assert!(templates.len() > 30);
    for file in templates
        .iter()
        .map(String::as_str)
        .chain(["build.rs", "README.md", "Cargo.lock"])
    {
        assert!(listed.contains(file), "{file} is not packaged: {listed:?}");
    }
    assert!(
        !listed.iter().any(|f| f.starts_with("tests/")),
        "{listed:?}"
    );
}

fn collect_files(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Against the real tools: actionlint and the workflow schema, and the smoke script run.
mod e2e {
    use std::path::Path;
    use std::process::Command;

    use super::*;

    /// Whether the end-to-end tests run (`DOCKERIZE_E2E=1`, as in e2e.rs).
    /// An end-to-end test asked for (`--ignored`) needs the tools: never skips.
    fn enabled(test: &str) -> bool {
        assert_eq!(
            std::env::var("DOCKERIZE_E2E").as_deref(),
            Ok("1"),
            "{test} needs the linters and an engine: run scripts/e2e-env.sh, then DOCKERIZE_E2E=1 cargo test -- --ignored"
        );
        true
    }

    fn run(dir: &Path, program: &str, args: &[&str]) -> String {
        let out = Command::new(program)
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e} (scripts/e2e-env.sh installs it)"));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success(),
            "`{program} {}` failed:\n{text}",
            args.join(" ")
        );
        text
    }

    /// actionlint (with shellcheck on the `run:` scripts) and check-jsonschema's GitHub
    /// workflow schema, on one workflow file.
    fn lint(dir: &Path, workflow: &str) {
        assert!(
            run(dir, "shellcheck", &["--version"]).contains("version"),
            "actionlint checks the scripts only with shellcheck on PATH"
        );
        run(dir, "actionlint", &[workflow]);
        run(
            dir,
            "check-jsonschema",
            &["--builtin-schema", "vendor.github-workflows", workflow],
        );
    }

    /// check-jsonschema's Dependabot schema, on one `dependabot.yml`.
    fn dependabot(dir: &Path, file: &str) {
        run(
            dir,
            "check-jsonschema",
            &["--builtin-schema", "vendor.dependabot", file],
        );
    }

    #[test]
    #[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
    fn generated_workflows_pass_actionlint_and_the_schema() {
        if !enabled("generated_workflows_pass_actionlint_and_the_schema") {
            return;
        }
        // Services (Postgres), several binaries of every role, a migrations image.
        let fx = init("ledger", &[]);
        lint(fx.path(), WORKFLOW);
        let every_role = render_workflow(&with_every_role(locked_config(&fx)));
        fx.write(WORKFLOW, &every_role);
        lint(fx.path(), WORKFLOW);
        // Keyless signing.
        let fx = init("ledger", &["--sign"]);
        assert!(fx.read(WORKFLOW).contains("cosign sign"));
        lint(fx.path(), WORKFLOW);
        dependabot(fx.path(), ".github/dependabot.yml");
        // One multi-platform tag from one runner; QEMU only for a Debian runtime's apt step
        // or a smoke test of a foreign platform.
        let fx = init("tlsversion", &["--platforms", "linux/amd64,linux/arm64"]);
        let workflow = fx.read(WORKFLOW);
        assert!(
            workflow.contains("platforms: linux/amd64,linux/arm64"),
            "{workflow}"
        );
        assert!(!workflow.contains("setup-qemu-action"), "{workflow}");
        lint(fx.path(), WORKFLOW);
        let fx = init(
            "plain",
            &["--platforms", "linux/arm64", "--runtime", "debian"],
        );
        let workflow = fx.read(WORKFLOW);
        assert!(workflow.contains("docker/setup-qemu-action@"), "{workflow}");
        assert!(workflow.contains("--platform linux/arm64"), "{workflow}");
        lint(fx.path(), WORKFLOW);
        // A private registry's build secret, another registry's login.
        let fx = init("realworld", &["--registry", "registry.example.com/acme"]);
        let workflow = fx.read(WORKFLOW);
        assert!(workflow.contains("secrets: |"), "{workflow}");
        lint(fx.path(), WORKFLOW);
        // Every service, Compose-started in the test and image jobs.
        let fx = init("plain", &["--services", &crate::support::every_service()]);
        lint(fx.path(), WORKFLOW);
        // A workspace below the repository root: paths, working directory, scoped caches.
        let fx = Fixture::nested("plain", "services/api");
        commit_all(fx.path(), "initial");
        let mut cmd = assert_cmd::Command::cargo_bin("cargo-dockerize").unwrap();
        cmd.current_dir(fx.file("services/api"))
            .envs(crate::support::git_env())
            .args(["dockerize", "init", "--yes", "--no-git"])
            .assert()
            .success();
        lint(fx.path(), ".github/workflows/docker-plain-tool.yml");
        let config = fx.read(".github/dependabot.yml");
        assert!(config.contains("directory: \"/services/api\""), "{config}");
        dependabot(fx.path(), ".github/dependabot.yml");
    }

    /// This project's own workflows, by the same linters.
    #[test]
    #[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
    fn this_projects_workflows_pass_actionlint_and_the_schema() {
        if !enabled("this_projects_workflows_pass_actionlint_and_the_schema") {
            return;
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut workflows = Vec::new();
        collect_files(root, &root.join(".github/workflows"), &mut workflows);
        assert!(!workflows.is_empty());
        for workflow in &workflows {
            lint(root, workflow);
        }
    }

    /// The test job's script with services (Compose brings Postgres up, the tests run in the
    /// development container) runs a test that queries the development database.
    #[test]
    #[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
    fn the_test_job_runs_the_tests_against_the_development_services() {
        if !enabled("the_test_job_runs_the_tests_against_the_development_services") {
            return;
        }
        let fx = init("shop", &["--no-dockerfile-syntax"]);
        fx.write(
            "tests/database.rs",
            "#[tokio::test]\nasync fn the_development_database_answers() {\n    assert_eq!(shop::database_answers().await, Ok(1));\n}\n",
        );
        let workflow = fx.read(WORKFLOW);
        let test = job(&workflow, "test");
        let build = step(test, "Build the development image");
        let image = format!("{}-development:local", locked_config(&fx).project);
        assert!(build.contains(&format!("tags: {image}\n")), "{build}");
        // The workflow's build step: the image is the same whatever uid Compose runs it as.
        run(
            fx.path(),
            "docker",
            &["build", "-q", "--target", "development", "-t", &image, "."],
        );
        let project = format!("dockerize-ci-test-{}", std::process::id());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let out = Command::new("bash")
            .current_dir(fx.path())
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(script(step(
                test,
                "cargo test against the development services",
            )))
            // A project and a Postgres port of its own on this shared engine.
            .env("COMPOSE_PROJECT_NAME", &project)
            .env("POSTGRES_PORT", port.to_string())
            .output()
            .unwrap();
        let _ = Command::new("docker")
            .current_dir(fx.path())
            .args(["compose", "-p", &project, "down", "-v"])
            .output();
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{log}");
        assert!(
            log.contains("test the_development_database_answers ... ok"),
            "{log}"
        );
    }

    /// Images for each role from the distroless debug image's busybox: `good` behaves as its
    /// role should, `bad` does not.
    const ROLE_IMAGES: &[(&str, &str, &str)] = &[
        // Listens only after 3 s: the probe must wait, not sleep a fixed time.
        (
            "server",
            r#"["/busybox/sh", "-c", "sleep 3; exec /busybox/httpd -f -p 8080"]"#,
            r#"["/busybox/sh", "-c", "sleep 1; exit 1"]"#,
        ),
        (
            "worker",
            r#"["/busybox/sleep", "3600"]"#,
            r#"["/busybox/sh", "-c", "sleep 2; exit 1"]"#,
        ),
        (
            "job",
            r#"["/busybox/sh", "-c", "sleep 1"]"#,
            r#"["/busybox/sh", "-c", "exit 3"]"#,
        ),
        (
            "tool",
            r#"["/busybox/sh", "-c", "test \"$0\" = --help"]"#,
            r#"["/busybox/false"]"#,
        ),
    ];

    /// The workflow's smoke script, as GitHub runs it (`bash -eo pipefail`), on images made
    /// for each role: it passes a well-behaved one and fails a broken one.
    #[test]
    #[ignore = "needs a Docker engine: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh sets one up)"]
    fn the_smoke_script_passes_and_fails_as_each_role_should() {
        if !enabled("the_smoke_script_passes_and_fails_as_each_role_should") {
            return;
        }
        let fx = init("plain", &["--port", "8080"]);
        let workflow = render_workflow(&with_every_role(locked_config(&fx)));
        let container = format!("dockerize-smoke-{}", std::process::id());
        // One engine is shared here: a name of its own instead of `smoke`.
        let smoke =
            script(step(job(&workflow, "image"), "Smoke test")).replace("smoke", &container);
        let base = "gcr.io/distroless/cc-debian13:debug-nonroot";
        for (role, good, bad) in ROLE_IMAGES {
            for (behaves, entrypoint) in [(true, good), (false, bad)] {
                let tag = format!("dockerize-smoke-{role}-{behaves}:{}", std::process::id());
                let dir = tempfile::tempdir().unwrap();
                std::fs::write(
                    dir.path().join("Dockerfile"),
                    format!("FROM {base}\nENTRYPOINT {entrypoint}\n"),
                )
                .unwrap();
                run(dir.path(), "docker", &["build", "-q", "-t", &tag, "."]);
                let out = Command::new("bash")
                    .current_dir(fx.path())
                    .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &smoke])
                    .env("IMAGE", &tag)
                    .env("ROLE", role)
                    .env("PORT", "8080")
                    .output()
                    .unwrap();
                let _ = Command::new("docker")
                    .args(["rm", "-f", &container])
                    .output();
                let _ = Command::new("docker").args(["rmi", "-f", &tag]).output();
                assert_eq!(
                    out.status.success(),
                    behaves,
                    "{role} ({}): {}{}",
                    if behaves { "well-behaved" } else { "broken" },
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
}
