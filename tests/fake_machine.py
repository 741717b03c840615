"""Fake machines for the tools: executables on PATH that print what the real tools print
(nvidia-smi, rocminfo, amd-smi, sycl-ls, powershell), and a / tree (/proc, /sys, /dev, /etc)."""

from __future__ import annotations

import functools
import textwrap
import warnings
from pathlib import Path
from types import SimpleNamespace

import pick_backend
import torch_hardware

from helpers import NO_MPS, nvidia_smi, project_json, tool

ROCMINFO_MI300X = """\
ROCk module version 6.10.5 is loaded
=====================
HSA System Attributes
=====================
Runtime Version:         1.15
==========
HSA Agents
==========
*******
Agent 1
*******
  Name:                    AMD EPYC 9654 96-Core Processor
  Marketing Name:          AMD EPYC 9654 96-Core Processor
  Vendor Name:             CPU
  Device Type:             CPU
*******
Agent 2
*******
  Name:                    gfx942
  Uuid:                    GPU-4b1f5c0a8e2d7c13
  Marketing Name:          AMD Instinct MI300X
  Vendor Name:             AMD
  Feature:                 KERNEL_DISPATCH
  Device Type:             GPU
  ISA Info:
    ISA 1
      Name:                    amdgcn-amd-amdhsa--gfx942:sramecc+:xnack-
*** Done ***
"""

# rocminfo on an RX 6700 XT (ollama/ollama#8463).
ROCMINFO_6700XT = """\
ROCk module is loaded
==========
HSA Agents
==========
*******
Agent 1
*******
  Name:                    AMD Ryzen 7 5800X 8-Core Processor
  Marketing Name:          AMD Ryzen 7 5800X 8-Core Processor
  Device Type:             CPU
*******
Agent 2
*******
  Name:                    gfx1031
  Uuid:                    GPU-XX
  Marketing Name:          AMD Radeon RX 6700 XT
  Vendor Name:             AMD
  Feature:                 KERNEL_DISPATCH
  Device Type:             GPU
"""


def files(root: Path, tree: dict[str, str]) -> None:
    for relative, text in tree.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def kfd_node(gfx_target_version: int, simd: int, cpu_cores: int = 0, local_mem: int = 0) -> str:
    return (
        f"cpu_cores_count {cpu_cores}\nsimd_count {simd}\nmem_banks_count 1\n"
        f"gfx_target_version {gfx_target_version}\nlocal_mem_size {local_mem}\n"
    )


def nvidia(name: str, capability: str, driver: str, device_id: str = "0000") -> dict:
    """One GPU as nvidia-smi reports it (see helpers.nvidia_smi)."""
    return {"name": name, "compute_cap": capability, "driver_version": driver, "device_id": device_id}


def nvidia_in_proc(bus: str, model: str, device_id: str) -> dict[str, str]:
    """An NVIDIA GPU as the kernel module and sysfs show it (/proc/driver/nvidia/gpus/<bus>/
    information, /sys/bus/pci/devices/<bus>/device), laid out as the driver writes them."""
    return {
        f"proc/driver/nvidia/gpus/{bus}/information": (
            f"Model: \t\t {model}\nIRQ:   \t\t 169\nGPU UUID: \t GPU-{device_id}-0000\n"
            f"Video BIOS: \t 94.02.42.00.a9\nBus Type: \t PCIe\nBus Location: \t {bus}\n"
            "Device Minor: \t 0\nGPU Excluded:\t No\n"
        ),
        f"sys/bus/pci/devices/{bus}/vendor": "0x10de\n",
        f"sys/bus/pci/devices/{bus}/device": f"0x{device_id}\n",
    }


def picker_for(directory: Path, **answers):
    """pick_backend.main, reading the data file of a project with these answers."""
    path = directory / "torch_project.json"
    path.write_text(project_json(**answers))
    return functools.partial(pick_backend.main, project_file=path)


class FakeMachine:
    """`machine.tool(...)`, `machine.nvidia_smi(...)`, `machine.files(...)`, then
    `machine.pick(picker, capsys)` or `machine.detect(project)`."""

    def __init__(self, directory: Path):
        self.root = directory / "root"
        self.bin = directory / "bin"
        self.env = {"PATH": str(self.bin)}
        self.root.mkdir(parents=True, exist_ok=True)
        self.bin.mkdir(parents=True, exist_ok=True)

    def tool(self, *args, **kwargs) -> None:
        tool(self.bin, *args, **kwargs)

    def nvidia_smi(self, *gpus, **kwargs) -> None:
        nvidia_smi(self.bin, *gpus, **kwargs)

    def files(self, tree: dict[str, str]) -> None:
        files(self.root, tree)

    def pick(self, picker, capsys, platform: str = "", **env) -> tuple[int, str, str]:
        arguments = ["--root", str(self.root), *(["--platform", platform] if platform else [])]
        status = picker(arguments, env={**self.env, **env})
        out, err = capsys.readouterr()
        return status, out.strip(), err

    def detect(self, project, platform: str = "linux-x86_64", **env) -> torch_hardware.Machine:
        return torch_hardware.detect({**self.env, **env}, self.root, project.gpus, platform)


def fake_torch(version, cuda=None, devices=(), arch_list=(), warning="", hip=None):
    """A torch whose CUDA sees `devices` ((name, major, minor), ...), warning on is_available."""

    def is_available():
        if warning:
            warnings.warn(warning, UserWarning, stacklevel=2)
        return bool(devices)

    def properties(device):
        name, major, minor, *gcn = devices[int(str(device).split(":")[1])]
        gcn_arch = {"gcnArchName": gcn[0]} if gcn else {}
        return SimpleNamespace(name=name, major=major, minor=minor, total_memory=32 * 2**30, **gcn_arch)

    return SimpleNamespace(
        __version__=version,
        version=SimpleNamespace(cuda=cuda, hip=hip),
        cuda=SimpleNamespace(
            is_available=is_available,
            device_count=lambda: len(devices),
            get_device_properties=properties,
            get_arch_list=lambda: list(arch_list),
        ),
        backends=SimpleNamespace(mps=NO_MPS),
    )
