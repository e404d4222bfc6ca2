//! BMS family (`.bms`, `.bme`, `.bml`, `.pms`): Be-Music Source, the keysounded format of
//! beatmania-style simulators (LR2, beatoraja).
//!
//! Reading follows the BMS command memo (hitkey's) as LR2 and beatoraja play it: header
//! commands, then object lines `#mmmcc:data` whose base-36 pairs are spread evenly over
//! measure `mmm`. docs/bms.md gives the whole mapping and its decisions. In short:
//!
//! * **Text**: UTF-8 when the file starts with a UTF-8 byte-order mark or its bytes are valid
//!   UTF-8 (plain ASCII is both), else Shift_JIS (the format's historical encoding; bytes
//!   Shift_JIS has no character for become U+FFFD, so decoding never fails).
//! * **Columns**: scratch (16/26) is a column of its own: 5K is 6 columns and 7K 8, scratch
//!   first (`Metadata::has_scratch`); double play (10K/14K) puts the 2P scratch last; PMS is 9.
//! * **Control flow**: every `#RANDOM` takes branch 1 (reported), so a file always reads the
//!   same.
//! * What the model has no field for (BGM and invisible keysounds, `#SPEED`, `#RANK`, unknown
//!   headers) is kept in `Chart::extras` under `bms.` keys.
//!
//! Writing gives a `.bme` of 5 or 7 keys and a scratch on rows of 1/192 measure (finer when a
//! tempo change needs it), tempo changes and stops at their exact times (`grid`), and reports
//! every note it moved.

mod chart;
mod encode;
mod grid;
mod layout;
mod lines;
mod notes;
mod parse;
pub(super) mod timing;
mod verify;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use crate::model::{ConversionReport, DecodeLimits};
use crate::{Chart, Result};

/// Recognises a BMS file from its content: an object line (`#00111:…`) or a BMS header
/// command followed by a space (`#PLAYER 1`, `#WAV01 kick.wav`) among the first command lines
/// of the first 64 KiB. StepMania tags end their name with `:`, so none of its lines match.
pub fn is_bms(bytes: &[u8]) -> bool {
    let prefix = &bytes[..bytes.len().min(64 * 1024)];
    let prefix = prefix.strip_prefix(UTF8_BOM).unwrap_or(prefix);
    command_lines(prefix)
        .take(64)
        .any(|command| parse::is_object_line(command) || is_known_header(command))
}

/// What follows the `#` of each line whose first non-blank byte is `#`, to the end of the
/// line, trailing blanks trimmed. Found from the `#`s (with `memchr`): the files of other
/// formats that detection gets to (Quaver, JSON) hold few, and splitting them into lines was
/// a good part of reading them.
fn command_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    memchr::memchr_iter(b'#', text).filter_map(move |at| {
        let line_start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |n| n + 1);
        if !text[line_start..at].iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |n| at + n);
        Some(text[at + 1..end].trim_ascii_end())
    })
}

/// A header command BMS has and the other formats do not spell this way: a known name, then
/// whitespace and a value.
fn is_known_header(command: &[u8]) -> bool {
    const NAMES: [&[u8]; 12] = [
        b"PLAYER",
        b"GENRE",
        b"TITLE",
        b"ARTIST",
        b"BPM",
        b"PLAYLEVEL",
        b"RANK",
        b"TOTAL",
        b"WAV",
        b"LNOBJ",
        b"STAGEFILE",
        b"SCROLL",
    ];
    let name_len = command
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(command.len());
    let (name, value) = command.split_at(name_len);
    !value.trim_ascii().is_empty()
        && NAMES.iter().any(|known| {
            name.len() >= known.len()
                && name[..known.len()].eq_ignore_ascii_case(known)
                && name[known.len()..].iter().all(u8::is_ascii_alphanumeric)
        })
}

/// Reads a BMS chart. What the model cannot hold (the branches of `#RANDOM` not taken, notes
/// of lanes outside the layout) is listed in `report`.
pub fn decode(bytes: &[u8], report: &mut ConversionReport) -> Result<Chart> {
    decode_limited(bytes, &DecodeLimits::default(), report)
}

/// [`decode`] within `limits`.
pub fn decode_limited(
    bytes: &[u8],
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Chart> {
    let text = text_of(bytes);
    let source = parse::parse(&text, limits, report)?;
    chart::build(&source, limits, report)
}

/// Writes a `.bme` chart (5 or 7 keys and a scratch; docs/bms.md). Expects a chart that
/// passes `Chart::validate` (as `formats::encode` ensures); what BMS cannot hold is refused
/// (`InvalidArgument`) or left out and added to `report`.
pub fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    encode::encode(chart, report)
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file's text, by the rule in the module documentation.
fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return String::from_utf8_lossy(rest);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes).0,
    }
}

/// Object ids a two-character base-36 field holds (`00`…`ZZ`).
const ID_COUNT: usize = 36 * 36;

/// Values by object id: a table rather than a hash map, as ids are few and dense and a look-up
/// per object is a good part of a decode.
#[derive(Debug)]
pub(crate) struct IdTable<T> {
    /// Empty until the first insertion (most files use few of the tables).
    slots: Vec<Option<T>>,
}

impl<T> Default for IdTable<T> {
    fn default() -> Self {
        IdTable { slots: Vec::new() }
    }
}

impl<T: Copy> IdTable<T> {
    /// Sets the value of `id` (below `ID_COUNT`, as `base36` gives), replacing an earlier one.
    fn insert(&mut self, id: u16, value: T) {
        if self.slots.is_empty() {
            self.slots = vec![None; ID_COUNT];
        }
        self.slots[usize::from(id)] = Some(value);
    }

    fn get(&self, id: u16) -> Option<T> {
        self.slots.get(usize::from(id)).copied().flatten()
    }
}

/// The number a two-character base-36 object id stands for (`01`…`ZZ`, case-insensitive).
fn base36(pair: &[u8]) -> Option<u16> {
    let digit = |b: u8| (b as char).to_digit(36).map(|d| d as u16);
    match pair {
        [high, low] => Some(digit(*high)? * 36 + digit(*low)?),
        _ => None,
    }
}
