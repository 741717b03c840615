"""Propose updates to extensions/torch_matrix.py from what a PyTorch wheel index serves.

    python scripts/refresh_matrix.py [--base-url https://download.pytorch.org/whl] [--check]
    python scripts/refresh_matrix.py --pypi [--check]     # what PyPI says (scripts/pypi_audit.py)

Reads each backend's project pages (PEP 691 JSON, or PEP 503 HTML) for torch, every library of
the data and the triton companions, and prints what differs from the data: new torch minors
(as entries ready to paste, with their source), backends and platforms that appeared or
vanished, Python versions, library releases (paired through the `torch==` or `torch>=` of their
metadata; a library whose metadata names no torch is listed for a person to pair from its
README). It never edits the data: a person checks the proposal and its sources, and marks what
is inferred.
"""

from __future__ import annotations

import argparse
import datetime
import html.parser
import json
import re
import sys
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extensions import torch_plan  # noqa: E402

matrix = torch_plan.matrix
JSON_ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"
COMPANION_PACKAGES = ("pytorch-triton-rocm", "triton-rocm", "pytorch-triton-xpu", "triton-xpu")


def candidate_backends() -> list[str]:
    """Index names to probe: every one the data knows, and the next ones by their pattern."""
    known = {b for r in matrix.RELEASES for b in r.backends}
    cuda = {f"cu{major}{minor}" for major in (11, 12, 13, 14) for minor in range(10)}
    # ROCm minors go past 9: rocm7.14 came after rocm7.2.
    rocm = {f"rocm{major}.{minor}" for major in (6, 7, 8) for minor in range(20)}
    return sorted(known | cuda | rocm | {"cpu", "xpu"}, key=torch_plan._backend_order)


# --- reading an index ---------------------------------------------------------------------


@dataclass(frozen=True)
class IndexFile:
    filename: str
    url: str
    has_metadata: bool


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attributes = dict(attrs)
            self.links.append((attributes.get("href", ""), attributes))


def parse_project_page(body: str, content_type: str, page_url: str) -> list[IndexFile]:
    if "json" in content_type:
        return [
            IndexFile(
                f["filename"],
                urljoin(page_url, f["url"]),
                bool(f.get("core-metadata") or f.get("dist-info-metadata")),
            )
            for f in json.loads(body)["files"]
        ]
    parser = _Links()
    parser.feed(body)
    files = []
    for href, attributes in parser.links:
        url = urljoin(page_url, href).split("#", 1)[0]
        filename = urllib.request.unquote(url.rsplit("/", 1)[-1])
        has_metadata = "data-core-metadata" in attributes or "data-dist-info-metadata" in attributes
        files.append(IndexFile(filename, url, has_metadata))
    return files


def fetch(url: str, accept: str = JSON_ACCEPT) -> tuple[str, str] | None:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode("utf-8"), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def project_files(base_url: str, backend: str, project: str) -> list[IndexFile]:
    page = f"{base_url.rstrip('/')}/{backend}/{project}/"
    fetched = fetch(page)
    return parse_project_page(fetched[0], fetched[1], page) if fetched else []


# --- what the index shows -------------------------------------------------------------------


def platform_of(tag_platform: str) -> str | None:
    if tag_platform.startswith("macosx") and tag_platform.endswith("arm64"):
        return "macos-arm64"
    if tag_platform == "win_amd64":
        return "windows-x86_64"
    if "linux" in tag_platform and tag_platform.endswith("x86_64"):
        return "linux-x86_64"
    if "linux" in tag_platform and tag_platform.endswith("aarch64"):
        return "linux-aarch64"
    return None


def wheel_facts(filename: str) -> tuple[Version, set[str], set[str]] | None:
    """(version, platforms, CPython minors) of a wheel file name, free-threaded builds aside."""
    try:
        _, version, _, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return None
    platforms = {p for tag in tags if (p := platform_of(tag.platform))}
    pythons = {
        f"{tag.interpreter[2]}.{tag.interpreter[3:]}"
        for tag in tags
        if re.fullmatch(r"cp3\d+", tag.interpreter) and not tag.abi.endswith("t")
    }
    return version, platforms, pythons


@dataclass
class Observed:
    # torch minor -> backend -> platforms with a build of that backend
    builds: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(dict))
    latest: dict[str, Version] = field(default_factory=dict)
    # torch minor -> CPython minors with a cpu wheel on every platform it has
    pythons: dict[str, set[str]] = field(default_factory=dict)
    # library -> torch requirement (`==2.9.1`, `>=2.11`) -> its newest version with it
    library_pins: dict[str, dict[str, Version]] = field(default_factory=lambda: defaultdict(dict))
    # library -> newest version whose metadata names no torch
    unpaired: dict[str, Version] = field(default_factory=dict)
    companions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def libraries(self, minor: str) -> dict[str, tuple[Version, str]]:
        """library -> (newest version, its torch requirement) that serves this torch minor."""
        latest = self.latest.get(minor)
        found = {}
        for library, pins in self.library_pins.items():
            for pin, version in pins.items():
                operator, wanted = pin[:2], Version(pin[2:])
                fits = (
                    (wanted.major, wanted.minor) == tuple(map(int, minor.split(".")))
                    if operator == "=="
                    else latest is not None and latest >= wanted
                )
                if fits and (library not in found or found[library][0] < version):
                    found[library] = (version, pin)
        return found


def observe(base_url: str, backends: list[str]) -> Observed:
    seen = Observed()
    by_python: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for backend in backends:
        for file in project_files(base_url, backend, "torch"):
            facts = wheel_facts(file.filename)
            if not facts:
                continue
            version, platforms, pythons = facts
            # A CPU copy without label on a GPU index is not a build of that backend.
            if backend != "cpu" and version.local != Version(f"0+{backend}").local:
                continue
            minor = f"{version.major}.{version.minor}"
            seen.builds[minor].setdefault(backend, set()).update(platforms)
            public = Version(version.public)
            seen.latest[minor] = max(seen.latest.get(minor, public), public)
            if backend == "cpu":
                for platform in platforms:
                    by_python[minor][platform] |= pythons
        if backend == "cpu":
            for library in matrix.LIBRARIES:
                for file in project_files(base_url, backend, library):
                    facts = wheel_facts(file.filename)
                    if not facts or not file.has_metadata:
                        continue
                    version, pin = Version(facts[0].public), _torch_pin(library, file)
                    table = seen.library_pins[library] if pin else seen.unpaired
                    key = pin if pin else library
                    table[key] = max(table.get(key, version), version)
        for package in COMPANION_PACKAGES:
            if torch_plan.backend_kind(backend) in ("rocm", "xpu") and project_files(
                base_url, backend, package
            ):
                seen.companions[backend].add(package)
    for minor, platforms in by_python.items():
        seen.pythons[minor] = set.intersection(*platforms.values()) if platforms else set()
    return seen


_pin_cache: dict[tuple[str, str], str | None] = {}
# `torch==2.9.1`, `torch (>=2.14.0)`, `torch>=2.11,<3`; a label is dropped, an extra's line skipped.
_TORCH_REQUIREMENT = re.compile(
    r"^Requires-Dist: torch ?\(?(==|>=) ?([\w.]+?)(?:\+\w+)?(?:,[^;\n]*)?\)?\s*$", re.M
)


def torch_pin(metadata: str) -> str | None:
    """What a library's metadata requires of torch: `==2.9.1`, `>=2.11`, or None."""
    match = _TORCH_REQUIREMENT.search(metadata)
    return match.group(1) + match.group(2) if match else None


def _torch_pin(library: str, file: IndexFile) -> str | None:
    """The torch requirement of a library wheel, read once per library and version."""
    key = (library, str(Version(file.filename.split("-")[1]).public))
    if key not in _pin_cache:
        fetched = fetch(file.url + ".metadata", accept="*/*")
        _pin_cache[key] = torch_pin(fetched[0] if fetched else "")
    return _pin_cache[key]


# --- the proposal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One difference between the index and the data."""

    minor: str  # torch minor, or "" for a finding about a library as a whole
    kind: str  # new minor, newer patch, backend missing, new backend, platforms added, ...
    subject: str  # backend, library or "" (the minor itself)
    detail: str

    def __str__(self) -> str:
        return f"{self.minor or self.subject}: {self.detail}"


def compare(seen: Observed) -> list[Finding]:
    findings = []
    known = {r.minor: r for r in matrix.RELEASES}
    for minor in sorted(seen.builds, key=Version, reverse=True):
        builds = seen.builds[minor]
        if minor not in known:
            detail = f"new torch minor (newest {seen.latest[minor]}); proposed entry below"
            findings.append(Finding(minor, "new minor", "", detail))
            continue
        release = known[minor]
        if Version(release.latest) < seen.latest[minor]:
            detail = f"newer patch {seen.latest[minor]} (data: {release.latest})"
            findings.append(Finding(minor, "newer patch", "", detail))
        for backend in sorted(set(builds) | set(release.backends), key=torch_plan._backend_order):
            have = set(release.backends[backend].platforms) if backend in release.backends else set()
            got = builds.get(backend, set())
            if backend not in builds:
                detail = f"{backend} not found on this index (data lists it)"
                findings.append(Finding(minor, "backend missing", backend, detail))
            elif not have:
                detail = f"new backend {backend} for {', '.join(sorted(got))}"
                findings.append(Finding(minor, "new backend", backend, detail))
            elif got != have:
                added, missing = sorted(got - have), sorted(have - got)
                if added:
                    detail = f"{backend} has wheels for {', '.join(added)} too"
                    findings.append(Finding(minor, "platforms added", backend, detail))
                if missing:
                    detail = f"{backend} has no wheels for {', '.join(missing)} here"
                    findings.append(Finding(minor, "platforms missing", backend, detail))
        pythons = seen.pythons.get(minor)
        regular = {p for p in release.pythons if not p.endswith("t")}  # the index check skips cp3XXt
        if pythons and pythons != regular:
            listed = ", ".join(sorted(pythons, key=Version))
            detail = f"CPython {listed} (data: {', '.join(sorted(regular, key=Version))})"
            findings.append(Finding(minor, "pythons", "", detail))
        for library, (version, pin) in sorted(seen.libraries(minor).items()):
            current = matrix.LIBRARIES[library].versions.get(minor)
            if current is None or Version(current.version) < version:
                detail = f"{library} {version} ({pin}) (data: {current.version if current else 'none'})"
                findings.append(Finding(minor, "library", library, detail))
    for library, version in sorted(seen.unpaired.items()):
        newest = max((Version(p.version) for p in matrix.LIBRARIES[library].versions.values()), default=None)
        if newest is None or newest < version:
            detail = f"{version} names no torch in its metadata: pair it from its README (data: {newest})"
            findings.append(Finding("", "unpaired library", library, detail))
    return findings


def propose_release(seen: Observed, minor: str, base_url: str) -> str:
    today = datetime.date.today().isoformat()
    source = f"PyTorch index listing at {base_url}, read {today}"
    pythons = sorted(seen.pythons.get(minor, ()), key=Version)
    backends = "\n".join(
        f'            "{backend}": Build({tuple(p for p in matrix.ALL_PLATFORMS if p in platforms)!r}, {source!r}),'
        for backend, platforms in sorted(
            seen.builds[minor].items(), key=lambda item: torch_plan._backend_order(item[0])
        )
    )
    libraries = "".join(
        f'\n# LIBRARIES["{library}"].versions: "{minor}": Pairing("{version}", "{pin}", {source!r}),'
        for library, (version, pin) in sorted(seen.libraries(minor).items())
    )
    return (
        "    TorchRelease(\n"
        f'        minor="{minor}",\n'
        f'        latest="{seen.latest[minor]}",\n'
        f"        pythons={tuple(pythons)!r},\n"
        "        backends={\n" + backends + "\n        },\n"
        "    )," + libraries
    )


def report(base_url: str, backends: list[str]) -> str:
    seen = observe(base_url, backends)
    lines = [
        f"# {base_url}: {sum(len(b) for b in seen.builds.values())} torch builds in {len(seen.builds)} minors"
    ]
    differences = [str(finding) for finding in compare(seen)]
    lines += differences or ["no differences from extensions/torch_matrix.py"]
    for backend, packages in sorted(seen.companions.items()):
        lines.append(f"companions on {backend}: {', '.join(sorted(packages))}")
    new = [
        m
        for m in sorted(seen.builds, key=Version, reverse=True)
        if m not in {r.minor for r in matrix.RELEASES}
    ]
    for minor in new:
        lines += [
            "",
            f"# proposed entry for torch {minor} (check it, add notes, mark what is inferred)",
            propose_release(seen, minor, base_url),
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=matrix.DEFAULT_INDEX_URL)
    parser.add_argument(
        "--backends", nargs="*", help="index names to read (default: probe the known patterns)"
    )
    parser.add_argument("--pypi", action="store_true", help="read PyPI instead (scripts/pypi_audit.py)")
    parser.add_argument("--record", type=Path, help="with --pypi: keep what was read in this folder")
    parser.add_argument("--recorded", type=Path, help="with --pypi: read a --record folder, not PyPI")
    parser.add_argument("--check", action="store_true", help="exit 1 when the data differs")
    args = parser.parse_args(argv)
    if args.pypi:
        import pypi_audit

        source = pypi_audit.Recorded(args.recorded) if args.recorded else pypi_audit.Live(record=args.record)
        text, differs = pypi_audit.report(source, args.record)
    else:
        text = report(args.base_url, args.backends or candidate_backends())
        differs = "no differences" not in text
    print(text)
    return 1 if args.check and differs else 0


if __name__ == "__main__":
    sys.exit(main())
