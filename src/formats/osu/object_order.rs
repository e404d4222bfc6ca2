//! The order a `.osu` file lists the notes of one time in, where it is not by column.
//!
//! The chart model keeps notes by (time, column), but osu! rates a chord's notes in file order
//! (which note counts as "previous" for another changes release bonuses). The decoder records
//! that order in `Chart::extras` under [`KEY`] only for the times whose notes the file does not
//! list by column, as `time_us=column column …` entries joined by `,`. The encoder writes chords
//! in that order and `analysis::star` rates them in it, both through [`file_order`], which
//! ignores a hint that no longer fits the notes (a stale one, after the notes changed).

use std::collections::HashMap;

use crate::formats::text::parse_int;
use crate::model::{Chart, Note};

/// The extras key of the hint.
pub const KEY: &str = "osu.object_order";

/// The hint for notes in file order (times and columns known), or `None` when every time's
/// notes are listed by column, as nearly all files do.
pub(super) fn hint(file_notes: &[Note]) -> Option<String> {
    let by_time = file_notes.windows(2).all(|w| w[0].time_us <= w[1].time_us);
    let chords_by_column = file_notes
        .windows(2)
        .all(|w| w[0].time_us != w[1].time_us || w[0].column <= w[1].column);
    if by_time && chords_by_column {
        return None;
    }
    // File order among equal times, which a stable sort by time keeps.
    let mut order: Vec<usize> = (0..file_notes.len()).collect();
    order.sort_by_key(|&i| file_notes[i].time_us);
    let mut entries = Vec::new();
    for group in order.chunk_by(|&a, &b| file_notes[a].time_us == file_notes[b].time_us) {
        let columns: Vec<u8> = group.iter().map(|&i| file_notes[i].column).collect();
        if columns.windows(2).any(|w| w[0] > w[1]) {
            entries.push(entry(file_notes[group[0]].time_us, &columns));
        }
    }
    (!entries.is_empty()).then(|| entries.join(","))
}

fn entry(time_us: i64, columns: &[u8]) -> String {
    let columns: Vec<String> = columns.iter().map(u8::to_string).collect();
    format!("{time_us}={}", columns.join(" "))
}

/// The chart's note indices in the order a `.osu` file lists them (see `note_order`).
pub(crate) fn file_order(chart: &Chart) -> impl Iterator<Item = usize> {
    let hinted = note_order(chart);
    (0..chart.notes.len()).map(move |i| hinted.as_ref().map_or(i, |order| order[i]))
}

/// The chart's note indices in the order a `.osu` file lists them: chart order, except that
/// the notes of each time the hint names take that time's places in the hint's column order
/// (of notes in one column, the earlier in the chart first). `None` without a hint, or when
/// the hint does not fit the notes: a malformed entry, or a time whose notes' columns are not
/// the hint's.
fn note_order(chart: &Chart) -> Option<Vec<usize>> {
    let groups = parse(chart.extra(KEY)?)?;
    let mut group_of: HashMap<i64, usize> = HashMap::with_capacity(groups.len());
    for (index, (time_us, _)) in groups.iter().enumerate() {
        if group_of.insert(*time_us, index).is_some() {
            return None;
        }
    }
    // The chart positions of each hinted time's notes, in chart order.
    let mut places: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (index, note) in chart.notes.iter().enumerate() {
        if let Some(&group) = group_of.get(&note.time_us) {
            places[group].push(index);
        }
    }
    let mut order: Vec<usize> = (0..chart.notes.len()).collect();
    for ((_, columns), places) in groups.iter().zip(&places) {
        let reordered = in_column_order(&chart.notes, places, columns)?;
        for (&place, note) in places.iter().zip(reordered) {
            order[place] = note;
        }
    }
    Some(order)
}

/// `places` (notes of one time) reordered to follow `columns`, or `None` when their columns
/// are not those.
fn in_column_order(notes: &[Note], places: &[usize], columns: &[u8]) -> Option<Vec<usize>> {
    if places.len() != columns.len() {
        return None;
    }
    // Per column, its notes in chart order; taken from the front as the hint names the column.
    let mut by_column = places.to_vec();
    by_column.sort_by_key(|&i| notes[i].column);
    let mut next = HashMap::new();
    for (position, &i) in by_column.iter().enumerate() {
        next.entry(notes[i].column).or_insert(position);
    }
    let mut reordered = Vec::with_capacity(places.len());
    for column in columns {
        let position = next.get_mut(column)?;
        let &note = by_column
            .get(*position)
            .filter(|&&i| notes[i].column == *column)?;
        *position += 1;
        reordered.push(note);
    }
    Some(reordered)
}

/// The hint's (time, columns) entries, or `None` when one is malformed.
fn parse(value: &str) -> Option<Vec<(i64, Vec<u8>)>> {
    value
        .split(',')
        .map(|entry| {
            let (time, columns) = entry.split_once('=')?;
            let columns = columns
                .split(' ')
                .map(|c| u8::try_from(parse_int(c.as_bytes())?).ok())
                .collect::<Option<Vec<u8>>>()?;
            Some((parse_int(time.as_bytes())?, columns))
        })
        .collect()
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
