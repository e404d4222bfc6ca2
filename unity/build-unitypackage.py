#!/usr/bin/env python3
"""Builds, without the Unity editor, from unity/com.rhythmopenexchange.rox and the native binaries
in an artifacts folder (<rid>/<file>, see unitypkg.PLUGINS):

  <out>/RhythmOpenExchange-<version>.unitypackage   gzip'd tar of <guid>/{asset,asset.meta,pathname}
        for every file and folder, rooted at Assets/RhythmOpenExchange/ (the sample under Samples/,
        package.json left out); GUIDs are the committed .meta files'
  <out>/com.rhythmopenexchange.rox-<version>.tgz    UPM tarball (package/...), for "Add package
        from tarball"

Both are deterministic (same inputs, same bytes). A native binary absent from the artifacts is
left out together with its .meta (and its folder if that becomes empty), and reported.

usage: build-unitypackage.py [--artifacts DIR] [--out DIR]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unitypkg  # noqa: E402
from unitypkg import PACKAGE_DIR, PLUGINS, REPO  # noqa: E402


def read(path):
    with open(path, "rb") as f:
        return f.read()


def collect(artifacts):
    """[(package-relative path, bytes or None for a folder, meta bytes)], present plugins, missing plugins."""
    present, missing = [], []
    for plugin in PLUGINS:
        src = os.path.join(artifacts, plugin.artifact)
        (present if os.path.isfile(src) else missing).append(plugin)
    plugin_files = {p.path: os.path.join(artifacts, p.artifact) for p in present}
    skip_folders = {"Plugins/" + p.folder for p in missing} - {"Plugins/" + p.folder for p in present}
    entries = []
    for asset in unitypkg.walk_assets():
        if asset in skip_folders:
            continue
        full = os.path.join(PACKAGE_DIR, asset)
        data = None if os.path.isdir(full) else read(full)
        entries.append((asset, data, read(full + ".meta")))
    for path, src in plugin_files.items():
        entries.append((path, read(src), read(os.path.join(PACKAGE_DIR, path + ".meta"))))
    entries.sort(key=lambda e: e[0])
    return entries, present, missing


def build_unitypackage(entries, out_path):
    root = unitypkg.UNITYPACKAGE_ROOT
    items = []  # (guid, pathname, asset bytes or None, meta bytes)
    for synthetic in (root, root + "/Samples"):
        guid = unitypkg.derived_guid(synthetic)
        items.append((guid, synthetic, None, unitypkg.folder_meta(guid).encode()))
    for asset, data, meta in entries:
        if asset == "package.json":
            continue  # a UPM manifest means nothing under Assets/
        pathname = root + "/" + asset.replace("Samples~/", "Samples/", 1)
        guid = unitypkg.GUID_RE.search(meta.decode("utf-8")).group(1)
        items.append((guid, pathname, data, meta))
    guids = [i[0] for i in items]
    if len(set(guids)) != len(guids):
        raise SystemExit("build-unitypackage: duplicate GUIDs; run unity/check-package.py")
    tar = unitypkg.DeterministicTarGz(out_path)
    for guid, pathname, data, meta in sorted(items):
        tar.add_dir(guid)
        if data is not None:
            tar.add_file(guid + "/asset", data)
        tar.add_file(guid + "/asset.meta", meta)
        tar.add_file(guid + "/pathname", pathname.encode("utf-8"))
    tar.close()


def build_upm(entries, out_path):
    tar = unitypkg.DeterministicTarGz(out_path)
    tar.add_dir("package")
    for asset, data, meta in entries:
        if data is None:
            tar.add_dir("package/" + asset)
        else:
            tar.add_file("package/" + asset, data)
        tar.add_file("package/" + asset + ".meta", meta)
    tar.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--artifacts", default=os.path.join(REPO, "artifacts", "native"))
    ap.add_argument("--out", default=os.path.join(REPO, "artifacts", "unity"))
    args = ap.parse_args()
    version = unitypkg.package_json()["version"]
    entries, present, missing = collect(args.artifacts)
    os.makedirs(args.out, exist_ok=True)
    unitypackage = os.path.join(args.out, "RhythmOpenExchange-%s.unitypackage" % version)
    upm = os.path.join(args.out, "com.rhythmopenexchange.rox-%s.tgz" % version)
    build_unitypackage(entries, unitypackage)
    build_upm(entries, upm)
    print("build-unitypackage: native plugins from %s: %s" % (args.artifacts, ", ".join(p.path for p in present) or "none"))
    if missing:
        print("build-unitypackage: MISSING (left out): %s" % ", ".join("%s (%s)" % (p.path, p.artifact) for p in missing))
    print("build-unitypackage: wrote %s and %s" % (os.path.relpath(unitypackage), os.path.relpath(upm)))


if __name__ == "__main__":
    main()
