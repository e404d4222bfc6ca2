//! Metadata: string fields by id, and the numeric fields as one struct.

use std::ffi::c_char;
use std::mem::{offset_of, size_of};

use super::args::{enum_arg, in_str, in_value, Out, OutBytes, Zero};
use super::buffers::into_raw_string;
use super::chart::{chart_mut, chart_ref, RoxChart};
use super::{guard, FfiError, FfiResult, RoxStatus};
use crate::model::{MetaField, MAX_KEYS};
use crate::Chart;

fn field_arg(field: i32) -> FfiResult<MetaField> {
    enum_arg(field, "field", MetaField::from_i32)
}

/// `RoxChartInfo.present` bit: `preview_time_us` is given.
pub const ROX_INFO_PREVIEW_TIME: u32 = 1;
/// `RoxChartInfo.present` bit: `chart_id` is given.
pub const ROX_INFO_CHART_ID: u32 = 2;
/// `RoxChartInfo.present` bit: `set_id` is given.
pub const ROX_INFO_SET_ID: u32 = 4;
/// `RoxChartInfo.present` bit: `difficulty_level` is given.
pub const ROX_INFO_DIFFICULTY_LEVEL: u32 = 8;
/// `RoxChartInfo.present` bit: `hp_drain` is given.
pub const ROX_INFO_HP_DRAIN: u32 = 16;
/// `RoxChartInfo.present` bit: `overall_difficulty` is given.
pub const ROX_INFO_OVERALL_DIFFICULTY: u32 = 32;
const ALL_PRESENT: u32 = ROX_INFO_PREVIEW_TIME
    | ROX_INFO_CHART_ID
    | ROX_INFO_SET_ID
    | ROX_INFO_DIFFICULTY_LEVEL
    | ROX_INFO_HP_DRAIN
    | ROX_INFO_OVERALL_DIFFICULTY;

/// The non-string chart properties (64 bytes). Optional values have a bit in `present`;
/// absent values read as 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoxChartInfo {
    /// `sizeof(RoxChartInfo)` (64). Written by `rox_chart_get_info`; must be set by the caller
    /// for `rox_chart_set_info`.
    pub struct_size: u32,
    /// Columns, 1 to 18.
    pub key_count: u32,
    /// 1 if column 0 is a scratch lane, else 0.
    pub has_scratch: u32,
    /// Which optional values are given: `ROX_INFO_*` bits.
    pub present: u32,
    /// Song-select preview start (µs).
    pub preview_time_us: i64,
    /// Online chart id (osu! BeatmapID, Quaver MapId).
    pub chart_id: i64,
    /// Online set id (osu! BeatmapSetID, Quaver MapSetId).
    pub set_id: i64,
    /// Numeric difficulty (StepMania meter).
    pub difficulty_level: f64,
    /// osu! HPDrainRate.
    pub hp_drain: f64,
    /// osu! OverallDifficulty.
    pub overall_difficulty: f64,
}

const _: () = {
    assert!(size_of::<RoxChartInfo>() == 64);
    assert!(offset_of!(RoxChartInfo, struct_size) == 0);
    assert!(offset_of!(RoxChartInfo, key_count) == 4);
    assert!(offset_of!(RoxChartInfo, has_scratch) == 8);
    assert!(offset_of!(RoxChartInfo, present) == 12);
    assert!(offset_of!(RoxChartInfo, preview_time_us) == 16);
    assert!(offset_of!(RoxChartInfo, chart_id) == 24);
    assert!(offset_of!(RoxChartInfo, set_id) == 32);
    assert!(offset_of!(RoxChartInfo, difficulty_level) == 40);
    assert!(offset_of!(RoxChartInfo, hp_drain) == 48);
    assert!(offset_of!(RoxChartInfo, overall_difficulty) == 56);
};

impl Zero for RoxChartInfo {
    const ZERO: RoxChartInfo = RoxChartInfo {
        struct_size: 0,
        key_count: 0,
        has_scratch: 0,
        present: 0,
        preview_time_us: 0,
        chart_id: 0,
        set_id: 0,
        difficulty_level: 0.0,
        hp_drain: 0.0,
        overall_difficulty: 0.0,
    };
}

/// Copies a string field (UTF-8, no NUL) into the caller's buffer. Two-call pattern:
/// `*out_len` always receives the length in bytes; if `len` is smaller, returns
/// `BufferTooSmall` and writes nothing to `buf` (`buf` may be null when `len` is 0). An unset
/// field is the empty string. `InvalidArgument` if `field` is not a `RoxMetaField`.
///
/// # Safety
/// `chart`: borrowed, must not be null. `buf`: borrowed, caller-owned, writable for `len`
/// bytes (or null if `len` is 0). `out_len`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_get_string(
    chart: *const RoxChart,
    field: i32,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_chart_get_string", || {
        // SAFETY: caller promises.
        let out = unsafe { OutBytes::new(buf, len, out_len) }?;
        let chart = unsafe { chart_ref(chart) }?;
        let field = field_arg(field)?;
        out.write(field.get(&chart.metadata).as_bytes())
    })
}

/// Returns a copy of a string field allocated by this library: `*out_str` receives a
/// NUL-terminated UTF-8 string and `*out_len` its length in bytes without the NUL (the text
/// may itself contain NUL bytes; `*out_len` is authoritative). The caller owns the string and
/// must release it with `rox_free_string` (never with `free`). On failure `*out_str` is null
/// and `*out_len` is 0.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_str`, `out_len`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_get_string_alloc(
    chart: *const RoxChart,
    field: i32,
    out_str: *mut *mut c_char,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_chart_get_string_alloc", || {
        // SAFETY: caller promises.
        let (out_str, out_len) =
            unsafe { (Out::new(out_str, "out_str"), Out::new(out_len, "out_len")) };
        let (out_str, out_len) = (out_str?, out_len?);
        let chart = unsafe { chart_ref(chart) }?;
        let field = field_arg(field)?;
        let text = field.get(&chart.metadata);
        out_str.set(into_raw_string(text));
        out_len.set(text.len());
        Ok(())
    })
}

/// Sets a string field from `len` bytes of UTF-8 (not NUL-terminated; `len` 0 clears it).
/// `InvalidArgument` if `field` is not a `RoxMetaField` or the bytes are not valid UTF-8; the
/// chart is unchanged on failure.
///
/// # Safety
/// `chart`: borrowed exclusively for the call, must not be null. `utf8`: borrowed for the
/// call (copied), readable for `len` bytes; may be null only if `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_set_string(
    chart: *mut RoxChart,
    field: i32,
    utf8: *const u8,
    len: usize,
) -> RoxStatus {
    guard("rox_chart_set_string", || {
        // SAFETY: caller promises.
        let chart = unsafe { chart_mut(chart) }?;
        let text = unsafe { in_str(utf8, len, "utf8") }?;
        let field = field_arg(field)?;
        let slot = field.get_mut(&mut chart.metadata);
        slot.clear();
        slot.push_str(text);
        Ok(())
    })
}

/// Reads the numeric chart properties into `*out` (all fields written; `struct_size` = 64).
///
/// # Safety
/// `chart`: borrowed, must not be null. `out`: borrowed, caller-owned, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_get_info(
    chart: *const RoxChart,
    out: *mut RoxChartInfo,
) -> RoxStatus {
    guard("rox_chart_get_info", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        let chart = unsafe { chart_ref(chart) }?;
        let m = &chart.metadata;
        let mut present = 0;
        let mut bit = |given: bool, flag: u32| {
            if given {
                present |= flag;
            }
        };
        bit(m.preview_time_us.is_some(), ROX_INFO_PREVIEW_TIME);
        bit(m.chart_id.is_some(), ROX_INFO_CHART_ID);
        bit(m.set_id.is_some(), ROX_INFO_SET_ID);
        bit(m.difficulty_level.is_some(), ROX_INFO_DIFFICULTY_LEVEL);
        bit(m.hp_drain.is_some(), ROX_INFO_HP_DRAIN);
        bit(m.overall_difficulty.is_some(), ROX_INFO_OVERALL_DIFFICULTY);
        out.set(RoxChartInfo {
            struct_size: size_of::<RoxChartInfo>() as u32,
            key_count: u32::from(chart.key_count),
            has_scratch: u32::from(m.has_scratch),
            present,
            preview_time_us: m.preview_time_us.unwrap_or(0),
            chart_id: m.chart_id.unwrap_or(0),
            set_id: m.set_id.unwrap_or(0),
            difficulty_level: m.difficulty_level.unwrap_or(0.0),
            hp_drain: m.hp_drain.unwrap_or(0.0),
            overall_difficulty: m.overall_difficulty.unwrap_or(0.0),
        });
        Ok(())
    })
}

/// Sets the numeric chart properties from `*info`; values whose `present` bit is clear are
/// removed. `InvalidArgument` (chart unchanged) when `struct_size` is not 64, `key_count` is
/// not 1 to 18 or a note's column would not fit it, `has_scratch` is not 0 or 1, `present`
/// has unknown bits, or a present floating-point value is NaN or infinite.
///
/// # Safety
/// `chart`: borrowed exclusively for the call, must not be null. `info`: borrowed for the call
/// (copied), must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_set_info(
    chart: *mut RoxChart,
    info: *const RoxChartInfo,
) -> RoxStatus {
    guard("rox_chart_set_info", || {
        // SAFETY: caller promises.
        let chart = unsafe { chart_mut(chart) }?;
        let info = unsafe { in_value(info, "info") }?;
        let key_count = checked_key_count(&info, chart)?;
        let numbers = info.checked_numbers()?;
        // Everything checked: commit.
        chart.key_count = key_count;
        let m = &mut chart.metadata;
        m.has_scratch = info.has_scratch == 1;
        m.preview_time_us = numbers.preview_time_us;
        m.chart_id = numbers.chart_id;
        m.set_id = numbers.set_id;
        m.difficulty_level = numbers.difficulty_level;
        m.hp_drain = numbers.hp_drain;
        m.overall_difficulty = numbers.overall_difficulty;
        Ok(())
    })
}

/// The key count `info` asks for, if every note of `chart` fits it.
fn checked_key_count(info: &RoxChartInfo, chart: &Chart) -> FfiResult<u8> {
    if info.struct_size as usize != size_of::<RoxChartInfo>() {
        return Err(FfiError::invalid(format!(
            "info.struct_size is {}; set it to sizeof(RoxChartInfo) = {}",
            info.struct_size,
            size_of::<RoxChartInfo>()
        )));
    }
    let key_count = u8::try_from(info.key_count)
        .ok()
        .filter(|k| (1..=MAX_KEYS).contains(k))
        .ok_or_else(|| {
            FfiError::invalid(format!(
                "invalid key count {}: a chart needs 1 to {MAX_KEYS} columns",
                info.key_count
            ))
        })?;
    match chart.notes.iter().position(|n| n.column >= key_count) {
        None => Ok(key_count),
        Some(i) => Err(FfiError::invalid(format!(
            "cannot set the key count to {key_count}: note {i} is in column {}",
            chart.notes[i].column
        ))),
    }
}

/// The optional numbers of a [`RoxChartInfo`], as the model holds them.
struct InfoNumbers {
    preview_time_us: Option<i64>,
    chart_id: Option<i64>,
    set_id: Option<i64>,
    difficulty_level: Option<f64>,
    hp_drain: Option<f64>,
    overall_difficulty: Option<f64>,
}

impl RoxChartInfo {
    /// The optional values that `present` gives, once `has_scratch`, `present` and every given
    /// floating-point value are checked.
    fn checked_numbers(&self) -> FfiResult<InfoNumbers> {
        if self.has_scratch > 1 {
            return Err(FfiError::invalid(format!(
                "info.has_scratch is {}; use 0 or 1",
                self.has_scratch
            )));
        }
        if self.present & !ALL_PRESENT != 0 {
            return Err(FfiError::invalid(format!(
                "info.present has unknown bits {:#x}",
                self.present & !ALL_PRESENT
            )));
        }
        let given = |flag: u32| self.present & flag != 0;
        let float = |flag: u32, value: f64, name: &str| -> FfiResult<Option<f64>> {
            match (given(flag), value.is_finite()) {
                (false, _) => Ok(None),
                (true, true) => Ok(Some(value)),
                (true, false) => Err(FfiError::invalid(format!(
                    "info.{name} is {value}; it must be finite"
                ))),
            }
        };
        Ok(InfoNumbers {
            preview_time_us: given(ROX_INFO_PREVIEW_TIME).then_some(self.preview_time_us),
            chart_id: given(ROX_INFO_CHART_ID).then_some(self.chart_id),
            set_id: given(ROX_INFO_SET_ID).then_some(self.set_id),
            difficulty_level: float(
                ROX_INFO_DIFFICULTY_LEVEL,
                self.difficulty_level,
                "difficulty_level",
            )?,
            hp_drain: float(ROX_INFO_HP_DRAIN, self.hp_drain, "hp_drain")?,
            overall_difficulty: float(
                ROX_INFO_OVERALL_DIFFICULTY,
                self.overall_difficulty,
                "overall_difficulty",
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Metadata;

    #[test]
    fn every_field_is_distinct() {
        let mut m = Metadata::default();
        for f in MetaField::ALL {
            *f.get_mut(&mut m) = format!("{}", f as i32);
        }
        for f in MetaField::ALL {
            assert_eq!(f.get(&m), format!("{}", f as i32));
            assert_eq!(MetaField::from_i32(f as i32), Some(f));
        }
        assert_eq!(MetaField::from_i32(14), None);
        assert_eq!(MetaField::from_i32(-1), None);
    }
}
