//! Generated `.ssc` files with extreme timing — tempos where many rows share a µs, stops and
//! delays below the µs, overlapping warps, #FAKES ranges, notes of every kind on and around
//! them — must come back from a write and a read unchanged, or the writer must report what
//! changed. Byte-level fuzzing (`decode_sm`) finds such cases one in hundreds of thousands;
//! this generator, built from the timing rules, found 37 in 100,000 (session 17).

use rox::formats::stepmania::{decode, encode, Dialect};
use rox::model::ConversionReport;

use crate::common;

/// Files per run: a few seconds in a debug build. `ROX_GENERATED_SSC` asks for more.
const FILES: u64 = 5_000;

/// The generator's randomness (`common::random_source`).
type Random<'a> = &'a mut dyn FnMut() -> u64;

fn below(r: Random, n: u64) -> u64 {
    r() % n
}

fn pick<T: Copy>(r: Random, values: &[T]) -> T {
    values[below(r, values.len() as u64) as usize]
}

const BPMS: &[&str] = &[
    "1",
    "60",
    "120",
    "240",
    "0.001",
    "-60",
    "9999999",
    "99999999",
    "966666666000000000",
];
const SECONDS: &[&str] = &["0.001", "0.2444444", "1", "6", "0.0000001", "0.5", "-0.5"];
const BEATS: &[&str] = &["1", "2", "6", "0.0208", "0.5", "3"];
const CELLS: &[u8] = b"12344MLFK3";

fn beat(r: Random) -> String {
    let fraction = pick(
        r,
        &[
            0.0,
            0.25,
            0.5,
            0.75,
            1.0 / 48.0,
            1.0 / 3.0,
            0.125,
            47.0 / 48.0,
        ],
    );
    format!("{:.4}", below(r, 10) as f64 + fraction)
}

/// Up to `most` events `beat=value`, in beat order.
fn events(r: Random, values: &[&str], most: u64) -> String {
    let mut list: Vec<String> = (0..below(r, most + 1))
        .map(|_| format!("{}={}", beat(r), pick(r, values)))
        .collect();
    list.sort();
    list.join(",")
}

fn timing(r: Random, text: &mut String) {
    text.push_str(&format!(
        "#BPMS:0={},{};\n",
        pick(r, BPMS),
        events(r, BPMS, 2)
    ));
    text.push_str(&format!("#STOPS:{};\n", events(r, SECONDS, 2)));
    text.push_str(&format!("#DELAYS:{};\n", events(r, SECONDS, 1)));
    text.push_str(&format!("#WARPS:{};\n", events(r, BEATS, 2)));
    if below(r, 4) == 0 {
        text.push_str(&format!("#FAKES:{};\n", events(r, BEATS, 1)));
    }
}

fn notes(r: Random, text: &mut String) {
    text.push_str("#NOTES:\n");
    let measures = 1 + below(r, 3);
    for measure in 0..measures {
        for _ in 0..pick(r, &[4, 8, 12, 16, 24, 48]) {
            for _ in 0..4 {
                let cell = if below(r, 4) == 0 {
                    pick(r, CELLS)
                } else {
                    b'0'
                };
                text.push(char::from(cell));
            }
            text.push('\n');
        }
        text.push_str(if measure + 1 < measures { ",\n" } else { ";\n" });
    }
}

fn file(r: Random) -> String {
    let mut text = format!(
        "#VERSION:0.83;\n#OFFSET:{};\n",
        pick(r, &["0", "0.1", "-0.0000004", "1"])
    );
    timing(r, &mut text);
    for _ in 0..1 + below(r, 2) {
        text.push_str("#NOTEDATA:;\n#STEPSTYPE:dance-single;\n#DIFFICULTY:Hard;\n");
        if below(r, 3) == 0 {
            timing(r, &mut text); // the chart's own timing
        }
        notes(r, &mut text);
    }
    text
}

#[test]
fn extreme_timing_round_trips_or_is_reported() {
    let files = std::env::var("ROX_GENERATED_SSC")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(FILES);
    let mut next = common::random_source(0x5eed_0017);
    let (mut written, mut changed) = (0, Vec::new());
    for i in 0..files {
        let text = file(&mut next);
        let Ok(charts) = decode(
            text.as_bytes(),
            Dialect::Ssc,
            &mut ConversionReport::default(),
        ) else {
            continue;
        };
        if charts
            .iter()
            .any(|c| c.validate().iter().any(|v| v.kind.is_fatal()))
        {
            continue;
        }
        let mut report = ConversionReport::default();
        let Ok(bytes) = encode(&charts, Dialect::Ssc, &mut report) else {
            continue;
        };
        written += 1;
        let again = decode(&bytes, Dialect::Ssc, &mut ConversionReport::default())
            .unwrap_or_else(|e| panic!("file {i}: our own output does not read back: {e}\n{text}"));
        if report.is_empty() && again != charts {
            changed.push(format!("file {i}:\n{text}"));
        }
    }
    // Most files are charts the writer takes (it refuses few): the test tests something.
    assert!(
        written > files * 9 / 10,
        "only {written} of {files} written"
    );
    assert!(
        changed.is_empty(),
        "{} of {written} files changed without a report; the first:\n{}",
        changed.len(),
        changed[0]
    );
}
