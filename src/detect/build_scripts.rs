//! Tools the members' build scripts run (git, protoc, pkg-config, cmake) and whether they read `.git`.

use std::collections::BTreeSet;

use crate::workspace::Workspace;

/// What the build scripts need in the builder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildScripts {
    /// Programs run by a build script, for the summary.
    pub tools: Vec<String>,
    /// Their Debian packages.
    pub packages: BTreeSet<String>,
    /// Whether a build script reads the repository (`git describe`, vergen, built):
    /// `.git` then stays in the build context.
    pub reads_git: bool,
}

/// A program a build script may start, and its package.
const TOOLS: &[(&str, &str)] = &[
    ("git", "git"),
    ("protoc", "protobuf-compiler"),
    ("pkg-config", "pkg-config"),
    ("cmake", "cmake"),
    ("make", "make"),
];

/// Build dependencies that read the repository's history, and whether they run the git CLI.
const GIT_READERS: &[(&str, bool)] = &[
    ("vergen-gitcl", true),
    ("vergen-git2", false),
    ("vergen-gix", false),
    ("git-version", true),
    ("shadow-rs", false),
];

/// Scans the build scripts for `Command::new("<tool>")` and the graph for git readers.
pub fn detect(ws: &Workspace) -> BuildScripts {
    let mut out = BuildScripts::default();
    for (_, text) in &ws.build_scripts {
        for (tool, package) in TOOLS {
            let call = format!("Command::new(\"{tool}\")");
            if text.contains(&call) && !out.tools.iter().any(|t| t == tool) {
                out.tools.push(tool.to_string());
                out.packages.insert(package.to_string());
            }
        }
    }
    let mut git_reader = false;
    for package in &ws.packages {
        // vergen 8 reads git behind its `git` feature, with the CLI under `gitcl`; built
        // behind `git2`.
        let (reads, cli) = match package.name.as_str() {
            "vergen" => (package.has_feature("git"), package.has_feature("gitcl")),
            "built" => (package.has_feature("git2"), false),
            name => GIT_READERS
                .iter()
                .find(|(n, _)| *n == name)
                .map_or((false, false), |(_, cli)| (true, *cli)),
        };
        git_reader |= reads;
        if cli {
            out.packages.insert("git".into());
        }
    }
    out.reads_git = out.tools.iter().any(|t| t == "git") || git_reader;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::workspace_with;

    #[test]
    fn commands_in_build_rs() {
        let mut ws = workspace_with(&[]);
        ws.build_scripts = vec![(
            "build.rs".into(),
            r#"fn main() {
                let sha = std::process::Command::new("git").args(["rev-parse", "HEAD"]).output();
                std::process::Command::new("protoc").arg("--version").status().unwrap();
            }"#
            .into(),
        )];
        let b = detect(&ws);
        assert_eq!(b.tools, ["git", "protoc"]);
        assert_eq!(
            b.packages.iter().collect::<Vec<_>>(),
            ["git", "protobuf-compiler"]
        );
        assert!(b.reads_git);
    }

    #[test]
    fn vergen_reads_the_repository() {
        let b = detect(&workspace_with(&["vergen-gitcl"]));
        assert!(b.reads_git);
        assert!(b.packages.contains("git"));
        assert!(!detect(&workspace_with(&["built"])).reads_git);
        assert!(detect(&workspace_with(&["built[git2]"])).reads_git);
        let vergen = detect(&workspace_with(&["vergen[git,gitcl]"]));
        assert!(vergen.reads_git && vergen.packages.contains("git"));
        assert!(!detect(&workspace_with(&["vergen[build]"])).reads_git);
        let version = detect(&workspace_with(&["git-version"]));
        assert!(version.reads_git && version.packages.contains("git"));
        assert!(detect(&workspace_with(&["shadow-rs"])).reads_git);
    }
}
