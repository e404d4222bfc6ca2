//! Time lists (docs/rox-format.md §4): sorted times as a unit, a base time and a stream of
//! one unsigned delta per time, all in multiples of the unit.

use super::wire::{put_bytes, put_varint, put_zigzag, Reader};
use crate::model::MAX_ABS_TIME_US;
use crate::Result;

/// The largest unit dividing every value (as a magnitude); 1 when all are zero.
pub(super) fn unit_of(values: impl IntoIterator<Item = i64>) -> Unit {
    let mut unit = Unit::NONE;
    values.into_iter().for_each(|v| unit.include(v));
    unit.or_one()
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A time unit with its divisibility test and exact division done by multiplication:
/// finding the unit tests every note, and a hardware division per note costs more than the
/// rest of encoding it. For unit = 2^shift · odd, v is a multiple iff its low `shift` bits
/// are zero and (v >> shift) · odd⁻¹ (mod 2^64) ≤ ⌊(2^64 − 1) / odd⌋ (Granlund & Montgomery).
#[derive(Clone, Copy)]
pub(super) struct Unit {
    pub(super) value: u64,
    low_bits: u64,
    shift: u32,
    inverse: u64,
    limit: u64,
}

impl Unit {
    /// The unit of no values yet, which divides only 0.
    pub(super) const NONE: Unit = Unit {
        value: 0,
        low_bits: u64::MAX,
        shift: 0,
        inverse: 0,
        limit: 0,
    };

    /// `value` ≥ 1.
    fn new(value: u64) -> Unit {
        let shift = value.trailing_zeros();
        let odd = value >> shift;
        // Newton's iteration doubles the correct low bits each step: 3 → 6 → 12 → 24 → 48 → 96.
        let mut inverse = odd;
        for _ in 0..5 {
            inverse = inverse.wrapping_mul(2u64.wrapping_sub(odd.wrapping_mul(inverse)));
        }
        Unit {
            value,
            low_bits: (1 << shift) - 1,
            shift,
            inverse,
            limit: u64::MAX / odd,
        }
    }

    /// Narrows the unit, if needed, so that it divides `v` too.
    #[inline(always)]
    pub(super) fn include(&mut self, v: i64) {
        if !self.divides(v) {
            *self = Unit::new(gcd(self.value, v.unsigned_abs()));
        }
    }

    #[inline(always)]
    pub(super) fn divides(&self, v: i64) -> bool {
        let v = v.unsigned_abs();
        v & self.low_bits == 0 && (v >> self.shift).wrapping_mul(self.inverse) <= self.limit
    }

    /// The finished unit: 1 when every value was 0.
    pub(super) fn or_one(self) -> Unit {
        if self.value == 0 {
            Unit::new(1)
        } else {
            self
        }
    }

    /// `v / value`, for a `v` this unit divides.
    #[inline(always)]
    pub(super) fn divide(&self, v: u64) -> u64 {
        (v >> self.shift).wrapping_mul(self.inverse)
    }
}

/// Collects a sorted list of times that are multiples of `unit`, then writes it.
pub(super) struct TimeWriter {
    unit: Unit,
    base: i64,
    previous: i64,
    deltas: Vec<u8>,
}

impl TimeWriter {
    /// `base`: the first time (any multiple of the unit not after it would do); `None` if it
    /// is not a multiple of the unit.
    pub(super) fn new(unit: Unit, base: i64, capacity: usize) -> Option<TimeWriter> {
        unit.divides(base).then(|| TimeWriter {
            unit,
            base,
            previous: base,
            deltas: Vec::with_capacity(capacity),
        })
    }

    /// Adds a time no earlier than the previous one, unless its gap from the previous time is
    /// not a multiple of the unit: then returns false.
    #[inline(always)]
    pub(super) fn push(&mut self, time: i64) -> bool {
        let gap = time.wrapping_sub(self.previous);
        if !self.unit.divides(gap) {
            return false;
        }
        put_varint(&mut self.deltas, self.unit.divide(gap as u64));
        self.previous = time;
        true
    }

    pub(super) fn write(&self, out: &mut Vec<u8>) {
        put_varint(out, self.unit.value);
        let units = self.unit.divide(self.base.unsigned_abs()) as i64;
        put_zigzag(out, if self.base < 0 { -units } else { units });
        put_bytes(out, &self.deltas);
    }
}

/// Yields the times of a list, each computed with checked arithmetic.
pub(super) struct TimeReader<'a> {
    unit: i64,
    time: i64,
    deltas: Reader<'a>,
}

impl<'a> TimeReader<'a> {
    /// Reads the head of a list from `r`; the deltas are read by `next`.
    pub(super) fn new(r: &mut Reader<'a>, place: &'static str) -> Result<TimeReader<'a>> {
        let unit = r.varint()?;
        // No valid list needs a unit beyond the time limit.
        if unit == 0 || unit > MAX_ABS_TIME_US as u64 {
            return Err(r.corrupt(format!("time unit {unit} is not in 1..=2^52")));
        }
        let unit = unit as i64;
        let base = r.zigzag()?;
        let time = base
            .checked_mul(unit)
            .ok_or_else(|| r.corrupt("base time overflows"))?;
        let deltas = r.stream(place)?;
        Ok(TimeReader { unit, time, deltas })
    }

    #[inline(always)]
    pub(super) fn next(&mut self) -> Result<i64> {
        let delta = self.deltas.varint()?;
        self.time = after(self.time, delta, self.unit)
            .ok_or_else(|| self.deltas.corrupt("time overflows"))?;
        Ok(self.time)
    }

    /// The delta stream, the last time read and the unit, for a loop that reads the deltas
    /// itself (`decode::timed_notes`) and gives the time back with `resume`.
    pub(super) fn parts(&mut self) -> (&mut Reader<'a>, i64, i64) {
        (&mut self.deltas, self.time, self.unit)
    }

    pub(super) fn resume(&mut self, time: i64) {
        self.time = time;
    }

    /// Fails unless the delta stream held exactly the list's deltas.
    pub(super) fn finish(&self) -> Result<()> {
        self.deltas.finish()
    }
}

/// `units` times `unit` µs, or `None` if it overflows.
#[inline(always)]
pub(super) fn scaled(units: u64, unit: i64) -> Option<i64> {
    i64::try_from(units).ok()?.checked_mul(unit)
}

/// The time `delta` units of `unit` µs after `time`, or `None` if it overflows.
#[inline(always)]
pub(super) fn after(time: i64, delta: u64, unit: i64) -> Option<i64> {
    scaled(delta, unit).and_then(|d| time.checked_add(d))
}
