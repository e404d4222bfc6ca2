//! `cargo bench --bench fnf`: FNF (legacy/Psych song) encode and decode of the 54K-note corpus
//! chart converted to FNF, beside the `.osu` decode and encode of the same chart.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::fnf::{self, FnfOptions};
use rox::formats::osu;
use rox::{ConversionReport, DecodeLimits};

#[path = "../tests/common/mod.rs"]
mod common;

fn fnf_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&bytes).expect("the benchmark chart decodes");
    let text = fnf::encode(&chart, &mut ConversionReport::default()).expect("a 4-key chart");
    let options = FnfOptions::default();

    let mut group = c.benchmark_group("fnf 54K notes");
    group.bench_function("osu decode (reference)", |b| {
        b.iter(|| osu::decode(black_box(&bytes)).unwrap())
    });
    group.bench_function("osu encode (reference)", |b| {
        b.iter(|| osu::encode(black_box(&chart), &mut ConversionReport::default()).unwrap())
    });
    group.bench_function("encode", |b| {
        b.iter(|| fnf::encode(black_box(&chart), &mut ConversionReport::default()).unwrap())
    });
    group.bench_function("decode", |b| {
        b.iter(|| {
            fnf::decode_set_with(black_box(&text), &options, &DecodeLimits::default()).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, fnf_benches);
criterion_main!(benches);
