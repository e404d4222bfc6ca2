//! What `.qua` cannot express outside notes: metadata fields, timing events and sounds.

use crate::model::{Chart, ConversionReport, LossKind, TimingKind};

/// Losses outside notes and timing points: metadata Quaver has no field for, sounds and
/// timing events it cannot express.
pub(super) fn report(chart: &Chart, report: &mut ConversionReport) {
    let m = &chart.metadata;
    let dropped = [
        (
            "title_unicode",
            !m.title_unicode.is_empty() && m.title_unicode != m.title,
        ),
        (
            "artist_unicode",
            !m.artist_unicode.is_empty() && m.artist_unicode != m.artist,
        ),
        ("subtitle", !m.subtitle.is_empty()),
        ("difficulty_level", m.difficulty_level.is_some()),
        ("hp_drain", m.hp_drain.is_some()),
        ("overall_difficulty", m.overall_difficulty.is_some()),
        ("style", !m.style.is_empty()),
    ];
    for (field, lost) in dropped {
        if lost {
            report.push(
                LossKind::MetadataDropped,
                format!("{field}: Quaver has no such field"),
            );
        }
    }
    report_timing_and_sounds(chart, report);
}

/// Timing events Quaver has no kind of, and sounds it has no field for.
fn report_timing_and_sounds(chart: &Chart, report: &mut ConversionReport) {
    for (index, t) in chart.timing.iter().enumerate() {
        if matches!(
            t.kind,
            TimingKind::Stop { .. } | TimingKind::Delay { .. } | TimingKind::Warp { .. }
        ) {
            report
                .push(
                    LossKind::TimingDropped,
                    format!("{} left out: Quaver has no {}s (note times are kept; the scrolling differs)", t.kind.name(), t.kind.name()),
                )
                .at(index, t.time_us);
        }
    }
    let banked_notes = chart
        .notes
        .iter()
        .filter(|n| {
            let s = &n.sound;
            s.normal_set != 0
                || s.addition_set != 0
                || s.custom_index != 0
                || (s.volume != 0 && n.keysound.is_none())
        })
        .count();
    let sounding_points = chart
        .timing
        .iter()
        .filter(|t| t.sample_set != 0 || t.sample_index != 0 || t.volume != 100)
        .count();
    if banked_notes + sounding_points > 0 {
        report.push(
            LossKind::SoundDropped,
            format!(
                "sample banks, custom sample indexes and volumes of {banked_notes} note(s) and {sounding_points} timing point(s) left out: Quaver has none (only keysound volumes)"
            ),
        );
    }
    let effects = chart.timing.iter().filter(|t| t.effects != 0).count();
    if effects > 0 {
        report.push(
            LossKind::MetadataDropped,
            format!(
                "kiai and bar line effects of {effects} timing point(s) left out: Quaver has none"
            ),
        );
    }
}
