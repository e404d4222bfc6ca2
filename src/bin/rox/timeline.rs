//! `rox timeline`: every note's beat, snap and scroll positions, and the bar lines, as a game
//! places them (docs/timeline.md).

use std::fmt::Write as _;

use rox::timeline::{Rules, Timeline, TimelineOptions};
use rox::{Chart, ChartSet};

use crate::json::json_number;

/// The rules a `--rules` name gives.
pub(crate) fn rules_named(name: &str) -> Result<Rules, String> {
    match name.to_ascii_lowercase().as_str() {
        "osu" => Ok(Rules::Osu),
        "quaver" | "qua" => Ok(Rules::Quaver),
        "stepmania" | "sm" | "ssc" => Ok(Rules::StepMania),
        _ => Err(format!(
            "unknown rules {name:?}: use osu, quaver or stepmania"
        )),
    }
}

/// One chart's timeline, with what the output needs of it.
struct Placed<'a> {
    index: usize,
    chart: &'a Chart,
    timeline: Timeline,
}

/// Each chart by `rules`, or by the rules of the game it was made for.
fn place<'a>(
    set: &'a ChartSet,
    chosen: &[usize],
    rules: Option<Rules>,
) -> Result<Vec<Placed<'a>>, String> {
    chosen
        .iter()
        .map(|&index| {
            let chart = &set.charts[index];
            let rules = rules.unwrap_or_else(|| Rules::for_chart(chart));
            let timeline = Timeline::new(chart, TimelineOptions::for_rules(rules))
                .map_err(|e| format!("chart {index}: {e}"))?;
            Ok(Placed {
                index,
                chart,
                timeline,
            })
        })
        .collect()
}

/// The span the grid is listed over: from the first note (or 0) to the last note's end.
fn span(chart: &Chart) -> (i64, i64) {
    let first = chart.notes.first().map_or(0, |n| n.time_us.min(0));
    let last = chart
        .notes
        .iter()
        .map(|n| n.end_time_us())
        .max()
        .unwrap_or(0);
    (first, last)
}

/// Text: a line per note (`time_us beat snap start end`), then a line per bar line.
pub(crate) fn text(
    set: &ChartSet,
    chosen: &[usize],
    rules: Option<Rules>,
) -> Result<String, String> {
    let mut o = String::new();
    for p in place(set, chosen, rules)? {
        let t = &p.timeline;
        let _ = writeln!(
            o,
            "chart {} ({:?}), {} rules: note time_us beat snap start end",
            p.index,
            p.chart.metadata.difficulty_name,
            p.timeline.options().rules.name()
        );
        let snaps = t.snaps();
        for (i, (n, (start, end))) in p.chart.notes.iter().zip(t.note_positions()).enumerate() {
            let beat = t.beat_at(n.time_us).map_err(|e| e.to_string())?;
            let _ = writeln!(
                o,
                "note {i} {} {beat:.6} 1/{} {start:.3} {end:.3}",
                n.time_us, snaps[i]
            );
        }
        let (from, to) = span(p.chart);
        for line in t.grid_lines(from, to).map_err(|e| e.to_string())? {
            if line.is_bar {
                let _ = writeln!(o, "bar {} measure {}", line.time_us, line.measure);
            }
        }
    }
    Ok(o)
}

/// `{"charts":[{"index","rules","notes":[{"time_us","beat","snap","start","end","speed"}],
/// "bars":[{"time_us","measure"}]}]}`; `speed` is the factor on note spacing when the note is
/// hit (StepMania's `#SPEEDS`, else 1).
pub(crate) fn json(
    set: &ChartSet,
    chosen: &[usize],
    rules: Option<Rules>,
) -> Result<String, String> {
    let mut o = String::from("{\"charts\":[");
    for (k, p) in place(set, chosen, rules)?.into_iter().enumerate() {
        let t = &p.timeline;
        let _ = write!(
            o,
            "{}{{\"index\":{},\"rules\":\"{}\",\"notes\":[",
            if k > 0 { "," } else { "" },
            p.index,
            p.timeline.options().rules.name()
        );
        let snaps = t.snaps();
        for (i, (n, (start, end))) in p.chart.notes.iter().zip(t.note_positions()).enumerate() {
            let beat = t.beat_at(n.time_us).map_err(|e| e.to_string())?;
            let speed = t.speed_factor_at(n.time_us).map_err(|e| e.to_string())?;
            let _ = write!(
                o,
                "{}{{\"time_us\":{},\"beat\":{},\"snap\":{},\"start\":{},\"end\":{},\"speed\":{}}}",
                if i > 0 { "," } else { "" },
                n.time_us,
                json_number(beat),
                snaps[i],
                json_number(start),
                json_number(end),
                json_number(speed)
            );
        }
        o.push_str("],\"bars\":[");
        let (from, to) = span(p.chart);
        let bars = t.grid_lines(from, to).map_err(|e| e.to_string())?;
        for (i, line) in bars.filter(|l| l.is_bar).enumerate() {
            let _ = write!(
                o,
                "{}{{\"time_us\":{},\"measure\":{}}}",
                if i > 0 { "," } else { "" },
                line.time_us,
                line.measure
            );
        }
        o.push_str("]}");
    }
    o.push_str("]}\n");
    Ok(o)
}
