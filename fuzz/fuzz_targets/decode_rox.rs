#![no_main]
//! Any bytes: the .rox decoder returns a chart or an error; what it accepts re-encodes to a
//! file that decodes to the same chart, and every writer's output for it reads back.
use libfuzzer_sys::fuzz_target;
use rox::{decode, encode, Format};

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(chart) = decode(data, Format::Rox) {
        common::every_encoding_decodes(&chart);
        let bytes = encode(&chart, Format::Rox).expect("a decoded .rox chart is valid");
        assert_eq!(decode(&bytes, Format::Rox).expect("re-decoding our own output"), chart);
    }
});
