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

use std::borrow::Cow;

use crate::formats::text::{parse_f64, parse_int, show};
use crate::{Error, Result};

/// Deepest nesting of collections accepted (a `.qua` needs 4).
const MAX_DEPTH: usize = 64;

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
    // Branch-free per block, so that the compiler checks many bytes per instruction.
    let any_control = bytes.chunks(64).any(|block| {
        block.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7F)
        })
    });
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

#[derive(Debug, Clone, Copy)]
enum Ctx {
    /// `first`: the first key is at the cursor (it may be mid-line, after `- `).
    BlockMap {
        indent: usize,
        first: bool,
    },
    BlockSeq {
        indent: usize,
    },
    /// `opened`: the line of the `{` or `[`, for errors.
    FlowMap {
        first: bool,
        opened: usize,
    },
    FlowSeq {
        first: bool,
        opened: usize,
    },
}

pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// Line number (1-based) and start offset of the line holding `pos`.
    line: usize,
    line_start: usize,
    /// End of the line starting at `line_end_of` (its break, or the end of the text): found
    /// once per line, as several steps look for it.
    line_end: usize,
    line_end_of: Option<usize>,
    stack: Vec<Ctx>,
    /// A key or `-` was read and its value not yet: skipped if the caller moves on.
    pending: bool,
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

impl<'a> Reader<'a> {
    /// `text` must not contain NUL (see `check_characters`).
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            pos: 0,
            line: 1,
            line_start: 0,
            line_end: 0,
            line_end_of: None,
            stack: Vec::new(),
            pending: false,
        }
    }

    /// Line of the cursor, for error messages.
    pub fn line(&self) -> usize {
        self.line
    }

    fn at(&self, i: usize) -> u8 {
        self.text.as_bytes().get(i).copied().unwrap_or(0)
    }

    fn cur(&self) -> u8 {
        self.at(self.pos)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn column(&self) -> usize {
        self.pos - self.line_start
    }

    fn skip_inline_space(&mut self) {
        while matches!(self.cur(), b' ' | b'\t') {
            self.pos += 1;
        }
    }

    /// Consumes one line break (LF, CRLF or CR) at the cursor.
    fn eat_break(&mut self) {
        match self.cur() {
            b'\r' => {
                self.pos += 1;
                if self.cur() == b'\n' {
                    self.pos += 1;
                }
            }
            b'\n' => self.pos += 1,
            _ => return,
        }
        self.line += 1;
        self.line_start = self.pos;
    }

    fn line_end(&mut self) -> usize {
        if self.line_end_of != Some(self.line_start) {
            let rest = &self.text.as_bytes()[self.line_start..];
            self.line_end =
                self.line_start + memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
            self.line_end_of = Some(self.line_start);
        }
        self.line_end
    }

    fn skip_to_line_end(&mut self) {
        self.pos = self.line_end();
    }

    /// Moves to the next token: past spaces, comments and line breaks. Tabs may separate
    /// tokens on a line but not indent one (YAML's rule; a tab's width is unknown).
    fn skip_to_token(&mut self) -> Result<()> {
        loop {
            self.skip_inline_space();
            match self.cur() {
                b'#' => self.skip_to_line_end(),
                b'\n' | b'\r' => {
                    self.eat_break();
                    let mut i = self.pos;
                    while self.at(i) == b' ' {
                        i += 1;
                    }
                    if self.at(i) == b'\t' {
                        while matches!(self.at(i), b' ' | b'\t') {
                            i += 1;
                        }
                        if !matches!(self.at(i), b'\n' | b'\r' | b'#' | 0) {
                            return Err(error(
                                self.line,
                                "a tab indents this line; YAML allows only spaces for indentation",
                            ));
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// Like `skip_to_token` inside `[…]` / `{…}`, where indentation means nothing.
    fn skip_flow_space(&mut self) {
        loop {
            match self.cur() {
                b' ' | b'\t' => self.pos += 1,
                b'#' => self.skip_to_line_end(),
                b'\n' | b'\r' => self.eat_break(),
                _ => return,
            }
        }
    }

    /// `---` or `...` at the start of a line: the end of the document.
    fn at_document_marker(&self) -> bool {
        let rest = &self.text.as_bytes()[self.pos..];
        self.column() == 0
            && (rest.starts_with(b"---") || rest.starts_with(b"..."))
            && is_blank_or_end(self.at(self.pos + 3))
    }

    fn push(&mut self, ctx: Ctx) -> Result<()> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(error(
                self.line,
                format!("nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.stack.push(ctx);
        Ok(())
    }

    /// Starts the document: byte-order marks, directives and `---` are skipped. Returns the
    /// root node (a null scalar for an empty document).
    pub fn document(&mut self) -> Result<Node<'a>> {
        // Some files carry the mark twice (a tool added one to a file that had one).
        while self.text[self.pos..].starts_with('\u{feff}') {
            self.pos += '\u{feff}'.len_utf8();
        }
        self.line_start = self.pos;
        loop {
            self.skip_to_token()?;
            if self.column() == 0 && self.cur() == b'%' {
                self.skip_to_line_end();
                continue;
            }
            if self.at_document_marker() && self.cur() == b'-' {
                self.pos += 3;
            }
            break;
        }
        self.node()
    }

    /// The value after a key or `-` (or the root).
    pub fn node(&mut self) -> Result<Node<'a>> {
        self.pending = false;
        match self.stack.last() {
            Some(Ctx::FlowMap { .. } | Ctx::FlowSeq { .. }) => self.flow_node(),
            Some(&Ctx::BlockMap { indent, .. }) => self.block_node(indent as isize, false),
            Some(&Ctx::BlockSeq { indent }) => self.block_node(indent as isize, true),
            None => self.block_node(-1, true),
        }
    }

    /// The next key of the mapping being read, or `None` at its end.
    pub fn next_key(&mut self) -> Result<Option<Scalar<'a>>> {
        self.skip_pending()?;
        match self.stack.last_mut() {
            Some(Ctx::BlockMap { indent, first }) => {
                let indent = *indent;
                if !std::mem::take(first) {
                    self.skip_to_token()?;
                }
                if self.at_end() || self.at_document_marker() || self.column() < indent {
                    self.stack.pop();
                    return Ok(None);
                }
                if self.column() > indent {
                    return Err(error(
                        self.line,
                        format!(
                            "this line is indented by {} spaces where a key at {indent} was expected",
                            self.column()
                        ),
                    ));
                }
                let key = self.block_key()?;
                self.pending = true;
                Ok(Some(key))
            }
            Some(Ctx::FlowMap { first, opened }) => {
                let (first, opened) = (std::mem::take(first), *opened);
                if !self.flow_continue(first, b'}', opened)? {
                    return Ok(None);
                }
                let key = self.flow_scalar(None)?;
                self.skip_flow_space();
                if self.cur() != b':' {
                    return Err(error(self.line, "expected ':' after a key in {…}"));
                }
                self.pos += 1;
                self.pending = true;
                Ok(Some(key))
            }
            _ => Err(error(self.line, "internal: next_key outside a mapping")),
        }
    }

    /// Moves to the next item of the sequence being read; `false` at its end.
    pub fn next_item(&mut self) -> Result<bool> {
        self.skip_pending()?;
        match self.stack.last_mut() {
            Some(&mut Ctx::BlockSeq { indent }) => {
                self.skip_to_token()?;
                let column = self.column();
                if self.at_end() || self.at_document_marker() || column < indent {
                    self.stack.pop();
                    return Ok(false);
                }
                if column == indent && self.cur() == b'-' && is_blank_or_end(self.at(self.pos + 1))
                {
                    self.pos += 1;
                    self.pending = true;
                    return Ok(true);
                }
                if column == indent {
                    // A key after a sequence written at its key's indentation.
                    self.stack.pop();
                    return Ok(false);
                }
                Err(error(
                    self.line,
                    format!("this line is indented by {column} spaces inside a list at {indent}"),
                ))
            }
            Some(Ctx::FlowSeq { first, opened }) => {
                let (first, opened) = (std::mem::take(first), *opened);
                if !self.flow_continue(first, b']', opened)? {
                    return Ok(false);
                }
                self.pending = true;
                Ok(true)
            }
            _ => Err(error(self.line, "internal: next_item outside a list")),
        }
    }

    /// The text from the cursor when it is at the start of an item of a list at column 0
    /// (where Quaver writes its lists), for a caller that reads common items itself.
    pub fn item_lines(&self) -> Option<&'a [u8]> {
        let at_item = !self.pending
            && self.column() == 0
            && matches!(self.stack.last(), Some(Ctx::BlockSeq { indent: 0 }));
        at_item.then(|| &self.text.as_bytes()[self.pos..])
    }

    /// Bytes after the cursor.
    pub fn rest_len(&self) -> usize {
        self.text.len() - self.pos
    }

    /// Moves past what the caller read from `item_lines`: `len` bytes of whole lines, `lines`
    /// of them.
    pub fn skip_lines(&mut self, len: usize, lines: usize) {
        self.pos += len;
        self.line += lines;
        self.line_start = self.pos;
    }

    /// Reads and drops the rest of `node`.
    pub fn skip(&mut self, node: Node<'a>) -> Result<()> {
        match node {
            Node::Scalar(_) => Ok(()),
            Node::Map(_) => {
                while self.next_key()?.is_some() {
                    let value = self.node()?;
                    self.skip(value)?;
                }
                Ok(())
            }
            Node::Seq(_) => {
                while self.next_item()? {
                    let value = self.node()?;
                    self.skip(value)?;
                }
                Ok(())
            }
        }
    }

    fn skip_pending(&mut self) -> Result<()> {
        if self.pending {
            let node = self.node()?;
            self.skip(node)?;
        }
        Ok(())
    }

    /// In `[…]` or `{…}`: past the separator before the next entry; `false` (and the
    /// collection closed) at `close`.
    fn flow_continue(&mut self, first: bool, close: u8, opened: usize) -> Result<bool> {
        self.skip_flow_space();
        if !first && self.cur() == b',' {
            self.pos += 1;
            self.skip_flow_space();
        } else if !first && self.cur() != close {
            return Err(self.flow_error(close, opened));
        }
        if self.cur() == close {
            self.pos += 1;
            self.stack.pop();
            self.end_flow()?;
            return Ok(false);
        }
        if self.at_end() {
            return Err(self.flow_error(close, opened));
        }
        Ok(true)
    }

    fn flow_error(&self, close: u8, opened: usize) -> Error {
        let what = if close == b']' { "[…]" } else { "{…}" };
        if self.at_end() {
            error(
                opened,
                format!("{what} opened on line {opened} is not closed"),
            )
        } else {
            error(
                self.line,
                format!("expected ',' or '{}' in {what}", close as char),
            )
        }
    }

    /// After the outermost `]` or `}` of a block value, only a comment may follow.
    fn end_flow(&mut self) -> Result<()> {
        if matches!(
            self.stack.last(),
            Some(Ctx::FlowMap { .. } | Ctx::FlowSeq { .. })
        ) {
            return Ok(());
        }
        self.end_of_value()
    }

    fn end_of_value(&mut self) -> Result<()> {
        self.skip_inline_space();
        match self.cur() {
            b'#' | b'\n' | b'\r' | 0 => Ok(()),
            _ => Err(error(
                self.line,
                format!(
                    "unexpected text after a value: {:?}",
                    show(&self.text.as_bytes()[self.pos..])
                ),
            )),
        }
    }

    fn properties(&mut self) -> Result<Option<&'a str>> {
        let mut tag = None;
        if self.cur() == b'!' {
            let start = self.pos;
            while !(is_blank_or_end(self.cur()) || (self.cur() == b',' && self.in_flow())) {
                self.pos += 1;
            }
            tag = Some(&self.text[start..self.pos]);
            self.skip_inline_space();
        }
        if matches!(self.cur(), b'&' | b'*') {
            return Err(error(
                self.line,
                "YAML anchors and aliases (& and *) are not supported in .qua files",
            ));
        }
        Ok(tag)
    }

    fn in_flow(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Ctx::FlowMap { .. } | Ctx::FlowSeq { .. })
        )
    }

    /// A node in block context. `parent` is the indentation of the collection it belongs to
    /// (−1 for the root); `compact`: after `- ` or at the root, where a mapping or list may
    /// start on the same line.
    fn block_node(&mut self, parent: isize, compact: bool) -> Result<Node<'a>> {
        self.skip_inline_space();
        let tag = self.properties()?;
        let line = self.line;
        if matches!(self.cur(), b'#' | b'\n' | b'\r' | 0) {
            // The value is on the following lines, or there is none.
            self.skip_to_token()?;
            let column = self.column() as isize;
            if self.at_end() || self.at_document_marker() || column < parent {
                return Ok(null(tag, line));
            }
            if self.cur() == b'-' && is_blank_or_end(self.at(self.pos + 1)) {
                // A list under a key may sit at the key's own indentation.
                if column > parent || !compact {
                    self.push(Ctx::BlockSeq {
                        indent: self.column(),
                    })?;
                    return Ok(Node::Seq(tag));
                }
                return Ok(null(tag, line));
            }
            if column > parent {
                if self.key_ahead() {
                    self.push(Ctx::BlockMap {
                        indent: self.column(),
                        first: true,
                    })?;
                    return Ok(Node::Map(tag));
                }
                return self.block_scalar_node(parent, tag);
            }
            return Ok(null(tag, line));
        }
        match self.cur() {
            open @ (b'[' | b'{') => self.open_flow(open == b'[', tag),
            b'-' if compact && is_blank_or_end(self.at(self.pos + 1)) => {
                self.push(Ctx::BlockSeq {
                    indent: self.column(),
                })?;
                Ok(Node::Seq(tag))
            }
            _ if compact && self.key_ahead() => {
                self.push(Ctx::BlockMap {
                    indent: self.column(),
                    first: true,
                })?;
                Ok(Node::Map(tag))
            }
            _ => self.block_scalar_node(parent, tag),
        }
    }

    fn block_scalar_node(&mut self, parent: isize, tag: Option<&'a str>) -> Result<Node<'a>> {
        let line = self.line;
        let text = match self.cur() {
            b'\'' | b'"' => {
                let text = self.quoted()?;
                self.end_of_value()?;
                return Ok(Node::Scalar(Scalar {
                    text,
                    plain: false,
                    tag,
                    line,
                }));
            }
            b'|' | b'>' => {
                let text = self.block_scalar(parent)?;
                return Ok(Node::Scalar(Scalar {
                    text: Cow::Owned(text),
                    plain: false,
                    tag,
                    line,
                }));
            }
            _ => self.plain_block(parent)?,
        };
        Ok(Node::Scalar(Scalar {
            text,
            plain: true,
            tag,
            line,
        }))
    }

    /// Whether the cursor is at `key:` (a plain or quoted key on this line, then `:` and a
    /// space or the line's end).
    fn key_ahead(&mut self) -> bool {
        let line_end = self.line_end();
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        match self.cur() {
            quote @ (b'\'' | b'"') => {
                i += 1;
                loop {
                    match self.at(i) {
                        _ if i >= line_end => return false,
                        b'\\' if quote == b'"' => i += 2,
                        b'\'' if quote == b'\'' && self.at(i + 1) == b'\'' => i += 2,
                        b if b == quote => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                while matches!(self.at(i), b' ' | b'\t') {
                    i += 1;
                }
                self.at(i) == b':' && is_blank_or_end(self.at(i + 1))
            }
            _ => plain_key_end(&bytes[i..line_end]).is_some(),
        }
    }

    /// `key:` in a block mapping; the cursor ends after the colon.
    fn block_key(&mut self) -> Result<Scalar<'a>> {
        let line = self.line;
        match self.cur() {
            b'\'' | b'"' => {
                let text = self.quoted()?;
                self.skip_inline_space();
                if self.cur() != b':' || !is_blank_or_end(self.at(self.pos + 1)) {
                    return Err(error(line, "expected ':' after a quoted key"));
                }
                self.pos += 1;
                Ok(Scalar {
                    text,
                    plain: false,
                    tag: None,
                    line,
                })
            }
            b'?' | b'-' if is_blank_or_end(self.at(self.pos + 1)) => Err(error(
                line,
                "expected 'key: value' (complex keys and lists are not allowed here)",
            )),
            _ => {
                let line_end = self.line_end();
                let bytes = self.text.as_bytes();
                let Some(colon) = plain_key_end(&bytes[self.pos..line_end]) else {
                    return Err(error(
                        line,
                        format!(
                            "expected 'key: value', found {:?}",
                            show(&bytes[self.pos..line_end])
                        ),
                    ));
                };
                let key = self.text[self.pos..self.pos + colon].trim_end_matches([' ', '\t']);
                if key.is_empty() {
                    return Err(error(line, "a key is empty"));
                }
                self.pos += colon + 1;
                Ok(Scalar {
                    text: Cow::Borrowed(key),
                    plain: true,
                    tag: None,
                    line,
                })
            }
        }
    }

    /// A plain scalar in block context: the rest of the line (up to a comment), and the
    /// following lines indented more than `parent`, folded into one line (YAML's rule).
    fn plain_block(&mut self, parent: isize) -> Result<Cow<'a, str>> {
        let first = self.plain_line()?;
        let mut text: Option<String> = None;
        loop {
            // Look past the line break (and blank lines) for a continuation line.
            let mut i = self.pos;
            let mut breaks = 0;
            let line_start = loop {
                match self.at(i) {
                    b'\r' if self.at(i + 1) == b'\n' => i += 2,
                    b'\r' | b'\n' => i += 1,
                    _ => break None,
                }
                breaks += 1;
                let start = i;
                while self.at(i) == b' ' {
                    i += 1;
                }
                if !is_break(self.at(i)) {
                    break Some(start);
                }
            };
            let Some(line_start) = line_start else { break };
            let indent = (i - line_start) as isize;
            let rest = &self.text.as_bytes()[i..];
            let is_marker = indent == 0
                && (rest.starts_with(b"---") || rest.starts_with(b"..."))
                && is_blank_or_end(self.at(i + 3));
            if indent <= parent || matches!(self.at(i), b'#' | b'\t' | 0) || is_marker {
                break;
            }
            let joined = text.get_or_insert_with(|| first.to_owned());
            if breaks == 1 {
                joined.push(' ');
            } else {
                joined.extend(std::iter::repeat('\n').take(breaks - 1));
            }
            self.line += breaks;
            self.line_start = line_start;
            self.pos = i;
            joined.push_str(self.plain_line()?);
        }
        Ok(match text {
            Some(t) => Cow::Owned(t),
            None => Cow::Borrowed(first),
        })
    }

    /// One line of a plain block scalar, up to a comment, trailing space removed.
    fn plain_line(&mut self) -> Result<&'a str> {
        let start = self.pos;
        let line_end = self.line_end();
        let segment = &self.text.as_bytes()[start..line_end];
        let mut end = line_end;
        // A comment starts at `#` after a space; `: ` would start a mapping YAML forbids here.
        // Values are short: a plain loop beats a vectorised search.
        for (at, &b) in segment.iter().enumerate() {
            if b == b'#' && at > 0 && matches!(segment[at - 1], b' ' | b'\t') {
                end = start + at;
                break;
            }
            if b == b':' && is_blank_or_end(segment.get(at + 1).copied().unwrap_or(0)) {
                return Err(error(
                    self.line,
                    "': ' inside a plain value; put the value in quotes",
                ));
            }
        }
        self.pos = line_end;
        Ok(self.text[start..end].trim_end_matches([' ', '\t']))
    }

    /// Enters a `[…]` (`seq`) or `{…}` collection whose opening bracket is the current byte.
    fn open_flow(&mut self, seq: bool, tag: Option<&'a str>) -> Result<Node<'a>> {
        self.pos += 1;
        let (first, opened) = (true, self.line);
        if seq {
            self.push(Ctx::FlowSeq { first, opened })?;
            Ok(Node::Seq(tag))
        } else {
            self.push(Ctx::FlowMap { first, opened })?;
            Ok(Node::Map(tag))
        }
    }

    /// A node inside `[…]` or `{…}`.
    fn flow_node(&mut self) -> Result<Node<'a>> {
        self.skip_flow_space();
        let tag = self.properties()?;
        self.skip_flow_space();
        match self.cur() {
            open @ (b'[' | b'{') => self.open_flow(open == b'[', tag),
            _ => Ok(Node::Scalar(self.flow_scalar(tag)?)),
        }
    }

    /// A scalar inside `[…]` or `{…}`: quoted, or plain up to `,` `]` `}` `: ` or a comment.
    fn flow_scalar(&mut self, tag: Option<&'a str>) -> Result<Scalar<'a>> {
        let line = self.line;
        if matches!(self.cur(), b'\'' | b'"') {
            let text = self.quoted()?;
            return Ok(Scalar {
                text,
                plain: false,
                tag,
                line,
            });
        }
        if matches!(self.cur(), b'[' | b'{') {
            return Err(error(line, "a list or mapping cannot be a key"));
        }
        let start = self.pos;
        loop {
            let b = self.cur();
            if b == 0 || is_break(b) || is_flow_indicator(b) {
                break;
            }
            if b == b':'
                && (is_blank_or_end(self.at(self.pos + 1))
                    || is_flow_indicator(self.at(self.pos + 1)))
            {
                break;
            }
            if b == b'#' && self.pos > start && matches!(self.at(self.pos - 1), b' ' | b'\t') {
                break;
            }
            self.pos += 1;
        }
        Ok(Scalar {
            text: Cow::Borrowed(self.text[start..self.pos].trim_end_matches([' ', '\t'])),
            plain: true,
            tag,
            line,
        })
    }

    /// A single- or double-quoted scalar at the cursor; borrowed unless it has escapes or
    /// spans lines.
    fn quoted(&mut self) -> Result<Cow<'a, str>> {
        let quote = self.cur();
        let opened_on = self.line;
        let start = self.pos + 1;
        let bytes = self.text.as_bytes();
        // Fast path: closing quote on the same line, no escapes.
        let special = if quote == b'"' { b'\\' } else { b'\'' };
        if let Some(i) = memchr::memchr3(quote, special, b'\n', &bytes[start..]) {
            let end = start + i;
            let simple = bytes[end] == quote
                && !(quote == b'\'' && self.at(end + 1) == b'\'')
                && memchr::memchr(b'\r', &bytes[start..end]).is_none();
            if simple {
                self.pos = end + 1;
                return Ok(Cow::Borrowed(&self.text[start..end]));
            }
        }
        let mut out = String::new();
        self.pos = start;
        loop {
            let b = self.cur();
            match b {
                0 if self.at_end() => {
                    return Err(error(
                        opened_on,
                        format!("quoted text opened on line {opened_on} is not closed"),
                    ))
                }
                b'\'' if quote == b'\'' => {
                    if self.at(self.pos + 1) == b'\'' {
                        out.push('\'');
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                        return Ok(Cow::Owned(out));
                    }
                }
                b'"' if quote == b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' if quote == b'"' => {
                    self.pos += 1;
                    if is_break(self.cur()) {
                        // An escaped line break joins the lines without a space.
                        self.eat_break();
                        self.skip_inline_space();
                    } else {
                        self.escape(&mut out)?;
                    }
                }
                b'\n' | b'\r' => {
                    // Folding: one break becomes a space, each further (empty) line a break.
                    let trimmed = out.trim_end_matches([' ', '\t']).len();
                    out.truncate(trimmed);
                    let mut breaks = 0;
                    while is_break(self.cur()) {
                        self.eat_break();
                        self.skip_inline_space();
                        breaks += 1;
                    }
                    if breaks == 1 {
                        out.push(' ');
                    } else {
                        out.extend(std::iter::repeat('\n').take(breaks - 1));
                    }
                }
                _ => {
                    let rest = &self.text[self.pos..];
                    let len = rest
                        .bytes()
                        .position(|c| c == quote || is_break(c) || (c == b'\\' && quote == b'"'))
                        .unwrap_or(rest.len());
                    out.push_str(&rest[..len]);
                    self.pos += len;
                }
            }
        }
    }

    /// The escape after `\` in a double-quoted scalar.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let c = self.cur();
        self.pos += 1;
        let simple = match c {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' | b'\t' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let len = match c {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let digits = self.text.get(self.pos..self.pos + len).unwrap_or("");
                let code = u32::from_str_radix(digits, 16)
                    .ok()
                    .filter(|_| {
                        digits.len() == len && digits.bytes().all(|b| b.is_ascii_hexdigit())
                    })
                    .and_then(char::from_u32)
                    .ok_or_else(|| {
                        error(self.line, format!("invalid escape \\{}{digits}", c as char))
                    })?;
                self.pos += len;
                code
            }
            _ => {
                return Err(error(
                    self.line,
                    format!("unknown escape \\{}", (c as char).escape_default()),
                ))
            }
        };
        out.push(simple);
        Ok(())
    }

    /// A literal (`|`) or folded (`>`) block scalar; `parent` is the indentation of the
    /// collection it belongs to.
    fn block_scalar(&mut self, parent: isize) -> Result<String> {
        let literal = self.cur() == b'|';
        let line = self.line;
        self.pos += 1;
        let mut chomp = b' ';
        let mut explicit = None;
        for _ in 0..2 {
            match self.cur() {
                c @ (b'+' | b'-') => chomp = c,
                c @ b'1'..=b'9' => explicit = Some(usize::from(c - b'0')),
                _ => break,
            }
            self.pos += 1;
        }
        self.skip_inline_space();
        if self.cur() == b'#' {
            self.skip_to_line_end();
        }
        if !matches!(self.cur(), b'\n' | b'\r' | 0) {
            return Err(error(
                line,
                "unexpected text after a block scalar indicator",
            ));
        }
        let base = parent.max(0) as usize;
        let mut indent = explicit.map(|d| base + d);
        let mut out = String::new();
        let mut pending_breaks = 0usize;
        // Whether the previous content line was "more indented" (kept as is when folding).
        let mut previous_plain = false;
        let mut any_content = false;
        while is_break(self.cur()) {
            let save = (self.pos, self.line, self.line_start);
            self.eat_break();
            let mut i = self.pos;
            while self.at(i) == b' ' {
                i += 1;
            }
            let spaces = i - self.pos;
            if matches!(self.at(i), b'\n' | b'\r' | 0) {
                // Empty lines belong to the scalar (they may end it, subject to chomping).
                pending_breaks += 1;
                self.pos = i;
                continue;
            }
            let n = *indent.get_or_insert(spaces);
            if spaces < n || (spaces as isize) <= parent {
                (self.pos, self.line, self.line_start) = save;
                break;
            }
            let start = self.pos + n;
            self.skip_to_line_end();
            let content = &self.text[start..self.pos];
            let more_indented = content.starts_with([' ', '\t']);
            if any_content {
                if literal || more_indented || !previous_plain {
                    out.extend(std::iter::repeat('\n').take(pending_breaks + 1));
                } else if pending_breaks == 0 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat('\n').take(pending_breaks));
                }
            } else {
                out.extend(std::iter::repeat('\n').take(pending_breaks));
            }
            pending_breaks = 0;
            out.push_str(content);
            previous_plain = !more_indented;
            any_content = true;
        }
        match chomp {
            b'-' => {}
            b'+' => {
                out.extend(std::iter::repeat('\n').take(pending_breaks + usize::from(any_content)))
            }
            _ if any_content => out.push('\n'),
            _ => {}
        }
        Ok(out)
    }
}

fn null<'a>(tag: Option<&'a str>, line: usize) -> Node<'a> {
    Node::Scalar(Scalar {
        text: Cow::Borrowed(""),
        plain: true,
        tag,
        line,
    })
}

/// Where the `:` of `key: value` is in a line, if it is one (not inside a comment).
fn plain_key_end(line: &[u8]) -> Option<usize> {
    for (at, &b) in line.iter().enumerate() {
        if b == b'#' && (at == 0 || matches!(line[at - 1], b' ' | b'\t')) {
            return None;
        }
        if b == b':' && at > 0 && is_blank_or_end(line.get(at + 1).copied().unwrap_or(0)) {
            return Some(at);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Writing

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

impl Reader<'_> {
    /// Checks that nothing but comments follows the root node.
    pub fn finish(&mut self) -> Result<()> {
        self.skip_pending()?;
        while let Some(ctx) = self.stack.last() {
            match ctx {
                Ctx::BlockMap { .. } | Ctx::FlowMap { .. } => {
                    while self.next_key()?.is_some() {
                        let node = self.node()?;
                        self.skip(node)?;
                    }
                }
                Ctx::BlockSeq { .. } | Ctx::FlowSeq { .. } => {
                    while self.next_item()? {
                        let node = self.node()?;
                        self.skip(node)?;
                    }
                }
            }
        }
        self.skip_to_token()?;
        if self.at_end() || self.at_document_marker() {
            Ok(())
        } else {
            Err(error(self.line, "unexpected text after the document"))
        }
    }
}
