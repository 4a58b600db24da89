//! When to colour, and the few ANSI styles used (cargo's: green, cyan, yellow, red, bold).

use crate::cli::ColorArg;

/// Whether to colour a stream: `--color` wins, then NO_COLOR, then whether it is a terminal.
pub fn enabled(choice: ColorArg, no_color: bool, terminal: bool) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => !no_color && terminal,
    }
}

/// A text style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Bold green: done, created, added lines.
    Good,
    /// Bold cyan: notes, hunk headers.
    Note,
    /// Bold yellow: warnings.
    Warn,
    /// Bold red: errors, conflicts, removed lines.
    Bad,
    /// Bold.
    Strong,
    /// Green, not bold (added diff lines).
    Added,
    /// Red, not bold (removed diff lines).
    Removed,
    /// Cyan, not bold (hunk headers).
    Hunk,
}

impl Paint {
    fn code(self) -> &'static str {
        match self {
            Paint::Good => "1;32",
            Paint::Note => "1;36",
            Paint::Warn => "1;33",
            Paint::Bad => "1;31",
            Paint::Strong => "1",
            Paint::Added => "32",
            Paint::Removed => "31",
            Paint::Hunk => "36",
        }
    }

    /// `text` in this style when `color` is on, else as is.
    pub fn apply(self, text: &str, color: bool) -> String {
        if color && !text.is_empty() {
            format!("\x1b[{}m{text}\x1b[0m", self.code())
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_over_no_color_and_terminal() {
        assert!(enabled(ColorArg::Always, true, false));
        assert!(!enabled(ColorArg::Never, false, true));
        assert!(!enabled(ColorArg::Auto, true, true));
        assert!(enabled(ColorArg::Auto, false, true));
        assert!(!enabled(ColorArg::Auto, false, false));
    }

    #[test]
    fn plain_without_color() {
        assert_eq!(Paint::Good.apply("Created", false), "Created");
        assert_eq!(
            Paint::Good.apply("Created", true),
            "\x1b[1;32mCreated\x1b[0m"
        );
    }
}
