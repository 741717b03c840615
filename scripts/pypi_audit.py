"""What PyPI itself says of torch and its libraries, against extensions/torch_matrix.py.

    python scripts/refresh_matrix.py --pypi [--record DIR | --recorded DIR]

For torch and each library release the data pins, it reads PyPI's file list (the JSON simple
API, PEP 691) and one wheel's METADATA (its PEP 658 `.metadata` file where PyPI offers one,
else the few bytes of the wheel that hold it, by HTTP range requests: no wheel is downloaded),
and prints every difference from the data: the newest patch, the CPython minors and free-threaded
builds on each platform, the macOS and glibc floors their tags state, the torch a library's
Requires-Dist names, the Pythons a Requires-Python excludes, and the CUDA runtime packages torch
requires on Linux. `--record DIR` keeps what it read, trimmed to those releases, for the tests
(`--recorded DIR` reads that instead of PyPI).
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import refresh_matrix
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import Version
from refresh_matrix import Finding, matrix, platform_of, torch_pin, torch_plan

PYPI = "https://pypi.org/simple"
DEFAULT = matrix.DEFAULT_PLATFORMS


# --- reading PyPI, live or recorded ---------------------------------------------------------


class _RangeReader(io.RawIOBase):
    """A remote file read by HTTP range requests, seekable, for zipfile to find one member."""

    def __init__(self, url: str):
        self.url, self.position = url, 0
        head = urllib.request.Request(url, method="HEAD")
        with urllib.request.urlopen(head, timeout=60) as response:
            self.size = int(response.headers["Content-Length"])

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.position, 2: self.size}[whence]
        self.position = base + offset
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.size:
            return 0
        end = min(self.position + len(buffer), self.size) - 1
        request = urllib.request.Request(self.url, headers={"Range": f"bytes={self.position}-{end}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            data = response.read()
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


def read_metadata(file: dict) -> str:
    """A wheel's METADATA: its PEP 658 file where the index offers one, else ranged reads."""
    if file.get("core-metadata") or file.get("dist-info-metadata"):
        fetched = refresh_matrix.fetch(file["url"] + ".metadata", accept="*/*")
        if fetched:
            return fetched[0]
    with zipfile.ZipFile(io.BufferedReader(_RangeReader(file["url"]), buffer_size=1 << 16)) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        return wheel.read(name).decode("utf-8")


@dataclass
class Live:
    """PyPI itself; with `record`, what was read is kept there too."""

    url: str = PYPI
    record: Path | None = None
    pages: dict[str, dict] = field(default_factory=dict)
    metadata_read: dict[str, str] = field(default_factory=dict)

    def files(self, project: str) -> list[dict]:
        if project not in self.pages:
            fetched = refresh_matrix.fetch(f"{self.url}/{project}/")
            self.pages[project] = json.loads(fetched[0]) if fetched else {"files": []}
        return self.pages[project]["files"]

    def metadata(self, file: dict) -> str:
        if file["filename"] not in self.metadata_read:
            self.metadata_read[file["filename"]] = read_metadata(file)
        return self.metadata_read[file["filename"]]

    def save(self, versions: dict[str, set[str]]) -> None:
        """Into `record`: the pages, trimmed to the series of the releases compared (so that a
        newer patch shows) and to the fields read, and the METADATA read, without the
        description that follows its header."""
        for project, page in self.pages.items():
            series = {Version(v).release[:2] for v in versions.get(project, ())}
            kept = [
                {key: f[key] for key in ("filename", "requires-python", "yanked") if key in f}
                for f in page["files"]
                if _version(f["filename"]) and Version(_version(f["filename"])).release[:2] in series
            ]
            path = self.record / f"{project}.json"
            path.write_text(json.dumps({"name": project, "files": kept}, indent=1, sort_keys=True) + "\n")
        folder = self.record / "metadata"
        folder.mkdir(exist_ok=True)
        for filename, text in self.metadata_read.items():
            header = text.split("\n\n", 1)[0]
            (folder / f"{filename}.metadata").write_text(header + "\n")


@dataclass
class Recorded:
    """What `--record` kept: the tests read PyPI's answers from it."""

    folder: Path

    def files(self, project: str) -> list[dict]:
        path = self.folder / f"{project}.json"
        return json.loads(path.read_text())["files"] if path.exists() else []

    def metadata(self, file: dict) -> str:
        """The METADATA kept of the file; "" for a file whose METADATA was not read then."""
        path = self.folder / "metadata" / f"{file['filename']}.metadata"
        return path.read_text() if path.exists() else ""


def _version(filename: str) -> str:
    try:
        return str(parse_wheel_filename(filename)[1])
    except InvalidWheelFilename:
        return ""


# --- what the files say --------------------------------------------------------------------


def _glibc(tag: str) -> str:
    if match := re.match(r"manylinux_(\d+)_(\d+)_", tag):
        return f"{match.group(1)}.{match.group(2)}"
    return {"manylinux2014": "2.17", "manylinux2010": "2.12", "manylinux1": "2.5"}.get(tag.split("_")[0], "")


def _macos(tag: str) -> str:
    match = re.match(r"macosx_(\d+)_(\d+)_", tag)
    return f"{match.group(1)}.{match.group(2)}" if match else ""


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in version.split("."))


@dataclass
class Release:
    """One release on PyPI as its wheel files show it: per platform, what each kind of wheel
    installs on and the lowest floor among the files of that kind (a macOS version, a glibc
    version, or "" for Windows). Kinds: a CPython build (`3.12`, `3.14t`), `abi3` (CPython
    `abi3_from` and later, not free-threaded), `py3` (any Python)."""

    version: str
    floors: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    abi3_from: str = ""
    files: list[dict] = field(default_factory=list)

    def add(self, file: dict) -> None:
        _, _, _, tags = parse_wheel_filename(file["filename"])
        self.files.append(file)
        for tag in tags:
            if tag.abi == "abi3":
                self.abi3_from, kind = f"3.{tag.interpreter[3:]}", "abi3"
            elif tag.interpreter.startswith("cp"):
                kind = f"3.{tag.interpreter[3:]}" + ("t" if tag.abi.endswith("t") else "")
            else:
                kind = "py3"
            floor = _macos(tag.platform) or _glibc(tag.platform)
            for platform in DEFAULT if tag.platform == "any" else [platform_of(tag.platform)]:
                if platform is None:
                    continue
                held = self.floors[platform]
                if kind not in held or (floor and held[kind] and _key(floor) < _key(held[kind])):
                    held[kind] = floor

    def kind_for(self, platform: str, python: str) -> str | None:
        """Which wheel installs this Python on the platform, if any: its own build first, then
        abi3, then a pure one."""
        held = self.floors.get(platform, {})
        free = python.endswith("t")
        if python in held:
            return python
        if "abi3" in held and not free and _key(python) >= _key(self.abi3_from):
            return "abi3"
        # A pure wheel beside compiled ones is a fallback without their compiled part (torchao's
        # py3-none-any): the PyTorch indexes serve the compiled ones only.
        compiled = any(k != "py3" for k in held)
        return "py3" if "py3" in held and not compiled else None

    def floor(self, platform: str, python: str) -> str:
        kind = self.kind_for(platform, python)
        return self.floors[platform][kind] if kind else ""

    def requires_python(self) -> SpecifierSet:
        found = {f.get("requires-python") or "" for f in self.files}
        return SpecifierSet(max(found, key=len)) if found else SpecifierSet()


def releases(source, project: str) -> dict[str, Release]:
    found: dict[str, Release] = {}
    for file in source.files(project):
        if not file["filename"].endswith(".whl") or file.get("yanked"):
            continue
        version = _version(file["filename"])
        found.setdefault(version, Release(version)).add(file)
    return found


# --- against the data ----------------------------------------------------------------------


def _floor_findings(minor, subject, expected, release: Release, platforms, pythons) -> list[Finding]:
    findings = []
    for platform in platforms:
        for python in pythons:
            seen = release.floor(platform, python)
            if platform == "macos-arm64":
                wanted = expected.macos_for(python)
            elif platform.startswith("linux"):
                wanted = expected.glibc_for(platform)
            else:
                continue
            if seen and wanted and _key(seen) != _key(wanted):
                what = "macOS" if platform == "macos-arm64" else "glibc"
                detail = f"{release.version} on {platform}, Python {python}: {what} {seen} (data: {wanted})"
                findings.append(Finding(minor, "floor", subject, detail))
    return findings


def _pythons_findings(minor, subject, release, platforms, expected: set[str], candidates) -> list[Finding]:
    """The CPython builds with a wheel on every one of these platforms, against the data's."""
    allowed = release.requires_python()
    seen = {p for p in candidates if allowed.contains(f"{p.rstrip('t')}.0", prereleases=True)}
    for platform in platforms:
        seen = {p for p in seen if release.kind_for(platform, p)}
    if seen == expected:
        return []
    order = sorted(seen | expected, key=torch_plan._python_key)
    listed = ", ".join(p for p in order if p in seen)
    detail = f"{release.version} has wheels on {', '.join(platforms)} for {listed} (data: {', '.join(p for p in order if p in expected)})"
    return [Finding(minor, "pythons", subject, detail)]


def _candidates() -> list[str]:
    minors = [f"3.{n}" for n in range(8, 17)]
    return minors + [f"{m}t" for m in minors]


def _runtime_findings(minor, release: Release, source) -> list[Finding]:
    """Every package torch requires on Linux must be one CUDA_RUNTIME_PACKAGES names."""
    linux = [f for f in release.files if "manylinux" in f["filename"] and "x86_64" in f["filename"]]
    if not linux:
        return []
    required = [
        Requirement(line.split(":", 1)[1])
        for line in source.metadata(linux[0]).splitlines()
        if line.startswith("Requires-Dist:")
    ]
    on_linux = {
        r.name for r in required if r.marker and "Linux" in str(r.marker) and "extra" not in str(r.marker)
    }
    unknown = sorted(n for n in on_linux if not any(fnmatch(n, p) for p in matrix.CUDA_RUNTIME_PACKAGES))
    if unknown:
        detail = f"{release.version} requires on Linux {', '.join(unknown)}, which CUDA_RUNTIME_PACKAGES does not name"
        return [Finding(minor, "runtime packages", "torch", detail)]
    return []


def audit(source) -> tuple[list[Finding], dict[str, set[str]]]:
    """Every difference PyPI shows from the data, and the releases it compared."""
    findings: list[Finding] = []
    compared: dict[str, set[str]] = defaultdict(set)
    torch = releases(source, "torch")
    for rel in matrix.RELEASES:
        patches = [
            v for v in torch if Version(v).release[:2] == _key(rel.minor) and not Version(v).is_prerelease
        ]
        newest = max(patches, key=Version, default=None)
        if newest is None:
            findings.append(Finding(rel.minor, "missing", "torch", "no wheels on PyPI"))
            continue
        compared["torch"].add(newest)
        if newest != rel.latest:
            findings.append(Finding(rel.minor, "newer patch", "torch", f"{newest} (data: {rel.latest})"))
        release = torch[newest]
        expected = set(rel.pythons) | set(rel.free_threaded)
        findings += _pythons_findings(rel.minor, "torch", release, DEFAULT, expected, _candidates())
        findings += _floor_findings(rel.minor, "torch", rel.floors, release, DEFAULT, sorted(expected))
        findings += _runtime_findings(rel.minor, release, source)
    for name, library in matrix.LIBRARIES.items():
        published = releases(source, name)
        for minor, facts in library.versions.items():
            findings += _pairing_findings(source, name, minor, facts, published, compared)
    return findings, compared


def _pairing_findings(source, name, minor, facts, published, compared) -> list[Finding]:
    subject = f"{name} {facts.version}"
    if facts.version not in published:
        return [Finding(minor, "missing", name, f"{facts.version} has no wheels on PyPI")]
    compared[name].add(facts.version)
    findings = []
    series = Version(facts.version).release[:2]
    newer = [
        v
        for v in published
        if Version(v).release[:2] == series
        and Version(v) > Version(facts.version)
        and not Version(v).is_prerelease
    ]
    # Where the pairing names one torch release its metadata does not (torchao before 0.17),
    # a later patch goes with another torch release: not a newer one for this one.
    exact = not facts.in_metadata and re.fullmatch(r"==\d+\.\d+\.\d+", facts.torch)
    if newer and not exact:
        detail = f"{max(newer, key=Version)} (data: {facts.version})"
        findings.append(Finding(minor, "newer patch", name, detail))
    release = published[facts.version]
    pin = torch_pin(source.metadata(release.files[0]))
    if pin != (facts.torch if facts.in_metadata else None):
        wanted = facts.torch if facts.in_metadata else "none named"
        findings.append(Finding(minor, "torch pin", name, f"{subject} requires torch {pin} (data: {wanted})"))
    excluded = {s.version for s in release.requires_python() if s.operator == "!="}
    if excluded != set(facts.excluded_pythons):
        said = ", ".join(sorted(excluded)) or "nothing"
        detail = f"{subject}: Requires-Python excludes {said} (data: {', '.join(facts.excluded_pythons) or 'nothing'})"
        findings.append(Finding(minor, "requires-python", name, detail))
    platforms = torch_plan.library_platforms(minor, name)
    missing = [p for p in platforms if not release.floors.get(p)]
    if missing:
        detail = f"{subject} has no wheels for {', '.join(missing)} (data lists them)"
        return [*findings, Finding(minor, "platforms", name, detail)]
    # The Pythons this torch minor has are the ones a project with it can choose.
    choices = torch_plan.python_choices(minor)
    regular = set(torch_plan.library_pythons(minor, name)) - set(facts.free_threaded)
    free = [p for p in choices if p.endswith("t")]
    findings += _pythons_findings(
        minor, subject, release, platforms, regular, [p for p in choices if p not in free]
    )
    free_where = facts.free_threaded_platforms or platforms
    wanted_free = set(facts.free_threaded) & set(free)  # a shared record may name later ones
    findings += _pythons_findings(minor, f"{subject} free-threaded", release, free_where, wanted_free, free)
    findings += _floor_findings(
        minor, subject, facts.floors, release, platforms, sorted(regular | set(facts.free_threaded))
    )
    return findings


def report(source, record: Path | None = None) -> tuple[str, bool]:
    """The findings as text, and whether there are any."""
    findings, compared = audit(source)
    if record is not None:
        record.mkdir(parents=True, exist_ok=True)
        source.save(compared)
    lines = [f"# PyPI: {sum(len(v) for v in compared.values())} releases of torch and its libraries read"]
    lines += [str(f) for f in findings] or ["no differences from extensions/torch_matrix.py"]
    return "\n".join(lines), bool(findings)
