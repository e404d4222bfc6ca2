//! Notes from the objects of the note lanes: taps, long notes (channels 51–69 as start/end
//! pairs, or a `#LNOBJ` object ending the note before it), mines, and invisible notes (kept
//! as the extra `bms.invisible`).

use super::IdTable;

use crate::model::{ConversionReport, LossKind, Note, NoteKind};

/// What an object of a note lane is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// 11–29.
    Visible,
    /// 31–49: plays its keysound when the key is pressed near it, never judged, never shown.
    Invisible,
    /// 51–69.
    Long,
    /// D1–E9; the id is the damage, not a keysound.
    Mine,
}

/// An object of a note lane with a column, placed in time.
#[derive(Clone, Copy, Debug)]
pub struct LaneObject {
    pub beat: f64,
    pub time_us: i64,
    pub family: Family,
    pub column: u8,
    pub id: u16,
}

/// The notes, and the invisible notes as (time, column, keysound).
pub struct Built {
    pub notes: Vec<Note>,
    pub invisible: Vec<(i64, u8, Option<u32>)>,
}

/// Builds the notes of `objects` (in source order). Of two objects of one family on one place
/// of a column, the later counts, as in the BMS players.
pub fn build(
    mut objects: Vec<LaneObject>,
    lnobj: Option<u16>,
    keysounds: &IdTable<u32>,
    report: &mut ConversionReport,
) -> Built {
    // A stable sort keeps source order on one place: the last of a run is the later object.
    objects.sort_by(|a, b| {
        (a.column.cmp(&b.column))
            .then(a.beat.total_cmp(&b.beat))
            .then(a.family.cmp(&b.family))
    });
    let same_place = |a: &LaneObject, b: &LaneObject| {
        a.column == b.column && a.beat == b.beat && a.family == b.family
    };
    let mut built = Built {
        notes: Vec::with_capacity(objects.len()),
        invisible: Vec::new(),
    };
    let mut lanes = LaneState::default();
    for (index, object) in objects.iter().enumerate() {
        if objects
            .get(index + 1)
            .is_some_and(|next| same_place(object, next))
        {
            continue;
        }
        if lanes.column != Some(object.column) {
            lanes.finish(report);
            lanes = LaneState {
                column: Some(object.column),
                ..LaneState::default()
            };
        }
        let keysound = keysounds.get(object.id);
        match object.family {
            Family::Visible if Some(object.id) == lnobj => {
                lanes.end_by_lnobj(object, &mut built.notes, report)
            }
            Family::Visible => {
                lanes.last_tap = Some(built.notes.len());
                built.notes.push(Note {
                    keysound,
                    ..Note::tap(object.time_us, object.column)
                });
            }
            Family::Long => match lanes.long_start.take() {
                None => lanes.long_start = Some((*object, keysound)),
                Some((start, keysound)) => {
                    built
                        .notes
                        .push(hold(&start, object.time_us, keysound, report));
                }
            },
            Family::Mine => built.notes.push(Note {
                kind: NoteKind::Mine,
                ..Note::tap(object.time_us, object.column)
            }),
            Family::Invisible => built
                .invisible
                .push((object.time_us, object.column, keysound)),
        }
    }
    lanes.finish(report);
    built
}

/// What one column's pass remembers.
#[derive(Default)]
struct LaneState {
    column: Option<u8>,
    /// A long note (channels 51–69) whose end is still to come, with its keysound.
    long_start: Option<(LaneObject, Option<u32>)>,
    /// The last tap, which a `#LNOBJ` object turns into a long note.
    last_tap: Option<usize>,
}

impl LaneState {
    fn end_by_lnobj(
        &mut self,
        end: &LaneObject,
        notes: &mut [Note],
        report: &mut ConversionReport,
    ) {
        let Some(index) = self.last_tap.take() else {
            report
                .push(
                    LossKind::NoteDropped,
                    "#LNOBJ end without a note before it in its lane: left out",
                )
                .at_time(end.time_us);
            return;
        };
        let start = notes[index];
        let duration_us = end.time_us - start.time_us;
        if duration_us > 0 {
            notes[index] = Note {
                duration_us,
                kind: NoteKind::Hold,
                ..start
            };
        } else {
            report_zero_length(start.time_us, report);
        }
    }

    fn finish(&mut self, report: &mut ConversionReport) {
        if let Some((start, _)) = self.long_start.take() {
            report
                .push(
                    LossKind::NoteDropped,
                    format!(
                        "long note in column {} without an end: left out",
                        start.column
                    ),
                )
                .at_time(start.time_us);
        }
    }
}

fn hold(
    start: &LaneObject,
    end_us: i64,
    keysound: Option<u32>,
    report: &mut ConversionReport,
) -> Note {
    let tap = Note {
        keysound,
        ..Note::tap(start.time_us, start.column)
    };
    if end_us > start.time_us {
        Note {
            duration_us: end_us - start.time_us,
            kind: NoteKind::Hold,
            ..tap
        }
    } else {
        report_zero_length(start.time_us, report);
        tap
    }
}

fn report_zero_length(time_us: i64, report: &mut ConversionReport) {
    report
        .push(
            LossKind::NoteChanged,
            "long note ending where it starts (to the µs): read as a tap",
        )
        .at_time(time_us);
}
