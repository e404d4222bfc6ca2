#![no_main]
//! Any bytes, decoded with format detection: every analysis of each chart (statistics, density,
//! NPS over odd windows, content hash, osu!mania star rating at three clock rates) ends without
//! a panic and gives finite, non-negative figures; the density curve counts every played note
//! once; and `peek` reads what the decode read, but the notes.
use libfuzzer_sys::fuzz_target;
use rox::analysis::star::star_rating;
use rox::analysis::{content_hash, density, max_nps, statistics};
use rox::Format;

/// Charts looked at per input: enough for every construct, cheap per run.
const CHARTS: usize = 3;

fuzz_target!(|data: &[u8]| {
    let Ok(set) = rox::decode_set(data, Format::Auto) else {
        return;
    };
    let peeked = rox::peek(data, Format::Auto).expect("what decodes also peeks");
    assert_eq!(peeked.charts.len(), set.charts.len(), "peek: chart count");
    for (chart, header) in set.charts.iter().zip(&peeked.charts).take(CHARTS) {
        assert!(header.notes.is_empty(), "peek reads no notes");
        assert_eq!(
            (&header.metadata, header.key_count, &header.timing),
            (&chart.metadata, chart.key_count, &chart.timing),
            "peek: what is not notes"
        );
        let stats = statistics(chart);
        let figures = [
            stats.bpm.min,
            stats.bpm.max,
            stats.bpm.dominant,
            stats.average_nps,
            stats.max_nps,
        ];
        assert!(figures.iter().all(|v| v.is_finite() && *v >= 0.0), "{stats:?}");
        assert!(stats.drain_us >= 0 && stats.drain_us <= stats.length_us, "{stats:?}");
        let played: u64 = stats.column_counts.iter().sum();
        for buckets in [0, 1, 7, 100] {
            let curve = density(chart, buckets);
            assert_eq!(curve.len(), buckets);
            if buckets > 0 {
                assert_eq!(curve.iter().sum::<u64>(), played, "density of {buckets}");
            }
        }
        for window in [i64::MIN, -1, 0, 1, 1_000_000, i64::MAX] {
            let nps = max_nps(chart, window);
            assert!(nps.is_finite() && nps >= 0.0, "max_nps({window}) = {nps}");
        }
        let _ = content_hash(chart);
        for rate in [0.75, 1.0, 1.5] {
            if let Ok(stars) = star_rating(chart, rate) {
                assert!(stars.is_finite() && stars >= 0.0, "stars at {rate}: {stars}");
            }
        }
    }
});
