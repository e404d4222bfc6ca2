//! `cargo bench --bench timeline`: building a timeline of the 54K-note corpus chart and single
//! queries on it, with the osu! decode of the same chart as the same-run baseline.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::osu;
use rox::timeline::{Rules, Timeline, TimelineOptions};

#[path = "../tests/common/mod.rs"]
mod common;

fn timeline_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&bytes).expect("the benchmark chart decodes");
    let options = TimelineOptions::for_rules(Rules::Osu);
    let timeline = Timeline::new(&chart, options).unwrap();
    // A time in the middle of the chart, among its speed changes.
    let middle = chart.notes[chart.notes.len() / 2].time_us + 17;

    let mut group = c.benchmark_group("timeline 54K notes");
    group.bench_function("osu decode (baseline)", |b| {
        b.iter(|| osu::decode(black_box(&bytes)).unwrap())
    });
    group.bench_function("build", |b| {
        b.iter(|| Timeline::new(black_box(&chart), options).unwrap())
    });
    group.bench_function("beat_at", |b| {
        b.iter(|| timeline.beat_at(black_box(middle)).unwrap())
    });
    group.bench_function("time_at", |b| {
        b.iter(|| timeline.time_at(black_box(1234.5)).unwrap())
    });
    group.bench_function("position_at", |b| {
        b.iter(|| timeline.position_at(black_box(middle)).unwrap())
    });
    // A screen of about 100 notes.
    let low = timeline.position_at(middle).unwrap();
    let window = timeline
        .notes_in_position_window(low, low + 5500.0)
        .unwrap();
    eprintln!("the window holds {} notes", window.len());
    group.bench_function("notes_in_position_window", |b| {
        b.iter(|| timeline.notes_in_position_window(black_box(low), low + 5500.0))
    });
    group.finish();

    // 10^6 positions in one call through the C ABI, as a game's frame loop would batch them,
    // against a plain copy of the same 8 MB as the floor.
    let first = chart.notes[0].time_us;
    let span = chart.notes.last().unwrap().time_us - first;
    let times: Vec<i64> = (0..1_000_000i64)
        .map(|i| first + span * i / 1_000_000)
        .collect();
    let mut positions = vec![0.0f64; times.len()];
    let handle = rox::ffi::RoxTimeline { timeline };
    let mut group = c.benchmark_group("timeline 10^6 batched positions");
    group.sample_size(20);
    group.bench_function("memcpy of the times (floor)", |b| {
        let mut copy = vec![0i64; times.len()];
        b.iter(|| copy.copy_from_slice(black_box(&times)))
    });
    group.bench_function("rox_timeline_positions", |b| {
        b.iter(|| unsafe {
            rox::ffi::rox_timeline_positions(
                &handle,
                times.as_ptr(),
                times.len(),
                positions.as_mut_ptr(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, timeline_benches);
criterion_main!(benches);
