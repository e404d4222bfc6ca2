//! docs/abi.md: every output that is not null reads zero after any failure, whichever argument
//! was wrong. Each export gets its outputs filled with garbage, then an invalid argument before
//! them (usually a null handle) or a null first output; every other output must read zero.

use std::ffi::c_char;
use std::ptr::{null, null_mut};

use super::args::Zero;
use super::*;

const GARBAGE: usize = 0xDEAD_BEEF;

fn garbage<T>() -> *mut T {
    GARBAGE as *mut T
}

fn chart_with_a_note() -> *mut RoxChart {
    let mut chart = null_mut();
    let note = RoxNote {
        keysound: -1,
        ..RoxNote::default()
    };
    unsafe {
        assert_eq!(rox_chart_new(4, &mut chart), RoxStatus::Ok);
        assert_eq!(rox_chart_add_notes(chart, &note, 1), RoxStatus::Ok);
    }
    chart
}

#[test]
fn chart_handles() {
    unsafe {
        let mut out: *mut RoxChart = garbage();
        assert_eq!(rox_chart_new(0, &mut out), RoxStatus::InvalidArgument);
        assert!(out.is_null());
        out = garbage();
        assert_eq!(rox_chart_clone(null(), &mut out), RoxStatus::NullPointer);
        assert!(out.is_null());
        out = garbage();
        let status = rox_chart_decode(null(), 5, 0, &mut out);
        assert_eq!((status, out), (RoxStatus::NullPointer, null_mut()));
        out = garbage();
        let status = rox_chart_decode_limited(null(), 5, 0, null(), &mut out);
        assert_eq!((status, out), (RoxStatus::NullPointer, null_mut()));
        // A bad limits struct is refused after the output is cleared.
        let bad = RoxDecodeLimits::ZERO;
        out = garbage();
        let status = rox_chart_decode_limited(b"x".as_ptr(), 1, 0, &bad, &mut out);
        assert_eq!((status, out), (RoxStatus::InvalidArgument, null_mut()));
        assert_eq!(
            rox_decode_limits_default(null_mut()),
            RoxStatus::NullPointer
        );
        let (mut format, mut rules) = (7, 7);
        let status = rox_chart_source_format(null(), &mut format, &mut rules);
        assert_eq!((status, format, rules), (RoxStatus::NullPointer, 0, 0));
        rules = 7;
        let chart = chart_with_a_note();
        let status = rox_chart_source_format(chart, null_mut(), &mut rules);
        assert_eq!((status, rules), (RoxStatus::NullPointer, 0));
        rox_chart_free(chart);
    }
}

#[test]
fn encoding() {
    let chart = chart_with_a_note();
    unsafe {
        for (chart, format) in [(null(), 1), (chart.cast_const(), 99)] {
            let mut len = GARBAGE;
            assert_ne!(
                rox_chart_encode(chart, format, null_mut(), 0, &mut len),
                RoxStatus::Ok
            );
            assert_eq!(len, 0);
            let (mut buf, mut len) = (garbage(), GARBAGE);
            assert_ne!(
                rox_chart_encode_alloc(chart, format, &mut buf, &mut len),
                RoxStatus::Ok
            );
            assert_eq!((buf, len), (null_mut(), 0));
            let (mut buf, mut len, mut report) = (garbage(), GARBAGE, garbage());
            let status = rox_chart_encode_report(chart, format, &mut buf, &mut len, &mut report);
            assert_ne!(status, RoxStatus::Ok);
            assert_eq!((buf, len, report), (null_mut(), 0, null_mut()));
        }
        let mut len = GARBAGE;
        let status = rox_chart_encode_alloc(chart, 1, null_mut(), &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));
        let (mut len, mut report) = (GARBAGE, garbage());
        let status = rox_chart_encode_report(chart, 1, null_mut(), &mut len, &mut report);
        assert_eq!(
            (status, len, report),
            (RoxStatus::NullPointer, 0, null_mut())
        );
        let mut len = GARBAGE;
        let status = rox_chart_encode(chart, 1, null_mut(), 5, &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));
        rox_chart_free(chart);
    }
}

#[test]
fn formats() {
    unsafe {
        let mut format = -7;
        let status = rox_detect_format(null(), 3, &mut format);
        assert_eq!((status, format), (RoxStatus::NullPointer, 0));
        format = -7;
        let status = rox_format_from_path(b"\xff.osu".as_ptr(), 5, &mut format);
        assert_eq!((status, format), (RoxStatus::InvalidArgument, 0));
    }
}

#[test]
fn strings_info_and_keysounds() {
    let chart = chart_with_a_note();
    unsafe {
        for (chart, field) in [(null_mut(), 0), (chart, 99)] {
            let mut len = GARBAGE;
            assert_ne!(
                rox_chart_get_string(chart, field, null_mut(), 0, &mut len),
                RoxStatus::Ok
            );
            assert_eq!(len, 0);
            let (mut text, mut len): (*mut c_char, _) = (garbage(), GARBAGE);
            let status = rox_chart_get_string_alloc(chart, field, &mut text, &mut len);
            assert_ne!(status, RoxStatus::Ok);
            assert_eq!((text, len), (null_mut(), 0));
        }
        let mut len = GARBAGE;
        let status = rox_chart_get_string_alloc(chart, 0, null_mut(), &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));

        let mut info: RoxChartInfo = std::mem::transmute([0xAAu8; 64]);
        assert_eq!(
            rox_chart_get_info(null(), &mut info),
            RoxStatus::NullPointer
        );
        assert_eq!(info, RoxChartInfo::ZERO);

        let mut count = GARBAGE;
        assert_eq!(
            rox_chart_keysound_count(null(), &mut count),
            RoxStatus::NullPointer
        );
        assert_eq!(count, 0);
        let mut len = GARBAGE;
        let status = rox_chart_get_keysound(chart, 3, null_mut(), 0, &mut len);
        assert_eq!((status, len), (RoxStatus::InvalidArgument, 0));
        let mut index = u32::MAX;
        let status = rox_chart_add_keysound(null_mut(), b"a".as_ptr(), 1, &mut index);
        assert_eq!((status, index), (RoxStatus::NullPointer, 0));
        rox_chart_free(chart);
    }
}

#[test]
fn an_empty_keysound_name_is_refused() {
    let chart = chart_with_a_note();
    unsafe {
        let mut index = u32::MAX;
        let status = rox_chart_add_keysound(chart, null(), 0, &mut index);
        assert_eq!((status, index), (RoxStatus::InvalidArgument, 0));
        assert!(
            last_error().contains("must not be empty"),
            "{}",
            last_error()
        );
        assert!((*chart).chart.keysounds.is_empty());
        rox_chart_free(chart);
    }
}

#[test]
fn notes_timing_and_validation() {
    let chart = chart_with_a_note();
    unsafe {
        for (chart, buf_len) in [(null(), 0), (chart.cast_const(), 2)] {
            let mut count = GARBAGE;
            let status = rox_chart_copy_notes(chart, 0, null_mut(), buf_len, &mut count);
            assert_eq!((status, count), (RoxStatus::NullPointer, 0));
            count = GARBAGE;
            let status = rox_chart_copy_timing(chart, 0, null_mut(), buf_len, &mut count);
            assert_eq!((status, count), (RoxStatus::NullPointer, 0));
            count = GARBAGE;
            let status = rox_chart_validate(chart, null_mut(), buf_len, &mut count);
            assert_eq!((status, count), (RoxStatus::NullPointer, 0));
        }
        let mut count = GARBAGE;
        let status = rox_chart_copy_notes(chart, 5, null_mut(), 0, &mut count);
        assert_eq!((status, count), (RoxStatus::InvalidArgument, 0));
        count = GARBAGE;
        assert_eq!(
            rox_chart_note_count(null(), &mut count),
            RoxStatus::NullPointer
        );
        assert_eq!(count, 0);
        count = GARBAGE;
        assert_eq!(
            rox_chart_timing_count(null(), &mut count),
            RoxStatus::NullPointer
        );
        assert_eq!(count, 0);
        let mut len = GARBAGE;
        let status = rox_issue_describe(null(), null_mut(), 0, &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));
        rox_chart_free(chart);
    }
}

#[test]
fn views() {
    let chart = chart_with_a_note();
    unsafe {
        let (mut notes, mut points): (*const RoxNote, *const RoxTimingPoint) =
            (garbage(), garbage());
        let mut len = GARBAGE;
        let status = rox_chart_notes_view(null(), &mut notes, &mut len);
        assert_eq!((status, notes, len), (RoxStatus::NullPointer, null(), 0));
        len = GARBAGE;
        let status = rox_chart_notes_view(chart, null_mut(), &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));
        len = GARBAGE;
        let status = rox_chart_timing_view(null(), &mut points, &mut len);
        assert_eq!((status, points, len), (RoxStatus::NullPointer, null(), 0));
        len = GARBAGE;
        let status = rox_chart_timing_view(chart, null_mut(), &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));
        rox_chart_free(chart);
    }
}

#[test]
fn sets() {
    unsafe {
        let mut set: *mut RoxChartSet = garbage();
        let status = rox_set_decode(b"garbage".as_ptr(), 7, 0, &mut set);
        assert_ne!(status, RoxStatus::Ok);
        assert!(set.is_null());
        set = garbage();
        let bad = RoxDecodeLimits::ZERO;
        let status = rox_set_decode_limited(b"x".as_ptr(), 1, 0, &bad, &mut set);
        assert_eq!((status, set), (RoxStatus::InvalidArgument, null_mut()));
        set = garbage();
        let status = rox_set_peek(null(), 3, 0, null(), &mut set);
        assert_eq!((status, set), (RoxStatus::NullPointer, null_mut()));
        // Bad options (here, their limits) are refused after the output is cleared.
        let mut options = RoxDecodeOptions::ZERO;
        assert_eq!(rox_decode_options_default(&mut options), RoxStatus::Ok);
        options.limits = RoxDecodeLimits::ZERO;
        set = garbage();
        let status = rox_set_decode_with_options(b"x".as_ptr(), 1, 0, &options, &mut set);
        assert_eq!((status, set), (RoxStatus::InvalidArgument, null_mut()));
        set = garbage();
        let status = rox_set_decode_with_options(null(), 3, 0, null(), &mut set);
        assert_eq!((status, set), (RoxStatus::NullPointer, null_mut()));
        set = garbage();
        let status = rox_set_peek_with_options(b"x".as_ptr(), 1, 0, &options, &mut set);
        assert_eq!((status, set), (RoxStatus::InvalidArgument, null_mut()));
        assert_eq!(
            rox_decode_options_default(null_mut()),
            RoxStatus::NullPointer
        );
        let mut count = GARBAGE;
        assert_eq!(rox_set_count(null(), &mut count), RoxStatus::NullPointer);
        assert_eq!(count, 0);
        count = GARBAGE;
        assert_eq!(
            rox_set_resource_count(null(), &mut count),
            RoxStatus::NullPointer
        );
        assert_eq!(count, 0);
        let mut chart: *mut RoxChart = garbage();
        assert_eq!(
            rox_set_get_chart(null(), 0, &mut chart),
            RoxStatus::NullPointer
        );
        assert!(chart.is_null());
        let mut len = GARBAGE;
        let status = rox_set_get_resource(null(), 0, null_mut(), 0, &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));
        let mut report: *mut RoxReport = garbage();
        assert_eq!(rox_set_report(null(), &mut report), RoxStatus::NullPointer);
        assert!(report.is_null());
        let (mut buf, mut len, mut report) = (garbage(), GARBAGE, garbage());
        let status = rox_set_encode_report(null(), 1, &mut buf, &mut len, &mut report);
        assert_eq!(status, RoxStatus::NullPointer);
        assert_eq!((buf, len, report), (null_mut(), 0, null_mut()));
        let (mut buf, mut len, mut report) = (garbage(), GARBAGE, garbage());
        let status = rox_set_encode_archive(null(), 2, null(), 0, &mut buf, &mut len, &mut report);
        assert_eq!(status, RoxStatus::NullPointer);
        assert_eq!((buf, len, report), (null_mut(), 0, null_mut()));
    }
}

#[test]
fn reports_and_the_last_error() {
    unsafe {
        let mut count = GARBAGE;
        assert_eq!(rox_report_count(null(), &mut count), RoxStatus::NullPointer);
        assert_eq!(count, 0);
        let mut loss: RoxLoss = std::mem::transmute([0xAAu8; 32]);
        assert_eq!(rox_report_get(null(), 0, &mut loss), RoxStatus::NullPointer);
        assert_eq!(loss, RoxLoss::ZERO);
        let mut len = GARBAGE;
        let status = rox_report_message(null(), 0, null_mut(), 0, &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));
        len = GARBAGE;
        let status = rox_last_error_message(null_mut(), 5, &mut len);
        assert_eq!((status, len), (RoxStatus::NullPointer, 0));
    }
}

#[test]
fn timelines() {
    unsafe {
        let mut timeline: *mut RoxTimeline = garbage();
        assert_eq!(
            rox_timeline_new(null(), 0, 0, &mut timeline),
            RoxStatus::NullPointer
        );
        assert!(timeline.is_null());
        let (mut beat, mut position, mut time) = (1.5, 1.5, 7i64);
        assert_eq!(
            rox_timeline_beat_at(null(), 0, &mut beat),
            RoxStatus::NullPointer
        );
        assert_eq!(
            rox_timeline_position_at(null(), 0, &mut position),
            RoxStatus::NullPointer
        );
        assert_eq!(
            rox_timeline_time_at(null(), 0.0, &mut time),
            RoxStatus::NullPointer
        );
        let mut factor = 1.5;
        assert_eq!(
            rox_timeline_speed_factor_at(null(), 0, &mut factor),
            RoxStatus::NullPointer
        );
        assert_eq!((beat, position, time, factor), (0.0, 0.0, 0, 0.0));
        let mut written = GARBAGE;
        let status = rox_timeline_copy_snaps(null(), 0, null_mut(), 0, &mut written);
        assert_eq!((status, written), (RoxStatus::NullPointer, 0));
        written = GARBAGE;
        let status = rox_timeline_copy_note_positions(null(), 0, null_mut(), 0, &mut written);
        assert_eq!((status, written), (RoxStatus::NullPointer, 0));
        written = GARBAGE;
        let status = rox_timeline_grid_lines(null(), 0, 1, null_mut(), 0, &mut written);
        assert_eq!((status, written), (RoxStatus::NullPointer, 0));
        written = GARBAGE;
        let status =
            rox_timeline_notes_in_time_window(null(), 0, 0, 1, null_mut(), 0, &mut written);
        assert_eq!((status, written), (RoxStatus::NullPointer, 0));
        let (mut start, mut end) = (GARBAGE, GARBAGE);
        let status = rox_timeline_notes_in_position_window(null(), 0.0, 1.0, &mut start, &mut end);
        assert_eq!((status, start, end), (RoxStatus::NullPointer, 0, 0));
        position = 1.5;
        let status = rox_timeline_position_in_group(null(), 0, 0, &mut position);
        assert_eq!((status, position), (RoxStatus::NullPointer, 0.0));
        written = GARBAGE;
        let status = rox_timeline_scroll_group_count(null(), &mut written);
        assert_eq!((status, written), (RoxStatus::NullPointer, 0));
        written = GARBAGE;
        let status = rox_timeline_copy_note_groups(null(), 0, null_mut(), 0, &mut written);
        assert_eq!((status, written), (RoxStatus::NullPointer, 0));
        written = GARBAGE;
        let status = rox_timeline_notes_in_view(null(), 0, 0.0, 1.0, null_mut(), 0, &mut written);
        assert_eq!((status, written), (RoxStatus::NullPointer, 0));
        // Batch outputs are as long as their input: a null timeline writes none of them.
        let mut out = [3.0; 2];
        let times = [0i64, 1];
        let status = rox_timeline_positions(null(), times.as_ptr(), 2, out.as_mut_ptr());
        assert_eq!((status, out), (RoxStatus::NullPointer, [3.0, 3.0]));
        let status = rox_timeline_beats(null(), times.as_ptr(), 2, out.as_mut_ptr());
        assert_eq!((status, out), (RoxStatus::NullPointer, [3.0, 3.0]));
    }
}

#[test]
fn analysis() {
    unsafe {
        let mut stats = RoxChartStats {
            struct_size: 7,
            bpm_dominant: 1.0,
            ..RoxChartStats::ZERO
        };
        assert_eq!(
            rox_chart_get_stats(null(), &mut stats),
            RoxStatus::NullPointer
        );
        assert_eq!(stats, RoxChartStats::ZERO);
        let mut count = GARBAGE;
        let status = rox_chart_copy_column_counts(null(), null_mut(), 0, &mut count);
        assert_eq!((status, count), (RoxStatus::NullPointer, 0));
        count = GARBAGE;
        let status = rox_chart_copy_chord_sizes(null(), null_mut(), 0, &mut count);
        assert_eq!((status, count), (RoxStatus::NullPointer, 0));
        let (mut nps, mut hash) = (3.5, 9u64);
        assert_eq!(
            rox_chart_max_nps(null(), 1, &mut nps),
            RoxStatus::NullPointer
        );
        assert_eq!(
            rox_chart_content_hash(null(), &mut hash),
            RoxStatus::NullPointer
        );
        assert_eq!((nps, hash), (0.0, 0));
        // The MD5 output is cleared before the data is checked.
        let mut md5 = [7u8; 16];
        assert_eq!(
            rox_file_md5(null(), 3, md5.as_mut_ptr()),
            RoxStatus::NullPointer
        );
        assert_eq!(md5, [0; 16]);
        // The density buckets are as long as the caller asks: a null chart writes none.
        let mut buckets = [5u64; 2];
        let status = rox_chart_density(null(), buckets.as_mut_ptr(), 2);
        assert_eq!((status, buckets), (RoxStatus::NullPointer, [5, 5]));
    }
}

/// A new export with an output must be added above: every function of `rox.h` that has an
/// `out` parameter is named in this file.
#[test]
fn every_export_with_an_output_is_tested_here() {
    let header = include_str!("../../include/rox.h");
    let this_file = include_str!("output_tests.rs");
    let mut tested = 0;
    for declaration in header.split("\nRoxStatus ").skip(1) {
        let (name, rest) = declaration.split_once('(').expect("a declaration");
        let (parameters, _) = rest.split_once(')').expect("a parameter list");
        if parameters.contains("*out") {
            assert!(
                this_file.contains(&format!("{name}(")),
                "{name} is not tested"
            );
            tested += 1;
        }
    }
    assert!(
        tested >= 30,
        "only {tested} exports with outputs found in rox.h"
    );
}

#[test]
fn star_rating() {
    let chart = chart_with_a_note();
    unsafe {
        for (chart, rate, status) in [
            (null(), 1.0, RoxStatus::NullPointer),
            (chart.cast_const(), f64::NAN, RoxStatus::InvalidArgument),
            (chart.cast_const(), 0.0, RoxStatus::InvalidArgument),
        ] {
            let mut stars = f64::from_bits(GARBAGE as u64);
            assert_eq!(rox_chart_star_rating(chart, rate, &mut stars), status);
            assert_eq!(stars.to_bits(), 0);
        }
        assert_eq!(
            rox_chart_star_rating(chart, 1.0, null_mut()),
            RoxStatus::NullPointer
        );
        let mut stars = f64::from_bits(GARBAGE as u64);
        assert_eq!(rox_chart_star_rating(chart, 1.0, &mut stars), RoxStatus::Ok);
        assert_eq!(stars, 0.0, "one note rates 0");
        rox_chart_free(chart);
    }
}

#[test]
fn patterns() {
    let chart = chart_with_a_note();
    unsafe {
        let mut shares = [f64::from_bits(GARBAGE as u64); 8];
        let status = rox_chart_pattern_shares(null(), 500_000, shares.as_mut_ptr(), 8);
        assert_eq!(status, RoxStatus::NullPointer);
        assert!(shares.iter().all(|s| s.to_bits() == 0));
        let status = rox_chart_pattern_shares(chart, 500_000, null_mut(), 1);
        assert_eq!(status, RoxStatus::NullPointer);
        shares[7] = 5.0;
        let status = rox_chart_pattern_shares(chart, 500_000, shares.as_mut_ptr(), 8);
        assert_eq!(status, RoxStatus::Ok);
        assert_eq!(shares, [0.0; 8], "one note has no section");

        let mut count = GARBAGE;
        let mut section = RoxPatternSection {
            notes: 9,
            ..RoxPatternSection::default()
        };
        let status = rox_chart_patterns(null(), 500_000, &mut section, 1, &mut count);
        assert_eq!((status, count), (RoxStatus::NullPointer, 0));
        count = GARBAGE;
        let status = rox_chart_patterns(chart, 500_000, null_mut(), 1, &mut count);
        assert_eq!((status, count), (RoxStatus::NullPointer, 0));
        let status = rox_chart_patterns(chart, 500_000, &mut section, 1, null_mut());
        assert_eq!(status, RoxStatus::NullPointer);
        count = GARBAGE;
        let status = rox_chart_patterns(chart, 500_000, null_mut(), 0, &mut count);
        assert_eq!((status, count), (RoxStatus::Ok, 0));
        rox_chart_free(chart);
    }
}
