//! The pull parser's structure: documents, block and flow collections, their keys and items.
//! Scalars are read in `scalars`.

mod scalars;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use super::{error, is_blank_or_end, Node, Scalar};
use crate::formats::text::show;
use crate::{Error, Result};

/// Deepest nesting of collections accepted (a `.qua` needs 4).
pub(super) const MAX_DEPTH: usize = 64;

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
}

fn null<'a>(tag: Option<&'a str>, line: usize) -> Node<'a> {
    Node::Scalar(Scalar {
        text: Cow::Borrowed(""),
        plain: true,
        tag,
        line,
    })
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
