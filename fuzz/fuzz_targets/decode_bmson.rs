#![no_main]
//! Any bytes: the bmson decoder returns a chart or an error (never a panic, hang or huge
//! allocation: pulses, lengths, resolutions and tempos of any value, any nesting of unknown
//! members), and every writer's output for a chart it returns reads back.
use libfuzzer_sys::fuzz_target;
use rox::{decode, Format};

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(chart) = decode(data, Format::Bmson) {
        common::every_encoding_decodes(&chart);
        common::same_format_keeps(&chart, Format::Bmson);
    }
});
