//! How a decode reads: its limits and the choices some formats leave open (see
//! [`DecodeOptions`]). The enums are part of the C ABI (`RoxFnfSides`, `RoxTaikoLayout`; see
//! build/vocabulary.rs).

use super::DecodeLimits;

/// Everything a decode call can be told: how much it may build, and the format-specific
/// choices. New format options land here, so that every layer (Rust, C, C#, CLI) passes one
/// value. The default reads as [`crate::decode_set`] does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    pub limits: DecodeLimits,
    /// Friday Night Funkin' files.
    pub fnf: FnfOptions,
    /// osu!taiko maps (`.osu` with `Mode: 1`).
    pub taiko: TaikoOptions,
}

impl DecodeOptions {
    /// The default options within `limits`.
    pub fn with_limits(limits: DecodeLimits) -> DecodeOptions {
        DecodeOptions {
            limits,
            ..DecodeOptions::default()
        }
    }
}

/// How Friday Night Funkin' files are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FnfOptions {
    pub sides: FnfSides,
}

/// How osu!taiko maps are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaikoOptions {
    pub layout: TaikoLayout,
}

/// Which side's notes a Friday Night Funkin' chart holds. FNF files hold both: four lanes for
/// the player (boyfriend) and four for the opponent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum FnfSides {
    /// The player's four lanes (what a player of another game plays).
    #[default]
    Player = 0,
    /// The opponent's four lanes.
    Opponent = 1,
    /// Eight columns: the player's lanes 0–3, then the opponent's 4–7 (V-Slice's order).
    Both = 2,
}

/// The four columns an osu!taiko map is read onto (docs/taiko.md). Each colour has two
/// columns; small notes alternate between them (first, second, first…, starting again after
/// each big note), as the hands alternate in taiko play, and a big note takes both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum TaikoLayout {
    /// Kat, don, don, kat: the osu!taiko keyboard (D F J K by default), rims outside.
    #[default]
    Kddk = 0,
    /// Don, kat, kat, don: rims inside.
    Dkkd = 1,
    /// Don, don, kat, kat: each colour under one hand.
    Ddkk = 2,
}

impl FnfSides {
    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [FnfSides; 3] = [FnfSides::Player, FnfSides::Opponent, FnfSides::Both];

    pub fn from_i32(v: i32) -> Option<FnfSides> {
        Self::ALL.into_iter().find(|s| *s as i32 == v)
    }

    /// Lower-case name, as the CLI's `--fnf-sides` takes it.
    pub fn name(self) -> &'static str {
        match self {
            FnfSides::Player => "player",
            FnfSides::Opponent => "opponent",
            FnfSides::Both => "both",
        }
    }
}

impl TaikoLayout {
    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [TaikoLayout; 3] = [TaikoLayout::Kddk, TaikoLayout::Dkkd, TaikoLayout::Ddkk];

    pub fn from_i32(v: i32) -> Option<TaikoLayout> {
        Self::ALL.into_iter().find(|l| *l as i32 == v)
    }

    /// Lower-case name, as the CLI's `--taiko-layout` takes it.
    pub fn name(self) -> &'static str {
        match self {
            TaikoLayout::Kddk => "kddk",
            TaikoLayout::Dkkd => "dkkd",
            TaikoLayout::Ddkk => "ddkk",
        }
    }

    /// The two columns of a don (centre, `rim` false) or kat (rim) note, in alternation order.
    pub fn columns(self, rim: bool) -> [u8; 2] {
        match (self, rim) {
            (TaikoLayout::Kddk, false) | (TaikoLayout::Dkkd, true) => [1, 2],
            (TaikoLayout::Kddk, true) | (TaikoLayout::Dkkd, false) => [0, 3],
            (TaikoLayout::Ddkk, false) => [0, 1],
            (TaikoLayout::Ddkk, true) => [2, 3],
        }
    }
}
