"""Pure functions from the answers to what the rendered project holds.

Everything the templates print comes from `make_plan`; everything a question offers or
refuses comes from the `*_choices` and `check_*` functions. None of them touches Copier,
so they are unit-tested directly.
"""

from __future__ import annotations

import ipaddress
import keyword
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import torch_matrix as matrix

MODES = ("platform", "extra")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class InvalidAnswer(ValueError):
    """An answer the template cannot render; the message names the valid choices."""


# --- the data, as the questions offer it --------------------------------------------------


def _minor_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def torch_versions() -> list[str]:
    return sorted((r.minor for r in matrix.RELEASES), key=_minor_key, reverse=True)


def default_torch_version() -> str:
    """The newest torch whose default build rests on confirmed facts only (see default_backends)."""
    return next(v for v in torch_versions() if default_backends(v) != ["cpu"])


def release(torch_version: str):
    for candidate in matrix.RELEASES:
        if candidate.minor == torch_version:
            return candidate
    raise InvalidAnswer(
        f"torch {torch_version!r} is not offered; choose one of {', '.join(torch_versions())}"
    )


def free_threaded(python_version: str) -> bool:
    """`3.14t` is the free-threaded build of CPython 3.14 (PEP 703), as uv spells it."""
    return python_version.endswith("t")


def python_minor(python_version: str) -> str:
    return python_version.removesuffix("t")


def _python_key(python_version: str) -> tuple:
    return (not free_threaded(python_version), _minor_key(python_minor(python_version)))


def python_choices(torch_version: str) -> list[str]:
    """Newest first, the usual builds before the free-threaded ones."""
    rel = release(torch_version)
    return sorted(rel.pythons + rel.free_threaded, key=_python_key, reverse=True)


def default_python(torch_version: str) -> str:
    # The newest CPython often lacks wheels elsewhere in the ecosystem: take the one before
    # (every release has wheels for three or more).
    return release(torch_version).pythons[-2]


def wheel_platforms(torch_version: str, backend: str) -> tuple[str, ...]:
    """The platforms a backend's index has torch wheels for (the cpu index: any Python)."""
    rel = release(torch_version)
    extra = tuple(rel.cpu_only_platforms) if backend == "cpu" else ()
    return rel.backends[backend].platforms + extra


def platform_pythons(torch_version: str, platform: str) -> list[str]:
    """The Pythons torch has wheels for on this platform (none where it has no wheels)."""
    rel = release(torch_version)
    if platform in matrix.DEFAULT_PLATFORMS:
        return python_choices(torch_version)
    limited = rel.cpu_only_platforms.get(platform)
    return [p for p in python_choices(torch_version) if limited and p in limited.pythons]


def backend_kind(backend: str) -> str:
    for kind in ("cpu", "xpu", "rocm", "cu"):
        if backend.startswith(kind):
            return "cuda" if kind == "cu" else kind
    raise InvalidAnswer(f"unknown backend {backend!r}")


def _backend_order(backend: str) -> tuple:
    kind_rank = ("cuda", "rocm", "xpu", "cpu").index(backend_kind(backend))
    numbers = tuple(-int(n) for n in re.findall(r"\d+", backend))
    return kind_rank, numbers


def backend_choices(torch_version: str) -> list[str]:
    return sorted(release(torch_version).backends, key=_backend_order)


def cuda_version(backend: str) -> str:
    """`cu128` -> `12.8`, `cu118` -> `11.8`."""
    digits = backend[2:]
    return f"{digits[:-1]}.{digits[-1]}"


def backend_label(backend: str, torch_version: str | None = None, platform: str = "") -> str:
    """`cu128: NVIDIA CUDA 12.8`; the CPU build says MPS where it has it: on macOS, or, for a
    choice that is not about one platform (`platform` ""), that it has it there."""
    kind = backend_kind(backend)
    if kind == "cuda":
        label = f"NVIDIA CUDA {cuda_version(backend)}"
    elif kind == "rocm":
        label = f"AMD ROCm {backend[4:]}"
    elif kind == "cpu":
        label = {
            "": "CPU only (macOS builds include MPS)",
            "macos-arm64": "CPU, and the Apple GPU through MPS",
        }.get(platform, "CPU only")
    else:
        label = "Intel GPU (XPU)"
    if torch_version is not None:
        build = release(torch_version).backends[backend]
        if build.inferred:
            label += " [inferred, see README]"
    return f"{backend}: {label}"


def default_backends(torch_version: str) -> list[str]:
    """The newest CUDA build that no inference supports, among those that cover the most of the
    default platforms (a Linux-only CUDA build never hides one that Windows has too)."""
    builds = release(torch_version).backends
    confirmed = [
        b for b in backend_choices(torch_version) if backend_kind(b) == "cuda" and not builds[b].inferred
    ]
    coverage = {b: len(set(builds[b].platforms) & set(matrix.DEFAULT_PLATFORMS)) for b in confirmed}
    return sorted(confirmed, key=lambda b: -coverage[b])[:1] or ["cpu"]


def library_choices(torch_version: str) -> list[str]:
    return [name for name, lib in matrix.LIBRARIES.items() if torch_version in lib.versions]


def default_libraries(torch_version: str) -> list[str]:
    return [lib for lib in library_choices(torch_version) if matrix.LIBRARIES[lib].default]


def pairing(torch_version: str, library: str):
    """The library release that goes with this torch minor (matrix.Pairing)."""
    return matrix.LIBRARIES[library].versions[torch_version]


def library_pythons(torch_version: str, library: str) -> list[str]:
    """The Pythons this library has wheels for with this torch, free-threaded ones included."""
    facts = pairing(torch_version, library)
    has = {*(facts.pythons or release(torch_version).pythons), *facts.free_threaded}
    return [p for p in python_choices(torch_version) if p in has]


def library_platforms(torch_version: str, library: str) -> list[str]:
    """Where the library has wheels: torch's usual platforms, or fewer where the data says so.
    Windows ARM64 only has torch: torchvision's win_arm64 wheels came later (pytorch/vision#9080)
    and no source says from which release."""
    facts = pairing(torch_version, library)
    usual = release(torch_version).backends["cpu"].platforms
    return [p for p in usual if facts.platforms is None or p in facts.platforms]


def chosen_libraries(libraries) -> list[str]:
    """The chosen libraries, in the data's order."""
    return [lib for lib in matrix.LIBRARIES if lib in libraries]


def library_problem(torch_version: str, library: str, platforms=None, python_version=None) -> str:
    """Why one library cannot be installed with these answers, or ""."""
    if library not in library_choices(torch_version):
        return library_unavailable(torch_version, [library])
    release_name = f"{library} {pairing(torch_version, library).version} (for torch {torch_version})"
    pythons = library_pythons(torch_version, library)
    if python_version in python_choices(torch_version) and python_version not in pythons:
        return (
            f"{release_name} has no wheels for Python {python_version}; it has {_listing(pythons)}: "
            f"choose one of those or leave {library} out"
        )
    where = library_platforms(torch_version, library)
    missing = [p for p in platforms or () if p not in where]
    if missing:
        return (
            f"{release_name} has no wheels for {_listing(missing)}; it has {_listing(where)}: "
            f"leave out {library} or the platform"
        )
    free_where = pairing(torch_version, library).free_threaded_platforms
    if python_version and free_threaded(python_version) and free_where is not None:
        if missing := [p for p in platforms or () if p not in free_where]:
            return (
                f"{release_name} has no Python {python_version} wheels for {_listing(missing)}; "
                f"it has them for {_listing(free_where)}: leave out {library}, the platform, "
                f"or choose Python {python_minor(python_version)}"
            )
    return ""


def library_pin(torch_version: str, library: str) -> str:
    """`==0.24.*`; a stable-ABI release is pinned from the first patch that says so (`~=0.29.2`)."""
    facts = pairing(torch_version, library)
    return f"~={facts.version}" if facts.torch.startswith(">=") else _pin(facts.version)


def torch_pin(torch_version: str, libraries=()) -> str:
    """`==2.9.*`, or the one torch release a chosen library's C++ code is built for where its
    metadata does not say so itself (torchao 0.15.0: torch 2.9.1)."""
    for lib in libraries:
        facts = pairing(torch_version, lib)
        if not facts.in_metadata and re.fullmatch(r"==\d+\.\d+\.\d+", facts.torch):
            return facts.torch
    return _pin(release(torch_version).latest)


def library_route(library: str, routes: dict[str, str]) -> dict[str, str | None]:
    """Where a library comes from on each platform, given torch's routes: the index torch uses
    where that index has the library's builds, else the cpu index where it has them, else PyPI
    (None)."""
    builds = matrix.LIBRARIES[library].builds
    if builds is None:
        return dict(routes)
    chosen = {}
    for platform, backend in routes.items():
        if platform in builds.get(backend_kind(backend), ()):
            chosen[platform] = backend
        elif platform in builds.get("cpu", ()):
            chosen[platform] = "cpu"
        else:
            chosen[platform] = None
    return chosen


def platform_choices() -> list[str]:
    return list(matrix.PLATFORMS)


def default_platforms() -> list[str]:
    return list(matrix.DEFAULT_PLATFORMS)


def extra_name(backend: str) -> str:
    """The extra for a backend, normalised as PEP 685 does (`rocm6.4` -> `rocm6-4`)."""
    return re.sub(r"[-_.]+", "-", backend).lower()


def kernels(torch_version: str, backend: str):
    """The record of the GPU architectures `backend`'s torch `torch_version` has kernels for."""
    key = _minor_key(torch_version)
    return next(
        (
            record
            for record in matrix.KERNELS
            if record.backend == backend
            and not (record.since and key < _minor_key(record.since))
            and not (record.until and key > _minor_key(record.until))
        ),
        None,
    )


def gpu_runtime(torch_version: str, backend: str) -> dict:
    """What a build needs from the machine, as the rendered hardware module reads it.

    kind, the NVIDIA driver floor (Linux; Windows apart), the architectures with kernels and
    the PTX shipped, and per platform the lists where that platform's wheels differ.
    """
    kind = backend_kind(backend)
    runtime = {"kind": kind, "driver_floor": "", "driver_floor_windows": "", "archs": [], "ptx": []}
    runtime["platforms"] = {}
    if kind in ("cpu", "xpu"):
        return runtime
    record = kernels(torch_version, backend)
    if record is None:
        raise InvalidAnswer(f"no GPU architecture record for {backend} of torch {torch_version}")
    if kind == "cuda":
        floor = matrix.DRIVER_FLOORS[backend]
        runtime.update(driver_floor=floor.linux, driver_floor_windows=floor.windows)
    runtime.update(archs=list(record.archs), ptx=list(record.ptx))
    runtime["platforms"] = {
        platform: {"archs": list(archs), "ptx": list(ptx)}
        for platform, (archs, ptx) in record.platforms.items()
    }
    return runtime


def index_name(backend: str) -> str:
    return f"pytorch-{backend}"


def index_url(base_url: str, backend: str) -> str:
    return f"{base_url.rstrip('/')}/{backend}"


# --- carrying a project's answers to another torch ---------------------------------------
# `copier update --data torch_version=...` keeps every answer that stays valid. Copier drops one
# that does not and takes the question's default: these make that default the nearest valid
# value of the dropped answer, of the same kind, and say why ("" when nothing changed). Where
# no value of that kind exists, the old answer comes back unchanged, and its validator refuses
# it naming the valid choices.


def _nearest_python(previous: str, candidates: list[str]) -> str:
    """The candidate whose CPython minor is nearest to `previous`'s (the newer one on a tie)."""

    def minor(python: str) -> int:
        return _minor_key(python_minor(python))[1]

    return min(candidates, key=lambda c: (abs(minor(c) - minor(previous)), -minor(c)))


def carried_python(torch_version: str, previous: str | None) -> tuple[str, str]:
    choices = python_choices(torch_version)
    if previous is None:
        return default_python(torch_version), ""
    if previous in choices:
        return previous, ""
    same = [p for p in choices if free_threaded(p) == free_threaded(previous)]
    if not same:
        return previous, ""
    nearest = _nearest_python(previous, same)
    return (
        nearest,
        f"torch {torch_version} has no wheels for Python {previous}; {nearest} is the nearest it has",
    )


def _carried_backend(torch_version: str, backend: str) -> str:
    """The build of torch_version nearest to `backend`: itself; for CUDA the newest of the same
    major CUDA (so the driver it needs stays), else the release's default CUDA; the newest ROCm;
    xpu; cpu."""
    choices = backend_choices(torch_version)
    if backend in choices:
        return backend
    kind = backend_kind(backend)
    same = [b for b in choices if backend_kind(b) == kind]
    if kind == "cuda":
        major = [b for b in same if cuda_version(b).split(".")[0] == cuda_version(backend).split(".")[0]]
        same = major or [b for b in default_backends(torch_version) if b in same] or same
    return same[0] if same else ""  # backend_choices lists the newest first


def carried_backends(torch_version: str, mode: str, previous) -> tuple[list[str], str]:
    if previous is None:
        return default_backends(torch_version), ""
    carried = {backend: _carried_backend(torch_version, backend) for backend in previous}
    if not all(carried.values()):
        return list(previous), ""
    moved = [f"{old} -> {new}" for old, new in carried.items() if old != new]
    result = list(dict.fromkeys(carried.values()))
    why = f"torch {torch_version} has no {', '.join(o for o, n in carried.items() if o != n)} build; the nearest of each kind it has: {', '.join(moved)}"
    return result, why if moved else ""


def carried_platforms(torch_version: str, python_version: str, previous) -> tuple[list[str], str]:
    if previous is None:
        return default_platforms(), ""
    kept = [p for p in previous if not platform_unavailable(torch_version, python_version, p)]
    dropped = [p for p in previous if p not in kept]
    if not kept or not dropped:
        return list(previous), ""
    return kept, f"torch {torch_version} has no wheels for {_listing(dropped)} (Python {python_version})"


def carried_libraries(torch_version: str, python_version: str, platforms, previous) -> tuple[list[str], str]:
    if previous is None:
        return default_libraries(torch_version), ""
    kept = [lib for lib in previous if not library_problem(torch_version, lib, platforms, python_version)]
    dropped = [lib for lib in previous if lib not in kept]
    if not dropped:
        return list(previous), ""
    return kept, f"{_listing(dropped)}: no release for torch {torch_version} with these platforms and Python"


# --- checks: each returns "" when the answer is valid, else a message -------------------

_DIST_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s<>,\"]+@[^@\s<>,\"]+\.[^@\s<>,\".]+$")


def _listing(values) -> str:
    return ", ".join(values) if values else "(none)"


# A name becomes a folder (src/<package>) and part of file names (the wheel's, with its version
# and tags): past a file name's 255 bytes those cannot be made. Long before, nobody types it.
NAME_LIMIT = 100


def _too_long(name: str, what: str) -> str:
    if len(name) > NAME_LIMIT:
        return (
            f"the {what} has {len(name)} characters; at most {NAME_LIMIT} (it names a folder and "
            "the wheel's file)"
        )
    return ""


def check_project_name(name: str) -> str:
    if problem := _too_long(name or "", "project name"):  # None: an answer given as null
        return problem
    if not _DIST_NAME.match(name or ""):
        return (
            f"{name!r} is not a valid distribution name: use letters, digits, '.', '-' and '_', "
            "starting and ending with a letter or digit (e.g. my-torch-project)"
        )
    return ""


def package_name_for(project_name: str) -> str:
    name = re.sub(r"[^0-9a-zA-Z_]+", "_", project_name).strip("_").lower()
    return f"_{name}" if name[:1].isdigit() else name or "my_torch_project"


def check_package_name(name: str) -> str:
    if problem := _too_long(name, "package name"):
        return problem
    if not name.isidentifier() or not name.isascii() or keyword.iskeyword(name):
        return (
            f"{name!r} is not a Python identifier: use ASCII letters, digits and '_', not "
            "starting with a digit, and not a keyword (e.g. my_torch_project)"
        )
    if name in {"torch", *matrix.LIBRARIES, "test", "tests"}:
        return f"{name!r} would shadow a module the project imports; choose another name"
    return ""


def check_one_line(text: str, what: str) -> str:
    if any(ch in text for ch in "\r\n\v\f\x85\u2028\u2029"):
        return f"the {what} must fit on one line (it goes into one-line metadata fields)"
    controls = sorted({f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cc" and c != "\t"})
    if controls:
        return f"the {what} must not contain control characters ({', '.join(controls)})"
    return ""


def check_author_name(name: str) -> str:
    if "," in name:
        return "the author name must not contain a comma (the core metadata spec forbids it)"
    return check_one_line(name, "author name")


def check_author_email(email: str) -> str:
    if email and not _EMAIL.match(email):
        return f"{email!r} is not an e-mail address (leave it empty for none)"
    return ""


def check_python(torch_version: str, python_version: str) -> str:
    choices = python_choices(torch_version)
    if python_version not in choices:
        return (
            f"torch {torch_version} has wheels for Python {_listing(choices)}, "
            f"not {python_version!r} (a `t` marks a free-threaded build)"
        )
    return ""


def _unknown(answer, valid) -> list:
    return [value for value in (answer or []) if value not in valid]


def check_backends(torch_version: str, mode: str, backends, platforms=None) -> str:
    valid = backend_choices(torch_version)
    unknown = _unknown(backends, valid)
    if unknown:
        return (
            f"torch {torch_version} has no {_listing(unknown)} build on the PyTorch index; "
            f"choose from {_listing(valid)}"
        )
    if not backends:
        return f"choose at least one backend: {_listing(valid)}"
    if mode == "platform" and len(backends) != 1:
        return (
            f"backend_selection=platform takes exactly one backend, got {_listing(backends)}; "
            "use backend_selection=extra to choose between several at install time"
        )
    if platforms:
        fit = [b for b in valid if set(wheel_platforms(torch_version, b)) & set(platforms)]
        for backend in backends:
            where = wheel_platforms(torch_version, backend)
            if not set(where) & set(platforms):
                return (
                    f"{backend} has wheels for {_listing(where)} only, none of the "
                    f"selected platforms ({_listing(platforms)}); choose from {_listing(fit)}"
                )
    return ""


def check_platforms(platforms, torch_version: str | None = None, python_version: str | None = None) -> str:
    valid = platform_choices()
    unknown = _unknown(platforms, valid)
    if unknown:
        return f"unknown platform {_listing(unknown)}; choose from {_listing(valid)}"
    if not platforms:
        return f"choose at least one platform: {_listing(valid)}"
    for platform in platforms if torch_version else ():
        if problem := platform_unavailable(torch_version, python_version, platform):
            return problem
    return ""


def platform_unavailable(torch_version: str, python_version: str | None, platform: str) -> str:
    """Why torch has no wheel for this platform (and Python), or ""."""
    pythons = platform_pythons(torch_version, platform)
    if not pythons:
        having = [v for v in torch_versions() if platform_pythons(v, platform)]
        return f"{platform}: torch {torch_version} has no wheels for it; torch {_listing(having)} have"
    if python_version and python_version not in pythons:
        return (
            f"{platform}: torch {torch_version} has wheels for Python {_listing(pythons)} there, "
            f"not {python_version}; choose one of those or leave {platform} out"
        )
    return ""


def check_libraries(torch_version: str, libraries, python_version=None, platforms=None) -> str:
    unknown = _unknown(libraries, matrix.LIBRARIES)
    if unknown:
        return f"unknown library {_listing(unknown)}; choose from {_listing(matrix.LIBRARIES)}"
    for library in libraries or ():
        if problem := library_problem(torch_version, library, platforms, python_version):
            return problem
    return ""


def library_unavailable(torch_version: str, libraries) -> str:
    return (
        f"{_listing(libraries)}: no release for torch {torch_version}; "
        f"available: {_listing(library_choices(torch_version))}"
    )


def check_index_url(url: str) -> str:
    parts = urlsplit(url or "")  # None: an answer given as null
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http(s) URL, e.g. {matrix.DEFAULT_INDEX_URL}"
    if parts.username or parts.password:
        return (
            "put no credentials in the index URL (they would be committed); set "
            "UV_INDEX_<NAME>_USERNAME and UV_INDEX_<NAME>_PASSWORD instead"
        )
    if parts.query or parts.fragment:
        return f"{url!r}: the base URL takes no query or fragment"
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        try:
            local = ipaddress.ip_address(parts.hostname).is_loopback
        except ValueError:
            local = False
        if not local:
            return f"{url!r}: use https (plain http is accepted for localhost only)"
    return ""


def check_choice(value: str, choices, what: str) -> str:
    return "" if value in choices else f"{what} must be one of {_listing(choices)}, not {value!r}"


# --- markers --------------------------------------------------------------------------------


def platform_marker(platform: str) -> str:
    p = matrix.PLATFORMS[platform]
    return f"sys_platform == '{p.sys_platform}' and platform_machine == '{p.machine}'"


def group_marker(group, selected) -> str | None:
    """A marker true on exactly the platforms of `group` among the `selected` ones.

    None when the group is every selected platform. An operating system whose selected
    platforms all fall in the group is matched by `sys_platform` alone, so Windows'
    `AMD64` and a second Linux machine never need spelling out.
    """
    group = [p for p in selected if p in group]
    if set(group) == set(selected):
        return None
    terms = []
    for platform in group:
        os_name = matrix.PLATFORMS[platform].sys_platform
        same_os = [p for p in selected if matrix.PLATFORMS[p].sys_platform == os_name]
        if all(p in group for p in same_os):
            term = f"sys_platform == '{os_name}'"
        else:
            term = platform_marker(platform)
        if term not in terms:
            terms.append(term)
    if len(terms) == 1:
        return terms[0]
    return " or ".join(f"({t})" if " and " in t else t for t in terms)


# --- the plan -------------------------------------------------------------------------------


@dataclass
class Source:
    index: str
    marker: str | None = None
    extra: str | None = None


@dataclass
class Plan:
    mode: str
    platforms: list[str]
    backends: list[str]
    libraries: list[str]  # the chosen ones, in the data's order
    # platform mode: platform -> backend; extra mode: extra -> platform -> backend
    routes: dict
    dependencies: list[str]
    optional_dependencies: dict[str, list[str]]
    sources: dict[str, list[Source]]
    indexes: list[tuple[str, str]]
    environments: list[str]
    conflicts: list[list[str]]
    requires_python: str
    python_version: str
    # The Python the rendered lock guard runs under: it reads uv.lock with tomllib (3.11+).
    guard_python: str = ""
    macos_minimum: str = ""  # the macOS every pinned wheel needs, where above 11
    macos_packages: list[str] = field(default_factory=list)  # the wheels that need it
    glibc_minimum: str = ""  # the glibc every pinned Linux wheel needs
    extras: dict[str, str] = field(default_factory=dict)  # extra name -> backend
    # extra (None in platform mode) -> platform -> torch and each library -> the backend whose
    # index it comes from, or None where PyPI serves it (a library without that build).
    package_routes: dict = field(default_factory=dict)
    torch_version: str = ""
    # backend -> what it needs from the machine (gpu_runtime), for every backend of this torch:
    # the tools judge the project's builds and name one that would fit this machine
    runtimes: dict[str, dict] = field(default_factory=dict)
    # CI: the runner's platform, the extra it installs (extra mode), and the extras whose
    # install it only plans (`uv sync --dry-run`), so that no CUDA wheel is downloaded.
    ci_platform: str = ""
    ci_extra: str | None = None
    ci_planned_extras: list[str] = field(default_factory=list)


GITHUB_RUNNERS = {
    "linux-x86_64": "ubuntu-latest",
    "linux-aarch64": "ubuntu-24.04-arm",
    "macos-arm64": "macos-latest",
    "windows-x86_64": "windows-latest",
    "windows-arm64": "windows-11-arm",
}
# The uv minor the rendered CI installs: lock files are only promised to stay stable within one.
UV_MINOR = "0.13"
# How a project changes its answers (the rendered README explains it).
UPDATE = "uvx --with copier-template-extensions copier update --trust --defaults"


def index_env_prefix(name: str) -> str:
    """uv reads an index's credentials from UV_INDEX_<NAME>_USERNAME / _PASSWORD."""
    return "UV_INDEX_" + re.sub(r"[^A-Z0-9]", "_", name.upper())


def ci_target(routes: dict, extras: dict[str, str]) -> tuple[str, str | None]:
    """The CI runner platform (and extra) that installs a CPU build, where the answers allow.

    GitHub's hosted runners have no GPU: a CPU build tests the same code without downloading
    gigabytes of CUDA wheels. Linux runners are preferred, as the cheapest.
    """
    order = list(GITHUB_RUNNERS)
    if extras:
        extra = "cpu" if "cpu" in extras else next(iter(extras))
        platforms = routes[extra]
    else:
        extra, platforms = None, routes
    cpu_platforms = [p for p in order if platforms.get(p) == "cpu"]
    selected = [p for p in order if p in platforms]
    return (cpu_platforms or selected)[0], extra


def _pin(version: str) -> str:
    major, minor = version.split(".")[:2]
    return f"=={major}.{minor}.*"


def companions(torch_version: str, backend: str) -> list:
    """The companion records this build needs: per role, the newest that the torch minor has."""
    chosen = {}
    for companion in matrix.COMPANIONS.get(backend_kind(backend), ()):
        wanted = not companion.backends or backend in companion.backends
        if wanted and _minor_key(companion.since) <= _minor_key(torch_version):
            chosen[companion.role] = companion
    return list(chosen.values())


def route(torch_version: str, backend: str, platforms) -> dict[str, str]:
    """Which index each platform installs from: the backend where it has wheels, else cpu."""
    where = wheel_platforms(torch_version, backend)
    return {p: backend if p in where else "cpu" for p in platforms}


def _requirement(name: str, spec: str, marker: str | None) -> str:
    return f"{name}{spec}; {marker}" if marker else f"{name}{spec}"


def _requires_python(torch_version: str, python_version: str, libraries=()) -> str:
    """From the chosen Python up to the newest that torch and every library have wheels for:
    uv locks for the whole range (torchcodec 0.16 has none for 3.15, torch 2.15 has), less the
    releases a library's Requires-Python excludes (torchvision 0.26-0.29: `!=3.14.1`), which uv
    would otherwise find no torchvision for. A free-threaded choice is a Python like any other
    here: `.python-version` picks the build."""
    pythons = set(release(torch_version).pythons)
    for library in libraries:
        pythons &= {python_minor(p) for p in library_pythons(torch_version, library)}
    lowest = python_minor(python_version)
    major, minor = max(pythons, key=_minor_key).split(".")
    excluded = {
        excluded
        for library in libraries
        for excluded in pairing(torch_version, library).excluded_pythons
        if _minor_key(lowest) <= _minor_key(excluded)[:2] <= _minor_key(f"{major}.{minor}")
    }
    exclusions = "".join(f",!={p}" for p in sorted(excluded, key=_minor_key))
    return f">={lowest},<{major}.{int(minor) + 1}{exclusions}"


def _floors(torch_version: str, libraries) -> list[tuple[str, matrix.Floors]]:
    """(package, its floors) for torch and each library, as the project pins them."""
    found = [("torch", release(torch_version).floors)]
    return found + [(lib, pairing(torch_version, lib).floors) for lib in libraries]


def macos_minimum(torch_version: str, python_version: str, libraries=()) -> tuple[str, list[str]]:
    """The oldest macOS every wheel the project pins installs on (arm64), and the packages
    that need it; ("", []) where all of them run on macOS 11, the first with Apple silicon."""
    floors = [(name, f.macos_for(python_version)) for name, f in _floors(torch_version, libraries)]
    newest = max((macos for _, macos in floors if macos), key=_minor_key, default="")
    if not newest or _minor_key(newest) <= (11, 0):
        return "", []
    return newest.removesuffix(".0"), [name for name, macos in floors if macos == newest]


def glibc_minimum(torch_version: str, libraries, platforms) -> str:
    """The oldest glibc every Linux wheel the project pins installs on (their manylinux tags)."""
    linux = [p for p in platforms if p.startswith("linux")]
    found = [f.glibc_for(p) for _, f in _floors(torch_version, libraries) for p in linux]
    return max((g for g in found if g), key=_minor_key, default="")


def make_plan(
    *,
    torch_version: str,
    python_version: str,
    backend_selection: str,
    backends,
    platforms,
    torch_libraries,
    pytorch_index_url: str = matrix.DEFAULT_INDEX_URL,
) -> Plan:
    problems = [
        check_choice(backend_selection, MODES, "backend_selection"),
        check_python(torch_version, python_version),
        check_platforms(platforms, torch_version, python_version),
        check_backends(torch_version, backend_selection, backends, platforms=platforms),
        check_libraries(torch_version, torch_libraries, python_version, platforms),
        check_index_url(pytorch_index_url),
    ]
    for problem in problems:
        if problem:
            raise InvalidAnswer(problem)

    selected = [p for p in platform_choices() if p in platforms]
    backends = [b for b in backend_choices(torch_version) if b in backends]
    libraries = chosen_libraries(torch_libraries)
    pins = {"torch": torch_pin(torch_version, libraries)}
    pins.update({lib: library_pin(torch_version, lib) for lib in libraries})

    used_indexes: list[str] = []
    sources: dict[str, list[Source]] = {}
    dependencies: list[str] = []
    optional: dict[str, list[str]] = {}
    extras: dict[str, str] = {}
    package_routes: dict = {}

    def add_source(package: str, backend: str, marker: str | None, extra: str | None) -> None:
        sources.setdefault(package, []).append(Source(index_name(backend), marker, extra))
        if backend not in used_indexes:
            used_indexes.append(backend)

    def routed(backend: str, extra: str | None) -> tuple[dict[str, str], list[str]]:
        """Sources for torch and the libraries, and the companion requirements."""
        routes = route(torch_version, backend, selected)
        table = package_routes.setdefault(extra, {p: {} for p in selected})
        for package in pins:
            where = routes if package == "torch" else library_route(package, routes)
            for platform, target in where.items():
                table[platform][package] = target
            for target in dict.fromkeys(b for b in where.values() if b is not None):
                group = [p for p, b in where.items() if b == target]
                add_source(package, target, group_marker(group, selected), extra)
        requirements = []
        for companion in companions(torch_version, backend):
            group = [p for p, b in routes.items() if b == backend and p in companion.platforms]
            if group:
                marker = group_marker(group, selected)
                for package in companion.packages:
                    requirements.append(_requirement(package, "", marker))
                    add_source(package, backend, marker, extra)
        return routes, requirements

    pinned = [f"{name}{spec}" for name, spec in pins.items()]
    if backend_selection == "platform":
        routes, companion_reqs = routed(backends[0], None)
        dependencies = pinned + companion_reqs
    else:
        routes = {}
        for backend in backends:
            extra = extra_name(backend)
            extras[extra] = backend
            routes[extra], companion_reqs = routed(backend, extra)
            optional[extra] = pinned + companion_reqs

    ci_platform, ci_extra = ci_target(routes, extras)
    on_macos = "macos-arm64" in selected
    macos = macos_minimum(torch_version, python_version, libraries) if on_macos else ("", [])
    return Plan(
        ci_platform=ci_platform,
        ci_extra=ci_extra,
        ci_planned_extras=[extra for extra in extras if extra != ci_extra],
        mode=backend_selection,
        platforms=selected,
        backends=backends,
        libraries=libraries,
        routes=routes,
        dependencies=dependencies,
        optional_dependencies=optional,
        sources=sources,
        indexes=[(index_name(b), index_url(pytorch_index_url, b)) for b in used_indexes],
        environments=[platform_marker(p) for p in selected],
        conflicts=[list(extras)] if len(extras) > 1 else [],
        requires_python=_requires_python(torch_version, python_version, libraries),
        python_version=python_version,
        guard_python="" if _minor_key(python_version.removesuffix("t")) >= (3, 11) else "3.11",
        macos_minimum=macos[0],
        macos_packages=macos[1],
        glibc_minimum=glibc_minimum(torch_version, libraries, selected),
        extras=extras,
        package_routes=package_routes,
        torch_version=torch_version,
        runtimes={b: gpu_runtime(torch_version, b) for b in backend_choices(torch_version)},
    )


def sync_command(plan: Plan) -> str:
    """The command that installs the project's build on a machine (README: Set up)."""
    if plan.mode == "extra":
        return 'uv sync --extra "$(uv run tools/pick_backend.py)"'
    return "uv sync"


def library_facts(torch_version: str, library: str, libraries=()) -> dict:
    """What the smoke check needs to know of one installed library (`libraries`: the project's)."""
    record, facts = matrix.LIBRARIES[library], pairing(torch_version, library)
    advice, add = library_advice(torch_version, library, libraries)
    return {
        "version": facts.version,
        "torch": facts.torch,
        "builds": None if record.builds is None else {k: list(v) for k, v in record.builds.items()},
        # the platforms and backend kinds whose files carry torch's +label
        "labelled_platforms": [] if facts.stable_abi else list(record.labelled_platforms),
        "labelled_builds": list(record.labelled_kinds),
        "system_package": facts.system_package or record.system_package,
        "install": dict(record.system_install),
        "advice": advice,
        "add": add,
    }


def library_advice(torch_version: str, library: str, libraries) -> tuple[str, str]:
    """What a project with this library but without torchcodec should know (torchaudio's load
    and save need it from 2.9 on), and the update that adds it; ("", "") where nothing."""
    since, why = matrix.AUDIO_DECODING
    wanted = library == "torchaudio" and "torchcodec" not in libraries
    if not wanted or _minor_key(torch_version) < _minor_key(since):
        return "", ""
    if "torchcodec" not in library_choices(torch_version):
        return why, ""
    names = ", ".join(f'"{name}"' for name in chosen_libraries([*libraries, "torchcodec"]))
    return why, f"{UPDATE} --data 'torch_libraries=[{names}]'"


def gpu_facts() -> dict:
    """How the tools tell a GPU's architecture and what it needs: the data's records, as the
    JSON the tools read (extensions/torch_matrix.py has their sources)."""
    return {
        "nvidia_chips": {chip: f.capability for f in matrix.NVIDIA_FAMILIES for chip in f.chips},
        "nvidia_devices": {chip: ids.split() for chip, ids in matrix.NVIDIA_DEVICES.items()},
        "nvidia_names": [[rule.pattern, rule.capability] for rule in matrix.NVIDIA_NAMES],
        "jetson": {
            "sbsa_from_l4t": matrix.JETSON.sbsa_from_l4t,
            "why": matrix.JETSON.why,
            "fix": matrix.JETSON.fix,
        },
        "intel": [
            {"name": f.name, "ids": list(f.device_ids), "discrete": f.discrete, "xpu": f.xpu}
            for f in matrix.INTEL_FAMILIES
        ],
        "amd_integrated": list(matrix.AMD_INTEGRATED),
        "hsa_override": {t: o.version for o in matrix.HSA_OVERRIDES for t in o.targets},
        "hsa_override_source": matrix.HSA_OVERRIDE_NOTE,
    }


def project_data(plan: Plan) -> dict:
    """tools/torch_project.json: everything the project's tools need to know of its answers.

    The tools are the same files in every project; this is what differs. JSON, so that any
    Python 3.9+ reads it before anything is installed."""
    return {
        "about": "uv-torch-template wrote this from .copier-answers.yml; copier update rewrites it",
        "torch_series": plan.torch_version,
        "torch_release": release(plan.torch_version).latest,
        "mode": plan.mode,
        "backends": plan.backends,
        "routes": plan.routes,
        "sync_command": sync_command(plan),
        "libraries": {lib: library_facts(plan.torch_version, lib, plan.libraries) for lib in plan.libraries},
        # extra ("" in platform mode) -> platform -> package -> backend ("" for PyPI)
        "package_routes": {
            extra or "": {
                platform: {package: backend or "" for package, backend in packages.items()}
                for platform, packages in platforms.items()
            }
            for extra, platforms in plan.package_routes.items()
        },
        "environments": dict(zip(plan.platforms, plan.environments, strict=True)),
        "guard_python": plan.guard_python,
        "runtimes": plan.runtimes,
        "gpus": gpu_facts(),
    }


def update_examples(plan: Plan) -> list[tuple[str, list[str]]]:
    """`copier update` examples for this project, with values it can take (no placeholders to
    paste): (what it does, its --data arguments)."""
    examples = []
    newest = default_torch_version()  # the newest whose builds are confirmed, not inferred
    if newest != plan.torch_version:
        examples.append(
            (
                f"torch {newest}: answers that no longer fit move to the nearest that does",
                [f"torch_version={newest}"],
            )
        )
    others = [b for b in backend_choices(plan.torch_version) if b not in plan.backends]
    if others:
        examples.append(("another build (CUDA, ROCm, XPU or CPU)", [f"'backends=[\"{others[0]}\"]'"]))
    python = plan.python_version
    addable = [
        p
        for p in platform_choices()
        if p not in plan.platforms and not platform_unavailable(plan.torch_version, python, p)
    ]
    platforms = [*plan.platforms, *addable[:1]] if addable else plan.platforms[:-1]
    if platforms and platforms != plan.platforms:
        listed = ", ".join(f'"{p}"' for p in platforms)
        examples.append(("another set of platforms", [f"'platforms=[{listed}]'"]))
    return examples


# --- deploy: the Dockerfile, the dev container and the SLURM job --------------------------

DEPLOY_TARGETS = ("docker", "devcontainer", "slurm")
# Containers and clusters run Linux; the image and the job use the first of these selected.
LINUX_PLATFORMS = ("linux-x86_64", "linux-aarch64")
# What a container needs to reach each kind of GPU. CUDA: the NVIDIA Container Toolkit's
# `--gpus` flag; ROCm: the KFD compute device and the DRI render nodes, opened through the
# video and render groups (AMD's ROCm Docker guide); XPU: the DRI render nodes (Intel's guide).
# The dev container runs as root and names the groups; the image's non-root user needs the
# host's render group by number, which the image's /etc/group does not know.
CONTAINER_GPU_ARGS = {
    "cuda": ["--gpus=all"],
    "rocm": ["--device=/dev/kfd", "--device=/dev/dri", "--group-add=video", "--group-add=render"],
    "xpu": ["--device=/dev/dri"],
    "cpu": [],
}
RENDER_GID = '--group-add="$(getent group render | cut -d: -f3)"'
DOCKER_RUN_GPU_ARGS = {
    "cuda": ["--gpus=all"],
    "rocm": ["--device=/dev/kfd", "--device=/dev/dri", "--group-add=video", RENDER_GID],
    "xpu": ["--device=/dev/dri", RENDER_GID],
    "cpu": [],
}


def check_deploy(deploy, platforms=None) -> str:
    unknown = _unknown(deploy, DEPLOY_TARGETS)
    if unknown:
        return f"unknown deploy target {_listing(unknown)}; choose from {_listing(DEPLOY_TARGETS)}"
    if deploy and platforms is not None and not set(platforms) & set(LINUX_PLATFORMS):
        return (
            f"{_listing(deploy)} run(s) Linux, which the lock does not cover: add "
            f"{' or '.join(LINUX_PLATFORMS)} to platforms, or deploy nothing"
        )
    return ""


@dataclass
class Deploy:
    """What the image and the job install: a Linux platform's build of the chosen backends."""

    platform: str
    backend: str  # the build that platform installs
    extra: str | None  # extra mode: the extra the image and the job install by default
    kind: str  # cuda, rocm, xpu or cpu
    container_gpu_args: list[str]
    docker_run_args: list[str]
    python: str  # as uv spells the request: "3.12", "3.14t"
    # The dev container's hostRequirements.gpu: True where every Linux platform gets a CUDA
    # build; "optional" where one gets the CPU build (an aarch64 host builds that image, and the
    # Dev Containers CLI passes the GPU only where there is one); None without CUDA.
    host_gpu: bool | str | None = None


def deploy_target(plan: Plan) -> Deploy:
    """The build a container or a cluster job installs by default: the first backend (CUDA
    before ROCm before XPU before CPU, as offered) that has a GPU build on the Linux platform;
    otherwise what that platform gets. GPU machines are what these targets are for."""
    platform = next((p for p in LINUX_PLATFORMS if p in plan.platforms), None)
    if platform is None:
        raise InvalidAnswer(check_deploy(["docker"], plan.platforms))
    if plan.mode == "platform":
        extra, backend = None, plan.routes[platform]
    else:
        routed = [(extra, routes[platform]) for extra, routes in plan.routes.items()]
        cpu = next(((e, b) for e, b in routed if e == "cpu"), routed[0])
        extra, backend = next(((e, b) for e, b in routed if b != "cpu"), cpu)
    kind = backend_kind(backend)
    routes = plan.routes if extra is None else plan.routes[extra]
    linux = {backend_kind(b) for p, b in routes.items() if p in LINUX_PLATFORMS}
    container_args, host_gpu = CONTAINER_GPU_ARGS[kind], None
    if kind == "cuda":
        host_gpu = True if linux == {"cuda"} else "optional"
        container_args = container_args if host_gpu is True else []
    return Deploy(
        platform,
        backend,
        extra,
        kind,
        container_args,
        DOCKER_RUN_GPU_ARGS[kind],
        plan.python_version,
        host_gpu,
    )
