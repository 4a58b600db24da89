//! Turns what was asked into the answers to store: a value equal to detection is not stored
//! (so detection keeps flowing in), and it replaces a different stored answer.

use crate::config::{Answers, Runtime};

/// What detection alone would choose, for the questions asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub bins: Vec<String>,
    /// The primary binary's port; the others default to the next ones.
    pub port: u16,
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
    /// The port of each packaged binary, in the order of `bins`.
    pub ports: Vec<u16>,
    pub runtime: Runtime,
    pub services: Vec<String>,
    pub registry: String,
    pub runtime_files: Vec<String>,
    pub ci: bool,
    pub makefile: bool,
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
    // Per-binary ports: only for packaged binaries; the primary's is `port`.
    out.bin.retain(|name, _| prompted.bins[1..].contains(name));
    let primary = prompted.ports.first().copied().unwrap_or(detected.port);
    let primary_pinned = current.bin.get(&prompted.bins[0]).and_then(|b| b.port);
    out.port = pin(current.port.or(primary_pinned), primary, &detected.port);
    for (i, (name, port)) in prompted
        .bins
        .iter()
        .zip(&prompted.ports)
        .enumerate()
        .skip(1)
    {
        let default = primary.saturating_add(i as u16);
        let stored = current.bin.get(name).and_then(|b| b.port);
        match pin(stored, *port, &default) {
            Some(port) => out.bin.entry(name.clone()).or_default().port = Some(port),
            None => {
                out.bin.remove(name);
            }
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
    out.ci = pin(current.ci, prompted.ci, &true);
    out.makefile = pin(current.makefile, prompted.makefile, &true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BinAnswers;

    fn detected() -> Detected {
        Detected {
            bins: vec!["shop".into(), "worker".into()],
            port: 3000,
            runtime: Runtime::Distroless,
            services: vec!["postgres".into()],
            registry: "ghcr.io/acme".into(),
            runtime_files: vec!["config".into()],
        }
    }

    fn accepted(d: &Detected) -> Prompted {
        Prompted {
            bins: d.bins.clone(),
            ports: vec![d.port, d.port + 1],
            runtime: d.runtime,
            services: d.services.clone(),
            registry: d.registry.clone(),
            runtime_files: d.runtime_files.clone(),
            ci: true,
            makefile: true,
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
        let mut stored = Answers {
            port: Some(9000),
            runtime: Some(Runtime::Debian),
            registry: Some("example.com/old".into()),
            services: Some(vec![]),
            ci: Some(false),
            features: Some(vec!["fast".into()]),
            ..Answers::default()
        };
        stored.bin.insert(
            "worker".into(),
            BinAnswers {
                port: Some(9100),
                ..BinAnswers::default()
            },
        );
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
        p.ports = vec![4000];
        p.runtime = Runtime::Static;
        p.makefile = false;
        let out = settle(&Answers::default(), &p, &d);
        assert_eq!(out.bins, Some(vec!["worker".into()]));
        assert_eq!(out.port, Some(4000));
        assert_eq!(out.runtime, Some(Runtime::Static));
        assert_eq!(out.makefile, Some(false));
        assert_eq!(out.ci, None);
        assert!(out.bin.is_empty());
    }

    #[test]
    fn secondary_ports_follow_the_primary_unless_changed() {
        let d = detected();
        let mut p = accepted(&d);
        p.ports = vec![5000, 5001];
        let out = settle(&Answers::default(), &p, &d);
        assert_eq!(out.port, Some(5000));
        assert!(out.bin.is_empty(), "{out:?}");
        p.ports = vec![3000, 7000];
        let out = settle(&Answers::default(), &p, &d);
        assert_eq!(out.port, None);
        assert_eq!(out.bin["worker"].port, Some(7000));
    }
}
