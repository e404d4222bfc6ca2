//! The model's timing → StepMania timing tags: each event on a row, as near its time as the
//! 1/48-beat grid allows (or its row hint says), with the engine that then places notes.

use crate::formats::stepmania::extras::{SmExtras, TimingTags};
use crate::formats::stepmania::timing::{
    self, Engine, Event, Order, SmTiming, MAX_ROW, ROWS_PER_BEAT, ROWS_PER_MEASURE,
};
use crate::formats::stepmania::warps::{sm_as_read, FAST_BPM_WARP};
use crate::formats::stepmania::Dialect;
use crate::formats::text::us_from_seconds;
use crate::model::{
    scroll_set_at, ConversionReport, LossKind, TimingKind, TimingPoint, MAX_ABS_TIME_US,
};
use crate::timeline::tempo_change_resets_scroll;
use crate::{Chart, Error, Result};

/// A chart's timing as it will be written and read back, with the engine that places notes.
pub(super) struct FileTiming {
    /// What the tags say.
    pub written: SmTiming,
    /// What StepMania makes of them (the same, except for `.sm` warps).
    pub sm: SmTiming,
    pub engine: Engine,
    /// Meter of each BPM row, for `#TIMESIGNATURES` when the chart has no raw value.
    pub meters: Vec<(i64, u32)>,
    /// Rows added before the chart's start to give notes before its first BPM a place.
    pub shift_rows: i64,
    /// Timing extras of the chart this timing comes from.
    pub extras: TimingTags,
}

/// Whole µs from seconds.
pub(super) fn us(seconds: f64) -> i64 {
    (seconds * 1e6).round() as i64
}

/// The beat-0 time of a chart from the model: the first BPM point's time.
fn first_bpm(chart: &Chart) -> Option<(i64, f64)> {
    chart.timing.iter().find_map(|t| match t.kind {
        // StepMania drops BPMs of zero; the encoder leaves them out.
        TimingKind::Bpm { bpm, .. } if bpm != 0.0 => Some((t.time_us, bpm)),
        _ => None,
    })
}

impl FileTiming {
    pub fn new(
        chart: &Chart,
        extras: &SmExtras,
        index: usize,
        dialect: Dialect,
        report: &mut ConversionReport,
    ) -> Result<FileTiming> {
        if dialect == Dialect::Sm {
            refuse_warp_bpms(chart)?;
        }
        let start = Start::of(chart, index, extras.offset, report)?;
        let mut placer = Placer::new(chart, extras, &start, dialect);
        for (i, point) in chart.timing.iter().enumerate() {
            placer.place(i, point, report)?;
        }
        let Placer {
            mut sm,
            meters,
            scrolls_dropped,
            placed,
            row_hints,
            ..
        } = placer;
        if !row_hints.is_empty() {
            let rows: Vec<String> = (row_hints.iter())
                .map(|(kind, row)| {
                    format!(
                        "{kind} at beat {}",
                        timing::row_to_beat(row - start.shift_rows)
                    )
                })
                .collect();
            report.push(
                LossKind::TimingChanged,
                format!(
                    "chart {index}: timing events not on the rows the source file had them ({}): \
                     written where their times are",
                    rows.join(", ")
                ),
            );
        }
        if scrolls_dropped > 0 {
            report.push(
                LossKind::TimingDropped,
                format!("chart {index}: {scrolls_dropped} scroll speed change(s) dropped: .sm has no #SCROLLS"),
            );
        }
        tidy_lists(&mut sm, index, report);
        if dialect == Dialect::Ssc {
            let fakes = extras.timing.fakes().into_iter();
            let shift_rows = start.shift_rows;
            sm.fakes = timing::tidy(
                fakes
                    .map(|(b, v)| (timing::beat_to_row(b) + shift_rows, v))
                    .collect(),
            );
        }
        let written = sm.clone();
        let engine = engine_as_read(&mut sm, dialect, index, report);
        report_reordered(chart, &placed, &engine, report);
        Ok(FileTiming {
            written,
            sm,
            engine,
            meters: timing::tidy(meters),
            shift_rows: start.shift_rows,
            extras: extras.timing.clone(),
        })
    }
}

/// Where row 0 is: the first BPM point, or whole measures of its BPM before it when notes or
/// events come earlier (so that they have rows and the grid stays aligned).
struct Start {
    bpm_time: i64,
    bpm: f64,
    /// Audio time of row 0, in seconds.
    seconds: f64,
    shift_rows: i64,
}

impl Start {
    /// `offset`: the `#OFFSET` a read chart keeps when its first BPM's µs do not tell it.
    fn of(
        chart: &Chart,
        index: usize,
        offset: Option<f64>,
        report: &mut ConversionReport,
    ) -> Result<Start> {
        let earliest = chart
            .notes
            .iter()
            .map(|n| n.time_us)
            .chain(chart.timing.iter().map(|t| t.time_us))
            .min();
        let (bpm_time, bpm) = first_bpm(chart).unwrap_or_else(|| {
            report.push(
                LossKind::TimingChanged,
                format!("chart {index} has no BPM: written at 60 BPM, StepMania's default"),
            );
            (earliest.unwrap_or(0).min(0), 60.0)
        });
        let measure = 240.0 / bpm;
        let before = (bpm_time - earliest.unwrap_or(bpm_time)).max(0) as f64 / 1e6;
        let measures = (before / measure).ceil();
        if measures * ROWS_PER_MEASURE as f64 > MAX_ROW as f64 {
            return Err(Error::InvalidArgument(format!(
                "chart {index} is too long for StepMania note data: its notes start \
                 {measures} measures before its first BPM"
            )));
        }
        let seconds = match offset {
            // Still the chart's: its first BPM has not moved.
            Some(offset) if measures == 0.0 && us(-offset) == bpm_time => -offset,
            _ => bpm_time as f64 / 1e6 - measures * measure,
        };
        if measures > 0.0 {
            report
                .push(
                    LossKind::TimingChanged,
                    format!(
                        "chart {index}: the first BPM is extended {measures} measure(s) earlier so \
                         that the notes before it have a place (beat-timed extras such as \
                         #BGCHANGES are not moved)"
                    ),
                )
                .shifted(us(seconds).saturating_sub(bpm_time));
        }
        Ok(Start {
            bpm_time,
            bpm,
            seconds,
            shift_rows: measures as i64 * ROWS_PER_MEASURE,
        })
    }
}

/// Puts the model's timing points on rows, one by one, building the timing as it goes.
struct Placer<'c> {
    dialect: Dialect,
    timing: &'c [TimingPoint],
    first_bpm: f64,
    engine: Engine,
    sm: SmTiming,
    meters: Vec<(i64, u32)>,
    scrolls_dropped: usize,
    /// Whether the chart's own game resets the scroll speed to 1 at a tempo change (osu!,
    /// Quaver): StepMania keeps it, so the reset is written as a scroll.
    resets_scroll: bool,
    /// Each event written: (source index, row, order, time shift reported when placed).
    placed: Vec<(usize, i64, Order, i64)>,
    first_seen: bool,
    /// Rows of events inside warps, where the time alone does not tell the row.
    row_hints: Vec<(&'c str, i64)>,
    last_row: i64,
    /// The last BPM written (source index, row, time), while nothing else was written after
    /// its row: its tempo can still be tuned so that the next BPM change keeps its time.
    tunable: Option<(usize, i64, i64)>,
}

impl<'c> Placer<'c> {
    fn new(chart: &'c Chart, extras: &'c SmExtras, start: &Start, dialect: Dialect) -> Self {
        let first_meter = chart.timing.iter().find_map(|t| match t.kind {
            TimingKind::Bpm { bpm, meter } if bpm != 0.0 => Some(meter),
            _ => None,
        });
        let row_hints = extras.rows.timing_rows.iter();
        Placer {
            dialect,
            timing: &chart.timing,
            first_bpm: start.bpm,
            engine: Engine::new(-start.seconds, start.bpm),
            sm: SmTiming {
                offset: -start.seconds,
                bpms: vec![(0, start.bpm)],
                ..SmTiming::default()
            },
            meters: vec![(0, first_meter.unwrap_or(4))],
            scrolls_dropped: 0,
            resets_scroll: tempo_change_resets_scroll(chart),
            placed: Vec::new(),
            first_seen: false,
            row_hints: row_hints
                .map(|h| (h.kind.as_str(), h.row + start.shift_rows))
                .collect(),
            last_row: 0,
            tunable: first_bpm(chart)
                .and_then(|(t, _)| chart.timing.iter().position(|p| p.time_us == t))
                .map(|i| (i, 0, start.bpm_time)),
        }
    }

    /// The event a point is, and its order on a row; `None` for points not written here (a
    /// BPM of zero, the first BPM, which is row 0's).
    fn event(
        &mut self,
        i: usize,
        point: &TimingPoint,
        report: &mut ConversionReport,
    ) -> Option<(Option<Event>, Order)> {
        Some(match point.kind {
            TimingKind::Bpm { bpm: 0.0, .. } => {
                report
                    .push(
                        LossKind::TimingDropped,
                        "BPM of zero dropped: StepMania ignores it",
                    )
                    .at(i, point.time_us);
                return None;
            }
            TimingKind::Bpm { .. } if !self.first_seen => {
                self.first_seen = true;
                return None;
            }
            TimingKind::Bpm { bpm, .. } => (Some(Event::Bpm(bpm)), Order::Bpm),
            TimingKind::Scroll { .. } => (None, Order::Bpm),
            TimingKind::Stop { duration_us } => {
                let seconds = readable_seconds(i, point, duration_us, report);
                (Some(Event::Stop(seconds)), Order::Stop)
            }
            TimingKind::Delay { duration_us } => {
                let seconds = readable_seconds(i, point, duration_us, report);
                (Some(Event::Delay(seconds)), Order::Delay)
            }
            TimingKind::Warp { beats } => (Some(Event::Warp(beats)), Order::Warp),
        })
    }

    /// The row of a point (from its hint when one fits), and whether a hint gave it.
    fn row(&mut self, point: &TimingPoint, order: Order) -> (i64, bool) {
        let off_by = |row| us(self.engine.time_at(row, order)).abs_diff(point.time_us);
        let hints = (self.row_hints.iter().enumerate())
            .filter(|(_, &(kind, row))| kind == point.kind.name() && row >= self.last_row);
        // `near` would find an exact hint too; looking for one first stops at the first hint,
        // where most events find theirs, instead of timing every hint left.
        let exact = hints.clone().find(|(_, &(_, row))| off_by(row) == 0);
        // Durations are written in whole µs, while the source's times came from its exact
        // ones: each stop or delay written before this event may have moved its hinted row's
        // time by half a µs (a µs, with the rounding of times). Not by more: an event the
        // chart's own edit moved does not take its old row. The row is the event's place in
        // the chart's beats; it stays, and the µs are reported.
        let slack = (self.sm.stops.len() + self.sm.delays.len()) as u64 + 1;
        let near = || {
            hints
                .min_by_key(|(_, &(_, row))| off_by(row))
                .filter(|(_, &(_, row))| off_by(row) <= slack)
        };
        let hinted = exact.or_else(near).map(|(h, _)| h);
        match hinted {
            Some(h) => (self.row_hints.remove(h).1, true),
            None => {
                let seconds = point.time_us as f64 / 1e6;
                let row = self.engine.row_near(seconds, order).max(self.last_row);
                (row, false)
            }
        }
    }

    fn place(
        &mut self,
        i: usize,
        point: &TimingPoint,
        report: &mut ConversionReport,
    ) -> Result<()> {
        let Some((event, order)) = self.event(i, point, report) else {
            return Ok(());
        };
        let (row, hinted) = self.row(point, order);
        let is_scroll = matches!(point.kind, TimingKind::Scroll { .. });
        let dropped_scroll = is_scroll && self.dialect == Dialect::Sm;
        let is_bpm = matches!(event, Some(Event::Bpm(_)));
        if !is_bpm && !dropped_scroll && row != self.tunable.map_or(-1, |t| t.1) {
            self.tunable = None;
        }
        if let (true, Some(tunable), false) = (is_bpm, self.tunable, hinted) {
            self.retune(tunable, row, point, report);
        }
        let Some(time) = us_from_seconds(self.engine.time_at(row, order)) else {
            return Err(Error::InvalidArgument(format!(
                "timing point {i} ({}) would be read back beyond ±{MAX_ABS_TIME_US} µs: the \
                 chart's timing is too extreme for StepMania",
                point.kind.name()
            )));
        };
        let shift = time - point.time_us;
        if takes_no_time(point.kind) {
            let what = format!(
                "{} of zero length dropped: StepMania ignores it",
                point.kind.name()
            );
            report
                .push(LossKind::TimingDropped, what)
                .at(i, point.time_us);
            return Ok(());
        }
        if let TimingKind::Scroll { multiplier } = point.kind {
            match self.dialect {
                Dialect::Ssc => self.sm.scrolls.push((row, multiplier)),
                Dialect::Sm => {
                    self.scrolls_dropped += 1;
                    return Ok(());
                }
            }
        }
        if shift != 0 {
            let what = if hinted {
                "kept on its row, off its time by the whole µs of the durations written before it"
            } else {
                "moved to the 1/48-beat grid"
            };
            report
                .push(
                    LossKind::TimingChanged,
                    format!("{} {what}", point.kind.name()),
                )
                .at(i, point.time_us)
                .shifted(shift);
        }
        self.last_row = row;
        if is_bpm {
            self.tunable = Some((i, row, time));
        }
        if let Some(event) = event {
            self.placed.push((i, row, order, shift));
            self.push(row, event, point.kind);
        }
        if is_bpm && self.resets_scroll {
            self.reset_scroll(row, point.time_us);
        }
        Ok(())
    }

    /// The scroll speed 1 a tempo change gives in the chart's own game, unless a scroll
    /// change at the same time sets another (or it is 1 already).
    fn reset_scroll(&mut self, row: i64, time_us: i64) {
        let current = self.sm.scrolls.last().map_or(1.0, |s| s.1);
        if self.dialect == Dialect::Ssc && current != 1.0 && !scroll_set_at(self.timing, time_us) {
            self.sm.scrolls.push((row, 1.0));
        }
    }

    /// A BPM change off the grid: rather than move it (and every note after it), the tempo
    /// before it is tuned, by at most 1 %, so that its row falls on its time.
    fn retune(
        &mut self,
        (prev, prev_row, prev_time): (usize, i64, i64),
        row: i64,
        point: &TimingPoint,
        report: &mut ConversionReport,
    ) {
        let beats = (row - prev_row) as f64 / ROWS_PER_BEAT as f64;
        let seconds = (point.time_us - prev_time) as f64 / 1e6;
        let old = self.sm.bpms.last().map_or(self.first_bpm, |b| b.1);
        let tuned = beats * 60.0 / seconds;
        if us(self.engine.time_at(row, Order::Bpm)) != point.time_us
            && row > prev_row
            && seconds > 0.0
            && (tuned / old - 1.0).abs() <= 0.01
            && self.engine.retune_last_bpm(tuned)
        {
            if let Some(last) = self.sm.bpms.last_mut() {
                last.1 = tuned;
            }
            report
                .push(
                    LossKind::TimingChanged,
                    format!(
                        "bpm {old} written as {tuned} so that the next BPM change falls \
                         on the 1/48-beat grid at its own time"
                    ),
                )
                .at(prev, self.timing[prev].time_us);
        }
    }

    fn push(&mut self, row: i64, event: Event, kind: TimingKind) {
        self.engine.push(row, event);
        match event {
            Event::Bpm(v) => {
                if let TimingKind::Bpm { meter, .. } = kind {
                    self.meters.push((row, meter));
                }
                self.sm.bpms.push((row, v));
            }
            Event::Stop(v) => self.sm.stops.push((row, v)),
            Event::Delay(v) => self.sm.delays.push((row, v)),
            Event::Warp(v) => self.sm.warps.push((row, v)),
        }
    }
}

/// Events are placed one by one, but StepMania applies those of one row in its own order
/// (BPM, delay, stop, warp): one the chart lists first may take effect after another (a stop
/// before a delay on its row waits for the delay). Reports each event whose time in the whole
/// timing differs from the time reported when it was placed.
fn report_reordered(
    chart: &Chart,
    placed: &[(usize, i64, Order, i64)],
    engine: &Engine,
    report: &mut ConversionReport,
) {
    for &(i, row, order, shift) in placed {
        let point = &chart.timing[i];
        let time = us_from_seconds(engine.time_at(row, order)).unwrap_or(point.time_us);
        let final_shift = time.saturating_sub(point.time_us);
        if final_shift != shift {
            report
                .push(
                    LossKind::TimingChanged,
                    format!(
                        "{} takes effect at another time: StepMania applies the events of its \
                         row in its own order (BPM, delay, stop, warp)",
                        point.kind.name()
                    ),
                )
                .at(i, point.time_us)
                .shifted(final_shift);
        }
    }
}

/// The seconds a stop or delay is written with: at most the model's longest time, which is
/// what a longer one reads back as.
fn readable_seconds(
    i: usize,
    point: &TimingPoint,
    duration_us: i64,
    report: &mut ConversionReport,
) -> f64 {
    if duration_us > MAX_ABS_TIME_US {
        report
            .push(
                LossKind::TimingChanged,
                format!(
                    "{} of {duration_us} µs written as {MAX_ABS_TIME_US} µs, the longest a \
                     chart holds",
                    point.kind.name()
                ),
            )
            .at(i, point.time_us);
    }
    duration_us.min(MAX_ABS_TIME_US) as f64 / 1e6
}

/// A `.sm` BPM above 9,999,999 is read as a warp (and one at beat 0 as nothing at all), so
/// such a tempo cannot be written there without moving every note it times.
fn refuse_warp_bpms(chart: &Chart) -> Result<()> {
    for (i, point) in chart.timing.iter().enumerate() {
        if let TimingKind::Bpm { bpm, .. } = point.kind {
            if bpm > FAST_BPM_WARP {
                return Err(Error::InvalidArgument(format!(
                    "timing point {i}: BPM {bpm} is above the {FAST_BPM_WARP} that .sm can hold \
                     (StepMania reads a faster BPM in a .sm as a warp); write .ssc instead"
                )));
            }
        }
    }
    Ok(())
}

/// Stops, delays and warps StepMania ignores.
fn takes_no_time(kind: TimingKind) -> bool {
    match kind {
        TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => duration_us <= 0,
        TimingKind::Warp { beats } => beats <= 0.0,
        _ => false,
    }
}

/// Sorts each list, one event per row (the last wins); events that lost their row are reported.
fn tidy_lists(sm: &mut SmTiming, index: usize, report: &mut ConversionReport) {
    for (name, list) in [
        ("BPM", &mut sm.bpms),
        ("stop", &mut sm.stops),
        ("delay", &mut sm.delays),
        ("warp", &mut sm.warps),
        ("scroll", &mut sm.scrolls),
    ] {
        let before = list.len();
        *list = timing::tidy(std::mem::take(list));
        if list.len() < before {
            report.push(
                LossKind::TimingDropped,
                format!(
                    "chart {index}: {} {name} change(s) fell on the row of another and were dropped",
                    before - list.len()
                ),
            );
        }
    }
}

/// The engine of the timing as StepMania will read it: in `.sm`, warps are written as negative
/// stops and what StepMania makes of those is what counts (`sm` becomes that).
fn engine_as_read(
    sm: &mut SmTiming,
    dialect: Dialect,
    index: usize,
    report: &mut ConversionReport,
) -> Engine {
    if dialect == Dialect::Sm {
        let read = sm_as_read(sm);
        if read.bpms != sm.bpms || read.stops != sm.stops || read.warps != sm.warps {
            report.push(
                LossKind::TimingChanged,
                format!(
                    "chart {index}: warps written as negative stops (.sm has no #WARPS) do not \
                     read back exactly (a BPM change inside a warp, a stop on its row, a tempo \
                     too fast for the stop's precision, or a length off by float rounding): the \
                     BPMs, stops, delays and warps StepMania reads differ"
                ),
            );
        }
        sm.bpms = read.bpms;
        sm.stops = read.stops;
        sm.warps = read.warps;
        sm.offset = read.offset;
    }
    Engine::build(sm)
}
