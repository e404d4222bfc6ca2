use std::fmt;

/// What a conversion could not carry over exactly. Empty means nothing was lost or changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConversionReport {
    pub entries: Vec<Loss>,
}

/// One thing lost or changed, with where it is in the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Loss {
    pub kind: LossKind,
    /// Chart time of the affected note or event, when it has one.
    pub time_us: Option<i64>,
    /// Index of the affected note or timing point in the source chart, when it is one.
    pub index: Option<usize>,
    /// For snapped notes and moved events: how far it moved (target − source), in µs.
    pub shift_us: i64,
    /// What happened, for people: "mine dropped: .osu has no mines", "#BGCHANGES not kept".
    pub message: String,
}

/// The kinds of loss. The numbers are part of the C ABI (`RoxLossKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum LossKind {
    /// A note moved to the target's time grid (see `shift_us`).
    NoteSnapped = 0,
    /// A note the target cannot express was left out.
    NoteDropped = 1,
    /// A note was written as another kind (roll → hold, lift → tap…).
    NoteChanged = 2,
    /// A timing event the target cannot express was left out.
    TimingDropped = 3,
    /// A timing event was written differently (moved, or emulated by other events).
    TimingChanged = 4,
    /// A metadata field or file-level setting has no place in the target (or in the model).
    MetadataDropped = 5,
    /// Hit sound or keysound information was left out.
    SoundDropped = 6,
    /// A chart of a multi-chart file was not converted.
    ChartDropped = 7,
    /// A hold's end moved to the target's time grid (see `shift_us`); `NoteSnapped` is
    /// about the start only.
    HoldEndSnapped = 8,
    /// Notes of a Quaver scroll group other than the default (or `$Global`'s scroll
    /// velocities) lost their own scroll: the target scrolls every note alike.
    ScrollGroupDropped = 9,
    /// A file of an archive (audio, image…) was not written into the archive made from it.
    ResourceDropped = 10,
}

impl LossKind {
    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [LossKind; 11] = [
        LossKind::NoteSnapped,
        LossKind::NoteDropped,
        LossKind::NoteChanged,
        LossKind::TimingDropped,
        LossKind::TimingChanged,
        LossKind::MetadataDropped,
        LossKind::SoundDropped,
        LossKind::ChartDropped,
        LossKind::HoldEndSnapped,
        LossKind::ScrollGroupDropped,
        LossKind::ResourceDropped,
    ];

    /// Short name for listings and JSON (`note_snapped`, `metadata_dropped`…).
    pub fn name(self) -> &'static str {
        match self {
            LossKind::NoteSnapped => "note_snapped",
            LossKind::NoteDropped => "note_dropped",
            LossKind::NoteChanged => "note_changed",
            LossKind::TimingDropped => "timing_dropped",
            LossKind::TimingChanged => "timing_changed",
            LossKind::MetadataDropped => "metadata_dropped",
            LossKind::SoundDropped => "sound_dropped",
            LossKind::ChartDropped => "chart_dropped",
            LossKind::HoldEndSnapped => "hold_end_snapped",
            LossKind::ScrollGroupDropped => "scroll_group_dropped",
            LossKind::ResourceDropped => "resource_dropped",
        }
    }
}

impl ConversionReport {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Appends the entries of `other` (e.g. a decode report before an encode report).
    pub fn append(&mut self, other: ConversionReport) {
        self.entries.extend(other.entries);
    }

    pub fn push(&mut self, kind: LossKind, message: impl Into<String>) -> &mut Loss {
        self.entries.push(Loss {
            kind,
            time_us: None,
            index: None,
            shift_us: 0,
            message: message.into(),
        });
        self.entries.last_mut().expect("just pushed")
    }
}

impl Loss {
    pub fn at(&mut self, index: usize, time_us: i64) -> &mut Loss {
        self.index = Some(index);
        self.time_us = Some(time_us);
        self
    }

    pub fn at_time(&mut self, time_us: i64) -> &mut Loss {
        self.time_us = Some(time_us);
        self
    }

    pub fn shifted(&mut self, shift_us: i64) -> &mut Loss {
        self.shift_us = shift_us;
        self
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.index, self.time_us) {
            (Some(i), Some(t)) => write!(f, "#{i} at {t} µs: ")?,
            (None, Some(t)) => write!(f, "at {t} µs: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        if self.shift_us != 0 {
            write!(f, " (moved {:+} µs)", self.shift_us)?;
        }
        Ok(())
    }
}
