use std::fmt;

use super::{Chart, TimingKind, MAX_KEYS};

/// Where a problem is and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationIssue {
    pub kind: IssueKind,
    /// Index of the note or timing point the problem is in (meaning depends on `kind`).
    pub index: usize,
    pub time_us: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    KeyCountOutOfRange,
    NoBpm,
    NotesUnsorted,
    ColumnOutOfRange,
    NonPositiveHoldLength,
    DurationOnNonHold,
    OverlappingNotes,
    TimingUnsorted,
    NonFiniteNumber,
    NonPositiveBpm,
    NegativeDuration,
    TimeOverflow,
    KeysoundOutOfRange,
}

impl IssueKind {
    /// Whether the chart cannot be written faithfully with this problem. The others
    /// (overlaps, no BPM) are gameplay defects that real charts have and games accept.
    pub fn is_fatal(self) -> bool {
        !matches!(self, IssueKind::NoBpm | IssueKind::OverlappingNotes)
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
            IssueKind::NonPositiveBpm => ("BPM is zero or negative", "timing point"),
            IssueKind::NegativeDuration => ("stop or delay has a negative length", "timing point"),
            IssueKind::TimeOverflow => (
                "time is out of range (more than ±2^52 µs or end overflows)",
                "note",
            ),
            IssueKind::KeysoundOutOfRange => ("keysound index is not in the keysound list", "note"),
        };
        if subject == "chart" {
            write!(f, "{what}")
        } else {
            write!(f, "{subject} {} at {} µs: {what}", self.index, self.time_us)
        }
    }
}

/// Times beyond this are rejected: they survive f64 arithmetic exactly (2^52 µs ≈ 142 years).
pub const MAX_ABS_TIME_US: i64 = 1 << 52;

/// Reports every problem in `chart`, in order of position.
pub fn validate(chart: &Chart) -> Vec<ValidationIssue> {
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
        if t.time_us.unsigned_abs() > MAX_ABS_TIME_US as u64 {
            push(IssueKind::TimeOverflow, i, t.time_us);
        }
        if i > 0 && t.time_us < chart.timing[i - 1].time_us {
            push(IssueKind::TimingUnsorted, i, t.time_us);
        }
        match t.kind {
            TimingKind::Bpm { bpm, .. } if !bpm.is_finite() => {
                push(IssueKind::NonFiniteNumber, i, t.time_us)
            }
            TimingKind::Bpm { bpm, .. } if bpm <= 0.0 => {
                push(IssueKind::NonPositiveBpm, i, t.time_us)
            }
            TimingKind::Scroll { multiplier: v } | TimingKind::Warp { beats: v }
                if !v.is_finite() =>
            {
                push(IssueKind::NonFiniteNumber, i, t.time_us)
            }
            TimingKind::Stop { duration_us: d } | TimingKind::Delay { duration_us: d } if d < 0 => {
                push(IssueKind::NegativeDuration, i, t.time_us)
            }
            _ => {}
        }
    }

    // (start, furthest end) of the notes seen so far in each column, for the overlap check.
    let mut column_span: [Option<(i64, i64)>; 256] = [None; 256];
    for (i, n) in chart.notes.iter().enumerate() {
        let end = n.time_us.checked_add(n.duration_us);
        if n.time_us.unsigned_abs() > MAX_ABS_TIME_US as u64
            || end.map_or(true, |e| e.unsigned_abs() > MAX_ABS_TIME_US as u64)
        {
            push(IssueKind::TimeOverflow, i, n.time_us);
        }
        if i > 0 && n.time_us < chart.notes[i - 1].time_us {
            push(IssueKind::NotesUnsorted, i, n.time_us);
        }
        if n.column >= chart.key_count {
            push(IssueKind::ColumnOutOfRange, i, n.time_us);
        }
        if n.kind.has_duration() {
            if n.duration_us <= 0 {
                push(IssueKind::NonPositiveHoldLength, i, n.time_us);
            }
        } else if n.duration_us != 0 {
            push(IssueKind::DurationOnNonHold, i, n.time_us);
        }
        if let Some(k) = n.keysound {
            if k as usize >= chart.keysounds.len() {
                push(IssueKind::KeysoundOutOfRange, i, n.time_us);
            }
        }
        let this_end = end.unwrap_or(i64::MAX);
        let span = &mut column_span[n.column as usize];
        // Two notes at one time, or a note inside a hold; a note exactly at a hold's end is legal.
        if let Some((prev_start, prev_end)) = *span {
            if n.time_us == prev_start || n.time_us < prev_end {
                push(IssueKind::OverlappingNotes, i, n.time_us);
            }
        }
        *span = Some((n.time_us, span.map_or(this_end, |(_, e)| e.max(this_end))));
    }
    issues
}
