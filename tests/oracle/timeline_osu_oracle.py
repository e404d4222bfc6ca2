#!/usr/bin/env python3
"""Scroll positions of an osu!mania map's notes as osu!lazer computes them, the oracle of
tests/timeline.rs. Written from lazer's code (ppy/osu), not from ROX:
  * LegacyBeatmapDecoder.handleTimingPoint / flushPendingPoints: per time, the first red line
    is the timing point; its effect point has scroll speed 1 unless a green line at that time
    overrides it (the last green line wins); speed = 100 / -beatLength for negative beat
    lengths, else 1; clamps of TimingControlPoint.BeatLength (6..60000) and
    EffectControlPoint.ScrollSpeed (0.01..10).
  * Beatmap.GetMostCommonBeatLength and DrawableScrollingRuleset.load with mania's
    RelativeScaleBeatLengths and DrawableManiaRuleset's velocity 1 and base beat length
    multiplied back by the slider multiplier.
  * SequentialScrollAlgorithm.relativePositionAt with a time range of 1, so positions are in
    ms at 1.0x. lazer rounds each section length to a float (relative to its visible time
    range); that rounding is left out here, as in ROX (docs/timeline.md).

Usage: timeline_osu_oracle.py FILE
Prints one line per note: start time ms, position at the start, end time ms, position at the
end (tab-separated, floats printed exactly with repr).
"""
import math
import sys

from osu_file import DEFAULT_BEAT_LENGTH, hit_objects, most_common_beat_length, sections


def control_points(lines):
    """(timing points [(time, beat length)], effect points [(time, scroll speed)])."""
    groups = []  # [(time, [(red, beat length)])] in file order, grouped by equal time
    for line in lines:
        split = line.split(",")
        time = float(split[0])
        beat_length = float(split[1])
        red = split[6][0] == "1" if len(split) >= 7 else True
        if groups and groups[-1][0] == time:
            groups[-1][1].append((red, beat_length))
        else:
            groups.append((time, [(red, beat_length)]))
    timing, effects = [], []
    for time, lines_at in groups:
        reds = [bl for red, bl in lines_at if red]
        greens = [bl for red, bl in lines_at if not red]
        if reds:
            timing.append((time, min(max(reds[0], 6.0), 60000.0)))
        if greens:
            bl = greens[-1]
            speed = 100.0 / -bl if bl < 0 else 1.0
            effects.append((time, min(max(speed, 0.01), 10.0)))
        elif reds:
            effects.append((time, 1.0))
    timing.sort(key=lambda p: p[0])
    effects.sort(key=lambda p: p[0])
    return timing, effects


def multiplier_points(timing, effects, last_object, slider_multiplier):
    base = most_common_beat_length(timing, last_object) / slider_multiplier * slider_multiplier
    merged = sorted(
        [(t, "timing", bl) for t, bl in timing] + [(t, "effect", s) for t, s in effects],
        key=lambda p: p[0],
    )
    last_timing, last_speed = DEFAULT_BEAT_LENGTH, 1.0
    points = []
    for time, kind, value in merged:
        if kind == "timing":
            last_timing = value
        else:
            last_speed = value
        if time > last_object:
            continue
        multiplier = 1.0 * last_speed * base / last_timing
        if points and points[-1][0] == time:
            points[-1] = (time, multiplier)
        else:
            points.append((time, multiplier))
    if not points:
        points.append((0.0, 1.0 * 1.0 * base / DEFAULT_BEAT_LENGTH))
    return points


def position_function(points):
    mappings = [(points[0][0], 0.0, points[0][1])]
    for (time, multiplier), (next_time, next_multiplier) in zip(points, points[1:]):
        position = mappings[-1][1] + (next_time - time) * multiplier
        mappings.append((next_time, position, next_multiplier))

    def position_at(time):
        mapping = mappings[0]
        for m in mappings:
            if m[0] <= time:
                mapping = m
            else:
                break
        return mapping[1] + (time - mapping[0]) * mapping[2]

    return position_at


def main(path):
    s = sections(path)
    difficulty = dict(l.split(":", 1) for l in s.get("Difficulty", []))
    slider_multiplier = min(max(float(difficulty.get("SliderMultiplier", "1.4")), 0.4), 3.6)
    timing, effects = control_points(s.get("TimingPoints", []))
    objects = hit_objects(s.get("HitObjects", []))
    last_object = max(end for _, end in objects) if objects else math.inf
    position_at = position_function(multiplier_points(timing, effects, last_object, slider_multiplier))
    for start, end in objects:
        print(f"{start!r}\t{position_at(start)!r}\t{end!r}\t{position_at(end)!r}")


if __name__ == "__main__":
    main(sys.argv[1])
