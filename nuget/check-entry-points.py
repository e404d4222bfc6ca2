#!/usr/bin/env python3
"""Checks the rule in RoxLibrary.EnsureLoaded's remarks. Mono binds a P/Invoke when it compiles the
calling method, before EnsureLoaded could preload librox from a NuGet runtimes/<rid>/native folder,
and the failed binding sticks. So a member that calls EnsureLoaded() must not call NativeMethods
itself, and every method it calls that does call NativeMethods must be
[MethodImpl(MethodImplOptions.NoInlining)], or the JIT may inline the P/Invoke into the entry point.

Members are found by the project's layout (a member's braces are indented 8 spaces, as in every
Runtime/*.cs file); calls are matched to members by name, overloads together.
Prints each offending member; exit status 1 if there is any.

usage: check-entry-points.py [RUNTIME_DIR]   (default: the Unity package's Runtime folder)
"""

import glob
import os
import re
import sys

RUNTIME = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "unity", "com.rhythmopenexchange.rox", "Runtime")
NATIVE_CALL = re.compile(r"\bNativeMethods\.\w+\(")


class Member:
    def __init__(self, path, line, declaration, attributes, body):
        self.path, self.line, self.declaration, self.body = path, line, declaration, body
        self.no_inlining = any("MethodImplOptions.NoInlining" in a for a in attributes)
        name = re.search(r"(\w+)\s*(<[^>]*>)?\s*\(", declaration)
        self.name = name.group(1) if name else None

    def where(self):
        return "%s:%d: %s" % (os.path.relpath(self.path), self.line, self.declaration)


def members(path):
    """Every 8-space-indented brace block of a file, with the declaration and attributes above it."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    start = None
    for i, line in enumerate(lines):
        if line.rstrip() == "        {" and start is None:
            start = i
        elif line.rstrip() == "        }" and start is not None:
            above = [l.strip() for l in lines[:start] if l.strip()]
            above = [l for l in above if not l.startswith("//")]
            declaration = above[-1] if above else "?"
            attributes = []
            for l in reversed(above[:-1]):
                if not l.startswith("["):
                    break
                attributes.append(l)
            yield Member(path, start, declaration, attributes, "\n".join(lines[start:i + 1]))
            start = None


def main():
    runtime = sys.argv[1] if len(sys.argv) > 1 else RUNTIME
    files = sorted(p for p in glob.glob(os.path.join(runtime, "*.cs")) if not p.endswith(".g.cs"))
    all_members = [m for p in files for m in members(p)]
    by_name = {}
    for m in all_members:
        by_name.setdefault(m.name, []).append(m)
    bad = []
    for entry in all_members:
        if not re.search(r"\bEnsureLoaded\(\)", entry.body):
            continue
        if NATIVE_CALL.search(entry.body):
            bad.append("%s calls EnsureLoaded() and NativeMethods directly" % entry.where())
        for called in sorted(set(re.findall(r"\b(\w+)\s*\(", entry.body))):
            for m in by_name.get(called, []):
                if m is not entry and NATIVE_CALL.search(m.body) and not m.no_inlining:
                    bad.append("%s calls NativeMethods and is called by the entry point %s, but may be inlined "
                               "into it" % (m.where(), entry.where()))
    for b in bad:
        print("check-entry-points: " + b, file=sys.stderr)
    if bad:
        print("check-entry-points: move the native calls into a separate [MethodImpl(MethodImplOptions.NoInlining)] "
              "method (see RoxLibrary.EnsureLoaded)", file=sys.stderr)
        return 1
    print("check-entry-points: OK (%d files)" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
