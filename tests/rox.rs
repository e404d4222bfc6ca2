//! The .rox codec: exact round trips, format stability, and refusal of damaged or hostile
//! input without panicking or allocating beyond the header's bounds.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;

use rox::formats::rox::{decode, encode, encode_with, is_rox, Compression, MAGIC};
use rox::{Chart, Error, Format, HitSound, Metadata, Note, NoteKind, TimingKind, TimingPoint};

/// Records the largest allocation each thread asks for, so tests can prove a forged size
/// was refused before allocating.
struct TrackingAllocator;

thread_local! {
    static LARGEST_ALLOCATION: Cell<usize> = const { Cell::new(0) };
}

fn note_allocation(size: usize) {
    // `try_with`: allocations during thread teardown have no slot left, and need none.
    let _ = LARGEST_ALLOCATION.try_with(|largest| largest.set(largest.get().max(size)));
}

unsafe impl GlobalAlloc for TrackingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation(new_size);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: TrackingAllocator = TrackingAllocator;

/// The largest single allocation `f` makes on this thread.
fn largest_allocation_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LARGEST_ALLOCATION.with(|largest| largest.set(0));
    let value = f();
    (value, LARGEST_ALLOCATION.with(Cell::get))
}

const HEADER_LEN: usize = 24;
const LIMIT_2_52: i64 = 1 << 52;

/// A chart that sets every field of the model to something other than its default, with
/// every note kind and timing kind, extreme times and awkward strings.
fn every_field_chart() -> Chart {
    let metadata = Metadata {
        title: "Title".into(),
        title_unicode: "タイトル — ünïcødé 🎵".into(),
        subtitle: "".into(),
        artist: "Artist\0with NUL".into(),
        artist_unicode: "アーティスト".into(),
        creator: "creator".into(),
        difficulty_name: "Insane\n(line break)".into(),
        difficulty_level: Some(-0.0),
        source: "source".into(),
        genre: "genre".into(),
        tags: "a b c".into(),
        description: "x".repeat(300),
        audio_file: "audio.ogg".into(),
        background_file: "bg.png".into(),
        style: "pump-halfdouble".into(),
        preview_time_us: Some(-LIMIT_2_52),
        chart_id: Some(i64::MIN),
        set_id: Some(i64::MAX),
        hp_drain: Some(f64::MIN_POSITIVE),
        overall_difficulty: Some(f64::INFINITY),
        has_scratch: true,
    };
    let mut timing = vec![
        TimingPoint::bpm(-LIMIT_2_52, 123.456789, 7),
        TimingPoint {
            sample_set: 3,
            sample_index: u32::MAX,
            volume: 0,
            effects: 9,
            ..TimingPoint::scroll(-5, 0.0)
        },
        TimingPoint::new(-5, TimingKind::Stop { duration_us: 1 }),
        TimingPoint::new(0, TimingKind::Delay { duration_us: 0 }),
        TimingPoint::new(333, TimingKind::Warp { beats: -1.5 }),
        TimingPoint::bpm(LIMIT_2_52, f64::MAX, u32::MAX),
    ];
    timing[3].volume = 255;
    let sound = HitSound {
        flags: 15,
        normal_set: 3,
        addition_set: 2,
        volume: 100,
        custom_index: u32::MAX,
    };
    let notes = vec![
        Note::tap(-LIMIT_2_52, 17),
        Note {
            kind: NoteKind::Hold,
            duration_us: 2 * LIMIT_2_52,
            ..Note::tap(-LIMIT_2_52, 16)
        },
        Note {
            sound,
            keysound: Some(0),
            ..Note::tap(-1, 0)
        },
        // Listed out of column order at one time: the order must survive.
        Note {
            kind: NoteKind::Mine,
            ..Note::tap(0, 3)
        },
        Note {
            kind: NoteKind::Lift,
            keysound: Some(1),
            ..Note::tap(0, 1)
        },
        Note {
            kind: NoteKind::Fake,
            ..Note::tap(0, 2)
        },
        Note {
            kind: NoteKind::Roll,
            duration_us: 1,
            ..Note::tap(7, 0)
        },
        Note::tap(8, 0),
        Note {
            sound: HitSound {
                volume: 1,
                ..HitSound::default()
            },
            ..Note::tap(LIMIT_2_52, 0)
        },
    ];
    let chart = Chart {
        metadata,
        key_count: 18,
        notes,
        timing,
        keysounds: vec!["kick.wav".into(), "".into(), "スネア.ogg".into()],
        extras: vec![
            ("sm.BGCHANGES".into(), "0.000=bg.png=1.000=0=0=1".into()),
            ("qua.Bookmarks".into(), "".into()),
        ],
        // The committed v1 file predates the origin section; `the_origin_round_trips` has it.
        source_format: None,
    };
    assert_eq!(chart.validate(), vec![], "the test chart must be valid");
    chart
}

/// The smallest valid chart: one BPM point, no notes, nothing optional.
fn minimal_chart() -> Chart {
    Chart {
        timing: vec![TimingPoint::bpm(0, 120.0, 4)],
        ..Chart::new(1)
    }
}

/// A mid-sized ms-based 7K chart with holds and some hit sounds, built deterministically.
fn generated_chart(notes: usize) -> Chart {
    let mut chart = Chart::new(7);
    chart.metadata.title = "generated".into();
    chart.timing.push(TimingPoint::bpm(1_000_000, 180.0, 4));
    chart.timing.push(TimingPoint::scroll(2_000_000, 1.25));
    let mut random = common::random_source(0x9e37_79b9_7f4a_7c15);
    let mut free_at = [0i64; 7];
    let mut time = 1_000_000;
    while chart.notes.len() < notes {
        time += [0, 83_000, 166_000, 333_000][(random() % 4) as usize];
        let column = (random() % 7) as usize;
        if free_at[column] > time
            || chart
                .notes
                .last()
                .is_some_and(|n| n.time_us == time && n.column as usize >= column)
        {
            continue;
        }
        let mut note = Note::tap(time, column as u8);
        if random() % 8 == 0 {
            note = Note::hold(time, 250_000, column as u8);
        }
        if random() % 5 == 0 {
            note.sound.flags = 2;
        }
        free_at[column] = note.time_us + note.duration_us + 1;
        chart.notes.push(note);
    }
    chart
}

fn round_trip(chart: &Chart, compression: Compression) {
    let bytes = encode_with(chart, compression).expect("encode");
    assert!(is_rox(&bytes));
    let back = decode(&bytes).unwrap_or_else(|e| panic!("decode ({compression:?}): {e}"));
    assert_eq!(&back, chart, "round trip with {compression:?}");
    // f64 equality treats 0.0 and -0.0 alike; the format promises bit patterns.
    assert_eq!(
        back.metadata.difficulty_level.map(f64::to_bits),
        chart.metadata.difficulty_level.map(f64::to_bits)
    );
}

const COMPRESSIONS: [Compression; 3] = [
    Compression::None,
    Compression::Zstd(1),
    Compression::Zstd(19),
];

#[test]
fn every_field_round_trips() {
    for compression in COMPRESSIONS {
        round_trip(&every_field_chart(), compression);
        round_trip(&minimal_chart(), compression);
        round_trip(&generated_chart(2000), compression);
    }
}

#[test]
fn each_optional_field_round_trips_alone() {
    // Rare fields are stored only when some note has them; check each one switching them on.
    let base = generated_chart(50);
    let mut with_keysound = base.clone();
    with_keysound.keysounds = vec!["a.wav".into()];
    with_keysound.notes[10].keysound = Some(0);
    let mut with_custom_index = base.clone();
    with_custom_index.notes[3].sound.custom_index = 7;
    let mut without_sounds = base.clone();
    without_sounds
        .notes
        .iter_mut()
        .for_each(|n| n.sound = HitSound::default());
    let mut with_metadata = base;
    with_metadata.metadata.hp_drain = Some(8.5);
    for chart in [
        with_keysound,
        with_custom_index,
        without_sounds,
        with_metadata,
    ] {
        round_trip(&chart, Compression::None);
    }
}

#[test]
fn a_time_unit_that_changes_late_round_trips() {
    // The writer guesses the time unit from the first notes; a later time or duration that
    // breaks it must still be written exactly.
    let mut late_time = generated_chart(300);
    late_time.notes.last_mut().unwrap().time_us += 1;
    let mut late_duration = generated_chart(300);
    let hold = late_duration
        .notes
        .iter_mut()
        .rev()
        .find(|n| n.kind == NoteKind::Hold)
        .unwrap();
    hold.duration_us -= 500;
    for chart in [late_time, late_duration] {
        round_trip(&chart, Compression::None);
    }
}

#[test]
fn the_big_corpus_chart_round_trips() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let osu = std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).unwrap();
    let chart = rox::formats::osu::decode(&osu).expect("the big chart decodes");
    assert!(chart.notes.len() > 50_000);
    for compression in COMPRESSIONS {
        round_trip(&chart, compression);
    }
    let size = encode(&chart).expect("encode").len();
    eprintln!("54K-note chart: {size} bytes as .rox");
    // A regression guard only; benches/rox.rs measures the real figure.
    assert!(size < 60_000, "54K-note chart takes {size} bytes");
}

#[test]
fn invalid_charts_are_not_written() {
    let mut chart = minimal_chart();
    chart.notes.push(Note::tap(0, 1));
    assert!(matches!(encode(&chart), Err(Error::Invalid(_))));
}

#[test]
fn the_encoder_refuses_exactly_what_validate_refuses() {
    // The codec checks notes inside its loops rather than calling `validate`; this holds it
    // to the same answer on charts broken (or not) in every way a note can be.
    let mut random = common::random_source(0x2545_f491_4f6c_dd1d);
    let base = {
        let mut chart = generated_chart(40);
        chart.keysounds = vec!["a.wav".into(), "b.wav".into()];
        chart
    };
    let (mut refused, mut accepted) = (0, 0);
    for _ in 0..3000 {
        let mut chart = base.clone();
        for _ in 0..=random() % 2 {
            let i = (random() % chart.notes.len() as u64) as usize;
            let note = &mut chart.notes[i];
            let extreme = [
                0,
                1,
                -1,
                LIMIT_2_52,
                -LIMIT_2_52,
                LIMIT_2_52 + 1,
                i64::MAX,
                i64::MIN + 1,
            ];
            match random() % 7 {
                0 => note.time_us += [-400_000, -83_000, -1, 1, 83_000][(random() % 5) as usize],
                1 => note.time_us = extreme[(random() % 8) as usize],
                2 => note.column = (random() % 9) as u8,
                3 => note.kind = NoteKind::ALL[(random() % 6) as usize],
                4 => note.duration_us = extreme[(random() % 8) as usize],
                5 => note.keysound = [None, Some(0), Some(1), Some(2)][(random() % 4) as usize],
                _ => {
                    chart.timing[0].kind = TimingKind::Bpm {
                        bpm: [-1.0, 0.0, f64::NAN, 90.0][(random() % 4) as usize],
                        meter: 4,
                    }
                }
            }
        }
        let valid = fatal_issues(&chart).is_empty();
        match encode_with(&chart, Compression::None) {
            Ok(bytes) => {
                assert!(
                    valid,
                    "encoded a chart with problems: {:?}",
                    fatal_issues(&chart)
                );
                assert_eq!(decode(&bytes).expect("decode"), chart);
                accepted += 1;
            }
            Err(Error::Invalid(issues)) => {
                assert!(!valid, "refused a valid chart: {issues:?}");
                assert!(!issues.is_empty());
                refused += 1;
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    assert!(
        refused > 500 && accepted > 500,
        "{refused} refused, {accepted} accepted: mutations are unbalanced"
    );
}

fn fixture(name: &str) -> PathBuf {
    common::fixture_path(&format!("rox/{name}"))
}

/// Files written by v1 must decode the same forever. `ROX_BLESS=1` rewrites them, which is
/// only right when adding a fixture, never to make a failing decode pass.
#[test]
fn committed_v1_files_still_decode() {
    let cases = [
        ("every-field.rox", every_field_chart(), Compression::None),
        (
            "generated-7k-zstd.rox",
            generated_chart(3000),
            Compression::Zstd(19),
        ),
    ];
    for (name, chart, compression) in cases {
        let path = fixture(name);
        if std::env::var_os("ROX_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, encode_with(&chart, compression).unwrap()).unwrap();
        }
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            bytes[10],
            (compression != Compression::None) as u8,
            "{name}: compression flag"
        );
        assert_eq!(
            decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")),
            chart,
            "{name}"
        );
    }
}

fn small_files() -> Vec<Vec<u8>> {
    vec![
        encode_with(&every_field_chart(), Compression::None).unwrap(),
        encode_with(&generated_chart(200), Compression::Zstd(3)).unwrap(),
    ]
}

#[test]
fn every_single_byte_change_is_an_error() {
    for file in small_files() {
        for at in 0..file.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut damaged = file.clone();
                damaged[at] ^= flip;
                assert!(
                    decode(&damaged).is_err(),
                    "flipping byte {at} with {flip:#x} went unnoticed"
                );
            }
        }
    }
}

#[test]
fn payload_damage_is_caught_by_the_checksum() {
    let file = &small_files()[1];
    let mut damaged = file.clone();
    *damaged.last_mut().unwrap() ^= 0x10;
    assert!(matches!(decode(&damaged), Err(Error::Checksum { .. })));
}

#[test]
fn every_truncation_is_an_error() {
    for file in small_files() {
        for len in 0..file.len() {
            assert!(
                decode(&file[..len]).is_err(),
                "file cut to {len} bytes decoded"
            );
        }
        let mut padded = file.clone();
        padded.push(0);
        assert!(decode(&padded).is_err(), "trailing byte accepted");
    }
}

/// Rebuilds a file's header around `payload` with a correct checksum, so tests reach the
/// parser behind it.
fn reframe(original: &[u8], stored: &[u8], payload_len: u32) -> Vec<u8> {
    let mut out = original[..HEADER_LEN].to_vec();
    out[12..16].copy_from_slice(&(stored.len() as u32).to_le_bytes());
    out[16..20].copy_from_slice(&payload_len.to_le_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(&out[..20]);
    crc.update(stored);
    out[20..24].copy_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(stored);
    out
}

fn with_payload(original: &[u8], payload: &[u8]) -> Vec<u8> {
    reframe(original, payload, payload.len() as u32)
}

#[test]
fn the_parser_survives_any_byte_behind_a_valid_checksum() {
    // The checksum stops random damage; this checks the parser on its own, as a forger sees
    // it: every value at every payload position must give a chart or an error, not a panic.
    let file = encode_with(&every_field_chart(), Compression::None).unwrap();
    let payload = &file[HEADER_LEN..];
    let mut accepted = 0;
    for at in 0..payload.len() {
        for value in 0..=255u8 {
            let mut forged = payload.to_vec();
            forged[at] = value;
            if let Ok(chart) = decode(&with_payload(&file, &forged)) {
                assert_eq!(
                    fatal_issues(&chart),
                    vec![],
                    "an accepted chart must be valid"
                );
                accepted += 1;
            }
        }
    }
    // Changed strings, sounds and floats are legitimately different charts.
    assert!(accepted > 0);
    for len in 0..payload.len() {
        assert!(
            decode(&with_payload(&file, &payload[..len])).is_err(),
            "payload cut to {len} bytes decoded"
        );
    }
}

#[test]
fn zstd_damage_behind_a_valid_checksum_is_an_error() {
    // The same for the decompressor: a damaged frame must fail or give bytes the parser
    // judges, never a panic or an allocation beyond the declared size.
    let file = encode_with(&generated_chart(300), Compression::Zstd(3)).unwrap();
    assert_eq!(file[10], 1, "the test needs a compressed file");
    let stored = &file[HEADER_LEN..];
    let payload_len = u32::from_le_bytes(file[16..20].try_into().unwrap());
    for at in 0..stored.len() {
        for flip in [0x01, 0x10, 0x80, 0xff] {
            let mut forged = stored.to_vec();
            forged[at] ^= flip;
            let (result, largest) =
                largest_allocation_of(|| decode(&reframe(&file, &forged, payload_len)));
            if let Ok(chart) = result {
                assert_eq!(fatal_issues(&chart), vec![]);
            }
            assert!(
                largest <= 4 * payload_len as usize + (1 << 16),
                "allocated {largest} bytes"
            );
        }
    }
}

#[test]
fn a_forged_huge_size_is_refused_without_allocating() {
    let file = encode_with(&generated_chart(200), Compression::Zstd(3)).unwrap();
    assert_eq!(file[10], 1, "the test needs a compressed file");
    for claimed in [u32::MAX, 256 << 20, 1 << 28 | 1] {
        let forged = reframe(&file, &file[HEADER_LEN..], claimed);
        let (result, largest) = largest_allocation_of(|| decode(&forged));
        let message = result.expect_err("forged size accepted").to_string();
        assert!(message.contains("exceeds the limit"), "{message}");
        assert!(
            largest < 1 << 20,
            "allocated {largest} bytes for a {}-byte file",
            forged.len()
        );
    }
}

#[test]
fn a_frame_that_expands_beyond_its_declared_size_is_refused() {
    // A zstd bomb: 64 MiB of zeros packs into a few KB. Declared honestly it exceeds the
    // ratio limit; declared small it must fail without the decoder growing its buffer.
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    let bomb = zstd::bulk::compress(&vec![0u8; 64 << 20], 19).unwrap();
    let mut header = file[..HEADER_LEN].to_vec();
    header[10] = 1;
    for claimed in [64 << 20, 1000] {
        let forged = reframe(&header, &bomb, claimed);
        let (result, largest) = largest_allocation_of(|| decode(&forged));
        assert!(matches!(result, Err(Error::Corrupt(_))), "{result:?}");
        assert!(
            largest <= (claimed as usize).max(1 << 20),
            "allocated {largest} bytes"
        );
    }
}

#[test]
fn counts_are_checked_before_allocating() {
    // A notes count of 2^40 in a tiny payload must be refused, not allocated for.
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    let payload = file[HEADER_LEN..].to_vec();
    let body_at = section_body_at(&payload, NOTES_SECTION);
    // The key count, then the count.
    let count_at = body_at + 1;
    assert_eq!(payload[count_at], 0, "minimal chart has no notes");
    let mut forged = payload[..count_at].to_vec();
    forged.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    forged.extend_from_slice(&payload[count_at + 1..]);
    forged[body_at - 1] += 5; // the body's one-byte length
    let (result, largest) = largest_allocation_of(|| decode(&with_payload(&file, &forged)));
    let message = result.expect_err("huge count accepted").to_string();
    assert!(
        message.contains("notes section") && message.contains("cannot fit"),
        "{message}"
    );
    assert!(largest < 1 << 16, "allocated {largest} bytes");
}

/// Where the body of section `id` starts in `payload`, found by walking the section table.
fn section_body_at(payload: &[u8], id: u16) -> usize {
    let mut at = 0;
    loop {
        let this = u16::from_le_bytes([payload[at], payload[at + 1]]);
        at += 2;
        let (mut len, mut shift) = (0usize, 0);
        while payload[at] & 0x80 != 0 {
            len |= usize::from(payload[at] & 0x7f) << shift;
            shift += 7;
            at += 1;
        }
        len |= usize::from(payload[at]) << shift;
        at += 1;
        if this == id {
            return at;
        }
        at += len;
    }
}

const NOTES_SECTION: u16 = 0x8003;

fn section(id: u16, body: &[u8]) -> Vec<u8> {
    let mut out = id.to_le_bytes().to_vec();
    assert!(body.len() < 128, "one-byte length");
    out.push(body.len() as u8);
    out.extend_from_slice(body);
    out
}

#[test]
fn unknown_optional_sections_are_skipped() {
    let chart = every_field_chart();
    let file = encode_with(&chart, Compression::None).unwrap();
    let mut payload = section(0x0042, b"from a later writer");
    payload.extend_from_slice(&file[HEADER_LEN..]);
    payload.extend_from_slice(&section(0x7fff, &[]));
    assert_eq!(decode(&with_payload(&file, &payload)).unwrap(), chart);
}

const ORIGIN_SECTION: u16 = 0x0001;

/// The format a chart came from survives `.rox`, so that its scroll keeps its game's rules.
#[test]
fn the_origin_round_trips() {
    for origin in [Format::Osu, Format::Sm, Format::Ssc, Format::Qua] {
        let chart = Chart {
            source_format: Some(origin),
            ..every_field_chart()
        };
        round_trip(&chart, Compression::None);
    }
    // `.rox` is never an origin: it keeps the original's, or none.
    let chart = Chart {
        source_format: Some(Format::Rox),
        ..minimal_chart()
    };
    assert_eq!(
        decode(&encode(&chart).unwrap()).unwrap().source_format,
        None
    );
}

#[test]
fn an_origin_this_version_does_not_know_is_none() {
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    for unknown in [0u8, 1, 6, 255] {
        let mut payload = section(ORIGIN_SECTION, &[unknown]);
        payload.extend_from_slice(&file[HEADER_LEN..]);
        assert_eq!(
            decode(&with_payload(&file, &payload)).unwrap(),
            minimal_chart()
        );
    }
    let twice = [section(ORIGIN_SECTION, &[2]), section(ORIGIN_SECTION, &[3])].concat();
    let message = decode(&with_payload(
        &file,
        &[twice, file[HEADER_LEN..].to_vec()].concat(),
    ))
    .unwrap_err()
    .to_string();
    assert!(message.contains("second time"), "{message}");
    let long = [
        section(ORIGIN_SECTION, &[2, 0]),
        file[HEADER_LEN..].to_vec(),
    ]
    .concat();
    assert!(
        decode(&with_payload(&file, &long)).is_err(),
        "a body of exactly one byte"
    );
}

#[test]
fn unknown_required_sections_are_refused() {
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    let mut payload = file[HEADER_LEN..].to_vec();
    payload.extend_from_slice(&section(0x8042, &[1, 2, 3]));
    let message = decode(&with_payload(&file, &payload))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("unknown required section 0x8042"),
        "{message}"
    );
}

#[test]
fn sections_must_be_present_once() {
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    let payload = &file[HEADER_LEN..];
    let mut twice = payload.to_vec();
    twice.extend_from_slice(payload);
    let message = decode(&with_payload(&file, &twice))
        .unwrap_err()
        .to_string();
    assert!(message.contains("second time"), "{message}");
    let message = decode(&with_payload(&file, &[])).unwrap_err().to_string();
    assert!(message.contains("no notes section"), "{message}");
}

#[test]
fn decoded_charts_are_validated() {
    // Lower the key count of a valid 7-key chart to 4: its notes in columns 4–6 are then out
    // of range, which the decoder must say rather than return the chart.
    let file = encode_with(&generated_chart(20), Compression::None).unwrap();
    let mut payload = file[HEADER_LEN..].to_vec();
    let body_at = section_body_at(&payload, NOTES_SECTION);
    assert_eq!(payload[body_at], 7, "the key count starts the body");
    payload[body_at] = 4;
    let message = decode(&with_payload(&file, &payload))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("note") && message.contains("column is not below the key count"),
        "{message}"
    );
}

#[test]
fn a_newer_version_is_refused_as_such() {
    let mut file = encode(&minimal_chart()).unwrap();
    file[8..10].copy_from_slice(&2u16.to_le_bytes());
    assert!(matches!(
        decode(&file),
        Err(Error::UnsupportedVersion {
            found: 2,
            supported: 1
        })
    ));
    // Whatever follows the version, even a header cut short.
    assert!(matches!(
        decode(&file[..10]),
        Err(Error::UnsupportedVersion { .. })
    ));
}

#[test]
fn is_rox_checks_the_magic() {
    assert!(is_rox(&encode(&minimal_chart()).unwrap()));
    assert!(is_rox(&MAGIC));
    assert!(!is_rox(&MAGIC[..7]));
    assert!(!is_rox(b""));
    assert!(!is_rox(b"osu file format v14\n"));
    let mut text_mangled = MAGIC.to_vec();
    text_mangled.remove(4); // a CR stripped by newline translation
    assert!(!is_rox(&text_mangled));
    assert_eq!(rox::Format::detect(&MAGIC), Some(rox::Format::Rox));
}

/// What stops a chart from being written (overlaps and a missing BPM do not).
fn fatal_issues(chart: &Chart) -> Vec<rox::ValidationIssue> {
    chart
        .validate()
        .into_iter()
        .filter(|i| i.kind.is_fatal())
        .collect()
}

#[test]
fn overlapping_notes_and_no_bpm_are_kept_not_refused() {
    // Real charts have them and the games accept them (docs/decisions.md).
    let mut chart = Chart::new(4);
    chart.notes = vec![
        Note::hold(0, 1000, 0),
        Note::tap(500, 0),
        Note::tap(500, 1),
        Note::tap(500, 1),
    ];
    assert_eq!(chart.validate().len(), 3, "no BPM and two overlaps");
    let bytes = rox::encode(&chart, rox::Format::Rox).expect("encode");
    assert_eq!(decode(&bytes).expect("decode"), chart);
}

const METADATA_SECTION: u16 = 0x8001;

#[test]
fn reserved_bits_are_refused() {
    // docs/rox-format.md: header flag bits 4–15, metadata presence bit 7 and note field bits
    // 2–7 are reserved; a file using them needs a newer reader.
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    let payload = &file[HEADER_LEN..];
    // Fourteen empty strings, then the presence byte.
    let presence_at = section_body_at(payload, METADATA_SECTION) + 14;
    // The key count and a one-byte note count, then the fields byte.
    let fields_at = section_body_at(payload, NOTES_SECTION) + 2;
    assert_eq!((payload[presence_at], payload[fields_at]), (0, 0));
    for (at, bit, place) in [
        (presence_at, 0x80, "reserved metadata bits"),
        (fields_at, 0x04, "reserved note field bits"),
        (fields_at, 0x80, "reserved note field bits"),
    ] {
        let mut forged = payload.to_vec();
        forged[at] = bit;
        let message = decode(&with_payload(&file, &forged))
            .unwrap_err()
            .to_string();
        assert!(message.contains(place), "{bit:#x}: {message}");
    }
    for flags in [0x0010u16, 0x8000] {
        let mut header = file[..HEADER_LEN].to_vec();
        header[10..12].copy_from_slice(&flags.to_le_bytes());
        let message = decode(&with_payload(&header, payload))
            .unwrap_err()
            .to_string();
        assert!(message.contains("reserved header flags"), "{message}");
    }
}

#[test]
fn zstd_is_used_only_where_it_helps_and_the_reader_accepts_it() {
    // Stored raw when zstd does not shrink the payload (a one-note chart), or shrinks it
    // beyond the reader's 1024:1 limit: a stream of 1 ms jacks packs about 500:1 at 20K
    // notes (compressed) and 1200:1 at 40K (raw, so the file still decodes).
    let mut one_note = minimal_chart();
    one_note.metadata.title = "x1".into();
    one_note.metadata.artist = "y2".into();
    one_note.metadata.creator = "z3".into();
    one_note.notes.push(Note::tap(123_456, 0));
    let jacks = |n: i64| Chart {
        notes: (0..n).map(|i| Note::tap(i * 1000, 0)).collect(),
        ..minimal_chart()
    };
    for (chart, compressed) in [(one_note, 0), (jacks(20_000), 1), (jacks(40_000), 0)] {
        let bytes = encode_with(&chart, Compression::Zstd(3)).unwrap();
        let raw = encode_with(&chart, Compression::None).unwrap();
        assert_eq!(bytes[10], compressed, "{} notes", chart.notes.len());
        assert!(bytes.len() <= raw.len());
        assert_eq!(decode(&bytes).unwrap(), chart);
    }
}

#[test]
fn an_uncompressed_payload_must_have_its_declared_size() {
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    let stored = &file[HEADER_LEN..];
    assert_eq!(
        decode(&reframe(&file, stored, stored.len() as u32)).unwrap(),
        minimal_chart()
    );
    for declared in [stored.len() - 1, stored.len() + 1] {
        let message = decode(&reframe(&file, stored, declared as u32))
            .unwrap_err()
            .to_string();
        assert!(message.contains("is declared as"), "{message}");
    }
}

#[test]
fn a_payload_of_exactly_the_ratio_limit_decodes() {
    // The limit is inclusive: 1024 times the stored size. Pad the payload with an unknown
    // optional section and the zstd frame with a skippable frame to hit it exactly.
    const STORED: usize = 256;
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    let mut payload = file[HEADER_LEN..].to_vec();
    let padding = STORED * 1024 - payload.len() - 2 - 3; // id, 3-byte varint length
    payload.extend_from_slice(&0x0042u16.to_le_bytes());
    payload.extend_from_slice(&[
        0x80 | (padding & 0x7f) as u8,
        0x80 | (padding >> 7 & 0x7f) as u8,
        (padding >> 14) as u8,
    ]);
    payload.resize(STORED * 1024, 0);
    let mut stored = zstd::bulk::compress(&payload, 19).unwrap();
    let skip = STORED - stored.len() - 8;
    stored.extend_from_slice(&0x184d_2a50u32.to_le_bytes());
    stored.extend_from_slice(&(skip as u32).to_le_bytes());
    stored.resize(STORED, 0);
    let mut header = file[..HEADER_LEN].to_vec();
    header[10] = 1;
    let at_limit = decode(&reframe(&header, &stored, payload.len() as u32));
    assert_eq!(at_limit.unwrap(), minimal_chart());
    let message = decode(&reframe(&header, &stored, payload.len() as u32 + 1))
        .unwrap_err()
        .to_string();
    assert!(message.contains("exceeds the limit"), "{message}");
}

#[test]
fn a_keysound_index_must_be_in_the_decoded_list() {
    // The keysounds stream ends the payload: its last byte is the last note's index + 1.
    let mut chart = generated_chart(10);
    chart.keysounds = vec!["kick.wav".into()];
    chart.notes.last_mut().unwrap().keysound = Some(0);
    let file = encode_with(&chart, Compression::None).unwrap();
    let mut payload = file[HEADER_LEN..].to_vec();
    assert_eq!(payload.last(), Some(&1));
    *payload.last_mut().unwrap() = 2;
    let message = decode(&with_payload(&file, &payload))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("note 9")
            && message.contains("keysound index is not in the keysound list"),
        "{message}"
    );
}

#[test]
fn a_key_count_outside_1_to_18_is_refused_by_name() {
    let file = encode_with(&generated_chart(20), Compression::None).unwrap();
    let payload = file[HEADER_LEN..].to_vec();
    let body_at = section_body_at(&payload, NOTES_SECTION);
    for key_count in [0u8, 19, 32] {
        let mut forged = payload.clone();
        forged[body_at] = key_count;
        let message = decode(&with_payload(&file, &forged))
            .unwrap_err()
            .to_string();
        assert!(
            message.contains(&format!("key count {key_count} is not in 1..=18")),
            "{message}"
        );
    }
}

const TIMING_SECTION: u16 = 0x8002;

/// The varint at `payload[*at]`, moving `at` past it.
fn varint_at(payload: &[u8], at: &mut usize) -> u64 {
    let (mut value, mut shift) = (0, 0);
    loop {
        let byte = payload[*at];
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return value;
        }
        shift += 7;
    }
}

#[test]
fn the_writer_makes_the_documented_choices() {
    // docs/rox-format.md §4 and §7: a time list's unit is the greatest common divisor of its
    // times (and hold durations), its base the first time; a notes field bit is set only if
    // some note has that field.
    let mut chart = generated_chart(200);
    chart
        .notes
        .iter_mut()
        .for_each(|n| n.sound = HitSound::default());
    let file = encode_with(&chart, Compression::None).unwrap();
    let payload = &file[HEADER_LEN..];
    let mut at = section_body_at(payload, TIMING_SECTION);
    assert_eq!(varint_at(payload, &mut at), 2, "timing points");
    // A BPM at 1 s and a scroll at 2 s.
    assert_eq!(varint_at(payload, &mut at), 1_000_000, "timing unit");
    assert_eq!(varint_at(payload, &mut at), 2, "timing base (zigzag of 1)");
    let mut at = section_body_at(payload, NOTES_SECTION) + 1;
    assert_eq!(varint_at(payload, &mut at), 200, "notes");
    assert_eq!(payload[at], 0, "fields: no hit sounds, no keysounds");
    at += 1;
    // Times and durations are whole ms, their greatest common divisor 1 ms.
    assert_eq!(varint_at(payload, &mut at), 1000, "notes unit");
    let first = chart.notes[0].time_us as u64 / 1000;
    assert_eq!(
        varint_at(payload, &mut at),
        2 * first,
        "notes base (zigzag)"
    );

    // Every note with a hit sound: the bit is set and each sound kept.
    chart.notes.iter_mut().for_each(|n| n.sound.flags = 8);
    let file = encode_with(&chart, Compression::None).unwrap();
    let payload = &file[HEADER_LEN..];
    let mut at = section_body_at(payload, NOTES_SECTION) + 1;
    varint_at(payload, &mut at);
    assert_eq!(payload[at], 1, "fields: hit sounds");
    assert_eq!(decode(&file).unwrap(), chart);
}

#[test]
fn a_time_list_with_a_trailing_delta_is_refused() {
    // The minimal chart's notes body: key count, count 0, fields, unit 1, base 0, then the
    // empty deltas stream; give that stream a byte no note uses.
    let file = encode_with(&minimal_chart(), Compression::None).unwrap();
    let payload = &file[HEADER_LEN..];
    let body_at = section_body_at(payload, NOTES_SECTION);
    let deltas_at = body_at + 5;
    assert_eq!(payload[body_at..=deltas_at], [1, 0, 0, 1, 0, 0]);
    let mut forged = payload[..deltas_at].to_vec();
    forged.extend_from_slice(&[1, 7]);
    forged.extend_from_slice(&payload[deltas_at + 1..]);
    forged[body_at - 1] += 1; // the body's one-byte length
    let message = decode(&with_payload(&file, &forged))
        .unwrap_err()
        .to_string();
    // The stray byte's payload offset is named: after the stream's length byte.
    let place = format!(
        "time deltas stream at payload byte {}: 1 unexpected trailing byte",
        deltas_at + 1
    );
    assert!(message.contains(&place), "{message}");
}

#[test]
fn lists_of_empty_strings_round_trip() {
    // The smallest items a count can announce: each exactly fills its minimum size.
    let mut chart = minimal_chart();
    chart.keysounds = vec!["".into()];
    chart.extras = vec![("".into(), "".into())];
    round_trip(&chart, Compression::None);
}

#[test]
fn invalid_utf8_is_named_at_its_first_bad_byte() {
    let mut chart = minimal_chart();
    chart.metadata.title = "Title".into();
    let file = encode_with(&chart, Compression::None).unwrap();
    let mut payload = file[HEADER_LEN..].to_vec();
    // The title's length byte, then "Title": spoil the "i".
    let bad_at = section_body_at(&payload, METADATA_SECTION) + 2;
    assert_eq!(payload[bad_at], b'i');
    payload[bad_at] = 0xff;
    let message = decode(&with_payload(&file, &payload))
        .unwrap_err()
        .to_string();
    let expected = format!("at payload byte {bad_at}: string is not valid UTF-8");
    assert!(message.contains(&expected), "{message}");
}

#[test]
fn times_sharing_a_large_power_of_two_round_trip() {
    // The unit's divisibility test works on the odd part and the power of two separately:
    // 3·2^40 and 4·2^40 µs share 2^40, which the odd part 3 of the first time must not hide.
    let mut chart = minimal_chart();
    chart.notes = [3i64 << 40, 4 << 40, 1 << 52]
        .map(|t| Note::tap(t, 0))
        .to_vec();
    round_trip(&chart, Compression::None);
}
