//! Numbers in JSON: scanned once, their digits gathered on the way for the exact fast paths.

use super::Parser;
use crate::formats::text::{exact_decimal, parse_f64};
use crate::Result;

/// A JSON number as scanned: its text, and its digits as one integer for the exact fast paths.
pub(crate) struct Number<'a> {
    pub text: &'a str,
    negative: bool,
    /// The digits before and after the point, as one integer (meaningless past 19 digits).
    digits: u64,
    digit_count: usize,
    fraction_digits: usize,
    exponent: bool,
}

impl Number<'_> {
    /// No fraction and no exponent.
    fn is_integer(&self) -> bool {
        self.fraction_digits == 0 && !self.exponent
    }

    /// The value `str::parse` gives (infinite when too large): from the gathered digits when
    /// that is exact, from the text otherwise.
    pub(crate) fn value(&self) -> f64 {
        let exact = match self.digit_count {
            _ if self.exponent => None,
            0..=15 => exact_decimal(self.digits, self.fraction_digits),
            // An integer of at most 19 digits is a u64; converting it rounds as parsing does.
            16..=19 if self.fraction_digits == 0 => Some(self.digits as f64),
            _ => None,
        };
        match exact {
            Some(v) if self.negative => -v,
            Some(v) => v,
            // The JSON number grammar is Rust's: `parse_f64` reads every such text.
            None => parse_f64(self.text.as_bytes()).unwrap_or(f64::NAN),
        }
    }
}

impl<'a> Parser<'a> {
    /// A JSON number (RFC 8259 grammar), its digits gathered in the same scan.
    // Inlined: returning the token through memory was a tenth of reading FNF notes.
    #[inline(always)]
    pub(crate) fn number_token(&mut self) -> Result<Number<'a>> {
        self.skip_space();
        let start = self.pos;
        let negative = self.bytes.get(self.pos) == Some(&b'-');
        self.pos += usize::from(negative);
        let mut n = Number {
            text: "",
            negative,
            digits: 0,
            digit_count: 0,
            fraction_digits: 0,
            exponent: false,
        };
        let int_start = self.pos;
        let int_digits = self.digits(&mut n.digits);
        if int_digits == 0 || (int_digits > 1 && self.bytes[int_start] == b'0') {
            self.pos = start;
            return Err(self.error("expected a number"));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            n.fraction_digits = self.digits(&mut n.digits);
            if n.fraction_digits == 0 {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        n.digit_count = int_digits + n.fraction_digits;
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            n.exponent = true;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if self.digits(&mut 0) == 0 {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        n.text = self.text(start, self.pos);
        Ok(n)
    }

    /// Passes over the digits at the current position, appending them to `value` (wrapping:
    /// the caller trusts it only for few enough digits); returns how many there were.
    #[inline(always)]
    fn digits(&mut self, value: &mut u64) -> usize {
        // One plain loop: numbers here are short, and iterator adapters vectorize for long ones.
        // Locals, not fields: the loop keeps them in registers.
        let (start, mut end, mut gathered) = (self.pos, self.pos, *value);
        while let Some(&b) = self.bytes.get(end) {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            gathered = gathered.wrapping_mul(10).wrapping_add(u64::from(digit));
            end += 1;
        }
        (self.pos, *value) = (end, gathered);
        end - start
    }

    /// An integer of type `T`: no fraction or exponent, within `T`'s range.
    // Inlined: nearly every integer is a plain run of digits, read at once without a token;
    // anything else goes out of line.
    #[inline(always)]
    pub(crate) fn integer<T: std::str::FromStr + TryFrom<u64>>(&mut self) -> Result<T> {
        self.skip_space();
        let start = self.pos;
        let mut digits = 0;
        let count = self.digits(&mut digits);
        let plain = (1..=19).contains(&count)
            && (count == 1 || self.bytes[start] != b'0')
            && !matches!(self.bytes.get(self.pos), Some(b'.' | b'e' | b'E'));
        if let Some(value) = plain.then(|| T::try_from(digits).ok()).flatten() {
            return Ok(value);
        }
        self.pos = start;
        self.unusual_integer()
    }

    /// [`Parser::integer`] for a number that is not a plain run of digits, or an error.
    #[inline(never)]
    fn unusual_integer<T: std::str::FromStr + TryFrom<u64>>(&mut self) -> Result<T> {
        let n = self.number_token()?;
        if !n.is_integer() {
            let text = n.text;
            return Err(self.error(format!("expected an integer, found {text}")));
        }
        // 19 digits cannot overflow u64; a negative one is left to `parse` (`-0` is no u64).
        let gathered = (!n.negative && n.digit_count <= 19).then_some(n.digits);
        match gathered.and_then(|digits| T::try_from(digits).ok()) {
            Some(value) => Ok(value),
            None => (n.text.parse())
                .map_err(|_| self.error(format!("integer {} is out of range here", n.text))),
        }
    }

    /// A number, or one of the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (JSON numbers
    /// cannot be those). A number too large for f64 is refused, not made infinite.
    pub(crate) fn f64(&mut self) -> Result<f64> {
        if self.peek() == Some(b'"') {
            return match &*self.string()? {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                other => Err(self.error(format!("expected a number, found \"{other}\""))),
            };
        }
        self.number()
    }

    /// A JSON number as f64; one too large for f64 is refused, not made infinite.
    pub(crate) fn number(&mut self) -> Result<f64> {
        let n = self.number_token()?;
        let value = n.value();
        if value.is_finite() {
            Ok(value)
        } else {
            Err(self.error(format!("number {} is too large for a 64-bit float", n.text)))
        }
    }

    /// The next value's JSON text (checked as JSON), and its value when it is a number.
    pub(crate) fn maybe_number(&mut self) -> Result<(&'a str, Option<f64>)> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => self.number_token().map(|n| (n.text, Some(n.value()))),
            _ => Ok((self.raw_value()?, None)),
        }
    }
}
