"""Shared by build-unitypackage.py and check-package.py: the Unity package's layout, its native
plugins (one table, the only place that says which binary goes where and for which platform),
the .meta templates Unity writes for each kind of asset, and a deterministic tar.gz writer.

Python 3 standard library only.
"""

import gzip
import io
import json
import os
import re
import tarfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# ROX_UNITY_PACKAGE_DIR: check another copy of the package folder (unity/test.sh's negative tests).
PACKAGE_DIR = os.environ.get("ROX_UNITY_PACKAGE_DIR") or os.path.join(HERE, "com.rhythmopenexchange.rox")

# Where the .unitypackage puts the package folder in the user's project.
UNITYPACKAGE_ROOT = "Assets/RhythmOpenExchange"


class Plugin:
    """One native binary: where it lives in the package, where the release artifacts have it,
    and the platforms it is enabled for. Every other platform is disabled in its .meta."""

    def __init__(self, folder, name, artifact, editor=None, standalone=None, android=None, ios=None):
        self.folder = folder          # Plugins/<folder>/ (named after the .NET RID)
        self.name = name              # file name in the package
        self.artifact = artifact      # <rid>/<file> under the artifacts folder
        self.editor = editor          # (OS, CPU) or None
        self.standalone = standalone  # (Win64 | Linux64 | OSXUniversal, CPU) or None
        self.android = android        # ARM64 | ARMv7 | X86_64 or None
        self.ios = ios                # ARM64 or None

    @property
    def path(self):
        return "Plugins/%s/%s" % (self.folder, self.name)

    def enabled(self):
        """{platform key: CPU} for every enabled platform, as the checker compares them."""
        out = {}
        if self.editor:
            out["Editor"] = "%s/%s" % self.editor
        if self.standalone:
            out[self.standalone[0]] = self.standalone[1]
        if self.android:
            out["Android"] = self.android
        if self.ios:
            out["iOS"] = self.ios
        return out


# Windows and Linux: Editor + Standalone per architecture. macOS: one universal (x86_64 + arm64)
# Mach-O named rox.bundle, which Unity's DllImport("rox") lookup finds. Android: one .so per ABI
# (16 KB page aligned). iOS: the static library, called through "__Internal".
PLUGINS = [
    Plugin("win-x64", "rox.dll", "win-x64/rox.dll", editor=("Windows", "x86_64"), standalone=("Win64", "x86_64")),
    Plugin("win-arm64", "rox.dll", "win-arm64/rox.dll", editor=("Windows", "ARM64"), standalone=("Win64", "ARM64")),
    Plugin("linux-x64", "librox.so", "linux-x64/librox.so", editor=("Linux", "x86_64"), standalone=("Linux64", "x86_64")),
    Plugin("osx", "rox.bundle", "osx/librox.dylib", editor=("OSX", "AnyCPU"), standalone=("OSXUniversal", "AnyCPU")),
    Plugin("android-arm64", "librox.so", "android-arm64/librox.so", android="ARM64"),
    Plugin("android-arm", "librox.so", "android-arm/librox.so", android="ARMv7"),
    Plugin("android-x64", "librox.so", "android-x64/librox.so", android="X86_64"),
    Plugin("ios-arm64", "librox.a", "ios-arm64/librox.a", ios="ARM64"),
]
PLUGIN_BY_PATH = {p.path: p for p in PLUGINS}

GUID_RE = re.compile(r"^guid: ([0-9a-f]{32})$", re.M)


def plugin_meta(plugin, guid):
    """The PluginImporter .meta for a native binary, as Unity (serializedVersion 2) writes it."""
    ed = plugin.editor
    sa = plugin.standalone or (None, None)

    def standalone(target):
        on = sa[0] == target
        return "  - first:\n      Standalone: %s\n    second:\n      enabled: %d\n      settings:\n        CPU: %s\n" % (
            target, on, sa[1] if on else "None")

    excl = {
        "Android": plugin.android is None, "Editor": ed is None, "Linux64": sa[0] != "Linux64",
        "OSXUniversal": sa[0] != "OSXUniversal", "Win": True, "Win64": sa[0] != "Win64", "iOS": plugin.ios is None,
    }
    text = (
        "fileFormatVersion: 2\nguid: %s\nPluginImporter:\n  externalObjects: {}\n  serializedVersion: 2\n"
        "  iconMap: {}\n  executionOrder: {}\n  defineConstraints: []\n  isPreloaded: 0\n  isOverridable: 0\n"
        "  isExplicitlyReferenced: 0\n  validateReferences: 1\n  platformData:\n" % guid)
    text += "  - first:\n      : Any\n    second:\n      enabled: 0\n      settings:\n"
    text += "".join("        Exclude %s: %d\n" % (k, excl[k]) for k in sorted(excl))
    text += ("  - first:\n      Android: Android\n    second:\n      enabled: %d\n      settings:\n"
             "        AndroidSharedLibraryType: Executable\n        CPU: %s\n" % (
                 plugin.android is not None, plugin.android or "ARMv7"))
    text += "  - first:\n      Any: \n    second:\n      enabled: 0\n      settings: {}\n"
    text += ("  - first:\n      Editor: Editor\n    second:\n      enabled: %d\n      settings:\n"
             "        CPU: %s\n        DefaultValueInitialized: true\n        OS: %s\n" % (
                 ed is not None, ed[1] if ed else "AnyCPU", ed[0] if ed else "AnyOS"))
    for target in ("Linux64", "OSXUniversal", "Win", "Win64"):
        text += standalone(target)
    text += ("  - first:\n      iPhone: iOS\n    second:\n      enabled: %d\n      settings:\n"
             "        AddToEmbeddedBinaries: false\n        CPU: %s\n        CompileFlags: \n"
             "        FrameworkDependencies: \n" % (plugin.ios is not None, plugin.ios or "AnyCPU"))
    text += "  userData: \n  assetBundleName: \n  assetBundleVariant: \n"
    return text


def parse_plugin_platforms(meta_text):
    """{platform key: CPU} of the enabled platforms in a serializedVersion 2 PluginImporter .meta."""
    out = {}
    for block in meta_text.split("  - first:\n")[1:]:
        m = re.match(r"\s+(\S*): (\S+)\n\s+second:\n\s+enabled: (\d)", block)
        if not m or m.group(3) != "1":
            continue
        platform = m.group(2)
        cpu = re.search(r"^\s+CPU: (\S+)$", block, re.M)
        cpu = cpu.group(1) if cpu else ""
        if platform == "Editor":
            os_ = re.search(r"^\s+OS: (\S+)$", block, re.M)
            cpu = "%s/%s" % (os_.group(1) if os_ else "AnyOS", cpu)
        out[platform] = cpu
    return out


def folder_meta(guid):
    return ("fileFormatVersion: 2\nguid: %s\nfolderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n"
            "  userData: \n  assetBundleName: \n  assetBundleVariant: \n" % guid)


def file_meta(name, guid):
    """The .meta Unity writes for a new file of this kind."""
    if name.endswith(".cs"):
        return ("fileFormatVersion: 2\nguid: %s\nMonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n"
                "  defaultReferences: []\n  executionOrder: 0\n  icon: {instanceID: 0}\n  userData: \n"
                "  assetBundleName: \n  assetBundleVariant: \n" % guid)
    if name.endswith(".asmdef"):
        importer = "AssemblyDefinitionImporter"
    elif name.endswith((".json", ".md", ".txt", ".xml", ".bytes", ".csv", ".yaml")):
        importer = "TextScriptImporter"
    else:
        importer = "DefaultImporter"
    return ("fileFormatVersion: 2\nguid: %s\n%s:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n"
            "  assetBundleVariant: \n" % (guid, importer))


def new_guid():
    return uuid.uuid4().hex


def read_guid(meta_path):
    with open(meta_path, encoding="utf-8") as f:
        m = GUID_RE.search(f.read())
    return m.group(1) if m else None


def derived_guid(path):
    """A stable GUID for a folder that exists only in the .unitypackage (its root and Samples)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "rhythmopenexchange-unitypackage:" + path).hex


def unity_ignores(name):
    """Names Unity's asset database skips (and which therefore have no .meta)."""
    return name.startswith(".") or name.endswith("~") or name.endswith(".tmp") or name.lower() == "cvs"


def walk_assets(root=PACKAGE_DIR):
    """Every file and folder of the package that Unity imports once the package (or a sample) is
    in a project, as sorted package-relative paths with forward slashes, .meta files excluded.
    Samples~ is Unity-ignored itself, but its content is imported when the user imports a sample.
    Native plugin binaries are left out: the packages take them from the artifacts folder."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in dirnames + sorted(filenames):
            if name.endswith(".meta") or unity_ignores(name):
                continue
            rel = name if rel_dir == "." else rel_dir + "/" + name
            if rel not in PLUGIN_BY_PATH:
                out.append(rel)
    return sorted(out)


def package_json():
    with open(os.path.join(PACKAGE_DIR, "package.json"), encoding="utf-8") as f:
        return json.load(f)


class DeterministicTarGz:
    """A gzip'd tar whose bytes depend only on the entries added: mtime 0, uid/gid 0, no user or
    group names, fixed modes, entries in the order added, gzip header without name or time."""

    def __init__(self, path):
        self._path = path
        self._buf = io.BytesIO()
        self._tar = tarfile.open(fileobj=self._buf, mode="w", format=tarfile.GNU_FORMAT)

    def _info(self, name, kind, size=0):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.size = size
        info.mtime = 0
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
        return info

    def add_dir(self, name):
        self._tar.addfile(self._info(name, tarfile.DIRTYPE))

    def add_file(self, name, data):
        self._tar.addfile(self._info(name, tarfile.REGTYPE, len(data)), io.BytesIO(data))

    def close(self):
        self._tar.close()
        with open(self._path, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
                gz.write(self._buf.getvalue())
