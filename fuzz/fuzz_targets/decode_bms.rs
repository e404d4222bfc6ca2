#![no_main]
//! Any bytes: the BMS decoder returns a chart or an error (never a panic, hang or huge
//! allocation: Shift_JIS text, `#RANDOM` nesting, measure lengths and tempos of any value),
//! and every writer's output for a chart it returns reads back.
use libfuzzer_sys::fuzz_target;
use rox::{decode, Format};

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(chart) = decode(data, Format::Bms) {
        common::every_encoding_decodes(&chart);
        common::same_format_keeps(&chart, Format::Bms);
    }
});
