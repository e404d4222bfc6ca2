//! `.sm` files have no `#WARPS`: a negative BPM (or one above 9 999 999) or a negative stop
//! makes a warp. Reading follows SMLoader::ProcessBPMsAndStops; writing turns each warp into
//! the negative stop that skips its beats, as StepMania's `NotesWriterSM` does.

use super::timing::{beat_to_row, tidy, SmTiming};
use super::values::{beat_text, parse_number};

/// BPMs above this are "infinite" in `.sm` files: StepMania 3.9 warps (SMLoader).
pub const FAST_BPM_WARP: f64 = 9_999_999.0;
/// Where a `.sm` warp that never closes ends (SMLoader's value).
const ENDLESS_WARP_BEAT: f64 = 99_999_999.0;

/// A `.sm` BPM that means a warp: negative, or too fast to take time.
fn is_warp_bpm(bpm: f64) -> bool {
    !(0.0..=FAST_BPM_WARP).contains(&bpm)
}

/// `.sm` BPMs and stops as SMLoader::ProcessBPMsAndStops turns them into timing: stops before
/// beat 0 move the offset; a negative BPM (or one above 9 999 999) or a negative stop opens a
/// warp that closes once the time it took back has been played again. Input: (beat, value)
/// with zero values already left out, in file order. Fills `bpms`, `stops`, `warps`, `offset`.
pub fn sm_bpms_and_stops(timing: &mut SmTiming, bpms: &[(f64, f64)], stops: &[(f64, f64)]) {
    let mut bpm_list = bpms.to_vec();
    let mut stop_list = stops.to_vec();
    bpm_list.sort_by(|a, b| a.0.total_cmp(&b.0));
    stop_list.sort_by(|a, b| a.0.total_cmp(&b.0));

    let mut s = 0;
    while s < stop_list.len() && stop_list[s].0 < 0.0 {
        timing.offset -= stop_list[s].1;
        s += 1;
    }
    let (first_bpm, mut b) = first_bpm(&bpm_list);
    let mut sweep = Sweep::new(first_bpm);
    while b < bpm_list.len() || s < stop_list.len() {
        let is_bpm =
            s == stop_list.len() || (b < bpm_list.len() && bpm_list[b].0 <= stop_list[s].0);
        if is_bpm {
            sweep.bpm(bpm_list[b]);
            b += 1;
        } else {
            sweep.stop(stop_list[s]);
            s += 1;
        }
    }
    sweep.finish(timing);
}

/// The BPM from beat 0, and the index of the first BPM change after it.
fn first_bpm(bpm_list: &[(f64, f64)]) -> (f64, usize) {
    let mut b = 0;
    let mut bpm = 0.0;
    while b < bpm_list.len() && bpm_list[b].0 <= 0.0 {
        bpm = bpm_list[b].1;
        b += 1;
    }
    if bpm == 0.0 {
        // No BPM at beat 0: the next one applies from the start (SMLoader means to do this;
        // its code reads one entry too far), else StepMania's default of 60.
        match bpm_list.get(b) {
            Some(&(_, next)) => {
                bpm = next;
                b += 1;
            }
            None => bpm = 60.0,
        }
    }
    (bpm, b)
}

/// SMLoader's sweep over BPMs and stops in beat order.
struct Sweep {
    bpm: f64,
    prev_beat: f64,
    warp_start: Option<f64>,
    pre_warp_bpm: f64,
    /// How far behind the music the negative changes have put the chart, in seconds.
    time_offset: f64,
    bpms: Vec<(i64, f64)>,
    stops: Vec<(i64, f64)>,
    warps: Vec<(i64, f64)>,
}

impl Sweep {
    fn new(bpm: f64) -> Sweep {
        Sweep {
            bpm,
            prev_beat: 0.0,
            warp_start: None,
            pre_warp_bpm: 0.0,
            time_offset: 0.0,
            bpms: if bpm > 0.0 && bpm <= FAST_BPM_WARP {
                vec![(0, bpm)]
            } else {
                Vec::new()
            },
            stops: Vec::new(),
            warps: Vec::new(),
        }
    }

    /// Plays on to `beat`: a warp whose time has been played again ends.
    fn advance(&mut self, beat: f64) {
        if self.bpm <= FAST_BPM_WARP {
            self.time_offset += (beat - self.prev_beat) * 60.0 / self.bpm;
            if let Some(start) = self.warp_start {
                if self.bpm > 0.0 && self.time_offset > 0.0 {
                    let end = beat - self.time_offset * self.bpm / 60.0;
                    self.close_warp(start, end);
                }
            }
        }
        self.prev_beat = beat;
    }

    fn open_warp(&mut self, beat: f64, time_offset: f64) {
        self.warp_start = Some(beat);
        self.pre_warp_bpm = self.bpm;
        self.time_offset = time_offset;
    }

    /// Ends the warp from `start` at `end`; the tempo after it is a BPM change at its start.
    fn close_warp(&mut self, start: f64, end: f64) {
        self.warps.push((beat_to_row(start), end - start));
        if self.bpm != self.pre_warp_bpm {
            self.bpms.push((beat_to_row(start), self.bpm));
        }
        self.warp_start = None;
    }

    fn bpm(&mut self, (beat, value): (f64, f64)) {
        self.advance(beat);
        if self.warp_start.is_none() {
            if is_warp_bpm(value) {
                self.open_warp(beat, 0.0);
            } else {
                self.bpms.push((beat_to_row(beat), value));
            }
        }
        self.bpm = value;
    }

    fn stop(&mut self, (beat, value): (f64, f64)) {
        self.advance(beat);
        let Some(start) = self.warp_start else {
            if value < 0.0 {
                self.open_warp(beat, value);
            } else {
                self.stops.push((beat_to_row(beat), value));
            }
            return;
        };
        self.time_offset += value;
        // A stop that pays back more than the warp took ends it and stops for the rest.
        if value > 0.0 && self.time_offset > 0.0 {
            self.stops.push((beat_to_row(beat), self.time_offset));
            if is_warp_bpm(self.bpm) {
                self.warps.push((beat_to_row(start), beat - start));
                self.warp_start = Some(beat);
                self.time_offset = 0.0;
            } else {
                self.close_warp(start, beat);
            }
        }
    }

    fn finish(mut self, timing: &mut SmTiming) {
        if let Some(start) = self.warp_start {
            let end = if is_warp_bpm(self.bpm) {
                ENDLESS_WARP_BEAT
            } else {
                self.prev_beat - self.time_offset * self.bpm / 60.0
            };
            self.close_warp(start, end);
        }
        timing.bpms = tidy(self.bpms);
        timing.stops = tidy(self.stops);
        timing.warps = tidy(self.warps);
    }
}

/// `#STOPS` of a `.sm` file: stops, and each warp as the negative stop that skips its beats at
/// the BPM of its row (StepMania's `NotesWriterSM`); a stop and a warp on one row add up.
pub fn sm_stops(sm: &SmTiming) -> Vec<(i64, f64)> {
    let mut stops = sm.stops.clone();
    for &(row, beats) in &sm.warps {
        let i = sm.bpms.partition_point(|b| b.0 <= row);
        let bpm = sm.bpms[i.saturating_sub(1)].1;
        stops.push((row, -beats * 60.0 / bpm));
    }
    stops.sort_by_key(|s| s.0);
    stops.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 += later.1;
        }
        same
    });
    stops
}

/// A `.sm` timing after a write and a read: the BPMs and `sm_stops` through StepMania's
/// negative-value conversion, at the beats as written (three decimals: a warp's length is
/// worked out from them, and `row_to_beat` would give other float noise).
pub fn sm_as_read(sm: &SmTiming) -> SmTiming {
    let beats = |list: &[(i64, f64)]| {
        list.iter()
            .filter(|e| e.1 != 0.0)
            .map(|&(r, v)| (parse_number(beat_text(r).as_bytes()).unwrap_or_default(), v))
            .collect::<Vec<_>>()
    };
    let mut read = SmTiming {
        offset: sm.offset,
        ..SmTiming::default()
    };
    sm_bpms_and_stops(&mut read, &beats(&sm.bpms), &beats(&sm_stops(sm)));
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn negative_bpm_is_a_warp() {
        let mut timing = SmTiming {
            offset: -0.1,
            ..SmTiming::default()
        };
        let bpms = [(0.0, 120.0), (4.0, 240.0), (6.0, -240.0), (7.0, 240.0)];
        sm_bpms_and_stops(&mut timing, &bpms, &[(2.0, 0.5), (-1.0, 0.25)]);
        assert_eq!(timing.bpms, [(0, 120.0), (192, 240.0)]);
        assert_eq!(timing.stops, [(96, 0.5)]);
        assert_eq!(timing.warps.len(), 1);
        assert_eq!(timing.warps[0].0, 288);
        assert!(close(timing.warps[0].1, 2.0));
        // A stop before beat 0 moves the offset instead.
        assert!(close(timing.offset, -0.35));
    }

    #[test]
    fn negative_stop_is_a_warp_and_an_overpaying_stop_ends_it() {
        let mut timing = SmTiming::default();
        // The −1 s stop opens a warp; one beat (0.5 s) later 0.5 s is still owed, so the
        // 1.5 s stop at beat 5 closes the warp there and stops for the remaining 1 s.
        sm_bpms_and_stops(&mut timing, &[(0.0, 120.0)], &[(4.0, -1.0), (5.0, 1.5)]);
        assert_eq!(timing.warps.len(), 1);
        assert_eq!(timing.warps[0].0, 192);
        assert!(close(timing.warps[0].1, 1.0));
        assert_eq!(timing.stops, [(240, 1.0)]);
    }

    #[test]
    fn warps_that_never_close_and_missing_first_bpm() {
        let mut timing = SmTiming::default();
        sm_bpms_and_stops(&mut timing, &[(2.0, 150.0), (4.0, 1e9)], &[]);
        // No BPM at beat 0: the first one applies from the start; the endless warp's BPM is
        // kept at its start, as SMLoader keeps it.
        assert_eq!(timing.bpms, [(0, 150.0), (192, 1e9)]);
        assert_eq!(timing.warps.len(), 1);
        assert_eq!(timing.warps[0].0, 192);
        assert!(close(timing.warps[0].1, ENDLESS_WARP_BEAT - 4.0));
        let mut timing = SmTiming::default();
        sm_bpms_and_stops(&mut timing, &[], &[]);
        assert_eq!(timing.bpms, [(0, 60.0)]);
    }

    #[test]
    fn warps_written_as_negative_stops_read_back() {
        let sm = SmTiming {
            bpms: vec![(0, 120.0), (384, 60.0)],
            stops: vec![(96, 0.5), (192, 0.25)],
            warps: vec![(192, 1.0), (480, 2.0)],
            ..SmTiming::default()
        };
        // 1 beat at 120 is 0.5 s: with the 0.25 s stop on its row, −0.25 s.
        assert_eq!(sm_stops(&sm), [(96, 0.5), (192, -0.25), (480, -2.0)]);
        // Read back, the warp at 480 is as written; the one sharing its row with a stop is
        // a shorter warp without the stop (the writer reports that).
        let read = sm_as_read(&sm);
        assert_eq!(read.bpms, sm.bpms);
        assert_eq!(read.stops, [(96, 0.5)]);
        assert_eq!(read.warps, [(192, 0.5), (480, 2.0)]);
    }
}
