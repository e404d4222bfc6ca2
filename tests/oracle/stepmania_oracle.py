#!/usr/bin/env python3
"""Note times of a .sm/.ssc file according to the `simfile` package (2.1.1), the independent
oracle of tests/stepmania.rs.

Usage: stepmania_oracle.py FILE
Prints one line per note: chart index, time µs, column, kind, end µs (or -), tab-separated.
Kinds: tap hold roll mine lift fake keysound. Notes StepMania does not judge (inside warps)
are printed as `fake`, as ROX reads them.

simfile differs from StepMania in ways the harness corrects (formats.md §6.1):
  * rows: StepMania puts every note on a row of 1/48 beat (round half away from zero);
    simfile keeps exact fractions. Beats are rounded to rows here.
  * an .ssc chart with its own timing but no #OFFSET takes the song's offset in StepMania;
    simfile takes 0. The song offset is patched in here.
  * holds and rolls without a tail are deleted by StepMania; here too (DROP_ORPHAN).
  * notes in .ssc #FAKES ranges are not judged by StepMania; simfile ignores #FAKES. They are
    marked fake here.
Not corrected (the Rust test does not give such files to the oracle): negative BPMs and stops
in .sm (StepMania turns them into warps, simfile does not), #WARPS in .sm (StepMania ignores
them, simfile reads them), note rows wider than the chart (simfile crashes).
"""
import math
import sys
from decimal import Decimal
from fractions import Fraction

import simfile
from simfile.notes import NoteData, NoteType
from simfile.notes.group import NoteWithTail, OrphanedNotes, group_notes
from simfile.timing import Beat, TimingData
from simfile.timing.engine import TimingEngine

KINDS = {
    NoteType.TAP: "tap",
    NoteType.HOLD_HEAD: "hold",
    NoteType.ROLL_HEAD: "roll",
    NoteType.MINE: "mine",
    NoteType.LIFT: "lift",
    NoteType.FAKE: "fake",
    NoteType.KEYSOUND: "keysound",
}


def row_beat(beat):
    """The beat of StepMania's row for `beat`: round(beat * 48) / 48, ties away from zero."""
    x = Fraction(beat) * 48
    row = math.floor(x + Fraction(1, 2)) if x >= 0 else -math.floor(-x + Fraction(1, 2))
    return Beat(row, 48)


def micros(seconds):
    """Seconds to µs, rounded to nearest (ties away from zero) as ROX rounds."""
    x = Fraction(seconds) * 1_000_000
    return math.floor(x + Fraction(1, 2)) if x >= 0 else -math.floor(-x + Fraction(1, 2))


def fake_ranges(value):
    """(start, length) beats of a #FAKES value, sorted."""
    ranges = []
    for entry in (value or "").split(","):
        parts = [p for p in entry.split("=") if p.strip()]
        if len(parts) == 2 and Fraction(parts[1]) > 0:
            ranges.append((row_beat(Fraction(parts[0])), Fraction(parts[1])))
    return sorted(ranges)


def in_fake_range(ranges, beat):
    """StepMania's IsFakeAtRow: only the last range starting at or before the beat counts."""
    starts = [r for r in ranges if r[0] <= beat]
    return bool(starts) and beat < starts[-1][0] + starts[-1][1]


def chart_engines(path):
    """(chart index, chart, timing engine, fake ranges) of every chart, as StepMania reads the
    file."""
    sf = simfile.open(path, strict=False)
    for index, chart in enumerate(sf.charts):
        timing = TimingData(sf, chart)
        own_offset = chart.get("OFFSET")
        uses_chart_timing = any(
            chart.get(tag) for tag in ("BPMS", "STOPS", "DELAYS", "WARPS")
        )
        if uses_chart_timing and not own_offset and isinstance(sf, simfile.ssc.SSCSimfile):
            timing.offset = Decimal(sf.offset or 0)
        fakes = fake_ranges(chart.get("FAKES") if uses_chart_timing else sf.get("FAKES"))
        yield index, chart, TimingEngine(timing), fakes


def judged_notes(path):
    """(chart index, note, row beat, engine, unjudged) of every note but tails, as StepMania
    reads the file."""
    for index, chart, engine, fakes in chart_engines(path):
        notes = group_notes(
            NoteData(chart),
            join_heads_to_tails=True,
            orphaned_head=OrphanedNotes.DROP_ORPHAN,
            orphaned_tail=OrphanedNotes.DROP_ORPHAN,
        )
        for group in notes:
            for note in group if isinstance(group, list) else [group]:
                if note.note_type == NoteType.TAIL:
                    continue
                beat = row_beat(note.beat)
                unjudged = not engine.hittable(beat) or in_fake_range(fakes, beat)
                yield index, note, beat, engine, unjudged


def main(path):
    for index, note, beat, engine, unjudged in judged_notes(path):
        time = micros(engine.time_at(beat))
        kind = KINDS[note.note_type]
        end = "-"
        if unjudged and kind != "keysound":
            kind = "fake"
        elif isinstance(note, NoteWithTail) and note.tail_beat is not None:
            end = str(micros(engine.time_at(row_beat(note.tail_beat))))
        print(f"{index}\t{time}\t{note.column}\t{kind}\t{end}")


if __name__ == "__main__":
    main(sys.argv[1])
