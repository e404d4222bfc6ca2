//! `cargo bench --bench bms`: BMS decode and encode of the 54K-note corpus chart
//! (mania_4K_50K_notes.osu written as `.bme`: 1/3 of its tempo, rows of 1/96 beat; docs/bms.md),
//! beside the `.osu` decode and encode of the same chart in the same run, and the largest
//! corpus BMS chart (lilith_mx.bms: long notes, 1,385 BGM lines).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::{bms, osu};
use rox::{ConversionReport, DecodeLimits};

#[path = "../tests/common/mod.rs"]
mod common;

fn bms_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let osu_bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&osu_bytes).expect("the benchmark chart decodes");
    let bme = bms::encode(&chart, &mut ConversionReport::default()).expect("it is written");
    let lilith = std::fs::read(corpus.join("bms/lilith_mx.bms")).expect("the BMS chart");
    let decode = |bytes: &[u8]| {
        let mut report = ConversionReport::default();
        bms::decode_limited(bytes, &DecodeLimits::default(), &mut report).unwrap()
    };
    let written = decode(&bme);

    let mut group = c.benchmark_group("bms 54K notes");
    group.bench_function("osu decode (reference)", |b| {
        b.iter(|| osu::decode(black_box(&osu_bytes)).unwrap())
    });
    group.bench_function("osu encode (reference)", |b| {
        b.iter(|| osu::encode(black_box(&chart), &mut ConversionReport::default()).unwrap())
    });
    group.bench_function("decode .bme", |b| b.iter(|| decode(black_box(&bme))));
    group.bench_function("encode .bme", |b| {
        b.iter(|| bms::encode(black_box(&written), &mut ConversionReport::default()).unwrap())
    });
    group.bench_function("decode lilith_mx.bms", |b| {
        b.iter(|| decode(black_box(&lilith)))
    });
    group.finish();
}

criterion_group!(benches, bms_benches);
criterion_main!(benches);
