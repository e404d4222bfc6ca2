/// Chart metadata: the union of what .osu, .sm/.ssc and .qua express.
/// Per-format mapping: docs/format-mapping.md. Empty string / `None` means "not given".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// Romanised (ASCII) title; osu! `Title`, StepMania `#TITLETRANSLIT` or `#TITLE`.
    pub title: String,
    /// Title in its original script; osu! `TitleUnicode`, StepMania `#TITLE`.
    pub title_unicode: String,
    pub subtitle: String,
    pub artist: String,
    pub artist_unicode: String,
    /// Chart author (osu! `Creator`, StepMania `#CREDIT`, Quaver `Creator`).
    pub creator: String,
    /// Difficulty name (osu! `Version`, StepMania difficulty, Quaver `DifficultyName`).
    pub difficulty_name: String,
    /// Numeric difficulty (StepMania meter).
    pub difficulty_level: Option<f64>,
    pub source: String,
    pub genre: String,
    /// Space-separated tags.
    pub tags: String,
    pub description: String,
    /// Audio file name, relative to the chart.
    pub audio_file: String,
    pub background_file: String,
    /// The game's name for the play style when it has one that the key count alone does not
    /// say (StepMania steps type: `dance-single`, `pump-halfdouble`…); empty otherwise.
    pub style: String,
    /// Song-select preview start.
    pub preview_time_us: Option<i64>,
    /// Online ids (osu! BeatmapID/BeatmapSetID, Quaver MapId/MapSetId).
    pub chart_id: Option<i64>,
    pub set_id: Option<i64>,
    /// osu! HPDrainRate.
    pub hp_drain: Option<f64>,
    /// osu! OverallDifficulty.
    pub overall_difficulty: Option<f64>,
    /// Column 0 is a scratch lane (osu! SpecialStyle N+1, Quaver HasScratchKey).
    pub has_scratch: bool,
}

/// The text fields of a chart's metadata, by number. The numbers are part of the C ABI (`RoxMetaField`).
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaField {
    /// Romanised (ASCII) title.
    Title = 0,
    /// Title in its original script.
    TitleUnicode = 1,
    /// Subtitle (StepMania, Quaver).
    Subtitle = 2,
    /// Romanised (ASCII) artist.
    Artist = 3,
    /// Artist in the original script.
    ArtistUnicode = 4,
    /// Chart author.
    Creator = 5,
    /// Difficulty name (osu! Version).
    DifficultyName = 6,
    /// Where the song comes from (osu! Source, Quaver Source).
    Source = 7,
    /// Genre (StepMania, Quaver).
    Genre = 8,
    /// Space-separated tags.
    Tags = 9,
    /// Free text (StepMania description, Quaver Description).
    Description = 10,
    /// Audio file name, relative to the chart.
    AudioFile = 11,
    /// Background image file name, relative to the chart.
    BackgroundFile = 12,
    /// Play style name when the key count does not say it (StepMania steps type).
    Style = 13,
}

impl MetaField {
    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [MetaField; 14] = [
        MetaField::Title,
        MetaField::TitleUnicode,
        MetaField::Subtitle,
        MetaField::Artist,
        MetaField::ArtistUnicode,
        MetaField::Creator,
        MetaField::DifficultyName,
        MetaField::Source,
        MetaField::Genre,
        MetaField::Tags,
        MetaField::Description,
        MetaField::AudioFile,
        MetaField::BackgroundFile,
        MetaField::Style,
    ];

    pub fn from_i32(v: i32) -> Option<MetaField> {
        Self::ALL.into_iter().find(|f| *f as i32 == v)
    }

    /// The field's name in listings and JSON (`title`, `title_unicode`…).
    pub fn name(self) -> &'static str {
        match self {
            MetaField::Title => "title",
            MetaField::TitleUnicode => "title_unicode",
            MetaField::Subtitle => "subtitle",
            MetaField::Artist => "artist",
            MetaField::ArtistUnicode => "artist_unicode",
            MetaField::Creator => "creator",
            MetaField::DifficultyName => "difficulty_name",
            MetaField::Source => "source",
            MetaField::Genre => "genre",
            MetaField::Tags => "tags",
            MetaField::Description => "description",
            MetaField::AudioFile => "audio_file",
            MetaField::BackgroundFile => "background_file",
            MetaField::Style => "style",
        }
    }

    pub fn get(self, m: &Metadata) -> &str {
        match self {
            MetaField::Title => &m.title,
            MetaField::TitleUnicode => &m.title_unicode,
            MetaField::Subtitle => &m.subtitle,
            MetaField::Artist => &m.artist,
            MetaField::ArtistUnicode => &m.artist_unicode,
            MetaField::Creator => &m.creator,
            MetaField::DifficultyName => &m.difficulty_name,
            MetaField::Source => &m.source,
            MetaField::Genre => &m.genre,
            MetaField::Tags => &m.tags,
            MetaField::Description => &m.description,
            MetaField::AudioFile => &m.audio_file,
            MetaField::BackgroundFile => &m.background_file,
            MetaField::Style => &m.style,
        }
    }

    pub fn get_mut(self, m: &mut Metadata) -> &mut String {
        match self {
            MetaField::Title => &mut m.title,
            MetaField::TitleUnicode => &mut m.title_unicode,
            MetaField::Subtitle => &mut m.subtitle,
            MetaField::Artist => &mut m.artist,
            MetaField::ArtistUnicode => &mut m.artist_unicode,
            MetaField::Creator => &mut m.creator,
            MetaField::DifficultyName => &mut m.difficulty_name,
            MetaField::Source => &mut m.source,
            MetaField::Genre => &mut m.genre,
            MetaField::Tags => &mut m.tags,
            MetaField::Description => &mut m.description,
            MetaField::AudioFile => &mut m.audio_file,
            MetaField::BackgroundFile => &mut m.background_file,
            MetaField::Style => &mut m.style,
        }
    }
}
