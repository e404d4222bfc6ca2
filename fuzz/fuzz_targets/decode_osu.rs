#![no_main]
//! Any bytes: the osu! decoder returns a chart or an error, a chart it returns survives
//! an osu! round trip unchanged when it is valid, and every writer's output for it reads back.
use libfuzzer_sys::fuzz_target;
use rox::{decode, encode, Format};

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(chart) = decode(data, Format::Osu) {
        common::every_encoding_decodes(&chart);
        common::same_format_keeps(&chart, Format::Osu);
        if let Ok(bytes) = encode(&chart, Format::Osu) {
            let again = decode(&bytes, Format::Osu).expect("re-decoding our own output");
            assert_eq!(again.notes, chart.notes);
        }
    }
});
