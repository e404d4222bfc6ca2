#![no_main]
//! Any bytes: the Quaver decoder returns a chart or an error, a chart it returns that is
//! valid survives a `.qua` round trip unchanged when writing it reports no loss, and every
//! writer's output for it reads back.
use libfuzzer_sys::fuzz_target;
use rox::formats::quaver;
use rox::model::ConversionReport;

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    quaver::is_qua(data);
    let Ok(chart) = quaver::decode(data, &mut ConversionReport::default()) else {
        return;
    };
    common::every_encoding_decodes(&chart);
    if chart.validate().iter().any(|i| i.kind.is_fatal()) {
        return;
    }
    let mut report = ConversionReport::default();
    if let Ok(bytes) = quaver::encode(&chart, &mut report) {
        let again = quaver::decode(&bytes, &mut ConversionReport::default())
            .expect("re-decoding our own output");
        if report.is_empty() {
            assert_eq!(again, chart);
        }
    }
});
