//! `cargo bench --bench stepmania`: decode and encode of the 54K-note corpus chart written as
//! `.sm`, with the osu! decode of the same chart (the format it comes from) as the baseline.

use std::path::PathBuf;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::{osu, stepmania};
use rox::model::ConversionReport;

fn corpus_file(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("ROX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let path = dir.join("osu").join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!(
                "corpus not found at {} ({e}); skipping the StepMania benchmarks",
                path.display()
            );
            None
        }
    }
}

fn stepmania_benches(c: &mut Criterion) {
    let Some(osu_bytes) = corpus_file("mania_4K_50K_notes.osu") else {
        return;
    };
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
