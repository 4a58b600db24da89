//! Which production variables reach the pods from the team's Secret, and which from the settings ConfigMap.

use serde::Serialize;

use crate::config::Config;
use crate::families::secrets::is_secret;

/// A variable the pods get, with what to set it to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    pub var: String,
    pub hint: String,
}

/// The production variables of the app, split by where Kubernetes keeps them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Env {
    /// Keys of the Secret the team creates: credentials, and URLs that carry them.
    pub secrets: Vec<EnvVar>,
    /// Entries of each overlay's `settings.env`, in the settings ConfigMap.
    pub settings: Vec<EnvVar>,
}

/// The backing services' production variables (they stay outside the cluster), then the
/// settings the app's code reads; each variable once.
pub fn env(config: &Config) -> Env {
    let mut out = Env::default();
    let services = config.services.iter().flat_map(|s| {
        s.prod_env
            .iter()
            .map(|(var, hint)| (var.clone(), hint.clone(), false))
    });
    let settings = config
        .app_settings
        .iter()
        .map(|s| (s.var.clone(), s.prod_hint.clone(), s.secret));
    for (var, hint, secret) in services.chain(settings) {
        if out
            .secrets
            .iter()
            .chain(&out.settings)
            .any(|e| e.var == var)
        {
            continue;
        }
        let list = if secret || is_secret(&var) {
            &mut out.secrets
        } else {
            &mut out.settings
        };
        list.push(EnvVar { var, hint });
    }
    out
}
