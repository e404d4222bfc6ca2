//! Properties shared by the fuzz targets.
use rox::{decode, encode, Chart, Format};

/// Every writer's output reads back (issue 11, item 2): the chart is written in every format,
/// and whatever a writer accepts must decode again. A writer may refuse a chart its format
/// cannot express (an error), but must never write a file its own reader rejects.
pub fn every_encoding_decodes(chart: &Chart) {
    for format in Format::ALL.into_iter().filter(|f| *f != Format::Auto) {
        if let Ok(bytes) = encode(chart, format) {
            if let Err(e) = decode(&bytes, format) {
                panic!("the .{} writer's output does not read back: {e}", format.name());
            }
        }
    }
}
