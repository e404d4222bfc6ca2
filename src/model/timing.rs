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

/// What a timing point changes, without its values. The numbers are part of the C ABI
/// (`RoxTimingKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum TimingTag {
    /// Tempo from this time on: the value is the BPM (> 0), with a meter in beats per measure.
    Bpm = 0,
    /// Scroll-velocity multiplier (1.0 = normal speed).
    Scroll = 1,
    /// Scrolling pauses for a duration after notes at this time are hit.
    Stop = 2,
    /// Scrolling pauses for a duration before notes at this time are hit.
    Delay = 3,
    /// The value is a number of beats skipped in zero time from here.
    Warp = 4,
}

impl TimingTag {
    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [TimingTag; 5] = [
        TimingTag::Bpm,
        TimingTag::Scroll,
        TimingTag::Stop,
        TimingTag::Delay,
        TimingTag::Warp,
    ];

    pub fn from_i32(v: i32) -> Option<TimingTag> {
        Self::ALL.into_iter().find(|t| *t as i32 == v)
    }

    /// Short name for listings and JSON (`bpm`, `scroll`…).
    pub fn name(self) -> &'static str {
        match self {
            TimingTag::Bpm => "bpm",
            TimingTag::Scroll => "scroll",
            TimingTag::Stop => "stop",
            TimingTag::Delay => "delay",
            TimingTag::Warp => "warp",
        }
    }
}

/// Effect bits of a timing point (osu!'s meaning). The numbers are part of the C ABI
/// (`RoxTimingEffect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum TimingEffect {
    /// Kiai time.
    Kiai = 1,
    /// The first bar line of the section is not drawn.
    OmitFirstBarLine = 8,
}

impl TimingKind {
    pub fn tag(&self) -> TimingTag {
        match self {
            TimingKind::Bpm { .. } => TimingTag::Bpm,
            TimingKind::Scroll { .. } => TimingTag::Scroll,
            TimingKind::Stop { .. } => TimingTag::Stop,
            TimingKind::Delay { .. } => TimingTag::Delay,
            TimingKind::Warp { .. } => TimingTag::Warp,
        }
    }

    pub fn name(&self) -> &'static str {
        self.tag().name()
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
    /// [`TimingEffect`] bits: 1 kiai, 8 omit first bar line.
    pub effects: u8,
}

impl TimingPoint {
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

/// Whether a scroll speed change lies at `time_us` in `timing` (sorted by time).
pub fn scroll_set_at(timing: &[TimingPoint], time_us: i64) -> bool {
    let first = timing.partition_point(|t| t.time_us < time_us);
    timing[first..]
        .iter()
        .take_while(|t| t.time_us == time_us)
        .any(|t| matches!(t.kind, TimingKind::Scroll { .. }))
}
