//! `.rox.json` over every chart there is: each decodes back to the chart it was written from,
//! and `.rox` → `.rox.json` → `.rox` gives the same bytes back.

mod common;

use rox::formats::json;
use rox::{decode_set, encode, Chart, DecodeLimits, Format};

/// `.rox.json` of `chart` read back; `Err` says what differs.
fn through_json(chart: &Chart) -> Result<Chart, String> {
    let text = json::encode(chart);
    if Format::detect(&text) != Some(Format::RoxJson) {
        return Err("not detected as .rox.json".into());
    }
    let back = json::decode_limited(&text, &DecodeLimits::default())
        .map_err(|e| format!("decode failed: {e}"))?;
    if json::encode(&back) != text {
        return Err("written again, the text differs".into());
    }
    Ok(back)
}

#[test]
fn every_chart_survives_rox_json_and_rox_bytes_come_back_identical() {
    let (mut charts, mut failures) = (0, Vec::new());
    for (name, path) in common::chart_files() {
        let Ok(set) = decode_set(&std::fs::read(&path).unwrap(), Format::Auto) else {
            continue; // Unreadable on purpose (conformance.rs lists them).
        };
        for (i, chart) in set.charts.iter().enumerate() {
            charts += 1;
            let checked = through_json(chart).and_then(|back| {
                if back != *chart {
                    return Err("the chart read back differs".into());
                }
                // Charts .rox refuses (fatal validation issues) are not this test's business.
                let Ok(packed) = encode(chart, Format::Rox) else {
                    return Ok(());
                };
                let unpacked = rox::decode(&packed, Format::Rox).map_err(|e| e.to_string())?;
                let again =
                    encode(&through_json(&unpacked)?, Format::Rox).map_err(|e| e.to_string())?;
                if again != packed {
                    return Err(".rox → .rox.json → .rox changed the bytes".into());
                }
                Ok(())
            });
            if let Err(e) = checked {
                failures.push(format!("{name} chart {i}: {e}"));
            }
        }
    }
    eprintln!("json: {charts} charts checked");
    assert!(charts > 20, "only {charts} charts read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
