//! Scalars: keys, plain values (folded over lines), quoted text with escapes, block scalars.

use std::borrow::Cow;

use super::Reader;
use crate::formats::quaver::yaml::{
    error, is_blank_or_end, is_break, is_flow_indicator, Node, Scalar,
};
use crate::formats::text::show;
use crate::Result;

impl<'a> Reader<'a> {
    pub(super) fn block_scalar_node(
        &mut self,
        parent: isize,
        tag: Option<&'a str>,
    ) -> Result<Node<'a>> {
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
    pub(super) fn key_ahead(&mut self) -> bool {
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
    pub(super) fn block_key(&mut self) -> Result<Scalar<'a>> {
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

    /// A scalar inside `[…]` or `{…}`: quoted, or plain up to `,` `]` `}` `: ` or a comment.
    pub(super) fn flow_scalar(&mut self, tag: Option<&'a str>) -> Result<Scalar<'a>> {
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
                b'\n' | b'\r' => self.fold_quoted_breaks(&mut out),
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

    /// Line breaks inside quotes fold: one becomes a space, each further (empty) line a break.
    fn fold_quoted_breaks(&mut self, out: &mut String) {
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
        let (literal, chomp, explicit) = self.block_scalar_header()?;
        let base = parent.max(0) as usize;
        let mut indent = explicit.map(|d| base + d);
        let mut out = String::new();
        let mut pending_breaks = 0usize;
        // Whether the previous content line was "more indented" (kept as is when folding).
        let mut previous_plain = false;
        let mut any_content = false;
        // Whether the last content line ended with a line break (the file may end without one).
        let mut last_line_broken = false;
        while is_break(self.cur()) {
            let save = (self.pos, self.line, self.line_start);
            self.eat_break();
            last_line_broken = true;
            let mut i = self.pos;
            while self.at(i) == b' ' {
                i += 1;
            }
            let spaces = i - self.pos;
            if self.at(i) == 0 {
                // The end of the text: no line there, not even an empty one.
                self.pos = i;
                break;
            }
            if matches!(self.at(i), b'\n' | b'\r') {
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
            last_line_broken = false;
        }
        let final_break = usize::from(any_content && last_line_broken);
        match chomp {
            b'-' => {}
            b'+' => out.extend(std::iter::repeat('\n').take(pending_breaks + final_break)),
            _ => out.extend(std::iter::repeat('\n').take(final_break)),
        }
        Ok(out)
    }

    /// The indicator line of a block scalar: literal (`|`) or folded, the chomping indicator
    /// (`+`, `-` or none) and the explicit indentation, if given.
    fn block_scalar_header(&mut self) -> Result<(bool, u8, Option<usize>)> {
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
        Ok((literal, chomp, explicit))
    }
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
