//! `cargo bench --bench stepmania`: decode and encode of the 54K-note corpus chart written as
//! `.sm`, with the osu! decode of the same chart (the format it comes from) as the baseline.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::{osu, stepmania};
use rox::model::ConversionReport;

#[path = "../tests/common/mod.rs"]
mod common;

fn stepmania_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let osu_bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&osu_bytes).expect("the benchmark chart decodes");
    let sm = stepmania::encode(
        std::slice::from_ref(&chart),
        stepmania::Dialect::Sm,
        &mut ConversionReport::default(),
    )
    .expect("the benchmark chart encodes");
    let charts = stepmania::decode(
        &sm,
        stepmania::Dialect::Sm,
        &mut ConversionReport::default(),
    )
    .expect("the written .sm decodes");

    let mut group = c.benchmark_group("stepmania 54K notes");
    group.bench_function("decode .sm", |b| {
        b.iter(|| {
            let mut report = ConversionReport::default();
            stepmania::decode(black_box(&sm), stepmania::Dialect::Sm, &mut report).unwrap()
        })
    });
    group.bench_function("encode .sm (from the .sm chart)", |b| {
        b.iter(|| {
            let mut report = ConversionReport::default();
            stepmania::encode(black_box(&charts), stepmania::Dialect::Sm, &mut report).unwrap()
        })
    });
    group.bench_function("encode .sm (from the osu! chart, snapping reported)", |b| {
        b.iter(|| {
            let mut report = ConversionReport::default();
            stepmania::encode(
                black_box(std::slice::from_ref(&chart)),
                stepmania::Dialect::Sm,
                &mut report,
            )
            .unwrap()
        })
    });
    group.bench_function("osu decode (baseline)", |b| {
        b.iter(|| osu::decode(black_box(&osu_bytes)).unwrap())
    });
    group.finish();
}

/// 10,000 BPM changes under 40,000 notes: a rescan of the timing per note (quadratic) would
/// take seconds here; linear work takes a few times the 54K chart's decode.
fn many_bpm_changes(c: &mut Criterion) {
    let bpms: Vec<String> = (0..10_000)
        .map(|i| format!("{}={}", i, 120 + i % 50))
        .collect();
    let notes = "1000\n0100\n0010\n0001\n,\n".repeat(10_000);
    let text = format!(
        "#VERSION:0.83;#OFFSET:0;#BPMS:{};#NOTEDATA:;#STEPSTYPE:dance-single;#NOTES:{notes};",
        bpms.join(",")
    );
    let ssc = stepmania::Dialect::Ssc;
    let charts = stepmania::decode(text.as_bytes(), ssc, &mut ConversionReport::default())
        .expect("the generated chart decodes");
    let mut group = c.benchmark_group("stepmania 10,000 BPM changes");
    group.bench_function("decode .ssc", |b| {
        b.iter(|| {
            stepmania::decode(
                black_box(text.as_bytes()),
                ssc,
                &mut ConversionReport::default(),
            )
            .unwrap()
        })
    });
    group.bench_function("encode .ssc", |b| {
        b.iter(|| {
            stepmania::encode(black_box(&charts), ssc, &mut ConversionReport::default()).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, stepmania_benches, many_bpm_changes);
criterion_main!(benches);
