//! `Chart` → `.osu` v14, laid out as osu! writes mania maps.
//!
//! What osu! cannot express is left out and listed in the report: stops, delays and warps
//! (note times stay exact, only the scrolling differs), mines and fakes; rolls become holds and
//! lifts notes; scroll speeds of zero or less become the slowest speed a file can hold;
//! metadata ROX has but osu! lacks (subtitle, genre, description, numeric level, style) and
//! the chart's extras are not written, but for the order of chord notes a `.osu` file gave
//! (`object_order`), which the hit objects keep. Note and timing times are written exactly (fractional
//! ms), so they never move.

use std::io::Write as _;

use super::{object_order, x_of, MAX_NUMBER, MAX_TIME_US};
use crate::formats::text::{push_int, push_ms};
use crate::model::{
    scroll_set_at, Chart, ConversionReport, HitSound, LossKind, Metadata, Note, NoteKind,
    TimingKind, TimingPoint, MAX_KEYS,
};
use crate::timeline::tempo_change_resets_scroll;
use crate::{Error, Result};

pub fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    let keys = chart.key_count;
    if keys == 0 || keys > MAX_KEYS {
        return Err(Error::InvalidKeyCount(keys.into()));
    }
    let m = &chart.metadata;
    report_metadata(chart, report);
    let capacity = 1024 + chart.timing.len() * 48 + chart.notes.len() * 32;
    let mut w = Writer {
        out: Vec::with_capacity(capacity),
    };
    w.general(m, report)?;
    w.metadata(m);
    w.difficulty(m, keys);
    w.events(m)?;
    w.timing_points(chart, report)?;
    w.hit_objects(chart, report)?;
    Ok(w.out)
}

/// Lists what of the chart's metadata and extras has no place in a `.osu` file, or is changed
/// on the way (line breaks in a one-line value).
fn report_metadata(chart: &Chart, report: &mut ConversionReport) {
    let m = &chart.metadata;
    let unwritten = [
        ("subtitle", !m.subtitle.is_empty()),
        ("genre", !m.genre.is_empty()),
        ("description", !m.description.is_empty()),
        ("difficulty level", m.difficulty_level.is_some()),
        ("style", !m.style.is_empty()),
    ];
    for (field, present) in unwritten {
        if present {
            report.push(
                LossKind::MetadataDropped,
                format!("{field} not written: .osu has no such field"),
            );
        }
    }
    for (field, value) in [
        ("title", &m.title),
        ("unicode title", &m.title_unicode),
        ("artist", &m.artist),
        ("unicode artist", &m.artist_unicode),
        ("creator", &m.creator),
        ("difficulty name", &m.difficulty_name),
        ("source", &m.source),
        ("tags", &m.tags),
    ] {
        if value.contains(['\r', '\n']) {
            report.push(
                LossKind::MetadataDropped,
                format!("{field}: line breaks written as spaces (a .osu value is one line)"),
            );
        }
    }
    // The .osu decoder keeps only the order of chords (written as the order of hit objects),
    // so whatever else a chart holds comes from another format.
    for (key, _) in chart.extras.iter().filter(|(k, _)| k != object_order::KEY) {
        report.push(
            LossKind::MetadataDropped,
            format!("{key} not written: .osu has no place for it"),
        );
    }
}

struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// `[General]` and `[Editor]`, with the header before them.
    fn general(&mut self, m: &Metadata, report: &mut ConversionReport) -> Result<()> {
        self.str("osu file format v14\n\n[General]\nAudioFilename: ");
        self.str(file_name("audio", &m.audio_file, &[])?);
        self.str("\nAudioLeadIn: 0\nPreviewTime: ");
        match m.preview_time_us {
            // osu! reads this one as whole ms: rounded to the nearest, ties away from zero.
            Some(t) => {
                // Saturating: a time past i64's range is refused below as it was given.
                let rounded = (t / 1000 + t % 1000 / 500).saturating_mul(1000);
                if rounded != t {
                    report
                        .push(
                            LossKind::MetadataDropped,
                            "preview time rounded to whole ms (.osu PreviewTime is an integer)",
                        )
                        .at_time(t)
                        .shifted(rounded - t);
                }
                self.time(rounded, "preview time")?
            }
            None => self.str("-1"),
        }
        // Timing points carry their own sample sets; with `None` here, a 0 among them ("the map's
        // default") reads back as 0 (osu! plays the normal bank for it).
        self.str("\nCountdown: 0\nSampleSet: None\nStackLeniency: 0.7\nMode: 3\nLetterboxInBreaks: 0\nSpecialStyle: ");
        self.int(u8::from(m.has_scratch));
        self.str("\nWidescreenStoryboard: 0\n\n[Editor]\nDistanceSpacing: 1\nBeatDivisor: 4\nGridSize: 4\nTimelineZoom: 1\n");
        Ok(())
    }

    /// `[Metadata]`.
    fn metadata(&mut self, m: &Metadata) {
        self.str("\n[Metadata]\n");
        for (key, value) in [
            ("Title", &m.title),
            ("TitleUnicode", &m.title_unicode),
            ("Artist", &m.artist),
            ("ArtistUnicode", &m.artist_unicode),
            ("Creator", &m.creator),
            ("Version", &m.difficulty_name),
            ("Source", &m.source),
            ("Tags", &m.tags),
        ] {
            self.text_line(key, value);
        }
        // osu! writes online ids only for submitted maps.
        for (key, id) in [("BeatmapID:", m.chart_id), ("BeatmapSetID:", m.set_id)] {
            if let Some(id) = id.filter(|&id| id > 0) {
                self.str(key);
                self.int(id);
                self.str("\n");
            }
        }
    }

    /// `[Difficulty]`.
    fn difficulty(&mut self, m: &Metadata, keys: u8) {
        self.str("\n[Difficulty]\n");
        // Absent values are left out so that osu!'s defaults apply and a re-read chart is unchanged.
        if let Some(hp) = m.hp_drain.filter(|v| v.is_finite()) {
            self.float_line("HPDrainRate:", hp);
        }
        self.str("CircleSize:");
        self.int(keys);
        self.str("\n");
        if let Some(od) = m.overall_difficulty.filter(|v| v.is_finite()) {
            self.float_line("OverallDifficulty:", od);
        }
        self.str("ApproachRate:5\nSliderMultiplier:1.4\nSliderTickRate:1\n");
    }

    /// `[Events]`: the background.
    fn events(&mut self, m: &Metadata) -> Result<()> {
        self.str("\n[Events]\n//Background and Video events\n");
        if !m.background_file.is_empty() {
            self.str("0,0,\"");
            self.str(file_name("background", &m.background_file, &['"', ','])?);
            self.str("\",0,0\n");
        }
        Ok(())
    }

    /// `[TimingPoints]`: red lines for tempos, green lines for scroll speeds.
    fn timing_points(&mut self, chart: &Chart, report: &mut ConversionReport) -> Result<()> {
        self.str("\n[TimingPoints]\n");
        // Green lines repeat the meter of the red line before them, as osu! does.
        let mut meter = 4;
        // osu! sets the speed back to 1 at each red line; a chart whose game keeps it gets a
        // green line there.
        let keep_speed = !tempo_change_resets_scroll(chart);
        let mut speed = 1.0;
        for (index, t) in chart.timing.iter().enumerate() {
            // What a reader computes from the beat length: the tempo or speed it gets back.
            let (beat_length, red, numerator, value) = match t.kind {
                TimingKind::Bpm { bpm: 0.0, .. } => {
                    // A red line of beat length 60000/0 means nothing; note times are absolute,
                    // so leaving it out moves nothing.
                    report
                        .push(
                            LossKind::TimingDropped,
                            "BPM of zero dropped: a .osu red line cannot have an infinite beat length",
                        )
                        .at(index, t.time_us);
                    continue;
                }
                TimingKind::Bpm { bpm, meter: m } => {
                    meter = readable_meter(m);
                    if meter != m {
                        report
                            .push(
                                LossKind::TimingChanged,
                                format!("meter {m} written as {meter}: .osu reads 1 to 2^31 − 1"),
                            )
                            .at(index, t.time_us);
                    }
                    (exact_divisor(60_000.0, bpm), true, 60_000.0, bpm)
                }
                TimingKind::Scroll { multiplier } => {
                    speed = multiplier;
                    (green_beat_length(multiplier), false, -100.0, multiplier)
                }
                TimingKind::Stop { .. } | TimingKind::Delay { .. } | TimingKind::Warp { .. } => {
                    report
                        .push(
                            LossKind::TimingDropped,
                            format!("{} dropped: .osu has no {0}s", t.kind.name()),
                        )
                        .at(index, t.time_us);
                    continue;
                }
            };
            let beat_length = beat_length.clamp(-MAX_NUMBER, MAX_NUMBER);
            let read_back = numerator / beat_length;
            if read_back != value {
                report
                    .push(
                        LossKind::TimingChanged,
                        format!(
                            "{} {value} written as {read_back}, the nearest a .osu beat length gives",
                            t.kind.name()
                        ),
                    )
                    .at(index, t.time_us);
            }
            self.timing_point(t, beat_length, meter, red)?;
            if red && keep_speed && speed != 1.0 && !scroll_set_at(&chart.timing, t.time_us) {
                self.timing_point(t, green_beat_length(speed), meter, false)?;
            }
        }
        Ok(())
    }

    /// One line of `[TimingPoints]`, with `t`'s time and sample settings.
    fn timing_point(
        &mut self,
        t: &TimingPoint,
        beat_length: f64,
        meter: u32,
        red: bool,
    ) -> Result<()> {
        self.time(t.time_us, "timing point")?;
        self.str(",");
        self.float(beat_length);
        for v in [
            meter,
            t.sample_set.into(),
            t.sample_index,
            t.volume.into(),
            red.into(),
            t.effects.into(),
        ] {
            self.str(",");
            self.int(v);
        }
        self.str("\n");
        Ok(())
    }

    /// `[HitObjects]`, with what changes on the way in `report`.
    fn hit_objects(&mut self, chart: &Chart, report: &mut ConversionReport) -> Result<()> {
        self.str("\n\n[HitObjects]\n");
        for index in object_order::file_order(chart) {
            let note = &chart.notes[index];
            let change = match note.kind {
                NoteKind::Tap | NoteKind::Hold => None,
                NoteKind::Roll => Some((
                    LossKind::NoteChanged,
                    "roll written as a hold: .osu has no rolls",
                )),
                NoteKind::Lift => Some((
                    LossKind::NoteChanged,
                    "lift written as a tap: .osu has no lifts",
                )),
                NoteKind::Mine => Some((LossKind::NoteDropped, "mine dropped: .osu has no mines")),
                NoteKind::Fake => Some((
                    LossKind::NoteDropped,
                    "fake note dropped: .osu has no fake notes",
                )),
            };
            if let Some((kind, message)) = change {
                report.push(kind, message).at(index, note.time_us);
            }
            self.hit_object(note, chart.key_count, &chart.keysounds)?;
        }
        Ok(())
    }

    fn str(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    fn int(&mut self, v: impl Into<i64>) {
        push_int(&mut self.out, v.into());
    }

    /// Shortest text that reads back as the same f64.
    fn float(&mut self, v: f64) {
        write!(self.out, "{v}").expect("writing to a Vec cannot fail");
    }

    fn float_line(&mut self, key: &str, v: f64) {
        self.str(key);
        self.float(v);
        self.str("\n");
    }

    /// `Key:value`; a line break inside the value would end the line, so it becomes a space.
    fn text_line(&mut self, key: &str, value: &str) {
        self.str(key);
        self.str(":");
        self.out.extend(
            value
                .bytes()
                .map(|b| if matches!(b, b'\r' | b'\n') { b' ' } else { b }),
        );
        self.str("\n");
    }

    /// A time in ms with the exact fraction of µs (`1234.5`), so that nothing moves; osu!
    /// reads fractional times.
    fn time(&mut self, us: i64, what: &str) -> Result<()> {
        if us.unsigned_abs() > MAX_TIME_US {
            return Err(Error::InvalidArgument(format!(
                "{what} at {us} µs is beyond the ±2^31 ms a .osu file can hold"
            )));
        }
        push_ms(&mut self.out, us);
        Ok(())
    }

    /// `x,192,time,1,hitSound,normal:addition:index:volume:file` for a note,
    /// `x,192,time,128,hitSound,end:normal:addition:index:volume:file` for a hold.
    fn hit_object(&mut self, note: &Note, keys: u8, keysounds: &[String]) -> Result<()> {
        let hold = match note.kind {
            NoteKind::Tap | NoteKind::Lift => false,
            NoteKind::Hold | NoteKind::Roll => true,
            NoteKind::Mine | NoteKind::Fake => return Ok(()),
        };
        let file = match note.keysound {
            None => "",
            Some(k) => {
                let name = keysounds.get(k as usize).ok_or_else(|| {
                    Error::InvalidArgument(format!(
                        "note at {} µs plays keysound {k}, which is not in the keysound list",
                        note.time_us
                    ))
                })?;
                if name.is_empty() {
                    return Err(Error::InvalidArgument(format!(
                        "keysound {k} has an empty file name"
                    )));
                }
                file_name("keysound", name, &[',', ':'])?
            }
        };
        let s = &note.sound;
        self.int(x_of(note.column, keys));
        self.str(",192,");
        self.time(note.time_us, "note")?;
        self.str(if hold { ",128," } else { ",1," });
        self.int(s.flags);
        self.str(",");
        if hold {
            self.time(note.end_time_us(), "hold end")?;
            self.str(":");
        }
        if file.is_empty()
            && *s
                == (HitSound {
                    flags: s.flags,
                    ..HitSound::default()
                })
        {
            // Everything inherited: the sample of nearly every note.
            self.str("0:0:0:0:\n");
            return Ok(());
        }
        for v in [
            s.normal_set.into(),
            s.addition_set.into(),
            s.custom_index,
            s.volume.into(),
        ] {
            self.int(v);
            self.str(":");
        }
        self.str(file);
        self.str("\n");
        Ok(())
    }
}

/// osu! has no escaping: a file name must not contain what ends its field or line, nor `//`
/// (a comment outside `[Metadata]`), and loses surrounding whitespace.
fn file_name<'n>(what: &str, name: &'n str, separators: &[char]) -> Result<&'n str> {
    let problem = if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '\r' | '\n') || separators.contains(c))
    {
        format!("contains {c:?}")
    } else if name.contains("//") {
        "contains \"//\"".to_owned()
    } else if name.trim() != name {
        "starts or ends with whitespace".to_owned()
    } else {
        return Ok(name);
    };
    Err(Error::InvalidArgument(format!(
        "{what} file name {name:?} cannot be written to .osu: it {problem}"
    )))
}

/// A green line's beat length for a speed: −100 / speed; osu!'s slowest (speed 0.01, as lazer
/// clamps it) for a speed of zero or less.
fn green_beat_length(speed: f64) -> f64 {
    // Clamped here too: a green line that restores the speed after a red line is written
    // from this alone (found by fuzzing: a speed of 5e-10 gave a beat length of -2e11).
    let length = if speed > 0.0 {
        exact_divisor(-100.0, speed)
    } else {
        -MAX_NUMBER
    };
    length.clamp(-MAX_NUMBER, MAX_NUMBER)
}

/// The f64 `d` next to `numerator / target` for which `numerator / d == target` exactly (how a
/// reader turns a beat length back into a BPM or scroll speed), so that the value read back is
/// the one written; of several, the one with the shortest text. Falls back to the plain
/// quotient when no neighbour is exact.
fn exact_divisor(numerator: f64, target: f64) -> f64 {
    let guess = numerator / target;
    let mut best: Option<(usize, f64)> = None;
    for step in [0i64, -1, 1, -2, 2] {
        let candidate = f64::from_bits(guess.to_bits().wrapping_add_signed(step));
        if candidate.is_finite() && numerator / candidate == target {
            let len = candidate.to_string().len();
            if best.map_or(true, |(shortest, _)| len < shortest) {
                best = Some((len, candidate));
            }
        }
    }
    best.map_or(guess, |(_, d)| d)
}

/// The meter written for `meter`: osu! reads a meter starting with 0 as 4, and none beyond
/// 2^31 − 1.
fn readable_meter(meter: u32) -> u32 {
    match meter {
        0 => 4,
        m => m.min(i32::MAX as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_beat_lengths() {
        // Tempos read from files come back exactly, in the file's own spelling.
        for text in [
            "681.818181818182",
            "322.58064516129",
            "352.941176470588",
            "500",
            "0.001",
            "1000000",
            "333.333333333333",
        ] {
            let bpm = 60_000.0 / text.parse::<f64>().unwrap();
            assert_eq!(exact_divisor(60_000.0, bpm).to_string(), text);
        }
        let sv = -100.0 / -133.333333333333;
        assert_eq!(exact_divisor(-100.0, sv).to_string(), "-133.333333333333");
        // Some tempos no beat length gives exactly: the nearest one is used.
        let bpm = 87.99999999999999;
        let read = 60_000.0 / exact_divisor(60_000.0, bpm);
        assert!((read - bpm).abs() <= 4.0 * f64::EPSILON * bpm, "{read}");
    }

    #[test]
    fn the_shortest_exact_neighbour_wins() {
        // 60000 / 154 reads back as 154 both as …963 and as the shorter …96.
        assert_eq!(
            exact_divisor(60_000.0, 154.0).to_string(),
            "389.6103896103896"
        );
        assert_eq!(
            exact_divisor(60_000.0, 134.88).to_string(),
            "444.8398576512456"
        );
        // Two exact spellings of one length: the plain quotient stays.
        for bpm in [69.0, 129.0] {
            assert_eq!(exact_divisor(60_000.0, bpm), 60_000.0 / bpm);
        }
        for bpm in [154.0, 134.88, 69.0, 129.0] {
            assert_eq!(60_000.0 / exact_divisor(60_000.0, bpm), bpm);
        }
    }
}
