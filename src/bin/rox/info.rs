//! `rox info` as text: what each chart holds, its statistics and hashes (docs/analysis.md).

use std::fmt::Write as _;

use rox::analysis::patterns::{patterns, PatternKind};
use rox::analysis::star::star_rating;
use rox::analysis::{content_hash, statistics, ChartStats};
use rox::model::DEFAULT_PATTERN_WINDOW_US;
use rox::{Chart, ChartSet, Format, NoteKind, TimingKind};

use crate::format_time;

/// Lowercase hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every chosen chart of `set`, then the file's MD5 (`md5`, in hex). `peeked`: the set was
/// read without notes (`--peek`), so nothing about notes is shown.
pub(crate) fn set_text(
    path: &str,
    set: &ChartSet,
    chosen: &[usize],
    md5: &str,
    peeked: bool,
) -> String {
    if set.charts.len() == 1 && set.resources.is_empty() && set.report.is_empty() {
        return format!("{}file md5: {md5}\n", info_text(&set.charts[0], peeked));
    }
    let mut out = format!("{path}: {} chart(s)\n", set.charts.len());
    for &i in chosen {
        let _ = writeln!(out, "\nchart {i}:");
        for line in info_text(&set.charts[i], peeked).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !set.resources.is_empty() {
        let _ = writeln!(out, "\nother files: {}", set.resources.join(", "));
    }
    for loss in &set.report.entries {
        let _ = writeln!(out, "lost while reading: {loss}");
    }
    let _ = writeln!(out, "file md5: {md5}");
    out
}

fn info_text(chart: &Chart, peeked: bool) -> String {
    let m = &chart.metadata;
    let stats = statistics(chart);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} - {} [{}] by {}",
        m.artist, m.title, m.difficulty_name, m.creator
    );
    let _ = writeln!(
        out,
        "keys: {}{}",
        chart.key_count,
        if m.has_scratch { " (with scratch)" } else { "" }
    );
    if peeked {
        out.push_str("notes: not read (--peek)");
    } else {
        let _ = write!(out, "notes: {}", chart.notes.len());
    }
    for kind in NoteKind::ALL {
        let n = stats.kind_counts[kind as usize];
        if n > 0 {
            let _ = write!(out, ", {} {}", n, kind.name());
        }
    }
    out.push('\n');
    if stats.column_counts.iter().any(|&n| n > 0) {
        stats_text(&mut out, &stats);
    }
    bpm_text(&mut out, chart, &stats);
    let _ = writeln!(out, "timing points: {}", chart.timing.len());
    if !m.audio_file.is_empty() {
        let _ = writeln!(out, "audio: {}", m.audio_file);
    }
    if !chart.keysounds.is_empty() {
        let _ = writeln!(out, "keysounds: {}", chart.keysounds.len());
    }
    if !peeked {
        stars_text(&mut out, chart);
        patterns_text(&mut out, chart);
        let _ = writeln!(out, "content hash: {:016x}", content_hash(chart));
    }
    out
}

/// osu!mania's star rating; an estimate for a chart from another game (rated as `.osu` would
/// hold it).
fn stars_text(out: &mut String, chart: &Chart) {
    if let Ok(stars) = star_rating(chart, 1.0) {
        let estimate = chart.source_format.is_some_and(|f| f != Format::Osu);
        let what = if estimate {
            " (estimate: as .osu would hold it)"
        } else {
            ""
        };
        let _ = writeln!(out, "osu!mania stars: {stars:.2}{what}");
    }
}

/// Each pattern's share of the notes, largest first (docs/analysis.md, "Patterns").
fn patterns_text(out: &mut String, chart: &Chart) {
    let found = patterns(chart, DEFAULT_PATTERN_WINDOW_US);
    let mut shares: Vec<_> = PatternKind::ALL
        .into_iter()
        .map(|kind| (kind, found.shares[kind as usize]))
        .filter(|&(_, share)| share > 0.0)
        .collect();
    if shares.is_empty() {
        return;
    }
    shares.sort_by(|a, b| b.1.total_cmp(&a.1));
    let listed: Vec<String> = shares
        .iter()
        .map(|(kind, share)| format!("{} {:.0}%", kind.name(), share * 100.0))
        .collect();
    let _ = writeln!(
        out,
        "patterns: {} ({} sections)",
        listed.join(", "),
        found.sections.len()
    );
}

/// The lines about played notes: span, drain, density, chords, columns, holds.
fn stats_text(out: &mut String, s: &ChartStats) {
    let _ = writeln!(
        out,
        "span: {} .. {}",
        format_time(s.first_note_us),
        format_time(s.last_note_end_us)
    );
    let _ = writeln!(
        out,
        "length: {}, drain: {} (breaks {})",
        format_time(s.length_us),
        format_time(s.drain_us),
        format_time(s.break_us)
    );
    let _ = writeln!(
        out,
        "nps: average {:.2}, max {:.2} (1 s window)",
        s.average_nps, s.max_nps
    );
    let chords: Vec<String> = (1..s.chord_sizes.len())
        .filter(|&k| s.chord_sizes[k] > 0)
        .map(|k| format!("{}×{k}", s.chord_sizes[k]))
        .collect();
    let _ = writeln!(out, "chords: {}", chords.join(", "));
    let columns: Vec<String> = s.column_counts.iter().map(u64::to_string).collect();
    let _ = writeln!(out, "per column: {}", columns.join(" "));
    if s.longest_hold_us > 0 {
        let _ = writeln!(
            out,
            "longest hold: {}, at most {} held at once",
            format_time(s.longest_hold_us),
            s.max_simultaneous_holds
        );
    }
}

fn bpm_text(out: &mut String, chart: &Chart, s: &ChartStats) {
    let changes = chart
        .timing
        .iter()
        .filter(|t| matches!(t.kind, TimingKind::Bpm { .. }))
        .count();
    let (min, max, dominant) = (s.bpm.min, s.bpm.max, s.bpm.dominant);
    let _ = match changes {
        0 => writeln!(out, "bpm: none"),
        1 => writeln!(out, "bpm: {min}"),
        n => writeln!(
            out,
            "bpm: {min} .. {max} ({n} changes), dominant {dominant}"
        ),
    };
}
