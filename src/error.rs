//! The one error type of the library. Every message names what is wrong and, where it can,
//! where (line, byte offset, note index), because users read these in game consoles.

use crate::model::ValidationIssue;

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("unknown chart format: {0}")]
    UnknownFormat(String),

    #[error("{0} is not supported yet")]
    UnsupportedFormat(&'static str),

    #[error("not an osu!mania chart: this is an osu!{mode_name} map (Mode: {mode}); only mania (Mode: 3) and taiko (Mode: 1) maps can be read")]
    NotMania { mode: i32, mode_name: &'static str },

    #[error("{format} line {line}: {message}")]
    Parse {
        format: &'static str,
        line: usize,
        message: String,
    },

    #[error("invalid key count {0}: a chart needs 1 to 18 columns")]
    InvalidKeyCount(i64),

    #[error("text is not valid {encoding}: {detail}")]
    Encoding {
        encoding: &'static str,
        detail: String,
    },

    #[error("no chart found: {0}")]
    NoChart(String),

    #[error("unreadable archive: {0}")]
    Archive(String),

    #[error("corrupt .rox data: {0}")]
    Corrupt(String),

    #[error(".rox checksum mismatch: the file is damaged (stored {stored:#010x}, computed {computed:#010x})")]
    Checksum { stored: u32, computed: u32 },

    #[error(".rox format version {found} is newer than this library understands (up to {supported}); update ROX")]
    UnsupportedVersion { found: u16, supported: u16 },

    #[error("chart is invalid ({} problem(s)); first: {}", .0.len(), .0.first().map(|i| i.to_string()).unwrap_or_default())]
    Invalid(Vec<ValidationIssue>),

    #[error("the input would build more than {limit} {what}, the decode limit `{field}`; raise it (DecodeLimits) to read this file")]
    LimitExceeded {
        what: &'static str,
        field: &'static str,
        limit: u64,
    },

    #[error("{0}")]
    InvalidArgument(String),

    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}
