//! Time lists (docs/rox-format.md §4): sorted times as a shared unit, the first time, and a
//! stream of unsigned deltas, all in multiples of the unit.

use super::wire::{put_bytes, put_varint, put_zigzag, Reader};
use crate::Result;

/// Largest unit a reader accepts: the model's time limit (±2^52 µs), so no valid time list needs more.
const MAX_UNIT: u64 = 1 << 52;

/// The largest unit dividing every value (as a magnitude); 1 when all are zero.
/// Callers pass deltas rather than absolute times: they are mostly small and repeat, so the
/// cache of the last value skips most divisions (gcd(t0, t1 − t0, …) = gcd(t0, t1, …)).
pub(super) fn unit_of(values: impl IntoIterator<Item = i64>) -> u64 {
    let mut unit = 0u64;
    let mut last = 0u64;
    for v in values {
        let v = v.unsigned_abs();
        if v != last {
            last = v;
            unit = gcd(unit, v);
            if unit == 1 {
                break;
            }
        }
    }
    unit.max(1)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Writes a sorted list whose every time (and, for notes, duration) is a multiple of `unit`.
pub(super) fn put_time_list(out: &mut Vec<u8>, unit: u64, times: impl IntoIterator<Item = i64>) {
    put_varint(out, unit);
    let unit = unit as i64;
    let mut times = times.into_iter();
    let mut deltas = Vec::new();
    if let Some(first) = times.next() {
        put_zigzag(out, first / unit);
        let mut prev = first;
        for t in times {
            put_varint(&mut deltas, ((t - prev) / unit) as u64);
            prev = t;
        }
    }
    put_bytes(out, &deltas);
}

/// Yields the `n` times of a list, each computed with checked arithmetic.
pub(super) struct TimeReader<'a> {
    unit: i64,
    time: i64,
    first_pending: bool,
    deltas: Reader<'a>,
}

impl<'a> TimeReader<'a> {
    /// Reads the head of a list of `n` times from `r`; the deltas are read by `next`.
    pub(super) fn new(r: &mut Reader<'a>, n: usize, place: &'static str) -> Result<TimeReader<'a>> {
        let unit = r.varint()?;
        if unit == 0 || unit > MAX_UNIT {
            return Err(r.corrupt(format!("time unit {unit} is not in 1..=2^52")));
        }
        let unit = unit as i64;
        let time = if n == 0 {
            0
        } else {
            let first = r.zigzag()?;
            first.checked_mul(unit).ok_or_else(|| r.corrupt("first time overflows"))?
        };
        let deltas = r.stream(place)?;
        Ok(TimeReader { unit, time, first_pending: n > 0, deltas })
    }

    #[inline]
    pub(super) fn next(&mut self) -> Result<i64> {
        if self.first_pending {
            self.first_pending = false;
        } else {
            let delta = self.deltas.varint()?;
            self.time = self.scale(delta).and_then(|d| self.time.checked_add(d)).ok_or_else(|| self.overflow())?;
        }
        Ok(self.time)
    }

    /// A stored count of units (e.g. a hold duration) in µs, or `None` if it overflows.
    #[inline]
    pub(super) fn scale(&self, units: u64) -> Option<i64> {
        i64::try_from(units).ok()?.checked_mul(self.unit)
    }

    #[cold]
    fn overflow(&self) -> crate::Error {
        self.deltas.corrupt("time overflows")
    }

    /// Fails unless the delta stream held exactly the list's deltas.
    pub(super) fn finish(&self) -> Result<()> {
        self.deltas.finish()
    }
}
