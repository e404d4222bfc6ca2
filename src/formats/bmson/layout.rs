//! Which columns a bmson chart has, from its `mode_hint`, and which column each lane `x` is.
//!
//! The beatmania modes take the BMS reader's columns (docs/bms.md): the 1P scratch (x 8)
//! first, then the keys; double play puts the 2P keys (x 9–15) after them and the 2P scratch
//! (x 16) last. The other modes are their keys left to right.

use crate::model::MAX_KEYS;
use crate::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `beat-5k`, `beat-7k` (`keys` 5 or 7), `beat-10k`, `beat-14k` (`double`).
    Beat { keys: u8, double: bool },
    /// `popn-5k`, `popn-9k`, `generic-Nkeys`: lanes 1..=keys, no scratch.
    Keys { keys: u8 },
}

/// The scratch lane of one side, in the beatmania modes.
const SCRATCH_X: u8 = 8;

impl Layout {
    /// The layout `mode_hint` names (`beat-7k` when the file gives none). A mode of more
    /// columns than the model holds is `InvalidKeyCount`; a mode ROX does not know is the
    /// error `unknown` makes of its message.
    pub fn from_mode_hint(hint: &str, unknown: impl FnOnce(String) -> Error) -> Result<Layout> {
        let hint = hint.trim().to_ascii_lowercase();
        let layout = match hint.as_str() {
            "beat-5k" => Layout::Beat {
                keys: 5,
                double: false,
            },
            "beat-7k" => Layout::Beat {
                keys: 7,
                double: false,
            },
            "beat-10k" => Layout::Beat {
                keys: 5,
                double: true,
            },
            "beat-14k" => Layout::Beat {
                keys: 7,
                double: true,
            },
            "popn-5k" => Layout::Keys { keys: 5 },
            "popn-9k" => Layout::Keys { keys: 9 },
            // beatoraja's 24 keys and 2 wheel lanes a side.
            "keyboard-24k" => return Err(too_many(26)),
            "keyboard-24k-double" => return Err(too_many(52)),
            _ => match generic_keys(&hint) {
                Some(keys) if (1..=u32::from(MAX_KEYS)).contains(&keys) => {
                    Layout::Keys { keys: keys as u8 }
                }
                Some(keys) => return Err(too_many(keys)),
                None => {
                    return Err(unknown(format!(
                        "mode_hint \"{hint}\" is not a layout ROX reads (beat-5k, beat-7k, \
                         beat-10k, beat-14k, popn-5k, popn-9k, generic-Nkeys)"
                    )))
                }
            },
        };
        Ok(layout)
    }

    pub fn key_count(self) -> u8 {
        match self {
            Layout::Beat { keys, double } => (keys + 1) * if double { 2 } else { 1 },
            Layout::Keys { keys } => keys,
        }
    }

    pub fn has_scratch(self) -> bool {
        matches!(self, Layout::Beat { .. })
    }

    /// The column of lane `x` (≥ 1); `None` for a lane the mode has no column for.
    pub fn column(self, x: u32) -> Option<u8> {
        let x = u8::try_from(x).ok()?;
        match self {
            Layout::Keys { keys } => (1..=keys).contains(&x).then(|| x - 1),
            Layout::Beat { keys, double } => {
                let width = keys + 1;
                let (side, lane) = match x {
                    1..=8 => (0, x),
                    9..=16 if double => (1, x - 8),
                    _ => return None,
                };
                match lane {
                    SCRATCH_X if side == 0 => Some(0),
                    SCRATCH_X => Some(2 * width - 1),
                    _ if lane > keys => None,
                    _ if side == 0 => Some(lane),
                    _ => Some(width + lane - 1),
                }
            }
        }
    }
}

/// N of `generic-Nkeys`.
fn generic_keys(hint: &str) -> Option<u32> {
    let digits = hint.strip_prefix("generic-")?.strip_suffix("keys")?;
    digits.parse().ok()
}

/// A mode of `columns` columns, more than the model holds.
fn too_many(columns: u32) -> Error {
    Error::InvalidKeyCount(columns.into())
}
