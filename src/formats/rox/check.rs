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
    /// Per column, the earliest time the next note may start. `validate` keeps the previous
    /// start and the furthest end, and refuses a note at that start or before that end; once
    /// notes are known to be sorted, that is one comparison with max(start + 1, end).
    free_from: [i64; MAX_KEYS as usize],
}

impl NoteRules {
    pub(super) fn new(key_count: u8) -> NoteRules {
        NoteRules { key_count, previous_time: i64::MIN, free_from: [i64::MIN; MAX_KEYS as usize] }
    }

    /// The first rule note `index` breaks, given the notes before it. Keysound indices are
    /// checked by `keysound_issue`, since a decoder learns the keysound count last.
    #[inline(always)]
    pub(super) fn check(&mut self, index: usize, note: &Note) -> Result<(), ValidationIssue> {
        let issue = |kind| Err(ValidationIssue { kind, index, time_us: note.time_us });
        if note.time_us < self.previous_time {
            return issue(IssueKind::NotesUnsorted);
        }
        self.previous_time = note.time_us;
        if !note.kind.has_duration() && note.duration_us != 0 {
            return issue(IssueKind::DurationOnNonHold);
        }
        self.check_in_order(index, note)
    }

    /// `check` for a note known to be no earlier than the one before it and to have no
    /// duration unless it is a hold or roll, as the decoder's format guarantees.
    #[inline(always)]
    pub(super) fn check_in_order(&mut self, index: usize, note: &Note) -> Result<(), ValidationIssue> {
        let issue = |kind| Err(ValidationIssue { kind, index, time_us: note.time_us });
        let end = if note.kind.has_duration() {
            if note.duration_us <= 0 {
                return issue(IssueKind::NonPositiveHoldLength);
            }
            match note.time_us.checked_add(note.duration_us) {
                Some(end) if end <= MAX_ABS_TIME_US as i64 => end,
                _ => return issue(IssueKind::TimeOverflow),
            }
        } else {
            note.time_us
        };
        if note.time_us.unsigned_abs() > MAX_ABS_TIME_US {
            return issue(IssueKind::TimeOverflow);
        }
        if note.column >= self.key_count {
            return issue(IssueKind::ColumnOutOfRange);
        }
        let free_from = &mut self.free_from[usize::from(note.column)];
        // Two notes at one time, or a note inside a hold; a note exactly at a hold's end is legal.
        if note.time_us < *free_from {
            return issue(IssueKind::OverlappingNotes);
        }
        // Times are within ±2^52 here, so + 1 cannot overflow.
        *free_from = end.max(note.time_us + 1);
        Ok(())
    }
}

/// The first note whose keysound index is not below `keysounds`.
pub(super) fn keysound_issue(notes: &[Note], keysounds: usize) -> Option<ValidationIssue> {
    let index = notes.iter().position(|n| n.keysound.is_some_and(|k| k as usize >= keysounds))?;
    Some(ValidationIssue { kind: IssueKind::KeysoundOutOfRange, index, time_us: notes[index].time_us })
}
