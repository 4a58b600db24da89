//! `deploy/kubernetes/`: a kustomize base (a Deployment per server and worker, a Service per server, the settings ConfigMap, the migrations Job) and the staging and production overlays.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Family, Output};
use crate::config::{BinConfig, Config};
use crate::detect::{HealthRoutes, Role};

mod env;

pub use env::{Env, EnvVar};

/// The base's kustomization.
pub const BASE: &str = "deploy/kubernetes/base/kustomization.yaml";
/// One Deployment per server and worker.
pub const DEPLOYMENT: &str = "deploy/kubernetes/base/deployment.yaml";
/// One Service per server.
pub const SERVICE: &str = "deploy/kubernetes/base/service.yaml";
/// The migrations Job, when the workspace has a migrations image.
pub const MIGRATE_JOB: &str = "deploy/kubernetes/base/job-migrate.yaml";
/// Each overlay's kustomization.
pub const OVERLAY: &str = "deploy/kubernetes/overlays/kustomization.yaml";
/// Each overlay's Namespace, enforcing Pod Security "restricted".
pub const NAMESPACE: &str = "deploy/kubernetes/overlays/namespace.yaml";
/// Each overlay's non-secret settings, merged into the settings ConfigMap.
pub const SETTINGS: &str = "deploy/kubernetes/overlays/settings.env";
/// The production overlay's PodDisruptionBudgets, one per server.
pub const PDB: &str = "deploy/kubernetes/overlays/production/pdb.yaml";

/// The overlays, with how many replicas each runs of a server.
const OVERLAYS: [(&str, u32); 2] = [("staging", 1), ("production", 2)];

/// The manifests, when the `deploy` answer names Kubernetes.
pub const FAMILY: Family = Family::rendering(
    "kubernetes",
    &[
        BASE,
        DEPLOYMENT,
        SERVICE,
        MIGRATE_JOB,
        OVERLAY,
        NAMESPACE,
        SETTINGS,
        PDB,
    ],
)
.wanted_when(|wants| wants.kubernetes)
.making(files);

/// A server or worker as it runs on Kubernetes.
#[derive(Debug, Clone, Serialize)]
struct Workload<'a> {
    /// Its objects' name and `app.kubernetes.io/name`: the image's name.
    name: String,
    bin: &'a str,
    role: Role,
    /// The image without a tag (the overlays' `images:` set it).
    image: String,
    port: u16,
    env: &'a BTreeMap<String, String>,
    health: Option<&'a HealthRoutes>,
}

fn workloads(config: &Config) -> Vec<Workload<'_>> {
    config
        .bins
        .iter()
        .filter(|b| matches!(b.role, Role::Server | Role::Worker))
        .map(|b: &BinConfig| Workload {
            name: dns_label(&b.image),
            bin: &b.name,
            role: b.role,
            image: format!("{}/{}", config.registry, b.image),
            port: b.port,
            env: &b.env,
            health: b.health.as_ref(),
        })
        .collect()
}

/// What every Kubernetes template (and the README) sees as `kubernetes`.
pub fn context(config: &Config) -> Value {
    let app = dns_label(&config.project);
    let migrate = config
        .delivery
        .migrations
        .as_ref()
        .filter(|m| m.image)
        .map(|_| {
            json!({
                "name": format!("{app}-migrate"),
                "image": format!("{}/{}-migrate", config.registry, config.project),
            })
        });
    let overlays: Vec<Value> = OVERLAYS
        .iter()
        .map(|(name, replicas)| {
            json!({ "name": name, "namespace": format!("{app}-{name}"), "replicas": replicas })
        })
        .collect();
    json!({
        "app": app,
        "secret": format!("{app}-secrets"),
        "settings_map": format!("{app}-settings"),
        "env": env::env(config),
        "workloads": workloads(config),
        "migrate": migrate,
        "overlays": overlays,
    })
}

/// The Secret the team creates, its keys with what to set each to (none: no Secret).
pub fn secret(config: &Config) -> (String, Vec<EnvVar>) {
    (
        format!("{}-secrets", dns_label(&config.project)),
        env::env(config).secrets,
    )
}

fn files(template: &str, config: &Config) -> Vec<Output> {
    let common = context(config);
    let with = |path: String, extra: &[(&str, Value)]| {
        let mut out = Output::at(path);
        out.vars.insert("kubernetes".into(), common.clone());
        for (key, value) in extra {
            out.vars.insert((*key).into(), value.clone());
        }
        out
    };
    let dir = "deploy/kubernetes";
    let per_overlay = |file: &str| -> Vec<Output> {
        common["overlays"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| {
                let name = o["name"].as_str().unwrap_or_default();
                with(
                    format!("{dir}/overlays/{name}/{file}"),
                    &[("overlay", o.clone())],
                )
            })
            .collect()
    };
    let workloads = common["workloads"].as_array().cloned().unwrap_or_default();
    let servers = || workloads.iter().filter(|w| w["role"] == "server");
    // One `kind` object per workload: `deployment-<name>.yaml`, `service-<name>.yaml`.
    let per_workload = |workloads: Vec<&Value>, kind: &str| -> Vec<Output> {
        let one = |w: &Value| {
            let name = w["name"].as_str().unwrap_or_default();
            let path = format!("{dir}/base/{kind}-{name}.yaml");
            with(path, &[("workload", w.clone())])
        };
        workloads.into_iter().map(one).collect()
    };
    match template {
        DEPLOYMENT => per_workload(workloads.iter().collect(), "deployment"),
        SERVICE => per_workload(servers().collect(), "service"),
        MIGRATE_JOB if common["migrate"].is_null() => Vec::new(),
        PDB if servers().next().is_none() => Vec::new(),
        OVERLAY => per_overlay("kustomization.yaml"),
        NAMESPACE => per_overlay("namespace.yaml"),
        SETTINGS => per_overlay("settings.env"),
        _ => vec![with(template.to_string(), &[])],
    }
}

/// A name Kubernetes accepts for objects and namespaces (RFC 1123 label): lowercase
/// letters, digits and `-`, starting and ending with a letter or digit.
fn dns_label(name: &str) -> String {
    let label: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let label = label.trim_matches('-');
    if label.is_empty() {
        "app".into()
    } else {
        label.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_dns_labels() {
        assert_eq!(dns_label("my_app"), "my-app");
        assert_eq!(dns_label("_x_"), "x");
        assert_eq!(dns_label("shop-worker"), "shop-worker");
    }
}
