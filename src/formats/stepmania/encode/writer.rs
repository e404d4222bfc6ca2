//! The bytes of the file: tags as StepMania's writers lay them out, and note data with each
//! measure in the fewest lines that hold its notes.

use std::io::Write as _;

use super::cells::{Cell, Cells};
use super::fields::{difficulty, meter, steps_type};
use super::song::{place, Place, SongTags};
use super::timing::FileTiming;
use crate::formats::stepmania::extras::{is_sm_key, SmExtras, KEY_RADAR};
use crate::formats::stepmania::msd::escape_into;
use crate::formats::stepmania::tags;
use crate::formats::stepmania::timing::ROWS_PER_MEASURE;
use crate::formats::stepmania::values::{beat_text, seconds};
use crate::formats::stepmania::{warps, Dialect, SSC_VERSION};
use crate::model::{ConversionReport, LossKind};
use crate::Chart;

/// Lines per measure StepMania's note types allow (96 included: it reads like any other).
const QUANTIZATIONS: [i64; 10] = [4, 8, 12, 16, 24, 32, 48, 64, 96, 192];

pub(super) struct Writer {
    pub out: Vec<u8>,
    pub dialect: Dialect,
}

/// One chart to write, with what the writer worked out for it.
pub(super) struct ChartToWrite<'a> {
    pub chart: &'a Chart,
    pub index: usize,
    pub extras: &'a SmExtras,
    /// Its own timing (`.ssc`), when it is not the song's.
    pub own_timing: Option<&'a FileTiming>,
    pub cells: &'a Cells,
}

impl Writer {
    fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    /// `#TAG:value;` with the value escaped.
    fn tag(&mut self, tag: &str, value: &str) {
        let mut escaped = Vec::new();
        escape_into(&mut escaped, value.as_bytes());
        self.tag_bytes(tag, &escaped);
    }

    /// `#TAG:value;` with a value already in MSD form (extras keep tags as written).
    fn tag_raw(&mut self, tag: &str, value: &str) {
        self.tag_bytes(tag, value.as_bytes());
    }

    /// The name escaped too: an unknown tag kept as an extra may have any name.
    fn tag_bytes(&mut self, tag: &str, value: &[u8]) {
        self.out.push(b'#');
        escape_into(&mut self.out, tag.as_bytes());
        self.out.push(b':');
        self.out.extend_from_slice(value);
        self.raw(";\n");
    }

    fn list<T>(&mut self, tag: &str, list: &[(i64, T)], value: impl Fn(&T) -> String) {
        let text: Vec<String> = list
            .iter()
            .map(|(row, v)| format!("{}={}", beat_text(*row), value(v)))
            .collect();
        self.tag_raw(tag, &text.join(",\n"));
    }

    pub fn header(&mut self, first: &Chart, song: &SongTags, keysounds: &[String]) {
        let m = &first.metadata;
        if self.dialect == Dialect::Ssc {
            self.tag_raw(tags::VERSION, &SSC_VERSION.to_string());
        }
        for (tag, value) in [
            (tags::TITLE, &song.title),
            (tags::SUBTITLE, &m.subtitle),
            (tags::ARTIST, &song.artist),
            (tags::TITLETRANSLIT, &song.title_translit),
            (tags::ARTISTTRANSLIT, &song.artist_translit),
            (tags::GENRE, &m.genre),
            (tags::CREDIT, &song.credit),
            (tags::MUSIC, &song.music),
            (tags::BACKGROUND, &m.background_file),
        ] {
            self.tag(tag, value);
        }
        if let Some(t) = m.preview_time_us {
            self.tag_raw(tags::SAMPLESTART, &seconds(t));
        }
        for (tag, value) in &song.extras {
            self.tag_raw(tag, value);
        }
        if !keysounds.is_empty() {
            // The reader trims the list and skips empty names: a comma before a first name
            // that starts with a blank (and after a last one that ends with one) keeps it.
            let blank_at = |k: Option<&String>, edge: fn(&[u8]) -> Option<&u8>| {
                k.and_then(|k| edge(k.as_bytes()))
                    .is_some_and(u8::is_ascii_whitespace)
            };
            let mut text = Vec::new();
            if blank_at(keysounds.first(), <[u8]>::first) {
                text.push(b',');
            }
            for (i, k) in keysounds.iter().enumerate() {
                if i > 0 {
                    text.push(b',');
                }
                escape_into(&mut text, k.as_bytes());
            }
            if blank_at(keysounds.last(), <[u8]>::last) {
                text.push(b',');
            }
            self.tag_bytes(tags::KEYSOUNDS, &text);
        }
    }

    /// The timing tags of a song or (`.ssc`) chart.
    pub fn timing(&mut self, t: &FileTiming) {
        let number = |v: &f64| v.to_string();
        let w = &t.written;
        // `+ 0.0` writes a zero offset as 0, not -0.
        self.tag_raw(tags::OFFSET, &(w.offset + 0.0).to_string());
        self.list(tags::BPMS, &w.bpms, number);
        match self.dialect {
            Dialect::Sm => self.list(tags::STOPS, &warps::sm_stops(w), number),
            Dialect::Ssc => self.list(tags::STOPS, &w.stops, number),
        }
        self.list(tags::DELAYS, &w.delays, number);
        if self.dialect == Dialect::Ssc {
            self.list(tags::WARPS, &w.warps, number);
        }
        match t.extras.get(tags::TIMESIGNATURES) {
            Some(raw) => self.tag_raw(tags::TIMESIGNATURES, raw),
            None => {
                let mut previous = None;
                let signatures: Vec<(i64, u32)> = t
                    .meters
                    .iter()
                    .filter(|&&(_, m)| previous.replace(m) != Some(m))
                    .map(|&(row, m)| (row, m.max(1)))
                    .collect();
                self.list(tags::TIMESIGNATURES, &signatures, |m| format!("{m}=4"));
            }
        }
        if self.dialect == Dialect::Ssc {
            self.list(tags::SCROLLS, &w.scrolls, number);
        }
        for (tag, key, value) in t.extras.iter() {
            if tag == tags::TIMESIGNATURES || (self.dialect == Dialect::Sm && !is_sm_key(key)) {
                continue;
            }
            self.tag_raw(tag, value);
        }
    }

    pub fn chart(&mut self, c: &ChartToWrite, song: &SongTags, report: &mut ConversionReport) {
        let (chart, index) = (c.chart, c.index);
        let m = &chart.metadata;
        let steps_type = steps_type(chart, index, report);
        let difficulty = difficulty(m, index, report);
        let meter = meter(m, index, report);
        match self.dialect {
            Dialect::Sm => {
                if m.creator != song.credit {
                    report.push(
                        LossKind::MetadataDropped,
                        format!("chart {index}: creator '{}' not written: .sm has one #CREDIT for the file", m.creator),
                    );
                }
                if m.audio_file != song.music {
                    report.push(
                        LossKind::MetadataDropped,
                        format!("chart {index}: audio file '{}' not written: .sm has one #MUSIC for the file", m.audio_file),
                    );
                }
                self.raw("\n#");
                self.raw(tags::NOTES);
                self.raw(":\n");
                let radar = c.extras.radar().unwrap_or("");
                for field in [
                    steps_type.as_str(),
                    &m.description,
                    &difficulty,
                    &meter,
                    radar,
                ] {
                    self.raw("     ");
                    escape_into(&mut self.out, field.as_bytes());
                    self.raw(":\n");
                }
            }
            Dialect::Ssc => self.ssc_chart_tags(c, song, [&steps_type, &difficulty, &meter]),
        }
        self.notes(chart.key_count, &c.cells.cells);
        self.raw(";\n");
    }

    /// A `.ssc` chart's `#NOTEDATA` section up to its `#NOTES`.
    fn ssc_chart_tags(&mut self, c: &ChartToWrite, song: &SongTags, fields: [&str; 3]) {
        let [steps_type, difficulty, meter] = fields;
        let m = &c.chart.metadata;
        self.raw("\n#");
        self.raw(tags::NOTEDATA);
        self.raw(":;\n");
        self.tag(tags::STEPSTYPE, steps_type);
        self.tag(tags::DESCRIPTION, &m.description);
        self.tag(tags::DIFFICULTY, difficulty);
        self.tag_raw(tags::METER, meter);
        self.tag(tags::CREDIT, &m.creator);
        if m.audio_file != song.music {
            self.tag(tags::MUSIC, &m.audio_file);
        }
        // In their own order, so that the chart reads back with its extras as they are.
        for (key, value) in &c.extras.chart_tags {
            if key == KEY_RADAR {
                self.tag(tags::RADARVALUES, value);
            } else if let Place::Chart(tag) = place(key, Dialect::Ssc) {
                self.tag_raw(tag, value);
            }
        }
        if let Some(timing) = c.own_timing {
            self.timing(timing);
        }
        self.out.push(b'#');
        self.raw(tags::NOTES);
        self.raw(":\n");
    }

    /// Note data: each measure with the fewest lines that put every note on its row.
    pub fn notes(&mut self, keys: u8, cells: &[Cell]) {
        let measures = cells.last().map_or(1, |c| c.row / ROWS_PER_MEASURE + 1);
        // At most every row written; reserving it saves copying a growing buffer.
        let bound = measures as usize * ROWS_PER_MEASURE as usize * (usize::from(keys) + 1);
        self.out.reserve(bound.min(1 << 26));
        let mut next = 0;
        // A measure of empty lines with their line breaks: a run of empty lines is one copy,
        // and so is a line of plain cells, set in `line` and put back after.
        let mut empty_line = vec![b'0'; usize::from(keys) + 1];
        empty_line[usize::from(keys)] = b'\n';
        let empty = empty_line.repeat(ROWS_PER_MEASURE as usize);
        for measure in 0..measures {
            if measure > 0 {
                self.raw(",\n");
            }
            let start = measure * ROWS_PER_MEASURE;
            let end = next + cells[next..].partition_point(|c| c.row < start + ROWS_PER_MEASURE);
            self.measure(keys, start, &cells[next..end], &mut empty_line, &empty);
            next = end;
        }
    }

    /// One measure's lines; `line` is a buffer of one line and its line break, `empty` as
    /// many empty lines as a measure can have.
    fn measure(
        &mut self,
        keys: u8,
        start: i64,
        in_measure: &[Cell],
        line: &mut [u8],
        empty: &[u8],
    ) {
        let lines = QUANTIZATIONS
            .into_iter()
            .find(|n| {
                let step = ROWS_PER_MEASURE / n;
                in_measure.iter().all(|c| (c.row - start) % step == 0)
            })
            .unwrap_or(ROWS_PER_MEASURE);
        let step = ROWS_PER_MEASURE / lines;
        let mut i = 0;
        let mut empty_lines = 0;
        for l in 0..lines {
            let row = start + l * step;
            let from = i;
            while i < in_measure.len() && in_measure[i].row == row {
                i += 1;
            }
            let here = &in_measure[from..i];
            if here.is_empty() {
                empty_lines += 1;
                continue;
            }
            self.out
                .extend_from_slice(&empty[..empty_lines * line.len()]);
            empty_lines = 0;
            if here.iter().all(|c| c.keysound.is_none()) {
                // Most lines are empty: the buffer is put back to `0`s cell by cell.
                for c in here {
                    line[usize::from(c.column)] = c.ch;
                }
                self.out.extend_from_slice(line);
                for c in here {
                    line[usize::from(c.column)] = b'0';
                }
            } else {
                let mut cell = here.iter().peekable();
                for column in 0..keys {
                    match cell.next_if(|c| c.column == column) {
                        Some(c) => {
                            self.out.push(c.ch);
                            if let Some(k) = c.keysound {
                                let _ = write!(self.out, "[{k}]");
                            }
                        }
                        None => self.out.push(b'0'),
                    }
                }
                self.out.push(b'\n');
            }
        }
        self.out
            .extend_from_slice(&empty[..empty_lines * line.len()]);
    }
}

#[cfg(test)]
mod tests {
    use super::super::cells::NO_NOTE;
    use super::*;

    fn written(keys: u8, cells: &[Cell]) -> String {
        let mut w = Writer {
            out: Vec::new(),
            dialect: Dialect::Sm,
        };
        w.notes(keys, cells);
        String::from_utf8(w.out).unwrap()
    }

    #[test]
    fn quantization_is_the_smallest_that_fits() {
        let cell = |row| Cell {
            row,
            column: 0,
            ch: b'1',
            keysound: None,
            note: NO_NOTE,
        };
        assert_eq!(written(1, &[cell(0), cell(48 + 16)]).lines().count(), 12);
        let keysounded = Cell {
            row: 200,
            column: 1,
            ch: b'M',
            keysound: Some(3),
            note: NO_NOTE,
        };
        let text = written(2, &[cell(1), keysounded]);
        assert_eq!(text.lines().count(), 192 + 1 + 24);
        assert!(text.contains("0M[3]\n"));
    }
}
