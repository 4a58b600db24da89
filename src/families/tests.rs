//! Tests of the family registry: one owner per template, which files answers want, their paths and modes.

use super::*;
use crate::config::{Answers, resolve};
use crate::detect::Role;
use crate::detect::{self, test_support};
use crate::existing::Choice;

/// A resolved configuration for a workspace with two binaries, under `answers`.
fn config_with(repo_dir: &str, answers: &Answers) -> Config {
    let mut ws = test_support::one_binary(&[]);
    ws.name = "shop".into();
    ws.repo_dir = repo_dir.into();
    ws.bins = test_support::bins("svc", &["shop", "worker"]);
    resolve(&ws, &detect::detect(&ws), answers).unwrap()
}

fn config() -> Config {
    config_with("", &Answers::default())
}

#[test]
fn every_template_of_every_shipped_set_has_one_owner() {
    for version in crate::render::shipped_versions() {
        for (template, _) in crate::render::template_sources_of(&version).unwrap() {
            let owners = REGISTRY
                .0
                .iter()
                .filter(|f| f.templates.contains(&template.as_str()))
                .count();
            assert_eq!(owners, 1, "set {version}: {template}");
        }
    }
    let current: Vec<String> = crate::render::template_sources()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        current,
        templates(),
        "every family's template is in the set"
    );
}

#[test]
fn the_default_configuration_lists_every_file_but_the_cargo_config_copy() {
    assert_eq!(
        paths(&config()),
        [
            "Dockerfile",
            ".dockerignore",
            "compose.yaml",
            "compose.override.yaml",
            "compose.prod.yaml",
            "docker/entrypoint.sh",
            "docker/env/dev.env.sh",
            "docker/env/prod.env.sh.example",
            "docker/env/.gitignore",
            ".github/workflows/docker.yml",
            ".github/dependabot.yml",
            "Makefile",
            "README.Docker.md",
            ".gitattributes",
            "docker/dockerize.lock",
        ]
    );
}

#[test]
fn shell_files_are_executable() {
    let config = config();
    let executable: Vec<String> = templates()
        .into_iter()
        .flat_map(|t| outputs(t, &config))
        .filter(|o| o.executable)
        .map(|o| o.path)
        .collect();
    assert_eq!(
        executable,
        ["docker/entrypoint.sh", "docker/env/dev.env.sh"]
    );
}

#[test]
fn the_workflow_sits_at_the_repository_root() {
    let at = |config: &Config| -> Vec<String> {
        outputs(ci_github::TEMPLATE, config)
            .into_iter()
            .map(|o| o.path)
            .collect()
    };
    assert_eq!(at(&config()), [".github/workflows/docker.yml"]);
    let below = config_with("services/shop", &Answers::default());
    assert_eq!(
        below.delivery.ci_workflow,
        ".github/workflows/docker-shop.yml"
    );
    assert_eq!(at(&below), ["../../.github/workflows/docker-shop.yml"]);
    assert_eq!(
        outputs(dependabot::TEMPLATE, &below)[0].path,
        "../../.github/dependabot.yml"
    );
    assert_eq!(
        outputs(dockerfile::DOCKERFILE, &below)[0].path,
        "Dockerfile"
    );
}

#[test]
fn answers_drop_files() {
    let config = config_with(
        "",
        &Answers {
            ci: Some(false),
            makefile: Some(false),
            ..Answers::default()
        },
    );
    let paths = paths(&config);
    for dropped in [ci_github::TEMPLATE, dependabot::TEMPLATE, makefile::PATH] {
        assert!(!includes(&config, dropped), "{dropped}");
        assert!(outputs(dropped, &config).is_empty(), "{dropped}");
        assert!(!paths.iter().any(|p| p == dropped), "{dropped}");
    }
    // Before the configuration: the answers alone, a file that depends on it counts as wanted.
    let wants = Wants::answered(&Answers {
        ci: Some(false),
        ..Answers::default()
    });
    assert!(!wanted(ci_github::TEMPLATE, &wants));
    assert!(wanted(makefile::PATH, &wants));
    assert!(wanted(cargo_config::PATH, &wants));
    assert!(!wanted(cargo_config::PATH, &Wants::of(&config)));
}

#[test]
fn existing_files_answers_rename_and_skip() {
    let pairs = [
        ("docker-compose.yml", Choice::Adopt),
        ("README.Docker.md", Choice::Skip),
    ];
    let config = config_with("", &Answers::existing(&pairs));
    assert_eq!(
        outputs(compose::DEV, &config)[0].path,
        "docker-compose.override.yml"
    );
    assert!(compose::written(&config));
    assert!(outputs(readme::PATH, &config).is_empty());

    // A compose file under another name kept, none adopted: no compose file.
    let answers = Answers::existing(&[("docker-compose.yaml", Choice::Skip)]);
    let config = config_with("", &answers);
    assert!(!compose::written(&config));
    assert!(paths(&config).iter().all(|p| !p.contains("compose")));
}

/// A family the registry does not ship: one manifest per binary from one template, each
/// rendered with its binary.
const PER_BINARY: Family = Family {
    name: "per-binary",
    templates: &["deploy/manifest.yaml"],
    written: &[],
    wanted: always,
    files: |_, config| {
        config
            .bins
            .iter()
            .map(|bin| {
                let mut file = Output::at(format!("deploy/{}.yaml", bin.name));
                file.vars
                    .insert("bin".into(), serde_json::to_value(bin).unwrap());
                file
            })
            .collect()
    },
};

#[test]
fn one_template_can_make_a_file_per_binary() {
    let registry = Registry(&[dockerfile::FAMILY, PER_BINARY]);
    let config = config();
    let files = registry.outputs("deploy/manifest.yaml", &config);
    let made: Vec<(&str, &serde_json::Value)> = files
        .iter()
        .map(|f| (f.path.as_str(), &f.vars["bin"]["name"]))
        .collect();
    assert_eq!(
        made,
        [
            ("deploy/shop.yaml", &serde_json::json!("shop")),
            ("deploy/worker.yaml", &serde_json::json!("worker")),
        ]
    );
    assert_eq!(
        registry.paths(&config),
        [
            "Dockerfile",
            ".dockerignore",
            "deploy/shop.yaml",
            "deploy/worker.yaml"
        ]
    );
    assert_eq!(
        registry.templates(),
        [".dockerignore", "Dockerfile", "deploy/manifest.yaml"]
    );
    // Rendered: each file sees its own binary.
    let sources = [(
        "deploy/manifest.yaml".to_string(),
        "name: [[ bin.name ]]\ntarget: [[ bin.target ]]\n",
    )];
    let rendered =
        crate::render::render_families(&registry, &sources, "0", "0", &config, None).unwrap();
    let texts: Vec<(&str, &str)> = rendered
        .iter()
        .map(|(path, file)| (path.as_str(), file.contents.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            ("deploy/shop.yaml", "name: shop\ntarget: production\n"),
            (
                "deploy/worker.yaml",
                "name: worker\ntarget: production-worker\n"
            ),
        ]
    );
}

#[test]
fn kubernetes_files_come_with_its_deploy_target_only() {
    let mut answers = Answers {
        deploy: Some(vec![DeployTarget::Compose, DeployTarget::Kubernetes]),
        ..Answers::default()
    };
    for (bin, role) in [("shop", Role::Server), ("worker", Role::Worker)] {
        answers.bin.insert(
            bin.into(),
            crate::config::BinAnswers {
                role: Some(role),
                ..Default::default()
            },
        );
    }
    let with = paths(&config_with("", &answers));
    let manifests: Vec<&str> = with
        .iter()
        .map(String::as_str)
        .filter(|p| p.starts_with("deploy/kubernetes/"))
        .collect();
    assert_eq!(
        manifests,
        [
            "deploy/kubernetes/base/kustomization.yaml",
            "deploy/kubernetes/base/deployment-shop.yaml",
            "deploy/kubernetes/base/deployment-shop-worker.yaml",
            "deploy/kubernetes/base/service-shop.yaml",
            "deploy/kubernetes/overlays/staging/kustomization.yaml",
            "deploy/kubernetes/overlays/production/kustomization.yaml",
            "deploy/kubernetes/overlays/staging/namespace.yaml",
            "deploy/kubernetes/overlays/production/namespace.yaml",
            "deploy/kubernetes/overlays/staging/settings.env",
            "deploy/kubernetes/overlays/production/settings.env",
            "deploy/kubernetes/overlays/production/pdb.yaml",
        ]
    );
    assert!(!paths(&config()).iter().any(|p| p.starts_with("deploy/")));
}

/// `owner/repo@<40 hex> # vX.Y.Z`: an action pinned to a commit, its release in the comment.
fn pinned(uses: &str) -> bool {
    let Some((action, rest)) = uses.split_once('@') else {
        return false;
    };
    let Some((sha, version)) = rest.split_once(" # v") else {
        return false;
    };
    let parts: Vec<&str> = action.split('/').collect();
    parts.len() == 2
        && parts.iter().all(|p| !p.is_empty())
        && sha.len() == 40
        && sha
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && version.split('.').count() == 3
        && version
            .split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn every_action_of_the_workflow_is_pinned_to_a_commit() {
    assert!(pinned(
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
    ));
    assert!(!pinned("actions/checkout@v7"));
    assert!(!pinned(
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"
    ));
    assert!(!pinned(
        "actions/checkout@3D3C42E5AAC5BA805825DA76410C181273BA90B1 # v7.0.1"
    ));
    // Signing on: every action the templates can use.
    let config = config_with(
        "",
        &Answers {
            sign: Some(true),
            ..Answers::default()
        },
    );
    let files = crate::render::render(&config).unwrap();
    let workflow = &files[ci_github::TEMPLATE].contents;
    let uses: Vec<&str> = workflow
        .lines()
        .filter_map(|l| l.split_once("uses: ").map(|(_, u)| u.trim()))
        .collect();
    let mut actions: Vec<&str> = uses.iter().map(|u| u.split('@').next().unwrap()).collect();
    actions.sort_unstable();
    actions.dedup();
    assert_eq!(
        actions,
        [
            "actions/checkout",
            "docker/build-push-action",
            "docker/login-action",
            "docker/metadata-action",
            "docker/setup-buildx-action",
            "hadolint/hadolint-action",
            "sigstore/cosign-installer",
        ]
    );
    for u in &uses {
        assert!(pinned(u), "not pinned by commit with its version: {u}");
    }
    // One pin per action, wherever the workflow uses it.
    let mut distinct = uses.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), actions.len(), "{distinct:#?}");
}
