#![no_main]
//! Any bytes: the .rox.json decoder returns a chart or an error; what it accepts re-encodes to
//! text that decodes to the same chart (compared by `Debug`, which tells every f64 apart but
//! lets NaN equal NaN), and every writer's output for it reads back.
use libfuzzer_sys::fuzz_target;
use rox::{decode, encode, Format};

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(chart) = decode(data, Format::RoxJson) {
        common::every_encoding_decodes(&chart);
        let text = encode(&chart, Format::RoxJson).expect("a decoded .rox.json chart is valid");
        let back = decode(&text, Format::RoxJson).expect("re-decoding our own output");
        assert_eq!(format!("{back:?}"), format!("{chart:?}"));
        assert_eq!(encode(&back, Format::RoxJson).expect("valid"), text);
    }
});
