#![no_main]
//! Any bytes: the StepMania decoder (both dialects, chosen by the first byte) returns charts or
//! an error, charts it returns survive a round trip unchanged when writing reports no loss, and
//! every writer's output for each reads back.
use libfuzzer_sys::fuzz_target;
use rox::formats::stepmania::{self, Dialect};
use rox::model::ConversionReport;

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&first, data)) = data.split_first() else { return };
    let dialect = if first & 1 == 0 { Dialect::Sm } else { Dialect::Ssc };
    let Ok(charts) = stepmania::decode(data, dialect, &mut ConversionReport::default()) else {
        return;
    };
    charts.iter().for_each(common::every_encoding_decodes);
    if charts.iter().any(|c| c.validate().iter().any(|i| i.kind.is_fatal())) {
        return;
    }
    let mut report = ConversionReport::default();
    if let Ok(bytes) = stepmania::encode(&charts, dialect, &mut report) {
        let again = stepmania::decode(&bytes, dialect, &mut ConversionReport::default())
            .expect("re-decoding our own output");
        if report.is_empty() {
            assert_eq!(again, charts);
        }
    }
});
