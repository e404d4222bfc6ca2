//! .rox speed and size on the 54K-note corpus chart, beside baselines measured in the same
//! run: cloning the chart (the least any decoder that builds a `Chart` must do) and
//! `validate` (whose rules the codec checks on every note it reads or writes).
//!
//! Targets (from the issue that asked for the format): < 40 KB, decode < 0.3 ms, encode
//! < 0.6 ms on 2 cores.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use rox::formats::rox::{decode, encode, encode_with, Compression};
use rox::Format;

/// Levels compared for the default (`DEFAULT_ZSTD_LEVEL`): size against encode time.
const ZSTD_LEVELS: [i32; 6] = [1, 2, 3, 6, 9, 19];

fn bench(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let osu =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = rox::formats::osu::decode(&osu).expect("the benchmark chart decodes");
    let mut group = c.benchmark_group("rox_54k");

    let raw = encode_with(&chart, Compression::None).unwrap();
    eprintln!(
        "{} notes; uncompressed .rox: {} bytes",
        chart.notes.len(),
        raw.len()
    );
    for level in ZSTD_LEVELS {
        let bytes = encode_with(&chart, Compression::Zstd(level)).unwrap();
        eprintln!("zstd level {level}: {} bytes", bytes.len());
        group.bench_function(format!("encode/zstd-{level}"), |b| {
            b.iter(|| encode_with(black_box(&chart), Compression::Zstd(level)).unwrap())
        });
        group.bench_function(format!("decode/zstd-{level}"), |b| {
            b.iter(|| decode(black_box(&bytes)).unwrap())
        });
    }
    group.bench_function("encode/none", |b| {
        b.iter(|| encode_with(black_box(&chart), Compression::None).unwrap())
    });
    group.bench_function("decode/none", |b| {
        b.iter(|| decode(black_box(&raw)).unwrap())
    });

    let default = encode(&chart).unwrap();
    eprintln!("default encoding: {} bytes", default.len());
    group.bench_function("encode/default", |b| {
        b.iter(|| encode(black_box(&chart)).unwrap())
    });
    group.bench_function("decode/default", |b| {
        b.iter(|| decode(black_box(&default)).unwrap())
    });

    // Through the format dispatcher, which runs `validate` before any encoder.
    group.bench_function("encode/via_dispatcher", |b| {
        b.iter(|| rox::encode(black_box(&chart), Format::Rox).unwrap())
    });
    group.bench_function("decode/via_dispatcher", |b| {
        b.iter(|| rox::decode(black_box(&default), Format::Auto).unwrap())
    });

    group.bench_function("baseline/clone_chart", |b| {
        b.iter(|| black_box(&chart).clone())
    });
    group.bench_function("baseline/validate", |b| {
        b.iter(|| black_box(&chart).validate())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
