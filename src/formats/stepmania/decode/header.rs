//! The tags of a file into song-level data and chart sources: `.sm` charts are `#NOTES` tags
//! with six fields, `.ssc` charts are `#NOTEDATA` sections ending in `#NOTES`.

use super::{Reader, Song, Source, TagName, SM_NOTE_DATA, SSC_NOTE_DATA, VERSION_SPLIT_TIMING};
use crate::formats::stepmania::extras::{CHART_PREFIX, KEY_RADAR, SM_PREFIX, SSC_PREFIX};
use crate::formats::stepmania::msd::{Msd, Tag};
use crate::formats::stepmania::tags::{self, is_notes, is_sm_song_tag};
use crate::formats::stepmania::values::{parse_int, parse_number};
use crate::formats::stepmania::{Dialect, SSC_VERSION};
use crate::model::LossKind;

/// Which tags are timing tags in each dialect (`.ssc` charts may have them too).
fn is_timing_tag(dialect: Dialect, name: &str) -> bool {
    match dialect {
        Dialect::Sm => tags::SM_TIMING.contains(&name),
        Dialect::Ssc => tags::SSC_TIMING.contains(&name),
    }
}

impl Reader<'_> {
    fn extra_key(&self, name: &str) -> String {
        let prefix = if self.dialect == Dialect::Sm || is_sm_song_tag(name) {
            SM_PREFIX
        } else {
            SSC_PREFIX
        };
        [prefix, name].concat()
    }

    /// A song-level tag without a model field, kept as an extra (`peek` keeps none).
    fn song_extra(&mut self, song: &mut Song, tag: Tag, name: &str) {
        if self.keeps_extras() {
            let value = self.raw_value(tag, name);
            song.extras.push((self.extra_key(name), value));
        }
    }

    /// A song-level tag both dialects share. Returns false for tags it does not handle.
    fn song_tag<'a>(&mut self, song: &mut Song<'a>, tag: Tag<'a>, name: &str) -> bool {
        let value = tag.param(1);
        let field = match name {
            tags::TITLE => &mut song.title,
            tags::TITLETRANSLIT => &mut song.title_translit,
            tags::SUBTITLE => &mut song.subtitle,
            tags::ARTIST => &mut song.artist,
            tags::ARTISTTRANSLIT => &mut song.artist_translit,
            tags::GENRE => &mut song.genre,
            tags::CREDIT => &mut song.credit,
            tags::MUSIC => &mut song.music,
            tags::BACKGROUND => &mut song.background,
            tags::SAMPLESTART => {
                song.preview_time_us = parse_number(value).and_then(super::us_from_seconds);
                return true;
            }
            tags::KEYSOUNDS => {
                let list = self.text(value, &TagName(name), tag);
                song.keysounds = list
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                return true;
            }
            _ if is_timing_tag(self.dialect, name) => {
                song.timing.push(tag);
                return true;
            }
            _ => return false,
        };
        *field = self.text(value, &TagName(name), tag);
        true
    }

    pub(super) fn read_sm<'a>(&mut self, msd: &'a Msd<'a>) -> (Song<'a>, Vec<Source<'a>>) {
        let mut song = Song::default();
        let mut sources = Vec::new();
        for tag in msd.tags() {
            let name = tag.name();
            if self.song_tag(&mut song, tag, name) {
                continue;
            }
            if !is_notes(name) {
                self.song_extra(&mut song, tag, name);
            } else if let Some(source) = self.sm_chart(tag, name) {
                sources.push(source);
            }
        }
        (song, sources)
    }

    /// A `.sm` chart: `#NOTES:stepstype:description:difficulty:meter:radar:notes;`.
    fn sm_chart<'a>(&mut self, tag: Tag<'a>, name: &str) -> Option<Source<'a>> {
        if tag.len() <= SM_NOTE_DATA {
            self.report.push(
                LossKind::ChartDropped,
                format!(
                    "#{name} at line {} has {} fields, StepMania needs 6: chart skipped",
                    tag.line(),
                    tag.len() - 1
                ),
            );
            return None;
        }
        let mut source = Source::new(tag, 0.0);
        source.steps_type = self.text(tag.param(1), &"steps type", tag);
        source.description = self.text(tag.param(2), &"chart description", tag);
        source.difficulty = self.text(tag.param(3), &"difficulty", tag);
        source.meter = parse_int(tag.param(4)).map(|m| m as f64);
        if self.keeps_extras() {
            source.chart_tags.push((
                KEY_RADAR.into(),
                self.text(tag.param(5), &"radar values", tag),
            ));
        }
        source.notes = tag.param(SM_NOTE_DATA);
        source.notes_size = source.notes.len() + tag.passed_over();
        Some(source)
    }

    pub(super) fn read_ssc<'a>(&mut self, msd: &'a Msd<'a>) -> (Song<'a>, Vec<Source<'a>>) {
        let mut song = Song {
            version: SSC_VERSION,
            timing: Vec::with_capacity(tags::SSC_TIMING.len()),
            // Room for the song-level tags of a typical file without a model field.
            extras: Vec::with_capacity(16),
            ..Song::default()
        };
        let mut sources = Vec::new();
        let mut current: Option<Source<'a>> = None;
        for tag in msd.tags() {
            let name = tag.name();
            if name == tags::VERSION {
                // Every #VERSION, song or chart, sets the version for what follows; junk is 0.
                song.version = parse_number(tag.param(1)).unwrap_or(0.0);
                if let Some(source) = current.as_mut() {
                    source.version = song.version;
                }
                continue;
            }
            if is_notes(name) {
                if let Some(mut source) = current.take() {
                    source.notes = tag.param(SSC_NOTE_DATA);
                    source.notes_size = source.notes.len() + tag.passed_over();
                    source.notes_tag = tag;
                    sources.push(source);
                    continue;
                }
            }
            let Some(source) = current.as_mut() else {
                if is_notes(name) {
                    self.report.push(
                        LossKind::ChartDropped,
                        format!(
                            "#{name} at line {} is outside a #NOTEDATA section: ignored, as \
                             StepMania ignores it",
                            tag.line()
                        ),
                    );
                } else if name == tags::NOTEDATA {
                    let mut source = Source::new(tag, song.version);
                    // Room for the chart's own timing tags, as most `.ssc` charts have them.
                    source.timing.reserve(tags::SSC_TIMING.len());
                    current = Some(source);
                } else if !self.song_tag(&mut song, tag, name) {
                    self.song_extra(&mut song, tag, name);
                }
                continue;
            };
            self.ssc_chart_tag(source, tag, name);
        }
        if let Some(source) = current {
            self.report.push(
                LossKind::ChartDropped,
                format!(
                    "chart at line {} has no #NOTES before the end of the file: skipped",
                    source.tag.line()
                ),
            );
        }
        (song, sources)
    }

    /// A tag inside a `#NOTEDATA` section, before its `#NOTES`.
    fn ssc_chart_tag<'a>(&mut self, source: &mut Source<'a>, tag: Tag<'a>, name: &str) {
        let value = tag.param(1);
        let what = TagName(name);
        match name {
            tags::STEPSTYPE => source.steps_type = self.text(value, &what, tag),
            tags::DESCRIPTION => source.description = self.text(value, &what, tag),
            tags::DIFFICULTY => source.difficulty = self.text(value, &what, tag),
            tags::METER => source.meter = parse_int(value).map(|m| m as f64),
            tags::CREDIT => source.credit = Some(self.text(value, &what, tag)),
            tags::MUSIC => source.music = Some(self.text(value, &what, tag)),
            tags::RADARVALUES if self.keeps_extras() => source
                .chart_tags
                .push((KEY_RADAR.into(), self.text(value, &what, tag))),
            tags::RADARVALUES => {}
            // StepMania ignores NOTEDATA inside a chart: the chart goes on.
            tags::NOTEDATA => {}
            _ if is_timing_tag(Dialect::Ssc, name) => {
                if source.version >= VERSION_SPLIT_TIMING {
                    source.timing.push(tag);
                    source.own_timing = true;
                } else {
                    self.report.push(
                        LossKind::TimingDropped,
                        format!(
                            "chart #{name} at line {} ignored: the file's #VERSION is below \
                             0.70, where StepMania has no per-chart timing",
                            tag.line()
                        ),
                    );
                }
            }
            _ if self.keeps_extras() => {
                let value = self.raw_value(tag, name);
                source
                    .chart_tags
                    .push(([CHART_PREFIX, name].concat(), value));
            }
            _ => {}
        }
    }
}
