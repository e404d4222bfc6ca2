//! `rox timeline`: every note's beat, snap and scroll positions, and the bar lines, as a game
//! places them (docs/timeline.md).

use std::fmt::Write as _;

use rox::timeline::{Rules, Timeline, TimelineOptions};
use rox::{Chart, ChartSet};

use serde::Serialize;

use crate::json::to_line;

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

#[derive(Serialize)]
struct TimelineJson {
    charts: Vec<ChartTimeline>,
}

#[derive(Serialize)]
struct ChartTimeline {
    index: usize,
    rules: &'static str,
    notes: Vec<NotePlace>,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct NotePlace {
    time_us: i64,
    beat: f64,
    snap: u8,
    start: f64,
    end: f64,
    speed: f64,
}

#[derive(Serialize)]
struct Bar {
    time_us: i64,
    measure: i64,
}

/// `{"charts":[{"index","rules","notes":[{"time_us","beat","snap","start","end","speed"}],
/// "bars":[{"time_us","measure"}]}]}`; `speed` is the factor on note spacing when the note is
/// hit (StepMania's `#SPEEDS`, else 1).
pub(crate) fn json(
    set: &ChartSet,
    chosen: &[usize],
    rules: Option<Rules>,
) -> Result<String, String> {
    let mut charts = Vec::new();
    for p in place(set, chosen, rules)? {
        let t = &p.timeline;
        let snaps = t.snaps();
        let mut notes = Vec::with_capacity(p.chart.notes.len());
        for (i, (n, (start, end))) in p.chart.notes.iter().zip(t.note_positions()).enumerate() {
            notes.push(NotePlace {
                time_us: n.time_us,
                beat: t.beat_at(n.time_us).map_err(|e| e.to_string())?,
                snap: snaps[i],
                start,
                end,
                speed: t.speed_factor_at(n.time_us).map_err(|e| e.to_string())?,
            });
        }
        let (from, to) = span(p.chart);
        let bars = t.grid_lines(from, to).map_err(|e| e.to_string())?;
        charts.push(ChartTimeline {
            index: p.index,
            rules: t.options().rules.name(),
            notes,
            bars: bars
                .filter(|l| l.is_bar)
                .map(|l| Bar {
                    time_us: l.time_us,
                    measure: l.measure,
                })
                .collect(),
        });
    }
    Ok(to_line(&TimelineJson { charts }))
}
