#!/usr/bin/env python3
"""Beats at sampled times of a .sm/.ssc file according to simfile 2.1.1's timing engine, the
oracle of tests/timeline.rs for `beat_at` between notes (inside stops, delays and warps). The
file is read as tests/oracle/stepmania_oracle.py reads it.

Usage: timeline_stepmania_beat_oracle.py FILE
Samples every 10 ms from 0.5 s before the first note to 1 s after the last, 0.5 ms off the
10 ms grid so that no sample falls on an event's edge (where a beat jumps). Prints one line per
sample: chart index, time in µs (an integer), beat (simfile rounds it to a 1/48-beat row, as a
float); tab-separated.
"""
import sys

from stepmania_oracle import chart_engines, judged_notes, micros

STEP_US = 10_000
OFF_GRID_US = 500


def main(path):
    times = {}
    for index, _note, beat, engine, _unjudged in judged_notes(path):
        time = micros(engine.time_at(beat))
        low, high = times.get(index, (time, time))
        times[index] = (min(low, time), max(high, time))
    for index, _chart, engine, _fakes in chart_engines(path):
        if index not in times:
            continue
        first, last = times[index]
        start = (first - 500_000) // STEP_US * STEP_US + OFF_GRID_US
        for time in range(start, last + 1_000_000, STEP_US):
            beat = engine.beat_at(time / 1e6)
            print(f"{index}\t{time}\t{float(beat)!r}")


if __name__ == "__main__":
    main(sys.argv[1])
