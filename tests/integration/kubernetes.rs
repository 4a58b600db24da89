//! The Kubernetes manifests as written: every pod template meets Pod Security "restricted" plus a read-only root, probes and resources; no Secret holds values.

use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::support::Fixture;

/// The objects of one or more YAML streams (`---`-separated), empty documents left out.
pub fn objects(yaml: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(yaml)
        .map(|doc| Value::deserialize(doc).unwrap_or_else(|e| panic!("{e}\n{yaml}")))
        .filter(|v| !v.is_null())
        .collect()
}

/// Every object under `deploy/kubernetes/base` and the overlays' own YAML files, as written.
fn written(fx: &Fixture) -> Vec<Value> {
    let mut out = Vec::new();
    let root = fx.file("deploy/kubernetes");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml")
                && path.file_name().is_some_and(|n| n != "kustomization.yaml")
            {
                out.extend(objects(&std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, key| v.get(*key))
}

/// Checks every pod template (Deployments, Jobs) against the restricted profile's fields,
/// a read-only root with a writable /tmp, and, for Deployments, requests, limits and
/// probes on a container with a port; and that no Secret with data is among `objects`.
/// Returns how many pod templates it checked.
pub fn check_pods(objects: &[Value]) -> usize {
    let mut checked = 0;
    for object in objects {
        let kind = str_at(object, &["kind"]).unwrap_or_default();
        let name = str_at(object, &["metadata", "name"]).unwrap_or_default();
        let what = format!("{kind}/{name}");
        if kind == "Secret" {
            assert!(
                object.get("data").is_none() && object.get("stringData").is_none(),
                "{what} carries values"
            );
        }
        if !matches!(kind, "Deployment" | "Job") {
            continue;
        }
        checked += 1;
        let pod = at(object, &["spec", "template", "spec"]).expect("a pod template");
        let security = &pod["securityContext"];
        assert_eq!(security["runAsNonRoot"], Value::Bool(true), "{what}");
        assert_eq!(security["runAsUser"].as_u64(), Some(65532), "{what}");
        assert_eq!(security["runAsGroup"].as_u64(), Some(65532), "{what}");
        assert_eq!(
            str_at(security, &["seccompProfile", "type"]),
            Some("RuntimeDefault"),
            "{what}"
        );
        for field in ["hostNetwork", "hostPID", "hostIPC"] {
            assert_ne!(pod.get(field), Some(&Value::Bool(true)), "{what}: {field}");
        }
        let tmp_volumes: Vec<&str> = pod["volumes"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter(|v| v.get("emptyDir").is_some())
            .filter_map(|v| str_at(v, &["name"]))
            .collect();
        let containers = pod["containers"].as_sequence().expect("containers");
        assert!(!containers.is_empty(), "{what}");
        for container in containers.iter().chain(
            pod.get("initContainers")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten(),
        ) {
            let c = &container["securityContext"];
            let cname = str_at(container, &["name"]).unwrap_or_default();
            assert_eq!(
                c["allowPrivilegeEscalation"],
                Value::Bool(false),
                "{what} {cname}"
            );
            assert_eq!(
                c["readOnlyRootFilesystem"],
                Value::Bool(true),
                "{what} {cname}"
            );
            assert_ne!(c.get("privileged"), Some(&Value::Bool(true)), "{what}");
            let drop: Vec<&str> = at(c, &["capabilities", "drop"])
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            assert_eq!(drop, ["ALL"], "{what} {cname}");
            assert!(
                at(c, &["capabilities", "add"]).is_none(),
                "{what} {cname} adds capabilities"
            );
            let tmp = container["volumeMounts"]
                .as_sequence()
                .into_iter()
                .flatten()
                .find(|m| str_at(m, &["mountPath"]) == Some("/tmp"))
                .unwrap_or_else(|| panic!("{what} {cname}: no /tmp mount"));
            assert!(
                tmp_volumes.contains(&str_at(tmp, &["name"]).unwrap_or_default()),
                "{what} {cname}: /tmp is no emptyDir"
            );
            for bound in ["requests", "limits"] {
                for resource in ["cpu", "memory"] {
                    assert!(
                        at(container, &["resources", bound, resource]).is_some(),
                        "{what} {cname}: no {bound}.{resource}"
                    );
                }
            }
            if kind == "Deployment" && container.get("ports").is_some() {
                for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
                    assert!(container.get(probe).is_some(), "{what} {cname}: {probe}");
                }
            }
        }
    }
    checked
}

/// The shop with its worker answered a worker, and a `/healthz` route in the server.
fn shop() -> Fixture {
    let fx = Fixture::new("shop");
    let main = fx.read("src/main.rs").replace(
        ".route(\"/db\", get(db))",
        ".route(\"/db\", get(db)).route(\"/healthz\", get(greeting))",
    );
    fx.write("src/main.rs", &main);
    fx.cmd(crate::support::SHOP_ON_KUBERNETES)
        .assert()
        .success();
    fx
}

#[test]
fn every_pod_is_restricted_read_only_probed_and_bounded() {
    let fx = shop();
    let objects = written(&fx);
    assert_eq!(check_pods(&objects), 2, "the shop and its worker");
    let kinds: Vec<&str> = objects
        .iter()
        .filter_map(|o| str_at(o, &["kind"]))
        .collect();
    assert!(!kinds.contains(&"Secret"), "{kinds:?}");

    let ledger = Fixture::new("ledger");
    ledger
        .cmd(&["init", "--yes", "--no-git", "--deploy", "kubernetes"])
        .assert()
        .success();
    let objects = written(&ledger);
    let job = objects
        .iter()
        .find(|o| str_at(o, &["kind"]) == Some("Job"))
        .expect("the migrations Job");
    assert_eq!(
        str_at(job, &["spec", "template", "spec", "restartPolicy"]),
        Some("Never")
    );
    assert_eq!(
        check_pods(&objects),
        3,
        "two servers and the migrations Job"
    );
}

#[test]
fn a_declared_health_route_gets_http_probes_and_secrets_come_from_a_reference() {
    let fx = shop();
    let deployment = objects(&fx.read("deploy/kubernetes/base/deployment-shop.yaml")).remove(0);
    let container = &at(&deployment, &["spec", "template", "spec", "containers"])
        .and_then(Value::as_sequence)
        .unwrap()[0];
    for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
        assert_eq!(
            str_at(container, &[probe, "httpGet", "path"]),
            Some("/healthz"),
            "{probe}"
        );
    }
    let env = container["env"].as_sequence().unwrap();
    let database = env
        .iter()
        .find(|e| str_at(e, &["name"]) == Some("DATABASE_URL"))
        .unwrap();
    assert_eq!(
        str_at(database, &["valueFrom", "secretKeyRef", "name"]),
        Some("shop-secrets")
    );
    assert!(database.get("value").is_none());
    // The worker has no port: no Service, no probes.
    assert!(
        !fx.file("deploy/kubernetes/base/service-shop-worker.yaml")
            .exists()
    );
    let readme = fx.read("README.Docker.md");
    assert!(
        readme.contains("kubectl -n shop-production create secret generic shop-secrets"),
        "{readme}"
    );
    assert!(
        readme.contains("GET /healthz (declared at src/main.rs:"),
        "{readme}"
    );
}

#[test]
fn without_kubernetes_nothing_is_written_for_it() {
    let fx = Fixture::new("shop");
    fx.cmd(&["init", "--yes", "--no-git"]).assert().success();
    assert!(!fx.file("deploy").exists());
    assert!(!fx.read("README.Docker.md").contains("## Kubernetes"));
}
