//! The CLI's JSON, written by hand: the output is small and fixed in shape, not worth a
//! serializer dependency. The shapes are documented in README.md.

use std::fmt::Write as _;

use rox::analysis::patterns::{patterns, PatternKind, Patterns};
use rox::analysis::star::star_rating;
use rox::analysis::{content_hash, statistics, ChartStats};
use rox::model::DEFAULT_PATTERN_WINDOW_US;
use rox::model::{MetaField, Metadata};
use rox::{Chart, ChartSet, ConversionReport, Note, NoteKind, TimingKind, TimingPoint};

use crate::Written;

/// `{"file_md5":…,"charts":[…],"resources":[…],"losses":[…]}`: the file's MD5 (hex), the
/// chosen charts, the archive's other files and what reading lost.
pub(crate) fn set_json(set: &ChartSet, chosen: &[usize], md5: &str) -> String {
    let mut o = format!("{{\"file_md5\":\"{md5}\",\"charts\":[");
    for (n, &i) in chosen.iter().enumerate() {
        if n > 0 {
            o.push(',');
        }
        chart_json(&mut o, &set.charts[i]);
    }
    o.push_str("],\"resources\":[");
    for (n, r) in set.resources.iter().enumerate() {
        let _ = write!(o, "{}{}", if n > 0 { "," } else { "" }, json_string(r));
    }
    o.push_str("],\"losses\":");
    report_json(&mut o, &set.report);
    o.push_str("}\n");
    o
}

/// `{"outputs":[{"path":…,"charts":[…],"losses":[…]}]}`.
pub(crate) fn convert_json(written: &[Written]) -> String {
    let mut o = String::from("{\"outputs\":[");
    for (n, w) in written.iter().enumerate() {
        let charts: Vec<String> = w.charts.iter().map(usize::to_string).collect();
        let _ = write!(
            o,
            "{}{{\"path\":{},\"charts\":[{}],\"losses\":",
            if n > 0 { "," } else { "" },
            json_string(&w.path),
            charts.join(",")
        );
        report_json(&mut o, &w.report);
        o.push('}');
    }
    o.push_str("]}\n");
    o
}

pub(crate) fn report_json(o: &mut String, report: &ConversionReport) {
    o.push('[');
    for (n, l) in report.entries.iter().enumerate() {
        let _ = write!(
            o,
            "{}{{\"kind\":\"{}\",\"time_us\":{},\"index\":{},\"shift_us\":{},\"message\":{}}}",
            if n > 0 { "," } else { "" },
            l.kind.name(),
            l.time_us.map_or("null".into(), |t| t.to_string()),
            l.index.map_or("null".into(), |i| i.to_string()),
            l.shift_us,
            json_string(&l.message)
        );
    }
    o.push(']');
}

pub(crate) fn chart_json(o: &mut String, chart: &Chart) {
    o.reserve(64 + chart.notes.len() * 96);
    o.push_str("{\"metadata\":");
    metadata_json(o, &chart.metadata);
    let _ = write!(
        o,
        ",\"key_count\":{},\"content_hash\":\"{:016x}\",\"star_rating\":{},\"stats\":",
        chart.key_count,
        content_hash(chart),
        star_rating(chart, 1.0).map_or("null".into(), json_number)
    );
    stats_json(o, &statistics(chart));
    o.push_str(",\"patterns\":");
    patterns_json(o, &patterns(chart, DEFAULT_PATTERN_WINDOW_US));
    o.push(',');
    o.push_str("\"keysounds\":[");
    for (i, k) in chart.keysounds.iter().enumerate() {
        let _ = write!(o, "{}{}", if i > 0 { "," } else { "" }, json_string(k));
    }
    o.push_str("],\"timing\":[");
    for (i, t) in chart.timing.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        timing_json(o, t);
    }
    o.push_str("],\"notes\":[");
    for (i, n) in chart.notes.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        note_json(o, n);
    }
    o.push_str("]}");
}

/// The statistics (docs/analysis.md); the shape is in README.md.
/// `{"shares":{"stream":…,…},"sections":[{"kind","start_us","end_us","notes"}]}`.
fn patterns_json(o: &mut String, p: &Patterns) {
    o.push_str("{\"shares\":{");
    for (i, kind) in PatternKind::ALL.into_iter().enumerate() {
        let comma = if i > 0 { "," } else { "" };
        let share = json_number(p.shares[kind as usize]);
        let _ = write!(o, "{comma}\"{}\":{share}", kind.name());
    }
    o.push_str("},\"sections\":[");
    for (i, s) in p.sections.iter().enumerate() {
        let _ = write!(
            o,
            "{}{{\"kind\":\"{}\",\"start_us\":{},\"end_us\":{},\"notes\":{}}}",
            if i > 0 { "," } else { "" },
            s.kind.name(),
            s.start_us,
            s.end_us,
            s.notes
        );
    }
    o.push_str("]}");
}

fn stats_json(o: &mut String, s: &ChartStats) {
    let list = |values: &[u64]| {
        let items: Vec<String> = values.iter().map(u64::to_string).collect();
        items.join(",")
    };
    o.push_str("{\"kind_counts\":{");
    for kind in NoteKind::ALL {
        let comma = if kind as usize > 0 { "," } else { "" };
        let _ = write!(
            o,
            "{comma}\"{}\":{}",
            kind.name(),
            s.kind_counts[kind as usize]
        );
    }
    let _ = write!(
        o,
        "}},\"column_counts\":[{}],\"chord_sizes\":[{}],",
        list(&s.column_counts),
        list(&s.chord_sizes)
    );
    let times = [
        ("first_note_us", s.first_note_us),
        ("last_note_end_us", s.last_note_end_us),
        ("length_us", s.length_us),
        ("break_us", s.break_us),
        ("drain_us", s.drain_us),
        ("longest_hold_us", s.longest_hold_us),
    ];
    for (name, value) in times {
        let _ = write!(o, "\"{name}\":{value},");
    }
    let _ = write!(
        o,
        "\"max_simultaneous_holds\":{},\"bpm\":{{\"min\":{},\"max\":{},\"dominant\":{}}},\
         \"average_nps\":{},\"max_nps\":{}}}",
        s.max_simultaneous_holds,
        json_number(s.bpm.min),
        json_number(s.bpm.max),
        json_number(s.bpm.dominant),
        json_number(s.average_nps),
        json_number(s.max_nps)
    );
}

pub(crate) fn metadata_json(o: &mut String, m: &Metadata) {
    o.push('{');
    for field in MetaField::ALL {
        let _ = write!(o, "\"{}\":{},", field.name(), json_string(field.get(m)));
    }
    let ints = [
        ("preview_time_us", m.preview_time_us),
        ("chart_id", m.chart_id),
        ("set_id", m.set_id),
    ];
    for (name, value) in ints {
        let value = value.map_or("null".into(), |v| v.to_string());
        let _ = write!(o, "\"{name}\":{value},");
    }
    let floats = [
        ("difficulty_level", m.difficulty_level),
        ("hp_drain", m.hp_drain),
        ("overall_difficulty", m.overall_difficulty),
    ];
    for (name, value) in floats {
        let _ = write!(
            o,
            "\"{name}\":{},",
            value.map_or("null".into(), json_number)
        );
    }
    let _ = write!(o, "\"has_scratch\":{}}}", m.has_scratch);
}

pub(crate) fn timing_json(o: &mut String, t: &TimingPoint) {
    let _ = write!(
        o,
        "{{\"time_us\":{},\"kind\":\"{}\",",
        t.time_us,
        t.kind.name()
    );
    match t.kind {
        TimingKind::Bpm { bpm, meter } => {
            let _ = write!(o, "\"bpm\":{},\"meter\":{meter},", json_number(bpm));
        }
        TimingKind::Scroll { multiplier } => {
            let _ = write!(o, "\"multiplier\":{},", json_number(multiplier));
        }
        TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => {
            let _ = write!(o, "\"duration_us\":{duration_us},");
        }
        TimingKind::Warp { beats } => {
            let _ = write!(o, "\"beats\":{},", json_number(beats));
        }
    }
    let _ = write!(
        o,
        "\"sample_set\":{},\"sample_index\":{},\"volume\":{},\"effects\":{}}}",
        t.sample_set, t.sample_index, t.volume, t.effects
    );
}

pub(crate) fn note_json(o: &mut String, n: &Note) {
    let _ = write!(
        o,
        "{{\"time_us\":{},\"duration_us\":{},\"column\":{},\"kind\":\"{}\",\"hitsound\":{},\"normal_set\":{},\"addition_set\":{},\"volume\":{},\"custom_index\":{},\"keysound\":{}}}",
        n.time_us,
        n.duration_us,
        n.column,
        n.kind.name(),
        n.sound.flags,
        n.sound.normal_set,
        n.sound.addition_set,
        n.sound.volume,
        n.sound.custom_index,
        n.keysound.map_or("null".into(), |k| k.to_string())
    );
}

/// A JSON number; non-finite values (which a valid chart never holds) become null.
pub(crate) fn json_number(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else {
        "null".into()
    }
}

pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
