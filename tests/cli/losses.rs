//! The loss report on stderr: a few losses of a kind are listed, many are summarised in one
//! line per kind, `--verbose` lists every one.

use super::{rox, scratch_dir};

#[test]
fn many_losses_of_a_kind_are_summarised_unless_verbose() {
    let dir = scratch_dir("cli_loss_summary");
    let mut chart = rox::Chart::new(4);
    chart.timing.push(rox::TimingPoint::bpm(0, 120.0, 4));
    chart.notes.push(rox::Note::tap(0, 0));
    for i in 1..=38 {
        chart.notes.push(rox::Note {
            kind: rox::NoteKind::Mine,
            ..rox::Note::tap(50_617_000 + i * 250_000, (i % 4) as u8)
        });
    }
    let source = dir.join("mines.rox");
    std::fs::write(&source, rox::encode(&chart, rox::Format::Rox).unwrap()).unwrap();
    let source = source.to_str().unwrap();
    let osu = dir.join("mines.osu");
    let osu = osu.to_str().unwrap();

    let out = rox(&["convert", source, osu]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "{osu}: note_dropped: 38 times, first #1 at 0:50.867: mine dropped: .osu has no \
             mines (--verbose lists every one)\n"
        )
    );

    let out = rox(&["convert", "--verbose", "--force", source, osu]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 38, "{stderr}");
    assert!(stderr.ends_with(&format!(
        "{osu}: note_dropped: #38 at 60117000 µs: mine dropped: .osu has no mines\n"
    )));
}
