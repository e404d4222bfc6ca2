#!/usr/bin/env python3
"""Checks the rule in RoxLibrary.EnsureLoaded's remarks: a member that calls EnsureLoaded() must
not call NativeMethods itself. Mono binds a P/Invoke when it compiles the calling method, before
EnsureLoaded could preload librox from a NuGet runtimes/<rid>/native folder, and the failed
binding sticks; the native call belongs in a separate [MethodImpl(NoInlining)] method.

Members are found by the project's layout (a member's braces are indented 8 spaces, as in every
Runtime/*.cs file). Prints each offending member; exit status 1 if there is any.
"""

import glob
import os
import re
import sys

RUNTIME = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "unity", "com.rhythmopenexchange.rox", "Runtime")


def members(lines):
    """(first line number, body lines) of every 8-space-indented brace block."""
    start = None
    for i, line in enumerate(lines):
        if line.rstrip() == "        {" and start is None:
            start = i
        elif line.rstrip() == "        }" and start is not None:
            yield start, lines[start:i + 1]
            start = None


def main():
    bad = []
    files = sorted(glob.glob(os.path.join(RUNTIME, "*.cs")))
    for path in files:
        if path.endswith(".g.cs"):
            continue
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for start, body in members(lines):
            text = "\n".join(body)
            if re.search(r"\bEnsureLoaded\(\)", text) and re.search(r"\bNativeMethods\.", text):
                # The declaration is the last non-attribute line above the brace.
                decl = next((lines[j].strip() for j in range(start - 1, -1, -1)
                             if lines[j].strip() and not lines[j].strip().startswith(("[", "//"))), "?")
                bad.append("%s:%d: %s calls EnsureLoaded() and NativeMethods directly"
                           % (os.path.relpath(path), start, decl))
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
