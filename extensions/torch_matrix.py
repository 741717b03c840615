"""What is known about PyTorch releases: the only place this template keeps such facts.

Every fact names its source (the ``SRC_*`` constants below). A fact that no source states
directly is marked ``inferred`` with the reasoning, so that the README and the questions can
flag it; combinations with no evidence at all are left out rather than guessed.
Refresh with ``scripts/refresh_matrix.py`` when a new PyTorch minor is out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
SRC_RELEASE_MD_OS = "pytorch/pytorch RELEASE.md, 'Operating Systems' table"
SRC_INDEX_NAMING = "shared/pytorch-index-naming.md (file names seen in lockfiles and uv issues)"
SRC_VISION_TABLE = "pytorch/vision README compatibility table"
SRC_UV_GUIDE = "uv docs, 'Using uv with PyTorch' (pytorch-triton-rocm / pytorch-triton-xpu sources)"
SRC_TRITON_RENAME = (
    "pytorch/pytorch#186350 (triton-xpu and triton-rocm, 'formerly pytorch-triton-*'); "
    "unslothai/unsloth#4941 (torch 2.10+xpu needs triton-xpu 3.6.0, 2.9 pytorch-triton-xpu)"
)
SRC_XPU_DOCS = "pytorch/pytorch#187923: get_start_xpu.md install commands for 2.10, 2.11, 2.12"
SRC_AUDIO_MAINTENANCE = (
    "pytorch/audio is in maintenance mode; 'There is no new release of torchaudio for now' "
    "(maintainer, pytorch/pytorch.github.io#2074, 2026-05-11); PyPI has no torchaudio after 2.11.1"
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
}
ALL_PLATFORMS = tuple(PLATFORMS)
LINUX_X86 = ("linux-x86_64",)
LINUX_WINDOWS = ("linux-x86_64", "windows-x86_64")
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
class Library:
    """The torchvision / torchaudio release that goes with a torch minor."""

    version: str  # newest patch
    source: str
    inferred: str = ""


@dataclass(frozen=True)
class TorchRelease:
    minor: str
    latest: str
    pythons: tuple[str, ...]
    backends: dict[str, Build]
    libraries: dict[str, Library]
    # Things a reader may look for and not find, with the reason.
    notes: tuple[str, ...] = ()


def _cpu() -> Build:
    return Build(ALL_PLATFORMS, f"{SRC_RELEASE_MD_OS}; {SRC_INDEX_NAMING}")


def _rocm() -> Build:
    return Build(LINUX_X86, f"{SRC_RELEASE_MD} ('Stable ROCm'); ROCm wheels are Linux x86_64 only")


def _xpu(source: str = "", reason: str = "") -> Build:
    reason = reason or "XPU wheels have been published for every release since 2.5"
    if source:
        return Build(LINUX_WINDOWS, source)
    return Build(LINUX_WINDOWS, SRC_UV_GUIDE, {p: reason for p in LINUX_WINDOWS})


def _vision(version: str, minor: str) -> Library:
    return Library(version, f"{SRC_VISION_TABLE} ({minor}); Requires-Dist pins torch {minor}")


def _audio(version: str) -> Library:
    return Library(version, f"{SRC_PYPI_METADATA}: Requires-Dist torch=={version}")


# RELEASE.md: "For Release 2.12, 2.13 and 2.14 PyTorch Supports following CUDA Architectures",
# with one table for Linux x86 and Windows builds and one for Linux aarch64 builds.
CUDA_2_12_TO_2_14 = {
    backend: Build(LINUX_BOTH_WINDOWS, SRC_RELEASE_MD) for backend in ("cu126", "cu130", "cu132")
}

# Sources show cu128 aarch64 wheels for 2.7 and 2.9; for 2.8, 2.10 and 2.11 they are inferred.
CU128_AARCH64_INFERRED = Build(
    LINUX_BOTH_WINDOWS, SRC_RELEASE_MD, {"linux-aarch64": "cu128 had aarch64 wheels in 2.7 and 2.9"}
)

AUDIO_GONE = (
    "torchaudio: none released; it is in maintenance mode and its last release, 2.11.1, is "
    "for 2.11 (pytorch/pytorch.github.io#2074)"
)
ROCM_UNKNOWN = (
    "ROCm: RELEASE.md names 'ROCm 7.14', but uv 0.13.9 (2026-11-17), whose backend list "
    "follows pytorch.org, knows no index newer than rocm7.2"
)

RELEASES: tuple[TorchRelease, ...] = (
    TorchRelease(
        minor="2.15",
        latest="2.15.0",
        pythons=("3.11", "3.12", "3.13", "3.14", "3.15"),
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
            "xpu": _xpu(),
        },
        libraries={
            "torchvision": Library(
                "0.29.2",
                f"{SRC_PYPI_FILES}; {SRC_PYPI_METADATA}: Requires-Dist torch>=2.14.0",
                "uploaded with torch 2.15.0 (2026-10-28) as a py3-none (stable ABI) wheel "
                "that accepts torch>=2.14.0; the vision table does not list 2.15 yet",
            ),
        },
        notes=("CUDA 12.6 and 13.0, ROCm: no source yet for 2.15", AUDIO_GONE),
    ),
    TorchRelease(
        minor="2.14",
        latest="2.14.1",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        backends={
            "cpu": _cpu(),
            **CUDA_2_12_TO_2_14,
            "xpu": _xpu(),
        },
        libraries={
            "torchvision": Library(
                "0.29.2", f"{SRC_PYPI_METADATA}: torchvision 0.29.0-0.29.2 require torch>=2.14.0"
            ),
        },
        notes=(ROCM_UNKNOWN, AUDIO_GONE),
    ),
    TorchRelease(
        minor="2.13",
        latest="2.13.0",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        backends={
            "cpu": _cpu(),
            **CUDA_2_12_TO_2_14,
            "rocm7.2": _rocm(),
            "xpu": _xpu("pytorch/helion#3449: triton-xpu 3.7.2 'that PyTorch 2.13 already installs'"),
        },
        libraries={"torchvision": _vision("0.28.0", "2.13")},
        notes=(AUDIO_GONE,),
    ),
    TorchRelease(
        minor="2.12",
        latest="2.12.1",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        backends={
            "cpu": _cpu(),
            **CUDA_2_12_TO_2_14,
            "rocm7.2": _rocm(),
            "xpu": _xpu(SRC_XPU_DOCS),
        },
        libraries={"torchvision": _vision("0.27.1", "2.12")},
        notes=(AUDIO_GONE,),
    ),
    TorchRelease(
        minor="2.11",
        latest="2.11.0",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        backends={
            "cpu": _cpu(),
            "cu126": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu128": CU128_AARCH64_INFERRED,
            "cu130": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_RELEASE_MD}; {SRC_PYPI_METADATA}: PyPI's aarch64 torch 2.11.0 is a CUDA "
                "13.0 build",
            ),
            "rocm7.2": _rocm(),
            "xpu": _xpu(SRC_XPU_DOCS),
        },
        libraries={
            "torchvision": _vision("0.26.0", "2.11"),
            "torchaudio": Library(
                "2.11.1",
                f"{SRC_PYPI_METADATA}: torchaudio 2.11.1 requires torch>=2.11; the last "
                f"release: {SRC_AUDIO_MAINTENANCE}",
            ),
        },
    ),
    TorchRelease(
        minor="2.10",
        latest="2.10.0",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        backends={
            "cpu": _cpu(),
            "cu126": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu128": CU128_AARCH64_INFERRED,
            "cu130": Build(
                LINUX_BOTH_WINDOWS,
                SRC_RELEASE_MD,
                {"linux-aarch64": "cu130 had aarch64 wheels in 2.9 and 2.11"},
            ),
            "rocm7.1": _rocm(),
            "xpu": _xpu(SRC_XPU_DOCS),
        },
        libraries={"torchvision": _vision("0.25.0", "2.10"), "torchaudio": _audio("2.10.0")},
    ),
    TorchRelease(
        minor="2.9",
        latest="2.9.1",
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14"),
        backends={
            "cpu": _cpu(),
            "cu126": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu128": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING} (torchvision 0.24.1 cu128 aarch64)",
            ),
            "cu130": Build(
                LINUX_BOTH_WINDOWS,
                f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING} (cu130 2.9.0 manylinux_2_28_aarch64)",
                {"windows-x86_64": "Windows had every CUDA variant of 2.4-2.8 and 2.12-2.14"},
            ),
            "rocm6.4": _rocm(),
            "xpu": _xpu(),
        },
        libraries={"torchvision": _vision("0.24.1", "2.9"), "torchaudio": _audio("2.9.1")},
    ),
    TorchRelease(
        minor="2.8",
        latest="2.8.0",
        pythons=("3.9", "3.10", "3.11", "3.12", "3.13"),
        backends={
            "cpu": _cpu(),
            "cu126": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu128": CU128_AARCH64_INFERRED,
            "cu129": Build(LINUX_X86, f"{SRC_RELEASE_MD} ('Experimental CUDA')"),
            "rocm6.4": _rocm(),
            "xpu": _xpu(),
        },
        libraries={"torchvision": _vision("0.23.0", "2.8"), "torchaudio": _audio("2.8.0")},
        notes=("cu129 on Windows and Linux aarch64: no source found; those get the CPU build",),
    ),
    TorchRelease(
        minor="2.7",
        latest="2.7.1",
        pythons=("3.9", "3.10", "3.11", "3.12", "3.13"),
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
            "xpu": _xpu(),
        },
        libraries={"torchvision": _vision("0.22.1", "2.7"), "torchaudio": _audio("2.7.1")},
    ),
    TorchRelease(
        minor="2.6",
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
            "xpu": _xpu("pytorch/pytorch#145290: torch-2.6.0+xpu win_amd64 on the xpu test index"),
        },
        libraries={"torchvision": _vision("0.21.0", "2.6"), "torchaudio": _audio("2.6.0")},
    ),
    TorchRelease(
        minor="2.5",
        latest="2.5.1",
        # PyPI has 3.13 wheels of 2.5.1 for Linux x86_64 only, and no torchvision 0.20 for 3.13.
        pythons=("3.9", "3.10", "3.11", "3.12"),
        backends={
            "cpu": _cpu(),
            "cu118": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu121": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu124": Build(LINUX_WINDOWS, f"{SRC_RELEASE_MD}; {SRC_INDEX_NAMING}"),
            "rocm6.2": _rocm(),
            "xpu": _xpu(),
        },
        libraries={"torchvision": _vision("0.20.1", "2.5"), "torchaudio": _audio("2.5.1")},
        notes=(
            "CUDA on Linux aarch64: the cu124 index serves an unlabelled CPU torch 2.5.1 there "
            "(astral-sh/uv#8746); aarch64 gets the CPU build",
        ),
    ),
    TorchRelease(
        minor="2.4",
        latest="2.4.1",
        pythons=("3.8", "3.9", "3.10", "3.11", "3.12"),
        backends={
            "cpu": _cpu(),
            "cu118": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu121": Build(LINUX_WINDOWS, SRC_RELEASE_MD),
            "cu124": Build(LINUX_WINDOWS, f"{SRC_RELEASE_MD} ('Experimental CUDA')"),
            "rocm6.1": _rocm(),
        },
        libraries={"torchvision": _vision("0.19.1", "2.4"), "torchaudio": _audio("2.4.1")},
        notes=("XPU: wheels start with 2.5",),
    ),
)

# Python versions come from SRC_PYPI_FILES for every release above.
PYTHONS_SOURCE = SRC_PYPI_FILES

# --- packages a backend needs from its own index -------------------------------------------
# torch's ROCm and XPU wheels require a triton build that only their index serves. uv applies
# sources to direct dependencies only, so the template declares it next to torch.


@dataclass(frozen=True)
class Companion:
    since: str  # first torch minor that requires this package
    package: str
    platforms: tuple[str, ...]
    source: str
    inferred: str = ""


COMPANIONS: dict[str, tuple[Companion, ...]] = {
    "rocm": (
        Companion("2.4", "pytorch-triton-rocm", LINUX_X86, SRC_UV_GUIDE),
        Companion(
            "2.10",
            "triton-rocm",
            LINUX_X86,
            SRC_TRITON_RENAME,
            "the XPU package was renamed with 2.10; the ROCm rename is documented but not "
            "the first release that has it",
        ),
    ),
    "xpu": (
        Companion("2.5", "pytorch-triton-xpu", LINUX_WINDOWS, SRC_UV_GUIDE),
        Companion("2.10", "triton-xpu", LINUX_WINDOWS, SRC_TRITON_RENAME),
    ),
}

LIBRARIES = ("torchvision", "torchaudio")
DEFAULT_INDEX_URL = "https://download.pytorch.org/whl"

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
        "cu128", _VOLTA_BLACKWELL, f"{SRC_CUDA_ARCH_2_8}; {SRC_CUDA_ARCH_2_9}", since="2.8", until="2.10"
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
        f"{SRC_CUDA_ARCH_2_8} ('12.9) TORCH_CUDA_ARCH_LIST=...;12.0+PTX')",
        ptx=_PTX_120,
        inferred="releases after 2.8: cu129 stayed experimental; assumed built as for 2.8",
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
