//! Which columns a chart has, and which column each BMS lane is.
//!
//! A lane is a player side (1P channels 11–19 and their invisible, long and mine twins 31–39,
//! 51–59, D1–D9; 2P 21–29, 41–49, 61–69, E1–E9) and a digit. The layout comes from the lanes
//! that hold notes and `#PLAYER`:
//!
//! * single play unless `#PLAYER 3` or 2P lanes hold notes; 7 keys unless notes exist and
//!   none are on digits 8–9 (then 5 keys);
//! * columns: 1P scratch (16) first, keys 1–5 (11–15), keys 6–7 (18–19); double play then
//!   2P keys 1–7 (21–25, 28–29) and the 2P scratch (26) last. 5K is 6 columns, 7K 8, 10K 12,
//!   14K 16. Digit 7 (17/27, the foot pedal or free zone) has no column;
//! * PMS (9 buttons, 11–15 then 22–25): notes only on those lanes, and on 22–25 some, with
//!   no `#PLAYER 3`.

use super::notes::Family;

/// A player side (0 = 1P, 1 = 2P) and the lane's digit (1–9).
pub type Lane = (u8, u8);

/// The family and lane of a note channel.
pub fn note_lane(channel: [u8; 2]) -> Option<(Family, Lane)> {
    let (family, side) = match channel[0] {
        b'1' => (Family::Visible, 0),
        b'2' => (Family::Visible, 1),
        b'3' => (Family::Invisible, 0),
        b'4' => (Family::Invisible, 1),
        b'5' => (Family::Long, 0),
        b'6' => (Family::Long, 1),
        b'D' => (Family::Mine, 0),
        b'E' => (Family::Mine, 1),
        _ => return None,
    };
    matches!(channel[1], b'1'..=b'9').then(|| (family, (side, channel[1] - b'0')))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `seven`: 7 keys (else 5), plus the scratch.
    Single {
        seven: bool,
    },
    Double {
        seven: bool,
    },
    Pms,
}

const PMS_LANES: [Lane; 9] = [
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
];

impl Layout {
    /// The layout of a chart whose notes are on `lanes`, with `#PLAYER` `player`.
    pub fn detect(lanes: &[Lane], player: Option<&str>) -> Layout {
        let double_declared = player.is_some_and(|p| p.trim() == "3");
        let pms = !double_declared
            && lanes.iter().any(|&(side, _)| side == 1)
            && lanes.iter().all(|lane| PMS_LANES.contains(lane));
        if pms {
            return Layout::Pms;
        }
        let seven = lanes.is_empty() || lanes.iter().any(|&(_, digit)| digit >= 8);
        if double_declared || lanes.iter().any(|&(side, _)| side == 1) {
            Layout::Double { seven }
        } else {
            Layout::Single { seven }
        }
    }

    /// Columns of one side, its scratch included.
    fn side_width(seven: bool) -> u8 {
        if seven {
            8
        } else {
            6
        }
    }

    pub fn key_count(self) -> u8 {
        match self {
            Layout::Single { seven } => Self::side_width(seven),
            Layout::Double { seven } => 2 * Self::side_width(seven),
            Layout::Pms => PMS_LANES.len() as u8,
        }
    }

    pub fn has_scratch(self) -> bool {
        self != Layout::Pms
    }

    /// The column of a lane; `None` for a lane this layout has no column for.
    pub fn column(self, (side, digit): Lane) -> Option<u8> {
        let (seven, double) = match self {
            Layout::Pms => {
                return PMS_LANES
                    .iter()
                    .position(|&lane| lane == (side, digit))
                    .map(|c| c as u8)
            }
            Layout::Single { seven } => (seven, false),
            Layout::Double { seven } => (seven, true),
        };
        let width = Self::side_width(seven);
        // Keys 1..=5 then 6..=7 (digits 8, 9), counted from 0.
        let key = match digit {
            1..=5 => Some(digit - 1),
            8 | 9 if seven => Some(digit - 3),
            _ => None,
        };
        match (side, double) {
            (0, _) if digit == 6 => Some(0),
            (0, _) => key.map(|k| k + 1),
            (1, true) if digit == 6 => Some(2 * width - 1),
            (1, true) => key.map(|k| width + k),
            _ => None,
        }
    }

    /// Inverse of [`Layout::column`], for writers: the lane of each column, in column order.
    pub fn lanes(self) -> Vec<Lane> {
        let all = (0..2u8).flat_map(|side| (1..=9u8).map(move |digit| (side, digit)));
        let mut lanes: Vec<(u8, Lane)> = all
            .filter_map(|lane| self.column(lane).map(|c| (c, lane)))
            .collect();
        lanes.sort();
        lanes.into_iter().map(|(_, lane)| lane).collect()
    }
}
