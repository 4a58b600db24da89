//! Unified diffs of file contents (the `similar` crate), coloured like `git diff` on request.

use similar::TextDiff;

use super::color::Paint;

/// The unified diff between two versions of `path`, empty when they are equal.
pub fn unified(path: &str, old: &str, new: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        let paint = if i < 2 {
            Some(Paint::Strong)
        } else if line.starts_with("@@") {
            Some(Paint::Hunk)
        } else if line.starts_with('+') {
            Some(Paint::Added)
        } else if line.starts_with('-') {
            Some(Paint::Removed)
        } else {
            None
        };
        match paint {
            Some(p) => out.push_str(&p.apply(line, color)),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_with_headers() {
        let out = unified(
            "Dockerfile",
            "FROM a\nEXPOSE 80\n",
            "FROM a\nEXPOSE 90\n",
            false,
        );
        assert_eq!(
            out,
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-EXPOSE 80\n+EXPOSE 90\n"
        );
        assert!(unified("x", "same\n", "same\n", true).is_empty());
    }

    #[test]
    fn coloured_lines() {
        let out = unified("f", "a\n", "b\n", true);
        assert!(out.contains("\x1b[31m-a\x1b[0m"), "{out:?}");
        assert!(out.contains("\x1b[32m+b\x1b[0m"), "{out:?}");
    }
}
