//! Number and message text shared by the text codecs (`.osu`, `.qua`): integers and
//! millisecond times read and written without going through `str`, and bounded excerpts of
//! input for error messages.

use crate::model::time_in_range;

/// The run of 1 to 9 ASCII digits at `text[at..]`: its value, its length and the byte after
/// it, found without a loop up to 7 digits (SWAR: all 8 bytes of a word at once); `None` when
/// the word or the byte after the run is past the end, or the run is empty or 10 digits or
/// longer. Nine digits of milliseconds are 11 days: a long chart's times never need the slow
/// path, whose cost would make decoding superlinear in the chart's length.
#[inline]
pub fn leading_digits(text: &[u8], at: usize) -> Option<(u64, usize, u8)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let word = u64::from_le_bytes(text.get(at..at + 8)?.try_into().ok()?);
    // Top bit of each byte set where the byte is below '0' or above '9'. Borrows and carries
    // run towards later bytes, so they can only add marks after the first non-digit.
    let below = word.wrapping_sub(0x30 * ONES) & !word;
    let above = word.wrapping_add((0x80 - 0x3A) * ONES) | word;
    let not_digit = (below | above) & (0x80 * ONES);
    let len = (not_digit.trailing_zeros() / 8) as usize;
    if len == 0 {
        return None;
    }
    // The digits moved to the top bytes (first digit lowest) below zero bytes: an 8-digit
    // number with leading zeros, combined pairwise (1-digit → 2 → 4 → 8).
    let digits = (word & (0x0F * ONES)) << (8 * (8 - len));
    let pairs = (digits.wrapping_mul(10 << 8 | 1) >> 8) & 0x00FF_00FF_00FF_00FF;
    let quads = (pairs.wrapping_mul(100 << 16 | 1) >> 16) & 0x0000_FFFF_0000_FFFF;
    let value = quads.wrapping_mul(10_000 << 32 | 1) >> 32;
    if len < 8 {
        return Some((value, len, (word >> (8 * len)) as u8));
    }
    match *text.get(at + 8)? {
        ninth @ b'0'..=b'9' => {
            let after = *text.get(at + 9)?;
            (!after.is_ascii_digit()).then_some((value * 10 + u64::from(ninth - b'0'), 9, after))
        }
        after => Some((value, 8, after)),
    }
}

/// A decimal integer such as `-12` or ` 7 `: the form of nearly every number in a chart file,
/// parsed without going through `str`.
pub fn parse_int(s: &[u8]) -> Option<i64> {
    let s = s.trim_ascii();
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    };
    // 18 digits cannot overflow i64; longer numbers are out of every range osu! accepts anyway.
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut value: i64 = 0;
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + i64::from(digit);
    }
    Some(if negative { -value } else { value })
}

/// Any number osu! reads as a double (`1.5`, `-1e3`, `NaN`); integers and short decimals take
/// fast paths that give the same value as `str::parse`.
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    let s = s.trim_ascii();
    parse_int(s)
        // `-0` is the negative zero, as every float parser reads it.
        .map(|v| {
            if v == 0 && s[0] == b'-' {
                -0.0
            } else {
                v as f64
            }
        })
        .or_else(|| short_decimal(s))
        .or_else(|| std::str::from_utf8(s).ok()?.parse().ok())
}

/// `-12.345`-shaped numbers of at most 15 digits, or `None`.
fn short_decimal(s: &[u8]) -> Option<f64> {
    let (negative, s) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    let point = s.iter().position(|&b| b == b'.')?;
    let (whole, fraction) = (&s[..point], &s[point + 1..]);
    if whole.is_empty() || fraction.is_empty() || whole.len() + fraction.len() > 15 {
        return None;
    }
    let mut digits: u64 = 0;
    for &b in whole.iter().chain(fraction) {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        digits = digits * 10 + u64::from(digit);
    }
    let value = exact_decimal(digits, fraction.len())?;
    Some(if negative { -value } else { value })
}

/// `digits / 10^fraction_digits` when that is exact as `str::parse` gives it: the digits (below
/// 2^53) and the power of ten (at most 10^15) are both exact doubles, so their quotient is one
/// correctly rounded operation (Clinger's fast path). `None` beyond those bounds.
pub(crate) fn exact_decimal(digits: u64, fraction_digits: usize) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let power = POWERS.get(fraction_digits)?;
    (digits < 1 << 53).then(|| digits as f64 / power)
}

/// `x.round() as i64` (nearest, ties away from zero; NaN 0, saturating) without the call to
/// libm's `round` that the baseline x86-64 target makes of `f64::round`. Below 2^52 the
/// truncation is exact and so is `x - truncated`, so comparing that to ±0.5 rounds exactly;
/// from 2^52 up every double is a whole number already.
pub(crate) fn round_to_i64(x: f64) -> i64 {
    let truncated = x as i64;
    if x.abs() >= (1u64 << 52) as f64 {
        return truncated;
    }
    let rest = x - truncated as f64;
    truncated + i64::from(rest >= 0.5) - i64::from(rest <= -0.5)
}

/// Whole µs from seconds, rounded to the nearest (ties away from zero, as `f64::round`);
/// `None` beyond the model's range (±`MAX_ABS_TIME_US`) or for NaN. The readers that compute
/// times in seconds (StepMania, BMS, bmson) turn them into the model's with this, and their
/// writers refuse what it refuses.
pub(crate) fn us_from_seconds(seconds: f64) -> Option<i64> {
    let us = seconds * 1e6;
    let rounded = round_to_i64(us);
    (!us.is_nan() && time_in_range(rounded)).then_some(rounded)
}

/// Appends a decimal integer. Numbers below 10^8 (nearly every number in a chart) are turned
/// into 8 digits at once and copied as one 8-byte word whose unused tail is cut off: digit by
/// digit, or a variable-length copy (a `memcpy` call), was most of the time of writing a chart.
/// Inlined, with the other numbers out of line, so that the common case costs no call.
#[inline]
pub fn push_int(out: &mut Vec<u8>, v: i64) {
    match u32::try_from(v) {
        Ok(small) if small < 100_000_000 => push_below_1e8(out, small),
        _ => push_other_int(out, v),
    }
}

#[inline(always)]
fn push_below_1e8(out: &mut Vec<u8>, n: u32) {
    let digits = eight_digits(n);
    // Leading zero digits are the low zero bytes; shifted out, the first digit is the word's
    // first byte (0 keeps one digit).
    let leading = (digits.trailing_zeros() / 8).min(7);
    let word = (digits >> (8 * leading)) | 0x3030_3030_3030_3030;
    out.extend_from_slice(&word.to_le_bytes());
    out.truncate(out.len() - leading as usize);
}

/// A negative number or one of 10^8 or more.
#[inline(never)]
fn push_other_int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    let mut rest = v.unsigned_abs();
    if rest < 100_000_000 {
        push_below_1e8(out, rest as u32);
        return;
    }
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        out.push(d);
    }
}

/// The 8 decimal digits of `n` < 10^8 as byte values 0..=9 (leading zeros included), the first
/// digit in the lowest byte: split into halves of 4 digits, then 2, then 1, each step on every
/// part at once (the divisions by 100 and 10 as multiplications, exact in these ranges).
fn eight_digits(n: u32) -> u64 {
    let halves = u64::from(n / 10_000) | u64::from(n % 10_000) << 32;
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007F_0000_007F;
    let quarters = hundreds | (halves - 100 * hundreds) << 16;
    let tens = ((quarters * 103) >> 10) & 0x000F_000F_000F_000F;
    tens | (quarters - 10 * tens) << 8
}

/// Appends a time in µs as ms with the exact fraction (`1234.5`), so that nothing moves.
pub fn push_ms(out: &mut Vec<u8>, us: i64) {
    let (ms, fraction) = (us / 1000, (us % 1000).unsigned_abs() as u16);
    if us < 0 && ms == 0 {
        out.push(b'-');
    }
    push_int(out, ms);
    if fraction != 0 {
        let digits = [
            b'.',
            b'0' + (fraction / 100) as u8,
            b'0' + (fraction / 10 % 10) as u8,
            b'0' + (fraction % 10) as u8,
        ];
        let len = if fraction % 100 == 0 {
            2
        } else if fraction % 10 == 0 {
            3
        } else {
            4
        };
        out.extend_from_slice(&digits[..len]);
    }
}

/// Text for error messages: bounded, lossy.
pub fn show(s: &[u8]) -> String {
    const MAX: usize = 40;
    let text = String::from_utf8_lossy(&s[..s.len().min(MAX)]);
    if s.len() > MAX {
        format!("{text}…")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 200,000 pseudo-random words (xorshift64) from `seed`.
    fn xorshift(seed: u64) -> impl Iterator<Item = u64> {
        let mut state = seed;
        std::iter::repeat_with(move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        })
        .take(200_000)
    }

    #[test]
    fn us_from_seconds_is_the_rounded_product_within_range() {
        let by_f64_round = |seconds: f64| {
            let us = (seconds * 1e6).round();
            (us.is_finite() && us.abs() <= (1u64 << 52) as f64).then_some(us as i64)
        };
        let limit = (1u64 << 52) as f64 / 1e6;
        let mut values = vec![
            0.0,
            -0.0,
            5e-7,
            -5e-7,
            2.5e-6,
            -2.5e-6,
            // The ends of the range, and half a µs and a µs either side of them.
            limit,
            -limit,
            limit + 5e-7,
            -limit - 5e-7,
            limit - 5e-7,
            limit + 1e-6,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            1e300,
        ];
        values.extend(xorshift(0x2545_F491_4F6C_DD1D).flat_map(|state| {
            [
                f64::from_bits(state),
                (state % 100_000_000_000) as f64 / 1e7 - 5000.0,
            ]
        }));
        for seconds in values {
            assert_eq!(
                us_from_seconds(seconds),
                by_f64_round(seconds),
                "{seconds:e}"
            );
        }
    }

    #[test]
    fn round_to_i64_is_f64_round() {
        let mut values = vec![
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4503599627370495.5,
            -4503599627370495.5,
            4503599627370496.0,
            9.3e18,
            -9.3e18,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -0.0,
            5e-324,
        ];
        // Random doubles of every magnitude, and ms-like values with fractions near .5.
        values.extend(xorshift(0x9E37_79B9_7F4A_7C15).flat_map(|state| {
            [
                f64::from_bits(state),
                (state % 10_000_000) as f64 / 1000.0 - 5000.0,
                (state >> 11) as f64 * 0.5 - 2e15,
            ]
        }));
        for x in values {
            assert_eq!(round_to_i64(x), x.round() as i64, "{x:e}");
        }
    }

    #[test]
    fn integers() {
        let mut values: Vec<i64> = (-1000..=100_000).collect();
        values.extend((0..64).map(|shift| 1i64 << shift));
        values.extend((0..100_000_000).step_by(997));
        values.extend([
            99_999_999,
            100_000_000,
            12_345_678,
            9_999_999,
            i64::MIN,
            i64::MAX,
        ]);
        for v in values {
            let mut out = b"x".to_vec();
            push_int(&mut out, v);
            assert_eq!(out, format!("x{v}").into_bytes(), "{v}");
        }
    }

    #[test]
    fn times() {
        let time = |us| {
            let mut out = Vec::new();
            push_ms(&mut out, us);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(time(1_234_000), "1234");
        assert_eq!(time(1_234_500), "1234.5");
        assert_eq!(time(1_234_050), "1234.05");
        assert_eq!(time(1_234_001), "1234.001");
        assert_eq!(time(-500), "-0.5");
        assert_eq!(time(-1_500), "-1.5");
        assert_eq!(time(0), "0");
        assert_eq!(time(i64::MIN + 1).len(), 21);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int(b" -12 "), Some(-12));
        assert_eq!(parse_int(b"1.5"), None);
        assert_eq!(parse_int(b"-"), None);
        assert_eq!(parse_int(b"1234567890123456789"), None);
        assert_eq!(parse_f64(b"1.5"), Some(1.5));
        assert!(parse_f64(b"NaN").unwrap().is_nan());
        assert_eq!(parse_f64(b"x"), None);
    }

    /// The decimal fast path against the standard library's parser, bit for bit.
    #[test]
    fn decimals_parse_as_the_standard_library_does() {
        let mut texts: Vec<String> = [
            "-0.0",
            "0.1",
            "0.3",
            "1.",
            ".5",
            "1.2.3",
            "1e5",
            "+1.5",
            "-",
            "1.-5",
            "461.538",
            "123456789012.345",
            "999999999999999.9",
            "99999999999999.99",
            "0.000000000000001",
            "9007199254740993.0",
            "-12.5",
            "1.0000000000000002",
            "-0",
            "0",
            "-00",
        ]
        .map(String::from)
        .to_vec();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let digits = (state >> 33) % 10_u64.pow(1 + (state % 15) as u32);
            let text = digits.to_string();
            let point = (state >> 7) as usize % (text.len() + 1);
            let sign = if state & 1 == 0 { "" } else { "-" };
            texts.push(format!("{sign}{}.{}", &text[..point], &text[point..]));
        }
        for text in &texts {
            let expected = text.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(
                parse_f64(text.as_bytes()).map(f64::to_bits),
                expected,
                "{text}"
            );
        }
    }
}
