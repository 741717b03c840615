"""A small stand-in for download.pytorch.org/whl, served on 127.0.0.1.

This is the independent witness of the resolution tests: it knows nothing of the template's
compatibility data. What it serves is written down here, from what the real index was seen
to serve (shared/pytorch-index-naming.md, which names a lockfile or issue for each line):

- torch on Linux x86_64 and Windows carries the backend as local label: `+cpu`, `+cu124`.
  Before 2.7 the Linux tag is plain `linux_x86_64`, from 2.7 on `manylinux_2_28_x86_64`.
- torch on macOS arm64 (cpu index only) has no label and ABI tag `none`:
  `torch-2.5.0-cp311-none-macosx_11_0_arm64.whl`; from 2.12 on the tag is
  `macosx_14_0_arm64` (shared/torch-matrix.md: macOS 14 or newer).
- Windows ARM64: CPU torch only, on the cpu index, for 2.7-2.13 and cp311-cp313 (third-party
  index checks; none on PyPI, no cp314: pytorch/pytorch#195033), `win_arm64`, labelled `+cpu`
  like Windows x86_64. No torchvision / torchaudio for it (pytorch/vision#9080 came later).
- Free-threaded CPython: `cp313-cp313t` wheels for 2.7-2.12.0, `cp314-cp314t` for 2.9 on, on
  every index of the release (PyPI has them on all four platforms).
- torch on Linux aarch64: 2.5 on the cpu index has no label
  (`manylinux_2_17_aarch64.manylinux2014_aarch64`); from 2.6 on it is `+cpu`/`+cuXYZ`,
  `manylinux_2_28_aarch64` (2.6's cu126 build says `linux_aarch64`).
  The cu124 index of 2.5 serves an *unlabelled CPU* aarch64 torch (astral-sh/uv#8746).
- torchvision / torchaudio are labelled like torch on x86_64 and Windows, but carry *no* label
  on Linux aarch64 (cpu and CUDA indexes alike) and on macOS, where the ABI tag is `cp3XX`.
- Their `Requires-Dist` pins torch without a label: `torch==2.9.1`.
- Stable-ABI releases are one `py3-none` file per platform, without label, that accepts later
  torch: torchaudio 2.11.1 (`torch>=2.11`), torchvision 0.29.2 (PyPI file names and METADATA,
  read 2026-11-29); the stand-in serves such a file on every index, as uv would find it there.
- torchao: `cp310-abi3` Linux x86_64 wheels built per backend (its README: cu126, cu129, xpu,
  cpu indexes), labelled like torch; no torch in `Requires-Dist` (its `__init__.py` checks the
  torch it was built for). Elsewhere PyPI's `py3-none-any` wheel serves.
- torchcodec: `cp3XX` Linux x86_64 wheels on the CUDA indexes labelled `+cuXYZ`
  (meta-pytorch/torchcodec#424), unlabelled on the cpu index (#589: `TorchCodec-0.2.1-cp312-
  cp312-manylinux_2_17_x86_64...` on whl/cpu); no torch in `Requires-Dist`. Its README (0.16)
  says the cpu index has CPU builds for Linux aarch64 too (PyPI's aarch64 0.16.0 is a CUDA 13
  build); assumed unlabelled there. Other platforms install its PyPI wheels. Neither library is
  on the ROCm or XPU indexes here.
- Audit corrections (shared/torch-matrix.md): 2.8 cu128 has no aarch64 build
  (OpenRAL/openral#88), 2.8 cu129 has aarch64 and Windows; cu126 has aarch64 for 2.9-2.11
  (astral-sh/uv#17380); 2.9 cu129 has Linux x86_64 and aarch64, no Windows, and rocm6.3 next
  to rocm6.4 (uv#17380); 2.14 has rocm7.2 and rocm7.14 (pytorch/test-infra#8497) and cu134 for
  Linux x86_64 and aarch64 only (test-infra#8477).
- ROCm and XPU torch need a triton build from their own index: `pytorch-triton-rocm` /
  `pytorch-triton-xpu` up to 2.9 (uv's PyTorch guide), `triton-rocm` / `triton-xpu` from
  2.10 on (pytorch/pytorch#186350). CUDA builds pull `nvidia-*` wheels from PyPI; the stand-in
  pulls one small real one, `nvidia-cuda-runtime-cu12`, and from 2.11 `cuda-toolkit[cudart]`.
- torch+rocm7.14 brings no ROCm of its own: it requires `rocm[device-all,libraries]==7.14.*`
  (pytorch/pytorch#191688, #193979), whose packages the rocm7.14 index mirrors from AMD's:
  `rocm` (an sdist there, 7.14.0.post1; a wheel here), `rocm-sdk-core`, `rocm-sdk-libraries` and
  25 `rocm-sdk-device-gfx*` wheels (`rocm_sdk_device_gfx1011-7.14.0-py3-none-linux_x86_64.whl`),
  each device requiring `rocm-sdk-libraries` (pytorch/test-infra update_dependencies.py, ROCm/
  TheRock). PyPI holds only placeholders of these names (0.1.0, 0.0.1.dev0).
- Pages link files as `/whl/<backend>/<file>` with `+` spelled `%2B`, a `#sha256=` fragment and
  `data-dist-info-metadata`/`data-core-metadata`, and no `data-requires-python`
  (astral-sh/uv#13195); the `.metadata` files sit next to the wheels.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import threading
import zipfile
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

LINUX_X86, LINUX_ARM, MACOS, WINDOWS = "linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"
WIN_ARM = "windows-arm64"
FOUR = (LINUX_X86, LINUX_ARM, MACOS, WINDOWS)
NVIDIA_STAND_IN = "nvidia-cuda-runtime-cu12==12.8.90; platform_system == 'Linux'"
# From 2.11 torch takes its CUDA libraries through the cuda-toolkit metapackage (PyPI metadata of
# torch 2.14.1: `cuda-toolkit[cublas,cudart,...]==13.0.3`), whose extras require nvidia-* wheels
# without a -cuXX suffix; the stand-in asks for one extra of a real release.
CUDA_TOOLKIT = "cuda-toolkit[cudart]==13.0.2; platform_system == 'Linux'"

# What the stand-in index holds: torch release -> backend -> platforms with a build there.
# "aarch64-unlabelled" marks the 2.5 cu124 oddity: a CPU torch without label on a CUDA index.
CATALOGUE: dict[str, dict[str, tuple[str, ...]]] = {
    "2.5.0": {
        "cpu": (LINUX_X86, LINUX_ARM, MACOS, WINDOWS),
        "cu124": (LINUX_X86, WINDOWS, "aarch64-unlabelled"),
    },
    "2.5.1": {
        "cpu": (LINUX_X86, LINUX_ARM, MACOS, WINDOWS),
        "cu121": (LINUX_X86, WINDOWS),
        "cu124": (LINUX_X86, WINDOWS, "aarch64-unlabelled"),
    },
    "2.8.0": {
        "cpu": (*FOUR, WIN_ARM),
        "cu128": (LINUX_X86, WINDOWS),
        "cu129": (LINUX_X86, LINUX_ARM, WINDOWS),
    },
    "2.9.1": {
        "cpu": (*FOUR, WIN_ARM),
        "cu126": (LINUX_X86, LINUX_ARM, WINDOWS),
        "cu128": (LINUX_X86, LINUX_ARM, WINDOWS),
        "cu129": (LINUX_X86, LINUX_ARM),
        "cu130": (LINUX_X86, LINUX_ARM, WINDOWS),
        "rocm6.3": (LINUX_X86,),
        "rocm6.4": (LINUX_X86,),
        "xpu": (LINUX_X86, WINDOWS),
    },
    "2.12.1": {
        "cpu": (LINUX_X86, LINUX_ARM, MACOS, WINDOWS),
        "cu130": (LINUX_X86, LINUX_ARM, WINDOWS),
        "cu132": (LINUX_X86, LINUX_ARM, WINDOWS),
        "rocm7.2": (LINUX_X86,),
        "xpu": (LINUX_X86, WINDOWS),
    },
    "2.14.1": {
        "cpu": FOUR,
        "cu132": (LINUX_X86, LINUX_ARM, WINDOWS),
        "cu134": (LINUX_X86, LINUX_ARM),
        "rocm7.2": (LINUX_X86,),
        "rocm7.14": (LINUX_X86,),
    },
}
# CPython tags per release; `cp314t` is the free-threaded build (wheel tags cp314-cp314t).
PYTHONS = {
    "2.5.0": ("cp39", "cp310", "cp311", "cp312"),
    "2.5.1": ("cp39", "cp310", "cp311", "cp312"),
    "2.8.0": ("cp39", "cp310", "cp311", "cp312", "cp313", "cp313t"),
    "2.9.1": ("cp310", "cp311", "cp312", "cp313", "cp314", "cp313t", "cp314t"),
    "2.12.1": ("cp310", "cp311", "cp312", "cp313", "cp314", "cp314t"),
    "2.14.1": ("cp310", "cp311", "cp312", "cp313", "cp314", "cp314t"),
}
PLATFORM_PYTHONS = {WIN_ARM: ("cp311", "cp312", "cp313")}  # where a platform has fewer


@dataclass(frozen=True)
class Library:
    """How the index names one library release: `naming` is one of
    "like torch" (per CPython, labelled where torch is), "py3" (one stable-ABI file per platform),
    "abi3 x86" (torchao), "cp x86" (torchcodec), "cp x86, aarch64 cpu" (torchcodec 0.16)."""

    version: str
    requires: str  # its Requires-Dist on torch, "" for none
    naming: str = "like torch"


def _exact(version: str, torch_version: str) -> Library:
    return Library(version, f"torch=={torch_version}")


# The libraries released with each torch.
LIBRARIES = {
    "2.5.0": {"torchvision": _exact("0.20.0", "2.5.0"), "torchaudio": _exact("2.5.0", "2.5.0")},
    "2.5.1": {"torchvision": _exact("0.20.1", "2.5.1"), "torchaudio": _exact("2.5.1", "2.5.1")},
    "2.8.0": {"torchvision": _exact("0.23.0", "2.8.0"), "torchaudio": _exact("2.8.0", "2.8.0")},
    "2.9.1": {
        "torchvision": _exact("0.24.1", "2.9.1"),
        "torchaudio": _exact("2.9.1", "2.9.1"),
        "torchao": Library("0.15.0", "", "abi3 x86"),
        "torchcodec": Library("0.9.1", "", "cp x86"),
    },
    "2.12.1": {
        "torchvision": _exact("0.27.1", "2.12.1"),
        "torchaudio": Library("2.11.1", "torch>=2.11", "py3"),
        "torchao": Library("0.18.0", "", "abi3 x86"),
        "torchcodec": Library("0.16.0", "", "cp x86, aarch64 cpu"),
    },
    "2.14.1": {"torchvision": Library("0.29.2", "torch>=2.14.0", "py3")},
}
ROCM_SDK = "7.14.0"
ROCM_DEVICES = (
    "908", "90a", "942", "950", "1010", "1011", "1012", "1030", "1031", "1032", "1033", "1034",
    "1035", "1036", "1100", "1101", "1102", "1103", "1150", "1151", "1152", "1153", "1200",
    "1201", "1250",
)  # fmt: skip


def rocm_sdk_wheels() -> list[Wheel]:
    """The rocm meta package and what `rocm[libraries,device-all]` pulls, as rocm7.14 serves it."""
    devices = [f"rocm-sdk-device-gfx{target}" for target in ROCM_DEVICES]
    linux = "linux_x86_64"
    meta = Wheel(
        "rocm",
        f"{ROCM_SDK}.post1",
        "py3",
        "none",
        "any",
        (
            f"rocm-sdk-core=={ROCM_SDK}",
            f"rocm-sdk-libraries=={ROCM_SDK}; extra == 'libraries'",
            *(f"{device}=={ROCM_SDK}; extra == 'device-all'" for device in devices),
        ),
        extras=("libraries", "device-all"),
    )
    libraries = f"rocm-sdk-libraries=={ROCM_SDK}"
    return [
        meta,
        Wheel("rocm-sdk-core", ROCM_SDK, "py3", "none", linux),
        Wheel("rocm-sdk-libraries", ROCM_SDK, "py3", "none", linux),
        *(Wheel(device, ROCM_SDK, "py3", "none", linux, (libraries,)) for device in devices),
    ]


TRITON = {  # backend kind -> (package before 2.10, package from 2.10), version
    "rocm": (("pytorch-triton-rocm", "triton-rocm"), "3.5.1"),
    "xpu": (("pytorch-triton-xpu", "triton-xpu"), "3.5.0"),
}


@dataclass(frozen=True)
class Wheel:
    name: str
    version: str  # with the local label, if any
    python: str
    abi: str
    platform: str
    requires: tuple[str, ...] = ()
    requires_python: str | None = None
    extras: tuple[str, ...] = ()  # Provides-Extra

    @property
    def filename(self) -> str:
        return f"{self.name.replace('-', '_')}-{self.version}-{self.python}-{self.abi}-{self.platform}.whl"

    def metadata(self) -> str:
        lines = ["Metadata-Version: 2.1", f"Name: {self.name}", f"Version: {self.version}"]
        if self.requires_python:
            lines.append(f"Requires-Python: {self.requires_python}")
        lines += [f"Provides-Extra: {extra}" for extra in self.extras]
        lines += [f"Requires-Dist: {req}" for req in self.requires]
        return "\n".join(lines) + "\n"

    def build(self) -> bytes:
        dist_info = f"{self.name.replace('-', '_')}-{self.version}.dist-info"
        module = self.name.replace("-", "_")
        files = {
            f"{module}/__init__.py": f"__version__ = {self.version!r}\n",
            f"{dist_info}/METADATA": self.metadata(),
            f"{dist_info}/WHEEL": (
                f"Wheel-Version: 1.0\nGenerator: uv-torch-template tests\nRoot-Is-Purelib: false\n"
                f"Tag: {self.python}-{self.abi}-{self.platform}\n"
            ),
        }
        record = []
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path, text in files.items():
                data = text.encode()
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                record.append(f"{path},sha256={digest},{len(data)}")
                archive.writestr(path, data)
            archive.writestr(f"{dist_info}/RECORD", "\n".join(record + [f"{dist_info}/RECORD,,"]) + "\n")
        return buffer.getvalue()


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def _kind(backend: str) -> str:
    return "cuda" if backend.startswith("cu") else "rocm" if backend.startswith("rocm") else backend


def torch_platform_tag(torch_version: str, platform: str, backend: str) -> tuple[str, str, bool]:
    """(platform tag, abi override or "", labelled?) for a torch wheel."""
    new = _minor(torch_version) >= (2, 7)
    if platform == LINUX_X86:
        return ("manylinux_2_28_x86_64" if new else "linux_x86_64"), "", True
    if platform == WINDOWS:
        return "win_amd64", "", True
    if platform == WIN_ARM:
        return "win_arm64", "", True
    if platform == MACOS:
        return (
            ("macosx_14_0_arm64" if _minor(torch_version) >= (2, 12) else "macosx_11_0_arm64"),
            "none",
            False,
        )
    if platform == "aarch64-unlabelled" or _minor(torch_version) < (2, 6):
        return "manylinux_2_17_aarch64.manylinux2014_aarch64", "", False
    if _minor(torch_version) == (2, 6) and backend != "cpu":
        return "linux_aarch64", "", True
    return "manylinux_2_28_aarch64", "", True


def library_platform_tag(torch_version: str, platform: str) -> tuple[str, bool]:
    new = _minor(torch_version) >= (2, 7)
    if platform == LINUX_X86:
        return ("manylinux_2_28_x86_64" if new else "linux_x86_64"), True
    if platform == WINDOWS:
        return "win_amd64", True
    if platform == MACOS:
        return "macosx_11_0_arm64", False
    return ("manylinux_2_28_aarch64" if new else "linux_aarch64"), False


def library_wheels(
    torch_version: str, backend: str, platform: str, python: str, name: str, library: Library
) -> list[Wheel]:
    """The files of one library the `backend` index holds for one platform and CPython."""
    requires = (library.requires,) if library.requires else ()
    tag, labelled = library_platform_tag(torch_version, platform)
    python_tag, abi = python_abi(python)
    if library.naming == "like torch":
        version = f"{library.version}+{backend}" if labelled else library.version
        return [Wheel(name, version, python_tag, abi, tag, requires)]
    if library.naming == "py3":
        return [Wheel(name, library.version, "py3", "none", tag, requires)]
    aarch64_cpu = library.naming == "cp x86, aarch64 cpu" and platform == LINUX_ARM and backend == "cpu"
    if (platform != LINUX_X86 and not aarch64_cpu) or _kind(backend) not in ("cuda", "cpu"):
        return []
    if library.naming == "abi3 x86":  # free-threaded CPython cannot load abi3 extensions
        tag = "manylinux_2_24_x86_64.manylinux_2_28_x86_64"
        return (
            []
            if python.endswith("t")
            else [Wheel(name, f"{library.version}+{backend}", "cp310", "abi3", tag, requires)]
        )
    version = f"{library.version}+{backend}" if _kind(backend) == "cuda" else library.version
    return [Wheel(name, version, python_tag, abi, tag, requires)]


def torch_requires(torch_version: str, backend: str) -> tuple[str, ...]:
    kind = _kind(backend)
    if kind == "cuda":
        return (CUDA_TOOLKIT if _minor(torch_version) >= (2, 11) else NVIDIA_STAND_IN,)
    if kind in TRITON:
        (old, new), version = TRITON[kind]
        name = new if _minor(torch_version) >= (2, 10) else old
        marker = (
            "platform_system == 'Linux' and platform_machine == 'x86_64'"
            if kind == "rocm"
            else "platform_system == 'Linux' or platform_system == 'Windows'"
        )
        sdk = (
            ("rocm[device-all,libraries]==7.14.*; platform_system == 'Linux'",)
            if backend == "rocm7.14"
            else ()
        )
        return (f"{name}=={version}; {marker}", *sdk)
    return ()


def python_abi(python: str) -> tuple[str, str]:
    """(python tag, abi tag): `cp314t` is `cp314-cp314t`."""
    return python.removesuffix("t"), python


def wheels_for(torch_version: str, backend: str, platforms) -> list[Wheel]:
    wheels = []
    for platform in platforms:
        for python in PLATFORM_PYTHONS.get(platform, PYTHONS[torch_version]):
            tag, abi, labelled = torch_platform_tag(torch_version, platform, backend)
            version = f"{torch_version}+{backend}" if labelled else torch_version
            python_tag, python_abi_tag = python_abi(python)
            if python.endswith("t"):
                abi = ""  # a free-threaded build always names its ABI
            wheels.append(
                Wheel(
                    "torch",
                    version,
                    python_tag,
                    abi or python_abi_tag,
                    tag,
                    torch_requires(torch_version, backend) if labelled else (),
                    ">=3.9",
                )
            )
            if platform in ("aarch64-unlabelled", WIN_ARM):
                continue
            for name, library in LIBRARIES[torch_version].items():
                wheels += library_wheels(torch_version, backend, platform, python, name, library)
        kind = _kind(backend)
        if kind in TRITON and platform in (LINUX_X86, WINDOWS):
            (old, new), version = TRITON[kind]
            name = new if _minor(torch_version) >= (2, 10) else old
            if kind == "rocm" and platform == WINDOWS:
                continue
            tag = "manylinux_2_28_x86_64" if platform == LINUX_X86 else "win_amd64"
            for python in PYTHONS[torch_version]:
                wheels.append(Wheel(name, version, *python_abi(python), tag))
        if backend == "rocm7.14" and platform == LINUX_X86:
            wheels += rocm_sdk_wheels()
    return wheels


def catalogue_wheels(catalogue=CATALOGUE) -> dict[str, list[Wheel]]:
    """backend -> wheels, for every torch release of the catalogue."""
    by_backend: dict[str, list[Wheel]] = {}
    for torch_version, backends in catalogue.items():
        for backend, platforms in backends.items():
            by_backend.setdefault(backend, []).extend(wheels_for(torch_version, backend, platforms))
    return by_backend


@dataclass
class LocalIndex:
    """A PEP 503 index laid out as `<root>/whl/<backend>/<project>/index.html`."""

    root: Path
    wheels: dict[str, list[Wheel]] = field(default_factory=dict)
    files: dict[str, list[Path]] = field(default_factory=dict)  # backend -> real wheel files

    def write(self) -> None:
        for backend in set(self.wheels) | set(self.files):
            directory = self.root / "whl" / backend
            directory.mkdir(parents=True, exist_ok=True)
            projects: dict[str, list[tuple[str, bytes, str]]] = {}
            seen = set()
            for wheel in self.wheels.get(backend, []):
                if wheel.filename in seen:
                    continue
                seen.add(wheel.filename)
                (directory / wheel.filename).write_bytes(wheel.build())
                projects.setdefault(wheel.name, []).append((wheel.filename, wheel.metadata().encode(), ""))
            for path in self.files.get(backend, []):
                target = directory / path.name
                if not target.exists():
                    target.symlink_to(path.resolve())
                with zipfile.ZipFile(path) as archive:
                    meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
                    metadata = archive.read(meta)
                name = path.name.split("-")[0].replace("_", "-").lower()
                projects.setdefault(name, []).append((path.name, metadata, ""))
            for project, entries in projects.items():
                self._write_page(directory, project, entries)

    def _write_page(self, directory: Path, project: str, entries) -> None:
        links = []
        for filename, metadata, _ in entries:
            (directory / f"{filename}.metadata").write_bytes(metadata)
            digest = hashlib.sha256((directory / filename).read_bytes()).hexdigest()
            meta_digest = hashlib.sha256(metadata).hexdigest()
            href = f"/whl/{quote(directory.name)}/{quote(filename)}#sha256={digest}"
            links.append(
                f'<a href="{html.escape(href)}" data-dist-info-metadata="sha256={meta_digest}" '
                f'data-core-metadata="sha256={meta_digest}">{html.escape(filename)}</a><br/>'
            )
        page = directory / project
        page.mkdir(parents=True, exist_ok=True)
        (page / "index.html").write_text(
            "<!DOCTYPE html>\n<html><body>\n" + "\n".join(links) + "\n</body></html>\n"
        )


class _Server(ThreadingHTTPServer):
    # http.server's default backlog of 5 drops uv's parallel connections (a 1 s stall each).
    request_queue_size = 128
    daemon_threads = True


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass


class IndexServer:
    """Serves a directory on 127.0.0.1 at a free port until stopped."""

    def __init__(self, root: Path):
        self.root = root
        self._server = _Server(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/whl"

    def __enter__(self) -> IndexServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def article_pyproject(base_url: str) -> str:
    """The article's configuration (shared/SEED.md) with its torchvision pattern, on our index."""
    linux_x86 = "sys_platform == 'linux' and platform_machine == 'x86_64'"
    cpu = "sys_platform == 'darwin' or (sys_platform == 'linux' and platform_machine == 'aarch64')"
    return f'''[project]
name = "article"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = [
    "torch==2.5.0+cu124; {linux_x86}",
    "torch==2.5.0; {cpu}",
    "torchvision==0.20.0+cu124; {linux_x86}",
    "torchvision==0.20.0; {cpu}",
]

[tool.uv.sources]
torch = [
    {{ index = "torch-cuda", marker = "{linux_x86}" }},
    {{ index = "torch-cpu", marker = "{cpu}" }},
]
torchvision = [
    {{ index = "torch-cuda", marker = "{linux_x86}" }},
    {{ index = "torch-cpu", marker = "{cpu}" }},
]

[[tool.uv.index]]
name = "torch-cuda"
url = "{base_url}/cu124"
explicit = true

[[tool.uv.index]]
name = "torch-cpu"
url = "{base_url}/cpu"
explicit = true
'''
