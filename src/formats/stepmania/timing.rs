//! StepMania's beat ↔ time engine: `TimingData::GetElapsedTimeInternal` and its lookup
//! tables, in f64 and with rows of 1/48 beat, plus the inverse the writer needs.
//!
//! The timing events are swept once, in StepMania's order, into segments (the state after each
//! event); a time query is a binary search over them, so converting n notes against e events
//! costs O((n + e) log e) instead of a rescan per note.

use std::cell::Cell;

use crate::formats::text::us_from_seconds;

/// StepMania's grid: every note and timing event sits on a row of 1/48 beat.
pub const ROWS_PER_BEAT: i64 = 48;
/// Rows per measure of note data (always 4 beats, whatever the time signature).
pub const ROWS_PER_MEASURE: i64 = 4 * ROWS_PER_BEAT;
/// StepMania's `MAX_NOTE_ROW`: rows beyond it are clamped (timing) or refused (notes).
pub const MAX_ROW: i64 = 1 << 30;
/// The row of a beat: `round(beat * 48)`, ties away from zero, clamped to ±`MAX_ROW`.
pub fn beat_to_row(beat: f64) -> i64 {
    clamp_row((beat * ROWS_PER_BEAT as f64).round())
}

/// A float row estimate as a row in range (NaN counts as row 0).
fn clamp_row(row: f64) -> i64 {
    if row.is_nan() {
        0
    } else {
        row.clamp(-(MAX_ROW as f64), MAX_ROW as f64) as i64
    }
}

/// How many of the rows `0..span` `before` holds for, when it holds for a prefix of them: a
/// `partition_point` over rows, which are too many to list.
fn partition_rows(span: i64, before: impl Fn(i64) -> bool) -> i64 {
    let (mut low, mut high) = (0, span);
    while low < high {
        let middle = low + (high - low) / 2;
        if before(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

pub fn row_to_beat(row: i64) -> f64 {
    row as f64 / ROWS_PER_BEAT as f64
}

/// The order in which StepMania handles things that fall on one row (`FindEvent`): reaching a
/// warp's end, a BPM change, a delay, a note, a stop, a warp's start. A note on a delay row is
/// hit after the delay; a note on a stop row when the stop starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Order {
    WarpEnd,
    Bpm,
    Delay,
    Note,
    Stop,
    Warp,
}

/// The timing of one chart as StepMania holds it after loading: rows, seconds, beats.
/// Lists are sorted by row with at most one entry per row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SmTiming {
    /// `#OFFSET`: beat 0 is at audio time −offset seconds.
    pub offset: f64,
    /// (row, BPM > 0); the first is at row 0.
    pub bpms: Vec<(i64, f64)>,
    /// (row, seconds > 0).
    pub stops: Vec<(i64, f64)>,
    pub delays: Vec<(i64, f64)>,
    /// (row, length in beats > 0).
    pub warps: Vec<(i64, f64)>,
    /// (row, multiplier): visual only, not part of the engine.
    pub scrolls: Vec<(i64, f64)>,
    /// (row, length in beats > 0) of `#FAKES` ranges: notes there are not judged.
    pub fakes: Vec<(i64, f64)>,
}

/// A list of (row, value) as StepMania's `AddSegment` leaves it: sorted by row, the last
/// value given for a row wins.
pub fn tidy<T: Copy>(mut list: Vec<(i64, T)>) -> Vec<(i64, T)> {
    list.sort_by_key(|e| e.0);
    list.dedup_by(|later, kept| {
        let same_row = later.0 == kept.0;
        if same_row {
            *kept = *later;
        }
        same_row
    });
    list
}

impl SmTiming {
    /// `TimingData::TidyUpData`: a chart without BPMs plays at 60, and the first BPM applies
    /// from row 0 whatever row it was given at.
    pub fn tidy_up(&mut self) {
        match self.bpms.first_mut() {
            Some(first) => first.0 = 0,
            None => self.bpms.push((0, 60.0)),
        }
    }

    /// `TimingData::IsWarpAtRow || IsFakeAtRow`: whether StepMania leaves a note at `row`
    /// unjudged. A warp's first row is inside it, its end row is not; a stop or delay on the
    /// row makes an exception inside a warp (so that stop-warp-stop gimmicks stay playable).
    pub fn is_unjudged(&self, row: i64) -> bool {
        let inside = |list: &[(i64, f64)]| {
            let i = list.partition_point(|e| e.0 <= row);
            i > 0 && {
                let (start, length) = list[i - 1];
                (row as f64) < start as f64 + length * ROWS_PER_BEAT as f64
            }
        };
        let has_row = |list: &[(i64, f64)]| list.binary_search_by_key(&row, |e| e.0).is_ok();
        (inside(&self.warps) && !has_row(&self.stops) && !has_row(&self.delays))
            || inside(&self.fakes)
    }

    /// The first row of the #FAKES range `row` is in, and the first row after it.
    pub fn fakes_around(&self, row: i64) -> Option<(i64, i64)> {
        let i = self.fakes.partition_point(|e| e.0 <= row);
        let (start, length) = self.fakes[i.checked_sub(1)?];
        let end = clamp_row((start as f64 + length * ROWS_PER_BEAT as f64).ceil());
        (row < end).then_some((start, end))
    }
}

/// The state after one timing event.
#[derive(Clone, Copy, Debug)]
struct Segment {
    row: i64,
    order: Order,
    /// Elapsed seconds from beat 0 once the event has been applied.
    time: f64,
    /// Beats per second from here.
    bps: f64,
    /// While warping: the row where the warp ends.
    warp_end: Option<i64>,
}

/// A timing event for `Engine::push`.
#[derive(Clone, Copy, Debug)]
pub enum Event {
    Bpm(f64),
    Stop(f64),
    Delay(f64),
    /// Length in beats.
    Warp(f64),
}

impl Event {
    pub fn order(self) -> Order {
        match self {
            Event::Bpm(_) => Order::Bpm,
            Event::Stop(_) => Order::Stop,
            Event::Delay(_) => Order::Delay,
            Event::Warp(_) => Order::Warp,
        }
    }
}

/// `Engine::time_at`, starting each search where the last one ended: the same results,
/// without a binary search over every segment for each of tens of thousands of notes.
pub struct Cursor<'e> {
    engine: &'e Engine,
    position: Cell<usize>,
    /// The last `time_at` asked and its answer: the notes of a chord share their row.
    last: Cell<Option<(i64, Order, f64)>>,
}

impl Cursor<'_> {
    /// How far a search looks ahead one segment at a time before it searches the rest.
    const STEPS: usize = 4;

    pub fn time_at(&self, row: i64, order: Order) -> f64 {
        if let Some((last_row, last_order, time)) = self.last.get() {
            if (last_row, last_order) == (row, order) {
                return time;
            }
        }
        let i = self.partition(|s| (s.row, s.order) < (row, order));
        let time = self.engine.time_in(i, row);
        self.last.set(Some((row, order, time)));
        time
    }

    pub fn row_near(&self, seconds: f64, order: Order) -> i64 {
        let elapsed = seconds + self.engine.offset;
        let i = self.partition(|s| s.time <= elapsed);
        self.engine.row_near_in(i, seconds, order)
    }

    /// The number of segments `before` holds for (a prefix of them, as for `partition_point`),
    /// searched from where the last search ended when that is not past them.
    fn partition(&self, before: impl Fn(&Segment) -> bool) -> usize {
        let segments = &self.engine.segments;
        let from = self.position.get();
        let i = if from == 0 || before(&segments[from - 1]) {
            let near = &segments[from..(from + Self::STEPS).min(segments.len())];
            match near.iter().position(|s| !before(s)) {
                Some(k) => from + k,
                None => {
                    let rest = from + near.len();
                    rest + segments[rest..].partition_point(before)
                }
            }
        } else {
            segments.partition_point(before)
        };
        self.position.set(i);
        i
    }
}

/// Beat ↔ time for one `SmTiming`.
#[derive(Clone, Debug)]
pub struct Engine {
    offset: f64,
    segments: Vec<Segment>,
    has_warps: bool,
    /// Rows of the stops and delays, which StepMania judges inside a warp.
    pauses: Vec<i64>,
}

impl Engine {
    /// An engine with only the first BPM (at row 0); events are added with `push`.
    pub fn new(offset: f64, first_bpm: f64) -> Engine {
        Engine {
            offset,
            has_warps: false,
            pauses: Vec::new(),
            segments: vec![Segment {
                row: 0,
                order: Order::Bpm,
                time: 0.0,
                bps: first_bpm / 60.0,
                warp_end: None,
            }],
        }
    }

    /// The engine of a tidied `SmTiming` (first BPM at row 0).
    pub fn build(timing: &SmTiming) -> Engine {
        let first = timing.bpms.first().map_or(60.0, |b| b.1);
        let mut engine = Engine::new(timing.offset, first);
        let mut events: Vec<(i64, Event)> = Vec::with_capacity(
            timing.bpms.len() + timing.stops.len() + timing.delays.len() + timing.warps.len(),
        );
        engine.reserve(events.capacity());
        events.extend(timing.bpms.iter().skip(1).map(|&(r, v)| (r, Event::Bpm(v))));
        events.extend(timing.stops.iter().map(|&(r, v)| (r, Event::Stop(v))));
        events.extend(timing.delays.iter().map(|&(r, v)| (r, Event::Delay(v))));
        events.extend(timing.warps.iter().map(|&(r, v)| (r, Event::Warp(v))));
        events.sort_by_key(|&(row, event)| (row, event.order()));
        for (row, event) in events {
            engine.push(row, event);
        }
        engine
    }

    /// Room for `events` more events (warps take two segments: their ends may grow it).
    pub fn reserve(&mut self, events: usize) {
        self.segments.reserve(events);
    }

    fn last(&self) -> Segment {
        *self.segments.last().expect("an engine has its first BPM")
    }

    /// Applies an event at `row`. Events come in (row, order) order; one that would come
    /// before the last is applied at the last event's place instead.
    pub fn push(&mut self, row: i64, event: Event) {
        let mut last = self.last();
        let (row, order) = (row, event.order()).max((last.row, last.order));
        if let Some(end) = last.warp_end.filter(|&end| end <= row) {
            last = Segment {
                row: end,
                order: Order::WarpEnd,
                warp_end: None,
                ..last
            };
            self.segments.push(last);
        }
        let mut next = Segment {
            row,
            order,
            time: self.elapsed_in(&last, row),
            ..last
        };
        match event {
            Event::Bpm(bpm) => next.bps = bpm / 60.0,
            Event::Stop(seconds) | Event::Delay(seconds) => {
                next.time += seconds;
                self.pauses.push(row);
            }
            Event::Warp(beats) => {
                self.has_warps = true;
                let end = row.saturating_add(beat_to_row(beats)).min(MAX_ROW);
                next.warp_end = Some(last.warp_end.map_or(end, |e| e.max(end)));
            }
        }
        self.segments.push(next);
    }

    /// Sets the tempo of the last event when it is a BPM change (or the first BPM) with no
    /// warp running; returns whether it did.
    pub fn retune_last_bpm(&mut self, bpm: f64) -> bool {
        match self.segments.last_mut() {
            Some(s) if s.order == Order::Bpm && s.warp_end.is_none() => {
                s.bps = bpm / 60.0;
                true
            }
            _ => false,
        }
    }

    /// Elapsed seconds at `row`, within the stretch after `segment` (no event in between).
    fn elapsed_in(&self, segment: &Segment, row: i64) -> f64 {
        let rows_per_second = segment.bps * ROWS_PER_BEAT as f64;
        match segment.warp_end {
            Some(end) if row >= end => segment.time + (row - end) as f64 / rows_per_second,
            Some(_) => segment.time,
            None => segment.time + (row - segment.row) as f64 / rows_per_second,
        }
    }

    /// The first of the rows up to `row` that share its time (as a note): inside a warp the
    /// rows take no time, at a tempo of millions of BPM many rows share a µs, and a hold may
    /// end on the first of them, clear of the notes after it. Steps back across segments,
    /// never row by row.
    pub fn first_row_timed_as(&self, row: i64) -> i64 {
        let time = self.time_at(row, Order::Note);
        let mut first = row;
        loop {
            let i = self
                .segments
                .partition_point(|s| (s.row, s.order) < (first, Order::Note));
            let Some(segment) = i.checked_sub(1).map(|i| self.segments[i]) else {
                return first;
            };
            // The first row this segment times (a note on a stop's or warp's row comes first).
            let own_first = segment.row + i64::from(segment.order > Order::Note);
            if segment.warp_end.is_some_and(|end| first <= end) {
                first = own_first;
            } else {
                // Times rise with rows after the segment's start (BPMs are positive): the
                // first row of this time in it, by bisection. Most rows differ in time from
                // the row before (only tempos of millions of BPM share a µs), so that is
                // checked first.
                let span = first - own_first;
                if span > 0 && self.time_at(first - 1, Order::Note) != time {
                    return first;
                }
                let rows_before =
                    partition_rows(span, |k| self.time_at(own_first + k, Order::Note) < time);
                first = own_first + rows_before;
                if first > own_first {
                    return first;
                }
            }
            if self.time_at(first - 1, Order::Note) != time {
                return first;
            }
            first -= 1;
        }
    }

    /// Audio time in seconds of something at `row` handled in `order` (`Order::Note` for notes
    /// and hold ends; a timing event's own order for the moment it takes effect). Rows before
    /// beat 0 extend the first BPM backwards, as StepMania does.
    pub fn time_at(&self, row: i64, order: Order) -> f64 {
        let i = self
            .segments
            .partition_point(|s| (s.row, s.order) < (row, order));
        self.time_in(i, row)
    }

    /// Whether every row from 0 to `last_row` has a note time in the model's range (see
    /// `us_from_seconds`), so that no note there can fail a chart for its time. Between two events the
    /// time is monotonic in the row (float rounding keeps that), so each stretch's ends tell.
    pub fn note_times_in_range(&self, last_row: i64) -> bool {
        let ends = self
            .segments
            .iter()
            .skip(1)
            .map(|s| s.row)
            .chain([last_row]);
        self.segments.iter().zip(ends).all(|(segment, next)| {
            let (first, last) = (segment.row.max(0), next.min(last_row));
            first > last
                || [first, last].iter().all(|&row| {
                    us_from_seconds(self.elapsed_in(segment, row) - self.offset).is_some()
                })
        })
    }

    /// `time_at` where `i` is the number of segments before (row, order).
    fn time_in(&self, i: usize, row: i64) -> f64 {
        let segment = &self.segments[i.saturating_sub(1)];
        self.elapsed_in(segment, row) - self.offset
    }

    /// A `time_at` for rows that mostly come in order (a chart's notes).
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            engine: self,
            position: Cell::new(0),
            last: Cell::new(None),
        }
    }

    /// The row whose `time_at(row, order)` is nearest to `seconds` (on a tie, the row the
    /// tempo points to, then the earlier one).
    /// Inside a warp's zero-time stretch the row after the warp is chosen: the first one
    /// StepMania judges.
    pub fn row_near(&self, seconds: f64, order: Order) -> i64 {
        let elapsed = seconds + self.offset;
        let i = self.segments.partition_point(|s| s.time <= elapsed);
        self.row_near_in(i, seconds, order)
    }

    /// `row_near` where `i` is the number of segments that start by `seconds`.
    fn row_near_in(&self, i: usize, seconds: f64, order: Order) -> i64 {
        let elapsed = seconds + self.offset;
        let segment = &self.segments[i.saturating_sub(1)];
        let from = segment.warp_end.unwrap_or(segment.row);
        let mut estimate =
            from as f64 + (elapsed - segment.time) * segment.bps * ROWS_PER_BEAT as f64;
        if let Some(next) = self.segments.get(i) {
            estimate = estimate.min(next.row as f64);
        }
        if i > 0 {
            estimate = estimate.max(segment.row as f64);
        }
        let base = clamp_row(estimate.floor());
        // Errors within a nanosecond are ties: float noise must not pick a warped row.
        const TIE: f64 = 1e-9;
        // The rows tried are near segment i: searches start there.
        let near = Cursor {
            engine: self,
            position: Cell::new(i.saturating_sub(1)),
            last: Cell::new(None),
        };
        // Rows strictly inside the segment's stretch, with no warp, are timed by the stretch
        // alone (`elapsed_in`, as `time_at` would find it): most notes need no search at all.
        let next_row = self.segments.get(i).map_or(i64::MAX, |s| s.row);
        let plain = i > 0 && segment.warp_end.is_none();
        let time_of = |row: i64| {
            if plain && segment.row < row && row < next_row {
                self.elapsed_in(segment, row) - self.offset
            } else {
                near.time_at(row, order)
            }
        };
        let error = |row: i64| (time_of(row) - seconds).abs();
        let base_time = time_of(base);
        let mut best = base;
        let mut best_error = (base_time - seconds).abs();
        // The time lies between base and base + 1 unless a pause sits there, which puts it on
        // the other side of base: only then is base − 1 a candidate.
        let late = base_time > seconds;
        for row in [base + 1, base - 1] {
            if (row < base) != late {
                continue;
            }
            let row = row.clamp(-MAX_ROW, MAX_ROW);
            let e = error(row);
            if e < best_error - TIE {
                best = row;
                best_error = e;
            }
        }
        // A row inside a warp shares its time with the next stop's row in the warp, or with
        // the warp's end: take that, the first row StepMania judges. (A delay's row has a
        // later time: nothing after it can have this one.) The end of a warp may lie inside
        // another that overlaps it: then that one's end, and so on.
        while let Some(end) = self.warp_end_after(best) {
            let next_pause = self.pauses.get(self.pauses.partition_point(|&r| r <= best));
            let judged = next_pause.map_or(end, |&pause| pause.min(end));
            if error(judged) > best_error + TIE {
                break;
            }
            best = judged;
            if judged != end {
                break;
            }
        }
        best
    }

    /// The end of the warp `row` is inside (a note on a warp's first row is inside it).
    fn warp_end_after(&self, row: i64) -> Option<i64> {
        if !self.has_warps {
            return None;
        }
        let i = self
            .segments
            .partition_point(|s| (s.row, s.order) <= (row, Order::Warp));
        self.segments[i.saturating_sub(1)]
            .warp_end
            .filter(|&end| row < end)
    }
}

#[cfg(test)]
mod tests;
