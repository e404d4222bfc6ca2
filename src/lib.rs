//! Rhythm Open Exchange: read, write and convert vertical-scrolling rhythm game charts.
//!
//! ```no_run
//! let bytes = std::fs::read("map.osu").unwrap();
//! let chart = rox::decode(&bytes, rox::Format::Auto).unwrap();
//! let packed = rox::encode(&chart, rox::Format::Rox).unwrap();
//! ```

mod error;
pub mod ffi;
pub mod formats;
pub mod model;

pub use error::{Error, Result};
pub use formats::{decode, encode, Format};
pub use model::{
    Chart, HitSound, Metadata, Note, NoteKind, TimingKind, TimingPoint, ValidationIssue,
};
