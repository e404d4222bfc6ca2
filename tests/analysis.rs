//! Chart analysis on real charts: length, drain time and BPMs against an oracle written from
//! osu!lazer (tests/oracle/analysis_osu_oracle.py); content hashes across formats and pinned;
//! file MD5s against `md5sum`.

mod common;

use std::path::{Path, PathBuf};

use rox::analysis::{content_hash, file_md5, statistics};
use rox::{Chart, Format};

/// The osu!mania maps of the corpus.
const MANIA: [&str; 6] = [
    "mania-last-object-not-latest.osu",
    "mania_4K_50K_notes.osu",
    "mania_4k.osu",
    "mania_7k.osu",
    "mania_hitsound.osu",
    "sample-beatmap-mania.osu",
];

fn corpus_file(corpus: &Path, name: &str) -> PathBuf {
    let dir = if name.ends_with(".osu") {
        "osu"
    } else if name.ends_with(".qua") {
        "quaver"
    } else {
        "stepmania"
    };
    corpus.join(dir).join(name)
}

fn decode(path: &Path) -> Chart {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rox::decode(&bytes, Format::Auto).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The oracle's one line of tab-separated numbers.
fn oracle(python: &Path, path: &Path) -> Vec<f64> {
    common::run_oracle(python, "analysis_osu_oracle.py", &[path])
        .trim()
        .split('\t')
        .map(|f| f.parse().unwrap())
        .collect()
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * b.abs().max(1.0)
}

#[test]
fn length_drain_and_bpms_agree_with_lazer() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let Some(python) = common::oracle_python("sys") else {
        return;
    };
    for name in MANIA {
        let path = corpus_file(&corpus, name);
        let s = statistics(&decode(&path));
        let o = oracle(&python, &path);
        let ms = |us: i64| us as f64 / 1000.0;
        let played: u64 = s.column_counts.iter().sum();
        assert_eq!(played as f64, o[0], "{name}: objects");
        assert_eq!(
            (ms(s.first_note_us), ms(s.last_note_end_us), ms(s.length_us)),
            (o[1], o[2], o[3]),
            "{name}: first start, last end, length"
        );
        // ROX truncates each break to whole µs; the oracle keeps fractional ms.
        assert!(
            (ms(s.break_us) - o[4]).abs() <= 0.01,
            "{name}: breaks {s:?} {o:?}"
        );
        assert!((ms(s.drain_us) - o[5]).abs() <= 0.01, "{name}: drain");
        let bpms = [s.bpm.min, s.bpm.max, s.bpm.dominant];
        for (i, (rox, lazer)) in bpms.iter().zip(&o[6..9]).enumerate() {
            assert!(
                close(*rox, *lazer, 1e-9),
                "{name}: BPM {i}: {rox} vs {lazer}"
            );
        }
    }
}

#[test]
fn content_hash_survives_lossless_conversion() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for name in MANIA {
        let chart = decode(&corpus_file(&corpus, name));
        let hash = content_hash(&chart);
        let packed = rox::encode(&chart, Format::Rox).unwrap();
        let unpacked = rox::decode(&packed, Format::Rox).unwrap();
        assert_eq!(content_hash(&unpacked), hash, "{name}: osu -> rox");
        let osu = rox::encode(&unpacked, Format::Osu).unwrap();
        let back = rox::decode(&osu, Format::Osu).unwrap();
        assert_eq!(content_hash(&back), hash, "{name}: osu -> rox -> osu");
    }
    for name in ["4K.qua", "7K.qua"] {
        let chart = decode(&corpus_file(&corpus, name));
        let packed = rox::encode(&chart, Format::Rox).unwrap();
        let back = rox::decode(&packed, Format::Rox).unwrap();
        assert_eq!(
            content_hash(&back),
            content_hash(&chart),
            "{name}: qua -> rox"
        );
        let qua = rox::encode(&back, Format::Qua).unwrap();
        let again = rox::decode(&qua, Format::Qua).unwrap();
        assert_eq!(
            content_hash(&again),
            content_hash(&chart),
            "{name}: qua -> rox -> qua"
        );
    }
}

/// Any change to the canonical form, the hash or a decoder's notes or timing moves these.
#[test]
fn content_hashes_are_pinned() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let pinned = [
        ("mania_7k.osu", 0x7035_726c_2ab8_64ef_u64),
        ("mania_4k.osu", 0xc6b5_6011_03c6_df81),
        ("4K.qua", 0xfaf2_149f_6138_9815),
    ];
    for (name, hash) in pinned {
        let chart = decode(&corpus_file(&corpus, name));
        assert_eq!(
            content_hash(&chart),
            hash,
            "{name}: {:#018x}",
            content_hash(&chart)
        );
    }
}

#[test]
fn file_md5_matches_md5sum() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    // `md5sum mania_7k.osu mania_4k.osu`.
    let pinned = [
        ("mania_7k.osu", "72cd6089c79de622482c63fb6d1bc602"),
        ("mania_4k.osu", "e9a3d14a99a09d41e34d77b062c36c30"),
    ];
    for (name, expected) in pinned {
        let bytes = std::fs::read(corpus_file(&corpus, name)).unwrap();
        let hex: String = file_md5(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, expected, "{name}");
    }
}
