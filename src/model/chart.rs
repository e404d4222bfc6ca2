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

/// `items.sort_by_key(key)`, adaptive: decoders mostly give their lists in order already, or
/// out of order only locally (a Quaver chord listed from its highest lane down), which an
/// insertion sort puts in order in one pass, without the sort's scratch buffer as large as
/// the list. A list with an item further than a few places from its own goes to the full sort.
pub(crate) fn sort_by_key_stable<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    if !insertion_sort_near(items, &key) {
        items.sort_by_key(key);
    }
}

/// Farthest an item is moved by the insertion sort.
const NEAR: usize = 8;

/// Insertion sort of a list whose items are each at most `NEAR` places from their own; false
/// (after at most `NEAR` wasted moves) for another list. It only swaps neighbours whose keys
/// are out of order, so what it leaves still has equal keys in their first order, for a stable
/// sort to finish.
fn insertion_sort_near<T, K: Ord>(items: &mut [T], key: &impl Fn(&T) -> K) -> bool {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(&items[j - 1]) > key(&items[j]) {
            if i - j == NEAR {
                return false;
            }
            items.swap(j - 1, j);
            j -= 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::sort_by_key_stable;

    /// Lists near their order and far from it, with many equal keys: the same as the standard
    /// library's stable sort.
    #[test]
    fn sorts_as_a_stable_sort_does() {
        // A small deterministic generator (xorshift), so the lists are the same every run.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for case in 0..400 {
            let len = next(300) as usize;
            let mut items: Vec<(u64, usize)> = (0..len).map(|i| (i as u64 / 3, i)).collect();
            // Local disorder (chords reversed), displacement past the insertion sort's reach,
            // or none.
            match case % 4 {
                0 => items
                    .chunks_mut(1 + next(5) as usize)
                    .for_each(<[_]>::reverse),
                1 => items.iter_mut().for_each(|item| item.0 = next(20)),
                2 => items.reverse(),
                _ => {}
            }
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            sort_by_key_stable(&mut items, |item| item.0);
            assert_eq!(items, expected, "case {case}");
        }
    }
}
