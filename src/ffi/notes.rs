//! Notes: count, bulk copy out, bulk add and replace (all-or-nothing), clear.

use std::mem::{offset_of, size_of};

use super::args::{handle_ref, in_array, Out, OutArray};
use super::chart::{chart_mut, chart_ref, RoxChart};
use super::{guard, FfiError, FfiResult, RoxStatus};
use crate::model::{IssueKind, NoteChecker};
use crate::{Chart, HitSound, Note, NoteKind};

/// One note (32 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoxNote {
    /// Time from the start of the audio, µs.
    pub time_us: i64,
    /// Length for Hold and Roll (> 0); 0 for every other kind.
    pub duration_us: i64,
    /// 0-based column, below the chart's key count.
    pub column: u8,
    /// A `RoxNoteKind`.
    pub kind: u8,
    /// Hit sound bits: 1 normal, 2 whistle, 4 finish, 8 clap.
    pub hitsound_flags: u8,
    /// Sample bank of the normal sound: 0 inherit, 1 normal, 2 soft, 3 drum.
    pub normal_set: u8,
    /// Sample bank of the additions: 0 inherit, 1 normal, 2 soft, 3 drum.
    pub addition_set: u8,
    /// Hit sound volume 0..=100; 0 inherits the timing point's.
    pub volume: u8,
    /// Must be 0.
    pub reserved: u16,
    /// Custom sample index; 0 inherits the timing point's.
    pub custom_index: u32,
    /// Index into the chart's keysound list, or -1 for none.
    pub keysound: i32,
}

const _: () = {
    assert!(size_of::<RoxNote>() == 32);
    assert!(offset_of!(RoxNote, time_us) == 0);
    assert!(offset_of!(RoxNote, duration_us) == 8);
    assert!(offset_of!(RoxNote, column) == 16);
    assert!(offset_of!(RoxNote, kind) == 17);
    assert!(offset_of!(RoxNote, hitsound_flags) == 18);
    assert!(offset_of!(RoxNote, normal_set) == 19);
    assert!(offset_of!(RoxNote, addition_set) == 20);
    assert!(offset_of!(RoxNote, volume) == 21);
    assert!(offset_of!(RoxNote, reserved) == 22);
    assert!(offset_of!(RoxNote, custom_index) == 24);
    assert!(offset_of!(RoxNote, keysound) == 28);
};

/// The largest keysound index `RoxNote.keysound` (int32) holds.
const MAX_KEYSOUND: u32 = i32::MAX as u32;

impl RoxNote {
    /// The ABI form of `n`, whose keysound index [`keysounds_fit`] has checked: no branch on
    /// failure here, so a bulk copy is a straight run of stores. Built as the four words the
    /// layout above asserts, which the compiler stores as two 16-byte halves rather than nine
    /// fields: a copy of every note went from ~2.1× a memcpy to ~1.4–1.7×.
    pub(crate) fn from_note(n: &Note) -> RoxNote {
        let s = n.sound;
        let keysound = n.keysound.map_or(-1, |k| k as i32).to_ne_bytes();
        let custom = s.custom_index.to_ne_bytes();
        let kind = n.kind as u8;
        let words = [
            n.time_us as u64,
            n.duration_us as u64,
            // column, kind, hitsound_flags, normal_set, addition_set, volume, reserved (0).
            u64::from_ne_bytes([
                n.column,
                kind,
                s.flags,
                s.normal_set,
                s.addition_set,
                s.volume,
                0,
                0,
            ]),
            u64::from_ne_bytes([
                custom[0],
                custom[1],
                custom[2],
                custom[3],
                keysound[0],
                keysound[1],
                keysound[2],
                keysound[3],
            ]),
        ];
        // SAFETY: `RoxNote` is `repr(C)`, 32 bytes without padding, of integer fields only, so
        // any four words are one; the byte order of each word is the native one, as is that of
        // the fields, at the offsets asserted above.
        unsafe { std::mem::transmute::<[u64; 4], RoxNote>(words) }
    }

    /// Checks one note to be added to `chart`; `index` is its position in the caller's array.
    /// The ABI's own rules (a known kind byte, the reserved field, -1 for no keysound) come
    /// first; then the model's per-note rules, the ones `validate` and the codecs apply.
    fn to_note(self, index: usize, chart: &Chart) -> FfiResult<Note> {
        let at = |what: String| format!("notes[{index}]: {what}");
        let kind = NoteKind::from_u8(self.kind).ok_or_else(|| {
            FfiError::invalid(at(format!(
                "kind {} is not a RoxNoteKind (0 to {})",
                self.kind,
                NoteKind::ALL.len() - 1
            )))
        })?;
        if self.reserved != 0 {
            return Err(FfiError::invalid(at("reserved must be 0".into())));
        }
        let keysound = match self.keysound {
            -1 => None,
            k => Some(u32::try_from(k).map_err(|_| {
                FfiError::invalid(at(format!("keysound {k} is neither -1 nor an index")))
            })?),
        };
        let note = Note {
            time_us: self.time_us,
            duration_us: self.duration_us,
            column: self.column,
            kind,
            sound: HitSound {
                flags: self.hitsound_flags,
                normal_set: self.normal_set,
                addition_set: self.addition_set,
                volume: self.volume,
                custom_index: self.custom_index,
            },
            keysound,
        };
        // A fresh checker: order and overlaps are whole-chart matters (notes are sorted on
        // insertion, and overlaps are not fatal), so only the note's own rules can fail here.
        let mut checker = NoteChecker::new(chart.key_count, chart.keysounds.len());
        if let Err(issue) = checker.first_fatal(index, &note) {
            // A column or keysound index out of range is a bad argument; the rest make an
            // invalid chart, as `validate` says.
            let status = match issue.kind {
                IssueKind::ColumnOutOfRange | IssueKind::KeysoundOutOfRange => {
                    RoxStatus::InvalidArgument
                }
                _ => RoxStatus::InvalidChart,
            };
            return Err(FfiError::new(
                status,
                at(format!(
                    "{issue} (column {}, duration {} µs, keysound {}; the chart has {} keys and {} keysounds)",
                    self.column,
                    self.duration_us,
                    self.keysound,
                    chart.key_count,
                    chart.keysounds.len()
                )),
            ));
        }
        Ok(note)
    }
}

/// Items `start..start + min(capacity, count - start)`: the window a bulk copy writes.
/// `start == count` is empty; `start > count` is `InvalidArgument`.
pub(crate) fn copy_window<S>(items: &[S], start: usize, capacity: usize) -> FfiResult<&[S]> {
    if start > items.len() {
        return Err(FfiError::invalid(format!(
            "start {start} is beyond the {} item(s)",
            items.len()
        )));
    }
    let end = start + capacity.min(items.len() - start);
    Ok(&items[start..end])
}

/// Copies `min(len, count - start)` items of `items` from `start` into `out`, converted on
/// the way.
pub(crate) fn copy_range<S, T: Copy>(
    items: &[S],
    start: usize,
    out: OutArray<T>,
    out_written: Out<usize>,
    convert: impl Fn(&S) -> T,
) -> FfiResult {
    let window = copy_window(items, start, out.capacity())?;
    out.write_converted(window, convert);
    out_written.set(window.len());
    Ok(())
}

/// Fails for the first of `notes` (the chart's from `first`) whose keysound index does not
/// fit in `RoxNote.keysound`. Only a decoded chart can hold one: `rox_chart_add_keysound`
/// stops below 2^31 names. Checked before anything is written, so a failed copy writes
/// nothing.
pub(crate) fn keysounds_fit(notes: &[Note], first: usize) -> FfiResult {
    let too_large = |n: &Note| n.keysound.is_some_and(|k| k > MAX_KEYSOUND);
    match notes.iter().position(too_large) {
        None => Ok(()),
        Some(i) => Err(FfiError::invalid_chart(format!(
            "note {} has keysound index {}, beyond the ABI's limit of 2^31-1",
            first + i,
            notes[i].keysound.unwrap_or_default()
        ))),
    }
}

/// Number of notes in the chart.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_note_count(
    chart: *const RoxChart,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_chart_note_count", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_count, "out_count") }?;
        let chart = unsafe { chart_ref(chart) }?;
        out.set(chart.notes.len());
        Ok(())
    })
}

/// Copies notes `start..start + n` into `buf`, where `n = min(len, count - start)`, and sets
/// `*out_written` to `n`. Notes are in (time, column) order. `start == count` copies nothing;
/// `start > count` is `InvalidArgument`. `buf` may be null when `len` is 0.
///
/// # Safety
/// `chart`: borrowed, must not be null. `buf`: borrowed, caller-owned, writable for `len`
/// `RoxNote`s (or null if `len` is 0). `out_written`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_copy_notes(
    chart: *const RoxChart,
    start: usize,
    buf: *mut RoxNote,
    len: usize,
    out_written: *mut usize,
) -> RoxStatus {
    guard("rox_chart_copy_notes", || {
        // SAFETY: caller promises.
        let (out, out_written) =
            unsafe { OutArray::with_count(buf, len, out_written, "out_written") }?;
        let handle = unsafe { handle_ref(chart, "chart") }?;
        let window = copy_window(&handle.chart.notes, start, out.capacity())?;
        if !handle.views.every_keysound_fits(&handle.chart) {
            keysounds_fit(window, start)?;
        }
        out.write_converted(window, RoxNote::from_note);
        out_written.set(window.len());
        Ok(())
    })
}

/// Adds `len` notes, all or nothing: every note is checked first and on any failure the chart
/// is unchanged. `InvalidArgument`: `kind` not a `RoxNoteKind`, `column` not below the key
/// count, `reserved` not 0, `keysound` neither -1 nor an existing keysound index.
/// `InvalidChart`: a Hold/Roll without positive duration, another kind with a duration, a
/// time beyond ±2^52 µs. The message names the first bad note (`notes[i]`). Afterwards the
/// notes are in (time, column) order; notes with equal keys keep their insertion order.
/// Overlaps are not checked here (see `rox_chart_validate`).
///
/// # Safety
/// `chart`: borrowed exclusively for the call, must not be null. `notes`: borrowed for the
/// call (copied), readable for `len` `RoxNote`s; may be null only if `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_add_notes(
    chart: *mut RoxChart,
    notes: *const RoxNote,
    len: usize,
) -> RoxStatus {
    guard("rox_chart_add_notes", || {
        // SAFETY: caller promises.
        let chart = unsafe { chart_mut(chart) }?;
        let notes = unsafe { in_array(notes, len, "notes") }?;
        let new = checked_notes(&notes, chart)?;
        chart.notes.extend(new);
        chart.notes.sort_by_key(|n| (n.time_us, n.column));
        Ok(())
    })
}

/// Replaces every note with `len` new ones, all or nothing: they are checked as by
/// `rox_chart_add_notes` and on any failure the chart keeps its notes. One call, so a reader
/// never sees the chart between a clear and an add. Afterwards the notes are in (time, column)
/// order; notes with equal keys keep their array order.
///
/// # Safety
/// `chart`: borrowed exclusively for the call, must not be null. `notes`: borrowed for the
/// call (copied), readable for `len` `RoxNote`s; may be null only if `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_replace_notes(
    chart: *mut RoxChart,
    notes: *const RoxNote,
    len: usize,
) -> RoxStatus {
    guard("rox_chart_replace_notes", || {
        // SAFETY: caller promises.
        let chart = unsafe { chart_mut(chart) }?;
        let notes = unsafe { in_array(notes, len, "notes") }?;
        chart.notes = checked_notes(&notes, chart)?;
        chart.notes.sort_by_key(|n| (n.time_us, n.column));
        Ok(())
    })
}

/// Checks every note to be put into `chart`; the first bad one is the error.
fn checked_notes(notes: &[RoxNote], chart: &Chart) -> FfiResult<Vec<Note>> {
    notes
        .iter()
        .enumerate()
        .map(|(i, n)| n.to_note(i, chart))
        .collect()
}

/// Removes every note.
///
/// # Safety
/// `chart`: borrowed exclusively for the call, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_clear_notes(chart: *mut RoxChart) -> RoxStatus {
    guard("rox_chart_clear_notes", || {
        // SAFETY: caller promise.
        let chart = unsafe { chart_mut(chart) }?;
        chart.notes.clear();
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_round_trip() {
        let mut chart = Chart::new(4);
        chart.keysounds.push("a.wav".into());
        let note = Note {
            time_us: 5,
            duration_us: 10,
            column: 3,
            kind: NoteKind::Hold,
            sound: HitSound {
                flags: 2,
                normal_set: 1,
                addition_set: 2,
                volume: 50,
                custom_index: 7,
            },
            keysound: Some(0),
        };
        let raw = RoxNote::from_note(&note);
        assert_eq!(raw.to_note(0, &chart).unwrap(), note);
    }

    /// `from_note` builds words; each field must land where the struct has it.
    #[test]
    fn from_note_sets_every_field() {
        let note = Note {
            time_us: -0x0102_0304_0506_0708,
            duration_us: 0x1112_1314_1516_1718,
            column: 17,
            kind: NoteKind::Roll,
            sound: HitSound {
                flags: 0x21,
                normal_set: 0x22,
                addition_set: 0x23,
                volume: 0x24,
                custom_index: 0x2526_2728,
            },
            keysound: Some(0x3132_3334),
        };
        let expected = RoxNote {
            time_us: note.time_us,
            duration_us: note.duration_us,
            column: 17,
            kind: NoteKind::Roll as u8,
            hitsound_flags: 0x21,
            normal_set: 0x22,
            addition_set: 0x23,
            volume: 0x24,
            reserved: 0,
            custom_index: 0x2526_2728,
            keysound: 0x3132_3334,
        };
        assert_eq!(RoxNote::from_note(&note), expected);
    }

    #[test]
    fn no_keysound_is_minus_one() {
        let raw = RoxNote::from_note(&Note::tap(0, 0));
        assert_eq!(raw.keysound, -1);
        assert_eq!(raw.to_note(0, &Chart::new(1)).unwrap(), Note::tap(0, 0));
    }

    /// The status `to_note` gives `raw` in a 4K chart with one keysound.
    fn refusal(raw: RoxNote) -> Option<RoxStatus> {
        let mut chart = Chart::new(4);
        chart.keysounds.push("a.wav".into());
        raw.to_note(0, &chart).err().map(|e| e.status)
    }

    #[test]
    fn columns_stop_below_the_key_count() {
        let tap = |column| RoxNote {
            column,
            ..RoxNote::default()
        };
        assert_eq!(refusal(tap(3)), None);
        assert_eq!(refusal(tap(4)), Some(RoxStatus::InvalidArgument));
    }

    #[test]
    fn keysounds_are_minus_one_or_an_index_into_the_list() {
        let with = |keysound| RoxNote {
            keysound,
            ..RoxNote::default()
        };
        assert_eq!(refusal(with(-1)), None);
        assert_eq!(refusal(with(0)), None);
        for bad in [1, 2, -2, i32::MIN] {
            assert_eq!(
                refusal(with(bad)),
                Some(RoxStatus::InvalidArgument),
                "{bad}"
            );
        }
        let reserved = RoxNote {
            reserved: 1,
            ..RoxNote::default()
        };
        assert_eq!(refusal(reserved), Some(RoxStatus::InvalidArgument));
    }

    #[test]
    fn only_holds_and_rolls_have_durations() {
        let note = |kind: NoteKind, duration_us| RoxNote {
            duration_us,
            kind: kind as u8,
            ..RoxNote::default()
        };
        for kind in NoteKind::ALL {
            let (good, bad) = if kind.has_duration() {
                (1, [0, -1])
            } else {
                (0, [1, -1])
            };
            assert_eq!(refusal(note(kind, good)), None, "{kind:?}");
            for duration in bad {
                assert_eq!(
                    refusal(note(kind, duration)),
                    Some(RoxStatus::InvalidChart),
                    "{kind:?} {duration}"
                );
            }
        }
        assert_eq!(
            refusal(RoxNote {
                kind: 6,
                ..RoxNote::default()
            }),
            Some(RoxStatus::InvalidArgument)
        );
    }

    #[test]
    fn a_note_and_its_end_stay_within_the_time_limit() {
        let limit = crate::model::MAX_ABS_TIME_US;
        let hold = |time_us, duration_us| RoxNote {
            time_us,
            duration_us,
            kind: NoteKind::Hold as u8,
            ..RoxNote::default()
        };
        assert_eq!(refusal(hold(-limit, 2 * limit)), None);
        for (time, duration) in [(limit - 1, 2), (-limit - 1, 1), (limit, i64::MAX)] {
            assert_eq!(
                refusal(hold(time, duration)),
                Some(RoxStatus::InvalidChart),
                "{time} + {duration}"
            );
        }
    }

    #[test]
    fn copy_range_converts_the_window() {
        let items = [10, 11, 12, 13];
        let copy = |start, len| {
            let mut buf = vec![usize::MAX; len];
            let mut written = usize::MAX;
            let result = unsafe {
                let (out, count) =
                    OutArray::with_count(buf.as_mut_ptr(), len, &mut written, "n").unwrap();
                copy_range(&items, start, out, count, |&i| i - 10)
            };
            (result.map_err(|e| e.status), written, buf)
        };
        assert_eq!(copy(1, 2), (Ok(()), 2, vec![1, 2]));
        assert_eq!(copy(3, 3), (Ok(()), 1, vec![3, usize::MAX, usize::MAX]));
        assert_eq!(copy(4, 1), (Ok(()), 0, vec![usize::MAX]));
        for start in [5, 6] {
            let (result, written, _) = copy(start, 1);
            assert_eq!((result, written), (Err(RoxStatus::InvalidArgument), 0));
        }
    }
}
