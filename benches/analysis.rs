//! `cargo bench --bench analysis`: the statistics and the content hash of the 54K-note corpus
//! chart, with a copy of its notes (a memcpy) as the same-run floor.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::analysis::{content_hash, density, file_md5, statistics};
use rox::formats::osu;

#[path = "../tests/common/mod.rs"]
mod common;

fn analysis_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&bytes).expect("the benchmark chart decodes");

    let mut group = c.benchmark_group("analysis 54K notes");
    group.bench_function("copy the notes (floor)", |b| {
        b.iter(|| black_box(&chart.notes).clone())
    });
    group.bench_function("statistics", |b| b.iter(|| statistics(black_box(&chart))));
    group.bench_function("density 100", |b| {
        b.iter(|| density(black_box(&chart), 100))
    });
    group.bench_function("content_hash", |b| {
        b.iter(|| content_hash(black_box(&chart)))
    });
    group.bench_function("file_md5", |b| b.iter(|| file_md5(black_box(&bytes))));
    group.finish();
}

criterion_group!(benches, analysis_benches);
criterion_main!(benches);
