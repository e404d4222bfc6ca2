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

criterion_group!(benches, stepmania_benches);
criterion_main!(benches);
