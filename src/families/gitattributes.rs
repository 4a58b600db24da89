//! The `.gitattributes` line that keeps shell scripts LF (git2 blobs bypass line-ending filters).

use super::Family;

/// The file's path.
pub const PATH: &str = ".gitattributes";

/// The line kept in the team's `.gitattributes` (no template: [`text`] adds it).
pub const FAMILY: Family = Family::writing("gitattributes", &[PATH]);

/// The `.gitattributes` text with the line that keeps shell scripts LF, if it is missing.
pub fn text(existing: Option<&str>) -> Option<String> {
    const LINE: &str = "*.sh text eol=lf";
    let existing = existing.unwrap_or("");
    if existing.lines().any(|l| l.trim() == LINE) {
        return None;
    }
    let mut text = existing.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(
        "# Shell scripts run in Linux containers: keep LF line endings (cargo-dockerize).\n",
    );
    text.push_str(LINE);
    text.push('\n');
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_added_once() {
        let text = text(Some("*.png binary")).unwrap();
        assert!(text.starts_with("*.png binary\n"));
        assert!(super::text(Some(&text)).is_none());
    }
}
