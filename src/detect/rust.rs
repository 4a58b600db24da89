//! The Rust version of every image: the toolchain file's channel, else the user's rustc, never below `rust-version`.

use crate::workspace::Workspace;

/// The chosen Rust version and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustVersion {
    /// A version usable as an image tag, e.g. `1.95.0` or `1.82`.
    pub version: String,
    /// Why: `rust-toolchain.toml`, `rustc`, `rust-version`.
    pub source: &'static str,
}

impl RustVersion {
    /// Whether rust-toolchain.toml decides it (then no answer can).
    pub fn pinned_by_toolchain(&self) -> bool {
        self.source == TOOLCHAIN_FILE
    }
}

/// The source named when the toolchain file decides.
const TOOLCHAIN_FILE: &str = "rust-toolchain.toml";

/// The version used when nothing else is known (no rustc on PATH).
const FALLBACK: &str = "1.95";

/// Applies the rule described in the module doc.
pub fn detect(ws: &Workspace) -> RustVersion {
    if let Some(channel) = ws
        .toolchain
        .as_ref()
        .and_then(|t| t.channel.as_deref())
        .filter(|c| is_version(c))
    {
        return RustVersion {
            version: channel.to_string(),
            source: TOOLCHAIN_FILE,
        };
    }
    let minimum = ws
        .members
        .iter()
        .filter_map(|m| m.rust_version.clone())
        .max_by_key(|v| numeric(v));
    let own = ws.rustc_version.clone().filter(|v| is_version(v));
    match (own, minimum) {
        (Some(own), Some(min)) if numeric(&min) > numeric(&own) => RustVersion {
            version: min,
            source: "rust-version",
        },
        (Some(own), _) => RustVersion {
            version: own,
            source: "rustc",
        },
        (None, Some(min)) => RustVersion {
            version: min,
            source: "rust-version",
        },
        (None, None) => RustVersion {
            version: FALLBACK.into(),
            source: "default",
        },
    }
}

fn is_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn numeric(v: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = v.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Member;

    fn ws(channel: Option<&str>, rustc: Option<&str>, minimum: Option<&str>) -> Workspace {
        Workspace {
            toolchain: channel.map(|c| crate::workspace::Toolchain {
                channel: Some(c.into()),
                ..Default::default()
            }),
            rustc_version: rustc.map(Into::into),
            members: vec![Member {
                rust_version: minimum.map(Into::into),
                ..Member::default()
            }],
            ..Workspace::default()
        }
    }

    #[test]
    fn toolchain_file_wins() {
        let v = detect(&ws(Some("1.82.0"), Some("1.95.0"), Some("1.90")));
        assert_eq!(
            (v.version.as_str(), v.source),
            ("1.82.0", "rust-toolchain.toml")
        );
    }

    #[test]
    fn own_rustc_unless_below_the_minimum() {
        assert_eq!(
            detect(&ws(None, Some("1.95.0"), Some("1.80"))).version,
            "1.95.0"
        );
        let v = detect(&ws(None, Some("1.79.0"), Some("1.80")));
        assert_eq!((v.version.as_str(), v.source), ("1.80", "rust-version"));
    }

    #[test]
    fn a_named_channel_falls_back_to_rustc() {
        assert_eq!(
            detect(&ws(Some("stable"), Some("1.95.0"), None)).version,
            "1.95.0"
        );
    }
}
