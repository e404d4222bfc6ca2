//! A reader and a writer for the part of YAML that `.qua` files use.
//!
//! Quaver writes its maps with YamlDotNet: block mappings and sequences (sequences under a key
//! at the key's own indentation), plain and quoted scalars, `[]` for empty lists, `!ScrollGroup`
//! tags, CRLF line breaks. Hand-written files add `---`, `~`, comments, YAML 1.1 booleans and
//! indented sequences. The reader takes all of that plus flow collections, multi-line scalars
//! and block scalars (`|`, `>`), and refuses what no `.qua` needs (anchors, aliases, complex
//! keys) with an error naming the line.
//!
//! The reader is a pull parser: the decoder asks for the next key, item or value and gets
//! scalars borrowed from the text, so a hit object costs no allocation and no tree is built.
//! Nesting is limited to `MAX_DEPTH` levels; everything else it keeps is bounded by the input.

mod reader;
mod writer;

pub use reader::Reader;
pub use writer::{copy_value, to_document, write_str};

use std::borrow::Cow;

use crate::formats::text::{parse_f64, parse_int};
use crate::{Error, Result};

pub fn error(line: usize, message: impl Into<String>) -> Error {
    Error::Parse {
        format: "qua",
        line,
        message: message.into(),
    }
}

/// The text as UTF-8. YAML allows no control characters besides tab and line breaks; refusing
/// them here also lets the reader use NUL as its end-of-text mark.
pub fn text_of(bytes: &[u8]) -> Result<&str> {
    let line_of = |at: usize| bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Encoding {
        encoding: "UTF-8",
        detail: format!("line {}: {e}", line_of(e.valid_up_to())),
    })?;
    let control = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F;
    // Branch-free per block, so that the compiler checks many bytes per instruction; blocks
    // of a fixed 256 bytes spend less on ending each block than blocks of 64.
    let block_has_control = |block: &[u8]| {
        block.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7F)
        })
    };
    let mut blocks = bytes.chunks_exact(256);
    let any_control = blocks.any(block_has_control) || block_has_control(blocks.remainder());
    if any_control {
        let at = bytes.iter().position(|&b| control(b)).unwrap_or(0);
        return Err(error(
            line_of(at),
            format!(
                "control character {:#04x}: YAML text cannot contain it",
                bytes[at]
            ),
        ));
    }
    Ok(text)
}

/// The start of a node: a whole scalar, or a collection whose content follows through
/// `Reader::next_key` / `Reader::next_item`.
#[derive(Debug)]
pub enum Node<'a> {
    Scalar(Scalar<'a>),
    /// A mapping, with its tag (`!ScrollGroup`) if it has one.
    Map(Option<&'a str>),
    Seq(Option<&'a str>),
}

#[derive(Debug, Clone)]
pub struct Scalar<'a> {
    pub text: Cow<'a, str>,
    /// Written without quotes: only plain scalars can be null, booleans or numbers.
    pub plain: bool,
    pub tag: Option<&'a str>,
    pub line: usize,
}

impl Scalar<'_> {
    /// `~`, `null` or nothing (YAML's null), which YamlDotNet reads as "not given".
    pub fn is_null(&self) -> bool {
        self.plain && matches!(&*self.text, "" | "~" | "null" | "Null" | "NULL")
    }

    /// YAML 1.1 booleans, as YamlDotNet and PyYAML read them.
    pub fn bool(&self) -> Option<bool> {
        const TRUE: [&str; 3] = ["true", "yes", "on"];
        const FALSE: [&str; 3] = ["false", "no", "off"];
        let t = &*self.text;
        if TRUE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
            Some(true)
        } else if FALSE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
            Some(false)
        } else {
            None
        }
    }

    pub fn int(&self) -> Option<i64> {
        parse_int(self.text.as_bytes())
    }

    /// A number, with YAML's spellings of infinity and NaN.
    pub fn float(&self) -> Option<f64> {
        let t = self.text.trim();
        let (sign, rest) = match t.as_bytes().first() {
            Some(b'-') => (-1.0, &t[1..]),
            Some(b'+') => (1.0, &t[1..]),
            _ => (1.0, t),
        };
        if rest.eq_ignore_ascii_case(".inf") {
            return Some(sign * f64::INFINITY);
        }
        if t.eq_ignore_ascii_case(".nan") {
            return Some(f64::NAN);
        }
        parse_f64(t.as_bytes())
    }
}

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Space, tab, line break or end of text (the NUL sentinel: the text has no NUL bytes).
fn is_blank_or_end(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0)
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}
