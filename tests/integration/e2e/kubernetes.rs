//! End-to-end, offline (no cluster can start here): each overlay rendered by `kubectl kustomize`, every object validated strictly against the Kubernetes schemas by kubernetes-validate, and every pod template checked for the restricted profile.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{run, text};
use crate::kubernetes::{check_pods, objects};
use crate::support::Fixture;

/// The Kubernetes version the objects are validated against (kubernetes-validate's newest).
const KUBERNETES_VERSION: &str = "1.37.0";

/// kubectl from the e2e venv (scripts/e2e-env.sh), else the one on PATH; kubernetes-validate.
fn tools() -> (PathBuf, PathBuf) {
    let venv = Path::new("/opt/dockerize-e2e/venv/bin");
    let pick = |name: &str| {
        let own = venv.join(name);
        if own.exists() {
            own
        } else {
            PathBuf::from(name)
        }
    };
    let (kubectl, validate) = (pick("kubectl"), pick("kubernetes-validate"));
    for (tool, args) in [
        (&kubectl, &["version", "--client"][..]),
        (&validate, &["--version"][..]),
    ] {
        let ok = Command::new(tool)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "`{}` does not run: scripts/e2e-env.sh installs kubectl and kubernetes-validate",
            tool.display()
        );
    }
    (kubectl, validate)
}

#[test]
#[ignore = "needs kubectl and kubernetes-validate: DOCKERIZE_E2E=1 cargo test -- --ignored (scripts/e2e-env.sh installs them)"]
fn overlays_render_validate_strictly_and_every_pod_is_restricted() {
    assert_eq!(
        std::env::var("DOCKERIZE_E2E").as_deref(),
        Ok("1"),
        "run scripts/e2e-env.sh, then DOCKERIZE_E2E=1 cargo test -- --ignored"
    );
    let (kubectl, validate) = tools();
    for (fixture, flags, pods) in [
        ("shop", &["--role", "worker=worker"][..], 2),
        ("ledger", &[][..], 3),
    ] {
        let fx = Fixture::new(fixture);
        let mut args = vec![
            "init",
            "--yes",
            "--no-git",
            "--deploy",
            "compose,kubernetes",
        ];
        args.extend(flags);
        fx.cmd(&args).assert().success();
        for overlay in ["staging", "production"] {
            let dir = format!("deploy/kubernetes/overlays/{overlay}");
            let out = run(
                fx.path(),
                kubectl.to_str().unwrap(),
                &["kustomize", &dir],
                &[],
            );
            let rendered = String::from_utf8_lossy(&out.stdout).into_owned();
            let file = fx.file(&format!("{overlay}.rendered.yaml"));
            std::fs::write(&file, &rendered).unwrap();
            let out = run(
                fx.path(),
                validate.to_str().unwrap(),
                &[
                    "--strict",
                    "--kubernetes-version",
                    KUBERNETES_VERSION,
                    file.to_str().unwrap(),
                ],
                &[],
            );
            let report = text(&out);
            // The validation is strict: a field Kubernetes does not know is refused.
            let wrong = fx.file(&format!("{overlay}.unknown-field.yaml"));
            std::fs::write(
                &wrong,
                rendered.replacen(
                    "  revisionHistoryLimit: 5\n",
                    "  revisionHistoryLimit: 5\n  replica: 2\n",
                    1,
                ),
            )
            .unwrap();
            let refused = Command::new(&validate)
                .args(["--strict", "--kubernetes-version", KUBERNETES_VERSION])
                .arg(&wrong)
                .output()
                .unwrap();
            assert!(
                !refused.status.success()
                    && text(&refused).contains("Additional properties are not allowed"),
                "an unknown field passed:\n{}",
                text(&refused)
            );
            let objects = objects(&rendered);
            assert_eq!(
                report.matches(" passed for resource ").count(),
                objects.len(),
                "every object validated:\n{report}"
            );
            assert_eq!(check_pods(&objects), pods, "{fixture} {overlay}");
            let kinds: Vec<String> = objects
                .iter()
                .map(|o| {
                    format!(
                        "{}/{}",
                        o["kind"].as_str().unwrap_or_default(),
                        o["metadata"]["name"].as_str().unwrap_or_default()
                    )
                })
                .collect();
            let namespaced = objects
                .iter()
                .filter(|o| o["kind"] != "Namespace")
                .all(|o| {
                    o["metadata"]["namespace"].as_str()
                        == Some(&format!("{}-{overlay}", fixture_app(&fx, fixture)))
                });
            assert!(namespaced, "{fixture} {overlay}: {kinds:?}");
            let pdbs = kinds
                .iter()
                .filter(|k| k.starts_with("PodDisruptionBudget/"))
                .count();
            assert_eq!(pdbs > 0, overlay == "production", "{kinds:?}");
            eprintln!(
                "{fixture} {overlay}: {} objects valid for Kubernetes {KUBERNETES_VERSION}: {}",
                objects.len(),
                kinds.join(", ")
            );
        }
    }
}

/// The project's name as the manifests use it (the ledger's is its temporary folder's).
fn fixture_app(fx: &Fixture, fixture: &str) -> String {
    if fixture == "shop" {
        return "shop".into();
    }
    let kustomization = fx.read("deploy/kubernetes/overlays/production/kustomization.yaml");
    kustomization
        .lines()
        .find_map(|l| l.strip_prefix("namespace: "))
        .and_then(|n| n.strip_suffix("-production"))
        .unwrap()
        .to_string()
}
