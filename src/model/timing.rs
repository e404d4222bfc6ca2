/// One timing event. BPM and scroll changes shape how the chart scrolls; stops, delays and
/// warps (StepMania) are kept as events so a StepMania chart can be written back unchanged.
/// Note times are always absolute: no event needs to be applied to find when a note is hit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimingKind {
    /// Tempo from this time on; `meter` is beats per measure.
    Bpm { bpm: f64, meter: u32 },
    /// Scroll-velocity multiplier (osu! green line, Quaver SV); 1.0 is normal speed.
    Scroll { multiplier: f64 },
    /// Scrolling pauses for `duration_us` after notes at this time are hit.
    Stop { duration_us: i64 },
    /// Scrolling pauses for `duration_us` before notes at this time are hit.
    Delay { duration_us: i64 },
    /// `beats` beats are skipped in zero time from here.
    Warp { beats: f64 },
}

impl TimingKind {
    pub fn name(&self) -> &'static str {
        match self {
            TimingKind::Bpm { .. } => "bpm",
            TimingKind::Scroll { .. } => "scroll",
            TimingKind::Stop { .. } => "stop",
            TimingKind::Delay { .. } => "delay",
            TimingKind::Warp { .. } => "warp",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimingPoint {
    pub time_us: i64,
    pub kind: TimingKind,
    /// Default hit sound bank for notes from here (osu!: 0 inherit, 1 normal, 2 soft, 3 drum).
    pub sample_set: u8,
    /// Default custom sample index (osu!).
    pub sample_index: u32,
    /// Default hit sound volume 0..=100 (osu!).
    pub volume: u8,
    /// Effect bits with osu!'s meaning: 1 kiai, 8 omit first bar line.
    pub effects: u8,
}

impl TimingPoint {
    pub const KIAI: u8 = 1;
    pub const OMIT_FIRST_BARLINE: u8 = 8;

    pub fn new(time_us: i64, kind: TimingKind) -> TimingPoint {
        TimingPoint {
            time_us,
            kind,
            sample_set: 0,
            sample_index: 0,
            volume: 100,
            effects: 0,
        }
    }

    pub fn bpm(time_us: i64, bpm: f64, meter: u32) -> TimingPoint {
        TimingPoint::new(time_us, TimingKind::Bpm { bpm, meter })
    }

    pub fn scroll(time_us: i64, multiplier: f64) -> TimingPoint {
        TimingPoint::new(time_us, TimingKind::Scroll { multiplier })
    }
}
