//! A strict JSON reader for the one schema `.rox.json` has: values are read where the schema
//! expects them, so nesting is as deep as the schema and no deeper, and every object is read
//! by a list of known member names (an unknown or repeated member is an error).
//!
//! Other JSON formats (Friday Night Funkin') read objects by any member name and pass over
//! values they do not use ([`Parser::any_object`], [`Parser::raw_value`]), to a bounded depth.

use std::borrow::Cow;

use crate::{Error, Result};

mod number;

/// The members of one object kind: their names, in a fixed order; a member is known by its
/// index in this list.
pub(crate) type Members = &'static [&'static str];

pub(crate) struct Parser<'a> {
    /// The input, checked as UTF-8 once; `bytes` is the same, for byte access.
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The format name errors give.
    format: &'static str,
}

/// How deep values passed over may nest: far beyond any chart, far below the stack's limit.
const MAX_SKIPPED_DEPTH: usize = 64;

impl<'a> Parser<'a> {
    /// Refuses anything that is not UTF-8 up front, so strings can be borrowed as `str`.
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Parser<'a>> {
        Self::for_format(bytes, "rox.json")
    }

    /// A parser whose errors name `format`.
    pub(crate) fn for_format(bytes: &'a [u8], format: &'static str) -> Result<Parser<'a>> {
        match std::str::from_utf8(bytes) {
            Ok(input) => Ok(Parser {
                input,
                bytes,
                pos: 0,
                format,
            }),
            Err(e) => {
                let parser = Parser {
                    input: "",
                    bytes,
                    pos: e.valid_up_to(),
                    format,
                };
                Err(parser.error("the text is not valid UTF-8"))
            }
        }
    }

    /// An error at the current position, with its line (counted only when an error is made).
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        let upto = &self.bytes[..self.pos.min(self.bytes.len())];
        Error::Parse {
            format: self.format,
            line: 1 + memchr::memchr_iter(b'\n', upto).count(),
            message: message.into(),
        }
    }

    /// The input not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    #[inline(always)]
    fn skip_space(&mut self) {
        let mut at = self.pos;
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(at) {
            at += 1;
        }
        self.pos = at;
    }

    /// The next byte after blanks, not consumed.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `byte` (after blanks) if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<()> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }

    /// Nothing but blanks is left.
    pub(crate) fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("unexpected text after the chart object")),
        }
    }

    /// `literal` (`null`, `true`, `false`) if it comes next.
    fn eat_literal(&mut self, literal: &str) -> bool {
        self.skip_space();
        let found = self.bytes[self.pos..].starts_with(literal.as_bytes());
        if found {
            self.pos += literal.len();
        }
        found
    }

    /// `null` gives `None`, anything else `read`'s value.
    #[inline(always)]
    pub(crate) fn nullable<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<Option<T>> {
        if self.peek() == Some(b'n') && self.eat_literal("null") {
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }

    #[inline(always)]
    pub(crate) fn bool(&mut self) -> Result<bool> {
        self.skip_space();
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(b"true") {
            self.pos += 4;
            Ok(true)
        } else if rest.starts_with(b"false") {
            self.pos += 5;
            Ok(false)
        } else {
            Err(self.expected("true or false"))
        }
    }

    /// A string, borrowed from the input when it holds no escape.
    // Inlined: strings here are short (member names, kinds, file names), read by the hundred
    // thousand; the plain case is a few instructions, the rest goes out of line.
    #[inline(always)]
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>> {
        match self.plain_string() {
            Some(text) => Ok(Cow::Borrowed(text)),
            None => self.unusual_string(),
        }
    }

    /// The next value when it is a string without escapes (consumed), else `None` (nothing
    /// consumed but blanks).
    #[inline(always)]
    fn plain_string(&mut self) -> Option<&'a str> {
        self.skip_space();
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        let start = self.pos + 1;
        let mut end = start;
        while let Some(&b) = self.bytes.get(end) {
            match b {
                b'"' => {
                    self.pos = end + 1;
                    return Some(self.text(start, end));
                }
                b'\\' | 0..=0x1f => return None,
                _ => end += 1,
            }
        }
        None
    }

    /// [`Parser::string`] for a string with an escape, or an error.
    #[inline(never)]
    fn unusual_string(&mut self) -> Result<Cow<'a, str>> {
        self.expect(b'"', "a string")?;
        let start = self.pos;
        let Some(len) = self.bytes[start..]
            .iter()
            .position(|&b| matches!(b, b'"' | b'\\' | 0..=0x1f))
        else {
            return Err(self.error("unterminated string"));
        };
        self.pos = start + len;
        match self.bytes[self.pos] {
            b'"' => {
                self.pos += 1;
                Ok(Cow::Borrowed(self.text(start, start + len)))
            }
            b'\\' => self.escaped_string(start).map(Cow::Owned),
            _ => Err(self.error("control character in a string")),
        }
    }

    /// `input[from..to]`; the scanners stop only at ASCII bytes, so these are char boundaries.
    fn text(&self, from: usize, to: usize) -> &'a str {
        &self.input[from..to]
    }

    /// The rest of a string from its first escape on; `start` is just past its quote.
    fn escaped_string(&mut self, start: usize) -> Result<String> {
        let mut out = String::from(self.text(start, self.pos));
        loop {
            let run = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if matches!(b, b'"' | b'\\' | 0..=0x1f) {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text(run, self.pos));
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// One escape after its backslash. `\u` pairs of surrogates make one character; a lone
    /// surrogate is no character and is refused.
    fn escape(&mut self) -> Result<char> {
        let Some(&b) = self.bytes.get(self.pos) else {
            return Err(self.error("unterminated string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(self.error("unknown escape in a string")),
        };
        Ok(c)
    }

    fn unicode_escape(&mut self) -> Result<char> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if !self.bytes[self.pos..].starts_with(b"\\u") {
                return Err(self.error("lone UTF-16 surrogate in a string"));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.error("lone UTF-16 surrogate in a string"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("lone UTF-16 surrogate in a string"))
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
        self.pos += 4;
        Ok(u32::from_str_radix(digits, 16).expect("hex digits"))
    }

    /// An array, calling `element` for each element.
    pub(crate) fn array(&mut self, mut element: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        self.expect(b'[', "an array")?;
        if self.eat(b']') {
            return Ok(());
        }
        loop {
            element(self)?;
            if self.closes(b']', "',' or ']' in an array")? {
                return Ok(());
            }
        }
    }

    /// After a member or element: `true` at `close` (consumed), `false` at a comma (consumed).
    #[inline(always)]
    fn closes(&mut self, close: u8, what: &str) -> Result<bool> {
        self.skip_space();
        match self.bytes.get(self.pos) {
            Some(&b) if b == close || b == b',' => {
                self.pos += 1;
                Ok(b == close)
            }
            _ => Err(self.expected(what)),
        }
    }

    #[cold]
    fn expected(&self, what: &str) -> Error {
        self.error(format!("expected {what}"))
    }

    /// An object of `members`, calling `member` with each one's index (its value comes next).
    /// Unknown and repeated members are refused. Returns the bits of the members seen.
    pub(crate) fn object(
        &mut self,
        members: Members,
        mut member: impl FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<u64> {
        debug_assert!(members.len() <= 64);
        self.expect(b'{', "an object")?;
        let mut seen = 0u64;
        if self.eat(b'}') {
            return Ok(seen);
        }
        loop {
            let index = self.member(members)?;
            if seen & (1 << index) != 0 {
                let name = members[index];
                return Err(self.error(format!("member \"{name}\" appears twice")));
            }
            seen |= 1 << index;
            self.expect(b':', "':' after a member name")?;
            member(self, index)?;
            if self.closes(b'}', "',' or '}' in an object")? {
                return Ok(seen);
            }
        }
    }

    /// The index in `members` of the member name that comes next. Names are compared as raw
    /// bytes first (no escapes, the common case); anything else goes through [`Parser::string`].
    fn member(&mut self, members: Members) -> Result<usize> {
        self.skip_space();
        let start = self.pos;
        let rest = self.bytes.get(start + 1..).unwrap_or_default();
        if self.bytes.get(start) == Some(&b'"') {
            if let Some(len) = rest.iter().position(|&b| b == b'"' || b == b'\\') {
                let raw = &rest[..len];
                if rest[len] == b'"' {
                    if let Some(index) = members.iter().position(|m| m.as_bytes() == raw) {
                        self.pos = start + len + 2;
                        return Ok(index);
                    }
                }
            }
        }
        let name = self.string()?;
        members
            .iter()
            .position(|m| *m == name)
            .ok_or_else(|| self.error(format!("unknown member \"{name}\"")))
    }

    /// `Err` naming the first of `required` (member indices) missing from `seen`.
    pub(crate) fn require(&self, seen: u64, members: Members, required: &[usize]) -> Result<()> {
        match required.iter().find(|&&i| seen & (1 << i) == 0) {
            None => Ok(()),
            Some(&i) => Err(self.error(format!("member \"{}\" is missing", members[i]))),
        }
    }
    /// An object of any members, calling `member` with each one's name (its value comes next).
    /// A repeated name is passed again (the reader decides).
    pub(crate) fn any_object(
        &mut self,
        mut member: impl FnMut(&mut Self, &str) -> Result<()>,
    ) -> Result<()> {
        self.expect(b'{', "an object")?;
        if self.eat(b'}') {
            return Ok(());
        }
        let mut unusual;
        loop {
            let name = match self.plain_string() {
                Some(name) => name,
                None => {
                    unusual = self.unusual_string()?;
                    &*unusual
                }
            };
            self.expect(b':', "':' after a member name")?;
            member(self, name)?;
            if self.closes(b'}', "',' or '}' in an object")? {
                return Ok(());
            }
        }
    }

    /// The text of the next value, checked as JSON and passed over; nested at most
    /// `MAX_SKIPPED_DEPTH` deep.
    pub(crate) fn raw_value(&mut self) -> Result<&'a str> {
        self.skip_space();
        let start = self.pos;
        self.skip_value(0)?;
        Ok(self.text(start, self.pos))
    }

    fn skip_value(&mut self, depth: usize) -> Result<()> {
        let nested = |p: &mut Self| {
            if depth == MAX_SKIPPED_DEPTH {
                Err(p.error(format!("values nested deeper than {MAX_SKIPPED_DEPTH}")))
            } else {
                Ok(depth + 1)
            }
        };
        match self.peek() {
            Some(b'{') => {
                let inner = nested(self)?;
                self.any_object(|p, _| p.skip_value(inner))
            }
            Some(b'[') => {
                let inner = nested(self)?;
                self.array(|p| p.skip_value(inner))
            }
            Some(b'"') => self.string().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number_token().map(drop),
            _ if self.eat_literal("null") => Ok(()),
            _ => self.number_token().map(drop),
        }
    }
}
