//! Three-way merge of generated file sets: the last render (base), the team's files (ours), the new render (theirs).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Result;

/// The label of the team's side in conflict markers (`<<<<<<< yours`).
pub const OURS_LABEL: &str = "yours";
/// The label of the new render's side in conflict markers (`>>>>>>> cargo-dockerize`).
pub const THEIRS_LABEL: &str = "cargo-dockerize";

/// What the merge decided for one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The team's file stays as it is (or stays absent).
    Keep,
    /// The file becomes this text, merged cleanly.
    Write(String),
    /// The file becomes this text, with conflict markers around overlapping hunks.
    Conflict(String),
    /// The template no longer produces the file and the team had not edited it: remove it.
    Remove,
    /// The team deleted the file and its template output changed: it stays deleted (reported).
    KeptDeleted,
    /// The template no longer produces the file, but the team had edited it: it stays (reported).
    KeptEdited,
}

/// The merged file set: path -> resolution, for every path in base or theirs.
pub type Merged = BTreeMap<String, Resolution>;

/// Merges every path that the base or the new render has.
///
/// `ours` holds the team's current files for those paths (absent: deleted or never there).
pub fn merge_sets(
    base: &BTreeMap<String, String>,
    ours: &BTreeMap<String, String>,
    theirs: &BTreeMap<String, String>,
) -> Result<Merged> {
    let paths: BTreeSet<&String> = base.keys().chain(theirs.keys()).collect();
    let mut out = Merged::new();
    for path in paths {
        let resolution = merge_one(
            path,
            base.get(path).map(String::as_str),
            ours.get(path).map(String::as_str),
            theirs.get(path).map(String::as_str),
        )?;
        out.insert(path.clone(), resolution);
    }
    Ok(out)
}

/// Merges one path; `None` means the file does not exist on that side.
pub fn merge_one(
    path: &str,
    base: Option<&str>,
    ours: Option<&str>,
    theirs: Option<&str>,
) -> Result<Resolution> {
    if theirs == base || ours == theirs {
        return Ok(Resolution::Keep);
    }
    if ours == base {
        return Ok(match theirs {
            Some(text) => Resolution::Write(text.to_string()),
            None => Resolution::Remove,
        });
    }
    let (Some(ours), Some(theirs)) = (ours, theirs) else {
        return Ok(if ours.is_none() {
            Resolution::KeptDeleted
        } else {
            Resolution::KeptEdited
        });
    };
    let (text, clean) = merge_text(path, base.unwrap_or(""), ours, theirs)?;
    Ok(if clean {
        if text == ours {
            Resolution::Keep
        } else {
            Resolution::Write(text)
        }
    } else {
        Resolution::Conflict(text)
    })
}

/// A line-based 3-way merge of texts (libgit2's xdiff); returns the text and whether it merged cleanly.
pub fn merge_text(path: &str, base: &str, ours: &str, theirs: &str) -> Result<(String, bool)> {
    // `git2::merge_file` does not initialise libgit2 itself (git2 0.21); calls that do, such as
    // `Oid::from_bytes`, make it safe. Without this, the merge can fail with "no error".
    let _ = git2::Oid::from_bytes(&[0; 20]);
    let (base, ours, theirs) = (input(path, base), input(path, ours), input(path, theirs));
    let mut opts = git2::MergeFileOptions::new();
    opts.our_label(OURS_LABEL)
        .their_label(THEIRS_LABEL)
        .ancestor_label("base")
        .style_standard(true);
    let result = git2::merge_file(&base, &ours, &theirs, Some(&mut opts))?;
    Ok((
        String::from_utf8_lossy(result.content()).into_owned(),
        result.is_automergeable(),
    ))
}

fn input<'a>(path: &str, text: &'a str) -> git2::MergeFileInput<'a> {
    let mut input = git2::MergeFileInput::new();
    input.path(path).content(text.as_bytes()).mode(None);
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize, tag: &str) -> Vec<String> {
        (0..n).map(|i| format!("{tag} {i}")).collect()
    }

    fn text(lines: &[String]) -> String {
        let mut s = lines.join("\n");
        s.push('\n');
        s
    }

    #[test]
    fn edits_in_separate_hunks_both_survive() {
        let base = lines(20, "line");
        let mut ours = base.clone();
        ours[2] = "team edit".into();
        let mut theirs = base.clone();
        theirs[15] = "template change".into();
        let r = merge_one(
            "f",
            Some(&text(&base)),
            Some(&text(&ours)),
            Some(&text(&theirs)),
        );
        let Resolution::Write(out) = r.unwrap() else {
            panic!("expected a clean merge")
        };
        assert!(out.contains("team edit\n") && out.contains("template change\n"));
    }

    #[test]
    fn overlapping_edits_get_standard_markers() {
        let base = text(&lines(5, "line"));
        let ours = base.replace("line 2", "team");
        let theirs = base.replace("line 2", "template");
        let r = merge_one("f", Some(&base), Some(&ours), Some(&theirs)).unwrap();
        let Resolution::Conflict(out) = r else {
            panic!("expected a conflict: {r:?}")
        };
        assert!(
            out.contains("<<<<<<< yours\nteam\n=======\ntemplate\n>>>>>>> cargo-dockerize\n"),
            "{out}"
        );
    }

    #[test]
    fn unchanged_template_keeps_whatever_the_team_has() {
        for ours in [None, Some("edited\n")] {
            assert_eq!(
                merge_one("f", Some("a\n"), ours, Some("a\n")).unwrap(),
                Resolution::Keep
            );
        }
    }

    #[test]
    fn deletions_and_additions() {
        // The team deleted it, the template changed: stays deleted, reported.
        assert_eq!(
            merge_one("f", Some("a\n"), None, Some("b\n")).unwrap(),
            Resolution::KeptDeleted
        );
        // The template dropped it, the team had not touched it: removed.
        assert_eq!(
            merge_one("f", Some("a\n"), Some("a\n"), None).unwrap(),
            Resolution::Remove
        );
        // The template dropped it, the team had edited it: kept, reported.
        assert_eq!(
            merge_one("f", Some("a\n"), Some("b\n"), None).unwrap(),
            Resolution::KeptEdited
        );
        // A new template file.
        assert_eq!(
            merge_one("f", None, None, Some("new\n")).unwrap(),
            Resolution::Write("new\n".into())
        );
        // A new template file where the team already has a different one: both sides, marked.
        assert!(matches!(
            merge_one("f", None, Some("mine\n"), Some("new\n")).unwrap(),
            Resolution::Conflict(_)
        ));
    }

    #[test]
    fn sets_cover_base_and_theirs() {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let merged = merge_sets(
            &map(&[("a", "1\n"), ("gone", "x\n")]),
            &map(&[("a", "1\n"), ("gone", "x\n"), ("unrelated", "u\n")]),
            &map(&[("a", "2\n"), ("new", "n\n")]),
        )
        .unwrap();
        assert_eq!(merged["a"], Resolution::Write("2\n".into()));
        assert_eq!(merged["gone"], Resolution::Remove);
        assert_eq!(merged["new"], Resolution::Write("n\n".into()));
        assert!(!merged.contains_key("unrelated"));
    }

    /// xorshift64*: deterministic randomness without a dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Random team edits (changed, inserted and deleted lines), then a template update that
    /// changes other random lines: every team edit survives, or the file is a reported conflict.
    #[test]
    fn property_team_edits_survive_or_conflict() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut conflicts = 0;
        for case in 0..500 {
            let n = 5 + rng.below(40);
            let base = lines(n, "line");
            let mut ours = base.clone();
            let mut team_lines = Vec::new();
            let mut deleted = Vec::new();
            for e in 0..1 + rng.below(4) {
                let i = rng.below(ours.len());
                let line = format!("team {case}.{e}");
                // Earlier team lines are never changed or deleted again, so each must survive.
                let untouched = ours[i].starts_with("line");
                match rng.below(3) {
                    0 if untouched => ours[i] = line.clone(),
                    1 => ours.insert(i, line.clone()),
                    2 if untouched => {
                        deleted.push(ours.remove(i));
                        continue;
                    }
                    _ => continue,
                }
                team_lines.push(line);
            }
            let mut theirs = base.clone();
            let mut template_lines = Vec::new();
            for e in 0..1 + rng.below(3) {
                let i = rng.below(theirs.len());
                if !theirs[i].starts_with("line") {
                    continue;
                }
                let line = format!("template {case}.{e}");
                theirs[i] = line.clone();
                template_lines.push(line);
            }
            let (base_t, ours_t, theirs_t) = (text(&base), text(&ours), text(&theirs));
            let resolution = merge_one("f", Some(&base_t), Some(&ours_t), Some(&theirs_t)).unwrap();
            let has = |out: &str, l: &str| out.lines().any(|x| x == l);
            match resolution {
                Resolution::Keep => {
                    assert!(
                        template_lines.iter().all(|l| has(&ours_t, l)),
                        "case {case}"
                    )
                }
                Resolution::Write(out) => {
                    for l in team_lines.iter().chain(&template_lines) {
                        assert!(has(&out, l), "case {case}: lost `{l}`:\n{out}");
                    }
                    for l in &deleted {
                        assert!(!has(&out, l), "case {case}: `{l}` came back:\n{out}");
                    }
                }
                Resolution::Conflict(out) => {
                    conflicts += 1;
                    assert!(out.contains("<<<<<<< yours\n"), "case {case}");
                    for l in &team_lines {
                        assert!(has(&out, l), "case {case}: lost `{l}`:\n{out}");
                    }
                }
                other => panic!("case {case}: unexpected {other:?}"),
            }
        }
        assert!(
            (1..500).contains(&conflicts),
            "both outcomes exercised: {conflicts} conflicts"
        );
    }
}
