"""Independent reading of .qua files with PyYAML, for tests/quaver.rs.

    quaver_oracle.py dump FILE      one line per timing point, scroll velocity and hit object
    quaver_oracle.py compare A B    "same" when A and B mean the same map to Quaver, else the
                                    differences (one per line)

PyYAML is a YAML 1.1 reader like YamlDotNet (Quaver's): `yes`/`no` are booleans. Tags such as
`!ScrollGroup` are read as plain mappings. The comparison applies Quaver's defaults (what
Quaver.API's RestoreDefaultValues and its serializer treat as equal), nothing else.
"""

import sys
from decimal import ROUND_HALF_UP, Decimal

import yaml


class QuaLoader(yaml.SafeLoader):
    pass


def _any_tag(loader, _suffix, node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


QuaLoader.add_multi_constructor("!", _any_tag)


def load(path):
    # utf-8-sig drops a byte-order mark; PyYAML drops one more at the start of the stream.
    with open(path, encoding="utf-8-sig") as f:
        doc = yaml.load(f, Loader=QuaLoader)
    return doc if isinstance(doc, dict) else {}


def items(doc, key):
    value = doc.get(key)
    return value if isinstance(value, list) else []


def dump(path):
    doc = load(path)
    print("mode", doc.get("Mode"), bool(doc.get("HasScratchKey")))
    for tp in items(doc, "TimingPoints"):
        print("tp", repr(float(tp.get("StartTime") or 0)), repr(float(tp.get("Bpm") or 0)),
              tp.get("Signature"))
    for sv in items(doc, "SliderVelocities"):
        print("sv", repr(float(sv.get("StartTime") or 0)), repr(float(sv.get("Multiplier") or 0)))
    for ho in items(doc, "HitObjects"):
        keysounds = ",".join(
            f"{ks.get('Sample')}:{ks.get('Volume') or 0}" for ks in ho.get("KeySounds") or []
        )
        print("note", ho.get("StartTime") or 0, (ho.get("Lane") or 0) - 1, ho.get("EndTime") or 0,
              ho.get("Type") or "Normal", keysounds or "-")


HIT_SOUNDS = {"normal": 1, "whistle": 2, "finish": 4, "clap": 8}
MODES = {1: 4, 2: 7, 3: 1, 4: 2, 5: 3, 6: 5, 7: 6, 8: 8, 9: 9, 10: 10}


def hit_sound(value):
    if value in (None, 0, ""):
        return 1  # Quaver plays Normal for 0
    if isinstance(value, int):
        return value
    return sum(HIT_SOUNDS[part.strip().lower()] for part in str(value).split(","))


def signature(value):
    names = {"quadruple": 4, "triple": 3}
    value = names.get(str(value).lower(), value)
    return 4 if value in (None, 0) else int(value)


def mode(value):
    if isinstance(value, int):
        return MODES.get(value)
    return int(str(value)[4:])


def note_type(value):
    return {None: "normal", 0: "normal", 1: "mine"}.get(value, str(value).lower())


def text(value):
    return "" if value is None else str(value)


def volume(value):
    return 100 if value in (None, 0) else value


def time(value):
    """Times to the µs, the precision of ROX (and finer than Quaver's float32), rounded to the
    nearest with ties away from zero."""
    us = Decimal(repr(float(value or 0))) * 1000
    return int(us.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def normalize(doc):
    bpm_does_not_affect_sv = bool(doc.get("BPMDoesNotAffectScrollVelocity"))
    out = {
        "Mode": mode(doc.get("Mode")),
        "HasScratchKey": bool(doc.get("HasScratchKey")),
        "BPMDoesNotAffectScrollVelocity": bpm_does_not_affect_sv,
        "LegacyLNRendering": bool(doc.get("LegacyLNRendering")),
        "MapId": doc.get("MapId", -1),
        "MapSetId": doc.get("MapSetId", -1),
        "SongPreviewTime": doc.get("SongPreviewTime") or 0,
        "QuaVersion": doc.get("QuaVersion") or 0,
    }
    if bpm_does_not_affect_sv:
        out["InitialScrollVelocity"] = float(doc.get("InitialScrollVelocity", 1))
    for key in ("AudioFile", "BackgroundFile", "BannerFile", "Title", "Artist", "Source", "Tags",
                "Creator", "DifficultyName", "Description", "Genre"):
        out[key] = text(doc.get(key))
    # Quaver sorts each list by time, keeping the file's order at equal times; hit objects at
    # one time may come in any lane order.
    out["TimingPoints"] = sorted(
        ((time(tp.get("StartTime")), float(tp.get("Bpm") or 0), signature(tp.get("Signature")),
          bool(tp.get("Hidden"))) for tp in items(doc, "TimingPoints")),
        key=lambda t: t[0])
    out["SliderVelocities"] = sorted(
        ((time(sv.get("StartTime")), float(sv.get("Multiplier") or 0))
         for sv in items(doc, "SliderVelocities")),
        key=lambda t: t[0])
    out["HitObjects"] = sorted(
        (time(ho.get("StartTime")), ho.get("Lane"), time(ho.get("EndTime")),
         hit_sound(ho.get("HitSound")), note_type(ho.get("Type")),
         tuple((ks.get("Sample"), volume(ks.get("Volume"))) for ks in ho.get("KeySounds") or []),
         ho.get("EditorLayer") or 0, ho.get("TimingGroup") or "$Default")
        for ho in items(doc, "HitObjects"))
    out["CustomAudioSamples"] = [
        (text(s.get("Path")), bool(s.get("UnaffectedByRate"))) for s in items(doc, "CustomAudioSamples")]
    out["SoundEffects"] = sorted(
        ((time(s.get("StartTime")), s.get("Sample"), volume(s.get("Volume")))
         for s in items(doc, "SoundEffects")),
        key=lambda t: t[0])
    for key in ("EditorLayers", "Bookmarks", "ScrollSpeedFactors", "TimingGroups"):
        out[key] = doc.get(key) or None
    if any(note[4] == "mine" for note in out["HitObjects"]):
        out["QuaVersion"] = max(out["QuaVersion"], 1)  # what Quaver writes for mines
    known = set(out) | {"InitialScrollVelocity"}
    for key, value in doc.items():
        if key not in known:
            out[key] = value
    return out


def compare(a, b):
    left, right = normalize(load(a)), normalize(load(b))
    differences = [
        f"{key}: {left.get(key)!r} != {right.get(key)!r}"
        for key in sorted(set(left) | set(right))
        if left.get(key) != right.get(key)
    ]
    print("\n".join(differences) if differences else "same")


if __name__ == "__main__":
    if sys.argv[1:2] == ["dump"] and len(sys.argv) == 3:
        dump(sys.argv[2])
    elif sys.argv[1:2] == ["compare"] and len(sys.argv) == 4:
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
