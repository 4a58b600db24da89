//! Environment variables the code reads (`env::var("X")`), with the literal fallback it uses.

use super::Location;
use super::lex::{Src, find_word, ident_at, is_ident_byte, matching, stmt_range, strings_in};
use super::port::Const;

/// One read of a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRead {
    pub var: String,
    /// The literal used when it is unset (`unwrap_or(3000)`, `"0.0.0.0:8080"`), or a constant's name.
    pub fallback: Option<String>,
    /// Whether the value is parsed as a `u16`.
    pub as_u16: bool,
    pub at: Location,
}

/// Every `env::var("X")`-like read in the sources, including a project's own helpers named
/// like one (`var_parsed("PORT")`, `env_or("PORT", 8080)`) given a variable-like name.
pub fn env_reads(srcs: &[Src]) -> Vec<EnvRead> {
    let mut out = Vec::new();
    for src in srcs {
        let m = &src.masked;
        for (open, _) in m.match_indices('(') {
            let word_start = m[..open]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(0, |p| p + 1);
            let word = &m[word_start..open];
            if word.is_empty() {
                continue;
            }
            let at = word_start;
            let before = m[..at].trim_end();
            let standard = word == "var" || word == "var_os";
            if standard {
                let qualified = ["env::", "dotenvy::", "dotenv::", "dotenvy_macro::"]
                    .iter()
                    .any(|q| before.ends_with(q));
                let bare =
                    !before.ends_with('.') && !before.ends_with("::") && !before.ends_with("fn");
                if !qualified && !bare {
                    continue;
                }
            } else {
                let lower = word.to_ascii_lowercase();
                // Not a method (`Command::new(..).env("K", "v")` sets, clap's `.env` is an option).
                if before.ends_with("fn")
                    || before.ends_with('.')
                    || !(lower.contains("var") || lower.contains("env"))
                {
                    continue;
                }
            }
            let Some((q, var)) = strings_in(&src.code, m, open, (open + 200).min(m.len()))
                .into_iter()
                .next()
            else {
                continue;
            };
            if !m[open + 1..q].trim().is_empty() {
                continue;
            }
            let variable_like = !var.is_empty()
                && var
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !standard && !variable_like {
                continue;
            }
            let (stmt_start, end) = stmt_range(m, at);
            let rest = &src.code[q..end];
            let masked_rest = &m[q..end];
            out.push(EnvRead {
                fallback: fallback(rest, masked_rest),
                as_u16: m[stmt_start..end].contains("u16"),
                var,
                at: Location {
                    file: src.path.clone(),
                    line: src.line(at),
                },
            });
        }
    }
    out
}

/// A port- or address-like field of a `#[derive(Deserialize)]` struct (or a builder), with
/// its default (`#[serde(default = "f")]`, `#[builder(default = "8080")]`) when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub default: Option<String>,
    pub as_u16: bool,
    pub at: Location,
}

/// The port- and address-like fields of deserialized structs.
pub fn settings_fields(srcs: &[Src], consts: &[Const]) -> Vec<Field> {
    let constant = |name: &str| -> Option<String> {
        let c = consts.iter().find(|c| c.name == name.trim())?;
        Some(c.value.trim().trim_matches('"').to_string())
    };
    let mut out = Vec::new();
    for src in srcs {
        let m = &src.masked;
        for (at, _) in m.match_indices("#[derive(") {
            let Some(close) = matching(m, at + 8) else {
                continue;
            };
            let derives = &m[at..close];
            if find_word(derives, "Deserialize").is_empty()
                && find_word(derives, "Builder").is_empty()
            {
                continue;
            }
            let Some(open) = m[close..].find(['{', ';']).map(|p| close + p) else {
                continue;
            };
            if m.as_bytes()[open] != b'{' {
                continue;
            }
            // A struct for another service's settings (`MailOptions`, `DatabaseConfig`).
            let struct_name = find_word(&m[close..open], "struct")
                .first()
                .and_then(|p| ident_at(m, close + p + 6))
                .unwrap_or_default();
            if super::frameworks::words(struct_name)
                .iter()
                .any(|w| super::frameworks::CLIENT_WORDS.contains(&w.as_str()))
            {
                continue;
            }
            let Some(end) = matching(m, open) else {
                continue;
            };
            let mut field_start = open + 1;
            for piece in split_top(&m[open + 1..end]) {
                let piece_at = field_start;
                field_start += piece.len() + 1;
                let Some(colon) = piece.rfind(':').filter(|c| !piece[..*c].ends_with(':')) else {
                    continue;
                };
                let head = piece[..colon].trim_end();
                let name: String = head
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if name.is_empty()
                    || super::frameworks::setting_kind(&name, false)
                        == super::frameworks::SettingKind::Other
                {
                    continue;
                }
                let code = &src.code[piece_at..piece_at + piece.len()];
                let default = code.find("default").and_then(|d| {
                    let q = code[d..].find('"')? + d + 1;
                    let e = code[q..].find('"')? + q;
                    let f = &code[q..e];
                    if f.parse::<u16>().is_ok() {
                        return Some(f.to_string());
                    }
                    super::args::function_value(srcs, f.rsplit("::").next().unwrap_or(f), &constant)
                });
                let name_at = piece_at + head.len() - name.len();
                out.push(Field {
                    as_u16: piece[colon..].contains("u16"),
                    at: Location {
                        file: src.path.clone(),
                        line: src.line(name_at),
                    },
                    name,
                    default,
                });
            }
        }
    }
    out
}

/// Reads through envy: `envy::from_env::<T>()` or `envy::prefixed("APP_").from_env::<T>()`
/// read each field of a deserialized struct from PREFIX + FIELD in capitals, with
/// `#[serde(default = "f")]` as the fallback. Only port- and address-like fields matter.
pub fn envy_reads(srcs: &[Src], consts: &[Const]) -> Vec<EnvRead> {
    let prefix = srcs.iter().find_map(|src| {
        if let Some(at) = src.masked.find("envy::prefixed(") {
            let (_, s) = strings_in(&src.code, &src.masked, at, at + 80)
                .into_iter()
                .next()?;
            return Some(s);
        }
        src.masked.contains("envy::from_env").then(String::new)
    });
    let Some(prefix) = prefix else {
        return Vec::new();
    };
    settings_fields(srcs, consts)
        .into_iter()
        .map(|f| EnvRead {
            var: format!("{prefix}{}", f.name.to_ascii_uppercase()),
            fallback: f.default,
            as_u16: f.as_u16,
            at: f.at,
        })
        .collect()
}

/// `text` split at top-level commas.
fn split_top(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.bytes().enumerate() {
        match c {
            b'(' | b'[' | b'{' | b'<' => depth += 1,
            b')' | b']' | b'}' | b'>' => depth -= 1,
            b',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// The literal (or constant) after `unwrap_or`, `unwrap_or_else` or an `Err(_) =>` arm.
fn fallback(code: &str, masked: &str) -> Option<String> {
    let start = [
        "unwrap_or(",
        "unwrap_or_else(",
        "Err(_) =>",
        "Err(_)=>",
        ".or(",
        "None =>",
    ]
    .iter()
    .filter_map(|n| masked.find(n).map(|p| p + n.len()))
    .min()?;
    let b = masked.as_bytes();
    let mut i = start;
    while i < b.len() {
        let c = b[i];
        if c == b'"' {
            let close = masked[i + 1..].find('"')? + i + 1;
            return Some(code[i + 1..close].to_string());
        }
        if c.is_ascii_digit() && (i == 0 || !is_ident_byte(b[i - 1])) {
            let len = b[i..].iter().take_while(|x| x.is_ascii_digit()).count();
            return Some(code[i..i + len].to_string());
        }
        if c.is_ascii_uppercase() && (i == 0 || !is_ident_byte(b[i - 1])) {
            let word = ident_at(masked, i)?;
            if word.len() > 1
                && word
                    .bytes()
                    .all(|x| x.is_ascii_uppercase() || x == b'_' || x.is_ascii_digit())
            {
                return Some(word.to_string());
            }
            i += word.len();
            continue;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::test_support::scan_main_rs;

    /// Each read as (variable, fallback, parsed as a port, line).
    fn summary(found: &[EnvRead]) -> Vec<(&str, Option<&str>, bool, usize)> {
        found
            .iter()
            .map(|r| (r.var.as_str(), r.fallback.as_deref(), r.as_u16, r.at.line))
            .collect()
    }

    #[test]
    fn reads_with_fallbacks() {
        let found = scan_main_rs(
            env_reads,
            "let port: u16 = std::env::var(\"PORT\").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);\nlet addr = env::var(\"BIND_ADDR\").unwrap_or_else(|_| \"0.0.0.0:8080\".into());\nlet host = dotenvy::var(\"HOST\").unwrap_or(\"127.0.0.1\".to_string());\nlet url = env::var(\"DATABASE_URL\").expect(\"set it\");\nlet p = var(\"APP_PORT\").unwrap_or_else(|_| DEFAULT_PORT.to_string());\nlet q = var_parsed(\"HTTP_PORT\")?.unwrap_or(8888);\nlet r = my_env(\"not a var\");\n",
        );
        let summary = summary(&found);
        assert_eq!(
            summary,
            [
                ("PORT", Some("3000"), true, 1),
                ("BIND_ADDR", Some("0.0.0.0:8080"), false, 2),
                ("HOST", Some("127.0.0.1"), false, 3),
                ("DATABASE_URL", None, false, 4),
                ("APP_PORT", Some("DEFAULT_PORT"), false, 5),
                ("HTTP_PORT", Some("8888"), false, 6),
            ]
        );
    }

    #[test]
    fn envy_struct_fields() {
        let srcs = [Src::new(
            "src/config.rs",
            "#[derive(Debug, Deserialize)]\npub struct Config {\n    #[serde(default = \"default_port\")]\n    pub port: u16,\n    #[serde(default = \"default_host\")]\n    pub host: String,\n    pub database_url: String,\n}\nfn default_port() -> u16 { 8088 }\nfn default_host() -> String { \"127.0.0.1\".into() }\npub fn load() -> Config { envy::prefixed(\"SHORT_\").from_env::<Config>().unwrap() }\n",
        )];
        let found = envy_reads(&srcs, &[]);
        let summary = summary(&found);
        assert_eq!(
            summary,
            [
                ("SHORT_PORT", Some("8088"), true, 4),
                ("SHORT_HOST", Some("127.0.0.1"), false, 6)
            ]
        );
    }

    #[test]
    fn match_arms_are_fallbacks() {
        let found = scan_main_rs(
            env_reads,
            "let port = match env::var(\"PORT\") {\n    Ok(p) => p.parse::<u16>()?,\n    Err(_) => 8000,\n};",
        );
        assert_eq!(found[0].fallback.as_deref(), Some("8000"));
        assert!(found[0].as_u16);
    }
}
