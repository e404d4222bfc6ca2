use std::fmt;

use super::{time_in_range, Chart, Note, TimingKind, TimingPoint, MAX_KEYS};

/// Where a problem is and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationIssue {
    pub kind: IssueKind,
    /// Index of the note or timing point the problem is in (meaning depends on `kind`).
    pub index: usize,
    pub time_us: i64,
}

/// The kinds of validation problem. The numbers are part of the C ABI (`RoxIssueKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum IssueKind {
    /// The key count is not 1 to 18.
    KeyCountOutOfRange = 0,
    /// The chart has no BPM timing point.
    NoBpm = 1,
    /// A note is earlier than the note before it.
    NotesUnsorted = 2,
    /// A note's column is not below the key count.
    ColumnOutOfRange = 3,
    /// A hold or roll has a length of zero or less.
    NonPositiveHoldLength = 4,
    /// A note that is not a hold or roll has a duration.
    DurationOnNonHold = 5,
    /// A note starts before the previous note in its column ends.
    OverlappingNotes = 6,
    /// A timing point is earlier than the one before it.
    TimingUnsorted = 7,
    /// A timing value is NaN or infinite.
    NonFiniteNumber = 8,
    /// A BPM is negative.
    NegativeBpm = 9,
    /// A stop or delay has a negative length.
    NegativeDuration = 10,
    /// A time is beyond ±2^52 µs (or an end time overflows).
    TimeOverflow = 11,
    /// A note's keysound index is not in the keysound list.
    KeysoundOutOfRange = 12,
    /// A BPM is zero: scrolling stops (not fatal; formats without a stop lose it).
    ZeroBpm = 13,
}

impl IssueKind {
    pub fn from_i32(v: i32) -> Option<IssueKind> {
        Self::ALL.into_iter().find(|k| *k as i32 == v)
    }

    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [IssueKind; 14] = [
        IssueKind::KeyCountOutOfRange,
        IssueKind::NoBpm,
        IssueKind::NotesUnsorted,
        IssueKind::ColumnOutOfRange,
        IssueKind::NonPositiveHoldLength,
        IssueKind::DurationOnNonHold,
        IssueKind::OverlappingNotes,
        IssueKind::TimingUnsorted,
        IssueKind::NonFiniteNumber,
        IssueKind::NegativeBpm,
        IssueKind::NegativeDuration,
        IssueKind::TimeOverflow,
        IssueKind::KeysoundOutOfRange,
        IssueKind::ZeroBpm,
    ];

    /// Whether the problem concerns the chart as a whole rather than one note or timing point
    /// (its `index` and `time_us` then mean nothing).
    pub fn is_chart_wide(self) -> bool {
        matches!(self, IssueKind::KeyCountOutOfRange | IssueKind::NoBpm)
    }

    /// Whether the chart cannot be written faithfully with this problem. The others
    /// (overlaps, no BPM) are gameplay defects that real charts have and games accept.
    pub fn is_fatal(self) -> bool {
        !matches!(
            self,
            IssueKind::NoBpm | IssueKind::OverlappingNotes | IssueKind::ZeroBpm
        )
    }
}

impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, subject) = match self.kind {
            IssueKind::KeyCountOutOfRange => ("key count must be 1 to 18", "chart"),
            IssueKind::NoBpm => ("chart has no BPM timing point", "chart"),
            IssueKind::NotesUnsorted => ("note is earlier than the note before it", "note"),
            IssueKind::ColumnOutOfRange => ("column is not below the key count", "note"),
            IssueKind::NonPositiveHoldLength => {
                ("hold or roll has a length of zero or less", "note")
            }
            IssueKind::DurationOnNonHold => {
                ("note that is not a hold or roll has a duration", "note")
            }
            IssueKind::OverlappingNotes => (
                "note starts before the previous note in its column ends",
                "note",
            ),
            IssueKind::TimingUnsorted => (
                "timing point is earlier than the one before it",
                "timing point",
            ),
            IssueKind::NonFiniteNumber => ("value is NaN or infinite", "timing point"),
            IssueKind::NegativeBpm => ("BPM is negative", "timing point"),
            IssueKind::ZeroBpm => ("BPM is zero (scrolling stops)", "timing point"),
            IssueKind::NegativeDuration => ("stop or delay has a negative length", "timing point"),
            IssueKind::TimeOverflow => (
                "time is out of range (more than ±2^52 µs or end overflows)",
                "note",
            ),
            IssueKind::KeysoundOutOfRange => ("keysound index is not in the keysound list", "note"),
        };
        if self.kind.is_chart_wide() {
            write!(f, "{what}")
        } else {
            write!(f, "{subject} {} at {} µs: {what}", self.index, self.time_us)
        }
    }
}

/// Reports every problem in `chart`, in order of position.
pub fn validate(chart: &Chart) -> Vec<ValidationIssue> {
    let mut issues = validate_without_notes(chart);
    let mut checker = NoteChecker::new(chart.key_count, chart.keysounds.len());
    for (index, note) in chart.notes.iter().enumerate() {
        checker.check(note, |kind| {
            issues.push(ValidationIssue {
                kind,
                index,
                time_us: note.time_us,
            })
        });
    }
    issues
}

/// The chart-level and timing rules: everything `validate` checks except the notes. Codecs
/// that walk the notes anyway check them with a `NoteChecker` in the same loop.
pub fn validate_without_notes(chart: &Chart) -> Vec<ValidationIssue> {
    let mut issues = Vec::new();
    let mut push = |kind, index, time_us| {
        issues.push(ValidationIssue {
            kind,
            index,
            time_us,
        })
    };

    if chart.key_count == 0 || chart.key_count > MAX_KEYS {
        push(IssueKind::KeyCountOutOfRange, 0, 0);
    }
    if !chart
        .timing
        .iter()
        .any(|t| matches!(t.kind, TimingKind::Bpm { .. }))
    {
        push(IssueKind::NoBpm, 0, 0);
    }
    for (i, t) in chart.timing.iter().enumerate() {
        if i > 0 && t.time_us < chart.timing[i - 1].time_us {
            push(IssueKind::TimingUnsorted, i, t.time_us);
        }
        check_timing_point(t, |kind| push(kind, i, t.time_us));
    }
    issues
}

/// Calls `report` for every rule one timing point breaks on its own (order is a chart matter):
/// the single definition used by `validate` and by the C ABI when points are added.
pub fn check_timing_point(t: &TimingPoint, mut report: impl FnMut(IssueKind)) {
    if !time_in_range(t.time_us) {
        report(IssueKind::TimeOverflow);
    }
    match t.kind {
        TimingKind::Bpm { bpm, .. } if !bpm.is_finite() => report(IssueKind::NonFiniteNumber),
        TimingKind::Bpm { bpm, .. } if bpm < 0.0 => report(IssueKind::NegativeBpm),
        TimingKind::Bpm { bpm: 0.0, .. } => report(IssueKind::ZeroBpm),
        TimingKind::Scroll { multiplier: v } | TimingKind::Warp { beats: v } if !v.is_finite() => {
            report(IssueKind::NonFiniteNumber)
        }
        TimingKind::Stop { duration_us: d } | TimingKind::Delay { duration_us: d } if d < 0 => {
            report(IssueKind::NegativeDuration)
        }
        _ => {}
    }
}

/// The per-note rules, applied one note at a time in chart order: the single definition used
/// by `validate` and by codecs that check notes inside their own loops.
pub struct NoteChecker {
    key_count: u8,
    keysounds: usize,
    previous_time: i64,
    /// Per column, the earliest time the next note may start: after the furthest hold end,
    /// and after the last start (two notes at one time overlap; a note at a hold's end does not).
    free_from: [i64; 256],
}

impl NoteChecker {
    /// `keysounds` is the length of the chart's keysound list (`usize::MAX` to skip that rule).
    pub fn new(key_count: u8, keysounds: usize) -> NoteChecker {
        NoteChecker {
            key_count,
            keysounds,
            previous_time: i64::MIN,
            free_from: [i64::MIN; 256],
        }
    }

    /// Calls `report` for every rule the next note breaks.
    #[inline(always)]
    pub fn check(&mut self, note: &Note, mut report: impl FnMut(IssueKind)) {
        let end = note.time_us.checked_add(note.duration_us);
        if !time_in_range(note.time_us) || !end.is_some_and(time_in_range) {
            report(IssueKind::TimeOverflow);
        }
        if note.time_us < self.previous_time {
            report(IssueKind::NotesUnsorted);
        }
        self.previous_time = note.time_us;
        if note.column >= self.key_count {
            report(IssueKind::ColumnOutOfRange);
        }
        if note.kind.has_duration() {
            if note.duration_us <= 0 {
                report(IssueKind::NonPositiveHoldLength);
            }
        } else if note.duration_us != 0 {
            report(IssueKind::DurationOnNonHold);
        }
        if note.keysound.is_some_and(|k| k as usize >= self.keysounds) {
            report(IssueKind::KeysoundOutOfRange);
        }
        let free_from = &mut self.free_from[usize::from(note.column)];
        if note.time_us < *free_from {
            report(IssueKind::OverlappingNotes);
        }
        *free_from = (*free_from)
            .max(end.unwrap_or(i64::MAX))
            .max(note.time_us.saturating_add(1));
    }

    /// The first fatal rule (see `IssueKind::is_fatal`) note `index` breaks, for codecs that
    /// stop at the first problem.
    #[inline(always)]
    pub fn first_fatal(&mut self, index: usize, note: &Note) -> Result<(), ValidationIssue> {
        let mut found = None;
        self.check(note, |kind| {
            if kind.is_fatal() && found.is_none() {
                found = Some(kind);
            }
        });
        match found {
            None => Ok(()),
            Some(kind) => Err(ValidationIssue {
                kind,
                index,
                time_us: note.time_us,
            }),
        }
    }
}
