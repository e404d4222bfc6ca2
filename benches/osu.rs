//! `cargo bench --bench osu`: decode and encode of the 54K-note corpus chart, with rosu-map's
//! decode of the same bytes as a baseline.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::osu;
use rox::ConversionReport;

#[path = "../tests/common/mod.rs"]
mod common;

fn osu_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&bytes).expect("the benchmark chart decodes");

    let mut group = c.benchmark_group("osu 54K notes");
    group.bench_function("decode", |b| {
        b.iter(|| osu::decode(black_box(&bytes)).unwrap())
    });
    group.bench_function("encode", |b| {
        b.iter(|| osu::encode(black_box(&chart), &mut ConversionReport::default()).unwrap())
    });
    group.bench_function("rosu-map decode (baseline)", |b| {
        b.iter(|| rosu_map::from_bytes::<rosu_map::Beatmap>(black_box(&bytes)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, osu_benches);
criterion_main!(benches);
