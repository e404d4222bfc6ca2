//! osu!taiko maps (`Mode: 1`) read as 4-key charts (docs/taiko.md). osu! classifies a hit by
//! its hit sound: whistle or clap make a kat (rim), anything else a don (centre); finish makes
//! it big (strong). Drumrolls (sliders) and swells (spinners, and holds, which osu! also plays
//! as swells) have no counterpart in a key chart: they are reported, not made into notes.

use super::Decoder;
use crate::model::{ConversionReport, DecodeLimits, HitSoundFlag, LossKind, Note, TaikoLayout};
use crate::Result;

/// `Mode` of osu!taiko maps.
pub(super) const MODE: i64 = 1;

/// Columns of a taiko map read as a key chart.
pub(super) const KEYS: u8 = 4;

const RIM: u8 = HitSoundFlag::Whistle as u8 | HitSoundFlag::Clap as u8;
const BIG: u8 = HitSoundFlag::Finish as u8;

impl Decoder<'_> {
    pub(super) fn is_taiko(&self) -> bool {
        self.mode == Some(MODE)
    }

    /// A drumroll or swell at `time_us`: reported, not kept.
    pub(super) fn drop_roll(&mut self, is_slider: bool, time_us: i64) {
        let message = if is_slider {
            "taiko drumroll dropped: a key chart has no drumrolls"
        } else {
            "taiko swell (spinner) dropped: a key chart has no swells"
        };
        self.report
            .push(LossKind::NoteDropped, message)
            .at_time(time_us);
    }
}

/// Gives the hits (`notes`, in file order, columns unset) their columns under `layout`: a
/// small note takes the first column of its colour, then the second, alternating (as the
/// hands do) from note to note whatever their colours, restarting after each big note, which
/// takes both. A note whose columns are both taken at its time (two hits at once, which osu!
/// does not play as a chord) is dropped and reported.
pub(super) fn place(
    mut notes: Vec<Note>,
    layout: TaikoLayout,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Vec<Note>> {
    notes.sort_by_key(|n| n.time_us);
    let bigs = notes.iter().filter(|n| n.sound.flags & BIG != 0).count();
    limits.check_notes(notes.len() + bigs)?;
    let mut placed: Vec<Note> = Vec::with_capacity(notes.len() + bigs);
    let mut hand = 0;
    // Columns already hit at `placed`'s last time, one bit each.
    let mut taken = 0u8;
    for note in notes {
        if placed
            .last()
            .is_some_and(|last| last.time_us != note.time_us)
        {
            taken = 0;
        }
        let [first, second] = layout.columns(note.sound.flags & RIM != 0);
        let big = note.sound.flags & BIG != 0;
        // The hand's column first; a small note on a taken column takes the other one.
        let preferred = if hand % 2 == 0 {
            [first, second]
        } else {
            [second, first]
        };
        let columns: &[u8] = match (big, preferred.map(|c| taken & 1 << c == 0)) {
            (true, [true, true]) => &preferred,
            (false, [true, _]) => &preferred[..1],
            (false, [false, true]) => &preferred[1..],
            _ => {
                report
                    .push(
                        LossKind::NoteDropped,
                        "taiko hit dropped: its columns are already hit at that time",
                    )
                    .at_time(note.time_us);
                continue;
            }
        };
        hand = if big { 0 } else { hand + 1 };
        for &column in columns {
            taken |= 1 << column;
            placed.push(Note { column, ..note });
        }
    }
    Ok(placed)
}
