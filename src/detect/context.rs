//! Path dependencies the Docker build context (the workspace root) cannot build.

use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// Fails on path dependencies that are outside the workspace root (not in the build
/// context) or inside it but not members (cargo-chef's recipe holds members' manifests only,
/// so `cargo chef cook` cannot find them).
pub fn check(ws: &Workspace) -> Result<()> {
    let problems: Vec<String> = ws
        .path_packages
        .iter()
        .map(|p| {
            let why = if p.inside_root {
                "not a workspace member, so cargo-chef's recipe leaves it out"
            } else {
                "outside the workspace root"
            };
            format!("`{}` at {}: {why}", p.name, p.dir)
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::PathDependencies {
            root: ws.root.clone(),
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::PathPackage;

    #[test]
    fn each_unbuildable_path_dependency_is_named() {
        let mut ws = Workspace::default();
        assert!(check(&ws).is_ok());
        ws.path_packages = vec![
            PathPackage {
                name: "shared".into(),
                dir: "../shared".into(),
                inside_root: false,
            },
            PathPackage {
                name: "patched".into(),
                dir: "vendor/patched".into(),
                inside_root: true,
            },
        ];
        let text = check(&ws).unwrap_err().to_string();
        assert!(text.contains("`shared` at ../shared: outside"), "{text}");
        assert!(
            text.contains("`patched` at vendor/patched: not a workspace member"),
            "{text}"
        );
    }
}
