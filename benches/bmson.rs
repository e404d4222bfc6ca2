//! `cargo bench --bench bmson`: bmson decode of the 54K-note corpus chart, beside the `.osu`
//! decode of the same chart. ROX does not write bmson, so the bench writes its input itself:
//! one sound channel per column, 60 BPM and a million pulses to the beat, so that a pulse is
//! a µs and every note (holds as long notes) keeps its time.

use std::fmt::Write;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::formats::{bmson, osu};
use rox::{Chart, ConversionReport, DecodeLimits};

#[path = "../tests/common/mod.rs"]
mod common;

/// `chart` as bmson (times from 0: bmson has no negative pulses).
fn as_bmson(chart: &Chart) -> String {
    let mut out = format!(
        "{{\"version\": \"1.0.0\", \"info\": {{\"title\": \"bench\", \"artist\": \"\", \
         \"genre\": \"\", \"mode_hint\": \"generic-{}keys\", \"level\": 1, \"init_bpm\": 60, \
         \"resolution\": 1000000}}, \"sound_channels\": [",
        chart.key_count
    );
    for column in 0..chart.key_count {
        let separator = if column == 0 { "" } else { ", " };
        let _ = write!(out, "{separator}{{\"name\": \"{column}.wav\", \"notes\": [");
        let notes = chart.notes.iter().filter(|n| n.column == column);
        for (i, note) in notes.enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            let _ = write!(
                out,
                "{separator}{{\"x\": {}, \"y\": {}, \"l\": {}, \"c\": false}}",
                column + 1,
                note.time_us.max(0),
                note.duration_us
            );
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out
}

fn bmson_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = osu::decode(&bytes).expect("the benchmark chart decodes");
    let text = as_bmson(&chart);
    let decode = |bytes: &[u8]| {
        let mut report = ConversionReport::default();
        bmson::decode_limited(bytes, &DecodeLimits::default(), &mut report).unwrap()
    };
    assert_eq!(decode(text.as_bytes()).notes.len(), chart.notes.len());

    let mut group = c.benchmark_group("bmson 54K notes");
    group.bench_function("osu decode (reference)", |b| {
        b.iter(|| osu::decode(black_box(&bytes)).unwrap())
    });
    group.bench_function("decode", |b| b.iter(|| decode(black_box(text.as_bytes()))));
    group.finish();
}

criterion_group!(benches, bmson_benches);
criterion_main!(benches);
