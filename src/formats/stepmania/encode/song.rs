//! Song-level tags from the first chart, where each extra goes in a dialect, and what the
//! file has no place for (reported).

use crate::formats::stepmania::extras::{
    is_sm_key, SmExtras, CHART_PREFIX, CODEC_KEYS, SM_PREFIX, SSC_PREFIX, TIMING_EXTRAS,
};
use crate::formats::stepmania::tags::{is_generated_chart_tag, is_generated_song_tag};
use crate::formats::stepmania::Dialect;
use crate::model::{ConversionReport, LossKind, Metadata};
use crate::Chart;

/// Song-level tags, from the first chart.
pub(super) struct SongTags {
    pub title: String,
    pub title_translit: String,
    pub artist: String,
    pub artist_translit: String,
    pub credit: String,
    pub music: String,
    /// Song-level extras the dialect writes: (tag, value).
    pub extras: Vec<(String, String)>,
}

/// Where an extra goes when written in `dialect`.
pub(super) enum Place<'a> {
    /// A song-level tag.
    Song(&'a str),
    /// A chart-level `.ssc` tag.
    Chart(&'a str),
    /// Used by the writer itself (timing extras, notes, overridden song values).
    Handled,
    /// Nowhere.
    Dropped,
}

pub(super) fn place(key: &str, dialect: Dialect) -> Place<'_> {
    if CODEC_KEYS.contains(&key) {
        return Place::Handled;
    }
    if TIMING_EXTRAS.iter().any(|(_, k)| *k == key) {
        let written = dialect == Dialect::Ssc || is_sm_key(key);
        return if written {
            Place::Handled
        } else {
            Place::Dropped
        };
    }
    if let Some(tag) = key.strip_prefix(CHART_PREFIX) {
        return match dialect {
            Dialect::Ssc if !is_generated_chart_tag(tag) => Place::Chart(tag),
            _ => Place::Dropped,
        };
    }
    let tag = match (key.strip_prefix(SM_PREFIX), key.strip_prefix(SSC_PREFIX)) {
        (Some(tag), _) => tag,
        (None, Some(tag)) if dialect == Dialect::Ssc => tag,
        _ => return Place::Dropped,
    };
    if is_generated_song_tag(dialect == Dialect::Ssc, tag) {
        Place::Dropped
    } else {
        Place::Song(tag)
    }
}

impl SongTags {
    pub fn new(first: &Chart, extras: &SmExtras, dialect: Dialect) -> SongTags {
        let m = &first.metadata;
        let title = if m.title_unicode.is_empty() {
            &m.title
        } else {
            &m.title_unicode
        };
        let artist = if m.artist_unicode.is_empty() {
            &m.artist
        } else {
            &m.artist_unicode
        };
        let translit = |romanised: &String, shown: &String| {
            if romanised == shown {
                String::new()
            } else {
                romanised.clone()
            }
        };
        SongTags {
            title: title.clone(),
            title_translit: translit(&m.title, title),
            artist: artist.clone(),
            artist_translit: translit(&m.artist, artist),
            credit: extras.song_credit.as_ref().unwrap_or(&m.creator).clone(),
            music: extras.song_music.as_ref().unwrap_or(&m.audio_file).clone(),
            extras: Self::song_extras(first, dialect),
        }
    }

    fn song_extras(chart: &Chart, dialect: Dialect) -> Vec<(String, String)> {
        chart
            .extras
            .iter()
            .filter_map(|(key, value)| match place(key, dialect) {
                Place::Song(tag) => Some((tag.to_owned(), value.clone())),
                _ => None,
            })
            .collect()
    }

    /// Reports what chart `index` has at song level that the file (the first chart's) lacks.
    pub fn compare(
        &self,
        first: &Metadata,
        chart: &Chart,
        extras: &SmExtras,
        index: usize,
        dialect: Dialect,
        report: &mut ConversionReport,
    ) {
        let other = SongTags::new(chart, extras, dialect);
        let m = &chart.metadata;
        let differing = [
            (
                "title",
                (&self.title, &self.title_translit) != (&other.title, &other.title_translit),
            ),
            (
                "artist",
                (&self.artist, &self.artist_translit) != (&other.artist, &other.artist_translit),
            ),
            ("subtitle", first.subtitle != m.subtitle),
            ("genre", first.genre != m.genre),
            ("background", first.background_file != m.background_file),
            ("preview time", first.preview_time_us != m.preview_time_us),
            ("song-level extras", self.extras != other.extras),
        ];
        for (what, differs) in differing {
            if differs {
                report.push(
                    LossKind::MetadataDropped,
                    format!("chart {index}: {what} differs from the first chart's, which the file keeps"),
                );
            }
        }
    }
}

/// Model fields the dialect has no place for, and extras it does not write.
pub(super) fn report_dropped_metadata(
    chart: &Chart,
    index: usize,
    dialect: Dialect,
    report: &mut ConversionReport,
) {
    let m = &chart.metadata;
    let set = [
        ("source", !m.source.is_empty()),
        ("tags", !m.tags.is_empty()),
        ("chart id", m.chart_id.is_some()),
        ("set id", m.set_id.is_some()),
        ("HP drain", m.hp_drain.is_some()),
        ("overall difficulty", m.overall_difficulty.is_some()),
        ("scratch column", m.has_scratch),
    ];
    for (what, present) in set {
        if present {
            report.push(
                LossKind::MetadataDropped,
                format!("chart {index}: {what} has no place in .{}", dialect.name()),
            );
        }
    }
    for (key, _) in &chart.extras {
        if matches!(place(key, dialect), Place::Dropped) {
            report.push(
                LossKind::MetadataDropped,
                format!("chart {index}: {key} is not written to .{}", dialect.name()),
            );
        }
    }
}
