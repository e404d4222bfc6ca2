//! `cargo bench --bench bms`: BMS decode and encode. The 54K-note corpus chart cannot be
//! written as BMS (tempo changes closer together than its rows allow: docs/bms.md), so the
//! comparison with `.osu` is on the corpus 7K chart (mania_7k.osu, 2,600 notes) converted to
//! `.bme`, beside the largest corpus BMS chart (lilith_mx.bms: long notes, 1,385 BGM lines).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::{bms, osu};
use rox::{ConversionReport, DecodeLimits};

#[path = "../tests/common/mod.rs"]
mod common;

fn bms_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let osu_bytes = std::fs::read(corpus.join("osu/mania_7k.osu")).expect("the 7K chart");
    let chart = osu::decode(&osu_bytes).expect("the 7K chart decodes");
    let bme = bms::encode(&chart, &mut ConversionReport::default()).expect("it is written");
    let lilith = std::fs::read(corpus.join("bms/lilith_mx.bms")).expect("the BMS chart");
    let decode = |bytes: &[u8]| {
        let mut report = ConversionReport::default();
        bms::decode_limited(bytes, &DecodeLimits::default(), &mut report).unwrap()
    };

    let mut group = c.benchmark_group("bms");
    group.bench_function("osu decode mania_7k (reference)", |b| {
        b.iter(|| osu::decode(black_box(&osu_bytes)).unwrap())
    });
    group.bench_function("decode mania_7k as .bme", |b| {
        b.iter(|| decode(black_box(&bme)))
    });
    group.bench_function("encode mania_7k as .bme", |b| {
        b.iter(|| bms::encode(black_box(&chart), &mut ConversionReport::default()).unwrap())
    });
    group.bench_function("decode lilith_mx.bms", |b| {
        b.iter(|| decode(black_box(&lilith)))
    });
    group.finish();
}

criterion_group!(benches, bms_benches);
criterion_main!(benches);
