//! `cargo bench --bench floors`: every codec on the 54K-note corpus chart beside a hardware
//! floor measured in the same group of the same run, so a loaded machine slows both and their
//! ratio stays honest (docs/performance.md). Floors: a memchr line count over a text file's
//! bytes (decode), zstd alone on a `.rox` payload, and a memcpy of the encoded bytes (encode).
//! The linearity group decodes the chart and the chart repeated ten times in time.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkGroup, Criterion};
use rox::{Chart, Format};

#[path = "../tests/common/mod.rs"]
mod common;

/// The text formats and their file extensions.
const TEXT_FORMATS: [(Format, &str); 4] = [
    (Format::Osu, "osu"),
    (Format::Sm, "sm"),
    (Format::Ssc, "ssc"),
    (Format::Qua, "qua"),
];

/// `.rox` header: the payload length sits at offset 16 (u32 LE), the payload after 24 bytes
/// (src/formats/rox/mod.rs).
const ROX_HEADER_LEN: usize = 24;
const ROX_PAYLOAD_LEN_AT: usize = 16;

/// How many times the linearity chart repeats the 54K chart.
const REPEATS: i64 = 10;

fn benchmark_chart() -> Option<(Vec<u8>, Chart)> {
    let corpus = common::corpus()?;
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let chart = rox::decode(&bytes, Format::Osu).expect("the benchmark chart decodes");
    Some((bytes, chart))
}

/// `chart` encoded to `format`, except the `.osu` chart, which is benched as it was read.
fn file_bytes(osu_bytes: &[u8], chart: &Chart, format: Format) -> Vec<u8> {
    match format {
        Format::Osu => osu_bytes.to_vec(),
        _ => rox::encode(chart, format).expect("the benchmark chart encodes"),
    }
}

/// The encode floor: allocating and copying as many bytes as the codec writes.
fn bench_memcpy_floor(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    out: &[u8],
) {
    group.bench_function("floor: memcpy of the encoded bytes", |b| {
        b.iter(|| black_box(out).to_vec())
    });
}

fn text_floors(c: &mut Criterion) {
    let Some((osu_bytes, chart)) = benchmark_chart() else {
        return;
    };
    for (format, extension) in TEXT_FORMATS {
        let bytes = file_bytes(&osu_bytes, &chart, format);
        let decoded = rox::decode(&bytes, format).expect("the encoded chart decodes");
        let encoded = rox::encode(&decoded, format).expect("the decoded chart encodes");
        let mut group = c.benchmark_group(format!(".{extension} 54K notes"));
        group.bench_function("floor: memchr line count", |b| {
            b.iter(|| memchr::memchr_iter(b'\n', black_box(&bytes)).count())
        });
        group.bench_function("decode", |b| {
            b.iter(|| rox::decode(black_box(&bytes), format).unwrap())
        });
        bench_memcpy_floor(&mut group, &encoded);
        group.bench_function("encode", |b| {
            b.iter(|| rox::encode(black_box(&decoded), format).unwrap())
        });
        group.finish();
    }
}

fn rox_floors(c: &mut Criterion) {
    let Some((_, chart)) = benchmark_chart() else {
        return;
    };
    let bytes = rox::encode(&chart, Format::Rox).expect("the benchmark chart encodes");
    let payload_len = u32::from_le_bytes(
        bytes[ROX_PAYLOAD_LEN_AT..ROX_PAYLOAD_LEN_AT + 4]
            .try_into()
            .unwrap(),
    ) as usize;
    let stored = &bytes[ROX_HEADER_LEN..];
    let payload = zstd::bulk::decompress(stored, payload_len).expect("one zstd frame");
    assert_eq!(payload.len(), payload_len);

    let mut group = c.benchmark_group(".rox 54K notes");
    group.bench_function("floor: zstd decompress of the payload", |b| {
        b.iter(|| zstd::bulk::decompress(black_box(stored), payload_len).unwrap())
    });
    group.bench_function("decode", |b| {
        b.iter(|| rox::decode(black_box(&bytes), Format::Rox).unwrap())
    });
    group.bench_function("floor: zstd compress of the payload", |b| {
        b.iter(|| {
            zstd::bulk::compress(black_box(&payload), rox::formats::rox::DEFAULT_ZSTD_LEVEL)
                .unwrap()
        })
    });
    bench_memcpy_floor(&mut group, &bytes);
    group.bench_function("encode", |b| {
        b.iter(|| rox::encode(black_box(&chart), Format::Rox).unwrap())
    });
    group.finish();
}

/// `chart` played `REPEATS` times in a row: each copy's notes and timing shifted by the chart's
/// end (last note end + 1 s), so the result stays sorted and valid.
fn repeated(chart: &Chart) -> Chart {
    let end = chart
        .notes
        .iter()
        .map(|n| n.time_us + n.duration_us)
        .max()
        .expect("the chart has notes");
    let period = end + 1_000_000;
    let mut long = chart.clone();
    long.notes = (0..REPEATS)
        .flat_map(|k| chart.notes.iter().map(move |n| (k, n)))
        .map(|(k, n)| rox::model::Note {
            time_us: n.time_us + k * period,
            ..*n
        })
        .collect();
    long.timing = (0..REPEATS)
        .flat_map(|k| chart.timing.iter().map(move |t| (k, t)))
        .map(|(k, t)| rox::model::TimingPoint {
            time_us: t.time_us + k * period,
            ..*t
        })
        .collect();
    let issues = long.validate();
    assert!(
        issues.is_empty(),
        "the repeated chart is invalid: {issues:?}"
    );
    long
}

fn linearity(c: &mut Criterion) {
    let Some((_, chart)) = benchmark_chart() else {
        return;
    };
    let long = repeated(&chart);
    let mut group = c.benchmark_group("linearity: decode 1× and 10×");
    // The 10× decodes take tens of milliseconds: ten samples keep the run short.
    group.sample_size(10);
    let formats = TEXT_FORMATS.into_iter().chain([(Format::Rox, "rox")]);
    for (format, extension) in formats {
        // Both written by rox, so the two files differ only in length.
        let once = rox::encode(&chart, format).expect("the benchmark chart encodes");
        let ten_times = rox::encode(&long, format).expect("the repeated chart encodes");
        for (label, bytes) in [("1×", &once), ("10×", &ten_times)] {
            group.bench_function(format!(".{extension} {label}"), |b| {
                b.iter(|| rox::decode(black_box(bytes), format).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, text_floors, rox_floors, linearity);
criterion_main!(benches);
