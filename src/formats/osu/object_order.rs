//! The order a `.osu` file lists the notes of one time in, where it is not by column.
//!
//! The chart model keeps notes by (time, column), but osu! rates a chord's notes in file order
//! (which note counts as "previous" for another changes release bonuses). The decoder records
//! that order in `Chart::extras` under [`KEY`] only for the times whose notes the file does not
//! list by column, as `time_us=column column …` entries joined by `,`. The encoder writes chords
//! in that order and `analysis::star` rates them in it, both through [`file_order`], which
//! ignores a hint that no longer fits the notes (a stale one, after the notes changed).

use crate::formats::text::{parse_int, push_int};
use crate::model::{Chart, Note};

/// The extras key of the hint.
pub const KEY: &str = "osu.object_order";

/// The hint for notes in file order (times and columns known), or `None` when every time's
/// notes are listed by column, as nearly all files do.
pub(super) fn hint(file_notes: &[Note]) -> Option<String> {
    let sorted;
    let by_time = if file_notes.windows(2).all(|w| w[0].time_us <= w[1].time_us) {
        file_notes
    } else {
        // File order among equal times, which a stable sort by time keeps.
        sorted = {
            let mut notes = file_notes.to_vec();
            notes.sort_by_key(|n| n.time_us);
            notes
        };
        &sorted
    };
    // Written straight into one buffer: a string per entry was most of a decode's time for a
    // chart with thousands of such chords.
    let mut hint = Vec::new();
    for chord in by_time.chunk_by(|a, b| a.time_us == b.time_us) {
        if chord.windows(2).all(|w| w[0].column <= w[1].column) {
            continue;
        }
        if !hint.is_empty() {
            hint.push(b',');
        }
        push_int(&mut hint, chord[0].time_us);
        let mut separator = b'=';
        for note in chord {
            hint.push(separator);
            push_int(&mut hint, i64::from(note.column));
            separator = b' ';
        }
    }
    // Digits and separators only: always UTF-8.
    String::from_utf8(hint).ok().filter(|h| !h.is_empty())
}

/// The chart's note indices in the order a `.osu` file lists them (see `note_order`).
pub(crate) fn file_order(chart: &Chart) -> impl Iterator<Item = usize> {
    let hinted = note_order(chart);
    (0..chart.notes.len()).map(move |i| hinted.as_ref().map_or(i, |order| order[i]))
}

/// The chart's note indices in the order a `.osu` file lists them: chart order, except that
/// the notes of each time the hint names take that time's places in the hint's column order
/// (of notes in one column, the earlier in the chart first). `None` without a hint, or when
/// the hint does not fit the notes: a malformed or repeated entry, a time whose notes' columns
/// are not the hint's, or notes out of (time, column) order.
fn note_order(chart: &Chart) -> Option<Vec<usize>> {
    let value = chart.extra(KEY)?.as_bytes();
    let notes = &chart.notes;
    if !notes
        .windows(2)
        .all(|w| (w[0].time_us, w[0].column) <= (w[1].time_us, w[1].column))
    {
        return None;
    }
    let mut order: Vec<usize> = (0..notes.len()).collect();
    let mut times = Vec::new();
    // Per column, how many of the current chord's notes in it the hint has named.
    let mut named = [0usize; 256];
    // Where the last entry's chord ended: the hint lists times in order, so the next chord is
    // found by walking on from there (a binary search when an entry goes back).
    let mut passed: usize = 0;
    for entry in value.split(|&b| b == b',') {
        let equals = entry.iter().position(|&b| b == b'=')?;
        let time_us = parse_int(&entry[..equals])?;
        times.push(time_us);
        let start = match notes.get(passed.wrapping_sub(1)) {
            Some(before) if before.time_us >= time_us => {
                notes.partition_point(|n| n.time_us < time_us)
            }
            _ => {
                passed
                    + notes[passed..]
                        .iter()
                        .take_while(|n| n.time_us < time_us)
                        .count()
            }
        };
        let len = notes[start..]
            .iter()
            .take_while(|n| n.time_us == time_us)
            .count();
        passed = start + len;
        // Sorted by column: a column's notes are a run, taken from its front.
        let chord = &notes[start..passed];
        let mut count = 0;
        for column in entry[equals + 1..].split(|&b| b == b' ') {
            let column = u8::try_from(parse_int(column)?).ok()?;
            let at = chord.partition_point(|n| n.column < column) + named[usize::from(column)];
            if chord.get(at)?.column != column {
                return None;
            }
            named[usize::from(column)] += 1;
            // Never past the chord: each note is named at most once, or `get` failed above.
            order[start + count] = start + at;
            count += 1;
        }
        if count != len {
            return None;
        }
        for note in chord {
            named[usize::from(note.column)] = 0;
        }
    }
    times.sort_unstable();
    times.windows(2).all(|w| w[0] != w[1]).then_some(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(list: &[(i64, u8)]) -> Vec<Note> {
        list.iter().map(|&(t, c)| Note::tap(t, c)).collect()
    }

    #[test]
    fn only_chords_out_of_column_order_are_recorded() {
        assert_eq!(hint(&notes(&[(0, 0), (0, 2), (5, 1), (5, 1)])), None);
        let file = notes(&[(0, 2), (0, 0), (5, 1), (3, 3), (5, 0), (3, 1)]);
        assert_eq!(hint(&file).as_deref(), Some("0=2 0,3=3 1,5=1 0"));
    }

    #[test]
    fn the_hint_orders_fitting_notes_only() {
        let mut chart = Chart::new(4);
        chart.notes = notes(&[(0, 0), (0, 2), (0, 2), (5, 1), (9, 0), (9, 3)]);
        chart.notes[2].duration_us = 1;
        chart.extras = vec![(KEY.into(), "9=3 0,0=2 0 2".into())];
        assert_eq!(note_order(&chart), Some(vec![1, 0, 2, 3, 5, 4]));
        for stale in ["9=3 0,0=2 0", "9=3 1,0=2 0 2", "9=3 0,9=3 0", "9=3 x", "9"] {
            chart.extras[0].1 = stale.into();
            assert_eq!(note_order(&chart), None, "{stale}");
        }
    }
}
