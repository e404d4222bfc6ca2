//! Conformance over the hand-written fixtures and the whole corpus: every file is recognised as
//! what its extension says, every chart of every file decodes, and survives a trip through
//! every other format this build writes: same key count, same number of notes, same columns,
//! the same times, and the same stops, delays and warps, except for what the conversion report
//! names (a dropped mine, a snapped note with its exact shift, a roll written as a hold…).
//! Silence must mean nothing lost: back in its own format with nothing reported, a chart is
//! equal in every field. A reported shift must also be the target's own rounding
//! (`check_shift`): a writer that moves notes further, reported or not, fails.
//!
//! Formats whose codec this build lacks (`Format::can_decode`/`can_encode`) are skipped with a
//! message, so the test covers each codec as soon as it exists.

mod common;
#[path = "conformance/generated.rs"]
mod generated;

use std::fmt::Write as _;

use rox::formats::fnf::{decode_set_with, FnfOptions, Sides};
use rox::{
    decode_set, encode_with_report, Chart, ChartSet, ConversionReport, DecodeLimits, Error, Format,
    LossKind, Note, NoteKind, TimingKind, TimingPoint,
};

#[derive(Clone, Copy, Debug, PartialEq)]
enum ErrorKind {
    UnknownFormat,
    NotMania,
    /// Parse error or no chart in the file.
    Unreadable,
    /// More columns than the model holds.
    TooManyColumns,
}

fn kind_of(e: &Error) -> Option<ErrorKind> {
    match e {
        Error::UnknownFormat(_) => Some(ErrorKind::UnknownFormat),
        Error::NotMania { .. } => Some(ErrorKind::NotMania),
        Error::Parse { .. } | Error::NoChart(_) | Error::Invalid(_) => Some(ErrorKind::Unreadable),
        Error::InvalidKeyCount(_) => Some(ErrorKind::TooManyColumns),
        _ => None,
    }
}

/// Files that do not decode, and why. Everything else must.
const EXPECTED_FAILURES: &[(&str, ErrorKind)] = &[
    // Fixtures of the osu! reader's refusals.
    ("fixtures/osu/no_circle_size.osu", ErrorKind::Unreadable),
    ("fixtures/osu/standard.osu", ErrorKind::NotMania),
    // osu!standard maps: ROX reads mania and taiko (tests/taiko.rs) only.
    ("osu/beatmap-version-4.osu", ErrorKind::NotMania),
    ("osu/comments.osu", ErrorKind::NotMania),
    ("osu/empty-lines-at-start.osu", ErrorKind::NotMania),
    ("osu/hitobject-file-samples.osu", ErrorKind::NotMania),
    ("osu/nan-control-points.osu", ErrorKind::NotMania),
    ("osu/no-empty-line-after-header.osu", ErrorKind::NotMania),
    ("osu/overlapping-control-points.osu", ErrorKind::NotMania),
    ("osu/sample-beatmap-osu.osu", ErrorKind::NotMania),
    (
        "osu/timingpoint-speedmultiplier-reset.osu",
        ErrorKind::NotMania,
    ),
    // Only a [Metadata] section, no header, mode or hit objects: nothing marks them as charts.
    ("osu/corrupted-header.osu", ErrorKind::UnknownFormat),
    (
        "osu/empty-line-instead-of-header.osu",
        ErrorKind::UnknownFormat,
    ),
    ("osu/missing-header.osu", ErrorKind::UnknownFormat),
    // Empty files.
    ("edge/blank.sm", ErrorKind::UnknownFormat),
    ("edge/blank.ssc", ErrorKind::UnknownFormat),
    // The edge/*.qua maps break gameplay rules but are readable (validation reports them, see
    // tests/cli.rs), so they go through every format like the rest.
    // Lanes 5 and 7 in a 4-key map: no column to put them in (docs/decisions.md, Quaver).
    ("quaver/stable-sorting.qua", ErrorKind::Unreadable),
    // A V-Slice metadata file holds tempo and names, no notes: read with its chart file.
    ("fixtures/fnf/vslice-metadata.json", ErrorKind::Unreadable),
    // keyboard-24k-double: 52 columns (tests/bmson.rs checks its timing all the same).
    (
        "bms/bemusicstory_483_48K_ANOTHER.bmson",
        ErrorKind::TooManyColumns,
    ),
];

/// Charts some targets cannot hold, which must refuse them with an error: values only .rox
/// and .rox.json hold (times near ±2^52 µs, 18 keys), more keys than Quaver has (at most 10, or 11 with a
/// scratch lane), keysound names with blanks at their ends (.osu cannot write them), and
/// key counts FNF has no sides for (4 a side: 4 or 8 columns), and BPMs above 9,999,999 in
/// `.sm` (StepMania's SMLoader reads those as warps), and FNF for a chart at ~10^18 BPM (its
/// sections, a measure each, would number far beyond the writer's limit).
fn must_refuse(name: &str, chart: &Chart, target: Format) -> bool {
    if target == Format::Fnf && !matches!(chart.key_count, 4 | 8) {
        return true;
    }
    let warp_bpm =
        |t: &TimingPoint| matches!(t.kind, TimingKind::Bpm { bpm, .. } if bpm > 9_999_999.0);
    if target == Format::Sm && chart.timing.iter().any(warp_bpm) {
        return true;
    }
    match name {
        "fixtures/rox/every-field.rox" | "fixtures/json/every-field.rox.json" => {
            !target.is_lossless()
        }
        "fixtures/osu/fourteen_keys.osu"
        | "fixtures/bms/double.bme"
        | "fixtures/bms/beat-14k.bmson" => target == Format::Qua,
        "fixtures/stepmania/escapes.ssc" => target == Format::Osu,
        "fixtures/stepmania/hold_end_shared_with_rows_after_a_warp.ssc" => target == Format::Fnf,
        _ => false,
    }
}

/// The formats charts are written to: every real format.
fn targets() -> impl Iterator<Item = Format> {
    Format::ALL.into_iter().filter(|f| *f != Format::Auto)
}

#[test]
fn every_chart_survives_every_format() {
    let mut failures = Vec::new();
    // Files whose format this build cannot read; round trips per target it cannot write.
    let mut skipped_files = Vec::new();
    let mut checked = 0;
    for (name, path) in common::chart_files() {
        let bytes = std::fs::read(&path).unwrap();
        let expected_format = Format::from_extension(&name);
        if let Some(f) = expected_format.filter(|f| !f.can_decode()) {
            skipped_files.push(format!("{name} ({})", f.name()));
            continue;
        }
        // A file of a format ROX does not know must be refused as
        // such, never taken for a chart of another format.
        let expectation = EXPECTED_FAILURES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| *e)
            .or(expected_format
                .is_none()
                .then_some(ErrorKind::UnknownFormat));
        let set = match (decode_set(&bytes, Format::Auto), expectation) {
            (Ok(_), Some(kind)) => {
                failures.push(format!(
                    "{name}: decoded, but expected to fail with {kind:?}"
                ));
                continue;
            }
            (Ok(set), _) => set,
            (Err(e), Some(kind)) => {
                if kind_of(&e) != Some(kind) {
                    failures.push(format!("{name}: expected {kind:?}, got: {e}"));
                }
                continue;
            }
            (Err(e), None) => {
                failures.push(format!("{name}: does not decode: {e}"));
                continue;
            }
        };
        if Format::detect(&bytes) != expected_format {
            failures.push(format!(
                "{name}: detected as {:?}, its extension says {expected_format:?}",
                Format::detect(&bytes)
            ));
        }
        for (index, chart) in set.charts.iter().enumerate() {
            let label = format!(
                "{name} chart {index} ({:?})",
                chart.metadata.difficulty_name
            );
            let refuses = |target| must_refuse(&name, chart, target);
            checked += check_chart(&label, chart, expected_format, refuses, &mut failures);
        }
    }
    eprintln!("conformance: {checked} round trips checked");
    if !skipped_files.is_empty() {
        eprintln!(
            "conformance: skipped, format not readable in this build: {}",
            skipped_files.join(", ")
        );
    }
    for target in targets().filter(|t| !(t.can_encode() && t.can_decode())) {
        eprintln!(
            "conformance: skipped round trips to {}: not writable in this build",
            target.name()
        );
    }
    assert!(checked > 0, "no round trip ran");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every round trip of one chart (labelled `label`, read from `source`): to each target that
/// `refuses` says cannot hold it, a refusal; to every other, the chart back as the report
/// says. Returns how many round trips ran.
fn check_chart(
    label: &str,
    chart: &Chart,
    source: Option<Format>,
    refuses: impl Fn(Format) -> bool,
    failures: &mut Vec<String>,
) -> usize {
    let mut checked = 0;
    for target in targets().filter(|t| t.can_encode() && t.can_decode()) {
        checked += 1;
        let result = if refuses(target) {
            refused(chart, target)
        } else {
            round_trip(chart, target, source)
        };
        if let Err(e) = result {
            failures.push(format!("{label} → {}: {e}", target.name()));
        }
    }
    checked
}

/// Writes `chart` as `target`, reads it back and compares, allowing what the report names.
fn round_trip(chart: &Chart, target: Format, source: Option<Format>) -> Result<(), String> {
    let (bytes, report) = match encode_with_report(chart, target) {
        // The BMS writer refuses what BMS cannot hold (other layouts, delays, warps, tempo
        // changes between its rows: docs/bms.md); tests/bms.rs checks the charts it must write.
        Err(Error::InvalidArgument(_)) if target == Format::Bms => return Ok(()),
        result => result.map_err(|e| format!("encode failed: {e}"))?,
    };
    let set =
        read_back(&bytes, target, chart.key_count).map_err(|e| format!("re-decode failed: {e}"))?;
    let [back] = &set.charts[..] else {
        return Err(format!("one chart written, {} read back", set.charts.len()));
    };
    let widened;
    let chart = if target == Format::Bms {
        widened = in_bms_columns(chart, back, &report)?;
        &widened
    } else {
        chart
    };
    if back.key_count != chart.key_count {
        return Err(format!(
            "key count: expected {}, got {}",
            chart.key_count, back.key_count
        ));
    }
    compare_notes(chart, back, target, &report)?;
    compare_pauses(chart, back, &report)?;
    // .rox and .rox.json hold the whole model, and the osu! codec everything it reads: the
    // same chart back and nothing reported.
    if target.is_lossless() || (target == Format::Osu && source == Some(Format::Osu)) {
        if !report.is_empty() {
            return Err(format!("lossless target reported losses: {report:?}"));
        }
        if back != chart {
            return Err(format!(
                "lossless round trip changed the chart: {}",
                first_difference(chart, back)
            ));
        }
    } else if source == Some(target) && report.is_empty() && back != chart {
        return Err(format!(
            "a same-format round trip changed the chart with nothing reported: {}",
            first_difference(chart, back)
        ));
    }
    Ok(())
}

/// `chart` as BMS gives it back: 5 or 7 keys after a scratch column (a chart without a scratch
/// lane one column over), as many columns as `back` has (keys that the chart, less the notes
/// `report` drops, leaves empty may read back as 5K).
fn in_bms_columns(chart: &Chart, back: &Chart, report: &ConversionReport) -> Result<Chart, String> {
    let offset = u8::from(!chart.metadata.has_scratch);
    let mut expected = chart.clone();
    for note in &mut expected.notes {
        note.column += offset;
    }
    let dropped = |i: usize| {
        (report.entries.iter()).any(|l| l.kind == LossKind::NoteDropped && l.index == Some(i))
    };
    let widest = (expected.notes.iter().enumerate())
        .filter(|&(i, _)| !dropped(i))
        .map(|(_, n)| n.column + 1)
        .max()
        .unwrap_or(0);
    if !matches!(back.key_count, 6 | 8) || back.key_count < widest || !back.metadata.has_scratch {
        return Err(format!(
            "{} columns (scratch: {}) read back as {} (scratch: {})",
            chart.key_count, chart.metadata.has_scratch, back.key_count, back.metadata.has_scratch
        ));
    }
    expected.key_count = back.key_count;
    expected.metadata.has_scratch = true;
    Ok(expected)
}

/// What `target` wrote, read back; an 8-key chart written as FNF is both sides of the song,
/// read as such (FNF's default is the player's four lanes).
fn read_back(bytes: &[u8], target: Format, key_count: u8) -> Result<ChartSet, Error> {
    if target == Format::Fnf && key_count == 8 {
        let both = FnfOptions { sides: Sides::Both };
        return decode_set_with(bytes, &both, &DecodeLimits::default());
    }
    decode_set(bytes, target)
}

/// `target` cannot hold `chart`: writing it must fail, and say why.
fn refused(chart: &Chart, target: Format) -> Result<(), String> {
    match encode_with_report(chart, target) {
        Err(Error::InvalidArgument(_) | Error::Invalid(_)) => Ok(()),
        Err(e) => Err(format!("refused with an unexpected error: {e}")),
        Ok(_) => Err("written, but the chart holds values the target cannot".into()),
    }
}

/// Stops, delays and warps (the timing that moves notes without a tempo) come back as they
/// were, same time, kind and length, unless the report names them. A writer that loses one
/// can still put every note at its time, so comparing notes alone would not notice.
fn compare_pauses(chart: &Chart, back: &Chart, report: &ConversionReport) -> Result<(), String> {
    // By its index, or by its kind in a chart-wide entry ("warps written as negative stops…").
    let named = |i: usize, t: &TimingPoint| {
        report.entries.iter().any(|l| {
            matches!(l.kind, LossKind::TimingDropped | LossKind::TimingChanged)
                && match l.index {
                    Some(index) => index == i,
                    None => l.message.contains(t.kind.name()),
                }
        })
    };
    let is_pause = |t: &&TimingPoint| {
        matches!(
            t.kind,
            TimingKind::Stop { .. } | TimingKind::Delay { .. } | TimingKind::Warp { .. }
        )
    };
    let kept: Vec<&TimingPoint> = back.timing.iter().filter(is_pause).collect();
    let lost: Vec<String> = chart
        .timing
        .iter()
        .enumerate()
        .filter(|&(i, t)| is_pause(&t) && !named(i, t))
        .filter(|(_, t)| {
            !kept
                .iter()
                .any(|k| k.time_us == t.time_us && k.kind == t.kind)
        })
        .map(|(i, t)| format!("timing point {i} ({:?} at {} µs)", t.kind, t.time_us))
        .collect();
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "not read back, and not reported: {}",
            lost.join(", ")
        ))
    }
}

/// Names the first part of two charts that differs, with both values.
fn first_difference(a: &Chart, b: &Chart) -> String {
    if a.metadata != b.metadata {
        return format!("metadata {:?} vs {:?}", a.metadata, b.metadata);
    }
    if let Some(i) =
        (0..a.notes.len().max(b.notes.len())).find(|&i| a.notes.get(i) != b.notes.get(i))
    {
        return format!("note {i}: {:?} vs {:?}", a.notes.get(i), b.notes.get(i));
    }
    if let Some(i) =
        (0..a.timing.len().max(b.timing.len())).find(|&i| a.timing.get(i) != b.timing.get(i))
    {
        return format!(
            "timing point {i}: {:?} vs {:?}",
            a.timing.get(i),
            b.timing.get(i)
        );
    }
    format!(
        "keysounds {:?} vs {:?}, extras {:?} vs {:?}",
        a.keysounds, b.keysounds, a.extras, b.extras
    )
}

/// One note of the source as the target should give it back.
struct ExpectedNote {
    source_index: usize,
    time_us: i64,
    end_us: i64,
    column: u8,
    /// `None` when the report says the kind changed.
    kind: Option<NoteKind>,
}

/// The notes of `chart` as `target` should give them back by `report`, and the report's
/// shifts that are not `target`'s own rounding.
fn expected_notes(
    chart: &Chart,
    target: Format,
    report: &ConversionReport,
) -> (Vec<ExpectedNote>, Vec<String>) {
    // Indexed once: a converted 54K-note chart can have as many report entries as notes.
    let mut by_note = std::collections::HashMap::new();
    for loss in &report.entries {
        if let Some(index) = loss.index {
            by_note.entry((loss.kind, index)).or_insert(loss);
        }
    }
    let reported = |kind: LossKind, index: usize| by_note.get(&(kind, index)).copied();
    let bounded = timing_kept(chart, report);
    let crowded = Crowding::of(chart);
    let mut expected: Vec<ExpectedNote> = Vec::with_capacity(chart.notes.len());
    let mut problems: Vec<String> = Vec::new();
    for (i, n) in chart.notes.iter().enumerate() {
        if reported(LossKind::NoteDropped, i).is_some() {
            continue;
        }
        // The start and a hold's end are reported (and may move) separately.
        let start = reported(LossKind::NoteSnapped, i).map_or(0, |loss| loss.shift_us);
        let end = reported(LossKind::HoldEndSnapped, i).map_or(0, |loss| loss.shift_us);
        let n_end = n.end_time_us();
        let kind = reported(LossKind::NoteChanged, i)
            .is_none()
            .then_some(n.kind);
        let checked = if kind.is_some_and(NoteKind::has_duration) {
            &[("start", n.time_us, start), ("end", n_end, end)][..]
        } else {
            &[("start", n.time_us, start)][..]
        };
        for &(what, time, shift) in checked.iter().filter(|_| bounded) {
            let rows = crowded.rows_allowed(chart, n.column, time, what == "end");
            if let Err(e) = check_shift(target, chart, time, shift, rows) {
                problems.push(format!(
                    "note {i}: {what} {time} µs moved by {shift} µs: {e}"
                ));
            }
        }
        expected.push(ExpectedNote {
            source_index: i,
            time_us: n.time_us + start,
            end_us: n_end + end,
            column: n.column,
            kind,
        });
    }
    expected.sort_by_key(|e| (e.time_us, e.column));
    (expected, problems)
}

fn compare_notes(
    chart: &Chart,
    back: &Chart,
    target: Format,
    report: &ConversionReport,
) -> Result<(), String> {
    let (expected, mut problems) = expected_notes(chart, target, report);
    if back.notes.len() != expected.len() {
        return Err(format!(
            "note count: {} in the source, {} reported dropped, so {} expected; got {}",
            chart.notes.len(),
            chart.notes.len() - expected.len(),
            expected.len(),
            back.notes.len()
        ));
    }
    // In the same order as `expected`: a chart need not keep its notes sorted.
    let mut got_notes: Vec<_> = back.notes.iter().collect();
    got_notes.sort_by_key(|n| (n.time_us, n.column));
    pair_within_ties(&expected, &mut got_notes);
    for (i, (e, got)) in expected.iter().zip(got_notes).enumerate() {
        let mut wrong = Vec::new();
        if got.column != e.column {
            wrong.push(format!("column {} vs {}", e.column, got.column));
        }
        // Exact: every target reads back the µs its writer computed.
        if got.time_us != e.time_us {
            wrong.push(format!("time {} vs {} µs", e.time_us, got.time_us));
        }
        if let Some(kind) = e.kind {
            if got.kind != kind {
                wrong.push(format!("kind {} vs {}", kind.name(), got.kind.name()));
            } else if kind.has_duration() && got.end_time_us() != e.end_us {
                wrong.push(format!("end {} vs {} µs", e.end_us, got.end_time_us()));
            }
        }
        if !wrong.is_empty() {
            problems.push(format!(
                "note {} (read back as {i}): expected vs got: {}",
                e.source_index,
                wrong.join(", ")
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let mut shown = String::new();
    for problem in problems.iter().take(5) {
        let _ = write!(shown, "\n    {problem}");
    }
    Err(format!(
        "{} note(s) differ from the source beyond what the report says:{shown}",
        problems.len()
    ))
}

/// Notes of one column at one µs (a mine beside a tap, at tempos where rows share a µs) come
/// back in any order: within each such group of `got`, each expected kind first takes a note
/// of that kind, and expectations of any kind (a reported change) the notes left, so that
/// only a kind that did change is a difference.
fn pair_within_ties(expected: &[ExpectedNote], got: &mut [&Note]) {
    let mut start = 0;
    while start < got.len().min(expected.len()) {
        let key = |n: &Note| (n.time_us, n.column);
        let len = got[start..]
            .iter()
            .take_while(|n| key(n) == key(got[start]))
            .count();
        let group = start..start + len;
        let mut left: Vec<&Note> = got[group.clone()].to_vec();
        let mut paired: Vec<Option<&Note>> = vec![None; len];
        for (slot, e) in paired.iter_mut().zip(&expected[group.clone()]) {
            if let Some(j) = left.iter().position(|n| Some(n.kind) == e.kind) {
                *slot = Some(left.remove(j));
            }
        }
        for slot in paired.iter_mut().filter(|slot| slot.is_none()) {
            *slot = Some(left.remove(0));
        }
        for (place, note) in got[group].iter_mut().zip(paired) {
            *place = note.expect("every note paired");
        }
        start += len;
    }
}

/// Whether the target keeps the chart's tempos, stops, delays and warps in place, by the
/// report: a timing point of those kinds dropped or moved (or a chart-wide timing entry other
/// than for scroll speeds) means notes follow the changed timing, so their shifts, each still
/// reported exactly, are not bound to the target's rounding at the source's tempo. (A tempo
/// retuned in place is within the bound's 1 %.)
fn timing_kept(chart: &Chart, report: &ConversionReport) -> bool {
    !report.entries.iter().any(|l| {
        let moved = match l.kind {
            LossKind::TimingDropped => true,
            LossKind::TimingChanged => l.shift_us != 0 || l.index.is_none(),
            _ => false,
        };
        moved
            && match l.index.and_then(|i| chart.timing.get(i)) {
                Some(t) => !matches!(t.kind, TimingKind::Scroll { .. }),
                None => l.index.is_none() && !l.message.contains("scroll"),
            }
    })
}

/// The times of every note start and hold end, per column, to tell which of them have a
/// neighbour within a row.
struct Crowding(Vec<Vec<i64>>);

impl Crowding {
    fn of(chart: &Chart) -> Crowding {
        // Columns as the notes have them (`in_bms_columns` moves them past the key count).
        let columns = chart.notes.iter().map(|n| usize::from(n.column) + 1).max();
        let mut times = vec![Vec::new(); columns.unwrap_or(0)];
        for n in &chart.notes {
            let column = &mut times[usize::from(n.column)];
            column.push(n.time_us);
            if n.kind.has_duration() {
                column.push(n.end_time_us());
            }
        }
        times.iter_mut().for_each(|t| t.sort_unstable());
        Crowding(times)
    }

    /// The rows a start (1) or a hold's end (2) may move on a grid of rows: one more when
    /// another start or end of its column (its own hold's other end too) lies within a row of
    /// it, since both may round to one row and one of them must then take the next.
    fn rows_allowed(&self, chart: &Chart, column: u8, time: i64, is_end: bool) -> f64 {
        let row = row_us(chart, time).ceil() as i64;
        let times = &self.0[usize::from(column)];
        let near = times.partition_point(|&t| t <= time + row)
            - times.partition_point(|&t| t < time - row);
        // `near` counts the time itself.
        let own = if is_end { 2.0 } else { 1.0 };
        own + f64::from(u8::from(near > 1))
    }
}

/// Whether moving a note's `time` by `shift` (what the report says, or 0) is `target`'s own
/// rounding, by its writer's documented grid: .qua holds whole ms (rounded to the nearest,
/// ties away from zero); .rox and .osu (fractional ms) hold every µs; StepMania holds rows of
/// 1/48 beat, whose length depends on the tempo (and the writer may retune a BPM by up to 1 %
/// to keep the next change in place), so a note moves at most `rows` rows there
/// (`Crowding::rows_allowed`: one, a hold's end one more, as it gives way to a note starting on
/// its last row, and one more beside a neighbour).
fn check_shift(
    target: Format,
    chart: &Chart,
    time: i64,
    shift: i64,
    rows: f64,
) -> Result<(), String> {
    let exact = |on_grid: i64| {
        if time + shift == on_grid {
            Ok(())
        } else {
            Err(format!("{} puts it at {on_grid} µs", target.name()))
        }
    };
    match target {
        Format::Qua => {
            let half = if time < 0 { -500 } else { 500 };
            exact((time + half) / 1000 * 1000)
        }
        Format::Rox | Format::RoxJson | Format::Osu | Format::Fnf => exact(time),
        // BMS rows are 1/48 beat or finer (down to 1/192 where a tempo change needs it), so
        // the StepMania bound holds for them too.
        Format::Sm | Format::Ssc | Format::Bms => {
            let limit = (rows * row_us(chart, time) * 1.01).ceil() as i64;
            if shift.abs() <= limit {
                Ok(())
            } else {
                Err(format!(
                    "more than the {limit} µs of {rows} row(s) at the tempo there"
                ))
            }
        }
        // Read only: never written, so never a target (`can_encode` is false).
        Format::Auto | Format::Bmson => unreachable!("not a target"),
    }
}

/// The length of a 1/48-beat row at `time_us` by the source's tempo: the last BPM at or before
/// it, else the first (the grid extends before it).
fn row_us(chart: &Chart, time_us: i64) -> f64 {
    let bpms = || {
        chart.timing.iter().filter_map(|t| match t.kind {
            TimingKind::Bpm { bpm, .. } => Some((t.time_us, bpm)),
            _ => None,
        })
    };
    let bpm = bpms()
        .take_while(|(t, _)| *t <= time_us)
        .last()
        .or_else(|| bpms().next())
        .map_or(120.0, |(_, bpm)| bpm);
    60_000_000.0 / bpm / 48.0
}
