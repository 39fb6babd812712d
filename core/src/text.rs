//! Validation of the text a person types or a file name brings: lengths, control characters and direction marks.
//! Rejected text gets a message naming the field; nothing is silently rewritten, so what is stored is what was typed.

use std::path::Path;

use crate::error::{Error, Reason, Result};

/// Longest single-line value (titles, names, places), in characters.
pub const MAX_LINE: usize = 500;
/// Longest multi-line value (descriptions, notes, arguments), in characters.
pub const MAX_TEXT: usize = 200_000;

/// Characters never accepted in a one-line value: C0/C1 controls, and the Unicode direction marks, embeddings,
/// overrides and isolates that can make a name display differently from what it is.
pub fn is_forbidden_in_line(c: char) -> bool {
    c.is_control() || is_direction_control(c)
}

/// Shows a user-supplied name inside a message without letting control or direction characters in it rewrite the
/// message (a right-to-left override can make "gpj.exe" read as "exe.jpg").
pub fn shown(name: &str) -> String {
    name.chars()
        .flat_map(|c| if is_forbidden_in_line(c) { c.escape_unicode().collect::<Vec<_>>() } else { vec![c] })
        .collect()
}

pub(crate) fn shown_path(path: &Path) -> String {
    shown(&path.to_string_lossy())
}

fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn describe(c: char) -> String {
    if is_direction_control(c) {
        format!("a text-direction mark (U+{:04X}), which can disguise how a name reads", c as u32)
    } else {
        format!("a control character (U+{:04X})", c as u32)
    }
}

/// A required one-line value: trimmed, non-empty, at most `MAX_LINE` characters, no controls or direction marks.
pub fn line(field: &str, value: &str) -> Result<String> {
    let value = optional_line(field, value)?;
    if value.is_empty() {
        return Err(Error::invalid_because(Reason::Empty, field, "must not be empty"));
    }
    Ok(value)
}

/// An optional one-line value: as `line`, but empty is allowed.
pub fn optional_line(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    let count = value.chars().count();
    if count > MAX_LINE {
        return Err(Error::invalid_because(
            Reason::TooLong,
            field,
            format!("is {count} characters long; at most {MAX_LINE} are allowed"),
        ));
    }
    if let Some(c) = value.chars().find(|c| is_forbidden_in_line(*c)) {
        return Err(Error::invalid_because(
            Reason::ForbiddenChar,
            field,
            format!("contains {}; remove it and try again", describe(c)),
        ));
    }
    Ok(value.to_owned())
}

/// A multi-line value (description, notes): newlines and tabs allowed, other controls and direction overrides not.
pub fn text(field: &str, value: &str) -> Result<String> {
    let value = value.trim_end();
    let count = value.chars().count();
    if count > MAX_TEXT {
        return Err(Error::invalid_because(
            Reason::TooLong,
            field,
            format!("is {count} characters long; at most {MAX_TEXT} are allowed"),
        ));
    }
    let bad = value.chars().find(|c| match c {
        '\n' | '\t' => false,
        '\r' => false,
        c => c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
    });
    if let Some(c) = bad {
        return Err(Error::invalid_because(
            Reason::ForbiddenChar,
            field,
            format!("contains {}; remove it and try again", describe(c)),
        ));
    }
    Ok(value.replace("\r\n", "\n"))
}

/// A list of short labels (tags, languages, nationalities): each a one-line value, empty ones dropped,
/// duplicates removed keeping the first.
pub fn labels(field: &str, values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let value = optional_line(field, value)?;
        if value.chars().count() > 100 {
            return Err(Error::invalid_because(
                Reason::TooLong,
                field,
                "each entry must be at most 100 characters",
            ));
        }
        if !value.is_empty() && !out.iter().any(|v| v == &value) {
            out.push(value);
        }
    }
    if out.len() > 100 {
        return Err(Error::invalid_because(
            Reason::TooLong,
            field,
            format!("has {} entries; at most 100 are allowed", out.len()),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_of_100000_characters_is_refused_with_its_length() {
        let long = "a".repeat(100_000);
        let err = line("title", &long).unwrap_err().to_string();
        assert!(err.contains("100000 characters"), "the message must give the measured length: {err}");
    }

    #[test]
    fn direction_overrides_and_controls_are_refused_in_names() {
        assert!(line("name", "gpj\u{202E}exe").is_err(), "an RTL override can disguise a file name");
        assert!(line("name", "a\u{7}b").is_err(), "a bell character has no place in a name");
        assert!(line("name", "a\u{200F}b").is_err(), "a right-to-left mark in a one-line name is refused");
        assert_eq!(line("name", "  Иван Петров ").unwrap(), "Иван Петров");
    }

    #[test]
    fn multi_line_text_keeps_newlines_but_refuses_overrides() {
        assert_eq!(text("notes", "one\r\ntwo\tthree").unwrap(), "one\ntwo\tthree");
        assert!(text("notes", "x\u{202E}y").is_err());
    }

    #[test]
    fn labels_drop_empties_and_duplicates() {
        let v = labels("tags", &["a".into(), "".into(), "a".into(), "b".into()]).unwrap();
        assert_eq!(v, vec!["a", "b"]);
    }
}
