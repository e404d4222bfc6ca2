//! `cargo bench --bench bms`: BMS decode of the largest corpus BMS chart (lilith_mx.bms: 7K
//! with scratch, long notes, 1,385 BGM lines), beside the `.osu` decode of the 54K-note corpus
//! chart for scale (ROX writes no BMS yet, so the 54K chart cannot be read as BMS).

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
    let bms_bytes = std::fs::read(corpus.join("bms/lilith_mx.bms")).expect("the BMS chart");

    let mut group = c.benchmark_group("bms");
    group.bench_function("osu decode 54K notes (reference)", |b| {
        b.iter(|| osu::decode(black_box(&osu_bytes)).unwrap())
    });
    group.bench_function("decode lilith_mx.bms", |b| {
        b.iter(|| {
            let mut report = ConversionReport::default();
            bms::decode_limited(black_box(&bms_bytes), &DecodeLimits::default(), &mut report)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bms_benches);
criterion_main!(benches);
