//! `HitObjects`: notes, holds and mines at whole milliseconds, with their keysounds and kept
//! fields.

use super::{round_ms, Kept, Writer, MAX_NOTE_US};
use crate::formats::quaver::extras::ItemFields;
use crate::formats::quaver::{column_to_lane, HIT_SOUNDS};
use crate::model::{Chart, ConversionReport, LossKind, Note, NoteKind};
use crate::{Error, Result};

/// What a note becomes in Quaver: a hold (of at least 1 ms) or a mine, and its times in ms.
struct Shape {
    hold: bool,
    mine: bool,
    start_ms: i64,
    end_ms: i64,
}

impl Writer {
    /// `(keys, scratch)`: the key count and whether one is a scratch lane.
    pub(super) fn hit_objects(
        &mut self,
        chart: &Chart,
        (keys, scratch): (u8, bool),
        kept: &mut Kept,
        report: &mut ConversionReport,
    ) -> Result<()> {
        self.out.extend_from_slice(b"HitObjects:");
        if chart.notes.iter().all(|n| n.kind == NoteKind::Fake) {
            self.out.extend_from_slice(b" []\n");
        } else {
            self.line_end();
        }
        let mut nth = Nth::default();
        for (index, note) in chart.notes.iter().enumerate() {
            // Items are named by their place among items with the same key only to find their
            // kept fields: nothing to count when there are none.
            let fields = if kept.items.is_empty() {
                None
            } else {
                let key = (note.time_us, note.column);
                kept.take((key, nth.next(key)))
            };
            let Some(shape) = shape(index, note, keys, report)? else {
                continue;
            };
            self.out.extend_from_slice(b"- StartTime: ");
            self.int(shape.start_ms);
            self.out.extend_from_slice(b"\n  Lane: ");
            self.int(column_to_lane(note.column, keys, scratch).into());
            self.line_end();
            self.hit_object_fields(note, &shape, fields, &chart.keysounds)?;
            if let Some(fields) = fields {
                self.kept_fields(index, note, shape.mine, fields, report);
            }
        }
        kept.report_unused("HitObjects", report);
        Ok(())
    }

    /// The fields after `Lane` written from the note.
    fn hit_object_fields(
        &mut self,
        note: &Note,
        shape: &Shape,
        kept: Option<&ItemFields>,
        keysounds: &[String],
    ) -> Result<()> {
        if shape.hold {
            self.out.extend_from_slice(b"  EndTime: ");
            self.int(shape.end_ms);
            self.line_end();
        }
        if note.sound.flags != 0 {
            self.out.extend_from_slice(b"  HitSound: ");
            self.hit_sound(note.sound.flags);
            self.line_end();
        }
        if shape.mine {
            self.out.extend_from_slice(b"  Type: Mine\n");
        }
        let more_keysounds = kept.map_or("", |k| &k.keysounds);
        if note.keysound.is_some() || !more_keysounds.is_empty() {
            self.out.extend_from_slice(b"  KeySounds:\n");
            if let Some(k) = note.keysound {
                if k as usize >= keysounds.len() {
                    return Err(Error::InvalidArgument(format!(
                        "note at {} µs plays keysound {k}, which is not in the keysound list",
                        note.time_us
                    )));
                }
                self.out.extend_from_slice(b"  - Sample: ");
                self.int(i64::from(k) + 1);
                self.line_end();
                if note.sound.volume != 0 {
                    self.out.extend_from_slice(b"    Volume: ");
                    self.int(note.sound.volume.into());
                    self.line_end();
                }
            }
            self.out.extend_from_slice(more_keysounds.as_bytes());
        }
        Ok(())
    }

    /// The kept `EndTime` of a mine (while the note is one) and other kept fields.
    fn kept_fields(
        &mut self,
        index: usize,
        note: &Note,
        mine: bool,
        kept: &ItemFields,
        report: &mut ConversionReport,
    ) {
        if let Some(end_time) = &kept.end_time {
            if mine {
                self.out.extend_from_slice(end_time.as_bytes());
            } else {
                report
                    .push(
                        LossKind::MetadataDropped,
                        "kept EndTime of a mine on a note that is no longer a mine",
                    )
                    .at(index, note.time_us);
            }
        }
        self.out.extend_from_slice(kept.fields.as_bytes());
    }

    /// Flag names as YamlDotNet writes a `[Flags]` enum (`Whistle, Clap`); a number when
    /// there are bits Quaver has no name for.
    fn hit_sound(&mut self, flags: u8) {
        if flags > 15 {
            self.int(flags.into());
            return;
        }
        let mut first = true;
        for (name, bit) in HIT_SOUNDS {
            if flags & bit != 0 {
                if !std::mem::take(&mut first) {
                    self.out.extend_from_slice(b", ");
                }
                self.out.extend_from_slice(name.as_bytes());
            }
        }
    }
}

/// What note `index` becomes, with what that changes in `report`; `None` for a note Quaver
/// cannot have (a fake). Inlined: a call returning this through memory cost as much as the
/// work itself.
#[inline]
fn shape(
    index: usize,
    note: &Note,
    keys: u8,
    report: &mut ConversionReport,
) -> Result<Option<Shape>> {
    let (hold, mine) = match note.kind {
        NoteKind::Tap => (false, false),
        NoteKind::Hold => (true, false),
        NoteKind::Mine => (false, true),
        NoteKind::Roll => {
            report
                .push(
                    LossKind::NoteChanged,
                    "roll written as a long note (Quaver has no rolls)",
                )
                .at(index, note.time_us);
            (true, false)
        }
        NoteKind::Lift => {
            report
                .push(
                    LossKind::NoteChanged,
                    "lift written as a note (Quaver has no lifts)",
                )
                .at(index, note.time_us);
            (false, false)
        }
        NoteKind::Fake => {
            report
                .push(
                    LossKind::NoteDropped,
                    "fake note left out (Quaver has no fake notes)",
                )
                .at(index, note.time_us);
            return Ok(None);
        }
    };
    check_note(note, keys)?;
    let start_ms = round_ms(note.time_us);
    let end_ms = round_ms(note.end_time_us());
    let hold = hold && end_ms > start_ms;
    report_snapping(index, note, start_ms, end_ms, hold, report);
    Ok(Some(Shape {
        hold,
        mine,
        start_ms,
        end_ms,
    }))
}

/// A note must fit Quaver's `int` ms and the chart's columns.
fn check_note(note: &Note, keys: u8) -> Result<()> {
    if note.time_us.unsigned_abs() > MAX_NOTE_US || note.end_time_us().unsigned_abs() > MAX_NOTE_US
    {
        return Err(Error::InvalidArgument(format!(
            "note at {} µs is beyond the ±2^31 ms a .qua hit object can hold",
            note.time_us
        )));
    }
    if note.column >= keys {
        return Err(Error::InvalidArgument(format!(
            "note at {} µs is in column {}, but the chart has {keys} keys",
            note.time_us, note.column
        )));
    }
    Ok(())
}

/// Reports a note moved to whole ms, and a hold that moved or became a note.
fn report_snapping(
    index: usize,
    note: &Note,
    start_ms: i64,
    end_ms: i64,
    hold: bool,
    report: &mut ConversionReport,
) {
    let shift = start_ms * 1000 - note.time_us;
    let end_shift = end_ms * 1000 - note.end_time_us();
    if shift != 0 {
        report
            .push(
                LossKind::NoteSnapped,
                "moved to whole ms (Quaver's hit object times are integers)",
            )
            .at(index, note.time_us)
            .shifted(shift);
    }
    if hold && end_shift != 0 {
        report
            .push(LossKind::HoldEndSnapped, "hold end moved to whole ms")
            .at(index, note.time_us)
            .shifted(end_shift);
    }
    if note.kind.has_duration() && !hold {
        report
            .push(
                LossKind::NoteChanged,
                "long note shorter than 1 ms written as a note",
            )
            .at(index, note.time_us);
    }
}

/// Counts items with the same key in order: the `Nth` that kept fields name them by.
#[derive(Default)]
pub(super) struct Nth {
    last: Option<(i64, u8)>,
    count: u32,
}

impl Nth {
    pub(super) fn next(&mut self, key: (i64, u8)) -> u32 {
        if self.last == Some(key) {
            self.count += 1;
        } else {
            self.last = Some(key);
            self.count = 0;
        }
        self.count
    }
}
