//! Cheap source-text tools: comments and test code blanked out, strings masked, brackets matched; offsets and lines kept.

/// A source file prepared for scanning: `code` has comments blanked (strings kept), `masked`
/// also has string and char contents blanked; both have the original's length and lines.
#[derive(Debug, Clone, Default)]
pub struct Src {
    pub path: String,
    pub code: String,
    pub masked: String,
    /// From the library of another workspace member (not the binary's own package).
    pub foreign: bool,
}

impl Src {
    /// Prepares `text`: comments blanked, then `#[cfg(test)]`/`#[test]` items blanked.
    pub fn new(path: &str, text: &str) -> Self {
        let (code, masked) = split(text);
        let mut src = Src {
            path: path.to_string(),
            code,
            masked,
            foreign: false,
        };
        if src.masked.contains("#![cfg(test)]") {
            src.blank(0, src.masked.len());
        }
        for (start, end) in test_items(&src) {
            src.blank(start, end);
        }
        src
    }

    /// Replaces `start..end` with spaces in both texts, keeping newlines.
    pub fn blank(&mut self, start: usize, end: usize) {
        blank_range(&mut self.code, start, end);
        blank_range(&mut self.masked, start, end);
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        line_of(&self.masked, offset)
    }

    /// The original text of the line holding `offset`, trimmed (comments blanked).
    pub fn line_text(&self, offset: usize) -> String {
        let start = self.code[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.code[offset..]
            .find('\n')
            .map_or(self.code.len(), |i| offset + i);
        self.code[start..end].trim().to_string()
    }
}

/// The byte offset where the 1-based `line` of `text` starts.
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// The offset of the string literal `"text"` at `at` (its line or after), in the file of
/// the sources it names: where a read of the variable `text` stands.
pub fn quoted_at<'a>(
    srcs: &'a [Src],
    at: &super::Location,
    text: &str,
) -> Option<(&'a Src, usize)> {
    let src = srcs.iter().find(|s| s.path == at.file)?;
    let start = line_start(&src.code, at.line);
    let found = src.code.get(start..)?.find(&format!("\"{text}\""))?;
    Some((src, start + found))
}

/// The 1-based line of `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn blank_range(text: &mut String, start: usize, end: usize) {
    let mut bytes = std::mem::take(text).into_bytes();
    let end = end.min(bytes.len());
    for b in &mut bytes[start..end] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
    // Only whole ranges of ASCII-delimited text are blanked, and every byte becomes ASCII.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// Blanks comments (`code`) and additionally string/char contents (`masked`).
fn split(text: &str) -> (String, String) {
    let b = text.as_bytes();
    let mut code = b.to_vec();
    let mut masked = b.to_vec();
    let space = |v: &mut Vec<u8>, from: usize, to: usize| {
        for x in &mut v[from..to] {
            if *x != b'\n' {
                *x = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = b[i..]
                    .iter()
                    .position(|c| *c == b'\n')
                    .map_or(b.len(), |p| i + p);
                space(&mut code, i, end);
                space(&mut masked, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                let mut j = i;
                while j < b.len() {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                let end = j.min(b.len());
                space(&mut code, i, end);
                space(&mut masked, i, end);
                i = end;
            }
            b'r' if is_raw_start(b, i) => {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                let body = j + 1;
                let closing: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                let end = b[body..]
                    .windows(closing.len())
                    .position(|w| w == closing.as_slice())
                    .map_or(b.len(), |p| body + p);
                space(&mut masked, body, end);
                i = (end + closing.len()).min(b.len());
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                space(&mut masked, i + 1, end);
                i = end + 1;
            }
            b'\'' => {
                // A char literal ('a', '\n', '\u{..}', '"'), not a lifetime.
                let end = if b.get(i + 1) == Some(&b'\\') {
                    b[i + 2..]
                        .iter()
                        .take(12)
                        .position(|c| *c == b'\'')
                        .map(|p| i + 2 + p)
                } else {
                    let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 1 + len)
                };
                match end {
                    Some(e) => {
                        space(&mut masked, i + 1, e);
                        i = e + 1;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    let to_string = |v: Vec<u8>| String::from_utf8(v).unwrap_or_default();
    (to_string(code), to_string(masked))
}

fn is_raw_start(b: &[u8], i: usize) -> bool {
    if i > 0 && is_ident_byte(b[i - 1]) {
        return false;
    }
    let mut j = i + 1;
    if b.get(j) == Some(&b'"') {
        return true;
    }
    while b.get(j) == Some(&b'#') {
        j += 1;
    }
    j > i + 1 && b.get(j) == Some(&b'"')
}

/// Whether `c` can be part of an identifier.
pub fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Walks `masked` from `from`, keeping the bracket depth relative to `from` (counted after
/// the byte at each offset), to the first offset `stop` accepts.
fn walk(masked: &str, from: usize, stop: impl Fn(usize, u8, i32) -> bool) -> Option<usize> {
    let mut depth = 0i32;
    for (i, &c) in masked.as_bytes().iter().enumerate().skip(from) {
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ => {}
        }
        if stop(i, c, depth) {
            return Some(i);
        }
    }
    None
}

/// Whether `c` closes a bracket.
fn is_close(c: u8) -> bool {
    matches!(c, b')' | b']' | b'}')
}

/// The offset of the bracket closing the one at `open` (`(`, `[`, `{`), in masked text.
pub fn matching(masked: &str, open: usize) -> Option<usize> {
    walk(masked, open, |_, c, depth| is_close(c) && depth == 0)
}

/// The end of the item starting at `from`: after its `;`, or its body's closing `}`.
pub fn item_end(masked: &str, from: usize) -> usize {
    let b = masked.as_bytes();
    let mut depth = 0i32;
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b';' if depth <= 0 => return i + 1,
            b'{' if depth <= 0 => return matching(masked, i).map_or(b.len(), |e| e + 1),
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The end of the expression or statement starting at `from`: a `;` or `,` at depth 0, or
/// the bracket closing an enclosing one.
pub fn expr_end(masked: &str, from: usize) -> usize {
    let end = |_, c, depth| (is_close(c) && depth < 0) || (matches!(c, b';' | b',') && depth == 0);
    walk(masked, from, end).unwrap_or(masked.len())
}

/// The start of the statement holding `at`: after the previous `;`, `{` or `}`.
pub fn stmt_start(masked: &str, at: usize) -> usize {
    masked[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1)
}

/// The statement holding `at`: from [`stmt_start`] to the next `;` at its own depth.
pub fn stmt_range(masked: &str, at: usize) -> (usize, usize) {
    let start = stmt_start(masked, at);
    let end = |i, c, depth| i >= at && ((is_close(c) && depth < 0) || (c == b';' && depth <= 0));
    (start, walk(masked, start, end).unwrap_or(masked.len()))
}

/// Offsets of `word` in `text` as a whole identifier.
pub fn find_word(text: &str, word: &str) -> Vec<usize> {
    let b = text.as_bytes();
    text.match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| {
            (i == 0 || !is_ident_byte(b[i - 1]))
                && b.get(i + word.len()).is_none_or(|c| !is_ident_byte(*c))
        })
        .collect()
}

/// The name a statement binds when it is a `let`: `x` of `let x = ..` or `let mut x: T = ..`.
pub fn let_name(stmt: &str) -> Option<&str> {
    let rest = stmt.trim_start().strip_prefix("let")?.trim_start();
    ident_at(rest.strip_prefix("mut ").unwrap_or(rest), 0)
}

/// The identifier starting at `at` (after whitespace), if any.
pub fn ident_at(text: &str, at: usize) -> Option<&str> {
    let rest = &text[at..];
    let start = at + (rest.len() - rest.trim_start().len());
    let len = text[start..]
        .bytes()
        .take_while(|c| is_ident_byte(*c))
        .count();
    (len > 0).then(|| &text[start..start + len])
}

/// The string literals in `code[start..end]`: (offset of the opening quote, contents).
pub fn strings_in(code: &str, masked: &str, start: usize, end: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let m = masked.as_bytes();
    let mut i = start;
    while i < end.min(m.len()) {
        if m[i] == b'"' {
            let close = masked[i + 1..].find('"').map_or(m.len(), |p| i + 1 + p);
            if close > i + 1 || m.get(i + 1) == Some(&b'"') {
                out.push((i, code[i + 1..close.min(code.len())].to_string()));
            }
            i = close + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Ranges of items never in a deployed Linux binary: `#[cfg(test)]`, `#[test]`,
/// `#[tokio::test]`, ..., and `#[cfg(windows)]`-like platform gates.
fn test_items(src: &Src) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (at, _) in src.masked.match_indices("#[") {
        if out.iter().any(|(s, e)| at >= *s && at < *e) {
            continue;
        }
        let Some(close) = matching(&src.masked, at + 1) else {
            continue;
        };
        let attr: String = src.masked[at + 2..close]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let written: String = src.code[at + 2..close]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        // `cfg(any(test, feature = "test-utils"))` and the like: helpers for tests, of this
        // crate or of its dependents, never part of a deployed binary.
        let cfg_test = attr.starts_with("cfg(")
            && !attr.contains("not(")
            && (!find_word(&attr, "test").is_empty()
                || written.contains("feature=\"test")
                || written.contains("feature=\"__"));
        // Code for other platforms than the container's (Linux).
        let other_platform = [
            "cfg(windows)",
            "cfg(target_os=\"windows\")",
            "cfg(target_os=\"macos\")",
            "cfg(target_os=\"ios\")",
            "cfg(target_os=\"android\")",
            "cfg(target_family=\"windows\")",
            "cfg(target_family=\"wasm\")",
            "cfg(target_arch=\"wasm32\")",
            "cfg(not(unix))",
            "cfg(not(target_os=\"linux\"))",
        ]
        .contains(&written.as_str());
        let is_test = attr == "test" || attr.ends_with("::test") || cfg_test || other_platform;
        if is_test {
            out.push((at, item_end(&src.masked, close + 1)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_blanked_and_strings_masked() {
        let src = Src::new(
            "a.rs",
            "let a = \"x // y\"; // bind(\"127.0.0.1:1\")\n/* a /* b */ c */ let b = r#\"q\"#;",
        );
        assert!(src.code.contains("\"x // y\""));
        assert!(!src.code.contains("bind"));
        assert!(!src.code.contains("/*"));
        assert!(src.masked.contains("\"      \""));
        assert!(src.masked.contains("r#\" \"#"));
        assert_eq!(src.code.len(), src.masked.len());
        assert_eq!(src.line(src.masked.find("let b").unwrap()), 2);
    }

    #[test]
    fn test_items_are_blanked_keeping_lines() {
        let text = "fn main() {}\n#[cfg(windows)]\nfn win() { serve_pipe(); }\n#[cfg(any(test, feature = \"__private\"))]\n#[doc(hidden)]\npub mod test_helpers;\n#[cfg(test)]\nmod tests {\n    fn t() { bind(\"{\"); }\n}\n#[cfg(test)]\nmod helpers;\n#[test]\nfn unit() {}\nfn after() {}\n";
        let src = Src::new("a.rs", text);
        assert!(!src.code.contains("mod tests"));
        assert!(!src.code.contains("mod helpers"));
        assert!(!src.code.contains("test_helpers"));
        assert!(!src.code.contains("serve_pipe"));
        assert!(!src.code.contains("unit"));
        assert!(src.code.contains("fn after"));
        assert_eq!(src.code.lines().count(), text.lines().count());
    }

    #[test]
    fn lifetimes_are_not_chars() {
        let src = Src::new("a.rs", "fn f<'a>(x: &'a str) -> char { 'x' }");
        assert!(src.masked.contains("&'a str"));
        assert!(src.masked.contains("' '"));
    }
}
