"""What this machine's GPUs can run: shared by tools/torch_smoke.py and tools/pick_backend.py.

Managed by uv-torch-template: `copier update` replaces this file, the same in every project.
What depends on the project's answers (the builds it installs, what each needs from the
machine) is in tools/torch_project.json, which this module reads.

Standard library only, Python 3.9+, never imports torch (it runs before torch is installed).
`detect()` looks at what the operating system shows (nvidia-smi, rocminfo, amd-smi, sycl-ls,
/proc, /sys, /dev); `can_run()` and `pick()` compare it with what each build of the project
needs.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_FILE = Path(__file__).resolve().with_name("torch_project.json")
UPDATE_COMMAND = "uvx --with copier-template-extensions copier update --trust --defaults --data"


class ProjectError(Exception):
    """tools/torch_project.json is missing or unreadable; the message says how to restore it."""


@dataclass
class Project:
    """tools/torch_project.json: the project's answers as the tools need them."""

    data: dict

    @classmethod
    def empty(cls) -> Project:
        """A project that installs nothing anywhere: what the tools assume without the file."""
        return cls({"mode": "platform", "routes": {}, "runtimes": {}})

    @property
    def mode(self) -> str:  # "platform" or "extra"
        return self.data["mode"]

    @property
    def routes(self) -> dict:
        """platform -> backend (platform mode); extra -> platform -> backend (extra mode)."""
        return self.data["routes"]

    @property
    def runtimes(self) -> dict:
        """backend -> what it needs from the machine, for every build of the project's torch."""
        return self.data["runtimes"]

    def builds_here(self, here: str) -> dict:
        """What this platform installs: extra -> backend, or {"": backend} in platform mode."""
        if self.mode == "platform":
            return {"": self.routes[here]} if here in self.routes else {}
        return {extra: routes[here] for extra, routes in self.routes.items() if here in routes}

    def platforms(self) -> list:
        if self.mode == "platform":
            return list(self.routes)
        return sorted({p for routes in self.routes.values() for p in routes})


def load_project(path: Path = PROJECT_FILE) -> Project:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or {"mode", "routes", "runtimes"} - set(data):
            raise ValueError("it lacks mode, routes or runtimes")
    except (OSError, ValueError) as error:
        raise ProjectError(
            f"{path.name} could not be read ({error}): `copier update` (or `git checkout "
            f"{path.parent.name}/{path.name}`) restores it"
        ) from error
    return Project(data)


# Variables that hide GPUs from programs although the machine has them, and whose GPUs they
# hide (HIP honours CUDA_VISIBLE_DEVICES too).
HIDING = {
    "CUDA_VISIBLE_DEVICES": ("nvidia", "amd"),
    "HIP_VISIBLE_DEVICES": ("amd",),
    "ROCR_VISIBLE_DEVICES": ("amd",),
    "ZE_AFFINITY_MASK": ("intel",),
}

# Compute capability by model name, for drivers whose nvidia-smi lacks compute_cap
# (NVIDIA's CUDA GPUs list, developer.nvidia.com/cuda-gpus). First match wins.
NVIDIA_NAMES = (
    (r"GB300|B300", "10.3"),
    (r"GB200|B200|B100", "10.0"),
    (r"GB10\b", "12.1"),
    (r"RTX 50\d\d|RTX PRO \d+ Blackwell", "12.0"),
    (r"Thor", "11.0"),
    (r"GH200|H100|H200|H800|H20\b", "9.0"),
    (r"Orin", "8.7"),
    (r"RTX 40\d\d|L40|\bL4\b|L20\b|Ada Generation", "8.9"),
    (r"A100|A800|A30\b", "8.0"),
    (r"RTX 30\d\d|RTX A\d+|\bA10G?\b|\bA16\b|\bA2\b|\bA40\b", "8.6"),
    (r"RTX 20\d\d|GTX 16\d\d|Quadro RTX|TITAN RTX|\bT4\b|T1000|T400", "7.5"),
    (r"V100|TITAN V", "7.0"),
    (r"P100", "6.0"),
    (r"GTX 10\d\d|TITAN Xp|TITAN X \(Pascal\)|\bP40\b|\bP4\b", "6.1"),
    (r"GTX 9\d\d|M40|M60|TITAN X\b", "5.2"),
)

# AMD graphics built into Ryzen processors (no VRAM of their own); counted only where a build
# has kernels for them (ROCm has some for Strix, gfx1150/gfx1151).
AMD_INTEGRATED = ("gfx902", "gfx909", "gfx90c", "gfx1035", "gfx1036", "gfx1037", "gfx1103")
# Intel discrete GPUs by PCI device id: Arc A / Flex (DG2, 0x56xx), Data Center Max (PVC,
# 0x0bdx), Arc B (Battlemage, 0xe2xx).
INTEL_DISCRETE = re.compile(r"^0x(56[0-9a-f]{2}|0bd[0-9a-f]|e2[0-9a-f]{2})$", re.IGNORECASE)


@dataclass
class Gpu:
    vendor: str  # nvidia, amd, intel
    name: str
    arch: str = ""  # sm_120, gfx942; "" unknown
    driver: str = ""  # NVIDIA driver version, e.g. 580.65.06
    evidence: str = ""  # where it was seen
    integrated: bool = False


@dataclass
class Machine:
    gpus: list[Gpu] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)  # variable -> value hiding GPUs
    notes: list[str] = field(default_factory=list)  # what was tried or ignored, and why
    wsl: bool = False
    platform: str = ""  # linux-x86_64, macos-arm64, ... as the project's answers name them

    def of(self, vendor: str) -> list[Gpu]:
        return [gpu for gpu in self.gpus if gpu.vendor == vendor]


def current_platform() -> str:
    machine = platform.machine().lower()
    # Windows says AMD64 / ARM64, macOS arm64, Linux aarch64 for the same chips.
    arm = "aarch64" if sys.platform == "linux" else "arm64"
    machine = {"amd64": "x86_64", "arm64": arm}.get(machine, machine)
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(
        sys.platform, sys.platform
    )
    return f"{system}-{machine}"


# --- detection -----------------------------------------------------------------------------


def _run(command: list[str], env) -> tuple[int, str]:
    """Exit status and output of a command found on env's PATH; (-1, why) when it cannot run."""
    path = shutil.which(command[0], path=env.get("PATH", os.defpath))
    if path is None:
        return -1, f"{command[0]} not found on PATH"
    try:
        done = subprocess.run(
            [path, *command[1:]], capture_output=True, text=True, timeout=20, env=dict(env)
        )
    except (OSError, subprocess.SubprocessError) as error:
        return -1, f"{command[0]} could not run: {error}"
    return done.returncode, (done.stdout or "") + (done.stderr or "")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "(no output)"


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def nvidia_arch_from_name(name: str) -> str:
    for pattern, capability in NVIDIA_NAMES:
        if re.search(pattern, name, re.IGNORECASE):
            return "sm_" + capability.replace(".", "")
    return ""


def _nvidia(env, root: Path, machine: Machine) -> None:
    query = "--query-gpu=name,compute_cap,driver_version"
    status, output = _run(["nvidia-smi", query, "--format=csv,noheader"], env)
    with_cap = status == 0
    if status > 0 and "compute_cap" in output:
        # Drivers before 510 do not know the compute_cap field.
        machine.notes.append(
            "nvidia-smi knows no compute_cap (old driver): architecture from the name"
        )
        status, output = _run(
            ["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"], env
        )
    if status == 0:
        for line in output.strip().splitlines():
            fields = [part.strip() for part in line.split(",")]
            if len(fields) != (3 if with_cap else 2) or not fields[0]:
                continue
            name, driver = fields[0], fields[-1]
            capability = fields[1] if with_cap else ""
            if re.fullmatch(r"\d+\.\d+", capability):
                arch = "sm_" + capability.replace(".", "")
            else:
                arch = nvidia_arch_from_name(name)
            machine.gpus.append(Gpu("nvidia", name, arch, driver, "nvidia-smi"))
        if not machine.of("nvidia"):
            machine.notes.append(f"nvidia-smi listed no GPU: {_first_line(output)}")
        return
    if status > 0:
        machine.notes.append(
            f"nvidia-smi failed (exit {status}), not counted: {_first_line(output)}"
        )
    # Without a working nvidia-smi: the kernel module's own view.
    version = re.search(
        r"Kernel Module\s+(\d+(?:\.\d+)+)", _read(root / "proc/driver/nvidia/version")
    )
    driver = version.group(1) if version else ""
    gpus_dir = root / "proc/driver/nvidia/gpus"
    for entry in sorted(gpus_dir.iterdir()) if gpus_dir.is_dir() else []:
        model = re.search(r"^Model:\s*(.+)$", _read(entry / "information"), re.MULTILINE)
        name = model.group(1).strip() if model else f"NVIDIA GPU {entry.name}"
        evidence = f"/proc/driver/nvidia/gpus/{entry.name}"
        machine.gpus.append(Gpu("nvidia", name, nvidia_arch_from_name(name), driver, evidence))
    if machine.of("nvidia"):
        return
    nodes = sorted(
        p.name for p in (root / "dev").glob("nvidia*") if re.fullmatch(r"nvidia\d+", p.name)
    )
    if nodes and status == -1:
        for node in nodes:
            machine.gpus.append(
                Gpu("nvidia", "NVIDIA GPU (model unknown)", "", driver, f"/dev/{node}")
            )
    elif nodes:
        machine.notes.append(f"/dev/{nodes[0]} exists, but the driver does not answer: not counted")


def _gfx(version: int) -> str:
    """KFD's gfx_target_version (major*10000 + minor*100 + stepping) as a gfx target name."""
    major, minor, stepping = version // 10000, version // 100 % 100, version % 100
    return f"gfx{major}{minor:x}{stepping:x}"


def _amd(env, root: Path, machine: Machine) -> None:
    installed = _read(root / "opt/rocm/.info/version").strip()
    if installed:
        # Informative only: the ROCm wheels bring their own runtime; the kernel driver matters.
        machine.notes.append(f"ROCm {installed} installed in /opt/rocm")
    status, output = _run(["rocminfo"], env)
    if status == 0:
        for agent in re.split(r"\n\*+\s*\nAgent \d+", output)[1:]:
            fields = {}
            for key, value in re.findall(r"^[ \t]*(\w[\w ]*?):[ \t]+(.*?)[ \t]*$", agent, re.M):
                fields.setdefault(key, value)
            if fields.get("Device Type") != "GPU" or not fields.get("Name", "").startswith("gfx"):
                continue
            arch = fields["Name"]
            integrated = "APU" in fields.get("Memory Properties", "") or arch in AMD_INTEGRATED
            name = fields.get("Marketing Name") or arch
            machine.gpus.append(Gpu("amd", name, arch, "", "rocminfo", integrated))
        if machine.of("amd"):
            return
    elif status > 0:
        machine.notes.append(f"rocminfo failed (exit {status}), not counted: {_first_line(output)}")
    status, output = _run(["amd-smi", "static", "--asic"], env)
    if status == 0:
        for block in re.split(r"^GPU: *\d+", output, flags=re.M)[1:]:
            arch = re.search(r"TARGET_GRAPHICS_VERSION: *(gfx\w+)", block)
            name = re.search(r"MARKET_NAME: *(\S.*?)\s*$", block, re.M)
            if arch:
                gfx = arch.group(1)
                label = name.group(1) if name else gfx
                machine.gpus.append(Gpu("amd", label, gfx, "", "amd-smi", gfx in AMD_INTEGRATED))
        if machine.of("amd"):
            return
    elif status > 0:
        machine.notes.append(f"amd-smi failed (exit {status}), not counted: {_first_line(output)}")
    nodes = root / "sys/class/kfd/kfd/topology/nodes"
    for node in sorted(nodes.iterdir()) if nodes.is_dir() else []:
        properties = dict(re.findall(r"^(\w+)\s+(\d+)$", _read(node / "properties"), re.MULTILINE))
        version = int(properties.get("gfx_target_version", "0"))
        if not version or not int(properties.get("simd_count", "0")):
            continue  # a CPU node
        arch = _gfx(version)
        integrated = (
            int(properties.get("cpu_cores_count", "0")) > 0
            or properties.get("local_mem_size") == "0"
            or arch in AMD_INTEGRATED
        )
        evidence = f"/sys/class/kfd/kfd/topology/nodes/{node.name}"
        machine.gpus.append(Gpu("amd", f"AMD GPU {arch}", arch, "", evidence, integrated))
    if not machine.of("amd") and (root / "dev/kfd").exists():
        machine.notes.append("/dev/kfd exists but no GPU node has a gfx target: not an AMD GPU")


def _intel(env, root: Path, machine: Machine) -> None:
    status, output = _run(["sycl-ls"], env)
    if status == 0:
        for line in output.splitlines():
            match = re.search(r"\[level_zero:gpu\]\S*\s+[^,]+,\s*(.+?)\s+\d+\.\d+", line)
            if match:
                # UHD / Iris / HD Graphics: integrated graphics XPU builds do not target
                integrated = bool(re.search(r"UHD|Iris|HD Graphics", match.group(1)))
                machine.gpus.append(Gpu("intel", match.group(1), "", "", "sycl-ls", integrated))
        if machine.of("intel"):
            return
    for card in sorted((root / "sys/class/drm").glob("card*")):
        if not re.fullmatch(r"card\d+", card.name):
            continue
        if _read(card / "device/vendor").strip().lower() != "0x8086":
            continue
        device = _read(card / "device/device").strip().lower()
        if INTEL_DISCRETE.match(device):
            evidence = f"/sys/class/drm/{card.name} (8086:{device[2:]})"
            machine.gpus.append(Gpu("intel", f"Intel GPU {device}", "", "", evidence))
        else:
            machine.notes.append(
                f"Intel integrated graphics {device} ignored: no discrete Intel GPU"
            )


def hidden_by(env) -> dict[str, str]:
    """The variables set so that programs see none of the GPUs."""
    hidden = {}
    for name in HIDING:
        value = env.get(name)
        if value is None:
            continue
        if name == "ZE_AFFINITY_MASK":
            # Level Zero treats an empty mask as "all devices"; anything but a device list hides.
            if value.strip() and not re.fullmatch(r"[\d.,\s]+", value):
                hidden[name] = value
        elif value.strip() in ("", "-1", "NoDevFiles") or value.strip().startswith("-1"):
            hidden[name] = value
    return hidden


def detect(env=None, root="/") -> Machine:
    """This machine's GPUs as the operating system shows them, torch or not."""
    env = os.environ if env is None else env
    root = Path(root)
    machine = Machine(platform=current_platform(), hidden=hidden_by(env))
    machine.wsl = (root / "dev/dxg").exists()
    if machine.platform.startswith("macos"):
        if machine.platform == "macos-arm64":
            machine.notes.append("macOS arm64: the CPU build uses the Apple GPU through MPS")
        return machine
    _nvidia(env, root, machine)
    _amd(env, root, machine)
    _intel(env, root, machine)
    if machine.wsl:
        machine.notes.append(
            "WSL (/dev/dxg): GPUs come from the Windows driver; ROCm and XPU need more"
        )
    return machine


# --- what can run here ---------------------------------------------------------------------


def kind_of(backend: str) -> str:
    """cuda, rocm, xpu or cpu, from the name the PyTorch index gives the build."""
    for prefix, kind in (("cu", "cuda"), ("rocm", "rocm"), ("xpu", "xpu")):
        if backend.startswith(prefix):
            return kind
    return "cpu"


def version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text))


def kernels_for(project: Project, backend: str, machine_platform: str) -> tuple[list, list]:
    runtime = project.runtimes.get(backend, {})
    special = runtime.get("platforms", {}).get(machine_platform)
    if special:
        return special["archs"], special["ptx"]
    return runtime.get("archs", []), runtime.get("ptx", [])


def arch_runs(arch: str, archs: list[str], ptx: list[str]) -> bool:
    """Whether a GPU of `arch` has kernels in a build with these cubins / code objects and PTX.

    NVIDIA: a same-major sm_XZ cubin with Z <= Y serves sm_XY, and so does compute_AB PTX at
    or below it (the driver compiles it). AMD: the gfx target itself.
    """
    if arch in archs:
        return True
    match = re.fullmatch(r"sm_(\d+)(\d)", arch)
    if not match:
        return False
    major, minor = int(match.group(1)), int(match.group(2))
    for cubin in archs:
        found = re.fullmatch(r"sm_(\d+)(\d)", cubin)
        if found and int(found.group(1)) == major and int(found.group(2)) <= minor:
            return True
    return any(int(code.split("_")[1]) <= int(arch.split("_")[1]) for code in ptx)


def floor_for(project: Project, backend: str, machine_platform: str) -> str:
    runtime = project.runtimes.get(backend, {})
    if machine_platform.startswith("windows"):
        return runtime.get("driver_floor_windows", "")
    return runtime.get("driver_floor", "")


def gpu_runs(project: Project, backend: str, gpu: Gpu, machine_platform: str) -> tuple[bool, str]:
    """Whether one GPU can run the build, and why (not)."""
    archs, ptx = kernels_for(project, backend, machine_platform)
    floor = floor_for(project, backend, machine_platform)
    if floor and gpu.driver and version_key(gpu.driver) < version_key(floor):
        return False, f"{gpu.name}: driver {gpu.driver} is older than {backend}'s floor {floor}"
    if not gpu.arch:
        return True, f"{gpu.name}: architecture unknown, assumed to have kernels"
    if not arch_runs(gpu.arch, archs, ptx):
        return False, f"{gpu.name} ({gpu.arch}): {backend} has no kernels for it"
    driver = f", driver {gpu.driver} >= {floor}" if floor and gpu.driver else ""
    return True, f"{gpu.name} ({gpu.arch}{driver})"


VENDOR = {"cuda": "nvidia", "rocm": "amd", "xpu": "intel"}
# Where each kind of GPU build has wheels at all (RELEASE.md, the PyTorch index).
PLATFORMS_OF = {
    "cuda": ("linux-x86_64", "linux-aarch64", "windows-x86_64"),
    "rocm": ("linux-x86_64",),
    "xpu": ("linux-x86_64", "windows-x86_64"),
}


def can_run(project: Project, backend: str, machine: Machine) -> tuple[bool, str]:
    """Whether this machine can run the `backend` build, in one line."""
    kind = kind_of(backend)
    if kind == "cpu":
        return True, "the CPU build runs anywhere" + (
            " (and uses the Apple GPU through MPS)" if machine.platform == "macos-arm64" else ""
        )
    if machine.platform not in PLATFORMS_OF[kind]:
        return False, f"{machine.platform} has no {kind.upper()} build"
    gpus = [gpu for gpu in machine.of(VENDOR[kind])]
    usable = [gpu for gpu in gpus if not gpu.integrated]
    for gpu in gpus:
        if gpu.integrated and gpu.arch and gpu_runs(project, backend, gpu, machine.platform)[0]:
            usable.append(gpu)
    vendor = VENDOR[kind]
    hiding = [f"{k}={v!r}" for k, v in machine.hidden.items() if vendor in HIDING[k]]
    if usable and hiding:
        return False, f"the {vendor} GPUs are hidden by {', '.join(hiding)}"
    if not usable:
        names = ", ".join(gpu.arch or gpu.name for gpu in gpus)
        ignored = f" (integrated {names} ignored)" if gpus else ""
        return False, f"no {VENDOR[kind].upper() if kind != 'xpu' else 'Intel'} GPU found{ignored}"
    verdicts = [gpu_runs(project, backend, gpu, machine.platform) for gpu in usable]
    failing = [reason for fits, reason in verdicts if not fits]
    if failing:
        return False, "; ".join(failing)
    return True, "; ".join(reason for _, reason in verdicts)


def newest_first(backend: str) -> tuple:
    rank = {"cuda": 0, "rocm": 1, "xpu": 2, "cpu": 3}[kind_of(backend)]
    return (rank, tuple(-n for n in version_key(backend)))


def describe(machine: Machine) -> list[str]:
    lines = [f"platform: {machine.platform}{' (WSL)' if machine.wsl else ''}"]
    for gpu in machine.gpus:
        details = ", ".join(
            part
            for part in (
                gpu.arch or "architecture unknown",
                f"driver {gpu.driver}" if gpu.driver else "",
                "integrated" if gpu.integrated else "",
            )
            if part
        )
        lines.append(f"found: {gpu.name} ({details}) via {gpu.evidence}")
    if not machine.gpus:
        lines.append("found: no GPU")
    for name, value in machine.hidden.items():
        lines.append(f"note: {name}={value!r} hides the GPUs from programs run with it")
    lines.extend(f"note: {note}" for note in machine.notes)
    return lines


def pick(project: Project, extras: dict, machine: Machine) -> tuple[str | None, list[str]]:
    """The extra to install here (newest GPU build that runs, else the CPU one), and why.

    `extras`: extra name -> the backend it installs on this platform.
    """
    reasons = describe(machine)
    order = sorted(extras, key=lambda extra: (newest_first(extras[extra]), extra != extras[extra]))
    runs = []
    for extra in order:
        fits, why = can_run(project, extras[extra], machine)
        label = extra if extra == extras[extra] else f"{extra} ({extras[extra]} here)"
        reasons.append(f"{'runs' if fits else 'cannot run'}: {label}: {why}")
        if fits:
            runs.append(extra)
    gpu = [extra for extra in runs if kind_of(extras[extra]) != "cpu"]
    chosen = (gpu or runs or [None])[0]
    if chosen is None:
        reasons.append("none of the extras runs here, and the project has no CPU extra")
    elif gpu:
        reasons.append(f"chosen: {chosen}, the newest build that runs here")
    else:
        reasons.append(f"chosen: {chosen}, no GPU build runs here")
    return chosen, reasons


def alternatives(project: Project, machine: Machine) -> list[str]:
    """The GPU builds of this torch that run here, newest first (this project's or not)."""
    builds = sorted((b for b in project.runtimes if kind_of(b) != "cpu"), key=newest_first)
    return [backend for backend in builds if can_run(project, backend, machine)[0]]


def update_command(backend: str) -> str:
    """The command that moves a project to another build."""
    return f"{UPDATE_COMMAND} 'backends=[\"{backend}\"]'"
