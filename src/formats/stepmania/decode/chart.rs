//! One chart source, with the song's data, into a `Chart`.

use super::notes::note_row_width;
use super::timing::{BuiltTiming, ChartTiming};
use super::{Reader, Song, Source};
use crate::formats::stepmania::extras::SmExtras;
use crate::formats::stepmania::timing::{Engine, MAX_ROW, ROWS_PER_MEASURE};
use crate::formats::stepmania::{default_steps_type, is_routine, steps_type_columns};
use crate::formats::Content;
use crate::model::{string_cost, LossKind, Metadata, TimingKind, MAX_KEYS};
use crate::{Chart, Error, Result};

impl Reader<'_> {
    /// The chart of `source`; `None` when it needs notes that were passed over (`peek` reads
    /// them only when the steps type gives no column count or when they could fail the chart).
    pub(super) fn chart(
        &mut self,
        song: &Song,
        song_timing: &ChartTiming,
        mut source: Source,
        first: bool,
    ) -> Result<Option<Chart>> {
        let known_columns = steps_type_columns(&source.steps_type);
        if known_columns.is_none() && self.notes_passed_over {
            return Ok(None);
        }
        let columns = self.columns(&source, known_columns)?;
        // The song's keysounds and extras are copied into every chart: count them first.
        let inherited = string_cost(song.keysounds.iter().map(String::as_str))
            + string_cost(
                song.extras
                    .iter()
                    .flat_map(|(k, v)| [k.as_str(), v.as_str()]),
            );
        self.limits.check_text(inherited)?;
        let built = self.built_timing(song_timing, &source)?;
        if self.content == Content::WithoutNotes {
            if known_columns.is_some() && notes_cannot_fail(&source, &built.engine) {
                source.notes = &[];
            } else if self.notes_passed_over {
                return Ok(None);
            }
        }
        let routine = is_routine(&source.steps_type);
        let mut chart = Chart::new(columns);
        chart.source_format = Some(self.dialect.format());
        chart.keysounds = song.keysounds.clone();
        chart.metadata = metadata(song, &mut source, columns);
        chart.timing = built.points.clone();
        let mut extras = match self.keeps_extras() {
            true => writer_extras(song, &chart, &built, &mut source),
            false => SmExtras::default(),
        };
        let (timing, engine) = (&built.timing, &built.engine);
        self.notes(
            &mut chart,
            &mut extras,
            &source,
            routine,
            &timing.sm,
            engine,
        )?;
        if self.keeps_extras() {
            chart.extras = Vec::with_capacity(song.extras.len() + extras.max_len());
            chart.extras.extend_from_slice(&song.extras);
            extras.write(&mut chart.extras);
        }
        self.limits.check_chart(&chart)?;
        if first && source.own_timing && !song_timing.same_as_song(timing) {
            self.report.push(
                LossKind::TimingDropped,
                format!(
                    "chart at line {} has its own timing and the song-level timing differs \
                     from it; written back, the first chart's timing becomes the song timing",
                    source.tag.line()
                ),
            );
        }
        Ok(Some(chart))
    }

    /// Columns from the steps type, or from the note rows when StepMania does not know it.
    fn columns(&self, source: &Source, known_columns: Option<u8>) -> Result<u8> {
        let columns = match known_columns {
            Some(c) => c,
            None => note_row_width(source.notes),
        };
        if columns == 0 {
            return Err(self.error(
                source.tag.line(),
                format!(
                    "unknown steps type '{}' and no note rows to count columns from",
                    source.steps_type
                ),
            ));
        }
        if columns > MAX_KEYS {
            return Err(Error::InvalidKeyCount(columns.into()));
        }
        Ok(columns)
    }
}

/// Whether no note the chart's note data could hold can fail the chart (with a time out of
/// the model's range, or rows past StepMania's last): then `peek` leaves the notes unread and
/// still keeps exactly the charts a decode keeps.
fn notes_cannot_fail(source: &Source, engine: &Engine) -> bool {
    // Measures with rows are a byte and a comma apart at least; a measure's rows reach the
    // first row of the next one at most.
    let measures = i64::try_from(source.notes_size / 2).unwrap_or(i64::MAX);
    let last_base = measures.saturating_mul(ROWS_PER_MEASURE);
    last_base <= MAX_ROW && engine.note_times_in_range(last_base + ROWS_PER_MEASURE)
}

/// The chart's metadata; its own values move out of `source`.
fn metadata(song: &Song, source: &mut Source, columns: u8) -> Metadata {
    // The romanised name is the transliteration when there is one; the original-script name
    // is #TITLE/#ARTIST, or the transliteration when only that is given (so that what a
    // writer makes of the model reads back the same).
    let either = |main: &String, translit: &String| {
        if translit.is_empty() { main } else { translit }.clone()
    };
    let own = |value: &mut Option<String>, song_value: &String| match value.take() {
        Some(value) if !value.is_empty() => value,
        _ => song_value.clone(),
    };
    Metadata {
        title: either(&song.title, &song.title_translit),
        title_unicode: either(&song.title_translit, &song.title),
        subtitle: song.subtitle.clone(),
        artist: either(&song.artist, &song.artist_translit),
        artist_unicode: either(&song.artist_translit, &song.artist),
        creator: own(&mut source.credit, &song.credit),
        difficulty_name: std::mem::take(&mut source.difficulty),
        difficulty_level: source.meter,
        genre: song.genre.clone(),
        description: std::mem::take(&mut source.description),
        audio_file: own(&mut source.music, &song.music),
        background_file: song.background.clone(),
        // A chart without a steps type gets the one a writer would give it, so that
        // reading back what we write is the same chart.
        style: match source.steps_type.as_str() {
            "" => default_steps_type(columns).unwrap_or_default().to_owned(),
            named => named.to_owned(),
        },
        preview_time_us: song.preview_time_us,
        ..Metadata::default()
    }
}

/// What the writer needs to give the chart back as it was, beyond the model: the song's
/// values the chart's own replace, timing tags and row hints, the chart's own tags.
fn writer_extras(song: &Song, chart: &Chart, built: &BuiltTiming, source: &mut Source) -> SmExtras {
    let m = &chart.metadata;
    let mut extras = SmExtras {
        song_credit: (m.creator != song.credit).then(|| song.credit.clone()),
        song_music: (m.audio_file != song.music).then(|| song.music.clone()),
        timing: built.extras(),
        chart_tags: std::mem::take(&mut source.chart_tags),
        offset: offset_hint(chart, built.timing.sm.offset),
        ..SmExtras::default()
    };
    extras.rows.timing_rows = built.rows.clone();
    extras
}

/// `#OFFSET` when the writer would not find it again from the first BPM's time in whole µs
/// (`-offset` is that time, in seconds, unless the offset has digits below the µs).
fn offset_hint(chart: &Chart, offset: f64) -> Option<f64> {
    let first_bpm = chart
        .timing
        .iter()
        .find(|t| matches!(t.kind, TimingKind::Bpm { .. }))?;
    (first_bpm.time_us as f64 / 1e6 != -offset).then_some(offset)
}
