"""What the osu! oracles share: reading an .osu file by hand (standard library only) and
lazer's Beatmap.GetMostCommonBeatLength, written from lazer's code (ppy/osu), not from ROX."""

DEFAULT_BEAT_LENGTH = 1000.0


def sections(path):
    """{section name: [lines]} of an .osu file, blank lines and comments left out."""
    out, current = {}, None
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = out.setdefault(line[1:-1], [])
            elif current is not None:
                current.append(line)
    return out


def hit_objects(lines):
    """(start, end) ms of every hit object in file order (mania holds have type bit 128)."""
    out = []
    for line in lines:
        split = line.split(",")
        start = float(split[2])
        end = start
        if int(split[3]) & 128:
            end = max(start, float(split[5].split(":")[0]))
        out.append((start, end))
    return out


def most_common_beat_length(timing, last_time):
    """The beat length that lasts longest up to `last_time`, of [(time, beat length)]."""
    totals = {}
    for i, (time, beat_length) in enumerate(timing):
        if time > last_time:
            duration = 0.0
        else:
            current = 0.0 if i == 0 else time
            following = last_time if i == len(timing) - 1 else timing[i + 1][0]
            duration = following - current
        key = round(beat_length * 1000) / 1000  # Python rounds half to even, as C# Math.Round
        totals[key] = totals.get(key, 0.0) + duration
    if not totals:
        return DEFAULT_BEAT_LENGTH
    best = max(totals.items(), key=lambda kv: kv[1])  # the first of the longest
    if best[0] == 0:
        return DEFAULT_BEAT_LENGTH
    lengths = [bl for _, bl in timing]
    return min(max(best[0], min(lengths)), max(lengths))
