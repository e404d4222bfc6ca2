//! Across formats: content detection, chart sets (archives), conversion reports.
//!
//! `tests/fixtures/archives/song.osz` is a zip (deflate) of `osu/full.osu` twice, as
//! `[Easy]` and `[Hard]` (Version changed), `osu/standard.osu` as `[Normal]` (an osu!standard
//! map, not readable as mania), `audio.mp3`, a `bg/` folder and `bg/bg.jpg`.

mod common;

use std::io::{Cursor, Write};

use rox::{
    convert, decode, decode_set, encode, encode_set_with_report, encode_with_report, Chart, Error,
    Format, LossKind, Note, NoteKind, TimingKind, TimingPoint,
};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A zip of `(name, content)` entries; a name ending in `/` is a folder.
fn zip_of(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .large_file(true);
    for (name, content) in entries {
        if name.ends_with('/') {
            zip.add_directory(*name, options).unwrap();
        } else {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
    }
    zip.finish().unwrap().into_inner()
}

fn chart() -> Chart {
    let mut chart = Chart::new(4);
    chart.metadata.difficulty_name = "Hard".into();
    chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
    chart.notes = vec![Note::tap(0, 0), Note::hold(500_000, 250_000, 3)];
    chart
}

#[test]
fn archive_decodes_every_mania_chart_and_lists_the_rest() {
    let bytes = common::fixture("archives/song.osz");
    assert_eq!(Format::detect(&bytes), Some(Format::Osu));
    let set = decode_set(&bytes, Format::Auto).unwrap();
    let names: Vec<_> = set
        .charts
        .iter()
        .map(|c| c.metadata.difficulty_name.as_str())
        .collect();
    assert_eq!(names, ["Easy", "Hard"]);
    assert_eq!(set.resources, ["audio.mp3", "bg/bg.jpg"]);
    // The osu!standard difficulty is named, with why it was not read.
    assert_eq!(set.report.entries.len(), 1, "{:?}", set.report);
    let loss = &set.report.entries[0];
    assert_eq!(loss.kind, LossKind::ChartDropped);
    assert!(
        loss.message
            .starts_with("Artist - Song (Mapper) [Normal].osu not read: not an osu!mania chart"),
        "{}",
        loss.message
    );
    assert_eq!(set.find_by_name("hard"), [1]);
    assert!(set.find_by_name("Insane").is_empty());

    // `decode` gives the first chart; the same as the .osu alone.
    let first = decode(&bytes, Format::Auto).unwrap();
    let easy = String::from_utf8(common::fixture("osu/full.osu"))
        .unwrap()
        .replace("Version:4K Fixture", "Version:Easy");
    assert_eq!(first, decode(easy.as_bytes(), Format::Osu).unwrap());
    // A format restricts the entries read.
    assert!(matches!(
        decode_set(&bytes, Format::Qua),
        Err(Error::NoChart(m)) if m.contains("no .qua chart file (5 other entries)")
    ));
}

#[test]
fn archive_limits_and_failures() {
    let osu = encode(&chart(), Format::Osu).unwrap();
    // Nothing readable: the first failure is the error; nothing chart-like: NoChart.
    let only_standard = zip_of(
        &[("a.osu", &common::fixture("osu/standard.osu"))],
        CompressionMethod::Deflated,
    );
    assert!(matches!(
        decode_set(&only_standard, Format::Auto),
        Err(Error::NotMania { .. })
    ));
    let only_audio = zip_of(&[("a.mp3", b"x")], CompressionMethod::Stored);
    assert_eq!(Format::detect(&only_audio), None);
    assert!(matches!(
        decode_set(&only_audio, Format::Auto),
        Err(Error::NoChart(_))
    ));

    // Entry count.
    let names: Vec<String> = (0..=rox::formats::MAX_ARCHIVE_ENTRIES)
        .map(|i| format!("{i}.wav"))
        .collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let many = zip_of(&entries, CompressionMethod::Stored);
    assert!(
        matches!(decode_set(&many, Format::Auto), Err(Error::Archive(m)) if m.contains("10001 entries"))
    );

    // One chart entry larger than allowed is refused, the other charts still read.
    let big = vec![b' '; rox::formats::MAX_CHART_ENTRY_SIZE as usize + 1];
    let archive = zip_of(
        &[("big.osu", &big), ("ok.osu", &osu)],
        CompressionMethod::Stored,
    );
    let set = decode_set(&archive, Format::Auto).unwrap();
    assert_eq!(set.charts.len(), 1);
    assert!(set.report.entries[0]
        .message
        .contains("big.osu not read: unreadable archive: the entry inflates to more than"));

    // A truncated archive is an error, never a panic or an empty set.
    let good = zip_of(&[("ok.osu", &osu)], CompressionMethod::Deflated);
    for cut in [4, 30, good.len() / 2, good.len() - 1] {
        assert!(
            decode_set(&good[..cut], Format::Auto).is_err(),
            "cut at {cut}"
        );
    }
}

#[test]
fn unknown_content_is_unknown_format_never_an_empty_chart() {
    for bytes in [
        &b""[..],
        b"hello world",
        b"PK",
        b"\x89ROX",
        b"{\"song\": {}}",
        &[0xff, 0xfe, 0, 1],
    ] {
        assert_eq!(Format::detect(bytes), None, "{bytes:?}");
        assert!(
            matches!(decode(bytes, Format::Auto), Err(Error::UnknownFormat(_))),
            "{bytes:?}"
        );
    }
    let osu = encode(&chart(), Format::Osu).unwrap();
    let rox = encode(&chart(), Format::Rox).unwrap();
    assert_eq!(Format::detect(&osu), Some(Format::Osu));
    assert_eq!(Format::detect(&rox), Some(Format::Rox));
    assert_eq!(decode_set(&rox, Format::Auto).unwrap().charts, [chart()]);
}

#[test]
fn capabilities() {
    for f in [Format::Rox, Format::Osu] {
        assert!(f.can_decode() && f.can_encode(), "{f:?}");
    }
    assert!(Format::Auto.can_decode() && !Format::Auto.can_encode());
    assert!(Format::Sm.holds_many_charts() && Format::Ssc.holds_many_charts());
    assert!(!Format::Osu.holds_many_charts() && !Format::Qua.holds_many_charts());
}

#[test]
fn rox_is_lossless() {
    let mut chart = chart();
    chart.notes.push(Note {
        kind: NoteKind::Mine,
        ..Note::tap(1_000_000, 1)
    });
    chart
        .timing
        .push(TimingPoint::new(2_000_000, TimingKind::Warp { beats: 1.5 }));
    chart.metadata.genre = "genre".into();
    chart.extras.push(("sm.BGCHANGES".into(), "x".into()));
    let (bytes, report) = encode_with_report(&chart, Format::Rox).unwrap();
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(decode(&bytes, Format::Rox).unwrap(), chart);
}

#[test]
fn osu_reports_what_it_cannot_hold() {
    let mut chart = chart();
    let kinds = [
        NoteKind::Roll,
        NoteKind::Mine,
        NoteKind::Lift,
        NoteKind::Fake,
    ];
    for (i, kind) in kinds.into_iter().enumerate() {
        let time = 1_000_000 + i as i64 * 100_000;
        chart.notes.push(Note {
            kind,
            duration_us: if kind == NoteKind::Roll { 50_000 } else { 0 },
            ..Note::tap(time, 2)
        });
    }
    chart.timing.extend([
        TimingPoint::new(3_000_000, TimingKind::Stop { duration_us: 500 }),
        TimingPoint::new(4_000_000, TimingKind::Delay { duration_us: 500 }),
        TimingPoint::new(5_000_000, TimingKind::Warp { beats: 2.0 }),
        TimingPoint::scroll(6_000_000, 0.0),
    ]);
    let m = &mut chart.metadata;
    m.subtitle = "sub".into();
    m.genre = "genre".into();
    m.description = "desc".into();
    m.difficulty_level = Some(12.0);
    m.style = "dance-single".into();
    m.title = "two\nlines".into();
    m.preview_time_us = Some(1_234_567);
    chart.extras.push(("sm.BGCHANGES".into(), "x".into()));

    let (bytes, report) = encode_with_report(&chart, Format::Osu).unwrap();
    let got: Vec<_> = report
        .entries
        .iter()
        .map(|l| (l.kind, l.index, l.time_us, l.shift_us))
        .collect();
    use LossKind::*;
    let metadata = (MetadataDropped, None, None, 0);
    let expected = vec![
        metadata, // subtitle
        metadata, // genre
        metadata, // description
        metadata, // difficulty level
        metadata, // style
        metadata, // title line break
        metadata, // the extra
        (MetadataDropped, None, Some(1_234_567), 433),
        (TimingDropped, Some(1), Some(3_000_000), 0),
        (TimingDropped, Some(2), Some(4_000_000), 0),
        (TimingDropped, Some(3), Some(5_000_000), 0),
        (TimingChanged, Some(4), Some(6_000_000), 0),
        (NoteChanged, Some(2), Some(1_000_000), 0),
        (NoteDropped, Some(3), Some(1_100_000), 0),
        (NoteChanged, Some(4), Some(1_200_000), 0),
        (NoteDropped, Some(5), Some(1_300_000), 0),
    ];
    assert_eq!(got, expected, "{report:#?}");
    assert!(report.entries[12]
        .to_string()
        .starts_with("#2 at 1000000 µs: roll written as a hold"));

    // What the report says is what happened.
    let back = decode(&bytes, Format::Osu).unwrap();
    let kinds: Vec<_> = back.notes.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [NoteKind::Tap, NoteKind::Hold, NoteKind::Hold, NoteKind::Tap]
    );
    assert_eq!(back.metadata.preview_time_us, Some(1_235_000));

    // A chart .osu holds entirely: an empty report, and `encode` writes the same bytes.
    let (bytes, report) =
        encode_with_report(&decode(&bytes, Format::Osu).unwrap(), Format::Osu).unwrap();
    assert!(report.is_empty(), "{report:#?}");
    assert_eq!(encode(&back, Format::Osu).unwrap(), bytes);
}

#[test]
fn sets_encode_into_multi_chart_formats_only() {
    let charts = [chart(), chart()];
    assert!(matches!(
        encode_set_with_report(&charts, Format::Osu),
        Err(Error::InvalidArgument(m)) if m.contains("exactly one chart, not 2")
    ));
    assert!(matches!(
        encode_set_with_report(&[], Format::Rox),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        encode_with_report(&chart(), Format::Auto),
        Err(Error::InvalidArgument(_))
    ));
    let mut invalid = chart();
    invalid.notes[0].column = 9;
    assert!(matches!(
        encode_with_report(&invalid, Format::Rox),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn convert_keeps_what_the_target_holds_and_reports_the_rest() {
    let bytes = common::fixture("archives/song.osz");
    let (rox_bytes, report) = convert(&bytes, Format::Auto, Format::Rox).unwrap();
    // Decode losses first (the unreadable [Normal]), then the chart the target cannot hold.
    let kinds: Vec<_> = report.entries.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LossKind::ChartDropped, LossKind::ChartDropped]);
    assert!(report.entries[1]
        .message
        .contains("chart 1 (\"Hard\") not converted"));
    let chart = decode(&rox_bytes, Format::Rox).unwrap();
    assert_eq!(chart.metadata.difficulty_name, "Easy");
}

#[test]
fn quaver_archive_decodes_every_qua_and_lists_the_rest() {
    let hard = common::fixture("quaver/full.qua");
    let easy = String::from_utf8(hard.clone())
        .unwrap()
        .replace("DifficultyName: </3 | hard", "DifficultyName: easy");
    let lanes_outside_mode =
        b"Mode: Keys4\nTimingPoints:\n- Bpm: 120\nHitObjects:\n- StartTime: 0\n  Lane: 7\n";
    let qp = zip_of(
        &[
            ("1/easy.qua", easy.as_bytes()),
            ("audio.mp3", b"ID3"),
            ("2/hard.qua", &hard),
            ("3/broken.qua", lanes_outside_mode),
            ("bg.png", b"\x89PNG"),
        ],
        CompressionMethod::Deflated,
    );
    assert_eq!(Format::detect(&qp), Some(Format::Qua));
    let set = decode_set(&qp, Format::Auto).unwrap();
    let qua = |bytes: &[u8]| decode(bytes, Format::Qua).unwrap();
    assert_eq!(set.charts, [qua(easy.as_bytes()), qua(&hard)]);
    assert_eq!(set.resources, ["audio.mp3", "bg.png"]);
    let [loss] = &set.report.entries[..] else {
        panic!("{:?}", set.report);
    };
    assert_eq!(loss.kind, LossKind::ChartDropped);
    assert!(
        loss.message.starts_with("3/broken.qua not read: ") && loss.message.contains("lane 7"),
        "{}",
        loss.message
    );
    assert_eq!(set.find_by_name("EASY"), [0]);
    // `decode` takes the first chart; a format reads only its own entries.
    assert_eq!(decode(&qp, Format::Auto).unwrap(), qua(easy.as_bytes()));
    assert!(matches!(
        decode_set(&qp, Format::Osu),
        Err(Error::NoChart(m)) if m.contains("no .osu chart file (5 other entries)")
    ));
}

/// A small zip that inflates to a lot: a chart entry of each size in `sizes`, all zero bytes
/// (deflated once per size and copied), then one valid chart.
fn zip_bomb(sizes: &[usize]) -> Vec<u8> {
    let mut deflated: Vec<(usize, zip::ZipArchive<Cursor<Vec<u8>>>)> = Vec::new();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (i, &size) in sizes.iter().enumerate() {
        if !deflated.iter().any(|(s, _)| *s == size) {
            let one = zip_of(&[("0.rox", &vec![0; size])], CompressionMethod::Deflated);
            deflated.push((size, zip::ZipArchive::new(Cursor::new(one)).unwrap()));
        }
        let (_, source) = deflated.iter_mut().find(|(s, _)| *s == size).unwrap();
        let entry = source.by_index_raw(0).unwrap();
        zip.raw_copy_file_rename(entry, format!("{i}.rox")).unwrap();
    }
    zip.start_file("ok.osu", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&encode(&chart(), Format::Osu).unwrap())
        .unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn archive_charts_inflate_to_at_most_256_mib_in_all() {
    let size = rox::formats::MAX_CHART_ENTRY_SIZE as usize;
    assert_eq!(rox::formats::MAX_ARCHIVE_TOTAL_SIZE, 4 * size as u64);
    // The valid chart counts too: the last zero entry makes the total exactly the limit.
    let last = size - encode(&chart(), Format::Osu).unwrap().len();
    let set = decode_set(&zip_bomb(&[size, size, size, last]), Format::Auto).unwrap();
    assert_eq!(set.charts.len(), 1);
    // The zero entries are read, and dropped: they are not .rox files.
    assert_eq!(set.report.entries.len(), 4, "{:?}", set.report);
    assert!(
        set.report
            .entries
            .iter()
            .all(|l| l.kind == LossKind::ChartDropped && l.message.contains(".rox not read: ")),
        "{:?}",
        set.report
    );
    // One byte more: the whole archive is refused, small as it is.
    let bomb = zip_bomb(&[size, size, size, last + 1]);
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    assert!(matches!(
        decode_set(&bomb, Format::Auto),
        Err(Error::Archive(m)) if m.contains("its charts inflate to more than 268435456 bytes")
    ));
}

#[test]
fn a_chart_entry_that_lies_about_its_size_is_caught_while_inflating() {
    let size = rox::formats::MAX_CHART_ENTRY_SIZE as usize + 1;
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("big.osu", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&vec![b' '; size]).unwrap();
    zip.start_file("ok.osu", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&encode(&chart(), Format::Osu).unwrap())
        .unwrap();
    let mut bytes = zip.finish().unwrap().into_inner();
    // The entry claims 100 bytes, in its local header and in the central directory.
    let claim = 100u32.to_le_bytes();
    let local = 0; // the first entry's local header starts the file
    bytes[local + 22..local + 26].copy_from_slice(&claim);
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&claim);
    let set = decode_set(&bytes, Format::Auto).unwrap();
    assert_eq!(set.charts.len(), 1);
    assert!(
        set.report.entries[0]
            .message
            .contains("big.osu not read: unreadable archive: the entry inflates to more than"),
        "{:?}",
        set.report
    );
}
