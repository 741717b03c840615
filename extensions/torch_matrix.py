"""What is known about PyTorch releases: the only place this template keeps such facts.

Every fact names its source (the ``SRC_*`` constants below). A fact that no source states
directly is marked ``inferred`` with the reasoning, so that the README and the questions can
flag it; combinations with no evidence at all are left out rather than guessed.
Refresh with ``scripts/refresh_matrix.py`` when a new PyTorch minor is out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import nvidia_pci_ids

# --- sources -------------------------------------------------------------------------------
SRC_PYPI_FILES = (
    "PyPI file lists (JSON simple API) of torch, torchvision and torchaudio, read 2026-11-29: "
    "the CPython tags present for every one of the four platforms"
)
SRC_PYPI_METADATA = "PyPI wheel METADATA (Requires-Dist), read 2026-11-29"
SRC_RELEASE_MD = (
    "pytorch/pytorch RELEASE.md, 'Release Compatibility Matrix' and 'PyTorch CUDA Support "
    "Matrix' (revision of 2026-09, pytorch/pytorch#197555)"
)
# The revision before #197555 (2026-09-18), the one whose CUDA table covers 2.12-2.14 together.
SRC_RELEASE_MD_2_12_TO_2_14 = (
    "pytorch/pytorch RELEASE.md before pytorch/pytorch#197555 (2026-09-18): 'For Release 2.12, "
    "2.13 and 2.14 PyTorch Supports following CUDA Architectures'; #197555 names the latest "
    "release only and its author says 2.13 matches 2.14"
)
SRC_RELEASE_MD_OS = "pytorch/pytorch RELEASE.md, 'Operating Systems' table"
SRC_INDEX_NAMING = "shared/pytorch-index-naming.md (file names seen in lockfiles and uv issues)"
SRC_VISION_TABLE = "pytorch/vision README compatibility table"
SRC_UV_GUIDE = "uv docs, 'Using uv with PyTorch' (pytorch-triton-rocm / pytorch-triton-xpu sources)"
SRC_TRITON_RENAME = (
    "pytorch/pytorch#186350 (triton-xpu and triton-rocm, 'formerly pytorch-triton-*'); "
    "unslothai/unsloth#4941 (torch 2.10+xpu needs triton-xpu 3.6.0, 2.9 pytorch-triton-xpu)"
)
SRC_XPU_DOCS = "pytorch/pytorch#187923: get_start_xpu.md install commands for 2.10, 2.11, 2.12"
SRC_TEST_INFRA_7667 = (
    "pytorch/test-infra#7667 (release/pypi/promote_wheel_variants.sh, 2026-01-22): cu126, cu128 "
    "and cu130 for Linux aarch64 and Windows, xpu for Linux and Windows"
)
SRC_UV_17380 = "astral-sh/uv#17380 (2026-01-12) quotes every cp314 torch 2.9.1 wheel of the index"
SRC_ROCM_2_14 = (
    "pytorch/test-infra#8497 (2026-08-11: ROCm 7.2 and 7.14 'match what release/2.14 actually "
    "builds'); pytorch/pytorch#194367 lists ROCm 7.14; third-party installs of 2.14.1+rocm7.2 "
    "and 2.14.1+rocm7.14"
)
SRC_TEST_INFRA_MATRIX = "pytorch/test-infra generate_binary_build_matrix.py at the release"
SRC_WINDOWS_ARM64 = (
    "third-party checks of whl/cpu (shared/torch-matrix.md): CPU-only win_arm64 torch for "
    "2.7-2.13, cp311-cp313, none on PyPI; pytorch/pytorch#195033: no cp314 win_arm64 yet"
)
SRC_PYPI_TAGS = (
    "PyPI file lists (JSON simple API), read 2026-12-05 by scripts/refresh_matrix.py --pypi: the "
    "macosx_X_Y and manylinux tags of every wheel of the release"
)

# --- platforms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Platform:
    sys_platform: str
    # platform_machine as the interpreter reports it: Windows says AMD64, not x86_64.
    machine: str
    label: str


PLATFORMS: dict[str, Platform] = {
    "linux-x86_64": Platform("linux", "x86_64", "Linux x86_64"),
    "linux-aarch64": Platform("linux", "aarch64", "Linux aarch64"),
    "macos-arm64": Platform("darwin", "arm64", "macOS arm64"),
    "windows-x86_64": Platform("win32", "AMD64", "Windows x86_64"),
    # CPU builds only, for some releases and Pythons (TorchRelease.cpu_only_platforms).
    "windows-arm64": Platform("win32", "ARM64", "Windows ARM64"),
}
ALL_PLATFORMS = tuple(PLATFORMS)
# What a project covers unless told otherwise: the platforms every release has wheels for.
DEFAULT_PLATFORMS = ("linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64")
LINUX_X86 = ("linux-x86_64",)
LINUX_WINDOWS = ("linux-x86_64", "windows-x86_64")
LINUX_BOTH = ("linux-x86_64", "linux-aarch64")
LINUX_BOTH_WINDOWS = ("linux-x86_64", "linux-aarch64", "windows-x86_64")

# --- facts per release ---------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    """The wheels one backend index holds for one torch minor."""

    platforms: tuple[str, ...]
    source: str
    # Platforms of `platforms` that no source confirms, with the reason we list them anyway.
    inferred: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Floors:
    """The oldest systems a release's wheels install on, as their platform tags on PyPI state
    (SRC_PYPI_TAGS): `macosx_14_0_arm64` needs macOS 14, `manylinux_2_28` glibc 2.28
    (`manylinux2014` 2.17, `manylinux1` 2.5)."""

    macos: str  # arm64 wheels; "" where there are none of its own
    glibc: str  # Linux wheels; "" where there are none
    glibc_aarch64: str = ""  # where aarch64's differ from x86_64's
    macos_by_python: dict[str, str] = field(default_factory=dict)  # where one Python's differ

    def macos_for(self, python: str) -> str:
        return self.macos_by_python.get(python, self.macos)

    def glibc_for(self, platform: str) -> str:
        return (self.glibc_aarch64 or self.glibc) if platform == "linux-aarch64" else self.glibc


# The floors most releases share.
MACOS_11, MACOS_14 = Floors("11.0", "2.28"), Floors("14.0", "2.28")
OLD_LINUX = Floors("11.0", "2.5", "2.17")  # manylinux1 x86_64, manylinux2014 aarch64


@dataclass(frozen=True)
class CPUOnlyPlatform:
    """A platform that only the cpu index serves, and only for these Pythons."""

    pythons: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class TorchRelease:
    minor: str
    latest: str
    pythons: tuple[str, ...]
    backends: dict[str, Build]
    # Things a reader may look for and not find, with the reason.
    notes: tuple[str, ...] = ()
    # Free-threaded CPythons (`3.14t`) with wheels on every platform of `DEFAULT_PLATFORMS`.
    free_threaded: tuple[str, ...] = ()
    # Platforms beyond DEFAULT_PLATFORMS, where the cpu index alone has wheels.
    cpu_only_platforms: dict[str, CPUOnlyPlatform] = field(default_factory=dict)
    floors: Floors = MACOS_11


def _cpu() -> Build:
    return Build(DEFAULT_PLATFORMS, f"{SRC_RELEASE_MD_OS}; {SRC_INDEX_NAMING}")


def _rocm(source: str = "", reason: str = "") -> Build:
    """A ROCm index: Linux x86_64 only. `reason` marks one that no wheel seen confirms."""
    source = f"{source or SRC_RELEASE_MD + ' (Stable ROCm)'}; ROCm wheels are Linux x86_64 only"
    return Build(LINUX_X86, source, {"linux-x86_64": reason} if reason else {})


ROCM_MATRIX_ONLY = f"in {SRC_TEST_INFRA_MATRIX}; no wheel of it seen"
WINDOWS_ARM64 = {"windows-arm64": CPUOnlyPlatform(("3.11", "3.12", "3.13"), SRC_WINDOWS_ARM64)}


def _xpu(source: str = "") -> Build:
    if source:
        return Build(LINUX_WINDOWS, source)
    reason = "XPU wheels have been published for every release since 2.5"
    return Build(LINUX_WINDOWS, SRC_UV_GUIDE, {p: reason for p in LINUX_WINDOWS})


# RELEASE.md (the revision quoted), one table for Linux x86 and Windows builds and one for
# Linux aarch64 builds.
CUDA_2_12_TO_2_14 = {
    backend: Build(LINUX_BOTH_WINDOWS, SRC_RELEASE_MD_2_12_TO_2_14) for backend in ("cu126", "cu130", "cu132")
}
# pytorch/pytorch#162364 added the aarch64 CUDA 12.6 and 12.8 builds (after 2.8).
CU126_AARCH64 = Build(
    LINUX_BOTH_WINDOWS, f"{SRC_RELEASE_MD}; pytorch/pytorch#162364 (aarch64 12.6 and 12.8 builds)"
)
SRC_PREVIOUS_VERSIONS = "copies of the pytorch.org previous-versions page (whl/rocm6.1 commands)"
SRC_CU129_2_8 = (
    f"{SRC_RELEASE_MD} ('Experimental CUDA'); test-infra at the 2.8 go-live built aarch64 for "
    "CUDA 12.9 only and added Windows 12.9 builds on 2025-06-25; third-party downloads of "
    "torch-2.8.0+cu129 aarch64 from whl/cu129 and installs of its win_amd64 wheels"
)

PY315_EXPERIMENTAL = (
    "Python 3.15: RELEASE.md calls it experimental and PyPI has no cp315 wheels of this release"
)
NO_WINDOWS_ARM64 = "Windows ARM64: the cpu index has its wheels for 2.7-2.13 only (shared/torch-matrix.md)"

RELEASES: tuple[TorchRelease, ...] = (
    TorchRelease(
        minor="2.15",
        floors=MACOS_14,
        latest="2.15.0",
        pythons=("3.11", "3.12", "3.13", "3.14", "3.15"),
        free_threaded=("3.14t", "3.15t"),
        backends={
            "cpu": _cpu(),
            "cu132": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_PYPI_METADATA}: PyPI's Linux x86_64 and aarch64 torch 2.15.0 require "
                "cuda-toolkit 13.2.2",
                {
                    p: "PyPI's Linux build has always been one of the index's CUDA variants; "
                    "Windows had every CUDA variant of 2.12-2.14"
                    for p in LINUX_BOTH_WINDOWS
                },
            ),
            "cu130": Build(
                LINUX_BOTH_WINDOWS,
                "RFC pytorch/pytorch#190385 (2026-07-17): 13.2 the default, 13.0 kept, 12.6 dropped",
                {p: "an RFC's plan, no wheel seen" for p in LINUX_BOTH_WINDOWS},
            ),
            "xpu": _xpu(),
        },
        notes=("CUDA 12.6: dropped by RFC pytorch/pytorch#190385; ROCm: no source yet for 2.15",),
    ),
    TorchRelease(
        minor="2.14",
        floors=MACOS_14,
        latest="2.14.1",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        free_threaded=("3.14t",),
        backends={
            "cpu": _cpu(),
            **CUDA_2_12_TO_2_14,
            # Kept off the getting-started page on purpose.
            "cu134": Build(
                ("linux-x86_64", "linux-aarch64"),
                "pytorch/test-infra#8477, #8497, #8499: CUDA 13.4 for Linux x86_64 and aarch64",
            ),
            "rocm7.2": _rocm(SRC_ROCM_2_14),
            "rocm7.14": _rocm(SRC_ROCM_2_14),
            "xpu": _xpu("third-party installs of 2.14.1+xpu on Windows 11 and Linux"),
        },
        notes=(PY315_EXPERIMENTAL, NO_WINDOWS_ARM64),
    ),
    TorchRelease(
        minor="2.13",
        floors=MACOS_14,
        latest="2.13.0",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        free_threaded=("3.14t",),
        cpu_only_platforms=WINDOWS_ARM64,
        backends={
            "cpu": _cpu(),
            **CUDA_2_12_TO_2_14,
            "rocm7.2": _rocm(),
            "rocm7.1": _rocm("third-party installs of 2.13.0+rocm7.1"),
            "xpu": _xpu("pytorch/helion#3449: triton-xpu 3.7.2 'that PyTorch 2.13 already installs'"),
        },
        notes=(PY315_EXPERIMENTAL,),
    ),
    TorchRelease(
        minor="2.12",
        floors=MACOS_14,
        latest="2.12.1",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        free_threaded=("3.14t",),
        cpu_only_platforms=WINDOWS_ARM64,
        backends={
            "cpu": _cpu(),
            **CUDA_2_12_TO_2_14,
            "rocm7.2": _rocm(),
            "rocm7.1": _rocm(reason=ROCM_MATRIX_ONLY),
            "xpu": _xpu(SRC_XPU_DOCS),
        },
        notes=("Python 3.13t: 2.12.0 has wheels, 2.12.1 (the patch a project pins) has none",),
    ),
    TorchRelease(
        minor="2.11",
        floors=MACOS_11,
        latest="2.11.0",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        free_threaded=("3.13t", "3.14t"),
        cpu_only_platforms=WINDOWS_ARM64,
        backends={
            "cpu": _cpu(),
            "cu126": CU126_AARCH64,
            "cu128": Build(
                LINUX_BOTH_WINDOWS,
                SRC_RELEASE_MD,
                {"linux-aarch64": "cu128 had aarch64 wheels in 2.9 and 2.10 (pytorch/pytorch#162364)"},
            ),
            "cu130": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_RELEASE_MD}; {SRC_PYPI_METADATA}: PyPI's aarch64 torch 2.11.0 is a CUDA 13.0 build",
            ),
            "rocm7.2": _rocm(),
            "rocm7.1": _rocm(reason=ROCM_MATRIX_ONLY),
            "xpu": _xpu(SRC_XPU_DOCS),
        },
    ),
    TorchRelease(
        minor="2.10",
        floors=Floors("11.0", "2.28", macos_by_python=dict.fromkeys(("3.13t", "3.14", "3.14t"), "14.0")),
        latest="2.10.0",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        free_threaded=("3.13t", "3.14t"),
        cpu_only_platforms=WINDOWS_ARM64,
        backends={
            "cpu": _cpu(),
            **{
                backend: Build(
                    LINUX_BOTH_WINDOWS,
                    f"{SRC_RELEASE_MD}; {SRC_TEST_INFRA_7667}; pytorch/test-infra#7652 "
                    "(getting-started sent aarch64 users to whl/cu128)",
                )
                for backend in ("cu126", "cu128", "cu130")
            },
            "rocm7.1": _rocm(),
            "rocm7.0": _rocm("pytorch/test-infra#7667 (the 2.10 promotion lists rocm7.0)"),
            "xpu": _xpu(SRC_XPU_DOCS),
        },
    ),
    TorchRelease(
        minor="2.9",
        floors=MACOS_11,
        latest="2.9.1",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        free_threaded=("3.13t", "3.14t"),
        cpu_only_platforms=WINDOWS_ARM64,
        backends={
            "cpu": _cpu(),
            "cu126": Build(LINUX_BOTH_WINDOWS, f"{SRC_RELEASE_MD}; {SRC_UV_17380} (+cu126 aarch64)"),
            "cu128": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING} (torchvision 0.24.1 cu128 aarch64)",
            ),
            # pytorch/pytorch#187834 calls cu129 unsupported from 2.10: offered for 2.9 only.
            "cu129": Build(LINUX_BOTH, f"{SRC_UV_17380}: +cu129 Linux x86_64 and aarch64, no Windows"),
            "cu130": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING} (cu130 2.9.0 manylinux_2_28_aarch64); "
                f"{SRC_UV_17380} (+cu130 win_amd64)",
            ),
            "rocm6.4": _rocm(),
            "rocm6.3": _rocm(f"{SRC_UV_17380} (+rocm6.3)"),
            "xpu": _xpu(f"{SRC_UV_17380} (+xpu Linux and Windows)"),
        },
    ),
    TorchRelease(
        minor="2.8",
        floors=Floors("11.0", "2.28", macos_by_python={"3.13t": "14.0"}),
        latest="2.8.0",
        pythons=("3.9", "3.10", "3.11", "3.12", "3.13"),
        free_threaded=("3.13t",),
        cpu_only_platforms=WINDOWS_ARM64,
        backends={
            "cpu": _cpu(),
            "cu126": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu128": Build(
                LINUX_WINDOWS,
                f"{SRC_RELEASE_MD}; OpenRAL/openral#88 (uv finds 2.8.0+cu128 wheels for "
                "manylinux_2_28_x86_64 and win_amd64 only)",
            ),
            "cu129": Build(LINUX_BOTH_WINDOWS, SRC_CU129_2_8),
            "rocm6.4": _rocm(),
            "rocm6.3": _rocm(reason=ROCM_MATRIX_ONLY),
            "xpu": _xpu(),
        },
        notes=("CUDA 12.8 on Linux aarch64: none (OpenRAL/openral#88); cu129 has it",),
    ),
    TorchRelease(
        minor="2.7",
        floors=Floors("11.0", "2.28", macos_by_python={"3.13t": "14.0"}),
        latest="2.7.1",
        pythons=("3.9", "3.10", "3.11", "3.12", "3.13"),
        free_threaded=("3.13t",),
        cpu_only_platforms=WINDOWS_ARM64,
        backends={
            "cpu": _cpu(),
            "cu118": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu126": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu128": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING} (astral-sh/uv#13195: the cu128 2.7.0 "
                "page lists manylinux_2_28_x86_64, manylinux_2_28_aarch64, win_amd64)",
            ),
            "rocm6.3": _rocm(),
            "rocm6.2.4": _rocm(reason=ROCM_MATRIX_ONLY),
            "xpu": _xpu(),
        },
    ),
    TorchRelease(
        minor="2.6",
        floors=Floors("11.0", "2.5", "2.28"),
        latest="2.6.0",
        pythons=("3.9", "3.10", "3.11", "3.12", "3.13"),
        backends={
            "cpu": _cpu(),
            "cu118": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu124": Build(LINUX_WINDOWS, f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING}"),
            "cu126": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING} (+cu126 x86_64, linux_aarch64, win_amd64)",
            ),
            "rocm6.2.4": _rocm(),
            "rocm6.1": _rocm(SRC_PREVIOUS_VERSIONS),
            "xpu": _xpu("pytorch/pytorch#145290: torch-2.6.0+xpu win_amd64 on the xpu test index"),
        },
    ),
    TorchRelease(
        minor="2.5",
        floors=OLD_LINUX,
        latest="2.5.1",
        # PyPI has 3.13 wheels of 2.5.1 for Linux x86_64 only, and no torchvision 0.20 for 3.13.
        pythons=("3.9", "3.10", "3.11", "3.12"),
        backends={
            "cpu": _cpu(),
            "cu118": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu121": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu124": Build(LINUX_WINDOWS, f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING}"),
            "rocm6.2": _rocm(),
            "rocm6.1": _rocm(SRC_PREVIOUS_VERSIONS),
            "xpu": _xpu("astral-sh/uv#9409: torch-2.5.1+xpu for win_amd64 and linux_x86_64"),
        },
        notes=(
            "CUDA on Linux aarch64: the cu124 index serves an unlabelled CPU torch 2.5.1 there "
            "(astral-sh/uv#8746); aarch64 gets the CPU build",
        ),
    ),
    TorchRelease(
        minor="2.4",
        floors=OLD_LINUX,
        latest="2.4.1",
        pythons=("3.8", "3.9", "3.10", "3.11", "3.12"),
        backends={
            "cpu": _cpu(),
            "cu118": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu121": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu124": Build(LINUX_WINDOWS, f"{SRC_RELEASE_MD} ('Experimental CUDA')"),
            "rocm6.1": _rocm(),
        },
        notes=("XPU: wheels start with 2.5",),
    ),
)

# Python versions come from SRC_PYPI_FILES for every release above, the free-threaded ones
# too (cp313t / cp314t / cp315t wheels on all four platforms, shared/torch-matrix.md).

# --- libraries installed beside torch ------------------------------------------------------
# One record per library. Adding a library is adding a record here (and its probe, what the smoke
# check runs on a device, to tools/torch_smoke.py's PROBES): the questions, the plan, the README
# table, the project's data file and the tests read these records.

SRC_PYPI_LIBRARY_FILES = (
    "PyPI file lists (JSON API) of the release, read 2026-11-29: its platforms, CPython tags "
    "and free-threaded (cp3XXt) wheels"
)
SRC_AO_INIT = (
    "torchao/__init__.py in its PyPI wheels 0.13.0-0.18.0, read 2026-11-29: the torch each "
    "release loads its C++ ops with (pytorch/ao#2919); from 0.17 'torch >= 2.11.0' (pytorch/ao "
    "PR#4154); the wheels' Requires-Dist names no torch"
)
SRC_CODEC_README = (
    "torchcodec README 'Compatibility with torch versions', as shipped in the 0.17.0 wheel's "
    "METADATA (read 2026-11-29); its wheels' Requires-Dist names no torch"
)
SRC_AUDIO_README = (
    "pytorch/audio README: 'TorchAudio 2.11 works with torch 2.11 and with every future torch "
    "release'; pytorch/audio#4212, #4225 (torch>=2.11)"
)
SRC_UV_ROUTING = "uv 0.13.9 crates/uv-torch/src/backend.rs: uv routes torchao and torchcodec like torch"

KINDS = ("cpu", "cuda", "rocm", "xpu")


@dataclass(frozen=True)
class Pairing:
    """The release of a library that goes with one torch minor."""

    version: str  # the newest patch, which the project pins
    # What it needs of torch, as its source states it: `==2.9.1` pairs with one torch release,
    # `>=2.11` is a stable-ABI build that serves later torch releases too.
    torch: str
    source: str
    floors: Floors
    # False where the wheel's Requires-Dist names no torch: the template's pin enforces the pairing.
    in_metadata: bool = True
    # A `py3-none` / stable-ABI wheel: one file for every backend, without a `+label`.
    stable_abi: bool = False
    platforms: tuple[str, ...] | None = None  # where it has wheels, if fewer than torch's
    pythons: tuple[str, ...] | None = None  # CPython minors with wheels, if not torch's
    free_threaded: tuple[str, ...] = ()  # free-threaded CPython with wheels (`3.14t`)
    free_threaded_platforms: tuple[str, ...] | None = None  # where those are, if fewer
    # Python releases its Requires-Python excludes (`!=3.14.1`), which the project's must too.
    excluded_pythons: tuple[str, ...] = ()
    system_package: str = ""  # where this release needs another than the library's
    inferred: str = ""


@dataclass(frozen=True)
class Library:
    name: str
    summary: str
    versions: dict[str, Pairing]  # torch minor -> pairing
    # Backend kind -> platforms whose PyTorch index of that kind has its builds; None: wherever
    # torch has one. A platform without one installs the cpu index's build where `builds["cpu"]`
    # has it, else the one on PyPI.
    builds: dict[str, tuple[str, ...]] | None
    # Platforms and backend kinds whose files carry torch's `+label` (unless `stable_abi`).
    labelled_platforms: tuple[str, ...]
    labelled_kinds: tuple[str, ...]
    source: str
    # A system package the library loads at import, and how to install it per operating system.
    system_package: str = ""
    system_install: dict[str, str] = field(default_factory=dict)
    inferred: str = ""
    notes: tuple[str, ...] = ()
    # Chosen for a fresh project where released (DESIGN.md: the default is torchvision).
    default: bool = False


SRC_LIBRARY_TAGS = f"{SRC_PYPI_LIBRARY_FILES}; {SRC_PYPI_TAGS}"
MACOS_12_FOR_313 = Floors("11.0", "2.28", macos_by_python={"3.13": "12.0"})
EXCLUDES_3_14_1 = ("3.14.1",)  # torchvision 0.26.0-0.29.2: Requires-Python >=3.10,!=3.14.1


def _vision(version: str, minor: str, floors: Floors, **facts) -> Pairing:
    torch = version_of_torch(minor)
    return Pairing(
        version,
        f"=={torch}",
        f"{SRC_VISION_TABLE} ({minor}); {SRC_PYPI_METADATA}: Requires-Dist torch=={torch}; "
        f"{SRC_LIBRARY_TAGS}",
        floors,
        **facts,
    )


def _audio(version: str, floors: Floors, free_threaded: tuple[str, ...] = ()) -> Pairing:
    return Pairing(
        version,
        f"=={version}",
        f"{SRC_PYPI_METADATA}: Requires-Dist torch=={version}; {SRC_LIBRARY_TAGS}",
        floors,
        free_threaded=free_threaded,
    )


def version_of_torch(minor: str) -> str:
    return next(r.latest for r in RELEASES if r.minor == minor)


FT_313, FT_BOTH, FT_314 = ("3.13t",), ("3.13t", "3.14t"), ("3.14t",)
TORCHVISION_STABLE = (
    f"{SRC_PYPI_METADATA}: torchvision 0.29.1 and 0.29.2 require torch>=2.14.0 (0.29.0: "
    f"torch==2.14.0); 0.29.2 is a py3-none wheel; {SRC_LIBRARY_TAGS}"
)
AUDIO_STABLE = (
    f"{SRC_PYPI_METADATA}: torchaudio 2.11.1 is a py3-none wheel that requires torch>=2.11; "
    f"{SRC_AUDIO_README}; {SRC_PYPI_TAGS}"
)
AUDIO_2_11 = Pairing("2.11.1", ">=2.11", AUDIO_STABLE, MACOS_14, stable_abi=True, free_threaded=FT_BOTH)
AUDIO_LATER = Pairing(
    "2.11.1",
    ">=2.11",
    f"{AUDIO_STABLE}; 2.11.1 was uploaded with torch 2.15.0 (2026-10-28)",
    MACOS_14,
    stable_abi=True,
    free_threaded=("3.14t", "3.15t"),
)
# torchao's Linux x86_64 wheel is `cp310-abi3` (manylinux_2_24); elsewhere a py3-none-any one.
AO_FLOORS = Floors("", "2.24")


def _ao(version: str, torch: str, pythons: tuple[str, ...] | None = None) -> Pairing:
    # The abi3 wheels hold the C++ ops; free-threaded CPython cannot load abi3 extensions.
    return Pairing(
        version,
        torch,
        f"{SRC_AO_INIT}; {SRC_PYPI_TAGS}",
        AO_FLOORS,
        in_metadata=False,
        stable_abi=torch.startswith(">="),
        pythons=pythons,
    )


def _codec(version: str, torch: str, platforms: tuple[str, ...], floors: Floors, **facts) -> Pairing:
    return Pairing(
        version,
        torch,
        f"{SRC_CODEC_README}; {SRC_LIBRARY_TAGS}",
        floors,
        in_metadata=False,
        platforms=platforms,
        **facts,
    )


SRC_CODEC_0_16 = (
    "the README inside the torchcodec 0.16.0 wheel ('TorchCodec supports all major FFmpeg versions "
    "in [4, 9]'), and its libtorchcodec_core4.so to core9.so; its Linux aarch64 wheel on PyPI links "
    "libc10_cuda.so and libnvrtc.so.13 (a CUDA 13 build), read 2026-12-05"
)
CODEC_LATER = _codec(
    "0.16.0",
    ">=2.11",
    ("linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"),
    Floors("14.0", "2.27"),
    pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
    free_threaded=FT_314,
    free_threaded_platforms=("linux-x86_64", "linux-aarch64", "macos-arm64"),  # no cp314t win_amd64
    system_package="FFmpeg 4 to 9",
    inferred="0.17.0 (2026-09-30) is not offered: its README's table stops at 0.16, and no source "
    "states the torch it goes with",
)
MACOS_LINUX_X86 = ("linux-x86_64", "macos-arm64")
NOT_AARCH64 = ("linux-x86_64", "macos-arm64", "windows-x86_64")
CODEC_OLD_LINUX = Floors("11.0", "2.17")

LIBRARIES: dict[str, Library] = {
    "torchvision": Library(
        name="torchvision",
        summary="image and video models, datasets and operators",
        default=True,
        versions={
            "2.15": Pairing(
                "0.29.2",
                ">=2.14.0",
                TORCHVISION_STABLE,
                MACOS_14,
                stable_abi=True,
                free_threaded=("3.14t", "3.15t"),
                excluded_pythons=EXCLUDES_3_14_1,
                inferred="uploaded with torch 2.15.0 (2026-10-28) as a py3-none (stable ABI) wheel "
                "that accepts torch>=2.14.0; the vision table does not list 2.15 yet",
            ),
            "2.14": Pairing(
                "0.29.2",
                ">=2.14.0",
                TORCHVISION_STABLE,
                MACOS_14,
                stable_abi=True,
                free_threaded=FT_314,
                excluded_pythons=EXCLUDES_3_14_1,
            ),
            "2.13": _vision(
                "0.28.0", "2.13", MACOS_14, free_threaded=FT_314, excluded_pythons=EXCLUDES_3_14_1
            ),
            "2.12": _vision(
                "0.27.1", "2.12", MACOS_14, free_threaded=FT_314, excluded_pythons=EXCLUDES_3_14_1
            ),
            "2.11": _vision(
                "0.26.0",
                "2.11",
                Floors(
                    "11.0", "2.28", macos_by_python=dict.fromkeys(("3.13", "3.13t", "3.14", "3.14t"), "12.0")
                ),
                free_threaded=FT_BOTH,
                excluded_pythons=EXCLUDES_3_14_1,
            ),
            "2.10": _vision("0.25.0", "2.10", MACOS_12_FOR_313, free_threaded=FT_BOTH),
            "2.9": _vision("0.24.1", "2.9", MACOS_12_FOR_313, free_threaded=FT_BOTH),
            "2.8": _vision("0.23.0", "2.8", MACOS_11, free_threaded=FT_313),
            "2.7": _vision("0.22.1", "2.7", MACOS_11, free_threaded=FT_313),
            "2.6": _vision("0.21.0", "2.6", Floors("11.0", "2.5", "2.28")),
            "2.5": _vision("0.20.1", "2.5", OLD_LINUX),
            "2.4": _vision("0.19.1", "2.4", OLD_LINUX),
        },
        builds=None,
        labelled_platforms=("linux-x86_64", "windows-x86_64"),
        labelled_kinds=KINDS,
        source=SRC_INDEX_NAMING,
    ),
    "torchaudio": Library(
        name="torchaudio",
        summary="audio transforms and models",
        versions={
            **dict.fromkeys(("2.15", "2.14", "2.13", "2.12"), AUDIO_LATER),
            "2.11": AUDIO_2_11,
            "2.10": _audio("2.10.0", MACOS_12_FOR_313, FT_BOTH),
            "2.9": _audio("2.9.1", MACOS_12_FOR_313, FT_BOTH),
            "2.8": _audio("2.8.0", MACOS_11, FT_313),
            "2.7": _audio("2.7.1", MACOS_11, FT_313),
            "2.6": _audio("2.6.0", Floors("11.0", "2.5", "2.28")),
            "2.5": _audio("2.5.1", OLD_LINUX),
            "2.4": _audio("2.4.1", OLD_LINUX),
        },
        builds=None,
        labelled_platforms=("linux-x86_64", "windows-x86_64"),
        labelled_kinds=KINDS,
        source=SRC_INDEX_NAMING,
        notes=(
            "In maintenance mode: no new version is planned (pytorch/pytorch.github.io#2074); "
            "2.11.1 serves torch 2.11 and every later torch (pytorch/audio README, #4212, #4225)",
        ),
    ),
    "torchao": Library(
        name="torchao",
        summary="quantization and low-precision training",
        versions={
            **dict.fromkeys(("2.15", "2.14", "2.13", "2.12", "2.11"), _ao("0.18.0", ">=2.11.0")),
            "2.10": _ao("0.16.0", "==2.10.0"),
            "2.9": _ao("0.15.0", "==2.9.1"),
            "2.8": _ao("0.14.0", "==2.8.0", pythons=("3.10", "3.11", "3.12", "3.13")),
        },
        builds={kind: ("linux-x86_64",) for kind in ("cpu", "cuda", "xpu")},
        labelled_platforms=("linux-x86_64",),
        labelled_kinds=("cpu", "cuda", "xpu"),
        source=f"torchao README (per-backend wheels: cu126, cu129, xpu, cpu); {SRC_UV_ROUTING}; "
        f"{SRC_PYPI_LIBRARY_FILES}: PyPI holds a Linux x86_64 abi3 wheel and a py3-none-any one",
        inferred="the PyTorch indexes hold Linux x86_64 builds only, labelled like torch; the other "
        "platforms install PyPI's py3-none-any wheel, which has no C++ ops",
    ),
    "torchcodec": Library(
        name="torchcodec",
        summary="video and audio decoding and encoding through FFmpeg",
        versions={
            **dict.fromkeys(("2.15", "2.14", "2.13", "2.12", "2.11"), CODEC_LATER),
            "2.10": _codec("0.10.0", "==2.10.*", NOT_AARCH64, MACOS_12_FOR_313),
            "2.9": _codec("0.9.1", "==2.9.*", NOT_AARCH64, MACOS_12_FOR_313),
            "2.8": _codec("0.7.0", "==2.8.*", NOT_AARCH64, MACOS_11),
            "2.7": _codec("0.5", "==2.7.*", MACOS_LINUX_X86, MACOS_11),
            "2.6": _codec("0.2.1", "==2.6.*", MACOS_LINUX_X86, CODEC_OLD_LINUX),
            "2.5": _codec("0.1.1", "==2.5.*", MACOS_LINUX_X86, CODEC_OLD_LINUX),
            "2.4": _codec(
                "0.0.3",
                "==2.4.*",
                ("linux-x86_64",),
                Floors("", "2.17"),
                pythons=("3.9", "3.10", "3.11", "3.12"),
            ),
        },
        # The cpu index has CPU builds for Linux aarch64 too (its README), where PyPI's 0.16.0
        # is a CUDA 13 build that cannot load beside a CPU or CUDA 12 torch.
        builds={"cuda": ("linux-x86_64",), "cpu": ("linux-x86_64", "linux-aarch64")},
        labelled_platforms=("linux-x86_64",),
        labelled_kinds=("cuda",),
        source=f"torchcodec README (CUDA builds from the PyTorch CUDA index on Linux; CPU builds on "
        f"the cpu index for Linux x86_64 and aarch64, macOS, Windows); {SRC_UV_ROUTING}; "
        "meta-pytorch/torchcodec#424 (0.1.1 from whl/cu124), #589 (whl/cpu TorchCodec-0.2.1 "
        f"unlabelled); {SRC_CODEC_0_16}; {SRC_LIBRARY_TAGS}",
        inferred="which CUDA indexes hold which torchcodec release: the README names the index "
        "of the torch it goes with; that the cpu index's aarch64 files carry no label",
        system_package="FFmpeg 4 to 8",
        system_install={
            "linux": "sudo apt install ffmpeg",
            "macos": "brew install ffmpeg",
            "windows": "conda install -c conda-forge ffmpeg",
        },
        notes=(
            "Needs FFmpeg from the system (not a wheel; on Windows its shared build): 4 to 8, and 4 "
            "to 9 from 0.16; the smoke check says which it found",
        ),
    ),
}

# torchaudio 2.9 and later load and save audio through torchcodec (pytorch/audio#3902), which
# a project has only where it chose it: the README and the smoke check say how to add it.
AUDIO_DECODING = (
    "2.9",
    "torchaudio.load and torchaudio.save go through torchcodec from torchaudio 2.9 on "
    "(pytorch/audio#3902); its transforms and models need no FFmpeg",
)

# --- packages a backend needs from its own index -------------------------------------------
# torch's ROCm and XPU wheels require a triton build that only their index serves. uv applies
# sources to direct dependencies only, so the template declares it next to torch.


@dataclass(frozen=True)
class Companion:
    """Packages a backend's torch requires that only its own index serves (PyPI has none, or a
    placeholder); the newest record of a `role` that a torch minor has replaces the older."""

    since: str  # first torch minor that requires them
    packages: tuple[str, ...]
    platforms: tuple[str, ...]
    source: str
    inferred: str = ""
    role: str = "triton"
    backends: tuple[str, ...] = ()  # only these builds of the kind; () every one


SRC_ROCM_SDK = (
    "pytorch/pytorch#191688 (RFC: torch's ROCm 7.14 build requires rocm[libraries,device-all]==7.14) "
    "and #193979 (pip log of torch 2.15.0.dev+rocm7.14 collecting rocm-sdk-device-gfx*==7.14.0 from "
    "the same index); pytorch/test-infra s3_management/update_dependencies.py (the rocm7.14 index "
    "mirrors rocm, rocm-sdk-core, rocm-sdk-libraries and 25 rocm-sdk-device-gfx* pages from "
    "repo.amd.com); ROCm/TheRock's rocm meta package (rocm-sdk-core==V; libraries: "
    "rocm-sdk-libraries==V; device-all: every rocm-sdk-device-gfx*==V); PyPI (read 2026-12-05) "
    "holds only 0.1.0 and 0.0.1.dev0 placeholders of these names"
)
ROCM_SDK_DEVICES = tuple(
    f"rocm-sdk-device-gfx{target}"
    for target in (
        "908", "90a", "942", "950", "1010", "1011", "1012", "1030", "1031", "1032", "1033", "1034",
        "1035", "1036", "1100", "1101", "1102", "1103", "1150", "1151", "1152", "1153", "1200",
        "1201", "1250",
    )
)  # fmt: skip

COMPANIONS: dict[str, tuple[Companion, ...]] = {
    "rocm": (
        Companion("2.4", ("pytorch-triton-rocm",), LINUX_X86, SRC_UV_GUIDE),
        Companion(
            "2.10",
            ("triton-rocm",),
            LINUX_X86,
            SRC_TRITON_RENAME,
            "the XPU package was renamed with 2.10, and pytorch/test-infra#7569 (2025-12-10) "
            "added triton_rocm to the index allow-list then; no 2.10 ROCm wheel's metadata seen",
        ),
        # uv applies sources to direct dependencies only: each package is declared and routed.
        Companion(
            "2.14",
            ("rocm", "rocm-sdk-core", "rocm-sdk-libraries", *ROCM_SDK_DEVICES),
            LINUX_X86,
            SRC_ROCM_SDK,
            "that the stable 2.14 wheels require what the 2.15 nightlies do (no stable wheel's "
            "metadata seen)",
            role="rocm sdk",
            backends=("rocm7.14",),
        ),
    ),
    "xpu": (
        Companion("2.5", ("pytorch-triton-xpu",), LINUX_WINDOWS, SRC_UV_GUIDE),
        Companion(
            "2.10",
            ("triton-xpu",),
            LINUX_WINDOWS,
            f"{SRC_TRITON_RENAME}; pytorch/test-infra#7569 (2025-12-10: torch requires "
            "triton-xpu==3.6.0+git...)",
        ),
    ),
}

DEFAULT_INDEX_URL = "https://download.pytorch.org/whl"

# What torch's Linux CUDA wheels require from PyPI, pinned exactly, so that they move with torch
# and not on their own: the nvidia-* libraries (`-cu12` / `-cu13` names, and from the cuda-toolkit
# metapackage's extras without a suffix), cuda-toolkit from 2.11, cuda-bindings (and its
# cuda-pathfinder) from 2.10, triton.
CUDA_RUNTIME_PACKAGES = ("triton", "nvidia-*", "cuda-toolkit", "cuda-bindings", "cuda-pathfinder")
SRC_CUDA_RUNTIME = (
    f"{SRC_PYPI_METADATA.replace('2026-11-29', '2026-12-05')}: torch 2.10.0 requires cuda-bindings "
    "and nvidia-*-cu12, 2.14.1 cuda-toolkit[cublas,cudart,...]==13.0.3, cuda-bindings and "
    "nvidia-*-cu13; cuda-toolkit 13.0.2's extras require nvidia-* without a suffix"
)

# --- what each build needs from the machine ------------------------------------------------
# Read by the rendered hardware module (the smoke check and tools/pick_backend.py), which
# decides from it whether a machine's GPUs and driver can run a build, before installing it.

SRC_UV_DRIVERS = (
    "uv crates/uv-torch/src/backend.rs, LINUX_CUDA_DRIVERS and WINDOWS_CUDA_VERSIONS (after "
    "NVIDIA's CUDA toolkit release notes, table 2); the 13.x and 12.x floors as uv 0.13.9 states "
    "them (shared/torch-matrix.md), the rest read in the uv snapshot of 2026-08-21"
)
SRC_UV_AMD = (
    "uv crates/uv-torch/src/backend.rs, LINUX_AMD_GPU_DRIVERS: torch.cuda.get_arch_list() of "
    "each ROCm build, snapshot of 2026-08-21"
)
SRC_CUDA_ARCH_2_9 = (
    "pytorch/pytorch#164471: RELEASE.md 'PyTorch CUDA Support Matrix' for release 2.9 "
    "(12.6.3, 12.8.1, 13.0.0 rows)"
)
SRC_CUDA_ARCH_2_11 = (
    "pytorch/pytorch#175253: RELEASE.md matrix changed from 'Release 2.9 and 2.10' to "
    "'Release 2.11': Volta dropped from CUDA 12.8 builds (dev-discuss 'Dropping Volta support "
    "from CUDA 12.8 binaries for release 2.11')"
)
SRC_CUDA_ARCH_2_12 = (
    f"{SRC_RELEASE_MD}: 'For Release 2.12, 2.13 and 2.14 PyTorch Supports following CUDA "
    "Architectures'; pytorch/pytorch#182849 (12.8.1 rows removed, 13.2.1 added for 2.12)"
)
SRC_CUDA_ARCH_2_8 = (
    "pytorch/pytorch .ci/manywheel/build_cuda.sh of the 2.8 cycle (cases 12.6, 12.8, 12.9; "
    "'removing sm_50-sm_60 ... we would like to keep sm_70', pytorch/pytorch#157517); "
    "dev-discuss 'Maxwell and Pascal architecture support removed in CUDA 12.8 and 12.9 builds' "
    "(2.8 release notes)"
)
SRC_CUDA_ARCH_12_8_FIRST = (
    "pytorch/pytorch#146265 and #147607 (Feb 2025, before 2.7): the first CUDA 12.8 builds "
    "drop sm_50, sm_60 and sm_70 and add Blackwell sm_100 and sm_120"
)
SRC_CUDA_ARCH_AARCH64_2_9 = (
    "pytorch/pytorch#163764 (release/2.9 cherry-pick of .ci/aarch64_linux/aarch64_ci_build.sh: "
    "12.6 '8.0;9.0', 12.8 '8.0;9.0;10.0;12.0'); OpenRAL/openral#167 (torch 2.9.1+cu128 aarch64 "
    "get_arch_list: sm_80, sm_90, sm_100, sm_120)"
)
SRC_CUDA_ARCH_AARCH64 = (
    "pytorch/pytorch#163764 (2.9: aarch64 12.6 builds '8.0;9.0', no sm_50-70 on ARM), "
    f"#182849 and {SRC_RELEASE_MD} (Linux aarch64 table: 13.x adds Thor 11.0)"
)
SRC_BUILDER_11_8 = "pytorch/builder manywheel/build_cuda.sh: 11.8 '3.7;5.0;6.0;7.0' + '7.5;8.0;8.6;9.0'"
PTX_LINUX_ONLY = "'+PTX available on linux builds only' (RELEASE.md notes column)"


@dataclass(frozen=True)
class DriverFloor:
    """The oldest NVIDIA driver a CUDA build runs on (uv picks the index by these)."""

    linux: str
    windows: str
    source: str = SRC_UV_DRIVERS
    inferred: str = ""


_CUDA_13 = DriverFloor("580", "580")
_CUDA_12 = DriverFloor("525.60.13", "528.33")
DRIVER_FLOORS: dict[str, DriverFloor] = {
    "cu134": DriverFloor(
        "580",
        "580",
        inferred="uv lists no cu134; every CUDA 13.x build uv knows (13.0, 13.2) needs 580, as "
        "CUDA minor version compatibility within 13.x promises",
    ),
    "cu132": _CUDA_13,
    "cu130": _CUDA_13,
    "cu129": _CUDA_12,
    "cu128": _CUDA_12,
    "cu126": _CUDA_12,
    "cu124": _CUDA_12,
    "cu121": _CUDA_12,
    "cu118": DriverFloor("450.80.02", "452.39"),
}


@dataclass(frozen=True)
class Kernels:
    """The GPU architectures one build has machine code (cubins, code objects) for.

    `archs`: sm_XY or gfxNNN; `ptx`: compute_XY that the driver can compile for newer GPUs.
    `platforms` holds the platforms whose wheels carry other lists. The record holds for
    torch minors `since` to `until` ("" = every release that has the backend).
    """

    backend: str
    archs: tuple[str, ...]
    source: str
    ptx: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    platforms: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    inferred: str = ""


def _sm(*capabilities: str) -> tuple[str, ...]:
    return tuple("sm_" + c.replace(".", "") for c in capabilities)


_PRE_TURING_12 = _sm("5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0")
_BLACKWELL_12_8 = _sm("7.5", "8.0", "8.6", "9.0", "10.0", "12.0")
_VOLTA_BLACKWELL = _sm("7.0", "7.5", "8.0", "8.6", "9.0", "10.0", "12.0")
_CUDA_13_ARCHS = _sm("7.5", "8.0", "8.6", "9.0", "10.0", "12.0")
_PTX_120 = ("compute_120",)
_AARCH64_12_6 = (_sm("8.0", "9.0"), ())
_AARCH64_12_8 = (_sm("8.0", "9.0", "10.0", "12.0"), ())
_AARCH64_13 = (_sm("8.0", "9.0", "10.0", "11.0", "12.0"), _PTX_120)
_CUDA_13_PLATFORMS = {"linux-aarch64": _AARCH64_13, "windows-x86_64": (_CUDA_13_ARCHS, ())}


def _rocm_kernels(backend: str, *targets: str, inferred: str = "") -> Kernels:
    return Kernels(backend, tuple(f"gfx{t}" for t in targets), SRC_UV_AMD, inferred=inferred)


_ROCM_6_3 = ("900", "906", "908", "90a", "942", "1030", "1100", "1101", "1102", "1200", "1201")
_ROCM_7_0 = ("900", "906", "908", "90a", "942", "950", "1030", "1100", "1101", "1102", "1200", "1201")
_ROCM_7_2 = (*_ROCM_7_0[:10], "1150", "1151", "1200", "1201")

KERNELS: tuple[Kernels, ...] = (
    Kernels(
        "cu118",
        ("sm_37", *_PRE_TURING_12),
        SRC_BUILDER_11_8,
        inferred="the list of the torch 2.0 cycle; no later source read, assumed unchanged to 2.7",
    ),
    *(
        Kernels(
            backend,
            _PRE_TURING_12,
            f"{SRC_CUDA_ARCH_2_9} (12.6.3 row)",
            inferred="no source read for CUDA 12.1 and 12.4 builds; the list is pytorch/builder's "
            "11.x list plus 9.0, as the 12.6 row shows it",
        )
        for backend in ("cu121", "cu124")
    ),
    Kernels(
        "cu126",
        _PRE_TURING_12,
        f"{SRC_CUDA_ARCH_2_8}; {SRC_CUDA_ARCH_2_9}; {SRC_CUDA_ARCH_2_11}; {SRC_CUDA_ARCH_2_12}; "
        f"{SRC_CUDA_ARCH_AARCH64}",
        platforms={"linux-aarch64": _AARCH64_12_6},
        inferred="2.6 and 2.7: no source read, the 12.6 case of build_cuda.sh is unchanged 2.8-2.14",
    ),
    Kernels(
        "cu128",
        _BLACKWELL_12_8,
        SRC_CUDA_ARCH_12_8_FIRST,
        since="2.7",
        until="2.7",
        inferred="that the 2.7 release kept the list of the first 12.8 builds",
    ),
    Kernels(
        "cu128",
        _VOLTA_BLACKWELL,
        f"{SRC_CUDA_ARCH_2_8}; {SRC_CUDA_ARCH_2_9}; {SRC_CUDA_ARCH_AARCH64_2_9}",
        since="2.8",
        until="2.10",
        platforms={"linux-aarch64": _AARCH64_12_8},
        inferred="2.10 on aarch64: RELEASE.md gave 2.9 and 2.10 one matrix (pytorch/pytorch#175253)",
    ),
    Kernels(
        "cu128",
        _BLACKWELL_12_8,
        f"{SRC_CUDA_ARCH_2_11}; {SRC_CUDA_ARCH_AARCH64}",
        since="2.11",
        platforms={"linux-aarch64": _AARCH64_12_8},
    ),
    Kernels(
        "cu129",
        _VOLTA_BLACKWELL,
        f"{SRC_CUDA_ARCH_2_8} ('12.9) TORCH_CUDA_ARCH_LIST=...;12.0+PTX'); pytorch/pytorch#161257 "
        "(.ci/aarch64_linux/aarch64_ci_build.sh: 12.9 builds 8.0;9.0;10.0;12.0)",
        ptx=_PTX_120,
        platforms={"linux-aarch64": _AARCH64_12_8},
        inferred="releases after 2.8: cu129 stayed experimental; assumed built as for 2.8; 2.8's "
        "aarch64 sm_80 depends on whether pytorch/pytorch#157843 reached release/2.8",
    ),
    Kernels(
        "cu130",
        _CUDA_13_ARCHS,
        f"{SRC_CUDA_ARCH_2_9}; {SRC_CUDA_ARCH_2_11}; {SRC_CUDA_ARCH_2_12}; {PTX_LINUX_ONLY}; "
        f"{SRC_CUDA_ARCH_AARCH64}",
        ptx=_PTX_120,
        platforms=_CUDA_13_PLATFORMS,
        inferred="2.15: no matrix published yet, assumed as for 2.14",
    ),
    Kernels(
        "cu132",
        _CUDA_13_ARCHS,
        f"{SRC_CUDA_ARCH_2_12}; {PTX_LINUX_ONLY}; {SRC_CUDA_ARCH_AARCH64}",
        ptx=_PTX_120,
        platforms=_CUDA_13_PLATFORMS,
        inferred="2.15: no matrix published yet, assumed as for 2.12-2.14",
    ),
    Kernels(
        "cu134",
        _CUDA_13_ARCHS,
        SRC_CUDA_ARCH_2_12,
        ptx=_PTX_120,
        platforms=_CUDA_13_PLATFORMS,
        inferred="no matrix names CUDA 13.4 (kept off the getting-started page); assumed as 13.2",
    ),
    _rocm_kernels("rocm6.1", "900", "906", "908", "90a", "942", "1030", "1100", "1101"),
    _rocm_kernels("rocm6.2", "900", "906", "908", "90a", "1030", "1100", "942"),
    _rocm_kernels("rocm6.2.4", *_ROCM_6_3),
    _rocm_kernels("rocm6.3", *_ROCM_6_3),
    _rocm_kernels("rocm6.4", *_ROCM_6_3),
    _rocm_kernels("rocm7.0", *_ROCM_7_0),
    _rocm_kernels("rocm7.1", *_ROCM_7_0),
    _rocm_kernels("rocm7.2", *_ROCM_7_2),
    _rocm_kernels(
        "rocm7.14",
        *_ROCM_7_2,
        inferred="uv lists no rocm7.14; assumed to keep every target of rocm7.2",
    ),
)

# --- telling a GPU's architecture from what the machine states -----------------------------
# Read by the tools through tools/torch_project.json. nvidia-smi states a GPU's compute
# capability (drivers 510 and later); without it the PCI device id names the chip (pci.ids),
# and the chip's family has one compute capability. Names are the last resort, matched on word
# boundaries, and only where a name cannot mean two things.

SRC_CUDA_GPUS = (
    "NVIDIA, 'CUDA GPU Compute Capability' (developer.nvidia.com/cuda-gpus) and 'Legacy CUDA GPU "
    "Compute Capability' (developer.nvidia.com/cuda-legacy-gpus): compute capability by product"
)
SRC_CUDA_CHIPS = (
    "Wikipedia, 'CUDA', table 'Compute capability, GPU semiconductors and Nvidia GPU board "
    "products': compute capability by chip (GK208 is 3.5, with GK110)"
)


@dataclass(frozen=True)
class NvidiaFamily:
    """NVIDIA GPU chips of one compute capability, named as pci.ids names them."""

    architecture: str
    capability: str
    chips: tuple[str, ...]
    source: str = SRC_CUDA_CHIPS
    inferred: str = ""


NVIDIA_FAMILIES: tuple[NvidiaFamily, ...] = (
    NvidiaFamily("Fermi", "2.0", ("GF100", "GF110")),
    NvidiaFamily("Fermi", "2.1", ("GF104", "GF106", "GF108", "GF114", "GF116", "GF117", "GF119")),
    NvidiaFamily("Kepler", "3.0", ("GK104", "GK106", "GK107")),
    NvidiaFamily("Kepler", "3.5", ("GK110", "GK180", "GK208")),
    NvidiaFamily("Kepler", "3.7", ("GK210",)),
    NvidiaFamily("Maxwell", "5.0", ("GM107", "GM108")),
    NvidiaFamily("Maxwell", "5.2", ("GM200", "GM204", "GM206")),
    NvidiaFamily("Pascal", "6.0", ("GP100",)),
    NvidiaFamily("Pascal", "6.1", ("GP102", "GP104", "GP106", "GP107", "GP108")),
    NvidiaFamily("Volta", "7.0", ("GV100",)),
    NvidiaFamily("Turing", "7.5", ("TU102", "TU104", "TU106", "TU116", "TU117")),
    NvidiaFamily("Ampere", "8.0", ("GA100",)),
    NvidiaFamily("Ampere", "8.6", ("GA102", "GA103", "GA104", "GA106", "GA107")),
    NvidiaFamily("Ada Lovelace", "8.9", ("AD102", "AD103", "AD104", "AD106", "AD107")),
    NvidiaFamily("Hopper", "9.0", ("GH100",)),
    NvidiaFamily(
        "Blackwell",
        "10.0",
        ("GB100", "GB102"),
        inferred="GB102: NVIDIA's open-gpu-doc and nova-core pair it with GB100 (GB10x)",
    ),
    NvidiaFamily("Blackwell", "12.0", ("GB202", "GB203", "GB205", "GB206", "GB207")),
)
# chip -> its PCI device ids (separated by spaces), written by scripts/refresh_pci_ids.py
NVIDIA_DEVICES: dict[str, str] = nvidia_pci_ids.NVIDIA_DEVICES
SRC_PCI_IDS = f"pci.ids {nvidia_pci_ids.PCI_IDS_VERSION} (Debian's pci.ids package): each device id's chip"


@dataclass(frozen=True)
class NameRule:
    """A GPU name (a regular expression on word boundaries) and its compute capability."""

    pattern: str
    capability: str
    source: str = SRC_CUDA_GPUS


# First match wins: a name that could be read two ways comes before the looser rule. A name that
# means several chips ("GeForce GT 1030": Kepler and Pascal cards) has no rule: unknown.
NVIDIA_NAMES: tuple[NameRule, ...] = (
    # Jetson modules, as nvidia-smi and /proc/device-tree/model name them
    NameRule(r"\bThor\b", "11.0"),
    NameRule(r"\bOrin\b", "8.7"),
    NameRule(r"\bXavier\b", "7.2"),
    NameRule(r"\bTX2\b", "6.2"),
    NameRule(r"\bJetson Nano\b|\bJetson TX1\b", "5.3"),
    # data center
    NameRule(r"\bG?B300\b", "10.3"),
    NameRule(r"\bG?B200\b|\bB100\b", "10.0"),
    NameRule(r"\bGB10\b", "12.1"),
    NameRule(r"\bG?H200\b|\bH100\b|\bH800\b|\bH20\b", "9.0"),
    NameRule(r"\bL40S?\b|\bL4\b|\bL20\b", "8.9"),
    NameRule(r"\bA100\b|\bA800\b|\bA30\b", "8.0"),
    NameRule(r"\bA40\b|\bA10G?\b|\bA16\b|\bA2\b", "8.6"),
    NameRule(r"\bV100\b|\bTITAN V\b", "7.0"),
    NameRule(r"\bTesla T4\b|\bT4\b", "7.5"),
    NameRule(r"\bP100\b", "6.0"),
    NameRule(r"\bTesla P40\b|\bTesla P4\b|\bP40\b", "6.1"),
    # workstation: the Ada and Blackwell generations reuse the Quadro RTX and RTX A numbers
    NameRule(r"\bRTX PRO \d{4}\b.*\bBlackwell\b", "12.0"),
    NameRule(r"\bRTX \d{4} Ada\b|\bRTX \d{4} SFF Ada\b", "8.9"),
    NameRule(r"\bRTX A\d{3,4}\b", "8.6"),
    NameRule(r"\bQuadro RTX \d{4}\b|\bT(?:400|600|1000|1200|2000)\b", "7.5"),
    NameRule(r"\bQuadro GV100\b", "7.0"),
    NameRule(r"\bQuadro GP100\b", "6.0"),
    NameRule(r"\bQuadro P\d{3,4}\b", "6.1"),
    # GeForce
    NameRule(r"\bGeForce RTX 50\d0\b", "12.0"),
    NameRule(r"\bGeForce RTX 40\d0\b", "8.9"),
    NameRule(r"\bGeForce RTX 30\d0\b|\bGeForce RTX 2050\b", "8.6"),
    NameRule(r"\bGeForce RTX 20\d0\b|\bGeForce GTX 16\d0\b|\bTITAN RTX\b", "7.5"),
    NameRule(r"\bGeForce GTX 10[5-8]0\b|\bTITAN Xp\b|\bTITAN X \(Pascal\)", "6.1"),
    NameRule(r"\bGeForce GTX 9[5-8]0\b|\bGeForce GTX TITAN X\b", "5.2"),
)

# Intel: PyTorch's XPU builds list GPU families by code name; the kernel's PCI id lists say which
# device ids each family has, and its xe driver which are discrete (`.is_dgfx = 1`).
SRC_XPU_HARDWARE = (
    "pytorch/pytorch docs/source/notes/get_start_xpu.md (revision 10c3c8e4, which lists v2.12.0): "
    "'Intel Client GPU' and 'Intel Data Center GPU' tables"
)
SRC_INTEL_IDS = (
    "torvalds/linux include/drm/intel/pciids.h (revision 0755a4e3) for the ids; "
    "drivers/gpu/drm/xe/xe_pci.c (revision 03d85ab3): DGFX_FEATURES (.is_dgfx = 1) for DG2, "
    "ATS-M, PVC and BMG, none for MTL, ARL (mtl_desc), LNL and PTL"
)


@dataclass(frozen=True)
class IntelFamily:
    name: str
    device_ids: tuple[str, ...]
    discrete: bool
    xpu: bool  # PyTorch's XPU page lists it
    source: str = f"{SRC_XPU_HARDWARE}; {SRC_INTEL_IDS}"
    inferred: str = ""


def _ids(*hex_ids: str) -> tuple[str, ...]:
    return tuple(i.lower() for i in hex_ids)


INTEL_FAMILIES: tuple[IntelFamily, ...] = (
    # DG2: desktop (_D), embedded (_E) and mobile (_M) parts; 0x5698 was dropped from the
    # kernel's list as reserved (commit 3a38be31), 0x5695 is a mobile DG2-G11 like 0x5693/0x5694.
    IntelFamily(
        "Arc A-Series (Alchemist, DG2)",
        _ids(
            "56A0",
            "56A1",
            "56A2",
            "56BE",
            "56BF",
            "5690",
            "5691",
            "5692",
            "56A5",
            "56A6",
            "56B0",
            "56B1",
            "56BA",
            "56BB",
            "56BC",
            "56BD",
            "5693",
            "5694",
            "5695",
            "56A3",
            "56A4",
            "56B2",
            "56B3",
            "5696",
            "5697",
        ),
        discrete=True,
        xpu=True,
    ),
    IntelFamily("Data Center GPU Flex (ATS-M)", _ids("56C0", "56C1", "56C2"), discrete=True, xpu=False),
    IntelFamily(
        "Arc B-Series (Battlemage)",
        _ids(
            "E202",
            "E209",
            "E20B",
            "E20C",
            "E20D",
            "E210",
            "E211",
            "E212",
            "E216",
            "E220",
            "E221",
            "E222",
            "E223",
        ),
        discrete=True,
        xpu=True,
    ),
    IntelFamily(
        "Data Center GPU Max (Ponte Vecchio)",
        _ids(
            "0B69",
            "0B6E",
            "0BD4",
            "0BD5",
            "0BD6",
            "0BD7",
            "0BD8",
            "0BD9",
            "0BDA",
            "0BDB",
            "0BE0",
            "0BE1",
            "0BE5",
        ),
        discrete=True,
        xpu=True,
    ),
    IntelFamily("Core Ultra with Arc Graphics (Meteor Lake-H)", _ids("7D55", "7D60", "7DD5"), False, True),
    IntelFamily("Core Ultra graphics (Meteor Lake-U)", _ids("7D40", "7D45"), discrete=False, xpu=False),
    IntelFamily("Core Ultra Series 2 with Arc Graphics (Arrow Lake-H)", _ids("7D51", "7DD1"), False, True),
    IntelFamily(
        "Core Ultra Series 2 graphics (Arrow Lake-U, -S)", _ids("7D41", "7D67", "B640"), False, False
    ),
    IntelFamily(
        "Core Ultra Series 2 mobile with Arc Graphics (Lunar Lake)", _ids("6420", "64A0", "64B0"), False, True
    ),
    IntelFamily(
        "Core Ultra Series 3 mobile with Arc Graphics (Panther Lake)",
        _ids("B080", "B081", "B082", "B083", "B084", "B085", "B086", "B087", "B08F", "B090", "B0A0", "B0B0"),
        discrete=False,
        xpu=True,
    ),
)

# AMD: graphics built into Ryzen processors (no memory of their own), counted only where a build
# has kernels for them (ROCm's for Strix, gfx1150/gfx1151).
AMD_INTEGRATED = ("gfx902", "gfx909", "gfx90c", "gfx1035", "gfx1036", "gfx1037", "gfx1103")
SRC_AMD_INTEGRATED = (
    "LLVM AMDGPU processor table (llvm.org/docs/AMDGPUUsage.html): gfx902 Raven, gfx909 Raven2, "
    "gfx90c Renoir, gfx1035 Rembrandt, gfx1036 Raphael, gfx1037 Mendocino, gfx1103 Phoenix APUs"
)


@dataclass(frozen=True)
class HsaOverride:
    """Consumer GPUs whose targets no ROCm build has, that run the kernels of a sibling target
    when HSA_OVERRIDE_GFX_VERSION names it (not supported by AMD; Linux only)."""

    targets: tuple[str, ...]
    version: str  # major.minor.stepping of the target whose kernels they run
    source: str
    inferred: str = ""


HSA_OVERRIDE_NOTE = "ROCm's thunk reads HSA_OVERRIDE_GFX_VERSION as major.minor.stepping"
HSA_OVERRIDES: tuple[HsaOverride, ...] = (
    HsaOverride(
        ("gfx1031", "gfx1032", "gfx1034", "gfx1035", "gfx1036"),
        "10.3.0",
        "ROCm/ROCT-Thunk-Interface src/topology.c (HSA_OVERRIDE_GFX_VERSION=major.minor.stepping); "
        "ggml-org/llama.cpp docs/build.md ('10.3.0 on RDNA2 (e.g. gfx1030, gfx1031, or gfx1035)'); "
        "ollama docs/gpu.md (gfx1034 -> 10.3.0); ROCm/ROCm#2353 (gfx1031), "
        "ROCm/legacy-rocm-build#1698 (gfx1032)",
        inferred="gfx1036: only as RDNA2 ('gfx10-3-generic is identical to gfx1030-36', device-libs)",
    ),
    HsaOverride(
        ("gfx1101", "gfx1102", "gfx1103"),
        "11.0.0",
        "ggml-org/llama.cpp docs/build.md ('11.0.0 on RDNA3'); ROCm/legacy-rocm-build#2500 "
        "(gfx1102); blakeblackshear/frigate frigate/detectors/plugins/rocm.py (gfx1103 -> 11.0.0)",
        inferred="gfx1101: only as RDNA3 (llama.cpp)",
    ),
)


@dataclass(frozen=True)
class JetsonFacts:
    """NVIDIA Jetson modules before JetPack 7: their GPU is part of the module and its driver is
    L4T's (nvgpu), not the server (SBSA) CUDA that the PyTorch index's aarch64 wheels are built
    for. JetPack 7 (L4T R38, Thor; Orin from 7.2) moved to SBSA CUDA."""

    sbsa_from_l4t: int  # the first L4T release whose CUDA is the SBSA one
    why: str
    fix: str
    source: str


JETSON = JetsonFacts(
    38,
    why="a Jetson GPU on L4T before R38 (JetPack 5, 6): the PyTorch index's aarch64 CUDA wheels "
    "are server (SBSA) builds, which do not run on it",
    fix="install NVIDIA's PyTorch wheels for Jetson, made for its JetPack (pypi.jetson-ai-lab.io, "
    "e.g. jp6/cu126), or move to JetPack 7, whose CUDA is SBSA",
    source="pytorch/pytorch README, 'NVIDIA Jetson Platforms' (PR #82404) and pytorch/pytorch#139498; "
    "bitsandbytes-foundation/bitsandbytes#1939, #1941 (the aarch64 wheels are SBSA builds); NVIDIA "
    "JetPack 7.1 page (Thor is SBSA); pytorch/pytorch#161257 (CUDA 13.0 adds SM110 for arm64-sbsa); "
    "nix-community/nixGL#139 (JetPack 5's /proc/driver/nvidia/version carries L4T's 35.3.1)",
)
