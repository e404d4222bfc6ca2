//! Properties shared by the fuzz targets.
use rox::{decode, encode, encode_with_report, Chart, Format};

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

/// A valid chart written in its own format with nothing reported reads back unchanged: a
/// same-format round trip loses nothing without a word. (Targets with their own codec-level
/// round trip do not call it.)
#[allow(dead_code)]
pub fn same_format_keeps(chart: &Chart, format: Format) {
    if chart.validate().iter().any(|i| i.kind.is_fatal()) {
        return;
    }
    if let Ok((bytes, report)) = encode_with_report(chart, format) {
        let again = decode(&bytes, format).expect("re-decoding our own output");
        if report.is_empty() {
            assert_eq!(&again, chart, "nothing reported, yet the chart changed");
        }
    }
}
