//! The StepMania tag names, listed once: the reader and the writer both name tags through
//! these constants and tables.

pub const VERSION: &str = "VERSION";
pub const TITLE: &str = "TITLE";
pub const SUBTITLE: &str = "SUBTITLE";
pub const ARTIST: &str = "ARTIST";
pub const TITLETRANSLIT: &str = "TITLETRANSLIT";
pub const SUBTITLETRANSLIT: &str = "SUBTITLETRANSLIT";
pub const ARTISTTRANSLIT: &str = "ARTISTTRANSLIT";
pub const GENRE: &str = "GENRE";
pub const CREDIT: &str = "CREDIT";
pub const BANNER: &str = "BANNER";
pub const BACKGROUND: &str = "BACKGROUND";
pub const LYRICSPATH: &str = "LYRICSPATH";
pub const CDTITLE: &str = "CDTITLE";
pub const MUSIC: &str = "MUSIC";
pub const INSTRUMENTTRACK: &str = "INSTRUMENTTRACK";
pub const SAMPLESTART: &str = "SAMPLESTART";
pub const SAMPLELENGTH: &str = "SAMPLELENGTH";
pub const DISPLAYBPM: &str = "DISPLAYBPM";
pub const SELECTABLE: &str = "SELECTABLE";
pub const ANIMATIONS: &str = "ANIMATIONS";
pub const FGCHANGES: &str = "FGCHANGES";
/// Also the prefix of `BGCHANGES2`… (more background layers).
pub const BGCHANGES: &str = "BGCHANGES";
pub const KEYSOUNDS: &str = "KEYSOUNDS";
pub const ATTACKS: &str = "ATTACKS";

pub const OFFSET: &str = "OFFSET";
pub const BPMS: &str = "BPMS";
pub const STOPS: &str = "STOPS";
/// The old name of `STOPS`.
pub const FREEZES: &str = "FREEZES";
pub const DELAYS: &str = "DELAYS";
pub const WARPS: &str = "WARPS";
pub const TIMESIGNATURES: &str = "TIMESIGNATURES";
pub const TICKCOUNTS: &str = "TICKCOUNTS";
pub const COMBOS: &str = "COMBOS";
pub const SPEEDS: &str = "SPEEDS";
pub const SCROLLS: &str = "SCROLLS";
pub const FAKES: &str = "FAKES";
pub const LABELS: &str = "LABELS";

pub const NOTES: &str = "NOTES";
/// The second-player notes of old files; read like `NOTES`.
pub const NOTES2: &str = "NOTES2";
pub const NOTEDATA: &str = "NOTEDATA";
pub const STEPSTYPE: &str = "STEPSTYPE";
pub const DESCRIPTION: &str = "DESCRIPTION";
pub const DIFFICULTY: &str = "DIFFICULTY";
pub const METER: &str = "METER";
pub const RADARVALUES: &str = "RADARVALUES";

/// Song-level text tags with a model field, in the order the writer writes them.
pub const METADATA: [&str; 9] = [
    TITLE,
    SUBTITLE,
    ARTIST,
    TITLETRANSLIT,
    ARTISTTRANSLIT,
    GENRE,
    CREDIT,
    MUSIC,
    BACKGROUND,
];

/// Timing tags of `.sm` files.
pub const SM_TIMING: [&str; 7] = [
    OFFSET,
    BPMS,
    STOPS,
    FREEZES,
    DELAYS,
    TIMESIGNATURES,
    TICKCOUNTS,
];

/// Timing tags of `.ssc` files, song-level or (split timing) chart-level.
pub const SSC_TIMING: [&str; 12] = [
    OFFSET,
    BPMS,
    STOPS,
    DELAYS,
    WARPS,
    TIMESIGNATURES,
    TICKCOUNTS,
    COMBOS,
    SPEEDS,
    SCROLLS,
    FAKES,
    LABELS,
];

/// Song-level tags of `.sm` files (SMLoader's list, `BGCHANGES` layers aside).
pub const SM_SONG: [&str; 31] = [
    TITLE,
    SUBTITLE,
    ARTIST,
    TITLETRANSLIT,
    SUBTITLETRANSLIT,
    ARTISTTRANSLIT,
    GENRE,
    CREDIT,
    BANNER,
    BACKGROUND,
    LYRICSPATH,
    CDTITLE,
    MUSIC,
    OFFSET,
    BPMS,
    STOPS,
    FREEZES,
    DELAYS,
    TIMESIGNATURES,
    TICKCOUNTS,
    INSTRUMENTTRACK,
    SAMPLESTART,
    SAMPLELENGTH,
    DISPLAYBPM,
    SELECTABLE,
    ANIMATIONS,
    FGCHANGES,
    KEYSOUNDS,
    ATTACKS,
    NOTES,
    NOTES2,
];

/// Tags a simfile starts with in practice (StepMania and other editors write `#VERSION` or
/// `#TITLE` first; hand-made files start anywhere in the header).
pub const FIRST: [&str; 18] = [
    VERSION,
    TITLE,
    SUBTITLE,
    ARTIST,
    TITLETRANSLIT,
    SUBTITLETRANSLIT,
    ARTISTTRANSLIT,
    GENRE,
    CREDIT,
    BANNER,
    BACKGROUND,
    CDTITLE,
    MUSIC,
    OFFSET,
    BPMS,
    SAMPLESTART,
    NOTES,
    NOTEDATA,
];

/// Chart-level `.ssc` tags the writer makes from the model, timing tags aside.
const SSC_CHART_FIELDS: [&str; 7] = [
    STEPSTYPE,
    DESCRIPTION,
    DIFFICULTY,
    METER,
    CREDIT,
    MUSIC,
    RADARVALUES,
];

/// Whether `name` opens a chart's note data.
pub fn is_notes(name: &str) -> bool {
    name == NOTES || name == NOTES2
}

/// Song-level tags of `.sm` files; any other song-level tag of an `.ssc` file is an `ssc.`
/// extra.
pub fn is_sm_song_tag(tag: &str) -> bool {
    SM_SONG.contains(&tag) || tag.starts_with(BGCHANGES)
}

/// Whether an extra's tag name could not be written back as one tag.
fn is_unwritable(tag: &str) -> bool {
    tag.is_empty() || tag.contains(['#', ':', ';'])
}

/// Song-level tags the writer makes from the model (or cannot write): extras of the same name
/// are not written.
pub fn is_generated_song_tag(ssc: bool, tag: &str) -> bool {
    let both = METADATA.contains(&tag)
        || SM_TIMING.contains(&tag)
        || [SAMPLESTART, KEYSOUNDS].contains(&tag)
        || is_notes(tag);
    let ssc_only = [VERSION, NOTEDATA].contains(&tag) || SSC_TIMING.contains(&tag);
    both || (ssc && ssc_only) || is_unwritable(tag)
}

/// Chart-level `.ssc` tags the writer makes from the model (or cannot write).
pub fn is_generated_chart_tag(tag: &str) -> bool {
    SSC_CHART_FIELDS.contains(&tag)
        || SSC_TIMING.contains(&tag)
        || [NOTEDATA, VERSION].contains(&tag)
        || is_notes(tag)
        || is_unwritable(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_names_each_tag_once() {
        let tables: [&[&str]; 6] = [
            &METADATA,
            &SM_TIMING,
            &SSC_TIMING,
            &SM_SONG,
            &FIRST,
            &SSC_CHART_FIELDS,
        ];
        for table in tables {
            for (i, tag) in table.iter().enumerate() {
                assert!(!table[..i].contains(tag), "{tag} twice in {table:?}");
                assert_eq!(tag.to_ascii_uppercase(), *tag);
            }
        }
    }

    #[test]
    fn sm_timing_and_metadata_are_sm_song_tags() {
        for tag in METADATA.iter().chain(&SM_TIMING) {
            assert!(is_sm_song_tag(tag), "{tag}");
        }
        assert!(is_sm_song_tag("BGCHANGES2"));
        for tag in [WARPS, SCROLLS, FAKES, NOTEDATA, VERSION, "PREVIEW"] {
            assert!(!is_sm_song_tag(tag), "{tag}");
        }
    }

    #[test]
    fn generated_tags_per_dialect() {
        for tag in [TITLE, SAMPLESTART, KEYSOUNDS, NOTES2, FREEZES, TICKCOUNTS] {
            assert!(is_generated_song_tag(false, tag), "{tag}");
            assert!(is_generated_song_tag(true, tag), "{tag}");
        }
        for tag in [WARPS, SCROLLS, LABELS, VERSION, NOTEDATA] {
            assert!(!is_generated_song_tag(false, tag), "{tag}");
            assert!(is_generated_song_tag(true, tag), "{tag}");
        }
        for tag in [BANNER, BGCHANGES, "PREVIEWVID"] {
            assert!(!is_generated_song_tag(true, tag), "{tag}");
        }
        for tag in ["", "A:B", "A;", "#A"] {
            assert!(is_generated_song_tag(false, tag), "{tag:?}");
            assert!(is_generated_chart_tag(tag), "{tag:?}");
        }
        for tag in [STEPSTYPE, RADARVALUES, WARPS, NOTES, VERSION] {
            assert!(is_generated_chart_tag(tag), "{tag}");
        }
        for tag in ["CHARTNAME", "CHARTSTYLE", DISPLAYBPM, ATTACKS] {
            assert!(!is_generated_chart_tag(tag), "{tag}");
        }
    }
}
