//! Rhythm Open Exchange: read, write and convert vertical-scrolling rhythm game charts.
//!
//! ```no_run
//! let bytes = std::fs::read("map.osu").unwrap();
//! let chart = rox::decode(&bytes, rox::Format::Auto).unwrap();
//! let packed = rox::encode(&chart, rox::Format::Rox).unwrap();
//!
//! // Every chart of a multi-chart file or archive, and what a conversion loses.
//! let set = rox::decode_set(&std::fs::read("song.osz").unwrap(), rox::Format::Auto).unwrap();
//! for chart in &set.charts {
//!     let (bytes, report) = rox::encode_with_report(chart, rox::Format::Osu).unwrap();
//!     for loss in &report.entries {
//!         eprintln!("{loss}");
//!     }
//! }
//! ```

pub mod analysis;
mod error;
pub mod ffi;
pub mod formats;
pub mod model;
pub mod timeline;

pub use error::{Error, Result};
pub use formats::{
    convert, convert_set, decode, decode_limited, decode_set, decode_set_limited,
    decode_set_with_options, encode, encode_archive, encode_set_with_report, encode_with_report,
    peek, peek_limited, peek_with_options, Format,
};
pub use model::{
    Chart, ChartSet, ConversionReport, DecodeLimits, DecodeOptions, HitSound, Loss, LossKind,
    Metadata, Note, NoteKind, TimingKind, TimingPoint, ValidationIssue,
};
