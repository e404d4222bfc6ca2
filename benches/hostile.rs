//! Shapes of hostile input that once cost the square of their size, at two sizes ten times
//! apart: each must cost about ten times as much at the larger (linear), not a hundred.
//! A `.qua` of many top-level keys, a `.qua` hit object of many fields (each was checked
//! against all before it), BMS encoding of a chart whose every other note is dropped (each
//! note was looked up in the list of dropped ones) and of a chart of as many scroll changes
//! as notes (each change looked for among all those read back).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::{Chart, Format, Note, TimingPoint};

const SIZES: [usize; 2] = [4_000, 40_000];

/// A `.qua` whose `lines` come after its mode and before its hit objects.
fn qua(lines: impl Iterator<Item = String>, item_fields: impl Iterator<Item = String>) -> Vec<u8> {
    let mut text = String::from("AudioFile: a.mp3\nMode: Keys4\n");
    lines.for_each(|line| text.push_str(&format!("{line}\n")));
    text.push_str(
        "TimingPoints:\n- StartTime: 0\n  Bpm: 120\nHitObjects:\n- StartTime: 100\n  Lane: 1\n",
    );
    item_fields.for_each(|field| text.push_str(&format!("  {field}\n")));
    text.into_bytes()
}

/// `n` taps and `n` scroll changes between them.
fn scrolling_chart(n: usize) -> Chart {
    let mut chart = Chart::new(4);
    chart.timing = vec![TimingPoint::bpm(0, 120.0, 4)];
    for i in 0..n as i64 {
        chart.notes.push(Note::tap(i * 10_000, (i % 4) as u8));
        let multiplier = 0.5 + (i % 100) as f64 / 100.0;
        chart
            .timing
            .push(TimingPoint::scroll(i * 10_000 + 5_000, multiplier));
    }
    chart
}

/// `pairs` taps a row apart, each with another 0.1 ms after it on its row (dropped).
fn crowded_chart(pairs: usize) -> Chart {
    let mut chart = Chart::new(7);
    chart.timing = vec![TimingPoint::bpm(0, 120.0, 4)];
    for i in 0..pairs as i64 {
        chart.notes.push(Note::tap(i * 20_000, 0));
        chart.notes.push(Note::tap(i * 20_000 + 100, 0));
    }
    chart
}

fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile shapes: size n and 10n");
    group.sample_size(10);
    for n in SIZES {
        let keys = qua((0..n).map(|i| format!("Key{i}: 1")), std::iter::empty());
        group.bench_function(format!(".qua decode, {n} top-level keys"), |b| {
            b.iter(|| rox::decode(black_box(&keys), Format::Qua).unwrap())
        });
        let fields = qua(std::iter::empty(), (0..n).map(|i| format!("Field{i}: 1")));
        group.bench_function(format!(".qua decode, a hit object of {n} fields"), |b| {
            b.iter(|| rox::decode(black_box(&fields), Format::Qua).unwrap())
        });
        let chart = crowded_chart(n);
        group.bench_function(format!("BMS encode, {n} of {} notes dropped", 2 * n), |b| {
            b.iter(|| rox::encode_with_report(black_box(&chart), Format::Bms).unwrap())
        });
        let chart = scrolling_chart(n);
        group.bench_function(format!("BMS encode, {n} notes and scroll changes"), |b| {
            b.iter(|| rox::encode_with_report(black_box(&chart), Format::Bms).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
