//! `cargo bench --bench star`: osu!mania star rating of the 54K-note corpus chart, ours against
//! rosu-pp's on the same map, from the bytes (parse and rate) and from a parsed map.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::analysis::star::star_rating;
use rox::formats::osu;

#[path = "../tests/common/mod.rs"]
mod common;

fn star_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&bytes).expect("the benchmark chart decodes");
    let map = rosu_pp::Beatmap::from_bytes(&bytes).expect("rosu-pp reads the benchmark chart");

    let mut group = c.benchmark_group("star rating 54K notes");
    group.bench_function("rate a decoded chart", |b| {
        b.iter(|| star_rating(black_box(&chart), 1.0).unwrap())
    });
    group.bench_function("rosu-pp: rate a parsed map (baseline)", |b| {
        b.iter(|| {
            rosu_pp::Difficulty::new()
                .calculate(black_box(&map))
                .stars()
        })
    });
    group.bench_function("decode and rate", |b| {
        b.iter(|| star_rating(&osu::decode(black_box(&bytes)).unwrap(), 1.0).unwrap())
    });
    group.bench_function("rosu-pp: parse and rate (baseline)", |b| {
        b.iter(|| {
            let map = rosu_pp::Beatmap::from_bytes(black_box(&bytes)).unwrap();
            rosu_pp::Difficulty::new().calculate(&map).stars()
        })
    });
    group.finish();
}

criterion_group!(benches, star_benches);
criterion_main!(benches);
