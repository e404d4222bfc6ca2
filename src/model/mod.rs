//! The format-neutral chart model. Times are `i64` microseconds from the start of the audio.

mod chart;
mod decode_limits;
mod decode_options;
mod format;
mod limits;
mod metadata;
mod note;
mod report;
mod set;
mod timing;
mod validate;

pub(crate) use chart::sort_by_key_stable;
pub use chart::Chart;
pub use decode_limits::{string_cost, text_size, DecodeLimits};
pub use decode_options::{DecodeOptions, FnfOptions, FnfSides, TaikoLayout, TaikoOptions};
pub use format::Format;
pub use limits::{
    time_in_range, DEFAULT_PATTERN_WINDOW_US, MAX_ABS_TIME_US, MAX_KEYS, STRING_COST,
};
pub use metadata::{MetaField, Metadata};
pub use note::{HitSound, HitSoundFlag, Note, NoteKind};
pub use report::{ConversionReport, Loss, LossKind};
pub use set::ChartSet;
pub use timing::{scroll_set_at, TimingEffect, TimingKind, TimingPoint, TimingTag};
pub use validate::{
    check_timing_point, validate, validate_without_notes, IssueKind, NoteChecker, ValidationIssue,
};
