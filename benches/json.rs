//! `cargo bench --bench json`: `.rox.json` encode and decode of the 54K-note corpus chart,
//! beside the `.osu` decode of the same chart (issue 10: within 3× of it).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::{json, osu};
use rox::DecodeLimits;

#[path = "../tests/common/mod.rs"]
mod common;

fn json_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&bytes).expect("the benchmark chart decodes");
    let text = json::encode(&chart);

    let mut group = c.benchmark_group("json 54K notes");
    group.bench_function("osu decode (reference)", |b| {
        b.iter(|| osu::decode(black_box(&bytes)).unwrap())
    });
    group.bench_function("encode", |b| b.iter(|| json::encode(black_box(&chart))));
    group.bench_function("decode", |b| {
        b.iter(|| json::decode_limited(black_box(&text), &DecodeLimits::default()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, json_benches);
criterion_main!(benches);
