#!/usr/bin/env python3
"""Beats and times of a .sm/.ssc file's notes according to simfile 2.1.1's timing engine, the
oracle of tests/timeline.rs. The notes are read as tests/oracle/stepmania_oracle.py reads them
(with its corrections for StepMania's rows, offsets and orphaned holds).

Usage: timeline_stepmania_oracle.py FILE
Prints one line per note (keysound cells included): chart index, beat (exact, as
numerator/48), time in seconds (a float, in full), BPM at the beat, and 1 if StepMania judges the
note, else 0; tab-separated.
"""
import sys

from stepmania_oracle import judged_notes


def main(path):
    for index, note, beat, engine, unjudged in judged_notes(path):
        rows = beat * 48
        assert rows.denominator == 1
        # simfile's SongTime is a float that prints rounded to ms: print it in full.
        time = float(engine.time_at(beat))
        bpm = float(engine.bpm_at(beat))
        print(f"{index}\t{rows.numerator}\t{time!r}\t{bpm!r}\t{0 if unjudged else 1}")


if __name__ == "__main__":
    main(sys.argv[1])
