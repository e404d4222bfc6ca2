//! osu!mania's strain skill (lazer's `Strain`, a `StrainDecaySkill`, with its two evaluators):
//! every note raises a per-column "individual" strain and an "overall" strain, both decaying
//! over time; the play is cut into sections of 400 ms and the peak strain of each section is
//! kept; the peaks, strongest first, are summed with weights 1, 0.9, 0.9², ...
//!
//! Times are in ms. Like lazer, differences are taken on the chart's times and then divided by
//! the clock rate, and absolute times are divided by it, in the same places, so that values
//! at the 1 ms thresholds agree to the last bit.

/// One hit object as osu! sees it: start and end in ms (equal for a tap), and its column.
#[derive(Debug, Clone, Copy)]
pub(super) struct HitObject {
    pub start: f64,
    pub end: f64,
    pub column: usize,
}

/// Length of a strain section, in ms of play (after the clock rate).
const SECTION_LENGTH: f64 = 400.0;
/// Weight of each section peak relative to the next stronger one.
const PEAK_WEIGHT_DECAY: f64 = 0.9;
/// Fraction of a column's individual strain left after one second.
const INDIVIDUAL_DECAY_BASE: f64 = 0.125;
/// Fraction of the overall strain left after one second.
const OVERALL_DECAY_BASE: f64 = 0.3;
/// Times closer than this (ms) count as the same moment.
const SIMULTANEITY: f64 = 1.0;
/// Release time difference (ms) at which an awkward release earns half its bonus.
const RELEASE_THRESHOLD: f64 = 30.0;
/// Strain multiplier while a note is pressed during another, longer hold.
const HELD_BONUS: f64 = 1.25;

/// The summed, weighted section peaks of `objects` (in the order osu! processes them) played
/// at `clock_rate`. The first object only starts the clock, as in lazer.
pub(super) fn difficulty_value(objects: &[HitObject], columns: usize, clock_rate: f64) -> f64 {
    let played: Vec<HitObject> = objects
        .iter()
        .map(|o| HitObject {
            start: o.start / clock_rate,
            end: o.end / clock_rate,
            column: o.column,
        })
        .collect();
    let mut strain = Strain::new(columns);
    // The latest object of each column so far (never the first object, which is no
    // difficulty object in lazer).
    let mut latest_in_column: Vec<Option<usize>> = vec![None; columns];
    for index in 1..objects.len() {
        let current = played[index];
        let previous_notes = latest_in_column.iter().flatten().map(|&i| &played[i]);
        let gains = Gains::of(&current, previous_notes);
        let column_gap =
            latest_in_column[current.column].map_or(0.0, |i| current.start - played[i].start);
        let step = Step {
            start: current.start,
            delta: (objects[index].start - objects[index - 1].start) / clock_rate,
            previous_start: played[index - 1].start,
            column: current.column,
            column_gap,
            gains,
        };
        strain.process(&step, index == 1);
        latest_in_column[current.column] = Some(index);
    }
    strain.difficulty_value()
}

/// What one note adds to the individual strain of its column and to the overall strain.
struct Gains {
    individual: f64,
    overall: f64,
}

impl Gains {
    /// lazer's `IndividualStrainEvaluator` and `OverallStrainEvaluator`, from the latest note
    /// of every column before `current`.
    fn of<'a>(current: &HitObject, previous: impl Iterator<Item = &'a HitObject>) -> Gains {
        let mut held_over = false;
        let mut overlapped = false;
        // Nearest release of another note (a tap's own "release" is its start).
        let mut closest_release = (current.end - current.start).abs();
        for p in previous {
            let started_before = current.start > p.start + SIMULTANEITY;
            // Something pressed earlier is still held after this note ends.
            held_over |= started_before && p.end > current.end + SIMULTANEITY;
            // An earlier hold ends while this note is held.
            overlapped |= started_before
                && p.end > current.start + SIMULTANEITY
                && current.end > p.end + SIMULTANEITY;
            closest_release = closest_release.min((current.end - p.end).abs());
        }
        let hold_factor = if held_over { HELD_BONUS } else { 1.0 };
        // A release is awkward unless another one lands at about the same time.
        let hold_addition = if overlapped {
            1.0 / (1.0 + (0.27 * (RELEASE_THRESHOLD - closest_release)).exp())
        } else {
            0.0
        };
        Gains {
            individual: 2.0 * hold_factor,
            overall: (1.0 + hold_addition) * hold_factor,
        }
    }
}

/// One difficulty object's share of the strain computation.
struct Step {
    start: f64,
    /// Since the previous object's start.
    delta: f64,
    previous_start: f64,
    column: usize,
    /// Since the previous object in the same column started (0 for the first one).
    column_gap: f64,
    gains: Gains,
}

/// The running state of the skill.
struct Strain {
    individual: Vec<f64>,
    /// The strongest individual strain of the current chord.
    highest_individual: f64,
    overall: f64,
    section_end: f64,
    section_peak: f64,
    /// Peaks of the finished sections; zero peaks are left out (they never count).
    peaks: Vec<f64>,
}

impl Strain {
    fn new(columns: usize) -> Strain {
        Strain {
            individual: vec![0.0; columns],
            highest_individual: 0.0,
            overall: 1.0,
            section_end: 0.0,
            section_peak: 0.0,
            peaks: Vec::new(),
        }
    }

    fn process(&mut self, step: &Step, first: bool) {
        if first {
            self.section_end = (step.start / SECTION_LENGTH).ceil() * SECTION_LENGTH;
        }
        while step.start > self.section_end {
            self.close_section();
            // A new section starts from the strain left over from the previous note.
            let elapsed = self.section_end - step.previous_start;
            self.section_peak = decay(self.highest_individual, elapsed, INDIVIDUAL_DECAY_BASE)
                + decay(self.overall, elapsed, OVERALL_DECAY_BASE);
            self.section_end += SECTION_LENGTH;
            if self.section_peak == 0.0 {
                self.skip_empty_sections_before(step.start);
            }
        }
        let strain = self.strain_after(step);
        self.section_peak = self.section_peak.max(strain);
    }

    /// lazer's `StrainValueOf`. Its decay base of 1 makes the skill's own current strain
    /// exactly the sum of the two strains.
    fn strain_after(&mut self, step: &Step) -> f64 {
        let column = &mut self.individual[step.column];
        *column = decay(*column, step.column_gap, INDIVIDUAL_DECAY_BASE) + step.gains.individual;
        self.highest_individual = if step.delta <= SIMULTANEITY {
            self.highest_individual.max(*column)
        } else {
            *column
        };
        self.overall = decay(self.overall, step.delta, OVERALL_DECAY_BASE) + step.gains.overall;
        self.highest_individual + self.overall
    }

    fn close_section(&mut self) {
        if self.section_peak > 0.0 {
            self.peaks.push(self.section_peak);
        }
    }

    /// Once the decayed strain is zero, every later section before `start` starts at zero and
    /// has no note, so it would add nothing: jump over all but the last one or two of them
    /// (which the caller steps through). Section ends stay exact multiples of the length, as
    /// repeated additions would leave them; this keeps a gap of years from taking years.
    fn skip_empty_sections_before(&mut self, start: f64) {
        let sections = ((start - self.section_end) / SECTION_LENGTH).floor() - 1.0;
        if sections > 0.0 {
            self.section_end += sections * SECTION_LENGTH;
        }
    }

    fn difficulty_value(mut self) -> f64 {
        self.close_section();
        let mut peaks = self.peaks;
        peaks.sort_unstable_by(|a, b| b.total_cmp(a));
        let mut sum = 0.0;
        let mut weight = 1.0;
        for peak in peaks {
            if weight == 0.0 {
                break; // every later term is zero
            }
            sum += peak * weight;
            weight *= PEAK_WEIGHT_DECAY;
        }
        sum
    }
}

/// `value` after `elapsed` ms of decay to `base` per second.
fn decay(value: f64, elapsed: f64, base: f64) -> f64 {
    value * base.powf(elapsed / 1000.0)
}
