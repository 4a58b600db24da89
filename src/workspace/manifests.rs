//! The members' own Cargo.toml text, for what `cargo metadata` drops (comments among them).

use cargo_metadata::Metadata;

/// Each member's Cargo.toml as written: (package name, text); unreadable files are left out.
pub(super) fn read_member_manifests(metadata: &Metadata) -> Vec<(String, String)> {
    metadata
        .workspace_packages()
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p.manifest_path.as_std_path()).ok()?;
            Some((p.name.to_string(), text))
        })
        .collect()
}
