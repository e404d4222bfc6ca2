//! Limits and defaults every layer shares: the C ABI, `rox.h` and the C# library derive theirs
//! from these.

/// Columns a chart may have (osu!mania allows up to 18).
pub const MAX_KEYS: u8 = 18;

/// Times beyond ±this many µs (2^52, about 142 years) are refused: they survive f64
/// arithmetic exactly. Written out, not as a shift, so that C reads it as a 64-bit number.
pub const MAX_ABS_TIME_US: i64 = 4_503_599_627_370_496;

const _: () = assert!(MAX_ABS_TIME_US == 1 << 52);

/// What one string costs in the decode limit on text, beyond its bytes: the memory that holds
/// it.
pub const STRING_COST: u64 = 24;

/// The window of pattern analysis unless the caller names another: Etterna's interval length.
pub const DEFAULT_PATTERN_WINDOW_US: i64 = 500_000;

/// Whether `t` is within ±[`MAX_ABS_TIME_US`]. `unsigned_abs`, because `i64::MIN.abs()`
/// overflows (wraps to a negative number in release builds, so `abs() > limit` lets it pass).
pub fn time_in_range(t: i64) -> bool {
    t.unsigned_abs() <= MAX_ABS_TIME_US as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_range_is_symmetric_and_survives_extremes() {
        assert!(time_in_range(MAX_ABS_TIME_US) && time_in_range(-MAX_ABS_TIME_US));
        assert!(!time_in_range(MAX_ABS_TIME_US + 1) && !time_in_range(-MAX_ABS_TIME_US - 1));
        assert!(!time_in_range(i64::MIN) && !time_in_range(i64::MAX));
    }
}
