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
