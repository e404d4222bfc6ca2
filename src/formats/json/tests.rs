use super::member::{METADATA, META_TEXT_FIELDS};
use super::*;
use crate::model::{MetaField, Note, TimingPoint};
use crate::{Error, Format};

fn sample() -> Chart {
    let mut chart = Chart::new(4);
    chart.metadata.title = "quote \" backslash \\ tab \t nul \u{0} é 𝄞".into();
    chart.metadata.hp_drain = Some(f64::NAN);
    chart.metadata.difficulty_level = Some(1e300);
    chart.metadata.chart_id = Some(i64::MIN);
    chart.timing.push(TimingPoint::bpm(-5, 0.1 + 0.2, 4));
    chart.timing.push(TimingPoint::scroll(0, 5e-324));
    chart.metadata.overall_difficulty = Some(f64::NEG_INFINITY);
    chart.notes.push(Note::tap(0, 3));
    chart.notes.push(Note::hold(10, 5, 0));
    chart.notes[0].sound.custom_index = u32::MAX;
    chart.notes[0].keysound = Some(0);
    chart.keysounds.push("kick.wav".into());
    chart
        .extras
        .push(("osu.Colours".into(), "line\nbreak".into()));
    chart.source_format = Some(Format::Osu);
    chart
}

/// Charts with NaN are equal to themselves only bit for bit: compare the text instead.
fn same(a: &Chart, b: &Chart) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

#[test]
fn metadata_text_members_are_the_meta_field_names() {
    let names: Vec<&str> = MetaField::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(&METADATA[..META_TEXT_FIELDS], &names[..]);
}

#[test]
fn every_value_survives_and_the_text_is_deterministic() {
    let chart = sample();
    let bytes = encode(&chart);
    assert!(is_rox_json(&bytes));
    let back = decode_limited(&bytes, &DecodeLimits::default()).unwrap();
    assert!(same(&chart, &back), "{back:?}");
    assert_eq!(encode(&back), bytes);
}

fn refuses(text: &str) -> Error {
    decode_limited(text.as_bytes(), &DecodeLimits::default()).unwrap_err()
}

#[test]
fn hostile_json_is_refused() {
    let good = String::from_utf8(encode(&sample())).unwrap();
    let cases = [
        good.replacen("\"version\": 1", "\"version\": 1, \"version\": 1", 1),
        good.replacen("\"key_count\": 4", "\"key_count\": 4, \"extra\": 0", 1),
        good.replacen("\"key_count\": 4", "\"key_count\": 4.0", 1),
        good.replacen("\"key_count\": 4", "\"key_count\": 400", 1),
        good.replacen("1e300", "1e999", 1),
        good.replacen("\"version\": 1", "\"version\": 99999999999999999999", 1),
        good.replacen("kick.wav", "\\ud800", 1),
        good.replacen("\"notes\": [", "\"notes\": [[[[[[[[", 1),
        good.clone() + "x",
        good[..good.len() / 2].to_string(),
    ];
    for case in &cases {
        assert!(matches!(refuses(case), Error::Parse { .. }), "{case}");
    }
    let mut invalid = good.into_bytes();
    invalid[40] = 0xff;
    assert!(matches!(
        decode_limited(&invalid, &DecodeLimits::default()),
        Err(Error::Parse { .. })
    ));
    assert!(matches!(
        refuses(&String::from_utf8(encode(&sample())).unwrap().replacen(
            "\"version\": 1",
            "\"version\": 2",
            1
        )),
        Error::UnsupportedVersion { .. }
    ));
}

#[test]
fn limits_are_checked_as_elements_arrive() {
    let bytes = encode(&sample());
    let limits = DecodeLimits {
        max_notes: 1,
        ..DecodeLimits::default()
    };
    assert!(matches!(
        decode_limited(&bytes, &limits),
        Err(Error::LimitExceeded {
            field: "max_notes",
            ..
        })
    ));
    let limits = DecodeLimits {
        max_text_bytes: 10,
        ..DecodeLimits::default()
    };
    assert!(matches!(
        decode_limited(&bytes, &limits),
        Err(Error::LimitExceeded {
            field: "max_text_bytes",
            ..
        })
    ));
}

/// Numbers valued from their scanned digits give what `parse_f64` gives their text, bit for
/// bit, and integers what `str::parse` gives.
#[test]
fn scanned_numbers_are_parsed_numbers() {
    let mut texts: Vec<String> = [
        "0",
        "-0",
        "-0.0",
        "7139",
        "0.5",
        "123456789012345",
        "1234567890123456",
        "-9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "1e5",
        "-1.5E-3",
        "999999999999999.9",
        "0.000000000000001",
        "461.538",
        "4294967296",
        "-1",
    ]
    .map(String::from)
    .to_vec();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..100_000 {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
        let digits = (state >> 20) % 10_u64.pow(1 + (state % 19) as u32);
        let text = digits.to_string();
        let point = (state >> 8) as usize % (text.len() + 1);
        let sign = if state & 1 == 0 { "" } else { "-" };
        texts.push(match point {
            0 => format!("{sign}{text}"),
            _ if text.len() > point && text.len() > 1 && &text[..1] != "0" => {
                format!("{sign}{}.{}", &text[..point], &text[point..])
            }
            _ => format!("{sign}{text}"),
        });
    }
    for text in &texts {
        let mut p = read::Parser::new(text.as_bytes()).unwrap();
        let n = p.number_token().unwrap();
        let expected = crate::formats::text::parse_f64(text.as_bytes()).unwrap();
        assert_eq!(n.value().to_bits(), expected.to_bits(), "{text}");
        let mut p = read::Parser::new(text.as_bytes()).unwrap();
        assert_eq!(p.integer::<u64>().ok(), text.parse::<u64>().ok(), "{text}");
        let mut p = read::Parser::new(text.as_bytes()).unwrap();
        assert_eq!(p.integer::<i64>().ok(), text.parse::<i64>().ok(), "{text}");
        let mut p = read::Parser::new(text.as_bytes()).unwrap();
        assert_eq!(p.integer::<u32>().ok(), text.parse::<u32>().ok(), "{text}");
    }
    // JSON's own rules, where they differ from `str::parse`, and the ends of u64.
    for (text, expected) in [
        ("0", Some(0)),
        ("01", None),
        ("1e5", None),
        ("1E5", None),
        ("1.0", None),
        ("-0", None),
        ("18446744073709551615", Some(u64::MAX)),
        ("18446744073709551616", None),
    ] {
        let mut p = read::Parser::new(text.as_bytes()).unwrap();
        assert_eq!(p.integer::<u64>().ok(), expected, "{text}");
    }
}
