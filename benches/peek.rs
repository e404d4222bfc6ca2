//! `cargo bench --bench peek`: `rox::peek` (everything but the notes) against a full decode of
//! the same bytes in the same run, on the 54K-note osu! chart, Springtime.ssc (9 charts) and the
//! largest Quaver corpus map. Target: peek at least 10× faster than decode.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::Format;

#[path = "../tests/common/mod.rs"]
mod common;

fn peek_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for file in [
        "osu/mania_4K_50K_notes.osu",
        "stepmania/Springtime.ssc",
        "quaver/4K.qua",
    ] {
        let bytes = std::fs::read(corpus.join(file)).expect("a corpus chart");
        let mut group = c.benchmark_group(format!("peek {file}"));
        group.bench_function("decode_set (baseline)", |b| {
            b.iter(|| rox::decode_set(black_box(&bytes), Format::Auto).unwrap())
        });
        group.bench_function("peek", |b| {
            b.iter(|| rox::peek(black_box(&bytes), Format::Auto).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, peek_benches);
criterion_main!(benches);
