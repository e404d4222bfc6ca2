#!/usr/bin/env python3
"""Checks the Unity package folder and, optionally, a .unitypackage and a UPM tarball built from it.

  check-package.py                        the package folder: every file and folder has a .meta,
                                          GUIDs valid and unique, native plugin .meta files equal
                                          the table in unitypkg.py, package.json/asmdef settings,
                                          versions in package.json, Cargo.toml and the .csproj agree
  check-package.py --unitypackage FILE    also FILE: layout, GUIDs equal the committed .meta files,
                                          bytes equal the sources, plugin platform flags
  check-package.py --upm FILE             also a UPM tarball (package/...)
  check-package.py --artifacts DIR        compare plugin binaries in the packages with DIR/<rid>/<file>
  check-package.py --require-all-plugins  fail if a package lacks any native plugin (release)
  check-package.py --write-missing-metas  create the .meta files that are missing (new GUIDs), then check

Every problem is printed with the path it concerns; exit status 1 if there is any.
"""

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unitypkg  # noqa: E402
from unitypkg import PACKAGE_DIR, PLUGIN_BY_PATH, PLUGINS, REPO  # noqa: E402

problems = []


def problem(msg):
    problems.append(msg)


def rel(path):
    return os.path.relpath(path, REPO).replace(os.sep, "/")


def write_missing_metas():
    for asset in unitypkg.walk_assets():
        meta = os.path.join(PACKAGE_DIR, asset + ".meta")
        if os.path.exists(meta):
            continue
        full = os.path.join(PACKAGE_DIR, asset)
        guid = unitypkg.new_guid()
        text = unitypkg.folder_meta(guid) if os.path.isdir(full) else unitypkg.file_meta(os.path.basename(asset), guid)
        with open(meta, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print("wrote %s" % rel(meta))
    for plugin in PLUGINS:
        meta = os.path.join(PACKAGE_DIR, plugin.path + ".meta")
        if not os.path.exists(meta):
            os.makedirs(os.path.dirname(meta), exist_ok=True)
            with open(meta, "w", encoding="utf-8", newline="\n") as f:
                f.write(unitypkg.plugin_meta(plugin, unitypkg.new_guid()))
            print("wrote %s" % rel(meta))


def committed_metas():
    """{package-relative asset path: meta text} for every .meta in the package folder, checking
    that each has its asset (or is an expected native plugin) and a valid, unique GUID."""
    metas = {}
    for dirpath, dirnames, filenames in os.walk(PACKAGE_DIR):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.endswith(".meta"):
                continue
            meta_path = os.path.join(dirpath, name)
            asset = os.path.relpath(meta_path[: -len(".meta")], PACKAGE_DIR).replace(os.sep, "/")
            with open(meta_path, "rb") as f:
                raw = f.read()
            if b"\r" in raw:
                problem("%s: CRLF line endings (Unity writes LF)" % rel(meta_path))
            metas[asset] = raw.decode("utf-8")
            if not os.path.exists(os.path.join(PACKAGE_DIR, asset)) and asset not in PLUGIN_BY_PATH:
                problem("%s: .meta without its asset (delete it, or add %s)" % (rel(meta_path), asset))
    seen = {}
    for asset, text in sorted(metas.items()):
        m = unitypkg.GUID_RE.search(text)
        where = rel(os.path.join(PACKAGE_DIR, asset + ".meta"))
        if not m:
            problem("%s: no 'guid: <32 lowercase hex>' line" % where)
            continue
        guid = m.group(1)
        if guid in seen:
            problem("%s: duplicate GUID %s, also in %s.meta" % (where, guid, rel(os.path.join(PACKAGE_DIR, seen[guid]))))
        seen[guid] = asset
        if not text.startswith("fileFormatVersion: 2\n"):
            problem("%s: does not start with 'fileFormatVersion: 2'" % where)
    return metas


def check_folder():
    metas = committed_metas()
    for asset in unitypkg.walk_assets():
        full = os.path.join(PACKAGE_DIR, asset)
        where = rel(full)
        text = metas.get(asset)
        if text is None:
            problem("%s: missing %s.meta (run unity/check-package.py --write-missing-metas, then commit it)"
                    % (where, os.path.basename(asset)))
            continue
        is_folder = "\nfolderAsset: yes\n" in text
        if os.path.isdir(full) != is_folder:
            problem("%s.meta: folderAsset is %s but this is a %s" % (where, is_folder, "folder" if os.path.isdir(full) else "file"))
        if asset.endswith(".cs") and "\nMonoImporter:\n" not in text:
            problem("%s.meta: a C# script needs a MonoImporter .meta" % where)
        if asset.endswith(".asmdef") and "\nAssemblyDefinitionImporter:\n" not in text:
            problem("%s.meta: an .asmdef needs an AssemblyDefinitionImporter .meta" % where)
    for plugin in PLUGINS:
        where = rel(os.path.join(PACKAGE_DIR, plugin.path)) + ".meta"
        text = metas.get(plugin.path)
        if text is None:
            problem("%s: missing (native plugin .meta files are committed even without the binary)" % where)
            continue
        guid = unitypkg.GUID_RE.search(text)
        if guid and text != unitypkg.plugin_meta(plugin, guid.group(1)):
            problem("%s: differs from the importer settings in unity/unitypkg.py (regenerate it from there)" % where)
        if unitypkg.parse_plugin_platforms(text) != plugin.enabled():
            problem("%s: enabled platforms %s, expected %s" % (where, unitypkg.parse_plugin_platforms(text), plugin.enabled()))
    # One plugin per file name per editor OS/CPU, or Unity reports duplicates.
    editor = {}
    for plugin in PLUGINS:
        if plugin.editor:
            key = (plugin.name, plugin.editor)
            if key in editor:
                problem("Plugins: %s and %s are both enabled for Editor %s" % (editor[key], plugin.path, plugin.editor))
            editor[key] = plugin.path
    for asset, text in metas.items():
        if asset.startswith("Plugins/") and "\nPluginImporter:\n" in text and asset not in PLUGIN_BY_PATH:
            problem("%s.meta: a native plugin that is not in the table of unity/unitypkg.py" % rel(os.path.join(PACKAGE_DIR, asset)))
    check_committed(metas)
    check_manifests()
    return metas


def check_committed(metas):
    """In the repository's own package folder, every .meta must be known to git (committed or at
    least added): an untracked one would be missing from a fresh clone."""
    if os.path.realpath(PACKAGE_DIR) != os.path.realpath(os.path.join(unitypkg.HERE, "com.rhythmopenexchange.rox")):
        return
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=PACKAGE_DIR, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return  # not a git checkout (e.g. an unpacked source archive)
    tracked = {p for p in out.decode("utf-8").split("\0") if p}
    for asset in sorted(metas):
        if asset + ".meta" not in tracked:
            problem("%s.meta: not in git (git add it, or its GUID is lost in a fresh clone)" % rel(os.path.join(PACKAGE_DIR, asset)))


def check_manifests():
    pkg = unitypkg.package_json()
    where = rel(os.path.join(PACKAGE_DIR, "package.json"))
    if pkg.get("name") != "com.rhythmopenexchange.rox":
        problem("%s: name is %r" % (where, pkg.get("name")))
    if not re.match(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", pkg.get("version", "")):
        problem("%s: version %r is not SemVer" % (where, pkg.get("version")))
    if not re.match(r"^\d{4}\.\d$", pkg.get("unity", "")):
        problem("%s: unity (minimum version) %r should look like 2021.3" % (where, pkg.get("unity")))
    for key in ("displayName", "description"):
        if not pkg.get(key):
            problem("%s: %s missing" % (where, key))
    for sample in pkg.get("samples", []):
        path = sample.get("path", "")
        if not path.startswith("Samples~/") or not os.path.isdir(os.path.join(PACKAGE_DIR, path)):
            problem("%s: sample path %r is not a folder under Samples~/" % (where, path))
    asmdef_path = os.path.join(PACKAGE_DIR, "Runtime", "RhythmOpenExchange.asmdef")
    with open(asmdef_path, encoding="utf-8") as f:
        asmdef = json.load(f)
    for key, want in (("name", "RhythmOpenExchange"), ("allowUnsafeCode", True), ("noEngineReferences", True)):
        if asmdef.get(key) != want:
            problem("%s: %s is %r, expected %r" % (rel(asmdef_path), key, asmdef.get(key), want))
    # One version everywhere: the release tag, the UPM package, the NuGet package and the crate.
    version = pkg.get("version")
    with open(os.path.join(REPO, "Cargo.toml"), encoding="utf-8") as f:
        cargo = re.search(r'^version = "([^"]+)"', f.read(), re.M).group(1)
    csproj_path = os.path.join(REPO, "dotnet", "RhythmOpenExchange", "RhythmOpenExchange.csproj")
    with open(csproj_path, encoding="utf-8") as f:
        csproj = f.read()
    m = re.search(r"<Version>([^<]+)</Version>", csproj)
    for name, v in (("Cargo.toml", cargo), (rel(csproj_path), m.group(1) if m else None)):
        if v != version:
            problem("%s: version %s differs from package.json's %s" % (name, v, version))
    godot = os.path.join(REPO, "samples", "godot", "RoxGodotSample.csproj")
    with open(godot, encoding="utf-8") as f:
        m = re.search(r'<PackageReference Include="RhythmOpenExchange" Version="([^"]+)"', f.read())
    if not m or m.group(1) != version:
        problem("%s: RhythmOpenExchange PackageReference version %s differs from package.json's %s" % (rel(godot), m and m.group(1), version))
    # The SDK project must compile Runtime only: Samples~ needs UnityEngine.
    includes = re.findall(r'<Compile Include="([^"]+)"', csproj)
    if includes != ["../../unity/com.rhythmopenexchange.rox/Runtime/**/*.cs"] or "EnableDefaultCompileItems>false" not in csproj:
        problem("%s: must compile exactly unity/.../Runtime/**/*.cs with default compile items off, found %s" % (rel(csproj_path), includes))


def read_tgz(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] != b"\x1f\x8b":
        problem("%s: not gzip" % path)
        return None, {}
    if raw[4:8] != b"\0\0\0\0":
        problem("%s: gzip header has a timestamp (not deterministic)" % path)
    if raw[3] & 0x08:
        problem("%s: gzip header has a file name (not deterministic)" % path)
    tar = tarfile.open(fileobj=io.BytesIO(gzip.decompress(raw)), mode="r:")
    members = tar.getmembers()
    for m in members:
        if m.mtime != 0 or m.uid != 0 or m.gid != 0 or m.uname or m.gname:
            problem("%s: %s has mtime %d uid %d gid %d (not deterministic)" % (path, m.name, m.mtime, m.uid, m.gid))
        if "\\" in m.name or m.name.startswith("/") or ".." in m.name.split("/"):
            problem("%s: bad member name %r" % (path, m.name))
    files = {m.name: tar.extractfile(m).read() for m in members if m.isfile()}
    return members, files


def expected_binary(plugin, artifacts):
    if not artifacts:
        return None
    p = os.path.join(artifacts, plugin.artifact)
    if not os.path.isfile(p):
        return None
    with open(p, "rb") as f:
        return f.read()


def check_plugin_binary(where, plugin, data, artifacts):
    magic = {".so": b"\x7fELF", ".dll": b"MZ", ".a": b"!<arch>\n"}
    for ext, m in magic.items():
        if plugin.name.endswith(ext) and not data.startswith(m):
            problem("%s: %s does not start with %r" % (where, plugin.path, m))
    if plugin.name.endswith(".bundle") and data[:4] not in (b"\xca\xfe\xba\xbe", b"\xbe\xba\xfe\xca"):
        problem("%s: %s is not a universal (fat) Mach-O" % (where, plugin.path))
    if plugin.folder == "linux-x64" and data[:4] == b"\x7fELF" and data[18:20] != b"\x3e\x00":
        problem("%s: %s is not an x86-64 ELF" % (where, plugin.path))
    want = expected_binary(plugin, artifacts)
    if artifacts and want is not None and data != want:
        problem("%s: %s differs from %s" % (where, plugin.path, os.path.join(artifacts, plugin.artifact)))


def check_unitypackage(path, metas, artifacts, require_all):
    members, files = read_tgz(path)
    if members is None:
        return
    root = unitypkg.UNITYPACKAGE_ROOT
    guid_dirs = {}
    for name in files:
        parts = name.split("/")
        if len(parts) != 2 or not re.match(r"^[0-9a-f]{32}$", parts[0]):
            problem("%s: unexpected member %s" % (path, name))
            continue
        guid_dirs.setdefault(parts[0], {})[parts[1]] = files[name]
    by_path = {}
    for guid, entry in sorted(guid_dirs.items()):
        if "pathname" not in entry or "asset.meta" not in entry:
            problem("%s: %s/ lacks %s" % (path, guid, "pathname" if "pathname" not in entry else "asset.meta"))
            continue
        extra = set(entry) - {"pathname", "asset.meta", "asset", "preview.png"}
        if extra:
            problem("%s: %s/ has unexpected files %s" % (path, guid, sorted(extra)))
        pathname = entry["pathname"].decode("utf-8")
        if "\\" in pathname or "\n" in pathname or not (pathname == root or pathname.startswith(root + "/")):
            problem("%s: %s/pathname %r is not a forward-slash path under %s" % (path, guid, pathname, root))
            continue
        meta = entry["asset.meta"].decode("utf-8")
        m = unitypkg.GUID_RE.search(meta)
        if not m or m.group(1) != guid:
            problem("%s: %s (%s): asset.meta GUID %s differs from its folder name" % (path, pathname, guid, m and m.group(1)))
        if pathname in by_path:
            problem("%s: %s appears twice" % (path, pathname))
        by_path[pathname] = (guid, entry)
    # Every asset's parent folders are entries too.
    for pathname in by_path:
        parent = pathname.rsplit("/", 1)[0]
        if pathname != root and parent not in by_path:
            problem("%s: %s has no entry for its folder %s" % (path, pathname, parent))
    if root not in by_path:
        problem("%s: no entry for the root folder %s" % (path, root))
    # Contents against the package folder.
    expected = {}
    plugin_folders = {"Plugins/" + p.folder for p in PLUGINS}
    for asset in unitypkg.walk_assets():
        if asset == "package.json" or asset in plugin_folders:
            continue  # plugin folders are expected below, when their binary is in the package
        target = root + "/" + asset.replace("Samples~/", "Samples/", 1)
        expected[target] = asset
    for plugin in PLUGINS:
        target = root + "/" + plugin.path
        in_pkg = target in by_path
        if require_all and not in_pkg:
            problem("%s: native plugin %s missing" % (path, plugin.path))
        if artifacts and (expected_binary(plugin, artifacts) is not None) != in_pkg:
            problem("%s: native plugin %s is %s, but %s is %s" % (
                path, plugin.path, "present" if in_pkg else "absent", plugin.artifact,
                "present" if not in_pkg else "absent"))
        if in_pkg:
            expected[target] = plugin.path
            folder = target.rsplit("/", 1)[0]
            expected[folder] = "Plugins/" + plugin.folder
    for pathname, (guid, entry) in sorted(by_path.items()):
        source = expected.get(pathname)
        synthetic = pathname in (root, root + "/Samples")
        if source is None and not synthetic:
            problem("%s: %s is not in the package folder" % (path, pathname))
            continue
        meta = entry["asset.meta"].decode("utf-8")
        if synthetic:
            if guid != unitypkg.derived_guid(pathname) or meta != unitypkg.folder_meta(guid):
                problem("%s: %s should be a folder with GUID %s" % (path, pathname, unitypkg.derived_guid(pathname)))
            continue
        if meta != metas.get(source):
            problem("%s: %s: asset.meta differs from the committed %s.meta" % (path, pathname, source))
        full = os.path.join(PACKAGE_DIR, source)
        if source in PLUGIN_BY_PATH:
            plugin = PLUGIN_BY_PATH[source]
            if "asset" not in entry:
                problem("%s: %s has no asset" % (path, pathname))
            else:
                check_plugin_binary(path, plugin, entry["asset"], artifacts)
            if unitypkg.parse_plugin_platforms(meta) != plugin.enabled():
                problem("%s: %s enabled for %s, expected %s" % (path, pathname, unitypkg.parse_plugin_platforms(meta), plugin.enabled()))
        elif os.path.isdir(full):
            if "asset" in entry:
                problem("%s: folder %s has an asset file" % (path, pathname))
        else:
            with open(full, "rb") as f:
                if entry.get("asset") != f.read():
                    problem("%s: %s differs from %s" % (path, pathname, rel(full)))
    for pathname in sorted(set(expected) - set(by_path)):
        problem("%s: %s missing" % (path, pathname))


def check_upm(path, metas, artifacts, require_all):
    members, files = read_tgz(path)
    if members is None:
        return
    names = {m.name for m in members}
    for n in names:
        if n != "package" and not n.startswith("package/"):
            problem("%s: %s is outside package/" % (path, n))
    pkg = json.loads(files.get("package/package.json", b"{}"))
    if pkg != unitypkg.package_json():
        problem("%s: package/package.json differs from the package folder's" % path)
    expected = {"package/" + a: a for a in unitypkg.walk_assets() if not os.path.isdir(os.path.join(PACKAGE_DIR, a))}
    folders = {a for a in unitypkg.walk_assets() if os.path.isdir(os.path.join(PACKAGE_DIR, a))}
    for plugin in PLUGINS:
        name = "package/" + plugin.path
        if name in files:
            expected[name] = plugin.path
            check_plugin_binary(path, plugin, files[name], artifacts)
        elif require_all:
            problem("%s: native plugin %s missing" % (path, plugin.path))
        if artifacts and (expected_binary(plugin, artifacts) is not None) != (name in files):
            problem("%s: native plugin %s present/absent unlike %s" % (path, plugin.path, plugin.artifact))
    present_plugin_folders = {"Plugins/" + p.folder for p in PLUGINS if "package/" + p.path in files}
    for asset, source in sorted(expected.items()):
        if asset not in files:
            problem("%s: %s missing" % (path, asset))
            continue
        if source not in PLUGIN_BY_PATH:
            with open(os.path.join(PACKAGE_DIR, source), "rb") as f:
                if files[asset] != f.read():
                    problem("%s: %s differs from the package folder" % (path, asset))
        if files.get(asset + ".meta", b"").decode("utf-8") != metas.get(source):
            problem("%s: %s.meta missing or differs from the committed one" % (path, asset))
    for folder in sorted(folders):
        if folder.startswith("Plugins/") and folder != "Plugins/README.md" and folder not in present_plugin_folders:
            continue
        if files.get("package/" + folder + ".meta", b"").decode("utf-8") != metas.get(folder):
            problem("%s: package/%s.meta missing or differs from the committed one" % (path, folder))
    known = set(expected) | {a + ".meta" for a in expected} | {"package/" + f + ".meta" for f in folders}
    for name in sorted(files):
        if name not in known:
            problem("%s: unexpected file %s" % (path, name))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--unitypackage")
    ap.add_argument("--upm")
    ap.add_argument("--artifacts", help="native artifacts folder (<rid>/<file>) the packages were built from")
    ap.add_argument("--require-all-plugins", action="store_true")
    ap.add_argument("--write-missing-metas", action="store_true")
    args = ap.parse_args()
    if args.write_missing_metas:
        write_missing_metas()
    metas = check_folder()
    if args.unitypackage:
        check_unitypackage(args.unitypackage, metas, args.artifacts, args.require_all_plugins)
    if args.upm:
        check_upm(args.upm, metas, args.artifacts, args.require_all_plugins)
    for p in problems:
        print("check-package: " + p, file=sys.stderr)
    if problems:
        print("check-package: %d problem(s)" % len(problems), file=sys.stderr)
        return 1
    checked = ["package folder (%d assets, %d native plugin .meta files)" % (len(unitypkg.walk_assets()), len(PLUGINS))]
    checked += [p for p in (args.unitypackage, args.upm) if p]
    print("check-package: OK: " + ", ".join(checked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
