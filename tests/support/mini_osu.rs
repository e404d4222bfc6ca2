//! Test scaffolding only: just enough of .osu to turn the corpus charts into `Chart`s for the
//! .rox tests and benchmarks (the real osu codec lives in src/formats/osu).

use std::path::PathBuf;

use rox::{Chart, HitSound, Note, NoteKind, TimingPoint};

/// `$ROX_CORPUS`, or the shared corpus beside the repository.
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("ROX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// The large benchmark chart, or `None` (after saying so) when the corpus is absent.
pub fn big_chart() -> Option<Chart> {
    let path = corpus_dir().join("osu/mania_4K_50K_notes.osu");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(chart_from_osu(&text)),
        Err(_) => {
            eprintln!("corpus not found at {}; skipping", path.display());
            None
        }
    }
}

fn ms_to_us(ms: &str) -> i64 {
    (ms.trim().parse::<f64>().expect("time") * 1000.0).round() as i64
}

pub fn chart_from_osu(text: &str) -> Chart {
    let mut chart = Chart::new(0);
    let mut section = "";
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        match section {
            "[Difficulty]" if line.starts_with("CircleSize:") => {
                chart.key_count = line[11..].trim().parse().expect("keys")
            }
            "[Metadata]" if line.starts_with("Title:") => {
                chart.metadata.title = line[6..].to_string()
            }
            "[TimingPoints]" if fields.len() >= 8 => {
                let beat_length: f64 = fields[1].parse().expect("beat length");
                let mut point = if fields[6] == "1" {
                    TimingPoint::bpm(
                        ms_to_us(fields[0]),
                        60_000.0 / beat_length,
                        fields[2].parse().expect("meter"),
                    )
                } else {
                    TimingPoint::scroll(ms_to_us(fields[0]), -100.0 / beat_length)
                };
                point.sample_set = fields[3].parse().expect("sample set");
                point.sample_index = fields[4].parse().expect("sample index");
                point.volume = fields[5].parse().expect("volume");
                point.effects = fields[7].parse().expect("effects");
                chart.timing.push(point);
            }
            "[HitObjects]" if fields.len() >= 5 => {
                let x: i64 = fields[0].parse().expect("x");
                let column = (x * i64::from(chart.key_count) / 512)
                    .clamp(0, i64::from(chart.key_count) - 1) as u8;
                let time_us = ms_to_us(fields[2]);
                let kind: u32 = fields[3].parse().expect("type");
                let mut note = Note::tap(time_us, column);
                if kind & 128 != 0 {
                    note.kind = NoteKind::Hold;
                    note.duration_us =
                        ms_to_us(fields[5].split(':').next().expect("end")) - time_us;
                }
                note.sound = HitSound {
                    flags: fields[4].parse().expect("hit sound"),
                    ..HitSound::default()
                };
                chart.notes.push(note);
            }
            _ => {}
        }
    }
    chart.sort();
    chart
}
