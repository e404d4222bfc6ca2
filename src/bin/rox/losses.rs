//! What a conversion lost, on stderr: a few losses of a kind are listed, many are summarised
//! (how many, and the first); `--verbose` lists every loss.

use rox::model::{Loss, LossKind};
use rox::ConversionReport;

use crate::format_time;

/// A kind with at most this many losses has them listed; more are summarised in one line.
const LISTED_PER_KIND: usize = 3;

/// Prints `report` for the output `path`: each kind's losses, or a summary of a kind with
/// more than `LISTED_PER_KIND` (all of them with `verbose`).
pub(crate) fn print(path: &str, report: &ConversionReport, verbose: bool) {
    for kind in LossKind::ALL {
        let of_kind: Vec<&Loss> = report.entries.iter().filter(|l| l.kind == kind).collect();
        match of_kind[..] {
            [] => {}
            [first, ..] if !verbose && of_kind.len() > LISTED_PER_KIND => eprintln!(
                "{path}: {}: {} times, first {} (--verbose lists every one)",
                kind.name(),
                of_kind.len(),
                first_line(first)
            ),
            _ => {
                for loss in of_kind {
                    eprintln!("{path}: {}: {loss}", kind.name());
                }
            }
        }
    }
}

/// `#330 at 0:50.617: mine dropped: .osu has no mines`.
fn first_line(loss: &Loss) -> String {
    let mut line = String::new();
    if let Some(i) = loss.index {
        line.push_str(&format!("#{i} "));
    }
    if let Some(t) = loss.time_us {
        line.push_str(&format!("at {} ", format_time(t)));
    }
    if !line.is_empty() {
        line.pop();
        line.push_str(": ");
    }
    line + &loss.message
}

/// Losses counted by kind, over many reports: `note_dropped 38, sound_dropped 2`.
pub(crate) fn counts_by_kind<'a>(reports: impl Iterator<Item = &'a ConversionReport>) -> String {
    let mut counts = [0usize; LossKind::ALL.len()];
    for loss in reports.flat_map(|r| &r.entries) {
        counts[loss.kind as usize] += 1;
    }
    let listed: Vec<String> = LossKind::ALL
        .into_iter()
        .filter(|&kind| counts[kind as usize] > 0)
        .map(|kind| format!("{} {}", kind.name(), counts[kind as usize]))
        .collect();
    if listed.is_empty() {
        "none".into()
    } else {
        listed.join(", ")
    }
}
