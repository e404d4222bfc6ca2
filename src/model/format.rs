//! The chart file formats this library knows.

/// A chart file format. The numbers are part of the C ABI (`RoxFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Format {
    /// Detect from the bytes (decode only).
    Auto = 0,
    /// ROX binary (`.rox`).
    Rox = 1,
    /// osu!mania (`.osu`).
    Osu = 2,
    /// StepMania (`.sm`).
    Sm = 3,
    /// StepMania 5 (`.ssc`).
    Ssc = 4,
    /// Quaver (`.qua`).
    Qua = 5,
    /// The chart model as JSON (`.rox.json`, docs/json-format.md).
    RoxJson = 6,
    /// BMS (`.bms`, `.bme`, `.bml`, `.pms`; docs/bms.md).
    Bms = 7,
    /// bmson, BMS as JSON (`.bmson`; read only; docs/bms.md).
    Bmson = 8,
    /// Friday Night Funkin' (`.json`: a legacy/Psych Engine song or a V-Slice chart;
    /// docs/fnf.md).
    Fnf = 9,
}

impl Format {
    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [Format; 10] = [
        Format::Auto,
        Format::Rox,
        Format::Osu,
        Format::Sm,
        Format::Ssc,
        Format::Qua,
        Format::RoxJson,
        Format::Bms,
        Format::Bmson,
        Format::Fnf,
    ];

    pub fn from_i32(v: i32) -> Option<Format> {
        Self::ALL.into_iter().find(|f| *f as i32 == v)
    }

    /// Whether a chart can come from this format as its source: a game's own format, not
    /// `.rox` or `.rox.json` (which keep the original's) or `Auto`.
    pub fn is_source(self) -> bool {
        !matches!(self, Format::Auto | Format::Rox | Format::RoxJson)
    }

    /// Whether the format holds the whole chart model (`.rox`, `.rox.json`): nothing to report.
    pub fn is_lossless(self) -> bool {
        matches!(self, Format::Rox | Format::RoxJson)
    }

    /// The format a file name's extension names (case-insensitive), if any. Archives (`.osz`,
    /// `.qp`) name none: they are recognised by content, and cannot be written. `.rox.json` is
    /// `RoxJson`; any other `.json` is `Fnf`, the one game format with that extension.
    pub fn from_extension(path: &str) -> Option<Format> {
        let name = std::path::Path::new(path).file_name()?.to_str()?;
        // `.rox.json` is the one double extension; `Path::extension` sees only `json`.
        let (stem, ext) = name.rsplit_once('.')?;
        let ext = ext.to_ascii_lowercase();
        if ext == "json" {
            let inner = stem.rsplit_once('.').map_or("", |(_, inner)| inner);
            let rox = inner.eq_ignore_ascii_case("rox");
            return Some(if rox { Format::RoxJson } else { Format::Fnf });
        }
        if matches!(ext.as_str(), "bme" | "bml" | "pms") {
            return Some(Format::Bms);
        }
        Self::from_name(&ext).filter(|f| *f != Format::Auto)
    }

    /// Parses a format name as used by the CLI (`osu`, `rox`, `sm`, `ssc`, `qua`, `rox.json`,
    /// `bms`, `bmson`, `fnf`, `auto`).
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
            Format::RoxJson => "rox.json",
            Format::Bms => "bms",
            Format::Bmson => "bmson",
            Format::Fnf => "fnf",
        }
    }

    /// Whether one file of this format holds several charts (StepMania files do); the others
    /// hold exactly one.
    pub fn holds_many_charts(self) -> bool {
        matches!(self, Format::Sm | Format::Ssc)
    }
}
