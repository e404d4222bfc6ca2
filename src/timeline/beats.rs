//! Beat ↔ time: the chart's timing swept once into segments, each a straight line from
//! (time, beat) on, so a query is one binary search.
//!
//! Stops and delays are flat segments (the beat stands still); a warp is a second segment at the
//! same time with a larger beat (the beat jumps).

use super::Rules;
use crate::model::{TimingKind, TimingPoint};

/// StepMania puts every timing event on a row of 1/48 beat.
pub(super) const SM_ROWS_PER_BEAT: f64 = 48.0;

/// What a flat segment is; it decides which end of it a note on its beat is hit at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pause {
    None,
    /// A note on the stop's beat is hit when the stop starts.
    Stop,
    /// A note on the delay's beat is hit when the delay ends.
    Delay,
    /// StepMania: the beat waits on an event's row for the event's time (see `advance`); a
    /// note there is hit when the row is reached.
    Hold,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Segment {
    /// µs.
    pub time: f64,
    pub beat: f64,
    /// 0 while paused.
    pub beats_per_us: f64,
    pub pause: Pause,
}

/// A BPM point the timeline uses: its time, beat and tempo, with its meter and bar-line flag.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tempo {
    pub time: f64,
    pub beat: f64,
    pub bpm: f64,
    pub meter: u32,
    pub omit_first_bar: bool,
}

#[derive(Clone, Debug)]
pub(super) struct BeatMap {
    pub segments: Vec<Segment>,
    /// Tempo before the first segment: the first BPM, extended backwards.
    pub first_beats_per_us: f64,
    pub tempos: Vec<Tempo>,
}

/// The tempo a BPM value gives under `rules`, or `None` when the point changes nothing.
/// osu! clamps a red line's beat length to 6..=60000 ms (lazer's `TimingControlPoint`);
/// every game ignores a tempo that is not a positive finite number here (StepMania drops BPMs
/// of zero, its decoder turns negative ones into warps before they reach the model).
/// Larger BPMs and warps are read as this, so that every beat within ±2^52 µs stays finite
/// (StepMania gimmicks use BPMs up to about 10^7; beyond 10^12 a tempo is a warp anyway).
pub(super) const MAX_BEATS: f64 = 1e12;

pub(super) fn usable_bpm(bpm: f64, rules: Rules) -> Option<f64> {
    if !(bpm.is_finite() && bpm > 0.0) {
        return None;
    }
    Some(match rules {
        Rules::Osu => bpm.clamp(1.0, 10_000.0),
        Rules::Quaver | Rules::StepMania => bpm.min(MAX_BEATS),
    })
}

/// Sweeps timing points (sorted by time, stable) into a beat map.
struct Sweep {
    rules: Rules,
    segments: Vec<Segment>,
    tempos: Vec<Tempo>,
    /// Tempo of the flowing segments.
    beats_per_us: f64,
    /// The warp being crossed.
    warp: Option<Warp>,
    /// StepMania: (kind, beat) of events inside warps, where their time tells no beat (the
    /// decoder's `sm.timing.rows`), not yet used.
    hints: Vec<(String, f64)>,
}

/// A warp being crossed: the time of its zero-time stretch (a stop inside it moves that on),
/// and the beats it starts and ends on.
#[derive(Clone, Copy, Debug)]
struct Warp {
    time: f64,
    start: f64,
    end: f64,
}

/// The decoder's `sm.timing.rows` extra: `kind=row` entries.
fn sm_row_hints(value: Option<&str>) -> Vec<(String, f64)> {
    let entries = value.unwrap_or_default().split(',');
    entries
        .filter_map(|e| {
            let (kind, row) = e.split_once('=')?;
            let row: i64 = row.trim().parse().ok()?;
            Some((kind.trim().to_owned(), row as f64 / SM_ROWS_PER_BEAT))
        })
        .collect()
}

impl Sweep {
    fn last(&self) -> Segment {
        *self
            .segments
            .last()
            .expect("the sweep starts with the first BPM")
    }

    /// The beat at `time` along the last segment (a time inside a pause counts as its end).
    /// StepMania puts events on rows: where the nearest row was reached before `time` (a time
    /// rounded to µs, or from another game), the beat holds on it until `time` rather than
    /// going back.
    fn advance(&mut self, time: f64) -> (f64, f64) {
        let last = self.last();
        let time = time.max(last.time);
        let beat = last.beat + (time - last.time) * last.beats_per_us;
        if self.rules != Rules::StepMania {
            return (time, beat.max(last.beat));
        }
        let row = ((beat * SM_ROWS_PER_BEAT).round() / SM_ROWS_PER_BEAT).max(last.beat);
        if row < beat {
            let hold = Segment {
                time: last.time + (row - last.beat) / last.beats_per_us,
                beat: row,
                beats_per_us: 0.0,
                pause: Pause::Hold,
            };
            // The tempo goes on after the hold unless the event replaces it (`push`).
            let after = Segment { time, ..last };
            self.segments.extend([hold, Segment { beat: row, ..after }]);
        }
        (time, row)
    }

    fn push(&mut self, segment: Segment) {
        match self.segments.last_mut() {
            // A flowing segment of zero length is replaced by what follows it.
            Some(last)
                if last.time == segment.time
                    && last.beat == segment.beat
                    && last.pause == Pause::None =>
            {
                *last = segment
            }
            _ => self.segments.push(segment),
        }
    }

    /// The beat of an event inside the warp being crossed, from its row hint: the jump is cut
    /// back to it, so that a stop there pauses on its own beat. An event outside a warp is on
    /// the beat its time gives (`beat`): its own hint is used up, so that a later event of its
    /// kind inside a warp does not take it.
    fn hinted_beat(&mut self, point: &TimingPoint, time: f64, beat: f64) -> Option<f64> {
        let kind = point.kind.name();
        let Some(warp) = self.warp.filter(|w| w.time == time) else {
            if let Some(i) = self.hints.iter().position(|h| h.0 == kind && h.1 == beat) {
                self.hints.remove(i);
            }
            return None;
        };
        // Only a hint within the warp and not before a beat already passed: an earlier event's
        // hint left unused (its time told a beat close to, not on, its row), or a warp whose
        // start its time put past its row, must not pull the beat back.
        let passed = match self.segments.len().checked_sub(2) {
            Some(i) if self.last().time == warp.time => self.segments[i].beat,
            _ => self.last().beat,
        };
        let floor = warp.start.max(passed);
        let within = |h: &(String, f64)| h.0 == kind && (floor..=warp.end).contains(&h.1);
        let i = self.hints.iter().position(within)?;
        let beat = self.hints.remove(i).1;
        let last = self.segments.last_mut()?;
        if last.time == warp.time && last.pause == Pause::None && last.beat > beat {
            last.beat = beat;
        }
        Some(beat)
    }

    /// Jumps to the end of the warp being crossed, at its time or after a pause inside it.
    fn finish_warp(&mut self) {
        let last = self.last();
        if let Some(warp) = self.warp {
            let time = warp.time.max(last.time);
            self.warp = Some(Warp { time, ..warp });
            if warp.end > last.beat {
                self.segments.push(Segment {
                    time,
                    beat: warp.end,
                    beats_per_us: self.beats_per_us,
                    pause: Pause::None,
                });
            }
        }
    }

    fn point(&mut self, point: &TimingPoint) {
        let (time, mut beat) = self.advance(point.time_us as f64);
        if self.warp.is_some_and(|w| w.time < time) {
            self.warp = None;
        }
        let hinted = self.hinted_beat(point, time, beat);
        beat = hinted.unwrap_or(beat);
        let flow = |beats_per_us| Segment {
            time,
            beat,
            beats_per_us,
            pause: Pause::None,
        };
        match point.kind {
            TimingKind::Bpm { bpm, meter } => {
                let Some(bpm) = usable_bpm(bpm, self.rules) else {
                    return;
                };
                // Of several red lines at one time osu! keeps the first.
                let same_time = self.tempos.last().is_some_and(|t| t.time == time);
                if self.rules == Rules::Osu && same_time {
                    return;
                }
                self.beats_per_us = bpm / 60e6;
                self.tempos.push(Tempo {
                    time,
                    beat,
                    bpm,
                    meter: meter.max(1),
                    omit_first_bar: point.effects & 8 != 0,
                });
                self.push(flow(self.beats_per_us));
            }
            TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => {
                if duration_us <= 0 {
                    return;
                }
                let pause = match point.kind {
                    TimingKind::Stop { .. } => Pause::Stop,
                    _ => Pause::Delay,
                };
                self.push(Segment { pause, ..flow(0.0) });
                self.segments.push(Segment {
                    time: time + duration_us as f64,
                    ..flow(self.beats_per_us)
                });
            }
            TimingKind::Warp { beats } => {
                if !(beats.is_finite() && beats > 0.0) {
                    return;
                }
                let beats = beats.min(MAX_BEATS);
                let mut end = beat + beats;
                if self.rules == Rules::StepMania {
                    end = beat + (beats * SM_ROWS_PER_BEAT).round() / SM_ROWS_PER_BEAT;
                }
                self.warp = Some(match self.warp {
                    Some(w) => Warp {
                        time,
                        end: w.end.max(end),
                        ..w
                    },
                    None => Warp {
                        time,
                        start: beat,
                        end,
                    },
                });
            }
            TimingKind::Scroll { .. } => {}
        }
        self.finish_warp();
    }
}

impl BeatMap {
    /// The beat map of `timing` (sorted by time), or `None` when it has no usable BPM.
    /// `row_hints` is StepMania's `sm.timing.rows` extra, if any.
    pub fn new(timing: &[TimingPoint], rules: Rules, row_hints: Option<&str>) -> Option<BeatMap> {
        let first = timing.iter().position(|p| match p.kind {
            TimingKind::Bpm { bpm, .. } => usable_bpm(bpm, rules).is_some(),
            _ => false,
        })?;
        let TimingKind::Bpm { bpm, .. } = timing[first].kind else {
            unreachable!("found as a BPM point")
        };
        let beats_per_us = usable_bpm(bpm, rules)? / 60e6;
        let mut sweep = Sweep {
            rules,
            segments: vec![Segment {
                time: timing[first].time_us as f64,
                beat: 0.0,
                beats_per_us,
                pause: Pause::None,
            }],
            tempos: Vec::new(),
            beats_per_us,
            warp: None,
            hints: match rules {
                Rules::StepMania => sm_row_hints(row_hints),
                _ => Vec::new(),
            },
        };
        // Events before the first BPM have no beat to act on: they are left out.
        for point in &timing[first..] {
            sweep.point(point);
        }
        Some(BeatMap {
            segments: sweep.segments,
            first_beats_per_us: beats_per_us,
            tempos: sweep.tempos,
        })
    }

    /// The beat at `time` µs. At a warp's time, the beat after the jump.
    pub fn beat_at(&self, time: f64) -> f64 {
        let i = self.segments.partition_point(|s| s.time <= time);
        match i.checked_sub(1) {
            None => {
                let first = &self.segments[0];
                first.beat + (time - first.time) * self.first_beats_per_us
            }
            Some(i) => {
                let s = &self.segments[i];
                s.beat + (time - s.time) * s.beats_per_us
            }
        }
    }

    /// The time in µs at which a note on `beat` is hit: at a stop's beat, when it starts; at a
    /// delay's, when it ends; inside a warp, at the warp's time.
    pub fn time_at(&self, beat: f64) -> f64 {
        let (j, time) = self.first_reached(beat);
        self.delays_passed(j, beat, time)
    }

    /// The time in µs at which the song first reaches `beat`: like `time_at`, but before a
    /// delay on the beat (StepMania's `GetElapsedTimeFromBeat` minus `GetDelayAtBeat`).
    pub fn reached_at(&self, beat: f64) -> f64 {
        self.first_reached(beat).1
    }

    /// The first segment at or after `beat`, and the time the song reaches `beat`.
    fn first_reached(&self, beat: f64) -> (usize, f64) {
        let segments = &self.segments;
        let j = segments.partition_point(|s| s.beat < beat);
        let Some(prev) = j.checked_sub(1).map(|i| &segments[i]) else {
            let first = &segments[0];
            return (
                0,
                first.time + (beat - first.beat) / self.first_beats_per_us,
            );
        };
        // `prev` flows: a pause is followed by a segment on its own beat, which is < `beat`.
        let mut time = prev.time + (beat - prev.beat) / prev.beats_per_us;
        if let Some(next) = segments.get(j) {
            time = time.min(next.time);
        }
        (j, time)
    }

    /// `time`, or the end of the delays starting at segment `j` when they are on `beat` (after
    /// a hold on it: the delay is the row's event).
    fn delays_passed(&self, mut j: usize, beat: f64, mut time: f64) -> f64 {
        while let (Some(s), Some(next)) = (self.segments.get(j), self.segments.get(j + 1)) {
            if s.beat != beat {
                break;
            }
            match s.pause {
                Pause::Delay => time = next.time,
                Pause::Hold => {}
                Pause::None | Pause::Stop => break,
            }
            j += 1;
        }
        time
    }

    /// The BPM point in effect at `time` (the first one before it).
    pub fn tempo_at(&self, time: f64) -> &Tempo {
        let i = self.tempos.partition_point(|t| t.time <= time);
        &self.tempos[i.saturating_sub(1)]
    }
}
