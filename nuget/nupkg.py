#!/usr/bin/env python3
"""The NuGet package's layout, shared by nuget/pack.sh and the tests.

  nupkg.py rids                          the RIDs the package carries and their file names
  nupkg.py finalize FILE                 add <readme> to the packed .nuspec (nuget.exe 5.8 rejects it)
  nupkg.py check FILE [--tfms A,B] [--rids X,Y] | [--full]
        assert FILE's exact file list (the given target frameworks and RIDs, or all of them) and
        its .nuspec (id, version, license, readme, one dependency group per framework)

Python 3 standard library only.
"""

import argparse
import json
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ID = "RhythmOpenExchange"
# Portable RIDs only (.NET 8 ignores distro- or version-specific ones); macOS as one universal file.
NATIVES = {
    "linux-x64": "librox.so",
    "linux-arm64": "librox.so",
    "win-x64": "rox.dll",
    "win-arm64": "rox.dll",
    "osx": "librox.dylib",
}
TFMS = ["netstandard2.1", "net8.0"]
NUSPEC_TFM = {"netstandard2.1": ".NETStandard2.1", "net8.0": "net8.0"}
MAGIC = {"librox.so": b"\x7fELF", "rox.dll": b"MZ", "librox.dylib": (b"\xca\xfe\xba\xbe", b"\xbe\xba\xfe\xca")}


def version():
    with open(os.path.join(REPO, "unity", "com.rhythmopenexchange.rox", "package.json"), encoding="utf-8") as f:
        return json.load(f)["version"]


def expected_files(tfms, rids):
    files = {"%s.nuspec" % ID, "README.md", "[Content_Types].xml", "_rels/.rels",
             "package/services/metadata/core-properties/*.psmdcp"}
    for tfm in tfms:
        files |= {"lib/%s/%s.dll" % (tfm, ID), "lib/%s/%s.xml" % (tfm, ID)}
    for rid in rids:
        files.add("runtimes/%s/native/%s" % (rid, NATIVES[rid]))
    return files


def finalize(path):
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "%s.nuspec" % ID and b"<readme>" not in data:
                text = data.decode("utf-8-sig")
                text = re.sub(r"(\s*)(<description>)", r"\1<readme>README.md</readme>\1\2", text, count=1)
                data = text.encode("utf-8")
            z.writestr(info, data)
    os.replace(path + ".tmp", path)


def check(path, tfms, rids):
    problems = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        got = {re.sub(r"core-properties/[0-9a-f]{32}\.psmdcp$", "core-properties/*.psmdcp", n) for n in names}
        want = expected_files(tfms, rids)
        for n in sorted(want - got):
            problems.append("missing: " + n)
        for n in sorted(got - want):
            problems.append("unexpected: " + n)
        for rid in rids:
            name = "runtimes/%s/native/%s" % (rid, NATIVES[rid])
            if name in names and not z.read(name).startswith(MAGIC[NATIVES[rid]]):
                problems.append("%s: not a %s binary" % (name, NATIVES[rid]))
        nuspec = ET.fromstring(z.read("%s.nuspec" % ID).decode("utf-8-sig"))
    ns = {"n": nuspec.tag[1:].split("}")[0]} if nuspec.tag.startswith("{") else {"n": ""}
    meta = nuspec.find("n:metadata", ns)

    def field(name):
        el = meta.find("n:" + name, ns)
        return el.text if el is not None else None

    for name, want_value in (("id", ID), ("version", version()), ("license", "MIT"), ("readme", "README.md")):
        if field(name) != want_value:
            problems.append("nuspec %s is %r, expected %r" % (name, field(name), want_value))
    groups = sorted(g.get("targetFramework") for g in meta.findall("n:dependencies/n:group", ns))
    if groups != sorted(NUSPEC_TFM[t] for t in tfms):
        problems.append("nuspec dependency groups %s, expected one per framework %s" % (groups, tfms))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("rids")
    f = sub.add_parser("finalize")
    f.add_argument("file")
    c = sub.add_parser("check")
    c.add_argument("file")
    c.add_argument("--tfms", default="netstandard2.1")
    c.add_argument("--rids", default="linux-x64")
    c.add_argument("--full", action="store_true", help="every framework and RID (release)")
    args = ap.parse_args()
    if args.cmd == "rids":
        for rid, name in NATIVES.items():
            print(rid, name)
    elif args.cmd == "finalize":
        finalize(args.file)
    else:
        tfms = TFMS if args.full else args.tfms.split(",")
        rids = list(NATIVES) if args.full else args.rids.split(",")
        problems = check(args.file, tfms, rids)
        for p in problems:
            print("nupkg: %s: %s" % (os.path.basename(args.file), p), file=sys.stderr)
        if problems:
            return 1
        print("nupkg: %s: exact file list and .nuspec as expected (%s; %s)" % (
            os.path.basename(args.file), ", ".join(tfms), ", ".join(rids)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
