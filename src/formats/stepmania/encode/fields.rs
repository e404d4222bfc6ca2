//! The chart fields StepMania restricts: steps type, difficulty, meter. What does not fit is
//! written as the nearest StepMania value and reported.

use crate::formats::stepmania::{default_steps_type, steps_type_columns};
use crate::model::{ConversionReport, LossKind, Metadata};
use crate::Chart;

/// The steps type: the chart's style when it fits its key count, else the usual one for it.
pub(super) fn steps_type(chart: &Chart, index: usize, report: &mut ConversionReport) -> String {
    // Trimmed as the reader trims (ASCII blanks only: a vertical tab stays).
    let style = chart.metadata.style.trim_ascii();
    let keys = chart.key_count;
    match steps_type_columns(style) {
        Some(columns) if columns == keys => return style.to_owned(),
        // A steps type StepMania does not know, read from a file by its row width.
        None if !style.is_empty() => return style.to_owned(),
        _ => {}
    }
    match default_steps_type(keys) {
        Some(name) => {
            if !style.is_empty() {
                report.push(
                    LossKind::MetadataDropped,
                    format!("chart {index}: style '{style}' does not have {keys} columns: written as {name}"),
                );
            }
            name.to_owned()
        }
        None => {
            let name = format!("rox-{keys}k");
            report.push(
                LossKind::MetadataDropped,
                format!(
                    "chart {index}: no StepMania steps type has {keys} columns: written as '{name}', \
                     which StepMania does not load (ROX reads it back)"
                ),
            );
            name
        }
    }
}

/// The difficulty: StepMania's names (and their old aliases, in any case) as they are; any
/// other name is written as `Edit` (reported; the description is written as it is).
pub(super) fn difficulty(m: &Metadata, index: usize, report: &mut ConversionReport) -> String {
    const NAMES: [&str; 19] = [
        "beginner",
        "easy",
        "basic",
        "light",
        "medium",
        "another",
        "trick",
        "standard",
        "difficult",
        "hard",
        "ssr",
        "maniac",
        "heavy",
        "smaniac",
        "challenge",
        "expert",
        "oni",
        "edit",
        "",
    ];
    if NAMES.contains(&m.difficulty_name.trim().to_ascii_lowercase().as_str()) {
        return m.difficulty_name.clone();
    }
    report.push(
        LossKind::MetadataDropped,
        format!(
            "chart {index}: difficulty '{}' is not a StepMania difficulty: written as Edit",
            m.difficulty_name
        ),
    );
    "Edit".into()
}

/// The meter: the level rounded to a whole number (reported when that changes it).
pub(super) fn meter(m: &Metadata, index: usize, report: &mut ConversionReport) -> String {
    match m.difficulty_level {
        Some(level) if level.is_finite() => {
            let meter = level.round().clamp(i32::MIN as f64, i32::MAX as f64);
            if meter != level {
                report.push(
                    LossKind::MetadataDropped,
                    format!("chart {index}: level {level} written as {meter}: StepMania meters are whole numbers within ±2^31"),
                );
            }
            (meter as i64).to_string()
        }
        _ => String::new(),
    }
}
