#![no_main]
//! Any bytes: the Quaver decoder returns a chart or an error, a chart it returns that is
//! valid survives a `.qua` round trip unchanged when writing it reports no loss, every
//! writer's output for it reads back, and the scroll groups it keeps read back for a Quaver
//! timeline.
use libfuzzer_sys::fuzz_target;
use rox::formats::quaver;
use rox::model::ConversionReport;
use rox::timeline::{Rules, Timeline, TimelineOptions};
use rox::Error;

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    quaver::is_qua(data);
    let Ok(chart) = quaver::decode(data, &mut ConversionReport::default()) else {
        return;
    };
    common::every_encoding_decodes(&chart);
    match Timeline::new(&chart, TimelineOptions::for_rules(Rules::Quaver)) {
        Ok(timeline) => {
            timeline.note_positions();
            let _ = timeline.notes_in_view(0, -1e4, 1e4);
        }
        Err(e @ Error::Parse { .. }) => panic!("the decoder's scroll groups do not read back: {e}"),
        Err(_) => {}
    }
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
