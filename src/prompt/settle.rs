//! Turns what was asked into the answers to store: a value equal to detection is not stored
//! (so detection keeps flowing in), and it replaces a different stored answer.

use std::collections::BTreeMap;

use crate::config::{Answers, DEFAULTS, DeployTarget, Platform, Runtime};
use crate::detect::Role;

/// What detection alone would choose, for the questions asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub bins: Vec<String>,
    /// Each binary's role, as its code says.
    pub roles: BTreeMap<String, Role>,
    /// Each server's port, as its code says.
    pub ports: BTreeMap<String, u16>,
    pub runtime: Runtime,
    pub services: Vec<String>,
    pub registry: String,
    pub runtime_files: Vec<String>,
}

/// Every answer given on the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompted {
    /// The binaries to package, the primary one first.
    pub bins: Vec<String>,
    /// The role of each packaged binary, in the order of `bins`.
    pub roles: Vec<Role>,
    /// The port of each packaged server (`None` for the other roles), in the order of `bins`.
    pub ports: Vec<Option<u16>>,
    pub runtime: Runtime,
    pub services: Vec<String>,
    pub registry: String,
    pub runtime_files: Vec<String>,
    pub ci: bool,
    pub makefile: bool,
    pub deploy: Vec<DeployTarget>,
    pub platforms: Vec<Platform>,
}

/// `Some(new)` unless `new` is what detection gives and was not already pinned to that.
fn pin<T: PartialEq>(current: Option<T>, new: T, detected: &T) -> Option<T> {
    if &new == detected && current.as_ref() != Some(&new) {
        None
    } else {
        Some(new)
    }
}

/// The answers after the questions: `current` with every asked value replaced.
pub fn settle(current: &Answers, prompted: &Prompted, detected: &Detected) -> Answers {
    let mut out = current.clone();
    out.bins = pin(current.bins.clone(), prompted.bins.clone(), &detected.bins);
    // Per-binary answers: only for packaged binaries; the primary's port is `port`.
    out.bin.retain(|name, _| prompted.bins.contains(name));
    out.port = None;
    for (i, name) in prompted.bins.iter().enumerate() {
        let stored = current.bin.get(name).cloned().unwrap_or_default();
        let detected_role = detected.roles.get(name).copied().unwrap_or_default();
        let role = prompted.roles.get(i).copied().unwrap_or(detected_role);
        let role = pin(stored.role, role, &detected_role);
        let mut port = None;
        if let (Some(Some(asked)), Some(found)) = (prompted.ports.get(i), detected.ports.get(name))
        {
            let pinned = if i == 0 {
                current.port.or(stored.port)
            } else {
                stored.port
            };
            port = pin(pinned, *asked, found);
        } else if let Some(Some(asked)) = prompted.ports.get(i) {
            port = Some(*asked);
        }
        if i == 0 {
            out.port = port;
            port = None;
        }
        if role.is_none() && port.is_none() {
            out.bin.remove(name);
        } else {
            let entry = out.bin.entry(name.clone()).or_default();
            entry.role = role;
            entry.port = port;
        }
    }
    out.runtime = pin(current.runtime, prompted.runtime, &detected.runtime);
    out.services = pin(
        current.services.clone(),
        prompted.services.clone(),
        &detected.services,
    );
    out.registry = pin(
        current.registry.clone(),
        prompted.registry.clone(),
        &detected.registry,
    );
    out.runtime_files = pin(
        current.runtime_files.clone(),
        prompted.runtime_files.clone(),
        &detected.runtime_files,
    );
    out.ci = pin(current.ci, prompted.ci, &DEFAULTS.ci);
    out.makefile = pin(current.makefile, prompted.makefile, &DEFAULTS.makefile);
    out.deploy = pin(
        current.deploy.clone(),
        prompted.deploy.clone(),
        &DEFAULTS.deploy.to_vec(),
    );
    out.platforms = pin(
        current.platforms.clone(),
        prompted.platforms.clone(),
        &DEFAULTS.platforms.to_vec(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected() -> Detected {
        Detected {
            bins: vec!["shop".into(), "worker".into()],
            roles: BTreeMap::from([
                ("shop".to_string(), Role::Server),
                ("worker".to_string(), Role::Worker),
            ]),
            ports: BTreeMap::from([("shop".to_string(), 3000)]),
            runtime: Runtime::Distroless,
            services: vec!["postgres".into()],
            registry: "ghcr.io/acme".into(),
            runtime_files: vec!["config".into()],
        }
    }

    fn accepted(d: &Detected) -> Prompted {
        Prompted {
            bins: d.bins.clone(),
            roles: d.bins.iter().map(|b| d.roles[b]).collect(),
            ports: d.bins.iter().map(|b| d.ports.get(b).copied()).collect(),
            runtime: d.runtime,
            services: d.services.clone(),
            registry: d.registry.clone(),
            runtime_files: d.runtime_files.clone(),
            ci: true,
            makefile: true,
            deploy: vec![DeployTarget::Compose],
            platforms: vec![Platform::Amd64],
        }
    }

    #[test]
    fn accepting_detection_stores_nothing() {
        let d = detected();
        assert_eq!(
            settle(&Answers::default(), &accepted(&d), &d),
            Answers::default()
        );
    }

    #[test]
    fn the_detected_value_replaces_a_different_stored_answer() {
        let d = detected();
        let stored = Answers {
            port: Some(9000),
            runtime: Some(Runtime::Debian),
            registry: Some("example.com/old".into()),
            services: Some(vec![]),
            ci: Some(false),
            features: Some(vec!["fast".into()]),
            ..Answers::default()
        }
        .with_bin_port("worker", 9100);
        let out = settle(&stored, &accepted(&d), &d);
        assert_eq!(
            out,
            Answers {
                features: Some(vec!["fast".into()]),
                ..Answers::default()
            },
            "questions not asked (features) keep their answer"
        );
    }

    #[test]
    fn a_pinned_value_equal_to_detection_stays_pinned() {
        let d = detected();
        let stored = Answers {
            port: Some(3000),
            ..Answers::default()
        };
        assert_eq!(settle(&stored, &accepted(&d), &d).port, Some(3000));
    }

    #[test]
    fn changed_values_are_stored() {
        let d = detected();
        let mut p = accepted(&d);
        p.bins = vec!["worker".into()];
        p.roles = vec![Role::Server];
        p.ports = vec![Some(4000)];
        p.runtime = Runtime::Static;
        p.makefile = false;
        let out = settle(&Answers::default(), &p, &d);
        assert_eq!(out.bins, Some(vec!["worker".into()]));
        assert_eq!(out.port, Some(4000));
        assert_eq!(out.bin["worker"].role, Some(Role::Server));
        assert_eq!(out.bin["worker"].port, None, "the primary's port is `port`");
        assert_eq!(out.runtime, Some(Runtime::Static));
        assert_eq!(out.makefile, Some(false));
        assert_eq!(out.ci, None);
    }

    #[test]
    fn each_port_is_stored_only_where_it_differs_from_the_code() {
        let mut d = detected();
        d.roles.insert("worker".into(), Role::Server);
        d.ports.insert("worker".into(), 9000);
        let mut p = accepted(&d);
        let out = settle(&Answers::default(), &p, &d);
        assert!(out.bin.is_empty(), "{out:?}");
        assert_eq!(out.port, None);
        p.ports = vec![Some(5000), Some(9000)];
        let out = settle(&Answers::default(), &p, &d);
        assert_eq!(out.port, Some(5000));
        assert!(out.bin.is_empty(), "{out:?}");
        p.ports = vec![Some(3000), Some(7000)];
        let out = settle(&Answers::default(), &p, &d);
        assert_eq!(out.port, None);
        assert_eq!(out.bin["worker"].port, Some(7000));
    }

    #[test]
    fn a_role_differing_from_the_code_is_stored() {
        let d = detected();
        let mut p = accepted(&d);
        p.roles = vec![Role::Server, Role::Job];
        let out = settle(&Answers::default(), &p, &d);
        assert_eq!(out.bin["worker"].role, Some(Role::Job));
        assert_eq!(out.bin.len(), 1);
    }
}
