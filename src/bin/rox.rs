//! `rox`: convert, inspect and validate rhythm game charts from the command line.

use std::fmt::Write as _;
use std::process::ExitCode;

use rox::{Chart, Format, NoteKind, TimingKind};

const USAGE: &str = "\
usage:
  rox convert IN OUT [--from FORMAT] [--to FORMAT]   convert a chart (formats from the extensions)
  rox info FILE [--from FORMAT] [--json]             describe a chart (--json: every field and note)
  rox validate FILE [--from FORMAT]                  list every problem in a chart
formats: osu, rox (sm, ssc, qua: not yet)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("rox: {message}");
            ExitCode::from(1)
        }
    }
}

/// Parsed command line: positional arguments plus the options every command shares.
struct Args<'a> {
    positional: Vec<&'a str>,
    from: Format,
    to: Option<Format>,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<Args<'_>, String> {
    let mut parsed = Args {
        positional: Vec::new(),
        from: Format::Auto,
        to: None,
        json: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => parsed.json = true,
            "--from" | "--to" => {
                let value = it
                    .next()
                    .ok_or_else(|| format!("{arg} needs a format name"))?;
                let format =
                    Format::from_name(value).ok_or_else(|| format!("unknown format {value:?}"))?;
                if arg == "--from" {
                    parsed.from = format;
                } else {
                    parsed.to = Some(format);
                }
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            value => parsed.positional.push(value),
        }
    }
    Ok(parsed)
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let (command, rest) = args.split_first().ok_or_else(|| USAGE.to_string())?;
    let args = parse_args(rest)?;
    match (command.as_str(), args.positional.as_slice()) {
        ("convert", [input, output]) => {
            let chart = load(input, args.from)?;
            let format = match args.to {
                Some(f) => f,
                None => Format::from_extension(output)
                    .ok_or_else(|| format!("{output}: unknown extension; use --to FORMAT"))?,
            };
            let bytes = rox::encode(&chart, format).map_err(|e| format!("{output}: {e}"))?;
            std::fs::write(output, bytes).map_err(|e| format!("{output}: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        ("info", [input]) => {
            let chart = load(input, args.from)?;
            print!(
                "{}",
                if args.json {
                    info_json(&chart)
                } else {
                    info_text(&chart)
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        ("validate", [input]) => {
            let chart = load(input, args.from)?;
            let issues = chart.validate();
            for issue in &issues {
                println!("{issue}");
            }
            if issues.is_empty() {
                println!("{input}: valid");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("rox: {input}: {} problem(s)", issues.len());
                Ok(ExitCode::from(2))
            }
        }
        ("convert" | "info" | "validate", _) => Err(format!("wrong number of arguments\n{USAGE}")),
        _ => Err(format!("unknown command {command:?}\n{USAGE}")),
    }
}

fn load(path: &str, format: Format) -> Result<Chart, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    rox::decode(&bytes, format).map_err(|e| format!("{path}: {e}"))
}

fn info_text(chart: &Chart) -> String {
    let m = &chart.metadata;
    let mut out = String::new();
    let count = |kind: NoteKind| chart.notes.iter().filter(|n| n.kind == kind).count();
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
    let _ = write!(out, "notes: {}", chart.notes.len());
    for kind in NoteKind::ALL {
        let n = count(kind);
        if n > 0 {
            let _ = write!(out, ", {} {}", n, kind.name());
        }
    }
    out.push('\n');
    if let (Some(first), Some(last)) = (
        chart.notes.first(),
        chart.notes.iter().map(|n| n.end_time_us()).max(),
    ) {
        let _ = writeln!(
            out,
            "span: {} .. {}",
            format_time(first.time_us),
            format_time(last)
        );
    }
    let bpms: Vec<f64> = chart
        .timing
        .iter()
        .filter_map(|t| {
            if let TimingKind::Bpm { bpm, .. } = t.kind {
                Some(bpm)
            } else {
                None
            }
        })
        .collect();
    let min = bpms.iter().copied().fold(f64::INFINITY, f64::min);
    let max = bpms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    match bpms.len() {
        0 => out.push_str("bpm: none\n"),
        1 => {
            let _ = writeln!(out, "bpm: {min}");
        }
        n => {
            let _ = writeln!(out, "bpm: {min} .. {max} ({n} changes)");
        }
    }
    let _ = writeln!(out, "timing points: {}", chart.timing.len());
    if !m.audio_file.is_empty() {
        let _ = writeln!(out, "audio: {}", m.audio_file);
    }
    if !chart.keysounds.is_empty() {
        let _ = writeln!(out, "keysounds: {}", chart.keysounds.len());
    }
    out
}

fn format_time(us: i64) -> String {
    let sign = if us < 0 { "-" } else { "" };
    let us = us.unsigned_abs();
    format!(
        "{sign}{}:{:02}.{:03}",
        us / 60_000_000,
        us / 1_000_000 % 60,
        us / 1000 % 1000
    )
}

/// JSON by hand: the output is small and fixed in shape, not worth a serializer dependency.
fn info_json(chart: &Chart) -> String {
    let m = &chart.metadata;
    let mut o = String::with_capacity(64 + chart.notes.len() * 96);
    o.push('{');
    let strings = [
        ("title", &m.title),
        ("title_unicode", &m.title_unicode),
        ("subtitle", &m.subtitle),
        ("artist", &m.artist),
        ("artist_unicode", &m.artist_unicode),
        ("creator", &m.creator),
        ("difficulty_name", &m.difficulty_name),
        ("source", &m.source),
        ("genre", &m.genre),
        ("tags", &m.tags),
        ("description", &m.description),
        ("audio_file", &m.audio_file),
        ("background_file", &m.background_file),
        ("style", &m.style),
    ];
    o.push_str("\"metadata\":{");
    for (name, value) in strings {
        let _ = write!(o, "\"{name}\":{},", json_string(value));
    }
    let ints = [
        ("preview_time_us", m.preview_time_us),
        ("chart_id", m.chart_id),
        ("set_id", m.set_id),
    ];
    for (name, value) in ints {
        let _ = write!(
            o,
            "\"{name}\":{},",
            value.map_or("null".into(), |v| v.to_string())
        );
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
    let _ = write!(o, "\"has_scratch\":{}}},", m.has_scratch);
    let _ = write!(o, "\"key_count\":{},", chart.key_count);
    o.push_str("\"keysounds\":[");
    for (i, k) in chart.keysounds.iter().enumerate() {
        let _ = write!(o, "{}{}", if i > 0 { "," } else { "" }, json_string(k));
    }
    o.push_str("],\"timing\":[");
    for (i, t) in chart.timing.iter().enumerate() {
        let _ = write!(
            o,
            "{}{{\"time_us\":{},\"kind\":\"{}\",",
            if i > 0 { "," } else { "" },
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
    o.push_str("],\"notes\":[");
    for (i, n) in chart.notes.iter().enumerate() {
        let _ = write!(
            o,
            "{}{{\"time_us\":{},\"duration_us\":{},\"column\":{},\"kind\":\"{}\",\"hitsound\":{},\"normal_set\":{},\"addition_set\":{},\"volume\":{},\"custom_index\":{},\"keysound\":{}}}",
            if i > 0 { "," } else { "" },
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
    o.push_str("]}\n");
    o
}

/// A JSON number; non-finite values (which a valid chart never holds) become null.
fn json_number(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else {
        "null".into()
    }
}

fn json_string(s: &str) -> String {
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
