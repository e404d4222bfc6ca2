//! `cargo bench --bench ffi_copy`: every note of the 54K-note corpus chart out through the C
//! ABI, copied (`rox_chart_copy_notes`) and borrowed (`rox_chart_notes_view`), with a memcpy of
//! the same bytes as the floor in the same group.

use std::ptr::{null, null_mut};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rox::ffi::{
    rox_chart_copy_notes, rox_chart_decode, rox_chart_free, rox_chart_note_count,
    rox_chart_notes_view, RoxNote, RoxStatus,
};

#[path = "../tests/common/mod.rs"]
mod common;

fn copy_benches(c: &mut Criterion) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes =
        std::fs::read(corpus.join("osu/mania_4K_50K_notes.osu")).expect("the benchmark chart");
    let mut chart = null_mut();
    let mut count = 0;
    unsafe {
        assert_eq!(
            rox_chart_decode(bytes.as_ptr(), bytes.len(), 0, &mut chart),
            RoxStatus::Ok
        );
        assert_eq!(rox_chart_note_count(chart, &mut count), RoxStatus::Ok);
    }
    let mut buf = vec![RoxNote::default(); count];
    let source = buf.clone();

    let mut group = c.benchmark_group("54K notes through the C ABI");
    group.bench_function("memcpy of the same bytes (floor)", |b| {
        b.iter(|| buf.copy_from_slice(black_box(&source)))
    });
    group.bench_function("rox_chart_copy_notes", |b| {
        b.iter(|| unsafe {
            let mut written = 0;
            let status = rox_chart_copy_notes(chart, 0, buf.as_mut_ptr(), count, &mut written);
            assert_eq!((status, written), (RoxStatus::Ok, count));
        })
    });
    group.bench_function("rox_chart_notes_view, every time_us read", |b| {
        b.iter(|| unsafe {
            let (mut notes, mut len) = (null(), 0);
            assert_eq!(
                rox_chart_notes_view(chart, &mut notes, &mut len),
                RoxStatus::Ok
            );
            let notes = std::slice::from_raw_parts(notes, len);
            notes
                .iter()
                .map(|n| n.time_us)
                .fold(0i64, i64::wrapping_add)
        })
    });
    group.finish();
    unsafe { rox_chart_free(chart) };
}

criterion_group!(benches, copy_benches);
criterion_main!(benches);
