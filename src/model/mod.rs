//! The format-neutral chart model. Times are `i64` microseconds from the start of the audio.

mod chart;
mod metadata;
mod note;
mod report;
mod set;
mod timing;
mod validate;

pub use chart::Chart;
pub use metadata::Metadata;
pub use note::{HitSound, Note, NoteKind};
pub use report::{ConversionReport, Loss, LossKind};
pub use set::ChartSet;
pub use timing::{TimingKind, TimingPoint};
pub use validate::{
    validate, validate_without_notes, IssueKind, NoteChecker, ValidationIssue, MAX_ABS_TIME_US,
};

/// Columns a chart may have (osu!mania allows up to 18).
pub const MAX_KEYS: u8 = 18;
