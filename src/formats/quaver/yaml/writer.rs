//! Writing YAML as YamlDotNet lays it out: strings quoted only when they must be, and values
//! copied from a `Reader` (the form in which `.qua` extras are kept and written back).

use super::{error, is_blank_or_end, Node, Reader, Scalar};
use crate::Result;

/// Whether `s` can be written without quotes and read back as the same text (which a reader
/// may still take for a number, boolean or null).
fn plain_writable(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let indicator = b",[]{}#&*!|>'\"%@` \t".contains(&first)
        || (b"-?:".contains(&first) && is_blank_or_end(bytes.get(1).copied().unwrap_or(0)));
    !indicator
        && !s.starts_with("---")
        && !s.starts_with("...")
        && !matches!(last, b' ' | b'\t' | b':')
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars()
            .all(|c| !c.is_control() && !is_unsafe_format_char(c))
}

/// Whether the string `s` can be written without quotes: text that no reader takes for a
/// number, boolean or null.
fn plain_safe(s: &str) -> bool {
    let looks_like_other = matches!(s, "~" | "null" | "Null" | "NULL" | "=" | "<<")
        || is_bool_word(s)
        || s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
    plain_writable(s) && !looks_like_other
}

/// YAML 1.1 boolean words (and `y`/`n`), which some readers take for booleans.
fn is_bool_word(s: &str) -> bool {
    ["y", "n", "yes", "no", "on", "off", "true", "false"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(s))
}

/// Characters YAML does not allow unescaped, or that readers treat as line breaks.
fn is_unsafe_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
    )
}

/// A string scalar: plain when that reads back as the same string, else single-quoted, or
/// double-quoted with escapes when it has line breaks or control characters.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    if plain_safe(s) {
        out.extend_from_slice(s.as_bytes());
    } else if s
        .chars()
        .all(|c| !c.is_control() && !is_unsafe_format_char(c))
    {
        out.push(b'\'');
        for part in s.split('\'').enumerate() {
            if part.0 > 0 {
                out.extend_from_slice(b"''");
            }
            out.extend_from_slice(part.1.as_bytes());
        }
        out.push(b'\'');
    } else {
        out.push(b'"');
        for c in s.chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                c if c.is_control() || is_unsafe_format_char(c) => {
                    out.extend_from_slice(format!("\\u{:04X}", c as u32).as_bytes())
                }
                c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
        out.push(b'"');
    }
}

fn write_scalar(out: &mut Vec<u8>, s: &Scalar) {
    if let Some(tag) = s.tag {
        out.extend_from_slice(tag.as_bytes());
        out.push(b' ');
    }
    if s.is_null() {
        out.push(b'~');
    } else if s.plain && plain_writable(&s.text) {
        // As written, so that numbers and booleans stay numbers and booleans.
        out.extend_from_slice(s.text.as_bytes());
    } else {
        write_str(out, &s.text);
    }
}

fn indent_to(out: &mut Vec<u8>, indent: usize) {
    out.extend(std::iter::repeat(b' ').take(indent));
}

/// Copies `node` (just started on `r`) as the value of a key written at column `indent`:
/// everything after `Key:`, in the layout YamlDotNet writes (lists at the key's indentation).
pub fn copy_value<'a>(
    r: &mut Reader<'a>,
    node: Node<'a>,
    out: &mut Vec<u8>,
    indent: usize,
) -> Result<()> {
    match node {
        Node::Scalar(s) => {
            out.push(b' ');
            write_scalar(out, &s);
            out.push(b'\n');
        }
        Node::Map(tag) => {
            write_tag(out, tag);
            match r.next_key()? {
                None => out.extend_from_slice(b" {}\n"),
                Some(first) => {
                    out.push(b'\n');
                    copy_entries(r, first, out, indent + 2, false)?;
                }
            }
        }
        Node::Seq(tag) => {
            write_tag(out, tag);
            if r.next_item()? {
                out.push(b'\n');
                copy_items(r, out, indent)?;
            } else {
                out.extend_from_slice(b" []\n");
            }
        }
    }
    Ok(())
}

fn write_tag(out: &mut Vec<u8>, tag: Option<&str>) {
    if let Some(tag) = tag {
        out.push(b' ');
        out.extend_from_slice(tag.as_bytes());
    }
}

/// The entries of a mapping whose first key has been read, at column `indent`; with
/// `inline`, the first entry continues the current line (after `- `).
fn copy_entries<'a>(
    r: &mut Reader<'a>,
    first: Scalar<'a>,
    out: &mut Vec<u8>,
    indent: usize,
    inline: bool,
) -> Result<()> {
    let mut key = Some(first);
    let mut inline = inline;
    while let Some(k) = key {
        if !std::mem::take(&mut inline) {
            indent_to(out, indent);
        }
        write_str(out, &k.text);
        out.push(b':');
        let value = r.node()?;
        copy_value(r, value, out, indent)?;
        key = r.next_key()?;
    }
    Ok(())
}

/// The items of a list whose first `-` has been read, at column `indent`.
fn copy_items<'a>(r: &mut Reader<'a>, out: &mut Vec<u8>, indent: usize) -> Result<()> {
    loop {
        indent_to(out, indent);
        out.push(b'-');
        match r.node()? {
            Node::Scalar(s) => {
                out.push(b' ');
                write_scalar(out, &s);
                out.push(b'\n');
            }
            Node::Map(tag) => match (tag, r.next_key()?) {
                (_, None) => {
                    write_tag(out, tag);
                    out.extend_from_slice(b" {}\n");
                }
                (None, Some(first)) => {
                    out.push(b' ');
                    copy_entries(r, first, out, indent + 2, true)?;
                }
                (Some(_), Some(first)) => {
                    write_tag(out, tag);
                    out.push(b'\n');
                    copy_entries(r, first, out, indent + 2, false)?;
                }
            },
            Node::Seq(tag) => {
                write_tag(out, tag);
                if r.next_item()? {
                    out.push(b'\n');
                    copy_items(r, out, indent + 2)?;
                } else {
                    out.extend_from_slice(b" []\n");
                }
            }
        }
        if !r.next_item()? {
            return Ok(());
        }
    }
}

/// `node` as a YAML document of its own, without a final line break: the form in which
/// `.qua` data without a place in the model is kept in `Chart::extras`.
pub fn to_document<'a>(r: &mut Reader<'a>, node: Node<'a>) -> Result<String> {
    let mut out = Vec::new();
    match node {
        Node::Scalar(s) => write_scalar(&mut out, &s),
        Node::Map(tag) => {
            if let Some(tag) = tag {
                out.extend_from_slice(tag.as_bytes());
            }
            match r.next_key()? {
                None => out.extend_from_slice(if tag.is_some() { b" {}" } else { b"{}" }),
                Some(first) => {
                    if tag.is_some() {
                        out.push(b'\n');
                    }
                    copy_entries(r, first, &mut out, 0, false)?;
                }
            }
        }
        Node::Seq(tag) => {
            if let Some(tag) = tag {
                out.extend_from_slice(tag.as_bytes());
            }
            if r.next_item()? {
                if tag.is_some() {
                    out.push(b'\n');
                }
                copy_items(r, &mut out, 0)?;
            } else {
                out.extend_from_slice(if tag.is_some() { b" []" } else { b"[]" });
            }
        }
    }
    while out.last() == Some(&b'\n') {
        out.pop();
    }
    // Everything written is text that came from a `str`, split only at ASCII bytes.
    String::from_utf8(out).map_err(|e| error(r.line(), format!("internal: {e}")))
}

#[cfg(test)]
mod tests {
    use super::super::text_of;
    use super::*;

    fn written(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    /// `yaml` as a document of its own (see `to_document`).
    fn document(yaml: &str) -> Result<String> {
        let mut r = Reader::new(text_of(yaml.as_bytes())?);
        let root = r.document()?;
        let doc = to_document(&mut r, root)?;
        r.finish()?;
        Ok(doc)
    }

    #[test]
    fn strings_are_quoted_only_when_they_must_be() {
        for (s, expected) in [
            ("hello world", "hello world"),
            ("Keys4", "Keys4"),
            ("a/b.mp3", "a/b.mp3"),
            ("", "''"),
            ("yes", "'yes'"),
            ("Off", "'Off'"),
            ("y", "'y'"),
            ("~", "'~'"),
            ("null", "'null'"),
            ("123", "'123'"),
            ("-x", "'-x'"),
            (".5", "'.5'"),
            ("a: b", "'a: b'"),
            ("it's # not a comment", "'it''s # not a comment'"),
            ("!ScrollGroup", "'!ScrollGroup'"),
            ("[1]", "'[1]'"),
            ("trailing ", "'trailing '"),
            ("---", "'---'"),
            ("two\nlines", "\"two\\nlines\""),
            ("tab\tand \"quote\"\\", "\"tab\\tand \\\"quote\\\"\\\\\""),
            ("bell\u{7}", "\"bell\\u0007\""),
            ("mark\u{feff}", "\"mark\\uFEFF\""),
        ] {
            assert_eq!(written(s), expected, "{s:?}");
        }
    }

    #[test]
    fn written_strings_read_back() {
        let strings = [
            "plain",
            "",
            "yes",
            "No",
            "~",
            "12",
            "-1.5e3",
            "a: b",
            "#x",
            "x #y",
            "'",
            "\"",
            "\\",
            " lead",
            "tail\t",
            "a\nb",
            "a\r\nb",
            "\n",
            "é ü 日本",
            "\u{2028}",
            "- item",
            "? key",
            "%TAG",
            "@at",
            "`tick",
            "{}",
            "[]",
            "*alias",
            "&anchor",
            "|",
            ">",
        ];
        for s in strings {
            let yaml = format!("k: {}\n", written(s));
            let mut r = Reader::new(&yaml);
            let Ok(Node::Map(_)) = r.document() else {
                panic!("{yaml:?}");
            };
            r.next_key().unwrap();
            let Ok(Node::Scalar(value)) = r.node() else {
                panic!("{yaml:?}");
            };
            assert_eq!(value.text, s, "{yaml:?}");
            // A plain one must not read as anything but a string.
            if value.plain {
                assert!(!value.is_null() && value.bool().is_none() && value.float().is_none());
            }
            assert!(r.next_key().unwrap().is_none());
            r.finish().unwrap();
        }
    }

    #[test]
    fn documents_in_quaver_layout() {
        let yaml =
            "a: [1, 'two', {b: c}, []]\nd: !ScrollGroup {x: 1, y: {}}\ne: ~\nf: 'yes'\ng: yes\n";
        let doc = document(yaml).unwrap();
        assert_eq!(
            doc,
            "a:\n- 1\n- two\n- b: c\n- []\nd: !ScrollGroup\n  x: 1\n  'y': {}\ne: ~\nf: 'yes'\ng: yes"
        );
        // The layout is a fixed point: reading it back writes it again.
        assert_eq!(document(&doc).unwrap(), doc);
        assert_eq!(document("[]").unwrap(), "[]");
        assert_eq!(document("!ScrollGroup {}").unwrap(), "!ScrollGroup {}");
        assert_eq!(document("'text'").unwrap(), "text");
        let nested = document("- - 1\n  - 2\n- k: |\n    two\n    lines\n").unwrap();
        assert_eq!(nested, "-\n  - 1\n  - 2\n- k: \"two\\nlines\\n\"");
        assert_eq!(document(&nested).unwrap(), nested);
    }

    #[test]
    fn values_copied_after_a_key() {
        let mut r = Reader::new("[{StartTime: 5, Volume: 50}]");
        let root = r.document().unwrap();
        let mut out = b"  KeySounds:".to_vec();
        copy_value(&mut r, root, &mut out, 2).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "  KeySounds:\n  - StartTime: 5\n    Volume: 50\n"
        );
    }
}
