//! Codecs, one folder per format, and the dispatch that picks one.

pub mod osu;
pub mod quaver;
pub mod rox;

use crate::{Chart, Error, Result};

/// A chart file format. The numbers are part of the C ABI (`RoxFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Format {
    /// Detect from the bytes (decode only).
    Auto = 0,
    Rox = 1,
    Osu = 2,
    Sm = 3,
    Ssc = 4,
    Qua = 5,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Auto,
        Format::Rox,
        Format::Osu,
        Format::Sm,
        Format::Ssc,
        Format::Qua,
    ];

    pub fn from_i32(v: i32) -> Option<Format> {
        Self::ALL.into_iter().find(|f| *f as i32 == v)
    }

    /// The format a file name's extension names (case-insensitive), if any.
    pub fn from_extension(path: &str) -> Option<Format> {
        let ext = std::path::Path::new(path)
            .extension()?
            .to_str()?
            .to_ascii_lowercase();
        Self::from_name(&ext).filter(|f| *f != Format::Auto)
    }

    /// Parses a format name as used by the CLI (`osu`, `rox`, `sm`, `ssc`, `qua`, `auto`).
    pub fn from_name(name: &str) -> Option<Format> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Rox => "rox",
            Format::Osu => "osu",
            Format::Sm => "sm",
            Format::Ssc => "ssc",
            Format::Qua => "qua",
        }
    }

    /// Identifies the format from the content. `None` when nothing matches.
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        if rox::is_rox(bytes) {
            Some(Format::Rox)
        } else if osu::is_osu(bytes) {
            Some(Format::Osu)
        } else {
            None
        }
    }
}

/// Decodes one chart. With `Format::Auto` the format is detected from the bytes.
pub fn decode(bytes: &[u8], format: Format) -> Result<Chart> {
    let format = match format {
        Format::Auto => Format::detect(bytes).ok_or_else(|| {
            Error::UnknownFormat("the data is not a chart in any supported format".into())
        })?,
        f => f,
    };
    match format {
        Format::Rox => rox::decode(bytes),
        Format::Osu => osu::decode(bytes),
        Format::Sm | Format::Ssc | Format::Qua => Err(Error::UnsupportedFormat(format.name())),
        Format::Auto => unreachable!("resolved above"),
    }
}

/// Encodes a chart. A chart with a fatal validation problem is refused, not written.
pub fn encode(chart: &Chart, format: Format) -> Result<Vec<u8>> {
    let issues: Vec<_> = chart
        .validate()
        .into_iter()
        .filter(|i| i.kind.is_fatal())
        .collect();
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    match format {
        Format::Rox => rox::encode(chart),
        Format::Osu => osu::encode(chart),
        Format::Auto => Err(Error::InvalidArgument(
            "choose a format to encode to; \"auto\" only applies to decoding".into(),
        )),
        Format::Sm | Format::Ssc | Format::Qua => Err(Error::UnsupportedFormat(format.name())),
    }
}
