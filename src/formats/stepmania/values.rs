//! The value syntax of StepMania tags: numbers as C's `strtod` reads them, `beat=value` lists,
//! and numbers as the writer writes them.

use super::timing;
use crate::formats::text;

/// The leading number of `text` as C's `strtod` reads it (StepMania's `StringToFloat`):
/// blanks, sign, digits, fraction, exponent; trailing junk ignored. `None` without digits or
/// when the value is not finite (StepMania reads those as 0).
pub fn parse_number(text: &[u8]) -> Option<f64> {
    let text = text.trim_ascii();
    let mut end = 0;
    let digits = |from: usize| {
        text[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    if matches!(text.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let whole = digits(end);
    end += whole;
    let mut fraction = 0;
    if text.get(end) == Some(&b'.') {
        fraction = digits(end + 1);
        end += 1 + fraction;
    }
    if whole + fraction == 0 {
        return None;
    }
    let mut exponent = 0;
    if matches!(text.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(text.get(end + 1), Some(b'+' | b'-')));
        exponent = digits(end + 1 + sign);
        if exponent > 0 {
            end += 1 + sign + exponent;
        }
    }
    let number = &text[..end];
    if exponent > 0 || whole + fraction > 15 {
        return text::parse_f64(number).filter(|v| v.is_finite());
    }
    // Nearly every number in a file: its digits, read once, make an exact decimal.
    let digits = number.iter().filter(|b| b.is_ascii_digit());
    let value = digits.fold(0, |value, &b| value * 10 + u64::from(b - b'0'));
    let value = text::exact_decimal(value, fraction)?;
    Some(if number[0] == b'-' { -value } else { value })
}

/// The leading integer of `text` (StepMania's `StringToInt`), `None` without digits.
pub fn parse_int(text: &[u8]) -> Option<i64> {
    let value = parse_number(text)?;
    Some(value.trunc().clamp(i64::MIN as f64, i64::MAX as f64) as i64)
}

/// Entries of a timing list: `beat=value[=value…],…`, empty pieces skipped as StepMania's
/// `split` does.
pub fn entries(value: &[u8]) -> impl Iterator<Item = (&[u8], Vec<&[u8]>)> {
    list(value).map(|e| (e, parts(e).collect()))
}

/// The `beat=value` entries of a list, each with its (beat, value) when it is exactly two
/// numbers (StepMania ignores the others).
pub fn beat_values(value: &[u8]) -> impl Iterator<Item = (&[u8], Option<(f64, f64)>)> {
    list(value).map(|entry| {
        let mut parts = parts(entry);
        let parsed = match (parts.next(), parts.next(), parts.next()) {
            (Some(beat), Some(value), None) => parse_number(beat).zip(parse_number(value)),
            _ => None,
        };
        (entry, parsed)
    })
}

fn list(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|&c| c == b',').filter(|e| !e.is_empty())
}

fn parts(entry: &[u8]) -> impl Iterator<Item = &[u8]> {
    entry.split(|&c| c == b'=').filter(|p| !p.is_empty())
}

/// Seconds from whole µs, shortest exact decimal (`0.061`, `-1.5`, `0`).
pub fn seconds(us: i64) -> String {
    let sign = if us < 0 { "-" } else { "" };
    let abs = us.unsigned_abs();
    let (whole, fraction) = (abs / 1_000_000, abs % 1_000_000);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        let digits = format!("{fraction:06}");
        format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// A beat from a row, as StepMania writes beats (three decimals are enough: a row is 1/48).
pub fn beat_text(row: i64) -> String {
    format!("{:.3}", timing::row_to_beat(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_strtod_reads_them() {
        assert_eq!(parse_number(b" -0.061 "), Some(-0.061));
        assert_eq!(parse_number(b"12abc"), Some(12.0));
        assert_eq!(parse_number(b".5"), Some(0.5));
        assert_eq!(parse_number(b"1e3x"), Some(1000.0));
        assert_eq!(parse_number(b"1e"), Some(1.0));
        assert_eq!(parse_number(b"1e999"), None);
        assert_eq!(parse_number(b"abc"), None);
        assert_eq!(parse_number(b"-"), None);
        assert_eq!(parse_int(b"25.9"), Some(25));
    }

    #[test]
    fn seconds_are_exact() {
        assert_eq!(seconds(61_000), "0.061");
        assert_eq!(seconds(-100_000), "-0.1");
        assert_eq!(seconds(0), "0");
        assert_eq!(seconds(-1), "-0.000001");
        assert_eq!(seconds(2_500_000), "2.5");
    }

    #[test]
    fn lists_skip_empty_pieces_and_odd_entries() {
        let parsed: Vec<_> = beat_values(b"0=120,,4=60=1,x=2,8=-1").collect();
        let values: Vec<_> = parsed.iter().map(|(_, v)| *v).collect();
        assert_eq!(values, [Some((0.0, 120.0)), None, None, Some((8.0, -1.0))]);
        assert_eq!(parsed[1].0, b"4=60=1");
        let parts: Vec<_> = entries(b"1==4=4").map(|(_, p)| p.len()).collect();
        assert_eq!(parts, [3]);
        assert_eq!(beat_text(72), "1.500");
    }
}
