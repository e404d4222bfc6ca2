use super::{validate, Format, Metadata, Note, TimingPoint, ValidationIssue};

/// One playable chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// 1..=18.
    pub key_count: u8,
    /// Sorted by (time, column).
    pub notes: Vec<Note>,
    /// Sorted by time; at one time, in the order the source listed them.
    pub timing: Vec<TimingPoint>,
    /// Sample files that notes reference by index (`Note::keysound`).
    pub keysounds: Vec<String>,
    /// Format-specific data the model has no field for, kept so that a chart written back to
    /// its own format loses nothing: (key, value) in source order, keys prefixed with the format
    /// (`sm.BGCHANGES`, `qua.EditorLayers`, `osu.Colours`). Writers of other formats list them
    /// in the conversion report.
    pub extras: Vec<(String, String)>,
    /// The format the chart was first read from, so that its scroll keeps the rules of the
    /// game it was made for (`timeline::Rules::for_format`) and a conversion to another game
    /// can report what moves. Never `Rox` or `Auto`: a `.rox` file keeps the original's. `None`
    /// for a chart built in code.
    pub source_format: Option<Format>,
}

impl Chart {
    pub fn new(key_count: u8) -> Chart {
        Chart {
            key_count,
            ..Chart::default()
        }
    }

    /// Every problem in the chart; empty when it is valid.
    pub fn validate(&self) -> Vec<ValidationIssue> {
        validate(self)
    }

    /// The value of the extra named `key` (the first, if a source repeated it).
    pub fn extra(&self, key: &str) -> Option<&str> {
        self.extras
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Puts notes in (time, column) order and timing points in time order, keeping the
    /// relative order of equal keys (decoders rely on this for "same time" semantics).
    pub fn sort(&mut self) {
        sort_by_key_stable(&mut self.notes, |n| (n.time_us, n.column));
        self.timing.sort_by_key(|t| t.time_us);
    }
}

/// `items.sort_by_key(key)`, checked first: decoders mostly give their lists in order already,
/// and the check spares the sort's scratch buffer, as large as the list (a stable sort of a
/// sorted list is that list).
pub(crate) fn sort_by_key_stable<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    if !items.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        items.sort_by_key(key);
    }
}
