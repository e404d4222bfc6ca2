//! Peak memory of decoding the 54K-note corpus chart, per format, relative to the size of the
//! chart it yields (docs/performance.md). Measured by a counting allocator, so this test has
//! its own binary. `cargo test --test peak_memory -- --nocapture` prints the figures.

use std::sync::atomic::Ordering;

use rox::model::{MetaField, Note, TimingPoint};
use rox::{Chart, Format};

mod common;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{LIVE, PEAK};

/// What issue 9 asks: a decode peaks at no more than 3× the chart it yields. Allocation
/// sizes do not depend on the machine's load, so every format is held to it here.
const BOUND: f64 = 3.0;

/// The bytes the decoded chart itself holds: its notes, timing points and strings.
fn chart_size(chart: &Chart) -> usize {
    let metadata: usize = MetaField::ALL
        .iter()
        .map(|f| f.get(&chart.metadata).len())
        .sum();
    let keysounds: usize = chart.keysounds.iter().map(String::len).sum();
    let extras: usize = chart.extras.iter().map(|(k, v)| k.len() + v.len()).sum();
    chart.notes.len() * size_of::<Note>()
        + chart.timing.len() * size_of::<TimingPoint>()
        + metadata
        + keysounds
        + extras
}

/// Decodes `bytes` and returns the chart with the peak bytes allocated meanwhile (the chart
/// included). The only test in this binary, so nothing else allocates during the decode.
fn measure(bytes: &[u8], format: Format) -> (Chart, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let chart = rox::decode(bytes, format).expect("the chart decodes");
    (chart, PEAK.load(Ordering::Relaxed) - before)
}

#[test]
fn decoding_the_54k_chart_peaks_within_3x_the_chart() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let osu = std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the chart");
    let chart = rox::decode(&osu, Format::Osu).expect("the chart decodes");
    let files = [Format::Sm, Format::Ssc, Format::Qua, Format::Rox]
        .map(|format| (format, rox::encode(&chart, format).expect("it encodes")));
    for (format, bytes) in std::iter::once((Format::Osu, osu)).chain(files) {
        let (decoded, peak) = measure(&bytes, format);
        let size = chart_size(&decoded);
        let ratio = peak as f64 / size as f64;
        println!(
            "{format:?}: file {} B, chart {size} B, peak {peak} B = {ratio:.2}× the chart",
            bytes.len()
        );
        assert!(
            ratio <= BOUND,
            "{format:?} decode peaks at {ratio:.2}× the chart it yields"
        );
    }
}
