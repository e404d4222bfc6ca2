#![no_main]
//! Any bytes: the FNF decoder returns charts or an error (for either side and both), a chart
//! it returns survives an FNF round trip with the same notes when it is valid, and every
//! writer's output for it reads back.
use libfuzzer_sys::fuzz_target;
use rox::formats::fnf::{decode_set_with, FnfOptions, Sides};
use rox::{decode, encode, DecodeLimits, Format};

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(chart) = decode(data, Format::Fnf) {
        common::every_encoding_decodes(&chart);
        common::same_format_keeps(&chart, Format::Fnf);
        if let Ok(bytes) = encode(&chart, Format::Fnf) {
            let again = decode(&bytes, Format::Fnf).expect("re-decoding our own output");
            assert_eq!(again.notes, chart.notes);
        }
    }
    for sides in [Sides::Opponent, Sides::Both] {
        let _ = decode_set_with(data, &FnfOptions { sides }, &DecodeLimits::default());
    }
});
