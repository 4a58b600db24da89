//! `init` in git repositories: the commit on the tool's branch, `--merge`, and the refusals.

use git2::Repository;
use predicates::prelude::*;

use crate::support::{Fixture, commit_all, git_env, git_state, output_of};

/// Asserts that `args` fail with `code` and `message` plus a help line, changing nothing.
fn refuses(fx: &Fixture, args: &[&str], code: i32, message: &str) {
    let (state, hashes) = (git_state(fx.path()), fx.hashes());
    fx.git_cmd(args)
        .assert()
        .code(code)
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains("help:"));
    assert_eq!(
        state,
        git_state(fx.path()),
        "`{}` changed git",
        args.join(" ")
    );
    assert_eq!(hashes, fx.hashes(), "`{}` changed files", args.join(" "));
}

#[test]
fn init_commits_on_a_branch_and_touches_nothing_else() {
    let fx = Fixture::committed("shop");
    // A dirty working tree: a modified file, a staged one, an untracked one.
    fx.write("src/main.rs", "fn main() { /* work in progress */ }\n");
    fx.write("notes.txt", "staged\n");
    fx.git(&["add", "notes.txt"]);
    fx.write("scratch.txt", "untracked\n");
    let (state, hashes) = (git_state(fx.path()), fx.hashes());
    let head = fx.git(&["rev-parse", "HEAD"]);

    let assert = fx.git_cmd(&["init", "--yes"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("on branch `dockerize`"), "{stdout}");
    assert!(stdout.contains("untouched"), "{stdout}");

    // Working tree, index, HEAD and the current branch are as they were.
    let after = git_state(fx.path());
    assert_eq!(hashes, fx.hashes());
    assert_eq!(
        state.lines().collect::<Vec<_>>(),
        after
            .lines()
            .filter(|l| !l.contains("refs/heads/dockerize"))
            .collect::<Vec<_>>()
    );

    let repo = Repository::open(fx.path()).unwrap();
    let tip = repo
        .find_branch("dockerize", git2::BranchType::Local)
        .unwrap()
        .get()
        .peel_to_commit()
        .unwrap();
    assert_eq!(tip.parent_count(), 1);
    assert_eq!(tip.parent_id(0).unwrap().to_string(), head.trim());
    assert!(
        tip.message()
            .unwrap()
            .contains("Generated-by: cargo-dockerize")
    );
    assert_eq!(tip.author().name().unwrap(), "Test Author");
    assert_eq!(tip.committer().name().unwrap(), "Test Committer");
    let tree = tip.tree().unwrap();
    let mode = |p: &str| tree.get_path(std::path::Path::new(p)).unwrap().filemode();
    assert_eq!(mode("docker/entrypoint.sh"), 0o100755);
    assert_eq!(mode("Dockerfile"), 0o100644);
    for path in [
        "docker/dockerize.lock",
        ".gitattributes",
        "compose.yaml",
        "Cargo.lock",
    ] {
        assert!(tree.get_path(std::path::Path::new(path)).is_ok(), "{path}");
    }
    // HEAD's files, never the uncommitted ones.
    assert_eq!(
        fx.show("dockerize", "src/main.rs"),
        fx.show("HEAD", "src/main.rs")
    );
    assert!(fx.show("dockerize", "notes.txt").is_none());
    assert!(fx.show("dockerize", "scratch.txt").is_none());
    assert_eq!(
        fx.show("dockerize", "Cargo.toml"),
        fx.show("HEAD", "Cargo.toml")
    );
}

#[test]
fn answers_are_applied_to_heads_manifest_not_the_working_copy() {
    let fx = Fixture::committed("plain");
    let committed = fx.read("Cargo.toml");
    fx.write("Cargo.toml", &format!("{committed}# uncommitted edit\n"));
    fx.git_cmd(&["init", "--yes", "--port", "9999"])
        .assert()
        .success();
    let on_branch = fx.show("dockerize", "Cargo.toml").unwrap();
    assert!(on_branch.starts_with(&committed), "{on_branch}");
    assert!(on_branch.contains("port = 9999"), "{on_branch}");
    assert!(!on_branch.contains("uncommitted edit"), "{on_branch}");
    // The working copy keeps the user's edit and gets no answers.
    assert_eq!(
        fx.read("Cargo.toml"),
        format!("{committed}# uncommitted edit\n")
    );
    assert!(
        fx.show("dockerize", "Dockerfile")
            .unwrap()
            .contains("EXPOSE 9999")
    );
}

#[test]
fn a_rerun_replaces_the_branch_commit() {
    let fx = Fixture::committed("plain");
    fx.git_cmd(&["init", "--yes"]).assert().success();
    let first = fx.git(&["rev-parse", "dockerize"]);
    let assert = fx
        .git_cmd(&["init", "--yes", "--port", "7000"])
        .assert()
        .success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("replacing its previous commit"), "{stdout}");
    assert_ne!(first, fx.git(&["rev-parse", "dockerize"]));
    assert_eq!(
        fx.git(&["rev-parse", "dockerize^"]),
        fx.git(&["rev-parse", "HEAD"]),
        "the new commit sits on HEAD, not on the old one"
    );
    assert!(
        fx.show("dockerize", "Dockerfile")
            .unwrap()
            .contains("EXPOSE 7000")
    );
}

#[test]
fn a_custom_branch_name() {
    let fx = Fixture::committed("plain");
    fx.git_cmd(&["init", "--yes", "--branch", "ops/containers"])
        .assert()
        .success();
    assert!(fx.show("ops/containers", "Dockerfile").is_some());
    assert!(fx.show("dockerize", "Dockerfile").is_none());
}

#[test]
fn works_on_an_unborn_head() {
    let fx = Fixture::new("plain");
    fx.git(&["init", "-q", "-b", "main"]);
    let hashes = fx.hashes();
    let assert = fx
        .git_cmd(&["init", "--yes", "--port", "9000"])
        .assert()
        .success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("no commits yet"), "{stdout}");
    assert!(stdout.contains("Cargo.toml is not committed"), "{stdout}");
    assert_eq!(hashes, fx.hashes());
    let repo = Repository::open(fx.path()).unwrap();
    assert!(repo.head().is_err(), "HEAD is still unborn");
    let tip = repo
        .revparse_single("dockerize")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(tip.parent_count(), 0);
    assert!(fx.show("dockerize", "Dockerfile").is_some());
    assert!(fx.show("dockerize", "src/main.rs").is_none());

    // --merge on an unborn branch: the branch is born at the tool's commit.
    fx.git_cmd(&["init", "--yes", "--port", "9000", "--merge"])
        .assert()
        .success();
    assert_eq!(
        fx.git(&["rev-parse", "main"]),
        fx.git(&["rev-parse", "dockerize"])
    );
    assert!(fx.read("Dockerfile").contains("EXPOSE 9000"));
}

#[test]
fn a_workspace_in_a_subdirectory() {
    let fx = Fixture::nested("plain", "services/tool");
    fx.write("README.md", "monorepo\n");
    commit_all(fx.path(), "initial");
    let ws = fx.file("services/tool");
    let mut cmd = assert_cmd::Command::cargo_bin("cargo-dockerize").unwrap();
    cmd.current_dir(&ws)
        .envs(git_env())
        .args(["dockerize", "init", "--yes", "--merge", "--port", "9100"])
        .assert()
        .success();
    let ls = fx.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(ls.contains("services/tool/Dockerfile\n"), "{ls}");
    assert!(ls.contains("services/tool/docker/dockerize.lock\n"), "{ls}");
    assert!(!ls.lines().any(|l| l == "Dockerfile"), "{ls}");
    let manifest = fx.show("HEAD", "services/tool/Cargo.toml").unwrap();
    assert!(manifest.contains("port = 9100"), "{manifest}");
    assert!(ws.join("Dockerfile").exists());
    assert_eq!(fx.git(&["status", "--porcelain"]), "", "merged cleanly");
}

#[test]
fn without_a_git_identity_the_fallback_is_used_and_said() {
    let fx = Fixture::committed("plain");
    let home = tempfile::tempdir().unwrap();
    let mut cmd = fx.cmd(&["init", "--yes"]);
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for var in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ] {
        cmd.env_remove(var);
    }
    let (stdout, _) = output_of(&cmd.assert().success());
    assert!(
        stdout.contains("no git identity is configured")
            && stdout.contains("cargo-dockerize <cargo-dockerize@localhost>"),
        "{stdout}"
    );
    let repo = Repository::open(fx.path()).unwrap();
    let tip = repo
        .revparse_single("dockerize")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(tip.author().email().unwrap(), "cargo-dockerize@localhost");
    assert_eq!(tip.committer().name().unwrap(), "cargo-dockerize");
}

#[test]
fn the_repository_config_identity_is_used_without_env_vars() {
    let fx = Fixture::committed("plain");
    fx.git(&["config", "user.name", "Config User"]);
    fx.git(&["config", "user.email", "config@example.com"]);
    let mut cmd = fx.cmd(&["init", "--yes"]);
    cmd.env("HOME", crate::support::empty_home())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL");
    let (stdout, _) = output_of(&cmd.assert().success());
    assert!(!stdout.contains("no git identity"), "{stdout}");
    let repo = Repository::open(fx.path()).unwrap();
    let tip = repo
        .revparse_single("dockerize")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(tip.author().name().unwrap(), "Config User");
}

#[test]
fn merge_fast_forwards_and_touches_only_generated_paths() {
    let fx = Fixture::committed("shop");
    fx.write("src/main.rs", "fn main() { /* work in progress */ }\n");
    fx.write("scratch.txt", "untracked\n");
    let wip = fx.read("src/main.rs");
    let assert = fx.git_cmd(&["init", "--yes", "--merge"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("fast-forward"), "{stdout}");
    assert_eq!(
        fx.git(&["rev-parse", "HEAD"]),
        fx.git(&["rev-parse", "dockerize"])
    );
    assert_eq!(fx.git(&["symbolic-ref", "HEAD"]).trim(), "refs/heads/main");
    let status = fx.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(
        status, " M src/main.rs\n?? scratch.txt\n",
        "only the user's own changes remain"
    );
    assert_eq!(fx.read("src/main.rs"), wip);
    assert!(fx.read("Dockerfile").contains("cargo chef cook"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(fx.file("docker/entrypoint.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111);
    // `check` is happy in the merged workspace.
    fx.cmd(&["check"]).assert().success();
}

#[test]
fn merge_refuses_when_generated_paths_have_uncommitted_changes() {
    let fx = Fixture::committed("plain");
    fx.write("Dockerfile", "FROM scratch\n");
    refuses(
        &fx,
        &["init", "--yes", "--merge"],
        1,
        "uncommitted changes: Dockerfile",
    );
    assert!(
        fx.show("dockerize", "Dockerfile").is_none(),
        "no branch either"
    );
}

#[test]
fn a_detached_head_works_and_is_reported() {
    let fx = Fixture::committed("plain");
    let head = fx.git(&["rev-parse", "HEAD"]);
    fx.git(&["checkout", "-q", "--detach"]);
    let assert = fx.git_cmd(&["init", "--yes"]).assert().success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("detached HEAD"), "{stdout}");
    assert_eq!(fx.git(&["rev-parse", "dockerize^"]), head);
    assert_eq!(fx.git(&["rev-parse", "HEAD"]), head);

    // --merge moves the detached HEAD to the tool's commit.
    fx.git_cmd(&["init", "--yes", "--merge"]).assert().success();
    assert_eq!(
        fx.git(&["rev-parse", "HEAD"]),
        fx.git(&["rev-parse", "dockerize"])
    );
    assert!(!crate::support::git_ok(
        fx.path(),
        &["symbolic-ref", "-q", "HEAD"]
    ));
    assert_eq!(fx.git(&["rev-parse", "main"]), head, "main did not move");
    assert_eq!(fx.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_dry_run_in_a_repository_commits_nothing() {
    let fx = Fixture::committed("plain");
    let state = git_state(fx.path());
    let assert = fx
        .git_cmd(&["init", "--yes", "--dry-run"])
        .assert()
        .success();
    let (stdout, _) = output_of(&assert);
    assert!(stdout.contains("compared with HEAD"), "{stdout}");
    assert_eq!(state, git_state(fx.path()));
}

#[test]
fn refuses_outside_a_repository() {
    let fx = Fixture::new("plain");
    let hashes = fx.hashes();
    fx.git_cmd(&["init", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not in a git repository"))
        .stderr(predicate::str::contains("--no-git"))
        .stderr(predicate::str::contains("git init"));
    fx.git_cmd(&["update"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not in a git repository"))
        .stderr(predicate::str::contains("help:"));
    assert_eq!(hashes, fx.hashes());
    assert!(!fx.file(".git").exists());
}

#[test]
fn refuses_a_bare_repository() {
    let fx = Fixture::new("plain");
    fx.git(&["init", "-q", "--bare", "."]);
    refuses(&fx, &["init", "--yes"], 1, "is a bare git repository");
}

#[test]
fn refuses_a_branch_it_did_not_create() {
    let fx = Fixture::committed("plain");
    fx.git(&["branch", "dockerize"]);
    refuses(
        &fx,
        &["init", "--yes"],
        1,
        "branch `dockerize` exists and its last commit was not made by cargo-dockerize",
    );
    refuses(&fx, &["update"], 1, "was not made by cargo-dockerize");
    // Also when the tool's commit got a hand-made commit on top.
    let fx = Fixture::committed("plain");
    fx.git_cmd(&["init", "--yes"]).assert().success();
    fx.git(&["checkout", "-q", "dockerize"]);
    fx.write("extra.txt", "mine\n");
    fx.git(&["add", "extra.txt"]);
    fx.git(&["commit", "-q", "-m", "my own work"]);
    fx.git(&["checkout", "-q", "main"]);
    refuses(
        &fx,
        &["init", "--yes", "--port", "7000"],
        1,
        "was not made by cargo-dockerize",
    );
}

#[test]
fn refuses_an_invalid_branch_name() {
    let fx = Fixture::committed("plain");
    for bad in ["bad..name", "-x", "a b", "refs/heads/x.lock"] {
        refuses(
            &fx,
            &["init", "--yes", &format!("--branch={bad}")],
            2,
            "is not a valid branch name",
        );
    }
    refuses(
        &fx,
        &["update", "--branch", "a..b"],
        2,
        "is not a valid branch name",
    );
}

#[test]
fn refuses_while_on_the_tool_branch() {
    let fx = Fixture::committed("plain");
    fx.git_cmd(&["init", "--yes"]).assert().success();
    fx.git(&["checkout", "-q", "dockerize"]);
    refuses(
        &fx,
        &["init", "--yes", "--port", "7000"],
        1,
        "is checked out",
    );
}

#[test]
fn refuses_during_a_merge_or_a_rebase() {
    let fx = Fixture::committed("plain");
    fx.git(&["checkout", "-q", "-b", "other"]);
    fx.write("src/main.rs", "fn main() { println!(\"other\"); }\n");
    fx.git(&["commit", "-q", "-am", "other"]);
    fx.git(&["checkout", "-q", "main"]);
    fx.write("src/main.rs", "fn main() { println!(\"main\"); }\n");
    fx.git(&["commit", "-q", "-am", "main"]);
    assert!(!crate::support::git_ok(fx.path(), &["merge", "other"]));
    refuses(&fx, &["init", "--yes"], 1, "in the middle of a merge");
    fx.git(&["merge", "--abort"]);

    assert!(!crate::support::git_ok(fx.path(), &["rebase", "other"]));
    refuses(&fx, &["init", "--yes"], 1, "in the middle of a rebase");
    refuses(&fx, &["update"], 1, "in the middle of a rebase");
    fx.git(&["rebase", "--abort"]);
}

#[test]
fn merge_conflicts_with_no_git() {
    let fx = Fixture::committed("plain");
    fx.git_cmd(&["init", "--yes", "--no-git", "--merge"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}
