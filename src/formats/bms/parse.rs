//! The lines of a BMS file, read into headers and objects. Control flow (`#RANDOM`, `#IF`) is
//! resolved here: lines of branches not taken never reach the chart.

use super::layout::note_lane;
use super::timing::TIMING_CHANNELS;
use super::{base36, IdTable};
use crate::model::{string_cost, ConversionReport, DecodeLimits, LossKind};
use crate::{Error, Result};

/// Highest measure number an object line can name (three digits).
pub const MAX_MEASURE: usize = 999;

/// Everything the chart is built from.
#[derive(Debug, Default)]
pub struct Source {
    /// Header commands without an id table (`TITLE`, `PLAYER`…): upper-case name, value, in
    /// source order.
    pub headers: Vec<(String, String)>,
    /// `#BPM` (the last), checked positive.
    pub bpm: Option<f64>,
    /// `#WAVxx` file names by id, in source order (a redefinition replaces the name in place).
    pub wavs: Vec<(u16, String)>,
    /// `#BPMxx`/`#EXBPMxx`, `#STOPxx`, `#SCROLLxx`, `#SPEEDxx` values by id.
    pub bpms: IdTable<f64>,
    pub stops: IdTable<f64>,
    pub scrolls: IdTable<f64>,
    pub speeds: IdTable<f64>,
    /// Channel 02: length of a measure as a multiple of 4 beats, by measure.
    pub measure_lengths: Vec<(usize, f64)>,
    /// Every object of the object lines, in source order.
    pub objects: Vec<Object>,
}

/// One non-empty pair of an object line.
#[derive(Debug, Clone, Copy)]
pub struct Object {
    pub measure: usize,
    /// Where in the measure, 0 ≤ fraction < 1 (`index / pairs`).
    pub fraction: f64,
    /// Upper case, e.g. `*b"11"`.
    pub channel: [u8; 2],
    /// The pair as written (upper case): base 36 for most channels, hex for channel 03.
    pub value: [u8; 2],
}

impl Object {
    /// The object's id, for channels whose pairs are base 36.
    pub fn id(&self) -> Option<u16> {
        base36(&self.value)
    }
}

/// Whether a command (the line after `#`) is an object line: `mmmcc:`.
pub fn is_object_line(command: &[u8]) -> bool {
    command.len() >= 6
        && command[..3].iter().all(u8::is_ascii_digit)
        && command[3..5].iter().all(u8::is_ascii_alphanumeric)
        && command[5] == b':'
}

/// Reads every line of `text`. Object lines are checked against `limits` as they are read,
/// so a huge file fails before it allocates its objects.
pub fn parse(text: &str, limits: &DecodeLimits, report: &mut ConversionReport) -> Result<Source> {
    let mut reader = Reader::default();
    // Split with memchr: a fine chart's lines are long.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    for (index, end) in ends.enumerate() {
        let line = &text[start..end];
        start = end + 1;
        let Some(command) = line.trim().strip_prefix('#') else {
            continue; // Anything else is a comment.
        };
        reader.line(command, index + 1, limits, report)?;
    }
    Ok(reader.source)
}

#[derive(Default)]
struct Reader {
    source: Source,
    flow: Flow,
    /// Bytes of text kept so far, as `DecodeLimits::max_text_bytes` counts them.
    text_bytes: u64,
    counts: Counts,
}

impl Reader {
    fn line(
        &mut self,
        command: &str,
        line: usize,
        limits: &DecodeLimits,
        report: &mut ConversionReport,
    ) -> Result<()> {
        // Checked first: most lines are object lines, which no control-flow name matches.
        if is_object_line(command.as_bytes()) {
            return match self.flow.active() {
                true => self.object_line(command, line, limits),
                false => Ok(()),
            };
        }
        let (name, value) = split_command(command);
        if self.flow.command(&name, value, line, report) || !self.flow.active() {
            return Ok(());
        }
        self.text_bytes += string_cost([name.as_str(), value]);
        limits.check_text(self.text_bytes)?;
        self.header(name, value, line)
    }

    fn header(&mut self, name: String, value: &str, line: usize) -> Result<()> {
        let number = || parse_number(value, &name, line);
        let table = |prefix: &str| {
            let id = name.strip_prefix(prefix)?;
            base36(id.as_bytes())
        };
        if let Some(id) = table("WAV") {
            match self.source.wavs.iter_mut().find(|(known, _)| *known == id) {
                Some((_, file)) => *file = value.to_string(),
                None => self.source.wavs.push((id, value.to_string())),
            }
        } else if let Some(id) = table("EXBPM").or_else(|| table("BPM")) {
            self.source.bpms.insert(id, number()?);
        } else if let Some(id) = table("STOP") {
            self.source.stops.insert(id, number()?);
        } else if let Some(id) = table("SCROLL") {
            self.source.scrolls.insert(id, number()?);
        } else if let Some(id) = table("SPEED") {
            self.source.speeds.insert(id, number()?);
        } else {
            if name == "BPM" {
                let bpm = number()?;
                if bpm <= 0.0 {
                    return Err(parse_error(line, format!("#BPM {value} is not positive")));
                }
                self.source.bpm = Some(bpm);
            }
            self.source.headers.push((name, value.to_string()));
        }
        Ok(())
    }

    fn object_line(&mut self, command: &str, line: usize, limits: &DecodeLimits) -> Result<()> {
        let bytes = command.as_bytes();
        let measure = usize::from(bytes[0] - b'0') * 100
            + usize::from(bytes[1] - b'0') * 10
            + usize::from(bytes[2] - b'0');
        let channel = [bytes[3].to_ascii_uppercase(), bytes[4].to_ascii_uppercase()];
        let data = command[6..].trim();
        if channel == *b"02" {
            let length = parse_number(data, "measure length (channel 02)", line)?;
            if length <= 0.0 {
                return Err(parse_error(
                    line,
                    format!("measure length {data} is not positive"),
                ));
            }
            self.source.measure_lengths.push((measure, length));
            return Ok(());
        }
        let data = data.as_bytes();
        let count = data.len() / 2;
        // A pair that is not two letters or digits is skipped; it still takes its place.
        let is_object = |pair: &[u8]| pair.iter().all(u8::is_ascii_alphanumeric);
        // One pass when all the line's pairs would fit the limits (nearly always); otherwise
        // its objects are counted first, so that a huge line fails before it stores them.
        if self.check(channel, count, limits).is_err() {
            let present = filled_pairs(data).filter(|(_, p)| is_object(p)).count();
            self.check(channel, present, limits)?;
        }
        let before = self.source.objects.len();
        for (index, pair) in filled_pairs(data) {
            if is_object(pair) {
                self.source.objects.push(Object {
                    measure,
                    fraction: index as f64 / count as f64,
                    channel,
                    value: [pair[0].to_ascii_uppercase(), pair[1].to_ascii_uppercase()],
                });
            }
        }
        let present = self.source.objects.len() - before;
        *self.counts.of(Becomes::of(channel)) += present;
        Ok(())
    }
}

/// Bytes of text an object of a channel that gives no note or timing point is counted as:
/// about what an entry of `bms.bgm` takes (`time:keysound `).
const OTHER_OBJECT_TEXT: u64 = 16;

/// What an object becomes, for the limit it counts against.
#[derive(Clone, Copy)]
enum Becomes {
    Note,
    TimingPoint,
    Other,
}

impl Becomes {
    fn of(channel: [u8; 2]) -> Becomes {
        if note_lane(channel).is_some() {
            Becomes::Note
        } else if TIMING_CHANNELS.contains(&channel) {
            Becomes::TimingPoint
        } else {
            Becomes::Other
        }
    }
}

/// Objects read so far, by what they become.
#[derive(Default)]
struct Counts {
    notes: usize,
    timing: usize,
    other: usize,
}

impl Counts {
    fn of(&mut self, becomes: Becomes) -> &mut usize {
        match becomes {
            Becomes::Note => &mut self.notes,
            Becomes::TimingPoint => &mut self.timing,
            Becomes::Other => &mut self.other,
        }
    }
}

impl Reader {
    /// Whether `present` more objects of `channel` keep within the limit of what they become.
    fn check(&mut self, channel: [u8; 2], present: usize, limits: &DecodeLimits) -> Result<()> {
        let becomes = Becomes::of(channel);
        let total = *self.counts.of(becomes) + present;
        match becomes {
            Becomes::Note => limits.check_notes(total),
            Becomes::TimingPoint => limits.check_timing_points(total),
            Becomes::Other => limits.check_text(self.text_bytes + total as u64 * OTHER_OBJECT_TEXT),
        }
    }
}

/// The pairs of an object line's data other than `00`, with their index. Most pairs of a
/// fine line are `00`: they are passed over eight bytes at a time.
fn filled_pairs(data: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    const EMPTY: u64 = u64::from_ne_bytes(*b"00000000");
    let mut at = 0;
    std::iter::from_fn(move || loop {
        while let Some(word) = data.get(at..at + 8) {
            if u64::from_ne_bytes(word.try_into().expect("8 bytes")) != EMPTY {
                break;
            }
            at += 8;
        }
        let pair = data.get(at..at + 2)?;
        at += 2;
        if pair != b"00" {
            return Some((at / 2 - 1, pair));
        }
    })
}

/// A command's upper-case name (up to the first whitespace) and its value, trimmed.
fn split_command(command: &str) -> (String, &str) {
    let end = command
        .find(|c: char| c.is_whitespace())
        .unwrap_or(command.len());
    (command[..end].to_ascii_uppercase(), command[end..].trim())
}

/// A finite decimal number of a command.
pub fn parse_number(value: &str, what: &str, line: usize) -> Result<f64> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| parse_error(line, format!("#{what}: {value:?} is not a number")))
}

pub fn parse_error(line: usize, message: String) -> Error {
    Error::Parse {
        format: "BMS",
        line,
        message,
    }
}

/// `#RANDOM`/`#IF` nesting. Every `#RANDOM` takes branch 1 (`#SETRANDOM n` takes n): the same
/// file always reads the same, and branch 1 is what a chart's author plays first. Kept as a
/// count of closed `#IF`s, so a line costs the same however deep the nesting.
#[derive(Default)]
struct Flow {
    frames: Vec<Frame>,
    /// The value of each open `#RANDOM`, innermost last.
    values: Vec<u64>,
    /// `#IF` frames whose branch is not taken: lines are read only when this is 0.
    closed: usize,
}

enum Frame {
    Random,
    If { open: bool, taken: bool },
}

impl Flow {
    fn active(&self) -> bool {
        self.closed == 0
    }

    /// Handles a control-flow command; false for any other command.
    fn command(
        &mut self,
        name: &str,
        value: &str,
        line: usize,
        report: &mut ConversionReport,
    ) -> bool {
        let number = value.trim().parse::<u64>().ok();
        match name {
            "RANDOM" | "SETRANDOM" => {
                let chosen = if name == "RANDOM" {
                    1
                } else {
                    number.unwrap_or(1)
                };
                if self.active() && name == "RANDOM" {
                    report.push(
                        LossKind::NoteDropped,
                        format!("#RANDOM {value} (line {line}): branch 1 read, the others not"),
                    );
                }
                self.frames.push(Frame::Random);
                self.values.push(chosen);
            }
            "ENDRANDOM" => {
                while let Some(frame) = self.frames.pop() {
                    match frame {
                        Frame::Random => {
                            self.values.pop();
                            break;
                        }
                        Frame::If { open, .. } => self.closed -= usize::from(!open),
                    }
                }
            }
            "IF" => {
                let open = number.is_some() && number == self.random_value();
                self.closed += usize::from(!open);
                self.frames.push(Frame::If { open, taken: open });
            }
            "ELSEIF" | "ELSE" => {
                let value = self.random_value();
                if let Some(Frame::If { open, taken }) = self.frames.last_mut() {
                    let was_open = *open;
                    *open = !*taken && (name == "ELSE" || (number.is_some() && number == value));
                    *taken |= *open;
                    self.closed = self.closed + usize::from(was_open) - usize::from(*open);
                }
            }
            "ENDIF" => {
                if let Some(Frame::If { open, .. }) = self.frames.last() {
                    self.closed -= usize::from(!*open);
                    self.frames.pop();
                }
            }
            _ => return false,
        }
        true
    }

    /// The value of the innermost `#RANDOM`.
    fn random_value(&self) -> Option<u64> {
        self.values.last().copied()
    }
}
