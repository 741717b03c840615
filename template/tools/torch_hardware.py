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

import copy
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_FILE = Path(__file__).resolve().with_name("torch_project.json")
# What the tools read of every data file, as a project that installs nothing has it.
EMPTY = {
    "mode": "platform",
    "routes": {},
    "runtimes": {},
    "gpus": {},
    "backends": [],
    "libraries": {},
    "torch_series": "",
    "sync_command": "uv sync",
}
UPDATE_COMMAND = "uvx --with copier-template-extensions copier update --trust --defaults"


class ProjectError(Exception):
    """tools/torch_project.json is missing or unreadable; the message says how to restore it."""


@dataclass
class Project:
    """tools/torch_project.json: the project's answers as the tools need them."""

    data: dict

    @classmethod
    def empty(cls) -> Project:
        """A project that installs nothing anywhere: what the tools assume without the file."""
        return cls(copy.deepcopy(EMPTY))

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

    @property
    def gpus(self) -> dict:
        """How to tell a GPU's architecture from what the machine states (the template's data)."""
        return self.data["gpus"]

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
        fields = data if isinstance(data, dict) else {}
        wrong = [
            key for key, empty in EMPTY.items() if not isinstance(fields.get(key), type(empty))
        ]
        if wrong:
            raise ValueError(f"missing or malformed: {', '.join(wrong)}")
    except (OSError, ValueError) as error:
        raise ProjectError(
            f"{path.name} could not be read ({error}): `copier update` (or `git checkout "
            f"{path.parent.name}/{path.name}`) restores it"
        ) from error
    return Project(data)


# Variables that choose the GPUs a program sees, and whose GPUs they are (HIP honours
# CUDA_VISIBLE_DEVICES too). A value naming no device hides them all from that program.
VISIBILITY = {
    "CUDA_VISIBLE_DEVICES": ("nvidia", "amd"),
    "HIP_VISIBLE_DEVICES": ("amd",),
    "ROCR_VISIBLE_DEVICES": ("amd",),
    "ZE_AFFINITY_MASK": ("intel",),
}
VENDOR = {"cuda": "nvidia", "rocm": "amd", "xpu": "intel"}
VENDOR_NAME = {"nvidia": "NVIDIA", "amd": "AMD", "intel": "Intel"}


@dataclass
class Gpu:
    vendor: str  # nvidia, amd, intel
    name: str
    arch: str = ""  # sm_120, gfx942; "" unknown
    driver: str = ""  # the NVIDIA driver it runs with now, e.g. 580.65.06; "" unknown
    evidence: str = ""  # where it was seen
    integrated: bool = False  # part of the processor; usable only where a build targets it
    index: int = -1  # its number among its vendor's GPUs, as CUDA / HIP count them
    uuid: str = ""
    identified_by: str = ""  # how the architecture was told: compute capability, PCI id, name
    reachable: bool = True  # False: the machine has it, but this process may not open it
    jetson: bool = False  # a Jetson's GPU on L4T's own driver (nvgpu), before SBSA CUDA


@dataclass
class Machine:
    gpus: list[Gpu] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)  # variable -> value hiding all GPUs
    visible: dict[str, str] = field(default_factory=dict)  # variable -> value choosing some
    notes: list[str] = field(default_factory=list)  # what was tried or ignored, and why
    fixes: list[str] = field(default_factory=list)  # known fixes for what was found
    hsa_override: str = ""  # HSA_OVERRIDE_GFX_VERSION as set, e.g. 10.3.0
    wsl: bool = False
    platform: str = ""  # linux-x86_64, macos-arm64, ... as the project's answers name them

    def of(self, vendor: str) -> list[Gpu]:
        return [gpu for gpu in self.gpus if gpu.vendor == vendor]


def current_platform() -> str:
    machine = platform.machine().lower()
    # Windows says AMD64 / ARM64, macOS arm64, Linux aarch64 for the same chips.
    arm = "aarch64" if sys.platform == "linux" else "arm64"
    machine = {"amd64": "x86_64", "arm64": arm}.get(machine, machine)
    system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)  # linux
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


def _sm(capability: str) -> str:
    """`8.9` -> `sm_89`; "" for anything that is not a compute capability."""
    match = re.fullmatch(r"\s*(\d+)\.(\d)\s*", capability or "")
    return f"sm_{match.group(1)}{match.group(2)}" if match else ""


def _version(text: str) -> str:
    """A driver version as a tool printed it; "" for `[N/A]`, `N/A` and the like."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)+)\s*", text or "")
    return match.group(1) if match else ""


def nvidia_arch(facts: dict, device_id: str = "", name: str = "") -> tuple[str, str]:
    """(sm_XY, how it was told) from a PCI device id (its chip, then the chip's compute
    capability) or, as the last resort, the product name on word boundaries; ("", "") unknown."""
    device_id = (device_id or "").lower().replace("0x", "")[:4]
    for chip, ids in facts.get("nvidia_devices", {}).items():
        if device_id and device_id in ids:
            capability = facts["nvidia_chips"][chip]  # every chip of the data has one
            return _sm(capability), f"PCI device {device_id}: {chip}"
    for pattern, capability in facts.get("nvidia_names", []):
        if re.search(pattern, name or "", re.IGNORECASE):
            return _sm(capability), "its name"
    return "", ""


def _bus(text: str) -> str:
    """A PCI address as sysfs spells it (`0000:01:00.0`), from nvidia-smi's or /proc's."""
    match = re.search(r"([0-9a-fA-F]+):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.(\d)", text or "")
    if not match:
        return ""
    domain, bus, device, function = match.groups()
    return f"{int(domain, 16):04x}:{bus.lower()}:{device.lower()}.{function}"


NVIDIA_FIELDS = (
    "index",
    "uuid",
    "name",
    "pci.bus_id",
    "pci.device_id",
    "compute_cap",
    "driver_version",
)


def _nvidia_smi(env, machine: Machine, facts: dict) -> tuple[int, str]:
    """GPUs as nvidia-smi lists them; its exit status and output."""
    fields = list(NVIDIA_FIELDS)
    status, output = _run(
        ["nvidia-smi", f"--query-gpu={','.join(fields)}", "--format=csv,noheader"], env
    )
    if status > 0 and "compute_cap" in output:  # it ran: drivers before 510 know no compute_cap
        machine.notes.append(
            "nvidia-smi knows no compute_cap (driver before 510): the PCI id tells"
        )
        fields.remove("compute_cap")
        query = f"--query-gpu={','.join(fields)}"
        status, output = _run(["nvidia-smi", query, "--format=csv,noheader"], env)
    if status != 0:
        return status, output
    for line in output.strip().splitlines():
        parts = [part.strip() for part in line.split(",")]
        if len(parts) < len(fields):
            continue
        # The name may hold commas: the fields before and after it are fixed. (No zip(): its
        # strict= that linters ask for is 3.10+.)
        at, after = fields.index("name"), len(fields) - fields.index("name") - 1
        row = {field: parts[i] for i, field in enumerate(fields[:at])}
        row.update(
            {field: parts[len(parts) - after + i] for i, field in enumerate(fields[at + 1 :])}
        )
        name = ", ".join(parts[at : len(parts) - after])
        arch, how = _sm(row.get("compute_cap")), "compute capability"
        if not arch:  # `0x268410DE`: the device id, then NVIDIA's vendor id
            arch, how = nvidia_arch(facts, row["pci.device_id"], name)
        jetson = "nvgpu" in name  # JetPack 6's nvidia-smi: `Orin (nvgpu)`
        index = int(row["index"]) if row["index"].isdigit() else len(machine.of("nvidia"))
        machine.gpus.append(
            Gpu(
                "nvidia",
                name,
                arch,
                _version(row["driver_version"]),
                "nvidia-smi",
                integrated=jetson,
                index=index,
                uuid=row["uuid"],
                identified_by=how,
                jetson=jetson,
            )
        )
    return status, output


def _installed_nvidia_library(root: Path) -> str:
    """The version of the NVIDIA user-space driver installed (libnvidia-ml.so.<version>)."""
    found = []
    for directory in (
        "usr/lib/x86_64-linux-gnu",
        "usr/lib/aarch64-linux-gnu",
        "usr/lib64",
        "usr/lib",
    ):
        for path in (root / directory).glob("libnvidia-ml.so.*"):
            version = _version(path.name[len("libnvidia-ml.so.") :])
            if version.count(".") >= 1:
                found.append(version)
    return max(found, key=version_key) if found else ""


def _l4t_release(root: Path) -> int:
    """The L4T release of a Jetson (/etc/nv_tegra_release: `# R36 (release), REVISION: 4.3`)."""
    found = re.search(r"#\s*R(\d+)\b", _read(root / "etc/nv_tegra_release"))
    return int(found.group(1)) if found else 0


def _jetson(root: Path, machine: Machine, facts: dict) -> None:
    """A Jetson without nvidia-smi (JetPack 5 and older): L4T's release file and the model."""
    release = _l4t_release(root)
    sbsa = facts.get("jetson", {}).get("sbsa_from_l4t", 38)
    if not release:
        return
    model = _read(root / "proc/device-tree/model").replace("\x00", "").strip() or "NVIDIA Jetson"
    arch, how = nvidia_arch(facts, name=model)
    evidence = f"/etc/nv_tegra_release (L4T R{release})"
    machine.gpus.append(
        Gpu(
            "nvidia",
            model,
            arch,
            evidence=evidence,
            integrated=True,
            index=0,
            identified_by=how,
            jetson=release < sbsa,
        )
    )


def _nvidia(env, root: Path, machine: Machine, facts: dict) -> None:
    status, output = _nvidia_smi(env, machine, facts)
    if status == 0:
        if not machine.of("nvidia"):
            machine.notes.append(f"nvidia-smi listed no GPU: {_first_line(output)}")
        return
    mismatch = "version mismatch" in output
    not_here = "No devices were found" in output
    if status > 0:
        machine.notes.append(f"nvidia-smi failed (exit {status}): {_first_line(output)}")
    # Without a working nvidia-smi: the kernel module's own view, and the PCI ids in /sys.
    loaded = re.search(
        r"Kernel Module\b.*?\s(\d+\.\d+(?:\.\d+)*)\s", _read(root / "proc/driver/nvidia/version")
    )
    driver = loaded.group(1) if loaded else _version(_read(root / "sys/module/nvidia/version"))
    if _l4t_release(root):  # a Jetson's module carries L4T's release (35.3.1), not a driver's
        driver = ""
    if mismatch:
        library = re.search(r"NVML library version:\s*(\d+(?:\.\d+)+)", output)
        installed = library.group(1) if library else _installed_nvidia_library(root)
        machine.fixes.append(
            f"the NVIDIA driver was upgraded ({installed or 'a new version'} installed) but the "
            f"loaded kernel module is still {driver or 'the old one'}: reboot (or reload the "
            "nvidia modules) before using the GPU"
        )
        driver = installed or driver
    gpus_dir = root / "proc/driver/nvidia/gpus"
    for entry in sorted(gpus_dir.iterdir()) if gpus_dir.is_dir() else []:
        information = dict(
            re.findall(r"^([^:\n]+):\s*(.*?)\s*$", _read(entry / "information"), re.MULTILINE)
        )
        name = information.get("Model", f"NVIDIA GPU {entry.name}")
        bus = _bus(entry.name)  # the driver names each folder after its GPU's PCI address
        arch, how = nvidia_arch(facts, _read(root / "sys/bus/pci/devices" / bus / "device"), name)
        machine.gpus.append(
            Gpu(
                "nvidia",
                name,
                arch,
                driver,
                f"/proc/driver/nvidia/gpus/{entry.name}",
                index=len(machine.of("nvidia")),
                uuid=information.get("GPU UUID", ""),
                identified_by=how,
                reachable=not not_here,
            )
        )
    if not_here and machine.of("nvidia"):
        machine.notes.append(
            "nvidia-smi found no device this process may use, though the machine has "
            f"{len(machine.of('nvidia'))} (a job or container given no GPU)"
        )
    if machine.of("nvidia"):
        return
    _jetson(root, machine, facts)
    if machine.of("nvidia"):
        return
    nodes = sorted(
        p.name for p in (root / "dev").glob("nvidia*") if re.fullmatch(r"nvidia\d+", p.name)
    )
    if nodes and status == -1:
        for node in nodes:
            machine.gpus.append(
                Gpu(
                    "nvidia",
                    "NVIDIA GPU (model unknown)",
                    "",
                    driver,
                    f"/dev/{node}",
                    index=len(machine.of("nvidia")),
                )
            )
    elif nodes:
        machine.notes.append(f"/dev/{nodes[0]} exists, but the driver does not answer: not counted")


def _gfx(version: int) -> str:
    """KFD's gfx_target_version (major*10000 + minor*100 + stepping) as a gfx target name."""
    major, minor, stepping = version // 10000, version // 100 % 100, version % 100
    return f"gfx{major}{minor:x}{stepping:x}"


def _amd(env, root: Path, machine: Machine, facts: dict) -> None:
    integrated_targets = facts.get("amd_integrated", [])
    installed = _read(root / "opt/rocm/.info/version").strip()
    if installed:
        # Informative only: the ROCm wheels bring their own runtime; the kernel driver matters.
        machine.notes.append(f"ROCm {installed} installed in /opt/rocm")
    status, output = _run(["rocminfo"], env)
    if status == 0:
        for agent in re.split(r"\n\*+\s*\nAgent \d+", output):  # the header lists no Name
            fields = {}
            for key, value in re.findall(r"^[ \t]*(\w[\w ]*?):[ \t]+(.*?)[ \t]*$", agent, re.M):
                fields.setdefault(key, value)
            if not fields.get("Name", "").startswith("gfx"):  # a CPU agent has its model's name
                continue
            arch = fields["Name"]
            integrated = "APU" in fields.get("Memory Properties", "") or arch in integrated_targets
            name = fields.get("Marketing Name") or arch
            index = len(machine.of("amd"))
            machine.gpus.append(Gpu("amd", name, arch, "", "rocminfo", integrated, index))
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
                integrated = gfx in integrated_targets
                index = len(machine.of("amd"))
                machine.gpus.append(Gpu("amd", label, gfx, "", "amd-smi", integrated, index))
        if machine.of("amd"):
            return
    elif status > 0:
        machine.notes.append(f"amd-smi failed (exit {status}), not counted: {_first_line(output)}")
    nodes = root / "sys/class/kfd/kfd/topology/nodes"
    for node in (
        sorted((n for n in nodes.iterdir() if n.name.isdigit()), key=lambda n: int(n.name))
        if nodes.is_dir()
        else []
    ):
        properties = dict(re.findall(r"^(\w+)\s+(\d+)$", _read(node / "properties"), re.MULTILINE))
        version = int(properties.get("gfx_target_version", "0"))
        if not version or not int(properties.get("simd_count", "0")):
            continue  # a CPU node
        arch = _gfx(version)
        integrated = (
            int(properties.get("cpu_cores_count", "0")) > 0
            or properties.get("local_mem_size") == "0"
            or arch in integrated_targets
        )
        evidence = f"/sys/class/kfd/kfd/topology/nodes/{node.name}"
        index = len(machine.of("amd"))
        machine.gpus.append(Gpu("amd", f"AMD GPU {arch}", arch, "", evidence, integrated, index))
    if not machine.of("amd") and (root / "dev/kfd").exists():
        machine.notes.append("/dev/kfd exists but no GPU node has a gfx target: not an AMD GPU")


def intel_family(facts: dict, device_id: str) -> dict:
    """The Intel GPU family of a PCI device id, from the template's data ({} unknown)."""
    device_id = device_id.lower().replace("0x", "")
    return next((f for f in facts.get("intel", []) if device_id in f["ids"]), {})


def _add_intel(
    machine: Machine, facts: dict, device_id: str, evidence: str, name: str = ""
) -> None:
    family = intel_family(facts, device_id)
    if not family.get("xpu"):
        what = family.get("name", "a device the template's data does not know")
        machine.notes.append(
            f"Intel graphics {device_id} ({what}) ignored: PyTorch's XPU builds do not list it"
        )
        return
    machine.gpus.append(
        Gpu(
            "intel",
            name or f"Intel {family['name']}",
            evidence=evidence,
            integrated=not family["discrete"],
            index=len(machine.of("intel")),
            identified_by=f"PCI device {device_id}: {family['name']}",
        )
    )


def _intel(env, root: Path, machine: Machine, facts: dict) -> None:
    """Intel GPUs by PCI device id (sysfs on Linux, the video controllers on Windows): each
    family's record says whether it is discrete and whether PyTorch's XPU builds list it.
    Where neither shows one, sycl-ls's names."""
    if machine.platform.startswith("windows"):
        command = (
            "Get-CimInstance Win32_VideoController | "
            "ForEach-Object { $_.Name + '|' + $_.PNPDeviceID }"
        )
        status, output = _run(["powershell", "-NoProfile", "-Command", command], env)
        for line in output.splitlines() if status == 0 else []:
            name, _, device = line.partition("|")
            found = re.search(r"VEN_8086&DEV_([0-9A-F]{4})", device)  # Windows writes capitals
            if found:
                _add_intel(
                    machine, facts, found.group(1).lower(), "Win32_VideoController", name.strip()
                )
        if status > 0:
            machine.notes.append(f"powershell failed (exit {status}): {_first_line(output)}")
    for card in sorted((root / "sys/class/drm").glob("card*")):
        if not re.fullmatch(r"card\d+", card.name):
            continue
        if _read(card / "device/vendor").strip().lower() != "0x8086":
            continue
        device = _read(card / "device/device").strip().lower().replace("0x", "")
        _add_intel(machine, facts, device, f"/sys/class/drm/{card.name} (8086:{device})")
    if machine.of("intel") or any(note.startswith("Intel graphics") for note in machine.notes):
        return
    status, output = _run(["sycl-ls"], env)
    for line in output.splitlines() if status == 0 else []:
        match = re.search(r"\[level_zero:gpu\]\S*\s+[^,]+,\s*(.+?)\s+\d+\.\d+", line)
        if not match:
            continue
        name = match.group(1)
        if re.search(r"\bArc\b|Data Center GPU", name):
            index = len(machine.of("intel"))
            machine.gpus.append(
                Gpu("intel", name, evidence="sycl-ls", index=index, identified_by="its name")
            )
        else:  # UHD, Iris Xe, HD Graphics: integrated graphics the XPU builds do not list
            machine.notes.append(
                f"Intel graphics {name} (sycl-ls) ignored: PyTorch's XPU builds do not list it"
            )


def _visibility(env) -> tuple[dict, dict]:
    """(variables hiding every GPU, variables choosing some) as this process was started."""
    hidden, visible = {}, {}
    for name in VISIBILITY:
        value = env.get(name)
        if value is None:
            continue
        if name == "ZE_AFFINITY_MASK":
            # Level Zero treats an empty mask as "all devices"; anything but a device list hides.
            if value.strip() and not re.fullmatch(r"[\d.,\s]+", value):
                hidden[name] = value
            elif value.strip():
                visible[name] = value
        elif value.strip() in ("", "NoDevFiles") or value.strip().startswith("-1"):
            hidden[name] = value
        else:
            visible[name] = value
    return hidden, visible


def detect(env=None, root="/", facts=None, platform_name: str = "") -> Machine:
    """This machine's GPUs as the operating system shows them, torch or not. `facts`: the
    template's data on GPU families (Project.gpus)."""
    env = os.environ if env is None else env
    facts = facts or {}
    root = Path(root)
    hidden, visible = _visibility(env)
    machine = Machine(platform=platform_name or current_platform(), hidden=hidden, visible=visible)
    machine.hsa_override = env.get("HSA_OVERRIDE_GFX_VERSION", "").strip()
    machine.wsl = (root / "dev/dxg").exists()
    if machine.platform.startswith("macos"):
        if machine.platform == "macos-arm64":
            machine.notes.append("macOS arm64: the CPU build uses the Apple GPU through MPS")
        return machine
    _nvidia(env, root, machine, facts)
    if machine.platform.startswith("linux"):
        _amd(env, root, machine, facts)
    _intel(env, root, machine, facts)
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


def _override_target(version: str) -> str:
    """HSA_OVERRIDE_GFX_VERSION's x.y.z as the gfx target whose kernels it makes a GPU run."""
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return ""
    return f"gfx{parts[0]}{int(parts[1]):x}{int(parts[2]):x}"


@dataclass
class GpuVerdict:
    runs: bool
    why: str
    fix: str = ""  # what makes it run, where a fix is known
    native: bool = False  # the build has kernels for its own target, no override needed
    then_runs: bool = False  # it runs once the fix is made (a newer driver)


def gpu_runs(project: Project, backend: str, gpu: Gpu, machine: Machine) -> GpuVerdict:
    """Whether one GPU can run the build, why (not), and the known fix."""
    archs, ptx = kernels_for(project, backend, machine.platform)
    floor = floor_for(project, backend, machine.platform)
    label = f"{gpu.name} ({gpu.arch})" if gpu.arch else gpu.name
    if gpu.jetson:
        jetson = project.gpus.get("jetson", {})
        return GpuVerdict(False, f"{label}: {jetson.get('why', 'a Jetson')}", jetson.get("fix", ""))
    if gpu.vendor == "intel":  # detection kept only the GPUs the XPU builds list
        return GpuVerdict(True, f"{gpu.name} ({gpu.identified_by})")
    arch = gpu.arch
    if gpu.vendor == "amd" and machine.hsa_override:
        arch = _override_target(machine.hsa_override) or arch
    if arch and not arch_runs(arch, archs, ptx):  # (then no newer driver would help)
        # gfx targets only; "" (no override known for this one) is no target.
        override = project.gpus.get("hsa_override", {}).get(gpu.arch, "")
        target = _override_target(override)
        if target in archs:
            return GpuVerdict(
                True,
                f"{label}: with HSA_OVERRIDE_GFX_VERSION={override} it runs the {target} kernels "
                f"of {backend}",
                f"export HSA_OVERRIDE_GFX_VERSION={override} (not supported by AMD; "
                f"{project.gpus['hsa_override_source']})",
            )
        return GpuVerdict(False, f"{label}: {backend} has no kernels for it")
    if floor and gpu.driver and version_key(gpu.driver) < version_key(floor):
        fix = f"update the NVIDIA driver to {floor} or newer"
        why = f"{label}: driver {gpu.driver} is older than {backend}'s floor {floor}"
        return GpuVerdict(False, why, fix, then_runs=True)
    if not arch:
        return GpuVerdict(True, f"{gpu.name}: architecture unknown, assumed to have kernels")
    via = f" as HSA_OVERRIDE_GFX_VERSION={machine.hsa_override} says" if arch != gpu.arch else ""
    driver = f", driver {gpu.driver} >= {floor}" if floor and gpu.driver else ""
    return GpuVerdict(True, f"{label}{driver}{via}", native=not via)


def _arch_key(gpu: Gpu) -> tuple:
    return version_key(gpu.arch) if gpu.arch else (math.inf,)  # unknown: it may be the newest


def _selected(machine: Machine, gpus: list[Gpu], vendor: str) -> tuple[list[Gpu], str]:
    """The GPUs a visibility variable chooses among these ([] where none is set), and which."""
    # ZE_AFFINITY_MASK's numbers are Level Zero's, not a list of the GPUs torch counts.
    choosing = [v for v in machine.visible if vendor in VISIBILITY[v] and v != "ZE_AFFINITY_MASK"]
    for variable in choosing:
        value = machine.visible[variable]
        wanted = [token.strip() for token in value.split(",") if token.strip()]
        chosen = [
            gpu
            for gpu in gpus
            if any(
                (token.isdigit() and int(token) == gpu.index)
                or (gpu.uuid and token.startswith("GPU-") and gpu.uuid.startswith(token))
                for token in wanted
            )
        ]
        if chosen:
            return chosen, f"{variable}={value}"
    return [], ""


@dataclass
class Verdict:
    """Whether a build can use this machine's GPUs, judged for the ones that matter."""

    runs: bool
    why: str
    warnings: list[str] = field(default_factory=list)  # GPUs left out, and what is unsure
    fixes: list[str] = field(default_factory=list)  # known fixes that make or keep it running
    gpus: list[Gpu] = field(default_factory=list)  # the GPUs judged for
    then_runs: bool = False  # it does not run, but will once the fixes are made


PLATFORMS_OF = {
    "cuda": ("linux-x86_64", "linux-aarch64", "windows-x86_64"),
    "rocm": ("linux-x86_64",),
    "xpu": ("linux-x86_64", "windows-x86_64"),
}


def judge(project: Project, backend: str, machine: Machine) -> Verdict:
    """Whether this machine can run the `backend` build on its GPUs.

    The GPUs judged are those a visibility variable chooses, else the newest; the others are
    named in warnings where the build cannot use them. Variables that hide every GPU from this
    process do not change the judgment: what is installed is for the machine.
    """
    kind = kind_of(backend)
    if kind == "cpu":
        mps = " (and uses the Apple GPU through MPS)" if machine.platform == "macos-arm64" else ""
        return Verdict(True, "the CPU build runs anywhere" + mps)
    if machine.platform not in PLATFORMS_OF[kind]:
        return Verdict(False, f"{machine.platform} has no {kind.upper()} build")
    vendor = VENDOR[kind]
    gpus = machine.of(vendor)
    verdicts = {id(gpu): gpu_runs(project, backend, gpu, machine) for gpu in gpus}
    # Integrated graphics count where the build targets them itself (ROCm's Strix, the Core
    # Ultra processors the XPU builds list), not through an override; a Jetson's GPU is the GPU.
    usable = [
        g
        for g in gpus
        if not g.integrated or g.jetson or vendor == "intel" or verdicts[id(g)].native
    ]
    if not usable:
        names = ", ".join(gpu.arch or gpu.name for gpu in gpus)
        ignored = f" (integrated {names} ignored)" if gpus else ""
        return Verdict(False, f"no {VENDOR_NAME[vendor]} GPU found{ignored}")
    chosen, variable = _selected(machine, usable, vendor)
    if not chosen:
        newest = max(_arch_key(g) for g in usable)
        chosen = [g for g in usable if _arch_key(g) == newest]
    warnings = [
        f"{verdicts[id(g)].why}: this build cannot use it"
        for g in usable
        if g not in chosen and not verdicts[id(g)].runs
    ]
    if variable:
        warnings.insert(0, f"judged for the GPUs {variable} chooses")
    failing = [verdicts[id(g)] for g in chosen if not verdicts[id(g)].runs]
    fixes = list(dict.fromkeys(v.fix for v in (verdicts[id(g)] for g in chosen) if v.fix))
    if failing:
        then_runs = all(v.then_runs for v in failing)
        return Verdict(False, "; ".join(v.why for v in failing), warnings, fixes, chosen, then_runs)
    why = "; ".join(verdicts[id(g)].why for g in chosen)
    return Verdict(True, why, warnings, fixes, chosen)


def can_run(project: Project, backend: str, machine: Machine) -> tuple[bool, str]:
    """Whether this machine can run the `backend` build, in one line."""
    verdict = judge(project, backend, machine)
    return verdict.runs, verdict.why


def newest_first(backend: str) -> tuple:
    rank = ("cuda", "rocm", "xpu", "cpu").index(kind_of(backend))
    return (rank, tuple(-n for n in version_key(backend)))


def describe(machine: Machine) -> list[str]:
    lines = [f"platform: {machine.platform}{' (WSL)' if machine.wsl else ''}"]
    for gpu in machine.gpus:
        told = f" from {gpu.identified_by}" if gpu.identified_by else ""
        arch = f"{gpu.arch}{told}" if gpu.arch else (gpu.identified_by or "architecture unknown")
        details = ", ".join(
            part
            for part in (
                arch,
                f"driver {gpu.driver}" if gpu.driver else "",
                "integrated" if gpu.integrated else "",
                "not usable by this process" if not gpu.reachable else "",
            )
            if part
        )
        lines.append(f"found: {gpu.name} ({details}) via {gpu.evidence}")
    if not machine.gpus:
        lines.append("found: no GPU")
    for name, value in machine.hidden.items():
        lines.append(
            f"note: {name}={value!r} hides the GPUs from programs run with it; "
            "what to install is judged for the machine"
        )
    lines.extend(f"note: {note}" for note in machine.notes)
    lines.extend(f"fix: {fix}" for fix in machine.fixes)
    return lines


def pick(project: Project, extras: dict, machine: Machine) -> tuple[str | None, list[str]]:
    """The extra to install here (newest GPU build that runs, else the CPU one), and why.

    `extras`: extra name -> the backend it installs on this platform.
    """
    reasons = describe(machine)
    order = sorted(extras, key=lambda extra: (newest_first(extras[extra]), extra != extras[extra]))
    runs, verdicts = [], {}
    for extra in order:
        verdict = verdicts[extra] = judge(project, extras[extra], machine)
        label = extra if extra == extras[extra] else f"{extra} ({extras[extra]} here)"
        reasons.append(f"{'runs' if verdict.runs else 'cannot run'}: {label}: {verdict.why}")
        if verdict.runs:
            runs.append(extra)
    gpu = [extra for extra in runs if kind_of(extras[extra]) != "cpu"]
    chosen = (gpu or runs or [None])[0]
    if chosen is None:
        reasons.append("none of the extras runs here, and the project has no CPU extra")
    elif gpu:
        reasons.append(f"chosen: {chosen}, the newest build that runs here")
        reasons.extend(f"warning: {w}" for w in verdicts[chosen].warnings)
    else:
        reasons.append(f"chosen: {chosen}, no GPU build runs here")
    fixes = verdicts[chosen].fixes if chosen else []
    if not gpu:  # the known fixes that would let a GPU extra run
        fixes = [f for extra in order for f in verdicts[extra].fixes]
    reasons.extend(f"fix: {fix}" for fix in dict.fromkeys(fixes))
    return chosen, reasons


def alternatives(project: Project, machine: Machine) -> list[str]:
    """The GPU builds of this torch that run here, newest first (this project's or not)."""
    builds = sorted((b for b in project.runtimes if kind_of(b) != "cpu"), key=newest_first)
    return [backend for backend in builds if judge(project, backend, machine).runs]


def after_fixes(project: Project, machine: Machine) -> list[tuple[str, list[str]]]:
    """The GPU builds of this torch that run here once known fixes are made (a newer driver),
    newest first, each with those fixes: where none runs now, what would make one run."""
    verdicts = [(b, judge(project, b, machine)) for b in sorted(project.runtimes, key=newest_first)]
    return [(backend, verdict.fixes) for backend, verdict in verdicts if verdict.then_runs]


def update_command(*data: str) -> str:
    """The `copier update` that gives the project these answers (`key=value` each)."""
    return " ".join([UPDATE_COMMAND, *(f"--data {d}" for d in data)])


def adding(project: Project, backend: str) -> str:
    """The `copier update` that offers `backend` beside the project's builds, one extra each:
    what a project could add for one machine, never taking away what it has."""
    backends = ", ".join(f'"{b}"' for b in dict.fromkeys([*project.data["backends"], backend]))
    return update_command("backend_selection=extra", f"'backends=[{backends}]'")


def platform_advice(project: Project, backend: str, machine: Machine) -> tuple[bool, list[str]]:
    """In platform mode: whether the project's build is right for this machine, and what to
    say. Never advice to give up the project's build: a CUDA build runs on a machine without
    a GPU too; where a GPU cannot use it, what fixes it or what the project could add."""
    verdict = judge(project, backend, machine)
    kind = kind_of(backend)
    # The project's build first (PICK_BACKEND may name another; platform mode has one).
    own = [*project.data["backends"], backend]
    ours = own[0]
    fitting = [b for b in alternatives(project, machine) if b not in own]
    # A GPU build that runs here, which the project could add (where its own build cannot use
    # this machine's GPU, or is the CPU one, or is for another vendor's GPUs).
    later = [(b, fixes) for b, fixes in after_fixes(project, machine) if b not in own]
    offer = []
    if fitting:
        offer.append(
            f"the project could offer {fitting[0]} for this machine beside {ours}, "
            f"one extra each: {adding(project, fitting[0])}"
        )
    elif later and not verdict.then_runs:  # a driver update would not make its own build run
        backend_later, fixes = later[0]
        offer.append(
            f"{'; '.join(fixes)}: then the project could offer {backend_later} for this machine "
            f"beside {ours}, one extra each: {adding(project, backend_later)}"
        )
    if verdict.runs:
        lines = [f"ok: the {backend} build runs here: {verdict.why}"]
        lines += [f"warning: {w}" for w in verdict.warnings]
        lines += [f"fix: {f}" for f in verdict.fixes]
        return True, lines + (offer if kind == "cpu" else [])
    if not verdict.gpus:
        return True, [
            f"ok: the {backend} build installs here and runs on the CPU: {verdict.why}",
            *offer,
        ]
    lines = [f"warning: this machine's GPU cannot use the project's {backend} build: {verdict.why}"]
    lines += [f"warning: {w}" for w in verdict.warnings]
    lines += [f"fix: {f}" for f in verdict.fixes]
    lines += offer
    lines.append(f"until then torch runs on the CPU here; the project keeps {backend}")
    return False, lines
