//! A command's output as data (status lines, text, diffs), rendered with or without colour.

use super::color::Paint;
use super::diff;

/// The colour of a status verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Something was (or would be) done: green.
    Good,
    /// Information: cyan.
    Note,
    /// Needs attention: yellow.
    Warn,
    /// Failed or conflicting: red.
    Bad,
    /// Nothing happened: no colour.
    Quiet,
}

/// One piece of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// `{verb:>12} {text}`, like cargo's `   Compiling foo`.
    Status {
        verb: String,
        tone: Tone,
        text: String,
    },
    /// A bold heading on its own line, after a blank line.
    Heading(String),
    /// Text printed as is (a newline is added).
    Text(String),
    /// A unified diff of one file.
    Diff {
        path: String,
        old: String,
        new: String,
    },
}

/// What a command prints, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<Line>,
}

impl Report {
    /// Adds a status line.
    pub fn status(&mut self, verb: &str, tone: Tone, text: impl Into<String>) {
        self.lines.push(Line::Status {
            verb: verb.to_string(),
            tone,
            text: text.into(),
        });
    }

    /// Adds a heading.
    pub fn heading(&mut self, text: impl Into<String>) {
        self.lines.push(Line::Heading(text.into()));
    }

    /// Adds a line of text.
    pub fn text(&mut self, text: impl Into<String>) {
        self.lines.push(Line::Text(text.into()));
    }

    /// Adds the diff of a file.
    pub fn diff(&mut self, path: &str, old: &str, new: &str) {
        self.lines.push(Line::Diff {
            path: path.to_string(),
            old: old.to_string(),
            new: new.to_string(),
        });
    }

    /// Appends another report.
    pub fn append(&mut self, other: Report) {
        self.lines.extend(other.lines);
    }

    /// Whether there is nothing to print.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The text, with ANSI colours when `color` is on.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for line in &self.lines {
            match line {
                Line::Status { verb, tone, text } => {
                    let padded = format!("{verb:>12}");
                    let paint = match tone {
                        Tone::Good => Some(Paint::Good),
                        Tone::Note => Some(Paint::Note),
                        Tone::Warn => Some(Paint::Warn),
                        Tone::Bad => Some(Paint::Bad),
                        Tone::Quiet => None,
                    };
                    let verb = paint.map_or(padded.clone(), |p| p.apply(&padded, color));
                    out.push_str(&format!("{verb} {text}\n"));
                }
                Line::Heading(text) => {
                    out.push('\n');
                    out.push_str(&Paint::Strong.apply(text, color));
                    out.push('\n');
                }
                Line::Text(text) => {
                    out.push_str(text);
                    out.push('\n');
                }
                Line::Diff { path, old, new } => {
                    out.push_str(&diff::unified(path, old, new, color))
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_verbs_are_right_aligned_and_coloured_on_request() {
        let mut report = Report::default();
        report.status("Created", Tone::Good, "Dockerfile (1 KiB)");
        report.status("Unchanged", Tone::Quiet, "Makefile");
        assert_eq!(
            report.render(false),
            "     Created Dockerfile (1 KiB)\n   Unchanged Makefile\n"
        );
        assert!(
            report
                .render(true)
                .starts_with("\x1b[1;32m     Created\x1b[0m Dockerfile")
        );
    }
}
