#!/usr/bin/env python3
"""Length, drain time and BPMs of an osu!mania map as osu!lazer computes them, the oracle of
tests/analysis.rs. Written from lazer's code (ppy/osu), not from ROX, and reading the .osu by
hand (standard library only):
  * IBeatmap.CalculatePlayableLength: last object end minus first object start.
  * EditorBeatmapProcessor.autoGenerateBreaks with BreakPeriod's constants: after the latest end
    so far, a gap of at least MIN_GAP_DURATION (1300 ms) holds a break from GAP_BEFORE_BREAK
    (200 ms) after that end to max(GAP_AFTER_BREAK (450 ms), 2 beats at the next object) before
    the next object (mania objects have no preempt), kept if at least MIN_BREAK_DURATION
    (650 ms). CalculateDrainLength = playable length - total break time.
  * Beatmap.GetMostCommonBeatLength; BPM range over the red lines (beat lengths not clamped,
    as ROX reports a chart's own values).
Also prints the break time of the map's own [Events] break lines, for reference.

Usage: analysis_osu_oracle.py FILE
Prints one line of tab-separated fields: objects, first start ms, last end ms, length ms,
break ms, drain ms, min BPM, max BPM, most common BPM, break ms of [Events] (floats with repr).
"""
import sys

from osu_file import DEFAULT_BEAT_LENGTH, hit_objects, most_common_beat_length, sections

MIN_GAP, GAP_BEFORE, GAP_AFTER, MIN_BREAK = 1300.0, 200.0, 450.0, 650.0


def red_lines(lines):
    """(time, beat length) of uninherited points with a positive beat length; the first red
    line at one time wins."""
    out = []
    for line in lines:
        split = line.split(",")
        time, beat_length = float(split[0]), float(split[1])
        red = split[6][0] == "1" if len(split) >= 7 else True
        if red and beat_length > 0 and not (out and out[-1][0] == time):
            out.append((time, beat_length))
    out.sort(key=lambda p: p[0])
    return out


def beat_length_at(reds, time):
    current = reds[0][1] if reds else DEFAULT_BEAT_LENGTH
    for t, bl in reds:
        if t <= time:
            current = bl
    return current


def break_time(objs, reds):
    total, latest_end = 0.0, float("-inf")
    for previous, following in zip(objs, objs[1:]):
        latest_end = max(latest_end, previous[1])
        if following[0] - latest_end < MIN_GAP:
            continue
        start = latest_end + GAP_BEFORE
        end = following[0] - max(GAP_AFTER, beat_length_at(reds, following[0]) * 2)
        if end - start >= MIN_BREAK:
            total += end - start
    return total


def file_breaks(lines):
    total = 0.0
    for line in lines:
        split = line.split(",")
        if split[0].strip() in ("2", "Break"):
            total += float(split[2]) - float(split[1])
    return total


def main(path):
    s = sections(path)
    objs = sorted(hit_objects(s.get("HitObjects", [])), key=lambda o: o[0])
    reds = red_lines(s.get("TimingPoints", []))
    first = objs[0][0] if objs else 0.0
    last = max(o[1] for o in objs) if objs else 0.0
    length = last - first
    breaks = break_time(objs, reds)
    bpms = [60000.0 / bl for _, bl in reds]
    common = 60000.0 / most_common_beat_length(reds, last) if reds else 0.0
    fields = [len(objs), first, last, length, breaks, max(length - breaks, 0.0),
              min(bpms, default=0.0), max(bpms, default=0.0), common,
              file_breaks(s.get("Events", []))]
    print("\t".join(repr(f) for f in fields))


if __name__ == "__main__":
    main(sys.argv[1])
