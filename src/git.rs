//! git2: read files at HEAD, commit a file set onto the tool's branch, merge that branch into the current one.

use std::path::{Path, PathBuf};

use git2::build::{CheckoutBuilder, TreeUpdateBuilder};
use git2::{
    Branch, BranchType, ErrorCode, FileMode, Oid, Repository, RepositoryState, Signature,
    StatusOptions, Tree,
};

use crate::error::{Error, Result};
use crate::render::File;

/// The trailer that marks the tool's commits; a branch whose tip lacks it is never replaced.
pub const TRAILER: &str = "Generated-by: cargo-dockerize";

/// The identity used when git has none configured.
pub const FALLBACK_NAME: &str = "cargo-dockerize";
/// The e-mail of the fallback identity.
pub const FALLBACK_EMAIL: &str = "cargo-dockerize@localhost";

/// A repository with a working tree, and where the workspace sits in it.
pub struct Repo {
    repo: Repository,
    /// The workspace root relative to the repository root: `""` or `"sub/dir/"`.
    prefix: String,
}

/// What HEAD is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// On a branch with commits.
    Branch { name: String, commit: Oid },
    /// Detached at a commit.
    Detached(Oid),
    /// On a branch without commits yet.
    Unborn { name: String },
}

impl Head {
    /// The commit HEAD points at, if any.
    pub fn commit(&self) -> Option<Oid> {
        match self {
            Head::Branch { commit, .. } | Head::Detached(commit) => Some(*commit),
            Head::Unborn { .. } => None,
        }
    }

    /// `main`, `detached HEAD (abc1234)` or `main (no commits yet)`.
    pub fn describe(&self) -> String {
        match self {
            Head::Branch { name, .. } => format!("`{name}`"),
            Head::Detached(oid) => format!("detached HEAD ({})", short(*oid)),
            Head::Unborn { name } => format!("`{name}` (no commits yet)"),
        }
    }
}

/// One change to the tree, by workspace-relative path.
#[derive(Debug, Clone)]
pub enum Change {
    Write(File),
    Remove { path: String },
}

impl Change {
    fn path(&self) -> &str {
        match self {
            Change::Write(File { path, .. }) | Change::Remove { path } => path,
        }
    }
}

/// A commit made on the tool's branch.
#[derive(Debug, Clone)]
pub struct Committed {
    pub id: Oid,
    pub parent: Option<Oid>,
    /// Whether the branch already existed (its commit was replaced).
    pub replaced: bool,
    /// Whether no git identity was configured and the fallback identity was used.
    pub fallback_identity: bool,
}

/// How the branch came into the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    FastForward,
    MergeCommit(Oid),
}

/// The first 7 hex digits of a commit id.
pub fn short(oid: Oid) -> String {
    oid.to_string()[..7].to_string()
}

impl Repo {
    /// Finds the repository holding `root`; refuses bare repositories and unfinished merges or rebases.
    pub fn open(root: &Path) -> Result<Self> {
        let repo = Repository::discover(root).map_err(|e| match e.code() {
            ErrorCode::NotFound => Error::NotARepository(root.to_path_buf()),
            _ => Error::from(e),
        })?;
        if repo.is_bare() {
            return Err(Error::BareRepository(repo.path().to_path_buf()));
        }
        let busy = match repo.state() {
            RepositoryState::Clean => None,
            RepositoryState::Merge => Some("merge (`git merge`)"),
            RepositoryState::Revert | RepositoryState::RevertSequence => Some("revert"),
            RepositoryState::CherryPick | RepositoryState::CherryPickSequence => {
                Some("cherry-pick")
            }
            RepositoryState::Bisect => Some("bisect"),
            RepositoryState::Rebase
            | RepositoryState::RebaseInteractive
            | RepositoryState::RebaseMerge => Some("rebase"),
            RepositoryState::ApplyMailbox | RepositoryState::ApplyMailboxOrRebase => {
                Some("`git am`")
            }
        };
        if let Some(what) = busy {
            return Err(Error::RepositoryBusy(what.into()));
        }
        let workdir = repo
            .workdir()
            .ok_or_else(|| Error::BareRepository(repo.path().to_path_buf()))?;
        let prefix = relative(&canonical(workdir)?, &canonical(root)?)?;
        Ok(Repo { repo, prefix })
    }

    /// The repository-relative path of a workspace-relative one; `..` climbs out of the
    /// workspace (the CI workflow of a workspace below the repository root).
    fn full(&self, rel: &str) -> String {
        let mut parts: Vec<&str> = self.prefix.split('/').filter(|p| !p.is_empty()).collect();
        for part in rel.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                _ => parts.push(part),
            }
        }
        parts.join("/")
    }

    /// The workspace-relative path of a repository-relative one (the inverse of [`Repo::full`]).
    fn rel(&self, full: &str) -> String {
        let prefix: Vec<&str> = self.prefix.split('/').filter(|p| !p.is_empty()).collect();
        let path: Vec<&str> = full.split('/').collect();
        let common = prefix.iter().zip(&path).take_while(|(a, b)| a == b).count();
        let mut parts = vec![".."; prefix.len() - common];
        parts.extend(&path[common..]);
        parts.join("/")
    }

    /// What HEAD is.
    pub fn head(&self) -> Result<Head> {
        let head = match self.repo.head() {
            Ok(head) => head,
            Err(e) if e.code() == ErrorCode::UnbornBranch => {
                let target = self.repo.find_reference("HEAD")?;
                let name = target
                    .symbolic_target()?
                    .unwrap_or("refs/heads/main")
                    .trim_start_matches("refs/heads/")
                    .to_string();
                return Ok(Head::Unborn { name });
            }
            Err(e) => return Err(e.into()),
        };
        let commit = head.peel_to_commit()?.id();
        if self.repo.head_detached()? {
            return Ok(Head::Detached(commit));
        }
        Ok(Head::Branch {
            name: head.shorthand().unwrap_or("HEAD").to_string(),
            commit,
        })
    }

    fn head_tree(&self) -> Result<Option<Tree<'_>>> {
        match self.head()?.commit() {
            Some(oid) => Ok(Some(self.repo.find_commit(oid)?.tree()?)),
            None => Ok(None),
        }
    }

    /// A workspace-relative file as committed at HEAD (not as in the working tree).
    pub fn read_head(&self, rel: &str) -> Result<Option<String>> {
        let Some(tree) = self.head_tree()? else {
            return Ok(None);
        };
        let entry = match tree.get_path(Path::new(&self.full(rel))) {
            Ok(entry) => entry,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        match entry.to_object(&self.repo)?.into_blob() {
            Ok(blob) => Ok(Some(String::from_utf8_lossy(blob.content()).into_owned())),
            Err(_) => Ok(None),
        }
    }

    /// Checks that `branch` is a valid name, not checked out, and absent or the tool's own.
    pub fn check_branch(&self, branch: &str) -> Result<()> {
        if !Branch::name_is_valid(branch)? {
            return Err(Error::InvalidBranch(branch.into()));
        }
        let head = self.head()?;
        if matches!(&head, Head::Branch { name, .. } | Head::Unborn { name } if name == branch) {
            return Err(Error::OnToolBranch(branch.into()));
        }
        let existing = match self.repo.find_branch(branch, BranchType::Local) {
            Ok(b) => b,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let tip = existing.get().peel_to_commit()?;
        let ours = tip
            .message()
            .is_ok_and(|m| m.lines().any(|l| l.trim() == TRAILER));
        if !ours {
            return Err(Error::BranchNotOurs(branch.into()));
        }
        Ok(())
    }

    /// The workspace-relative paths among `rels` with uncommitted changes (staged, unstaged or untracked).
    pub fn dirty(&self, rels: &[String]) -> Result<Vec<String>> {
        if rels.is_empty() {
            return Ok(Vec::new());
        }
        let mut opts = StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .disable_pathspec_match(true);
        for rel in rels {
            opts.pathspec(self.full(rel));
        }
        let statuses = self.repo.statuses(Some(&mut opts))?;
        let mut out: Vec<String> = statuses
            .iter()
            .filter(|s| !s.status().is_empty() && !s.status().is_ignored())
            .filter_map(|s| Some(self.rel(s.path().ok()?)))
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Commits HEAD's tree plus `changes` on `branch` (parent: HEAD), replacing the branch's tip.
    /// The working tree, the index, HEAD and the current branch are not touched.
    pub fn commit_to_branch(
        &self,
        branch: &str,
        changes: &[Change],
        message: &str,
    ) -> Result<Committed> {
        self.check_branch(branch)?;
        let parent = self.head()?.commit();
        let base = match self.head_tree()? {
            Some(tree) => tree,
            None => {
                let empty = self.repo.treebuilder(None)?.write()?;
                self.repo.find_tree(empty)?
            }
        };
        let mut update = TreeUpdateBuilder::new();
        for change in changes {
            let path = self.full(change.path());
            match change {
                Change::Write(File {
                    contents,
                    executable,
                    ..
                }) => {
                    let blob = self.repo.blob(contents.as_bytes())?;
                    let mode = if *executable {
                        FileMode::BlobExecutable
                    } else {
                        FileMode::Blob
                    };
                    update.upsert(path, blob, mode);
                }
                Change::Remove { .. } => {
                    update.remove(path);
                }
            }
        }
        let tree = self
            .repo
            .find_tree(update.create_updated(&self.repo, &base)?)?;
        let (author, committer, fallback_identity) = self.identity()?;
        let parents = match parent {
            Some(oid) => vec![self.repo.find_commit(oid)?],
            None => Vec::new(),
        };
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let message = format!("{}\n\n{TRAILER}\n", message.trim_end());
        let id = self
            .repo
            .commit(None, &author, &committer, &message, &tree, &parent_refs)?;
        let refname = format!("refs/heads/{branch}");
        let replaced = self.repo.find_reference(&refname).is_ok();
        self.repo
            .reference(&refname, id, true, "cargo-dockerize: generated files")?;
        Ok(Committed {
            id,
            parent,
            replaced,
            fallback_identity,
        })
    }

    /// Author and committer: GIT_AUTHOR_* / GIT_COMMITTER_* variables, then user.name and
    /// user.email from git's configuration, then the fallback identity (the flag says so).
    fn identity(&self) -> Result<(Signature<'static>, Signature<'static>, bool)> {
        let config = self.repo.config().ok();
        let get = |var: &str, key: &str| {
            std::env::var(var)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .or_else(|| config.as_ref()?.get_string(key).ok())
                .filter(|v| !v.trim().is_empty())
        };
        let author = get("GIT_AUTHOR_NAME", "user.name").zip(get("GIT_AUTHOR_EMAIL", "user.email"));
        let committer =
            get("GIT_COMMITTER_NAME", "user.name").zip(get("GIT_COMMITTER_EMAIL", "user.email"));
        let fallback = (FALLBACK_NAME.to_string(), FALLBACK_EMAIL.to_string());
        let used_fallback = author.is_none();
        let author = author.unwrap_or_else(|| fallback.clone());
        let committer = committer.unwrap_or_else(|| author.clone());
        Ok((
            Signature::now(&author.0, &author.1)?,
            Signature::now(&committer.0, &committer.1)?,
            used_fallback,
        ))
    }

    /// Brings `commit` into the current branch (or detached HEAD): a fast-forward when HEAD is
    /// its ancestor, else a merge commit. Only `rels` are updated in the working tree and index;
    /// the caller has checked that they have no uncommitted changes.
    pub fn merge_into_head(&self, commit: Oid, rels: &[String], message: &str) -> Result<Merged> {
        let head = self.head()?;
        let (target, merged) = match head.commit() {
            Some(current)
                if current != commit && !self.repo.graph_descendant_of(commit, current)? =>
            {
                let ours = self.repo.find_commit(current)?;
                let theirs = self.repo.find_commit(commit)?;
                let mut index = self.repo.merge_commits(&ours, &theirs, None)?;
                if index.has_conflicts() {
                    return Err(Error::Git(format!(
                        "the branch does not merge cleanly into {}; merge it with `git merge`",
                        head.describe()
                    )));
                }
                let tree = self.repo.find_tree(index.write_tree_to(&self.repo)?)?;
                let (author, committer, _) = self.identity()?;
                let message = format!("{}\n\n{TRAILER}\n", message.trim_end());
                let id = self.repo.commit(
                    None,
                    &author,
                    &committer,
                    &message,
                    &tree,
                    &[&ours, &theirs],
                )?;
                (id, Merged::MergeCommit(id))
            }
            _ => (commit, Merged::FastForward),
        };
        let tree = self.repo.find_commit(target)?.tree()?;
        let mut checkout = CheckoutBuilder::new();
        checkout.force().disable_pathspec_match(true);
        for rel in rels {
            checkout.path(self.full(rel));
        }
        if !rels.is_empty() {
            self.repo
                .checkout_tree(tree.as_object(), Some(&mut checkout))?;
        }
        let log = "cargo-dockerize: merge generated files";
        match head {
            Head::Detached(_) => self.repo.set_head_detached(target)?,
            Head::Branch { name, .. } | Head::Unborn { name } => {
                self.repo
                    .reference(&format!("refs/heads/{name}"), target, true, log)?;
            }
        }
        Ok(merged)
    }
}

/// Where `root` sits in the git repository holding it, found as [`Repo::open`] finds it:
/// `""` at the top of the working tree or outside a repository, else e.g. `services/api`.
pub fn dir_in_repository(root: &Path) -> String {
    let Ok(repo) = Repository::discover(root) else {
        return String::new();
    };
    let Some(workdir) = repo.workdir() else {
        return String::new();
    };
    match (canonical(workdir), canonical(root)) {
        (Ok(workdir), Ok(root)) => relative(&workdir, &root)
            .map(|prefix| prefix.trim_end_matches('/').to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn canonical(path: &Path) -> Result<PathBuf> {
    path.canonicalize()
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))
}

/// `root` relative to `workdir`, as a `/`-terminated prefix (`""` at the top).
fn relative(workdir: &Path, root: &Path) -> Result<String> {
    let rel = root.strip_prefix(workdir).map_err(|_| {
        Error::Git(format!(
            "{} is outside the repository's working tree {}",
            root.display(),
            workdir.display()
        ))
    })?;
    let mut prefix = String::new();
    for part in rel.components() {
        prefix.push_str(&part.as_os_str().to_string_lossy());
        prefix.push('/');
    }
    Ok(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit_file(repo: &Repository, path: &str, text: &str, message: &str) -> Oid {
        std::fs::write(repo.workdir().unwrap().join(path), text).unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new(path)).unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = Signature::now("T", "t@example.com").unwrap();
        let parents: Vec<git2::Commit<'_>> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &refs)
            .unwrap()
    }

    #[test]
    fn merge_makes_a_merge_commit_when_head_moved_on() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        repo.config().unwrap().set_str("user.name", "T").unwrap();
        repo.config()
            .unwrap()
            .set_str("user.email", "t@example.com")
            .unwrap();
        commit_file(&repo, "app.txt", "one\n", "first");
        let tool = Repo::open(dir.path()).unwrap();
        let change = Change::Write(File::plain("Dockerfile", "FROM scratch\n"));
        let committed = tool
            .commit_to_branch("dockerize", &[change], "files")
            .unwrap();
        // The current branch moves on after the tool's commit was made.
        let moved = commit_file(&repo, "app.txt", "two\n", "second");
        let merged = tool
            .merge_into_head(committed.id, &["Dockerfile".into()], "merge")
            .unwrap();
        let Merged::MergeCommit(id) = merged else {
            panic!("expected a merge commit, got {merged:?}")
        };
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        assert_eq!(head.id(), id);
        assert_eq!(head.parent_ids().collect::<Vec<_>>(), [moved, committed.id]);
        let text = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
        assert_eq!(text, "FROM scratch\n");
        assert!(repo.statuses(None).unwrap().is_empty());
    }

    #[test]
    fn paths_climb_out_of_the_workspace_and_back() {
        let dir = tempfile::tempdir().unwrap();
        Repository::init(dir.path()).unwrap();
        let ws = dir.path().join("services/api");
        std::fs::create_dir_all(&ws).unwrap();
        let repo = Repo::open(&ws).unwrap();
        assert_eq!(dir_in_repository(&ws), "services/api");
        assert_eq!(dir_in_repository(dir.path()), "");
        for (rel, full) in [
            ("Dockerfile", "services/api/Dockerfile"),
            (
                "docker/env/dev.env.sh",
                "services/api/docker/env/dev.env.sh",
            ),
            ("../../.github/workflows/x.yml", ".github/workflows/x.yml"),
            ("../web/Cargo.toml", "services/web/Cargo.toml"),
        ] {
            assert_eq!(repo.full(rel), full);
            assert_eq!(repo.rel(full), rel);
        }
        let outside = tempfile::tempdir().unwrap();
        assert_eq!(dir_in_repository(outside.path()), "");
    }

    #[test]
    fn relative_prefixes() {
        let p = relative(Path::new("/r"), Path::new("/r/a/b")).unwrap();
        assert_eq!(p, "a/b/");
        assert_eq!(relative(Path::new("/r"), Path::new("/r")).unwrap(), "");
        assert!(relative(Path::new("/r"), Path::new("/elsewhere")).is_err());
    }
}
