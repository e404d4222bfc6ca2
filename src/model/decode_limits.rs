//! How much one decode may build (see [`DecodeLimits`]).

use super::{Chart, MetaField, STRING_COST};
use crate::{Error, Result};

/// How much one decode call may build, whatever the input: a small hostile file (a `.rox` of
/// tiny notes, an archive of charts that inflate well) must not take a game's memory. Each
/// limit covers everything one call builds, all the charts of a set together, and is checked
/// before the memory is taken; going past one is `Error::LimitExceeded`, naming it.
///
/// The defaults are far above any real chart (the largest hold about 100,000 notes and a few
/// thousand timing points) and bound one decode to about 200 MB: see docs/abi.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Notes, in all charts together.
    pub max_notes: u64,
    /// Timing points, in all charts together (a chart of a StepMania file counts the song's
    /// timing it inherits).
    pub max_timing_points: u64,
    /// Bytes of text (metadata, keysound names, extras), each string also counting the
    /// [`STRING_COST`] bytes that hold it.
    pub max_text_bytes: u64,
    /// Charts in one set.
    pub max_charts: u64,
}

impl Default for DecodeLimits {
    fn default() -> DecodeLimits {
        DecodeLimits {
            max_notes: 1_000_000,
            max_timing_points: 500_000,
            max_text_bytes: 32 << 20,
            max_charts: 1_000,
        }
    }
}

impl DecodeLimits {
    /// `Err` when `count` notes would pass [`DecodeLimits::max_notes`].
    #[inline]
    pub fn check_notes(&self, count: usize) -> Result<()> {
        self.check(count as u64, Limit::Notes)
    }

    /// `Err` when `count` timing points would pass [`DecodeLimits::max_timing_points`].
    #[inline]
    pub fn check_timing_points(&self, count: usize) -> Result<()> {
        self.check(count as u64, Limit::TimingPoints)
    }

    /// `Err` when `bytes` of text would pass [`DecodeLimits::max_text_bytes`].
    pub fn check_text(&self, bytes: u64) -> Result<()> {
        self.check(bytes, Limit::Text)
    }

    /// `Err` when `count` charts would pass [`DecodeLimits::max_charts`].
    pub fn check_charts(&self, count: usize) -> Result<()> {
        self.check(count as u64, Limit::Charts)
    }

    #[inline]
    fn check(&self, count: u64, limit: Limit) -> Result<()> {
        if count <= self.value(limit) {
            Ok(())
        } else {
            Err(limit.exceeded(self.value(limit)))
        }
    }

    fn value(&self, limit: Limit) -> u64 {
        match limit {
            Limit::Notes => self.max_notes,
            Limit::TimingPoints => self.max_timing_points,
            Limit::Text => self.max_text_bytes,
            Limit::Charts => self.max_charts,
        }
    }

    /// `e` as the caller should read it when it came from a part of a set checked against what
    /// was left (`after`): a limit exceeded names these limits, the caller's whole ones, not
    /// the rest ("more than 0 charts" where the caller set 1,000).
    pub fn restate(&self, e: Error) -> Error {
        match e {
            Error::LimitExceeded { field, .. } => {
                match Limit::ALL.into_iter().find(|l| l.field() == field) {
                    Some(limit) => limit.exceeded(self.value(limit)),
                    None => e,
                }
            }
            other => other,
        }
    }

    /// The whole of `chart` checked against these limits.
    pub fn check_chart(&self, chart: &Chart) -> Result<()> {
        self.check_notes(chart.notes.len())?;
        self.check_timing_points(chart.timing.len())?;
        self.check_text(text_size(chart))
    }

    /// What is left for the rest of a set once `chart` is built.
    pub fn after(&self, chart: &Chart) -> DecodeLimits {
        DecodeLimits {
            max_notes: self.max_notes.saturating_sub(chart.notes.len() as u64),
            max_timing_points: self
                .max_timing_points
                .saturating_sub(chart.timing.len() as u64),
            max_text_bytes: self.max_text_bytes.saturating_sub(text_size(chart)),
            max_charts: self.max_charts.saturating_sub(1),
        }
    }
}

/// The limits, each named once as its error names it.
#[derive(Clone, Copy)]
enum Limit {
    Notes,
    TimingPoints,
    Text,
    Charts,
}

impl Limit {
    const ALL: [Limit; 4] = [
        Limit::Notes,
        Limit::TimingPoints,
        Limit::Text,
        Limit::Charts,
    ];

    fn field(self) -> &'static str {
        match self {
            Limit::Notes => "max_notes",
            Limit::TimingPoints => "max_timing_points",
            Limit::Text => "max_text_bytes",
            Limit::Charts => "max_charts",
        }
    }

    fn exceeded(self, limit: u64) -> Error {
        let what = match self {
            Limit::Notes => "notes",
            Limit::TimingPoints => "timing points",
            Limit::Text => "bytes of text",
            Limit::Charts => "charts",
        };
        Error::LimitExceeded {
            what,
            field: self.field(),
            limit,
        }
    }
}

/// The bytes of text a chart holds, as [`DecodeLimits::max_text_bytes`] counts them.
pub fn text_size(chart: &Chart) -> u64 {
    let metadata = MetaField::ALL.iter().map(|f| f.get(&chart.metadata));
    let keysounds = chart.keysounds.iter().map(String::as_str);
    let extras = chart
        .extras
        .iter()
        .flat_map(|(k, v)| [k.as_str(), v.as_str()]);
    string_cost(metadata.chain(keysounds).chain(extras))
}

/// What `strings` cost in [`DecodeLimits::max_text_bytes`].
pub fn string_cost<'a>(strings: impl IntoIterator<Item = &'a str>) -> u64 {
    strings
        .into_iter()
        .map(|s| s.len() as u64 + STRING_COST)
        .sum()
}
