//! Beats and times: measures (channel 02) place objects on beats, tempo changes (channels 03
//! and 08) and stops (channel 09) turn beats into seconds.

use std::cell::Cell;

use super::parse::MAX_MEASURE;

/// Channels of tempo changes, stops and scroll changes: objects that become timing points.
pub const TIMING_CHANNELS: [[u8; 2]; 4] = [*b"03", *b"08", *b"09", *b"SC"];

/// Where each measure starts, in beats (4 beats to a measure of length 1).
pub struct Measures {
    starts: Vec<f64>,
    lengths: Vec<f64>,
}

impl Measures {
    /// From channel 02's `(measure, length)` in source order (a later one wins).
    pub fn new(defined: &[(usize, f64)]) -> Measures {
        let mut lengths = vec![1.0; MAX_MEASURE + 1];
        for &(measure, length) in defined {
            lengths[measure] = length;
        }
        let mut starts = Vec::with_capacity(lengths.len());
        let mut beat = 0.0;
        for length in &lengths {
            starts.push(beat);
            beat += 4.0 * length;
        }
        Measures { starts, lengths }
    }

    /// The beat of a place in a measure (`fraction` in 0..1).
    pub fn beat(&self, measure: usize, fraction: f64) -> f64 {
        self.starts[measure] + 4.0 * self.lengths[measure] * fraction
    }
}

/// Something that changes how beats turn into time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Change {
    Bpm(f64),
    /// A stop, in 1/192 of a 4/4 measure (1/48 beat) at the tempo where it lies.
    Stop(f64),
}

/// A change placed in time, for the chart's timing points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Placed {
    Bpm { seconds: f64, bpm: f64 },
    Stop { seconds: f64, duration: f64 },
}

/// Beats to seconds: straight pieces from one change to the next.
pub struct Tempo {
    segments: Vec<Segment>,
    placed: Vec<Placed>,
    /// The segment of the last `seconds_at`.
    cursor: Cell<usize>,
}

struct Segment {
    beat: f64,
    /// When the beat is reached (before the stops on it).
    seconds: f64,
    bpm: f64,
    /// Seconds the stops on this beat last.
    stop: f64,
}

impl Segment {
    /// When `beat` (at or after this segment's) is reached.
    fn seconds_at(&self, beat: f64) -> f64 {
        if beat == self.beat {
            self.seconds
        } else {
            self.seconds + self.stop + (beat - self.beat) * 60.0 / self.bpm
        }
    }
}

impl Tempo {
    /// `changes` as (beat, change), each beat ≥ 0; tempo changes on a beat apply before the
    /// stops on it (a stop lasts its length at the new tempo). Every BPM must be positive.
    pub fn new(initial_bpm: f64, mut changes: Vec<(f64, Change)>) -> Tempo {
        changes.sort_by(|a, b| {
            let stop_last = |c: &Change| matches!(c, Change::Stop(_));
            a.0.total_cmp(&b.0)
                .then(stop_last(&a.1).cmp(&stop_last(&b.1)))
        });
        let mut segments = vec![Segment {
            beat: 0.0,
            seconds: 0.0,
            bpm: initial_bpm,
            stop: 0.0,
        }];
        let mut placed = vec![Placed::Bpm {
            seconds: 0.0,
            bpm: initial_bpm,
        }];
        for (beat, change) in changes {
            let last = segments.last().expect("the first segment is never removed");
            if beat > last.beat {
                let seconds = last.seconds_at(beat);
                let bpm = last.bpm;
                segments.push(Segment {
                    beat,
                    seconds,
                    bpm,
                    stop: 0.0,
                });
            }
            let segment = segments.last_mut().expect("just checked");
            match change {
                Change::Bpm(bpm) => {
                    segment.bpm = bpm;
                    placed.push(Placed::Bpm {
                        seconds: segment.seconds,
                        bpm,
                    });
                }
                Change::Stop(length) => {
                    let duration = length / 48.0 * 60.0 / segment.bpm;
                    segment.stop += duration;
                    placed.push(Placed::Stop {
                        seconds: segment.seconds,
                        duration,
                    });
                }
            }
        }
        Tempo {
            segments,
            placed,
            cursor: Cell::new(0),
        }
    }

    /// When a note on `beat` (≥ 0) is hit: before the stops on its beat.
    pub fn seconds_at(&self, beat: f64) -> f64 {
        // Objects come in measure order, mostly: the segment of the last look-up, or the
        // next, is usually the one, and a binary search per object was a tenth of a decode.
        let segments = &self.segments;
        let holds = |i: usize| {
            segments.get(i).is_some_and(|s| s.beat <= beat)
                && !segments.get(i + 1).is_some_and(|next| next.beat <= beat)
        };
        let last = self.cursor.get();
        let index = if holds(last) {
            last
        } else if holds(last + 1) {
            last + 1
        } else {
            segments
                .partition_point(|s| s.beat <= beat)
                .saturating_sub(1)
        };
        self.cursor.set(index);
        segments[index].seconds_at(beat)
    }

    /// The initial tempo, then every change, in time order.
    pub fn placed(&self) -> &[Placed] {
        &self.placed
    }
}
