/// What a note asks of the player. The numbers are part of the C ABI (`RoxNoteKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(u8)]
pub enum NoteKind {
    /// Pressed once.
    #[default]
    Tap = 0,
    /// Held from `time_us` for `duration_us` (> 0).
    Hold = 1,
    /// A hold that must be tapped repeatedly (StepMania roll); `duration_us` > 0.
    Roll = 2,
    /// Must not be pressed.
    Mine = 3,
    /// Hit by releasing the key (StepMania lift).
    Lift = 4,
    /// Shown but never judged.
    Fake = 5,
}

impl NoteKind {
    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [NoteKind; 6] = [
        NoteKind::Tap,
        NoteKind::Hold,
        NoteKind::Roll,
        NoteKind::Mine,
        NoteKind::Lift,
        NoteKind::Fake,
    ];

    pub fn from_u8(v: u8) -> Option<NoteKind> {
        Self::ALL.get(v as usize).copied()
    }

    /// Kinds whose `duration_us` is meaningful (and must be positive).
    pub fn has_duration(self) -> bool {
        matches!(self, NoteKind::Hold | NoteKind::Roll)
    }

    pub fn name(self) -> &'static str {
        match self {
            NoteKind::Tap => "tap",
            NoteKind::Hold => "hold",
            NoteKind::Roll => "roll",
            NoteKind::Mine => "mine",
            NoteKind::Lift => "lift",
            NoteKind::Fake => "fake",
        }
    }
}

/// Hit sound bits of a note (osu!'s; Quaver uses the same). The numbers are part of the
/// C ABI (`RoxHitSoundFlag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum HitSoundFlag {
    /// The normal sound.
    Normal = 1,
    /// Whistle.
    Whistle = 2,
    /// Finish.
    Finish = 4,
    /// Clap.
    Clap = 8,
}

/// Hit sound of a note, with osu!'s semantics (Quaver uses the same flag bits).
/// All zero means "default sound, inherit everything from the timing point".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct HitSound {
    /// [`HitSoundFlag`] bits: 1 normal, 2 whistle, 4 finish, 8 clap.
    pub flags: u8,
    /// Sample bank of the normal sound: 0 inherit, 1 normal, 2 soft, 3 drum.
    pub normal_set: u8,
    /// Sample bank of the additions: 0 inherit, 1 normal, 2 soft, 3 drum.
    pub addition_set: u8,
    /// 0..=100; 0 inherits the timing point's volume.
    pub volume: u8,
    /// Custom sample index; 0 inherits the timing point's.
    pub custom_index: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Note {
    pub time_us: i64,
    /// Length for holds and rolls (> 0); 0 for every other kind.
    pub duration_us: i64,
    /// 0-based, `< Chart::key_count`.
    pub column: u8,
    pub kind: NoteKind,
    pub sound: HitSound,
    /// Index into `Chart::keysounds`: the sample file this note plays.
    pub keysound: Option<u32>,
}

impl Note {
    pub fn tap(time_us: i64, column: u8) -> Note {
        Note {
            time_us,
            column,
            ..Note::default()
        }
    }

    pub fn hold(time_us: i64, duration_us: i64, column: u8) -> Note {
        Note {
            time_us,
            duration_us,
            column,
            kind: NoteKind::Hold,
            ..Note::default()
        }
    }

    /// End time; equals `time_us` for kinds without duration.
    pub fn end_time_us(&self) -> i64 {
        self.time_us.saturating_add(self.duration_us)
    }
}
