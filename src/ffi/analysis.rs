//! What is computed from a chart: the osu!mania star rating.

use super::args::Out;
use super::chart::{chart_ref, RoxChart};
use super::{guard, RoxStatus};
use crate::analysis::star::star_rating;

/// The osu!mania star rating of the chart played at `clock_rate` (1 normal speed, 1.5
/// DoubleTime, 0.75 HalfTime): osu! lazer's difficulty calculation, as rosu-pp 4.0.1 computes
/// it, of the chart as `.osu` would hold it (mines and fakes left out, rolls as holds, lifts
/// as taps). 0 for a chart of fewer than two notes. `InvalidArgument` for a clock rate outside
/// 0.01..=100 (or NaN) or a note further than ±2^31 ms from zero; `InvalidChart` for a key
/// count outside 1..=18 or a note beyond it. `*out` reads 0 after any failure.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out`: borrowed, caller-owned, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_star_rating(
    chart: *const RoxChart,
    clock_rate: f64,
    out: *mut f64,
) -> RoxStatus {
    guard("rox_chart_star_rating", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        let chart = unsafe { chart_ref(chart) }?;
        out.set(star_rating(chart, clock_rate)?);
        Ok(())
    })
}
