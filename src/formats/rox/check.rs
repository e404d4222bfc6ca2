//! The model's per-note rules (src/model/validate.rs), applied one note at a time inside the
//! encode and decode loops. Running `Chart::validate` as a separate pass costs more than all
//! of the rest of decoding, because it walks 2 MB of notes a second time. Chart-level and
//! timing rules still come from `validate` itself, run on the chart without its notes
//! (timing points are few). Tests check that both paths accept exactly what `validate` does.

use crate::model::{IssueKind, Note, ValidationIssue, MAX_KEYS};

/// The model's limit on times (model/validate.rs): ±2^52 µs.
pub(super) const MAX_ABS_TIME_US: u64 = 1 << 52;

pub(super) struct NoteRules {
    key_count: u8,
    previous_time: i64,
    /// (start, furthest end) of the notes seen so far in each column; `i64::MIN` before the
    /// first, which no in-range time equals or precedes.
    spans: [(i64, i64); MAX_KEYS as usize],
}

impl NoteRules {
    pub(super) fn new(key_count: u8) -> NoteRules {
        NoteRules { key_count, previous_time: i64::MIN, spans: [(i64::MIN, i64::MIN); MAX_KEYS as usize] }
    }

    /// The first rule note `index` breaks, given the notes before it. Keysound indices are
    /// checked by `keysound_issue`, since a decoder learns the keysound count last.
    #[inline(always)]
    pub(super) fn check(&mut self, index: usize, note: &Note) -> Result<(), ValidationIssue> {
        let issue = |kind| Err(ValidationIssue { kind, index, time_us: note.time_us });
        let Some(end) = note.time_us.checked_add(note.duration_us) else { return issue(IssueKind::TimeOverflow) };
        if note.time_us.unsigned_abs() > MAX_ABS_TIME_US || end.unsigned_abs() > MAX_ABS_TIME_US {
            return issue(IssueKind::TimeOverflow);
        }
        if note.time_us < self.previous_time {
            return issue(IssueKind::NotesUnsorted);
        }
        if note.column >= self.key_count {
            return issue(IssueKind::ColumnOutOfRange);
        }
        if note.kind.has_duration() {
            if note.duration_us <= 0 {
                return issue(IssueKind::NonPositiveHoldLength);
            }
        } else if note.duration_us != 0 {
            return issue(IssueKind::DurationOnNonHold);
        }
        let span = &mut self.spans[usize::from(note.column)];
        // Two notes at one time, or a note inside a hold; a note exactly at a hold's end is legal.
        if note.time_us == span.0 || note.time_us < span.1 {
            return issue(IssueKind::OverlappingNotes);
        }
        *span = (note.time_us, span.1.max(end));
        self.previous_time = note.time_us;
        Ok(())
    }
}

/// The first note whose keysound index is not below `keysounds`.
pub(super) fn keysound_issue(notes: &[Note], keysounds: usize) -> Option<ValidationIssue> {
    let index = notes.iter().position(|n| n.keysound.is_some_and(|k| k as usize >= keysounds))?;
    Some(ValidationIssue { kind: IssueKind::KeysoundOutOfRange, index, time_us: notes[index].time_us })
}
