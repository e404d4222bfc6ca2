//! Byte-level text handling for `.osu`: encodings, lines, fields and the fast digit run
//! (numbers shared with other codecs are in `formats::text`).
//! Decoding works on bytes so that the common lines need no allocation and no UTF-8 check;
//! only text that ends up in the chart is checked (see `utf8`).

use std::borrow::Cow;

use crate::{Error, Result};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text as UTF-8 without a byte-order mark. UTF-16 (recognised by its BOM, as osu! does)
/// is transcoded; anything else is taken to be UTF-8 and checked where it is used.
pub fn to_utf8(bytes: &[u8]) -> Result<Cow<'_, [u8]>> {
    match utf16_bom(bytes) {
        Some((rest, big_endian)) => utf16_to_utf8(rest, big_endian).map(Cow::Owned),
        None => Ok(Cow::Borrowed(bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes))),
    }
}

/// A prefix of the text, enough to recognise the format; broken UTF-16 is replaced, not refused.
pub fn sniff_prefix(bytes: &[u8]) -> Cow<'_, [u8]> {
    const PREFIX: usize = 64 * 1024;
    match utf16_bom(bytes) {
        Some((rest, big_endian)) => {
            let units = &rest[..rest.len().min(PREFIX) & !1];
            let text: String = char::decode_utf16(code_units(units, big_endian))
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            Cow::Owned(text.into_bytes())
        }
        None => Cow::Borrowed(bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)),
    }
}

/// The bytes after a UTF-16 byte-order mark, and whether it says big-endian.
fn utf16_bom(bytes: &[u8]) -> Option<(&[u8], bool)> {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, false)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, true)),
        _ => None,
    }
}

fn code_units(bytes: &[u8], big_endian: bool) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    })
}

fn utf16_to_utf8(bytes: &[u8], big_endian: bool) -> Result<Vec<u8>> {
    let encoding = if big_endian { "UTF-16BE" } else { "UTF-16LE" };
    if bytes.len() % 2 != 0 {
        return Err(Error::Encoding {
            encoding,
            detail: format!(
                "odd number of bytes ({}) after the byte-order mark",
                bytes.len()
            ),
        });
    }
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(code_units(bytes, big_endian)).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(e) => {
                let line = out.bytes().filter(|&b| b == b'\n').count() + 1;
                let detail = format!(
                    "line {line}: unpaired surrogate {:#06x} at byte {}",
                    e.unpaired_surrogate(),
                    2 + 2 * i
                );
                return Err(Error::Encoding { encoding, detail });
            }
        }
    }
    Ok(out.into_bytes())
}

/// Text that goes into the chart must be UTF-8: replacing bad bytes would silently change
/// names, and file names must match the files on disk exactly.
pub fn utf8(bytes: &[u8], line: usize) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| Error::Encoding {
        encoding: "UTF-8",
        detail: format!("line {line}: {e}"),
    })
}

/// Lines with their 1-based numbers. Breaks are LF, CRLF or a lone CR (.NET's `ReadLine`, which
/// osu! uses, accepts all three).
pub struct Lines<'a> {
    rest: &'a [u8],
    number: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a [u8]) -> Lines<'a> {
        Lines {
            rest: text,
            number: 0,
        }
    }

    /// The text not yet returned.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// Takes one line of `len` bytes (its line break included) that the caller read itself.
    pub fn consume(&mut self, len: usize) {
        self.rest = &self.rest[len..];
        self.number += 1;
    }

    /// Passes over `len` bytes of whole lines unread, counting them.
    pub fn pass_over(&mut self, len: usize) {
        let (skipped, rest) = self.rest.split_at(len);
        self.number += memchr::memchr_iter(b'\n', skipped).count();
        self.rest = rest;
    }

    /// Number of the last line returned.
    pub fn number(&self) -> usize {
        self.number
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<(usize, &'a [u8])> {
        if self.rest.is_empty() {
            return None;
        }
        self.number += 1;
        let (line, rest) = match memchr::memchr2(b'\n', b'\r', self.rest) {
            Some(i) if self.rest[i] == b'\r' && self.rest.get(i + 1) == Some(&b'\n') => {
                (&self.rest[..i], &self.rest[i + 2..])
            }
            Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
            None => (self.rest, &[][..]),
        };
        self.rest = rest;
        Some((self.number, line))
    }
}

/// Cuts a `//` comment and the whitespace before it (osu! allows comments at the end of lines
/// everywhere except in `[Metadata]`).
pub fn strip_comment(line: &[u8]) -> &[u8] {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'/', &line[from..]) {
        let at = from + i;
        if line.get(at + 1) == Some(&b'/') {
            return line[..at].trim_ascii_end();
        }
        from = at + 1;
    }
    line
}

/// `Key: Value` split at the first colon, both sides trimmed.
pub fn key_value(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = memchr::memchr(b':', line)?;
    Some((line[..i].trim_ascii(), line[i + 1..].trim_ascii()))
}

/// The fields of a line, split at a separator byte.
pub struct Fields<'a> {
    rest: Option<&'a [u8]>,
    separator: u8,
}

impl<'a> Fields<'a> {
    pub fn new(line: &'a [u8], separator: u8) -> Fields<'a> {
        Fields {
            rest: Some(line),
            separator,
        }
    }

    /// What is left after the fields taken so far, separators included.
    pub fn rest(&self) -> Option<&'a [u8]> {
        self.rest
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest?;
        match rest.iter().position(|&b| b == self.separator) {
            Some(i) => {
                self.rest = Some(&rest[i + 1..]);
                Some(&rest[..i])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::text::leading_digits;

    #[test]
    fn line_breaks() {
        let lines: Vec<_> = Lines::new(b"a\r\nb\rc\n\nd").collect();
        assert_eq!(
            lines,
            [(1, &b"a"[..]), (2, b"b"), (3, b"c"), (4, b""), (5, b"d")]
        );
    }

    #[test]
    fn comments() {
        assert_eq!(strip_comment(b"1,2 // x"), b"1,2");
        assert_eq!(strip_comment(b"a/b.wav"), b"a/b.wav");
        assert_eq!(strip_comment(b"a/"), b"a/");
    }

    #[test]
    fn fast_digits() {
        for value in (0..10_000u64).chain([9_999_999, 1_234_567, 100_000, 7_000_000]) {
            let text = format!("{value},0:0:0:0:");
            assert_eq!(
                leading_digits(text.as_bytes(), 0),
                Some((value, value.to_string().len(), b',')),
                "{text}"
            );
        }
        assert_eq!(leading_digits(b"12345678,", 0), Some((12_345_678, 8, b',')));
        assert_eq!(
            leading_digits(b"123456789,", 0),
            Some((123_456_789, 9, b','))
        );
        assert_eq!(leading_digits(b"1234567890,", 0), None);
        assert_eq!(leading_digits(b"12345678", 0), None);
        assert_eq!(leading_digits(b"123456789", 0), None);
        assert_eq!(leading_digits(b",1234567", 0), None);
        assert_eq!(
            leading_digits(b"12\xFF\xFF\xFF\xFF\xFF\xFF", 0),
            Some((12, 2, 0xFF))
        );
        assert_eq!(leading_digits(b"9/:0 0000", 0), Some((9, 1, b'/')));
        assert_eq!(leading_digits(b"123", 0), None);
        assert_eq!(leading_digits(b"ab12,000000", 2), Some((12, 2, b',')));
        assert_eq!(leading_digits(b"ab12,0", 2), None);
        // Every byte, as the first one and after a digit.
        for b in 0..=255u8 {
            let first = [b, b'_', b'_', b'_', b'_', b'_', b'_', b'_'];
            let expected = b.is_ascii_digit().then(|| (u64::from(b - b'0'), 1, b'_'));
            assert_eq!(leading_digits(&first, 0), expected, "{b:#04x} first");
            let second = [b'7', b, b'_', b'_', b'_', b'_', b'_', b'_'];
            let expected = match b.is_ascii_digit() {
                true => (70 + u64::from(b - b'0'), 2, b'_'),
                false => (7, 1, b),
            };
            assert_eq!(
                leading_digits(&second, 0),
                Some(expected),
                "{b:#04x} second"
            );
        }
        let mut f = Fields::new(b"64,,1.5", b',');
        assert_eq!(
            (f.next(), f.next(), f.rest()),
            (Some(&b"64"[..]), Some(&b""[..]), Some(&b"1.5"[..]))
        );
        assert_eq!((f.next(), f.next()), (Some(&b"1.5"[..]), None));
    }
}
