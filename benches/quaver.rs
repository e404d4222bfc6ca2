//! `cargo bench --bench quaver`: decode and encode of the 54K-note corpus chart converted to
//! `.qua`, with the `.osu` decode of the same chart as a baseline from the same run.

use std::path::PathBuf;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::{osu, quaver};
use rox::model::ConversionReport;

fn corpus_file(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("ROX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let path = dir.join("osu").join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!(
                "corpus not found at {} ({e}); skipping the quaver benchmarks",
                path.display()
            );
            None
        }
    }
}

fn quaver_benches(c: &mut Criterion) {
    let Some(osu_bytes) = corpus_file("mania_4K_50K_notes.osu") else {
        return;
    };
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
