//! Timing tags → StepMania's timing (`SmTiming`) → the model's timing list.

use std::rc::Rc;

use super::{us_from_seconds, Reader, Source, VERSION_SPLIT_TIMING};
use crate::formats::stepmania::extras::{TimingRow, TimingTags, TIMING_EXTRAS};
use crate::formats::stepmania::msd::Tag;
use crate::formats::stepmania::tags;
use crate::formats::stepmania::timing::{self, Engine, Event, Order, SmTiming};
use crate::formats::stepmania::values::{beat_text, beat_values, entries, parse_int, parse_number};
use crate::formats::stepmania::warps::sm_bpms_and_stops;
use crate::formats::stepmania::Dialect;
use crate::model::{LossKind, TimingKind, TimingPoint, MAX_ABS_TIME_US};

/// A chart's timing as StepMania would use it, with what the model keeps elsewhere.
#[derive(Clone)]
pub(super) struct ChartTiming {
    pub sm: SmTiming,
    /// (row, numerator, denominator), tidied.
    pub signatures: Vec<(i64, (u32, u32))>,
    /// Timing tags without a model place (time signatures aside: see `meters`).
    pub extras: TimingTags,
}

impl ChartTiming {
    /// StepMania's `TimingData::empty`: nothing at all was given.
    pub fn is_empty(&self) -> bool {
        let t = &self.sm;
        t.bpms.is_empty()
            && t.stops.is_empty()
            && t.delays.is_empty()
            && t.warps.is_empty()
            && t.scrolls.is_empty()
            && t.fakes.is_empty()
            && self.signatures.is_empty()
            && self.extras.is_blank()
    }

    /// Whether a chart's (tidied) timing is this song timing. When the first chart has its own
    /// timing and it is not, the writer (which puts the first chart's timing at song level)
    /// replaces it.
    pub fn same_as_song(&self, chart: &ChartTiming) -> bool {
        let mut song_timing = self.clone();
        song_timing.sm.tidy_up();
        song_timing.sm == chart.sm
            && song_timing.signatures == chart.signatures
            && song_timing.extras.same_as(&chart.extras)
    }
}

/// A chart's timing built: StepMania's (tidied) and its engine, the model's timing points and
/// what `SmExtras` keeps of it. Charts with the same timing share one.
pub(super) struct BuiltTiming {
    /// The timing tags it was built from (see `timing_key`).
    key: Vec<u8>,
    pub timing: ChartTiming,
    pub engine: Engine,
    pub points: Vec<TimingPoint>,
    /// `#TIMESIGNATURES` as kept raw, when the BPM meters cannot say it (see `meters`).
    signatures_raw: Option<String>,
    pub rows: Vec<TimingRow>,
}

impl BuiltTiming {
    /// The timing tags a chart with this timing keeps in its extras.
    pub fn extras(&self) -> TimingTags {
        let mut extras = self.timing.extras.clone();
        if let Some(raw) = &self.signatures_raw {
            extras.set(tags::TIMESIGNATURES, raw.clone());
        }
        extras
    }
}

/// What a chart's timing is built from: the song's timing, or its own tags (names and values)
/// and the `#VERSION` they are read under.
fn timing_key(source: &Source) -> Vec<u8> {
    if !source.own_timing {
        return Vec::new();
    }
    const LENGTH: usize = std::mem::size_of::<usize>();
    let tag_size =
        |tag: &Tag| -> usize { (0..tag.len()).map(|i| tag.param(i).len() + LENGTH).sum() };
    let size: usize = source.timing.iter().map(|tag| tag_size(tag) + 1).sum();
    let mut key = Vec::with_capacity(8 + size);
    key.extend_from_slice(&source.version.to_bits().to_le_bytes());
    for tag in &source.timing {
        for i in 0..tag.len() {
            key.extend_from_slice(&tag.param(i).len().to_le_bytes());
            key.extend_from_slice(tag.param(i));
        }
        key.push(b';');
    }
    key
}

/// The last of each tag (the one StepMania keeps), `FREEZES` read as `STOPS`; in no order.
fn latest<'a>(tags: &[Tag<'a>]) -> Vec<(&'a str, Tag<'a>)> {
    let mut latest: Vec<(&str, Tag)> = Vec::with_capacity(tags.len());
    for tag in tags {
        let name = match tag.name() {
            tags::FREEZES => tags::STOPS,
            name => name,
        };
        match latest.iter_mut().find(|(n, _)| *n == name) {
            Some(kept) => kept.1 = *tag,
            None => latest.push((name, *tag)),
        }
    }
    latest
}

fn find<'a>(latest: &[(&'a str, Tag<'a>)], name: &str) -> Option<Tag<'a>> {
    latest.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

fn to_rows(list: Vec<(f64, f64)>) -> Vec<(i64, f64)> {
    timing::tidy(
        list.into_iter()
            .map(|(b, v)| (timing::beat_to_row(b), v))
            .collect(),
    )
}

impl Reader<'_> {
    /// The timing `source` plays with: its own, or the song's when it has none (or its own
    /// came out empty: `Steps::GetTimingData`). A `.ssc` file often repeats one timing in
    /// every chart: a chart's building is reused for later charts with the same tags when
    /// building them reported nothing (a report names the tags' lines).
    pub(super) fn built_timing(
        &mut self,
        song_timing: &ChartTiming,
        source: &Source,
    ) -> crate::Result<Rc<BuiltTiming>> {
        let key = timing_key(source);
        if let Some(built) = self.built_timings.iter().find(|b| b.key == key) {
            self.limits.check_timing_points(built.points.len())?;
            return Ok(Rc::clone(built));
        }
        let reported = self.report.entries.len();
        let own = source.own_timing.then(|| {
            let offset = song_timing.sm.offset;
            self.timing(&source.timing, offset, source.version)
        });
        let mut timing = match own {
            Some(own) if !own.is_empty() => own,
            _ => song_timing.clone(),
        };
        timing.sm.tidy_up();
        let mut built = BuiltTiming {
            key,
            engine: Engine::build(&timing.sm),
            timing,
            points: Vec::new(),
            signatures_raw: None,
            rows: Vec::new(),
        };
        self.model_timing(&mut built)?;
        let built = Rc::new(built);
        if self.report.entries.len() == reported {
            self.built_timings.push(Rc::clone(&built));
        }
        Ok(built)
    }

    /// Timing from timing tags, as StepMania's loaders build it (the last of a repeated tag
    /// wins). Entries StepMania ignores are reported.
    pub(super) fn timing(&mut self, tags: &[Tag], offset: f64, version: f64) -> ChartTiming {
        let latest = latest(tags);
        let mut sm = SmTiming {
            offset,
            ..SmTiming::default()
        };
        if let Some(tag) = find(&latest, tags::OFFSET) {
            sm.offset = parse_number(tag.param(1)).unwrap_or_else(|| {
                self.report.push(
                    LossKind::TimingChanged,
                    format!("#OFFSET at line {} is not a number: read as 0", tag.line()),
                );
                0.0
            });
        }
        self.timing_lists(&mut sm, &latest, version);
        let signatures = match find(&latest, tags::TIMESIGNATURES) {
            Some(tag) => self.signatures(tag),
            None => Vec::new(),
        };
        let mut extras = TimingTags::default();
        for (name, _) in TIMING_EXTRAS {
            let applies = match name {
                // Kept raw only when the BPM meters cannot say it (see `meters`).
                tags::TIMESIGNATURES => false,
                tags::TICKCOUNTS => true,
                _ => self.dialect == Dialect::Ssc,
            };
            if let Some(tag) = find(&latest, name).filter(|_| applies) {
                let value = self.raw_value(tag, name);
                extras.set(name, value);
            }
        }
        ChartTiming {
            sm,
            signatures,
            extras,
        }
    }

    /// The `beat=value` lists of a timing.
    fn timing_lists(&mut self, sm: &mut SmTiming, latest: &[(&str, Tag)], version: f64) {
        let sm_dialect = self.dialect == Dialect::Sm;
        let mut pairs = |name: &str, keep: &dyn Fn(f64, f64) -> bool| match find(latest, name) {
            Some(tag) => self.pairs(tag, name, keep),
            None => Vec::new(),
        };
        if sm_dialect {
            let bpms = pairs(tags::BPMS, &|_, v| v != 0.0);
            let stops = pairs(tags::STOPS, &|_, v| v != 0.0);
            sm_bpms_and_stops(sm, &bpms, &stops);
        } else {
            sm.bpms = to_rows(pairs(tags::BPMS, &|b, v| b >= 0.0 && v > 0.0));
            sm.stops = to_rows(pairs(tags::STOPS, &|b, v| b >= 0.0 && v > 0.0));
            // Before 0.70 a warp gave its end beat, not its length.
            let warps = pairs(tags::WARPS, &|b, v| b >= 0.0 && (v > 0.0 || v > b))
                .into_iter()
                .map(|(b, v)| {
                    let end_beat = version < VERSION_SPLIT_TIMING && v > b;
                    (b, if end_beat { v - b } else { v })
                })
                .collect();
            sm.warps = to_rows(warps);
            sm.scrolls = to_rows(pairs(tags::SCROLLS, &|b, _| b >= 0.0));
            sm.fakes = to_rows(pairs(tags::FAKES, &|b, v| b >= 0.0 && v > 0.0));
        }
        sm.delays = to_rows(pairs(tags::DELAYS, &|b, v| b >= 0.0 && v > 0.0));
    }

    /// A `beat=value` list; `keep` says whether StepMania takes a (beat, value). Entries it
    /// does not take are reported.
    fn pairs(&mut self, tag: Tag, name: &str, keep: &dyn Fn(f64, f64) -> bool) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for (entry, parsed) in beat_values(tag.param(1)) {
            match parsed {
                Some((beat, value)) if keep(beat, value) => out.push((beat, value)),
                _ => self.ignored(name, entry, tag),
            }
        }
        out
    }

    fn ignored(&mut self, name: &str, entry: &[u8], tag: Tag) {
        self.report.push(
            LossKind::TimingDropped,
            format!(
                "#{name} entry '{}' at line {} ignored, as StepMania does",
                String::from_utf8_lossy(entry).trim(),
                tag.line()
            ),
        );
    }

    /// `#TIMESIGNATURES`: `beat=numerator=denominator` entries, tidied.
    fn signatures(&mut self, tag: Tag) -> Vec<(i64, (u32, u32))> {
        let mut signatures = Vec::new();
        for (entry, parts) in entries(tag.param(1)) {
            let parsed = match parts.as_slice() {
                [beat, num, den, ..] => parse_number(beat)
                    .zip(parse_int(num))
                    .zip(parse_int(den))
                    .filter(|((b, n), d)| *b >= 0.0 && *n >= 1 && *d >= 1)
                    .map(|((b, n), d)| {
                        let (n, d) = (n.min(1 << 20) as u32, d.min(1 << 20) as u32);
                        (timing::beat_to_row(b), (n, d))
                    }),
                _ => None,
            };
            match parsed {
                Some(s) => signatures.push(s),
                None => self.ignored(tags::TIMESIGNATURES, entry, tag),
            }
        }
        timing::tidy(signatures)
    }

    /// The model's timing list: BPMs (with meters), scrolls, delays, stops and warps at the
    /// moment StepMania applies them, in its order for one row. Time signatures the meters
    /// cannot say, and rows the times cannot tell, go to `extras` (not for `peek`).
    fn model_timing(&mut self, built: &mut BuiltTiming) -> crate::Result<()> {
        let (timing, engine) = (&built.timing, &built.engine);
        let t = &timing.sm;
        let meters = meters(&t.bpms, &timing.signatures);
        let events = events(t, &meters.values);
        built.points.reserve(events.len());
        for &(row, order, kind) in &events {
            match us_from_seconds(engine.time_at(row, order)) {
                Some(time_us) => {
                    self.limits.check_timing_points(built.points.len() + 1)?;
                    built.points.push(TimingPoint::new(time_us, kind));
                }
                None => {
                    self.report.push(
                        LossKind::TimingDropped,
                        format!(
                            "{} at beat {} dropped: its time is out of range",
                            kind.name(),
                            beat_text(row)
                        ),
                    );
                }
            }
        }
        if self.keeps_extras() {
            if !meters.exact {
                let raw = timing
                    .signatures
                    .iter()
                    .map(|&(row, (n, d))| format!("{}={n}={d}", beat_text(row)))
                    .collect::<Vec<_>>()
                    .join(",");
                built.signatures_raw = Some(raw);
            }
            built.rows = row_hints(&writer_rows(t, engine, &events));
        }
        Ok(())
    }
}

/// (kind, row, whether the row is lost) of each event the writer sees. The writer finds each
/// event's row from its time on the timing written so far; it needs a hint wherever that
/// differs from the whole timing's answer or the row.
fn writer_rows(
    t: &SmTiming,
    engine: &Engine,
    events: &[(i64, Order, TimingKind)],
) -> Vec<(&'static str, i64, bool)> {
    let mut written_so_far = Engine::new(t.offset, t.bpms.first().map_or(60.0, |b| b.1));
    written_so_far.reserve(events.len());
    let mut rows = Vec::new();
    let mut first = true;
    for &(row, order, kind) in events {
        let time_us = us_from_seconds(engine.time_at(row, order));
        // At tempos of millions of BPM many rows share a µs: the writer, whose timing has the
        // model's whole-µs durations (as `written_so_far` has), may not find the row from the
        // time. What it finds is all that matters: the file's own exact durations would ask
        // for hints its written copy, read again, does not (a round trip must give the same
        // hints). Inside a warp every row shares a time (`in_warp` below).
        let row_lost =
            time_us.is_some_and(|t| written_so_far.row_near(t as f64 / 1e6, order) != row);
        if let Some(event) = engine_event(kind) {
            written_so_far.push(row, event);
        }
        // A dropped event (its time out of range) needs no row: the writer never sees it;
        // nor does the first BPM, which the writer puts on row 0.
        let first_bpm = matches!(kind, TimingKind::Bpm { .. }) && std::mem::take(&mut first);
        if time_us.is_some() && !first_bpm {
            rows.push((kind.name(), row, row_lost || in_warp(t, engine, row, order)));
        }
    }
    rows
}

/// Row hints for the events whose rows are lost. The writer gives each event the first hint of
/// its kind whose row has its time so far, so a later event's hint could go to an earlier one
/// of the same time: once one event of a kind needs a hint, every event of that kind gets one.
fn row_hints(rows: &[(&'static str, i64, bool)]) -> Vec<TimingRow> {
    let mut kinds: Vec<&str> = rows.iter().filter(|r| r.2).map(|r| r.0).collect();
    kinds.dedup();
    rows.iter()
        .filter(|&&(kind, _, _)| kinds.contains(&kind))
        .map(|&(kind, row, _)| TimingRow {
            kind: kind.to_owned(),
            row,
        })
        .collect()
}

/// The model's timing events with their rows, in StepMania's order for one row.
fn events(t: &SmTiming, meters: &[u32]) -> Vec<(i64, Order, TimingKind)> {
    use TimingKind as K;
    let duration = |s: f64| us_from_seconds(s).unwrap_or(MAX_ABS_TIME_US);
    // (row, order, rank within the order, point)
    let mut events: Vec<(i64, Order, u8, TimingKind)> = Vec::new();
    for (&(row, bpm), &meter) in t.bpms.iter().zip(meters) {
        events.push((row, Order::Bpm, 0, K::Bpm { bpm, meter }));
    }
    for &(row, multiplier) in &t.scrolls {
        events.push((row, Order::Bpm, 1, K::Scroll { multiplier }));
    }
    for &(row, s) in &t.delays {
        let duration_us = duration(s);
        events.push((row, Order::Delay, 0, K::Delay { duration_us }));
    }
    for &(row, s) in &t.stops {
        let duration_us = duration(s);
        events.push((row, Order::Stop, 0, K::Stop { duration_us }));
    }
    for &(row, beats) in &t.warps {
        events.push((row, Order::Warp, 0, K::Warp { beats }));
    }
    events.sort_by_key(|e| (e.0, e.1, e.2));
    events
        .into_iter()
        .map(|(row, order, _, kind)| (row, order, kind))
        .collect()
}

/// The engine's event for a model timing point (scrolls do not move time).
fn engine_event(kind: TimingKind) -> Option<Event> {
    match kind {
        TimingKind::Bpm { bpm, .. } => Some(Event::Bpm(bpm)),
        TimingKind::Stop { duration_us } => Some(Event::Stop(duration_us as f64 / 1e6)),
        TimingKind::Delay { duration_us } => Some(Event::Delay(duration_us as f64 / 1e6)),
        TimingKind::Warp { beats } => Some(Event::Warp(beats)),
        TimingKind::Scroll { .. } => None,
    }
}

/// Whether an event is between a warp's start and its end, where every row has one time (a
/// warp's own start is told by its time).
fn in_warp(t: &SmTiming, engine: &Engine, row: i64, order: Order) -> bool {
    let before = t
        .warps
        .partition_point(|w| w.0 < row + i64::from(order != Order::Warp));
    // A warp the model drops (its time out of range) is not there to be inside, nor does it
    // hide the one before: the last warp kept counts. (Times never decrease, so only a warp
    // starting on the event's own row, after it, can be dropped here.)
    let kept = t.warps[..before]
        .iter()
        .rev()
        .find(|&&(start, _)| us_from_seconds(engine.time_at(start, Order::Warp)).is_some());
    kept.is_some_and(|&(start, beats)| row <= start + timing::beat_to_row(beats))
}

/// Meters of the BPM points from `#TIMESIGNATURES`, and whether they say all of it (every
/// signature on a BPM row, in quarter notes, the first at row 0).
struct Meters {
    values: Vec<u32>,
    exact: bool,
}

fn meters(bpms: &[(i64, f64)], signatures: &[(i64, (u32, u32))]) -> Meters {
    let meter = |&(_, (num, den)): &(i64, (u32, u32))| {
        if den == 4 {
            num
        } else {
            ((f64::from(num) * 4.0 / f64::from(den)).round() as u32).max(1)
        }
    };
    let values = bpms
        .iter()
        .map(|&(row, _)| {
            let i = signatures.partition_point(|s| s.0 <= row);
            i.checked_sub(1).map_or(4, |i| meter(&signatures[i]))
        })
        .collect();
    let mut previous = (4, 4);
    let exact = signatures.first().map_or(true, |s| s.0 == 0)
        && signatures.iter().all(|s| {
            let same = s.1 == previous;
            previous = s.1;
            s.1 .1 == 4 && (same || bpms.binary_search_by_key(&s.0, |b| b.0).is_ok())
        });
    Meters { values, exact }
}
