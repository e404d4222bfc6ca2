//! Values of `.qua` fields: times, numbers, flags and names, with errors naming the field.

use super::{error, Node, Reader, Scalar};
use crate::formats::quaver::HIT_SOUNDS;
use crate::formats::text::show;
use crate::model::MAX_ABS_TIME_US;
use crate::{Error, Result};

pub(super) fn check_lane(lane: u8, mode: u8, scratch: bool, time: i64, line: usize) -> Result<()> {
    let keys = mode + u8::from(scratch);
    if lane <= keys {
        Ok(())
    } else {
        Err(error(
            line,
            format!(
                "the hit object at {} ms is in lane {lane}, but Mode Keys{mode}{} has {keys} lanes",
                time as f64 / 1000.0,
                if scratch { " with a scratch key" } else { "" }
            ),
        ))
    }
}

pub(super) fn is_true(doc: &str) -> bool {
    yaml_bool(doc) == Some(true)
}

pub(super) fn yaml_bool(doc: &str) -> Option<bool> {
    Scalar {
        text: doc.into(),
        plain: true,
        tag: None,
        line: 0,
    }
    .bool()
}

/// Values that say nothing: null, an empty string, an empty list or mapping.
pub(super) fn is_empty(doc: &str) -> bool {
    matches!(doc, "~" | "''" | "[]" | "{}")
}

pub(super) fn yaml_show(s: &str) -> String {
    show(s.as_bytes())
}

pub(super) fn scalar<'a>(r: &mut Reader<'a>, field: &str) -> Result<Scalar<'a>> {
    let line = r.line();
    match r.node()? {
        Node::Scalar(s) => Ok(s),
        node => {
            r.skip(node)?;
            Err(error(
                line,
                format!("{field} must be a single value, not a list or mapping"),
            ))
        }
    }
}

/// A value that may be absent (null): `None` then, else `parse` of it.
pub(super) fn optional<T>(
    r: &mut Reader,
    field: &str,
    parse: impl FnOnce(&Scalar, &str) -> Result<T>,
) -> Result<Option<T>> {
    let s = scalar(r, field)?;
    if s.is_null() {
        Ok(None)
    } else {
        parse(&s, field).map(Some)
    }
}

pub(super) fn string(r: &mut Reader, field: &str) -> Result<String> {
    let s = scalar(r, field)?;
    Ok(if s.is_null() {
        String::new()
    } else {
        s.text.into_owned()
    })
}

pub(super) fn invalid(s: &Scalar, field: &str, expected: &str) -> Error {
    error(
        s.line,
        format!("{field} {:?} is not {expected}", yaml_show(&s.text)),
    )
}

/// A time in ms as µs, rounded to the nearest µs (ties away from zero).
pub(super) fn time_us(s: &Scalar, field: &str) -> Result<i64> {
    const LIMIT_MS: i64 = MAX_ABS_TIME_US / 1000;
    if let Some(ms) = s.int() {
        if ms.abs() <= LIMIT_MS {
            return Ok(ms * 1000);
        }
    }
    let ms = s
        .float()
        .ok_or_else(|| invalid(s, field, "a time in milliseconds"))?;
    let us = (ms * 1000.0).round();
    if us.abs() <= MAX_ABS_TIME_US as f64 {
        Ok(us as i64)
    } else {
        Err(invalid(s, field, "a time within ±2^52 µs"))
    }
}

pub(super) fn finite(s: &Scalar, field: &str) -> Result<f64> {
    s.float()
        .filter(|v| v.is_finite())
        .ok_or_else(|| invalid(s, field, "a finite number"))
}

pub(super) fn boolean(s: &Scalar, field: &str) -> Result<bool> {
    s.bool().ok_or_else(|| invalid(s, field, "true or false"))
}

pub(super) fn int_in(s: &Scalar, field: &str, min: i64, max: i64) -> Result<i64> {
    s.int()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| invalid(s, field, &format!("a whole number from {min} to {max}")))
}

/// `-1` (Quaver's "not submitted") is no id.
pub(super) fn online_id(r: &mut Reader, field: &str) -> Result<Option<i64>> {
    Ok(optional(r, field, |s, f| {
        int_in(s, f, i32::MIN.into(), i32::MAX.into())
    })?
    .filter(|&id| id != -1))
}

/// `Signature`: a number (any positive one occurs) or `Quadruple` / `Triple`; 0 is Quaver's
/// default, 4.
pub(super) fn signature(s: &Scalar, field: &str) -> Result<u32> {
    let meter = match &*s.text {
        t if t.eq_ignore_ascii_case("Quadruple") => 4,
        t if t.eq_ignore_ascii_case("Triple") => 3,
        _ => int_in(s, field, 0, i32::MAX.into())? as u32,
    };
    Ok(if meter == 0 { 4 } else { meter })
}

/// `HitSound`: flag names joined by commas (`Whistle, Clap`), or the number.
pub(super) fn hit_sound(s: &Scalar, field: &str) -> Result<u8> {
    let mut flags = 0u8;
    for part in s.text.split(',').map(str::trim) {
        flags |= match HIT_SOUNDS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(part))
        {
            Some(&(_, bit)) => bit,
            None => part.parse::<u8>().map_err(|_| {
                invalid(
                    s,
                    field,
                    "hit sound names (Normal, Whistle, Finish, Clap) or their number",
                )
            })?,
        };
    }
    Ok(flags)
}

/// `Type`: `Normal` (0) or `Mine` (1).
pub(super) fn mine(s: &Scalar, field: &str) -> Result<bool> {
    match &*s.text {
        t if t.eq_ignore_ascii_case("Normal") || t == "0" => Ok(false),
        t if t.eq_ignore_ascii_case("Mine") || t == "1" => Ok(true),
        _ => Err(invalid(s, field, "Normal or Mine")),
    }
}
