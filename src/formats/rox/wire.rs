//! Primitive encodings of .rox (docs/rox-format.md §2): varints, zigzag, f64 bits, strings,
//! length-prefixed streams, and a reader that bounds-checks every read and names the place
//! and payload offset of whatever it finds wrong.

use crate::{Error, Result};

#[inline]
pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(super) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub(super) fn put_zigzag(out: &mut Vec<u8>, v: i64) {
    put_varint(out, zigzag(v));
}

pub(super) fn put_f64(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&v.to_bits().to_le_bytes());
}

pub(super) fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

pub(super) fn put_string(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

/// Reads from one section or stream. `base` is the payload offset of `bytes[0]`, so errors
/// can point at the exact byte.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    place: &'static str,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8], base: usize, place: &'static str) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            base,
            place,
        }
    }

    // Error paths take copies, never `&self`: a reader whose address escapes into an
    // out-of-line call is kept in memory, which costs the hot loops a store and a reload of
    // the position per value.
    #[inline(always)]
    pub(super) fn corrupt(&self, what: impl std::fmt::Display) -> Error {
        corrupt_at(self.place, self.base + self.pos, &what)
    }

    pub(super) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(super) fn is_empty(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// Fails unless every byte has been read: sections and streams are consumed exactly.
    pub(super) fn finish(&self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.corrupt(format!("{} unexpected trailing byte(s)", self.remaining())))
        }
    }

    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.corrupt(format!("needs {n} byte(s), only {} left", self.remaining())));
        }
        let bytes = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    /// The next `n` bytes as a reader of their own.
    pub(super) fn sub(&mut self, n: usize, place: &'static str) -> Result<Reader<'a>> {
        let base = self.base + self.pos;
        Ok(Reader::new(self.take(n)?, base, place))
    }

    /// A `stream`: a varint length, then that many bytes.
    pub(super) fn stream(&mut self, place: &'static str) -> Result<Reader<'a>> {
        let len = self.length()?;
        self.sub(len, place)
    }

    pub(super) fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    pub(super) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("took 2 bytes"),
        ))
    }

    pub(super) fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_bits(u64::from_le_bytes(
            self.take(8)?.try_into().expect("took 8 bytes"),
        )))
    }

    #[inline(always)]
    pub(super) fn varint(&mut self) -> Result<u64> {
        if let Some(v) = short_varint(self.bytes, &mut self.pos) {
            return Ok(v);
        }
        match varint_long(self.bytes, self.pos) {
            Ok((v, end)) => {
                self.pos = end;
                Ok(v)
            }
            Err(what) => Err(self.corrupt(what)),
        }
    }

    /// The position, for a loop that reads one-byte varints from `bytes_at` itself (see
    /// `short_varint`) and gives the position back with `seek` for anything else.
    pub(super) fn position(&self) -> usize {
        self.pos
    }

    pub(super) fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }

    pub(super) fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    pub(super) fn varint_u32(&mut self) -> Result<u32> {
        let v = self.varint()?;
        u32::try_from(v).map_err(|_| self.corrupt(format!("{v} does not fit in 32 bits")))
    }

    pub(super) fn zigzag(&mut self) -> Result<i64> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A byte length or count, which must at least fit in memory addressing.
    pub(super) fn length(&mut self) -> Result<usize> {
        let v = self.varint()?;
        usize::try_from(v).map_err(|_| self.corrupt(format!("length {v} is too large")))
    }

    /// A count of items each taking at least `min_bytes` of what is left of this reader,
    /// checked before the caller allocates for them.
    pub(super) fn count(&mut self, min_bytes: usize, what: &str) -> Result<usize> {
        let n = self.length()?;
        if n.saturating_mul(min_bytes) > self.remaining() {
            return Err(self.corrupt(format!(
                "{n} {what} cannot fit in the {} byte(s) left",
                self.remaining()
            )));
        }
        Ok(n)
    }

    pub(super) fn string(&mut self) -> Result<String> {
        let len = self.length()?;
        let start = self.pos;
        let bytes = self.take(len)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => {
                self.pos = start + e.valid_up_to();
                Err(self.corrupt("string is not valid UTF-8"))
            }
        }
    }
}

#[cold]
fn corrupt_at(place: &str, offset: usize, what: &dyn std::fmt::Display) -> Error {
    Error::Corrupt(format!("{place} at payload byte {offset}: {what}"))
}

/// The varint at `bytes[*pos]` if it takes one or two bytes (then `*pos` moves past it): the
/// fast path of `Reader::varint`, inlined. Values below 2^14 are nearly every delta and
/// duration (a note 200 ms after the last, in units of 1 ms, takes two bytes); longer ones and
/// errors go out of line (`varint_long`).
#[inline(always)]
pub(super) fn short_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let first = *bytes.get(*pos)?;
    if first < 0x80 {
        *pos += 1;
        return Some(u64::from(first));
    }
    let second = *bytes.get(*pos + 1)?;
    if second < 0x80 {
        *pos += 2;
        return Some(u64::from(first & 0x7f) | u64::from(second) << 7);
    }
    None
}

/// A varint of two or more bytes starting at `bytes[pos]`: its value and end.
#[cold]
fn varint_long(bytes: &[u8], mut pos: usize) -> std::result::Result<(u64, usize), &'static str> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let &b = bytes.get(pos).ok_or("varint runs past the end")?;
        pos += 1;
        // The tenth byte may only carry the top bit of a u64.
        if shift == 63 && b > 1 {
            return Err("varint overflows 64 bits");
        }
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok((v, pos));
        }
    }
    unreachable!("the tenth byte either ends the varint or is rejected")
}
