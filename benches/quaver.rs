//! `cargo bench --bench quaver`: decode and encode of the 54K-note corpus chart converted to
//! `.qua`, with the `.osu` decode of the same chart as a baseline from the same run.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::{osu, quaver};
use rox::model::ConversionReport;

#[path = "../tests/common/mod.rs"]
mod common;

fn quaver_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let osu_bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&osu_bytes).expect("the benchmark chart decodes");
    let qua = quaver::encode(&chart, &mut ConversionReport::default()).expect("it encodes");

    let mut group = c.benchmark_group("qua 54K notes");
    group.bench_function("decode", |b| {
        b.iter(|| quaver::decode(black_box(&qua), &mut ConversionReport::default()).unwrap())
    });
    group.bench_function("encode", |b| {
        b.iter(|| quaver::encode(black_box(&chart), &mut ConversionReport::default()).unwrap())
    });
    group.bench_function("osu decode (baseline)", |b| {
        b.iter(|| osu::decode(black_box(&osu_bytes)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, quaver_benches);
criterion_main!(benches);
