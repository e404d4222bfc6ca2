#!/usr/bin/env python3
"""Checks the native libraries in an artifacts folder (<rid>/<file>) for what each platform needs:

  linux-x64/arm64   ELF of the right machine, SONAME librox.so, no GLIBC symbol version newer
                    than --max-glibc (default: report only; the release workflow passes 2.31)
  android-*         ELF of the right machine, SONAME, every LOAD segment aligned to 16 KB
  win-x64/arm64     PE of the right machine, no import of the VC++ runtime DLLs (static CRT)
  osx               universal Mach-O with x86_64 and arm64
  ios-arm64         ar archive (static library)
  all but iOS       exports every rox_* function NativeMethods.g.cs declares (ELF and PE)

usage: check-native.py [ARTIFACTS_DIR] [--max-glibc 2.31] [--require-all]
Python 3 standard library only; prints one line per file, exit status 1 on any problem.
"""

import argparse
import os
import re
import struct
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINDINGS = os.path.join(REPO, "unity", "com.rhythmopenexchange.rox", "Runtime", "NativeMethods.g.cs")
EXPECTED = {
    "linux-x64": ("librox.so", "elf", 62), "linux-arm64": ("librox.so", "elf", 183),
    "android-arm64": ("librox.so", "elf", 183), "android-arm": ("librox.so", "elf", 40),
    "android-x64": ("librox.so", "elf", 62),
    "win-x64": ("rox.dll", "pe", 0x8664), "win-arm64": ("rox.dll", "pe", 0xAA64),
    "osx": ("librox.dylib", "macho", None), "ios-arm64": ("librox.a", "ar", None),
}


def entry_points():
    with open(BINDINGS, encoding="utf-8") as f:
        return set(re.findall(r'EntryPoint = "(rox_\w+)"', f.read()))


def elf(data, machine, rid, max_glibc):
    problems, info = [], []
    if data[:4] != b"\x7fELF":
        return ["not an ELF file"], info, set()
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        e_machine, = struct.unpack_from(end + "H", data, 18)
        e_phoff, e_shoff = struct.unpack_from(end + "QQ", data, 32)
        e_phentsize, e_phnum, e_shentsize, e_shnum = struct.unpack_from(end + "HHHH", data, 54)
    else:
        e_machine, = struct.unpack_from(end + "H", data, 18)
        e_phoff, e_shoff = struct.unpack_from(end + "II", data, 28)
        e_phentsize, e_phnum, e_shentsize, e_shnum = struct.unpack_from(end + "HHHH", data, 42)
    if e_machine != machine:
        problems.append("ELF machine %d, expected %d" % (e_machine, machine))
    # Sections: .dynstr, .dynsym, .dynamic, .gnu.version_r
    sections = []
    for i in range(e_shnum):
        off = e_shoff + i * e_shentsize
        if is64:
            name, typ, _, _, offset, size, link, _, _, entsize = struct.unpack_from(end + "IIQQQQIIQQ", data, off)
        else:
            name, typ, _, _, offset, size, link, _, _, entsize = struct.unpack_from(end + "IIIIIIIIII", data, off)
        sections.append((typ, offset, size, link, entsize))

    def cstr(offset):
        return data[offset:data.index(b"\0", offset)].decode("ascii", "replace")

    exported, soname, glibc = set(), None, []
    for typ, offset, size, link, entsize in sections:
        strtab = sections[link][1] if link < len(sections) else 0
        if typ == 11:  # SHT_DYNSYM
            for j in range(size // entsize):
                o = offset + j * entsize
                if is64:
                    st_name, st_info, _, st_shndx = struct.unpack_from(end + "IBBH", data, o)
                else:
                    st_name, _, _, st_info, _, st_shndx = struct.unpack_from(end + "IIIBBH", data, o)
                if st_shndx != 0 and (st_info >> 4) in (1, 2):  # defined, GLOBAL or WEAK
                    exported.add(cstr(strtab + st_name))
        elif typ == 6:  # SHT_DYNAMIC
            fmt = end + ("qQ" if is64 else "iI")
            for j in range(size // entsize):
                tag, val = struct.unpack_from(fmt, data, offset + j * entsize)
                if tag == 14:  # DT_SONAME
                    soname = cstr(strtab + val)
        elif typ == 0x6FFFFFFE:  # SHT_GNU_verneed
            o = offset
            while True:
                _, cnt, _, aux, nxt = struct.unpack_from(end + "HHIII", data, o)
                a = o + aux
                for _ in range(cnt):
                    _, _, _, vna_name, vna_next = struct.unpack_from(end + "IHHII", data, a)
                    m = re.match(r"GLIBC_(\d+(?:\.\d+)*)$", cstr(strtab + vna_name))
                    if m:
                        glibc.append(tuple(int(x) for x in m.group(1).split(".")))
                    a += vna_next
                if not nxt:
                    break
                o += nxt
    if soname != "librox.so":
        problems.append("SONAME %r, expected 'librox.so' (the C# preload relies on it)" % soname)
    if rid.startswith("linux"):
        newest = max(glibc) if glibc else None
        info.append("needs glibc %s" % (".".join(map(str, newest)) if newest else "-"))
        if max_glibc and newest and newest > max_glibc:
            problems.append("needs GLIBC_%s, newer than the allowed %s" % (".".join(map(str, newest)), ".".join(map(str, max_glibc))))
    if rid.startswith("android"):
        aligns = []
        for i in range(e_phnum):
            o = e_phoff + i * e_phentsize
            if is64:
                p_type, = struct.unpack_from(end + "I", data, o)
                p_align, = struct.unpack_from(end + "Q", data, o + 48)
            else:
                p_type, = struct.unpack_from(end + "I", data, o)
                p_align, = struct.unpack_from(end + "I", data, o + 28)
            if p_type == 1:
                aligns.append(p_align)
        info.append("LOAD alignment %s" % sorted(set(aligns)))
        if not aligns or min(aligns) < 0x4000:
            problems.append("LOAD segments aligned to %s, Android 15+ needs 16 KB (0x4000)" % [hex(a) for a in aligns])
    return problems, info, exported


def pe(data, machine):
    problems, info = [], []
    if data[:2] != b"MZ":
        return ["not a PE file"], info, set()
    pe_off, = struct.unpack_from("<I", data, 0x3C)
    if data[pe_off:pe_off + 4] != b"PE\0\0":
        return ["no PE header"], info, set()
    mach, nsec, _, _, _, opt_size, _ = struct.unpack_from("<HHIIIHH", data, pe_off + 4)
    if mach != machine:
        problems.append("PE machine 0x%x, expected 0x%x" % (mach, machine))
    opt = pe_off + 24
    magic, = struct.unpack_from("<H", data, opt)
    dd = opt + (112 if magic == 0x20B else 96)
    export_rva, _ = struct.unpack_from("<II", data, dd)
    import_rva, _ = struct.unpack_from("<II", data, dd + 8)
    secs = []
    for i in range(nsec):
        o = opt + opt_size + i * 40
        vsize, va, rawsize, rawptr = struct.unpack_from("<IIII", data, o + 8)
        secs.append((va, max(vsize, rawsize), rawptr))

    def off(rva):
        for va, size, raw in secs:
            if va <= rva < va + size:
                return rva - va + raw
        raise ValueError("RVA 0x%x outside the sections" % rva)

    def cstr(o):
        return data[o:data.index(b"\0", o)].decode("ascii", "replace")

    imports = []
    if import_rva:
        o = off(import_rva)
        while True:
            ilt, _, _, name_rva, iat = struct.unpack_from("<IIIII", data, o)
            if not (ilt or name_rva or iat):
                break
            imports.append(cstr(off(name_rva)))
            o += 20
    crt = [d for d in imports if re.match(r"(?i)(vcruntime|msvcp|ucrtbase|api-ms-win-crt-)", d)]
    info.append("imports %s" % ", ".join(sorted(imports)))
    if crt:
        problems.append("imports the dynamic C runtime %s (build with -C target-feature=+crt-static)" % crt)
    exported = set()
    if export_rva:
        o = off(export_rva)
        n_names, = struct.unpack_from("<I", data, o + 24)
        names_rva, = struct.unpack_from("<I", data, o + 32)
        for i in range(n_names):
            rva, = struct.unpack_from("<I", data, off(names_rva) + 4 * i)
            exported.add(cstr(off(rva)))
    return problems, info, exported


def macho(data):
    if data[:4] != b"\xca\xfe\xba\xbe":
        return ["not a universal (fat) Mach-O"], []
    n, = struct.unpack_from(">I", data, 4)
    cpus = {struct.unpack_from(">I", data, 8 + 20 * i)[0] for i in range(n)}
    names = {0x01000007: "x86_64", 0x0100000C: "arm64"}
    got = sorted(names.get(c, hex(c)) for c in cpus)
    problems = [] if {"x86_64", "arm64"} <= set(got) else ["architectures %s, expected x86_64 and arm64" % got]
    return problems, ["architectures %s" % ", ".join(got)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("artifacts", nargs="?", default=os.path.join(REPO, "artifacts", "native"))
    ap.add_argument("--max-glibc", help="e.g. 2.31")
    ap.add_argument("--require-all", action="store_true")
    args = ap.parse_args()
    max_glibc = tuple(int(x) for x in args.max_glibc.split(".")) if args.max_glibc else None
    wanted = entry_points()
    failed = False
    for rid, (name, kind, machine) in EXPECTED.items():
        path = os.path.join(args.artifacts, rid, name)
        if not os.path.isfile(path):
            print("check-native: %-13s missing %s" % (rid, path))
            failed |= args.require_all
            continue
        with open(path, "rb") as f:
            data = f.read()
        exported = None
        if kind == "elf":
            problems, info, exported = elf(data, machine, rid, max_glibc)
        elif kind == "pe":
            problems, info, exported = pe(data, machine)
        elif kind == "macho":
            problems, info = macho(data)
        else:
            problems, info = ([] if data.startswith(b"!<arch>\n") else ["not an ar archive"]), []
        if exported is not None:
            missing = sorted(wanted - exported)
            if missing:
                problems.append("does not export %s" % ", ".join(missing))
            else:
                info.append("exports all %d rox_* entry points" % len(wanted))
        print("check-native: %-13s %s: %s" % (rid, "OK" if not problems else "FAIL", "; ".join(info + problems)))
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
