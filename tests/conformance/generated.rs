//! The conformance check over generated charts, beyond what the corpus holds: plausible
//! `.sm` and `.ssc` files (`.sm` warps as negative BPMs and stops, delays, odd measure
//! subdivisions, every steps type from 4 to 10 columns, keysounds, the `.ssc` extras), `.osu`
//! files (fractional tempos, SV points, chords, short holds, notes inside holds, notes before
//! time 0), `.qua` files (tempo changes, SVs, long notes, a scratch lane, keysounds) and
//! `.bme` files (tempo changes on channels 03 and 08, stops, measure lengths, long notes as
//! pairs and by `#LNOBJ`, mines, background sounds).
//! Session 18 found two writer bugs this way (tests/stepmania/hold_ends.rs, and
//! `a_note_in_a_hold_or_on_its_row_is_dropped_with_a_report` in tests/bms.rs).

use rox::{decode_set, Format};

use crate::{check_chart, common, must_refuse};

/// Files of each kind a run: seconds in a debug build. `ROX_GENERATED_CONFORMANCE` asks for
/// more.
const FILES: u64 = 200;

type Random<'a> = &'a mut dyn FnMut() -> u64;

/// Writes one file's text.
type Generator = fn(Random) -> String;

fn below(r: Random, n: u64) -> u64 {
    r() % n
}

fn pick<T: Copy>(r: Random, values: &[T]) -> T {
    values[below(r, values.len() as u64) as usize]
}

/// Up to `most` events `beat=value`, in beat order (beats on 1/48, 1/64 and 1/192 grids).
fn events(r: Random, values: &[&str], most: u64) -> String {
    let mut list: Vec<(u64, String)> = (0..below(r, most + 1))
        .map(|_| {
            let (steps, per_beat) = (below(r, 48 * 12), pick(r, &[48u64, 64, 192]));
            let beat = steps as f64 / per_beat as f64;
            (
                steps * 192 / per_beat,
                format!("{beat:.3}={}", pick(r, values)),
            )
        })
        .collect();
    list.sort();
    let list: Vec<String> = list.into_iter().map(|(_, event)| event).collect();
    list.join(",")
}

/// A note grid of 1 to 6 measures, each of a line count StepMania reads (odd ones too).
fn grid(r: Random, columns: usize, keysounds: bool) -> String {
    let mut text = String::new();
    let measures = 1 + below(r, 6);
    let density = pick(r, &[3, 5, 10]);
    for measure in 0..measures {
        for _ in 0..pick(r, &[1, 3, 4, 5, 7, 8, 12, 16, 24, 48, 64, 192]) {
            for _ in 0..columns {
                let cell = if below(r, density) == 0 {
                    pick(r, b"1111122344MLF3K")
                } else {
                    b'0'
                };
                text.push(char::from(cell));
                if keysounds && cell != b'0' && below(r, 3) == 0 {
                    text.push_str(&format!("[{}]", below(r, 4)));
                }
            }
            text.push('\n');
        }
        if measure + 1 < measures {
            text.push_str(",\n");
        }
    }
    text
}

const STEPS_TYPES: &[(&str, usize)] = &[
    ("dance-single", 4),
    ("dance-double", 8),
    ("pump-single", 5),
    ("dance-solo", 6),
    ("kb7-single", 7),
    ("pump-double", 10),
];

fn sm(r: Random) -> String {
    let bpms = events(r, &["60", "145.5", "200.002", "333.333", "-120", "1000"], 3);
    let mut text = format!(
        "#TITLE:generated;\n#OFFSET:{};\n#BPMS:0.000={}{}{bpms};\n#STOPS:{};\n",
        pick(r, &["0", "-0.05", "0.123"]),
        pick(r, &["120", "150", "180.5"]),
        if bpms.is_empty() { "" } else { "," },
        events(r, &["0.1", "0.25", "1.234", "-0.25", "0.001"], 3),
    );
    if below(r, 2) == 0 {
        text.push_str(&format!("#DELAYS:{};\n", events(r, &["0.1", "0.5"], 2)));
    }
    for _ in 0..1 + below(r, 2) {
        let (steps_type, columns) = pick(r, STEPS_TYPES);
        let meter = 1 + below(r, 12);
        let notes = grid(r, columns, false);
        text.push_str(&format!(
            "#NOTES:\n     {steps_type}:\n     :\n     Hard:\n     {meter}:\n     0,0,0,0,0:\n{notes};\n"
        ));
    }
    text
}

fn ssc(r: Random) -> String {
    let bpms = events(r, &["60", "120", "240", "175.5"], 3);
    let mut text = format!(
        "#VERSION:0.83;\n#TITLE:generated;\n#OFFSET:{};\n#BPMS:0.000={}{}{bpms};\n",
        pick(r, &["0", "-0.05", "0.123"]),
        pick(r, &["120", "150", "180.5"]),
        if bpms.is_empty() { "" } else { "," },
    );
    let tags: [(&str, &[&str], u64); 9] = [
        ("STOPS", &["0.1", "0.25", "1.234"], 2),
        ("DELAYS", &["0.1", "0.5"], 1),
        ("WARPS", &["1", "0.5", "2"], 1),
        ("SPEEDS", &["1.5=0=0", "0.5=1=1", "2=4=0"], 2),
        ("SCROLLS", &["1", "0.5", "-1", "2.25"], 2),
        ("TICKCOUNTS", &["4", "2", "0"], 2),
        ("COMBOS", &["1", "2"], 2),
        ("LABELS", &["Intro", "Drop"], 2),
        ("FAKES", &["1", "0.5"], 1),
    ];
    for (tag, values, most) in tags {
        if below(r, 3) > 0 {
            text.push_str(&format!("#{tag}:{};\n", events(r, values, most)));
        }
    }
    let keysounds = below(r, 2) == 0;
    if keysounds {
        text.push_str("#KEYSOUNDS:a.wav,b.ogg,c.wav,d.wav;\n");
    }
    for _ in 0..1 + below(r, 2) {
        let (steps_type, columns) = pick(r, STEPS_TYPES);
        let meter = 1 + below(r, 12);
        text.push_str(&format!(
            "#NOTEDATA:;\n#STEPSTYPE:{steps_type};\n#DIFFICULTY:Hard;\n#METER:{meter};\n"
        ));
        if below(r, 3) == 0 {
            text.push_str(&format!(
                "#BPMS:0.000=140,{};\n",
                events(r, &["70", "280"], 2)
            ));
        }
        text.push_str(&format!("#NOTES:\n{};\n", grid(r, columns, keysounds)));
    }
    text
}

fn osu(r: Random) -> String {
    let keys = pick(r, &[4u64, 4, 7, 5, 6, 8, 9, 10, 1, 2, 3]);
    let mut text = format!(
        "osu file format v14\n\n[General]\nAudioFilename: a.mp3\nMode: 3\n\n[Metadata]\n\
         Title:generated\nVersion:Hard\n\n[Difficulty]\nCircleSize:{keys}\n\
         OverallDifficulty:8\n\n[TimingPoints]\n"
    );
    let mut time = pick(r, &[0.0, -500.0, 123.456, 17.0]);
    for i in 0..1 + below(r, 5) {
        let beat = pick(
            r,
            &[
                "500",
                "333.333333333333",
                "428.571428571429",
                "461.538461538462",
                "300.5",
                "250",
            ],
        );
        let meter = pick(r, &[4, 3, 7]);
        if i > 0 && below(r, 3) == 0 {
            let sv = pick(r, &["-100", "-50", "-200", "-1000", "-10"]);
            text.push_str(&format!("{time},{sv},{meter},1,0,100,0,0\n"));
        }
        text.push_str(&format!("{time},{beat},{meter},1,0,100,1,0\n"));
        time += pick(r, &[1000.0, 2500.5, 0.5, 7777.0, 1.0]);
    }
    text.push_str("\n[HitObjects]\n");
    let mut at: i64 = pick(r, &[0, -300, 50, 1]);
    for _ in 0..1 + below(r, 40) {
        at += pick(r, &[0, 0, 1, 7, 125, 250, 333, 1000]);
        let x = (below(r, keys) * 512 + 256) / keys;
        if below(r, 4) == 0 {
            let end = at + pick(r, &[0, 1, 2, 100, 250, 1000, 5000]);
            text.push_str(&format!("{x},192,{at},128,0,{end}:0:0:0:0:\n"));
        } else {
            text.push_str(&format!("{x},192,{at},1,0,0:0:0:0:\n"));
        }
    }
    text
}

fn qua(r: Random) -> String {
    let (mode, keys) = pick(r, &[("Keys4", 4), ("Keys7", 7)]);
    let scratch = below(r, 4) == 0;
    let samples = below(r, 2) == 0;
    let mut text = format!(
        "AudioFile: audio.mp3\nMode: {mode}\nTitle: generated\nDifficultyName: Hard\n\
         HasScratchKey: {scratch}\nBPMDoesNotAffectScrollVelocity: {}\n\
         InitialScrollVelocity: {}\nTimingPoints:\n",
        below(r, 2) == 0,
        pick(r, &["1", "0.5", "2"])
    );
    let mut time = pick(r, &[0.0, -100.0, 12.5]);
    for _ in 0..1 + below(r, 4) {
        let bpm = pick(r, &["120", "173.5", "60", "999.99", "87.25"]);
        text.push_str(&format!("- StartTime: {time}\n  Bpm: {bpm}\n"));
        if below(r, 4) == 0 {
            text.push_str("  Signature: Triple\n");
        }
        time += pick(r, &[500.0, 1000.25, 0.5, 4000.0]);
    }
    text.push_str("SliderVelocities:\n");
    for _ in 0..below(r, 4) {
        let at = pick(r, &[0.0, 250.0, 333.3, 1000.0, -50.0]);
        let multiplier = pick(r, &["0.5", "2", "-1", "0", "1"]);
        text.push_str(&format!("- StartTime: {at}\n  Multiplier: {multiplier}\n"));
    }
    if samples {
        text.push_str("CustomAudioSamples:\n- Path: a.wav\n");
    }
    text.push_str("HitObjects:\n");
    let mut at: i64 = pick(r, &[0, 10, -20]);
    for _ in 0..1 + below(r, 40) {
        at += pick(r, &[0, 0, 1, 2, 125, 250, 333]);
        let lane = 1 + below(r, keys + u64::from(scratch));
        text.push_str(&format!("- StartTime: {at}\n  Lane: {lane}\n"));
        if below(r, 4) == 0 {
            let end = at + pick(r, &[0, 1, 2, 100, 250, 1000]);
            text.push_str(&format!("  EndTime: {end}\n"));
        }
        if samples && below(r, 6) == 0 {
            text.push_str("  KeySounds:\n  - Sample: 1\n    Volume: 100\n");
        }
    }
    text
}

/// One line of objects of a channel: `slots` cells, each an id from `ids` or `00`.
fn objects(r: Random, slots: u64, ids: &[&str], density: u64) -> String {
    (0..slots)
        .map(|_| match below(r, density) {
            0 => pick(r, ids),
            _ => "00",
        })
        .collect()
}

fn bme(r: Random) -> String {
    let lnobj = below(r, 2) == 0;
    let mut text = format!(
        "#PLAYER 1\n#TITLE generated\n#BPM {}\n#WAV01 a.wav\n#WAV02 b.wav\n#BPM01 {}\n\
         #BPM02 {}\n#STOP01 {}\n#STOP02 {}\n{}\n",
        pick(r, &["120", "150", "133.5"]),
        pick(r, &["90", "240.25"]),
        pick(r, &["60", "1000"]),
        pick(r, &["48", "12"]),
        pick(r, &["192", "1"]),
        if lnobj { "#LNOBJ ZZ" } else { "#LNTYPE 1" },
    );
    // 5 keys and a scratch, or 7 and a scratch (11-15, 18-19; 16 the scratch).
    let lanes: &[&str] = pick(
        r,
        &[
            &["1", "2", "3", "4", "5", "6"],
            &["1", "2", "3", "4", "5", "6", "8", "9"],
        ],
    );
    let density = pick(r, &[3, 6, 12]);
    for measure in 0..1 + below(r, 4) {
        if below(r, 4) == 0 {
            let length = pick(r, &["0.75", "1.5", "0.5", "0.125"]);
            text.push_str(&format!("#{measure:03}02:{length}\n"));
        }
        let timing: [(&str, &[&str]); 3] = [
            ("03", &["78", "B4", "3C"]),
            ("08", &["01", "02"]),
            ("09", &["01", "02"]),
        ];
        for (channel, ids) in timing {
            if below(r, 3) == 0 {
                let slots = pick(r, &[1, 2, 4, 3, 8]);
                let line = objects(r, slots, ids, 3);
                text.push_str(&format!("#{measure:03}{channel}:{line}\n"));
            }
        }
        let tap_ids: &[&str] = if lnobj {
            &["01", "02", "ZZ"]
        } else {
            &["01", "02"]
        };
        for lane in lanes {
            let slots = pick(r, &[4, 8, 16, 12, 48, 192]);
            let (family, ids) = match below(r, 5) {
                0 if !lnobj => ("5", &["01", "02"][..]),
                1 => ("D", &["01", "0A"][..]),
                _ => ("1", tap_ids),
            };
            let line = objects(r, slots, ids, density);
            text.push_str(&format!("#{measure:03}{family}{lane}:{line}\n"));
        }
        if below(r, 2) == 0 {
            let line = objects(r, 8, &["01", "02"], 2);
            text.push_str(&format!("#{measure:03}01:{line}\n"));
        }
    }
    text
}

#[test]
fn generated_charts_survive_every_format() {
    let files = std::env::var("ROX_GENERATED_CONFORMANCE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(FILES);
    let generators: [(Format, Generator); 5] = [
        (Format::Sm, sm),
        (Format::Ssc, ssc),
        (Format::Osu, osu),
        (Format::Qua, qua),
        (Format::Bms, bme),
    ];
    let mut next = common::random_source(0x5eed_0018);
    let (mut failures, mut checked, mut charts) = (Vec::new(), 0, 0);
    let kinds = generators.len() as u64;
    for (format, generate) in generators {
        for i in 0..files {
            let text = generate(&mut next);
            let set = decode_set(text.as_bytes(), format).unwrap_or_else(|e| {
                panic!(
                    "generated {} {i} does not decode: {e}\n{text}",
                    format.name()
                )
            });
            for (index, chart) in set.charts.iter().enumerate() {
                if chart.validate().iter().any(|v| v.kind.is_fatal()) {
                    continue;
                }
                charts += 1;
                let label = format!("generated {} {i} chart {index}", format.name());
                let refuses = |target| must_refuse("", chart, target);
                let before = failures.len();
                checked += check_chart(&label, chart, Some(format), refuses, &mut failures);
                if failures.len() > before {
                    failures.push(format!("  the file:\n{text}"));
                }
            }
        }
    }
    // Nearly every generated chart is playable (validation refuses few): the test tests.
    assert!(
        charts > files * kinds * 9 / 10,
        "only {charts} charts checked"
    );
    eprintln!("conformance: {checked} round trips of {charts} generated charts");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
