//! `.osz` (osu!) and `.qp` (Quaver) archives: zip files holding a song's charts plus its audio
//! and images. The chart entries are decoded, each by its extension; the other entries are
//! only listed, never inflated. Nothing is ever extracted from an archive, so entry names are
//! only labels (a `../` in one is harmless). `write` makes archives from sets.
//!
//! Archives come from strangers, so everything read is bounded: the number of entries, the
//! size of one chart (checked while inflating, not only from the size the entry claims) and
//! the total inflated size.

mod write;

use std::io::{Cursor, Read};

use zip::ZipArchive;

pub use write::encode_archive;

use super::{decode_file, Content, Format};
use crate::model::{ChartSet, DecodeOptions, LossKind};
use crate::{Error, Result};

/// Local file header signature: every zip archive starts with it.
const MAGIC: &[u8] = b"PK\x03\x04";

/// Entries an archive may have. A song with a few dozen difficulties, hit sounds and a
/// storyboard stays far below.
pub const MAX_ARCHIVE_ENTRIES: usize = 10_000;
/// Largest inflated chart entry. The largest real charts are a few MB.
pub const MAX_CHART_ENTRY_SIZE: u64 = 64 << 20;
/// Largest inflated size of all chart entries together.
pub const MAX_ARCHIVE_TOTAL_SIZE: u64 = 256 << 20;

pub fn is_archive(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// The format of the first chart entry, in directory order.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let zip = open(bytes).ok()?;
    let first = zip.file_names().find_map(chart_format);
    first
}

/// The format of an archive entry that is a chart, by its name. `from_extension` names chart
/// formats only, never an archive: nested archives are resources. So are `.json` files: osu!
/// and Quaver archives hold no FNF songs.
fn chart_format(name: &str) -> Option<Format> {
    Format::from_extension(name).filter(|f| *f != Format::Fnf)
}

/// Decodes every chart entry (only those of `only`, unless it is `Auto`) with `options`, all
/// within its limits.
/// An entry that cannot be read or decoded is reported as `ChartDropped` and the others are
/// still read; if none decodes, the first failure is the error. Going past a limit ends the
/// whole decode.
pub fn decode(
    bytes: &[u8],
    only: Format,
    options: &DecodeOptions,
    content: Content,
) -> Result<ChartSet> {
    let mut zip = open(bytes)?;
    let mut set = ChartSet::default();
    let mut first_error = None;
    let mut total = 0u64;
    // Files after the first are read with what the ones before left of the limits.
    let (whole, mut left) = (options.limits, *options);
    for i in 0..zip.len() {
        let Some(name) = zip.name_for_index(i).map(str::to_owned) else {
            continue;
        };
        if name.ends_with('/') {
            continue; // a directory
        }
        let wanted = |f: &Format| only == Format::Auto || *f == only;
        let Some(format) = chart_format(&name).filter(wanted) else {
            set.resources.push(name);
            continue;
        };
        let result = inflate(&mut zip, i).and_then(|data| {
            total += data.len() as u64;
            if total > MAX_ARCHIVE_TOTAL_SIZE {
                return Err(Error::Archive(format!(
                    "its charts inflate to more than {MAX_ARCHIVE_TOTAL_SIZE} bytes"
                )));
            }
            decode_file(&data, format, &left, content)
        });
        match result {
            Ok(part) => {
                for chart in &part.charts {
                    left.limits.check_charts(1).map_err(|e| whole.restate(e))?;
                    left.limits = left.limits.after(chart);
                }
                set.charts.extend(part.charts);
                for mut loss in part.report.entries {
                    loss.message = format!("{name}: {}", loss.message);
                    set.report.entries.push(loss);
                }
            }
            Err(e) if total > MAX_ARCHIVE_TOTAL_SIZE => return Err(e),
            Err(e @ Error::LimitExceeded { .. }) => return Err(whole.restate(e)),
            Err(e) => {
                set.report
                    .push(LossKind::ChartDropped, format!("{name} not read: {e}"));
                first_error.get_or_insert(e);
            }
        }
    }
    if set.charts.is_empty() {
        return Err(first_error.unwrap_or_else(|| {
            Error::NoChart(format!(
                "the archive holds no {}chart file ({} other entries)",
                match only {
                    Format::Auto => String::new(),
                    f => format!(".{} ", f.name()),
                },
                set.resources.len()
            ))
        }));
    }
    Ok(set)
}

/// The inflated content of entry `index`, at most [`MAX_CHART_ENTRY_SIZE`] bytes.
fn inflate(zip: &mut ZipArchive<Cursor<&[u8]>>, index: usize) -> Result<Vec<u8>> {
    let entry = zip
        .by_index(index)
        .map_err(|e| Error::Archive(e.to_string()))?;
    let too_large = || {
        Error::Archive(format!(
            "the entry inflates to more than {MAX_CHART_ENTRY_SIZE} bytes"
        ))
    };
    if entry.size() > MAX_CHART_ENTRY_SIZE {
        return Err(too_large());
    }
    // Room past the claimed size, so that `read_to_end` detects the end in the vector rather
    // than through its 32-byte stack probe, in which valgrind sees a branch on uninitialised
    // bytes inside zip's inlined reader with some code layouts (tests/c/run.sh).
    let mut data = Vec::with_capacity(entry.size() as usize + 64);
    // One byte more than allowed, to catch an entry that inflates beyond the size it claims.
    entry
        .take(MAX_CHART_ENTRY_SIZE + 1)
        .read_to_end(&mut data)
        .map_err(|e| Error::Archive(e.to_string()))?;
    if data.len() as u64 > MAX_CHART_ENTRY_SIZE {
        return Err(too_large());
    }
    Ok(data)
}

fn open(bytes: &[u8]) -> Result<ZipArchive<Cursor<&[u8]>>> {
    let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::Archive(e.to_string()))?;
    if zip.len() > MAX_ARCHIVE_ENTRIES {
        return Err(Error::Archive(format!(
            "{} entries, more than the {MAX_ARCHIVE_ENTRIES} allowed",
            zip.len()
        )));
    }
    Ok(zip)
}
