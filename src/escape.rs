//! Escaping for each kind of generated file, and the checks for values no escaping can carry.
//!
//! Each escape leaves an ordinary value (a name, a version, a URL) as it is, so the
//! generated files stay readable; the template filters in `render.rs` call these.

/// Characters that end a line for some reader of the generated files (YAML 1.1 counts the
/// Unicode ones, Dockerfile and shell only `\n`; `\r` is dropped or kept depending on who reads).
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A value on one line: every run of line breaks and the blanks around it become one
/// space, other control characters become spaces, and the ends are trimmed.
pub fn one_line(value: &str) -> String {
    value
        .split(is_line_break)
        .map(|line| line.trim())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The inside of a double-quoted Dockerfile value (`LABEL k="..."`, `ENV K="..."`): on one
/// line, with `\`, `"` and `$` escaped so neither the parser nor variable expansion sees them.
pub fn dockerfile_str(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in one_line(value).chars() {
        if matches!(c, '\\' | '"' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether YAML reads `c` as itself inside a double-quoted scalar: printable, and not a
/// character YAML 1.1 parsers take for a line break (folded to a space) or a byte-order mark.
pub fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// JSON, which YAML reads as a double-quoted string (or a flow list of them), with the
/// characters JSON leaves raw but YAML does not accept or reads differently as `\uXXXX`.
pub fn yaml_quote<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let json = serde_json::to_string(value)?;
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if yaml_printable(c) {
            out.push(c);
        } else {
            // JSON's own syntax is ASCII, so such a character is inside a string.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        }
    }
    Ok(out)
}

/// Words YAML 1.1 or 1.2 reads as something other than a string when plain.
const YAML_RESERVED: &[&str] = &["true", "false", "yes", "no", "on", "off", "y", "n", "null"];

/// A YAML scalar for `value`: plain when it can only be read as that string (a name, a
/// path, a URL without blanks), else [`yaml_quote`]d. A plain value starts with a letter,
/// or with a digit when it holds a `/` (no number, date or time does).
pub fn yaml_str(value: &str) -> String {
    let mut chars = value.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || (c.is_ascii_digit() && value.contains('/')))
        && chars.all(|c| c.is_alphanumeric() || "._/:@+-".contains(c))
        && !value.ends_with(':')
        && !YAML_RESERVED.contains(&value.to_ascii_lowercase().as_str());
    if plain {
        value.to_string()
    } else {
        yaml_quote(value).expect("a string serializes")
    }
}

/// One POSIX shell word: unchanged when it has no character the shell treats specially,
/// else single-quoted (a `'` inside becomes `'\''`).
pub fn sh_str(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// A Makefile variable value: `$` doubled, `#` escaped (a comment otherwise), on one line.
pub fn make_str(value: &str) -> String {
    one_line(value).replace('$', "$$").replace('#', r"\#")
}

/// Why `value` cannot be an env-profile value, if it cannot: a profile line `KEY=value` must
/// read the same to `set -a; . file`, Compose `env_file:` and `docker run --env-file`, so no
/// quotes, `$`, backslash, blank, control character, shell operator or leading `~`/`#`.
pub fn env_value_problem(value: &str) -> Option<&'static str> {
    if let Some(c) = value.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Some(if is_line_break(c) {
            "a line break"
        } else {
            "a blank or control character"
        });
    }
    if value.contains(['"', '\'', '`', '\\']) {
        return Some("a quote or backslash");
    }
    if value.contains('$') {
        return Some("`$`, which Compose and the shell expand");
    }
    if value.contains([';', '&', '|', '<', '>', '(', ')']) {
        return Some("a shell operator (`;&|<>()`)");
    }
    if value.starts_with(['~', '#']) {
        return Some("a leading `~` or `#`");
    }
    None
}

/// Whether `key` can name a variable in an env profile (and in the shell).
pub fn is_env_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Why a path cannot be written unquoted in a Dockerfile `COPY`, a shell word or YAML, if
/// it cannot: blanks, quotes, `$`, backslashes, glob characters, control characters, and a
/// leading `-` (read as an option by `COPY` and shell commands).
pub fn path_problem(path: &str) -> Option<&'static str> {
    if path.split('/').any(|part| part.starts_with('-')) {
        Some("a part starting with `-`, read as an option")
    } else if path.chars().any(|c| c.is_control() || c.is_whitespace()) {
        Some("a blank, line break or control character")
    } else if path.contains(['"', '\'', '`', '\\', '$']) {
        Some("a quote, backslash or `$`")
    } else if path.contains(['*', '?', '[', ']', '{', '}']) {
        Some("a glob character (`*?[]{}`)")
    } else if path.contains(['#', ';', '&', '|', '<', '>', '(', ')']) {
        Some("a shell or comment character (`#;&|<>()`)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_values_are_left_alone() {
        // Ordinary for every escaper, then for some of them.
        let everywhere = ["api", "ghcr.io/acme", "services/api"];
        for v in everywhere
            .into_iter()
            .chain(["my-api", "MIT OR Apache-2.0"])
        {
            assert_eq!(dockerfile_str(v), v);
            assert_eq!(make_str(v), v);
        }
        for v in everywhere
            .into_iter()
            .chain(["my_api", "localhost:5000/x", "2024/api"])
        {
            assert_eq!(yaml_str(v), v);
            assert_eq!(sh_str(v), v);
        }
        assert_eq!(
            env_value_problem("postgres://app:app@postgres:5432/shop"),
            None
        );
        assert_eq!(env_value_problem("sqlite:///data/shop.db?mode=rwc"), None);
    }

    #[test]
    fn dockerfile_values_are_one_escaped_line() {
        assert_eq!(
            dockerfile_str("\nA \"thing\".\r\n  More $HOME \\ \n"),
            r#"A \"thing\". More \$HOME \\"#
        );
    }

    #[test]
    fn yaml_scalars_quote_what_plain_yaml_would_misread() {
        assert_eq!(yaml_str("yes"), "\"yes\"");
        assert_eq!(yaml_str("8080"), "\"8080\"");
        assert_eq!(yaml_str("2001-12-14"), "\"2001-12-14\"");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("a\u{2028}b\u{7f}"), r#""a\u2028b\u007f""#);
        assert_eq!(yaml_quote(&["a\"b"]).unwrap(), r#"["a\"b"]"#);
    }

    #[test]
    fn shell_words_are_single_quoted_when_needed() {
        assert_eq!(sh_str(""), "''");
        assert_eq!(sh_str("it's $x"), r"'it'\''s $x'");
    }

    #[test]
    fn make_values_escape_dollars_and_comments() {
        assert_eq!(make_str("a$b#c\nd"), r"a$$b\#c d");
    }

    #[test]
    fn profile_values_outside_the_subset_are_named() {
        for bad in ["a b", "a\nb", "\"x\"", "$HOME", "a;b", "~/x", "#x", "a\\b"] {
            assert!(env_value_problem(bad).is_some(), "{bad:?}");
        }
        assert!(is_env_key("DATABASE_URL"));
        assert!(!is_env_key("1X") && !is_env_key("A-B") && !is_env_key(""));
    }

    #[test]
    fn paths_with_special_characters_are_named() {
        assert_eq!(path_problem("config/app.d"), None);
        assert_eq!(path_problem("my-config/a-b"), None);
        for bad in [
            "my dir",
            "a\nb",
            "a\"b",
            "$x",
            "a*",
            "a#b",
            "--",
            "config/-v",
        ] {
            assert!(path_problem(bad).is_some(), "{bad:?}");
        }
    }
}
