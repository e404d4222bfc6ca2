#!/usr/bin/env python3
"""Scroll positions of a .qua map's notes as Quaver computes them, each note in its own scroll
group, the oracle of tests/timeline.rs. Written from Quaver's code, not from ROX:
  * Quaver/Quaver.API Quaver.API/Maps/Qua.cs: Sort (stable, by start time), GetCommonBpm and
    NormalizeSVs (maps whose SVs are relative to the BPM get SVs times BPM / common BPM; only
    the default group's), LinkDefaultScrollGroup ($Default is the top-level SVs, $Global
    always exists); Maps/Structures/ScrollGroup.cs, HitObjectInfo.cs (TimingGroup, $Default
    when absent);
  * Quaver/Quaver Quaver.Shared/Screens/Gameplay/Rulesets/Keys/HitObjects/
    ScrollGroupControllerKeys.cs: Populate (a group's SVs, then $Global's inserted by a stable
    sort, unless the group is $Global), InitializePositionMarkers and GetPositionFromTime, with
    HitObjectManagerKeys.TrackRounding = 100; HitObjectManagerKeys.InitializeHitObjectInfo (a
    note naming a group the map lacks is placed by $Default).
Quaver computes in 32-bit floats (C# `float`) and truncates track positions to integers; here
every float operation is rounded to 32 bits (exact for +, -, *, / of 32-bit operands).

Usage: timeline_quaver_oracle.py FILE
Prints one line per note, in file order: start ms, track position at the start / 100, end ms
(the start for a plain note), track position at the end / 100, lane, scroll group id
(tab-separated).
"""
import math
import struct
import sys

from quaver_oracle import items, load

TRACK_ROUNDING = 100.0


def f32(x):
    """x rounded to a 32-bit float (overflow to infinity, as C#)."""
    try:
        return struct.unpack("f", struct.pack("f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def trunc(x):
    """C#'s (long) of a finite double: toward zero. NaN gives 0 here (ROX's reading)."""
    return 0 if math.isnan(x) else int(x)


def common_bpm(points, notes):
    if not points:
        return 0.0
    if not notes:
        return points[0][1]
    last_time = float(max(end if end > 0 else start for start, end in notes))
    durations = {}  # insertion-ordered, like .NET's Dictionary without removals
    for i in range(len(points) - 1, -1, -1):
        time, bpm = points[i]
        if time > last_time:
            continue
        duration = int(last_time - (0 if i == 0 else time))
        last_time = time
        durations[bpm] = durations.get(bpm, 0) + duration
    if not durations:
        return points[0][1]
    return max(durations.items(), key=lambda kv: kv[1])[0]  # the first of the longest


def adjusted(multiplier, bpm, base):
    return 128.0 if math.isinf(bpm) else f32(multiplier * f32(bpm / base))


def normalize(points, svs, base):
    out = []
    state = {"current": None, "initial": None}

    def change(time, m):
        if state["current"] is None:
            state["current"] = m
            state["initial"] = m
        if m != state["current"]:
            out.append((time, m))
            state["current"] = m

    bpm = points[0][1]
    next_sv, sv_start, sv_multiplier = 0, None, 1.0
    for i, (time, point_bpm) in enumerate(points):
        next_same = i + 1 < len(points) and points[i + 1][0] == time
        while next_sv < len(svs):
            sv_time, m = svs[next_sv]
            if sv_time > time or (next_same and sv_time == time):
                break
            if sv_time < time:
                change(sv_time, adjusted(m, bpm, base))
            sv_start, sv_multiplier = sv_time, m
            next_sv += 1
        if sv_start is None or sv_start < time:
            sv_multiplier = 1.0
        bpm = point_bpm
        change(time, adjusted(sv_multiplier, bpm, base))
    for sv_time, m in svs[next_sv:]:
        change(sv_time, adjusted(m, bpm, base))
    out.sort(key=lambda sv: sv[0])
    return (1.0 if state["initial"] is None else state["initial"]), out


def velocities(entries):
    """(start, multiplier) pairs as 32-bit floats, stably sorted by start (Qua.Sort)."""
    return sorted(
        ((f32(float(sv.get("StartTime") or 0)), f32(float(sv.get("Multiplier") or 0)))
         for sv in entries if isinstance(sv, dict)),
        key=lambda p: p[0],
    )


def scroll(initial, svs):
    """GetPositionFromTime of a group with these SVs (InitializePositionMarkers first)."""
    markers = []
    if svs:
        position = trunc(f32(f32(svs[0][0] * initial) * TRACK_ROUNDING))
        markers.append(position)
        for (time, m), (next_time, _) in zip(svs, svs[1:]):
            m = 0.0 if math.isnan(m) else m
            position += trunc(f32(f32(f32(next_time - time) * m) * TRACK_ROUNDING))
            markers.append(position)

    def position_at(time):
        index = -1
        for i, (sv_time, _) in enumerate(svs):
            if sv_time <= f32(time):
                index = i
            else:
                break
        if index < 0:
            return trunc(time * initial * TRACK_ROUNDING)
        sv_time, m = svs[index]
        m = 0.0 if math.isnan(m) else m
        return markers[index] + trunc((time - sv_time) * m * TRACK_ROUNDING)

    return position_at


def groups_of(doc, default_initial, default_svs):
    """Each group id to its position function: its SVs merged with $Global's (Populate)."""
    timing_groups = doc.get("TimingGroups")
    timing_groups = dict(timing_groups) if isinstance(timing_groups, dict) else {}
    timing_groups.pop("$Default", None)
    timing_groups.setdefault("$Global", {})
    global_svs = velocities(timing_groups["$Global"].get("ScrollVelocities") or [])

    def populate(own, group_id):
        merged = own if group_id == "$Global" else own + global_svs
        return sorted(merged, key=lambda p: p[0])  # stable: own SVs first at equal times

    out = {"$Default": scroll(default_initial, populate(default_svs, "$Default"))}
    for group_id, group in timing_groups.items():
        group = group if isinstance(group, dict) else {}
        initial = f32(float(group.get("InitialScrollVelocity") or 0))
        own = velocities(group.get("ScrollVelocities") or [])
        out[group_id] = scroll(initial, populate(own, group_id))
    return out


def main(path):
    doc = load(path)
    points = sorted(
        ((f32(float(tp.get("StartTime") or 0)), f32(float(tp.get("Bpm") or 0)))
         for tp in items(doc, "TimingPoints")),
        key=lambda p: p[0],
    )
    svs = velocities(items(doc, "SliderVelocities"))
    objects = items(doc, "HitObjects")
    notes = [(int(h.get("StartTime") or 0), int(h.get("EndTime") or 0)) for h in objects]
    if doc.get("BPMDoesNotAffectScrollVelocity") is True:
        initial = f32(float(doc.get("InitialScrollVelocity") or 0))
    else:
        initial, svs = normalize(points, svs, common_bpm(points, notes))
    groups = groups_of(doc, initial, svs)
    for h, (start, end) in zip(objects, notes):
        group_id = h.get("TimingGroup") or "$Default"
        group_id = group_id if group_id in groups else "$Default"
        position_at = groups[group_id]
        end = end if end > 0 else start
        print(f"{start}\t{position_at(start) / 100}\t{end}\t{position_at(end) / 100}"
              f"\t{h.get('Lane')}\t{group_id}")


if __name__ == "__main__":
    main(sys.argv[1])
