//! `cargo bench --bench osu`: decode and encode of the 54K-note corpus chart, with rosu-map's
//! decode of the same bytes as a baseline.

use std::path::PathBuf;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::osu;
use rox::ConversionReport;

fn corpus_file(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("ROX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let path = dir.join("osu").join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!(
                "corpus not found at {} ({e}); skipping the osu benchmarks",
                path.display()
            );
            None
        }
    }
}

fn osu_benches(c: &mut Criterion) {
    let Some(bytes) = corpus_file("mania_4K_50K_notes.osu") else {
        return;
    };
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
