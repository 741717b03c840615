"""What tools/torch_hardware.py makes of a machine, field by field: for each fake machine (tools
printing what the real ones print, a / tree as the kernel lays it out), the whole `Machine`
(every GPU with its vendor, name, architecture, driver, evidence, index, and the notes and fixes)
is compared with tests/data/golden/machines/<case>.json with what the tools conclude from it
(each build judged, the extra picked, the platform-mode advice), and the picker's output on such
machines with tests/data/golden/picks/<case>.txt. `UPDATE_GOLDEN=1` rewrites them."""

from __future__ import annotations

import dataclasses
import json
import sys

import pick_backend
import pytest
import torch_hardware

from fake_machine import (
    ROCMINFO_6700XT,
    ROCMINFO_MI300X,
    FakeMachine,
    files,
    kfd_node,
    nvidia,
    nvidia_in_proc,
    picker_for,
)
from helpers import assert_golden, project_for

PROJECT = project_for(
    torch_version="2.12", backend_selection="extra", backends=["cpu", "cu130", "rocm7.2", "xpu"]
)

# What the tools ask Windows for its video controllers (PowerShell's Get-CimInstance).
WIN32_VIDEO_CONTROLLERS = (
    "Get-CimInstance Win32_VideoController | ForEach-Object { $_.Name + '|' + $_.PNPDeviceID }"
)
CU130_PROJECT = project_for(torch_version="2.12", backends=["cu130"])
AMD_SMI = (
    "GPU: 0\n    ASIC:\n        MARKET_NAME: AMD Instinct MI300X\n        VENDOR_ID: 0x1002\n"
    "        DEVICE_ID: 0x74a1\n        TARGET_GRAPHICS_VERSION: gfx942\n"
    "GPU: 1\n    ASIC:\n        MARKET_NAME: AMD Radeon 780M\n        TARGET_GRAPHICS_VERSION: gfx1103\n"
    "GPU: 2\n    ASIC:\n        TARGET_GRAPHICS_VERSION: gfx1100\n"
)
# A Ryzen APU's GPU agent as rocminfo lists it (its memory is the system's).
ROCMINFO_APU = """\
*******
Agent 3
*******
  Name:                    gfx1151
  Marketing Name:          AMD Radeon 8060S Graphics
  Device Type:             GPU
  Memory Properties:       APU
"""
# The driver and NVML disagree after an upgrade without a reboot (NVIDIA forums, many threads).
NVML_MISMATCH = "Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 580.95\n"
PROC_VERSION = (
    "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.133.20  Release Build  "
    "(dvs-builder@U16-I3-B03-4-3)  Tue Mar 25 18:10:10 UTC 2025\nGCC version:  gcc version 12.2.0\n"
)


def machines(fake: FakeMachine) -> dict:
    """case -> (how to set the fake machine up, the platform)."""
    return {
        "nvidia-smi-two-gpus": (
            lambda: fake.nvidia_smi(
                nvidia("NVIDIA GeForce RTX 5090", "12.0", "580.65.06", "2b85"),
                nvidia("NVIDIA GeForce GTX 1080 Ti", "6.1", "580.65.06", "1b06"),
            ),
            "linux-x86_64",
        ),
        "nvidia-driver-mismatch": (
            lambda: (
                fake.tool("nvidia-smi", NVML_MISMATCH, status=18),
                fake.files(
                    {
                        "proc/driver/nvidia/version": PROC_VERSION,
                        **nvidia_in_proc("0000:01:00.0", "NVIDIA H100 80GB HBM3", "2330"),
                        **nvidia_in_proc("0000:41:00.0", "NVIDIA A100-SXM4-80GB", "20b2"),
                    }
                ),
            ),
            "linux-x86_64",
        ),
        "nvidia-job-without-gpu": (
            lambda: (
                fake.tool("nvidia-smi", "No devices were found\n", status=6),
                fake.files(
                    {
                        "sys/module/nvidia/version": "550.54.15\n",
                        **nvidia_in_proc("0000:3b:00.0", "Tesla V100-SXM2-32GB", "1db5"),
                    }
                ),
            ),
            "linux-x86_64",
        ),
        "amd-rocminfo": (
            # rocminfo answers first; amd-smi and the kernel's nodes are not asked again.
            lambda: (
                fake.tool("rocminfo", ROCMINFO_MI300X + ROCMINFO_APU),
                fake.tool("amd-smi", AMD_SMI, expect=["static", "--asic"]),
                fake.files(
                    {
                        "opt/rocm/.info/version": "6.4.1-120\n",
                        "dev/kfd": "",
                        "sys/class/kfd/kfd/topology/nodes/1/properties": kfd_node(90402, 304),
                    }
                ),
            ),
            "linux-x86_64",
        ),
        "amd-rocminfo-consumer": (lambda: fake.tool("rocminfo", ROCMINFO_6700XT), "linux-x86_64"),
        "amd-smi-after-rocminfo-failed": (
            lambda: (
                fake.tool("rocminfo", "ROCk module is NOT loaded, possibly no GPU devices\n", status=1),
                fake.tool("amd-smi", AMD_SMI, expect=["static", "--asic"]),
                fake.files({"sys/class/kfd/kfd/topology/nodes/1/properties": kfd_node(90402, 304)}),
            ),
            "linux-x86_64",
        ),
        "amd-kfd-nodes": (
            lambda: (
                fake.tool("rocminfo", "", status=1),
                fake.tool("amd-smi", "amd-smi: no GPUs\n", status=1),
                fake.files(
                    {
                        "dev/kfd": "",
                        "sys/class/kfd/kfd/topology/nodes/0/properties": kfd_node(0, 0, cpu_cores=16),
                        # A node the kernel lists without properties, an APU that reserves memory
                        # of its own (an MI300A's node with a CPU core), and a GPU without memory
                        # of its own.
                        "sys/class/kfd/kfd/topology/nodes/3/properties": "",
                        "sys/class/kfd/kfd/topology/nodes/4/properties": kfd_node(
                            90402, 228, cpu_cores=1, local_mem=2**29
                        ),
                        "sys/class/kfd/kfd/topology/nodes/5/properties": (
                            "simd_count 40\ngfx_target_version 100300\nlocal_mem_size 0\n"
                        ),
                        "sys/class/kfd/kfd/topology/nodes/2/properties": kfd_node(
                            110003, 24, local_mem=536870912
                        ),
                        "sys/class/kfd/kfd/topology/nodes/10/properties": kfd_node(
                            110000, 192, local_mem=2**34
                        ),
                        "sys/class/kfd/kfd/topology/nodes/1/properties": kfd_node(90402, 0),
                    }
                ),
            ),
            "linux-x86_64",
        ),
        "amd-kfd-without-gpu": (
            lambda: fake.files(
                {"dev/kfd": "", "sys/class/kfd/kfd/topology/nodes/0/properties": kfd_node(0, 0, cpu_cores=8)}
            ),
            "linux-x86_64",
        ),
        "intel-arc-and-igpu": (
            lambda: fake.files(
                {
                    "sys/class/drm/card0/device/vendor": "0x8086\n",
                    "sys/class/drm/card0/device/device": "0x4680\n",
                    "sys/class/drm/card1/device/vendor": "0x8086\n",
                    "sys/class/drm/card1/device/device": "0x56a0\n",
                    "sys/class/drm/card2/device/vendor": "0x1af4\n",
                    "sys/class/drm/card2/device/device": "0x1050\n",
                }
            ),
            "linux-x86_64",
        ),
        "nvidia-mismatch-library-from-files": (
            lambda: (
                fake.tool(
                    "nvidia-smi", "Failed to initialize NVML: Driver/library version mismatch\n", status=18
                ),
                fake.files(
                    {
                        "sys/module/nvidia/version": "570.133.20\n",
                        "usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1": "",
                        "usr/lib/x86_64-linux-gnu/libnvidia-ml.so.580.95.05": "",
                        "usr/lib64/libnvidia-ml.so.580.9": "",
                        **nvidia_in_proc("0000:01:00.0", "NVIDIA GeForce RTX 4090", "2684"),
                    }
                ),
            ),
            "linux-x86_64",
        ),
        "jetson-jetpack6": (
            lambda: fake.files(
                {
                    "etc/nv_tegra_release": "# R36 (release), REVISION: 4.3, GCID: 38968081, BOARD: generic\n",
                    "proc/device-tree/model": "NVIDIA Jetson AGX Orin Developer Kit\x00",
                    "sys/module/nvidia/version": "540.4.0\n",
                }
            ),
            "linux-aarch64",
        ),
        "jetson-jetpack7": (
            lambda: fake.files(
                {
                    "etc/nv_tegra_release": "# R38 (release), REVISION: 2.0\n",
                    "proc/device-tree/model": "NVIDIA Jetson AGX Thor Developer Kit\x00",
                }
            ),
            "linux-aarch64",
        ),
        "jetson-without-model": (
            lambda: fake.files({"etc/nv_tegra_release": "# R35 (release), REVISION: 6.0\n"}),
            "linux-aarch64",
        ),
        "nvidia-smi-lists-none": (lambda: fake.tool("nvidia-smi", "\n", expect=None), "linux-x86_64"),
        "nvidia-old-driver-without-compute-cap": (
            lambda: fake.nvidia_smi(
                nvidia("Tesla P100-PCIE-16GB", "6.0", "470.256.02", "15f8"),
                known=("index", "uuid", "name", "pci.bus_id", "pci.device_id", "driver_version"),
            ),
            "linux-x86_64",
        ),
        "dev-nvidia-nodes-without-nvidia-smi": (
            lambda: fake.files(
                {"dev/nvidia0": "", "dev/nvidia1": "", "dev/nvidiactl": "", "dev/nvidia-uvm": ""}
            ),
            "linux-x86_64",
        ),
        "dev-nvidia-nodes-and-a-failing-nvidia-smi": (
            lambda: (
                fake.tool(
                    "nvidia-smi",
                    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n",
                    status=9,
                ),
                fake.files({"dev/nvidia0": "", "dev/nvidiactl": ""}),
            ),
            "linux-x86_64",
        ),
        "sycl-ls-arc-and-uhd": (
            lambda: fake.tool(
                "sycl-ls",
                "[opencl:cpu][opencl:0] Intel(R) OpenCL, Intel(R) Core(TM) i9-13900K OpenCL 3.0 (Build 0) [2024.18.6.0.02_160000]\n"
                "[level_zero:gpu][level_zero:0] Intel(R) Level-Zero, Intel(R) Arc(TM) A770 Graphics 12.55.8 [1.3.29735]\n"
                "[level_zero:gpu][level_zero:1] Intel(R) Level-Zero, Intel(R) UHD Graphics 770 12.2.0 [1.3.29735]\n",
                expect=[],
            ),
            "linux-x86_64",
        ),
        "windows-intel-and-nvidia": (
            lambda: (
                fake.tool(
                    "powershell",
                    "NVIDIA GeForce RTX 4070|PCI\\VEN_10DE&DEV_2786&SUBSYS_40F31458&REV_A1\\4&1234&0&0008\n"
                    "Intel(R) Arc(TM) A770 Graphics|PCI\\VEN_8086&DEV_56A0&SUBSYS_10208086&REV_08\\6&5678&0&00080008\n"
                    "Intel(R) UHD Graphics 770|PCI\\VEN_8086&DEV_4680&SUBSYS_7D251462&REV_0C\\3&11583659&0&10\n",
                    expect=["-NoProfile", "-Command", WIN32_VIDEO_CONTROLLERS],
                ),
                fake.nvidia_smi(nvidia("NVIDIA GeForce RTX 4070", "8.9", "566.36", "2786")),
            ),
            "windows-x86_64",
        ),
        "windows-powershell-fails": (
            lambda: fake.tool("powershell", "Get-CimInstance : Access denied\n", status=1),
            "windows-x86_64",
        ),
        "nvidia-proc-written-in-capitals": (
            # A driver that failed after an upgrade, on a second PCI domain, ids in capitals
            # (sysfs folders are lower case): the PCI id, not the name, tells the chip.
            lambda: (
                fake.tool(
                    "nvidia-smi", "Failed to initialize NVML: Driver/library version mismatch\n", status=18
                ),
                fake.files(
                    {
                        "proc/driver/nvidia/gpus/0010:3B:00.0/information": (
                            "Model: \t\t Tesla V100-SXM2-32GB\nGPU UUID: \t GPU-1db5\n"
                            "Bus Location: \t 0010:3B:00.0\n"
                        ),
                        "sys/bus/pci/devices/0010:3b:00.0/device": "0x1DB5\n",
                        "sys/module/nvidia/version": "550.54.15\n",
                        "usr/lib64/libnvidia-ml.so.1": "",
                        "usr/lib64/libnvidia-ml.so.575.64": "",
                        "usr/lib64/libnvidia-ml.so.575.9": "",
                    }
                ),
            ),
            "linux-x86_64",
        ),
        "nvidia-smi-warns-first-and-a-name-with-a-comma": (
            lambda: fake.nvidia_smi(
                nvidia("NVIDIA RTX PRO 6000 Blackwell, Server Edition", "12.0", "580.82.07", "2bb5"),
                nvidia("NVIDIA L40S", "8.9", "580.82.07", "26b9"),
                warning="WARNING: infoROM is corrupted at gpu 0000:01:00.0",
            ),
            "linux-x86_64",
        ),
        "nvidia-proc-with-little-information-and-no-nvidia-smi": (
            lambda: fake.files(
                {
                    "proc/driver/nvidia/gpus/0000:3b:00.0/information": "IRQ: 169\n",
                    "sys/bus/pci/devices/0000:3b:00.0/device": "0x20b2\n",
                    "sys/module/nvidia/version": "570.133.20\n",
                    "dev/nvidia0": "",
                }
            ),
            "linux-x86_64",
        ),
        "nvidia-smi-that-cannot-start": (
            lambda: (
                fake.tool("nvidia-smi", ""),
                (fake.bin / "nvidia-smi").write_text("#!/nonexistent/interpreter\n"),
                fake.files(
                    {"dev/nvidia0": "", "dev/nvidia1": "", "sys/module/nvidia/version": "550.54.15\n"}
                ),
            ),
            "linux-x86_64",
        ),
        "jetson-thor-without-nvidia-smi": (
            lambda: fake.files(
                {
                    "etc/nv_tegra_release": "# R38 (release), REVISION: 2.0\n",
                    "proc/device-tree/model": "NVIDIA Jetson AGX Thor Developer Kit\x00",
                }
            ),
            "linux-aarch64",
        ),
        "macos": (lambda: None, "macos-arm64"),
        "wsl-nvidia": (
            lambda: (
                fake.nvidia_smi(nvidia("NVIDIA GeForce RTX 4070", "8.9", "566.36", "2786")),
                fake.files({"dev/dxg": ""}),
            ),
            "linux-x86_64",
        ),
    }


CASES = list(machines(None))


@pytest.mark.parametrize("case", CASES)
def test_the_machine_is_seen_as_its_tools_and_files_show_it(tmp_path, case):
    fake = FakeMachine(tmp_path)
    setup, platform = machines(fake)[case]
    setup()
    found = fake.detect(PROJECT, platform, CUDA_VISIBLE_DEVICES="GPU-2b85-0000,1")
    # And what the tools conclude from it: each build judged, the extra picked, the advice.
    judged = {
        backend: dataclasses.asdict(torch_hardware.judge(PROJECT, backend, found))
        for backend in PROJECT.runtimes
    }
    concluded = {
        "machine": dataclasses.asdict(found),
        "judged": judged,
        "picked": torch_hardware.pick(PROJECT, PROJECT.builds_here(found.platform), found)[0],
        "alternatives": torch_hardware.alternatives(PROJECT, found),
        "advice to a cu130 project": torch_hardware.platform_advice(CU130_PROJECT, "cu130", found),
    }
    text = json.dumps(concluded, indent=1, sort_keys=True).replace(str(tmp_path), "<tmp>")
    assert_golden(f"machines/{case}.json", text + "\n")


# --- the picker's whole output: status, the extra on stdout, the reasons on stderr ------------

PICKS = {
    "extra-two-gpus": ({}, "nvidia-smi-two-gpus", []),
    "extra-override-that-does-not-fit": ({"PICK_BACKEND": "rocm7.2"}, "nvidia-smi-two-gpus", []),
    "extra-override-that-fits": ({"PICK_BACKEND": "cu130"}, "nvidia-smi-two-gpus", []),
    "extra-override-unknown": ({"PICK_BACKEND": "cu999"}, "macos", []),
    "extra-platform-not-in-project": ({}, "macos", ["--platform", "windows-arm64"]),
    "extra-driver-mismatch": ({}, "nvidia-driver-mismatch", []),
    "platform-gpu-too-old": ({}, "nvidia-smi-two-gpus", []),
    "platform-override": ({"PICK_BACKEND": "cu126"}, "nvidia-smi-two-gpus", []),
    "platform-override-cpu": ({"PICK_BACKEND": "cpu"}, "nvidia-smi-two-gpus", []),
    "platform-not-in-project": ({}, "macos", ["--platform", "windows-arm64"]),
}


@pytest.mark.parametrize("case", PICKS)
def test_the_picker_says_what_it_chose_and_why(tmp_path, capsys, case):
    env, machine_case, arguments = PICKS[case]
    fake = FakeMachine(tmp_path)
    setup, platform = machines(fake)[machine_case]
    setup()
    mode = case.split("-")[0]
    answers = {"torch_version": "2.12", "backends": ["cu130"], "platforms": ["linux-x86_64", "macos-arm64"]}
    if mode == "extra":
        answers.update(backend_selection="extra", backends=["cpu", "cu130", "rocm7.2", "xpu"])
    (tmp_path / "project").mkdir()
    pick = picker_for(tmp_path / "project", **answers)
    status = pick(
        ["--root", str(fake.root), *(arguments or ["--platform", platform])], env={**fake.env, **env}
    )
    out, err = capsys.readouterr()
    assert_golden(
        f"picks/{case}.txt",
        f"exit {status}\n--- stdout\n{out}--- stderr\n{err}".replace(str(tmp_path), "<tmp>"),
    )


def test_the_picker_names_a_broken_project_file_and_its_help_says_what_it_does(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["tools/pick_backend.py"])  # the program name in its usage line
    monkeypatch.setenv("COLUMNS", "100")
    broken = tmp_path / "tools" / "torch_project.json"
    broken.parent.mkdir()
    broken.write_text("{")
    status = pick_backend.main(["--root", str(tmp_path)], env={}, project_file=broken)
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith("pick_backend: torch_project.json could not be read (Expecting property name")
    assert err.endswith("`copier update` (or `git checkout tools/torch_project.json`) restores it\n")
    with pytest.raises(SystemExit):
        pick_backend.main(["--help"], env={}, project_file=broken)
    assert_golden("picks/help.txt", capsys.readouterr().out)


def test_without_its_data_file_a_project_installs_nothing_anywhere():
    empty = torch_hardware.Project.empty()
    assert (empty.mode, empty.platforms(), empty.runtimes, empty.gpus) == ("platform", [], {}, {})
    assert empty.builds_here("linux-x86_64") == {}


def test_without_its_data_every_machine_is_still_seen(tmp_path):
    """A project whose data file is gone (Project.empty()) still sees each machine's GPUs: their
    vendor, name, evidence and driver, architectures where the tools say them, and no error."""
    seen = {}
    for case in CASES:
        fake = FakeMachine(tmp_path / case)
        setup, platform = machines(fake)[case]
        setup()
        empty = torch_hardware.Project.empty()
        found = fake.detect(empty, platform)
        seen[case] = {
            "described": torch_hardware.describe(found),
            "machine": dataclasses.asdict(found),
            "judged": {
                backend: torch_hardware.can_run(empty, backend, found)
                for backend in ("cpu", "cu130", "rocm7.2", "xpu")
            },
        }
    text = json.dumps(seen, indent=1, sort_keys=True).replace(str(tmp_path), "<tmp>")
    assert_golden("machines/without-data.json", text + "\n")


@pytest.mark.parametrize(
    ("device_id", "name", "found"),
    [
        ("2684", "", ("sm_89", "PCI device 2684: AD102")),
        ("0x2684", "NVIDIA H100", ("sm_89", "PCI device 2684: AD102")),  # as sysfs writes it
        ("268410DE", "", ("sm_89", "PCI device 2684: AD102")),  # device and vendor, as nvidia-smi
        ("ffff", "nvidia geforce rtx 3090", ("sm_86", "its name")),  # names in any case
        ("", "", ("", "")),
    ],
)
def test_an_nvidia_gpu_s_architecture_from_its_pci_id_then_its_name(device_id, name, found):
    assert torch_hardware.nvidia_arch(PROJECT.gpus, device_id, name) == found


def test_an_intel_family_from_its_pci_id_as_any_tool_writes_it():
    assert (
        torch_hardware.intel_family(PROJECT.gpus, "0x56A0")["name"]
        == torch_hardware.intel_family(PROJECT.gpus, "56a0")["name"]
    )
    assert torch_hardware.intel_family(PROJECT.gpus, "0x56A0")["xpu"] is True
    assert torch_hardware.intel_family(PROJECT.gpus, "ffff") == {}
    assert torch_hardware.intel_family({}, "56a0") == {}


@pytest.mark.parametrize(
    "directory", ["usr/lib/x86_64-linux-gnu", "usr/lib/aarch64-linux-gnu", "usr/lib64", "usr/lib"]
)
def test_the_installed_nvidia_library_is_the_newest_versioned_one(tmp_path, directory):
    assert torch_hardware._installed_nvidia_library(tmp_path) == ""
    for name in ("libnvidia-ml.so", "libnvidia-ml.so.1", "libnvidia-ml.so.580.95", "libnvidia-ml.so.580.105"):
        files(tmp_path, {f"{directory}/{name}": ""})
    assert torch_hardware._installed_nvidia_library(tmp_path) == "580.105"


@pytest.mark.parametrize(
    ("version", "target"),
    [
        ("10.3.0", "gfx1030"),
        ("11.0.0", "gfx1100"),
        ("9.4.2", "gfx942"),
        ("9.0.10", "gfx90a"),
        ("10.3", ""),
        ("ten.3.0", ""),
        ("", ""),
    ],
)
def test_hsa_override_gfx_version_names_the_target_whose_kernels_run(version, target):
    assert torch_hardware._override_target(version) == target


def test_ptx_serves_its_own_architecture_and_newer_ones():
    assert torch_hardware.arch_runs("sm_89", ["sm_90"], ["compute_89"])
    assert torch_hardware.arch_runs("sm_120", ["sm_90"], ["compute_89"])
    assert not torch_hardware.arch_runs("sm_86", ["sm_90"], ["compute_89"])
    assert torch_hardware.arch_runs("sm_87", ["sm_80", "sm_90"], [])  # same major, older minor
    assert not torch_hardware.arch_runs("gfx1031", ["gfx1030"], [])


def test_the_picker_exits_1_where_no_extra_runs_and_reads_this_process_s_environment(
    tmp_path, capsys, monkeypatch
):
    pick = picker_for(
        tmp_path, torch_version="2.12", backend_selection="extra", backends=["cu130", "rocm7.2"]
    )
    arguments = ["--root", str(tmp_path / "empty"), "--platform", "linux-x86_64"]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("PICK_BACKEND", raising=False)
    assert pick(arguments) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("pick_backend: none of the extras runs here, and the project has no CPU extra\n")
    monkeypatch.setenv("PICK_BACKEND", "rocm7.2")
    assert pick(arguments) == 0
    assert capsys.readouterr().out == "rocm7-2\n"


def test_only_the_variables_of_a_gpu_s_vendor_choose_among_its_gpus(tmp_path):
    """HIP_VISIBLE_DEVICES chooses among AMD GPUs, not NVIDIA ones; ZE_AFFINITY_MASK (whose
    numbers are Level Zero's, not a list of GPUs torch counts) chooses none."""
    fake = FakeMachine(tmp_path)
    fake.nvidia_smi(
        nvidia("NVIDIA GeForce RTX 5090", "12.0", "580.65.06", "2b85"),
        nvidia("NVIDIA GeForce GTX 1080 Ti", "6.1", "580.65.06", "1b06"),
    )
    fake.files(
        {"sys/class/drm/card1/device/vendor": "0x8086\n", "sys/class/drm/card1/device/device": "0x56a0\n"}
    )
    found = fake.detect(PROJECT, HIP_VISIBLE_DEVICES="1", ZE_AFFINITY_MASK="0")
    assert found.visible == {"HIP_VISIBLE_DEVICES": "1", "ZE_AFFINITY_MASK": "0"}
    cuda = torch_hardware.judge(PROJECT, "cu130", found)
    assert [g.name for g in cuda.gpus] == ["NVIDIA GeForce RTX 5090"] and cuda.warnings[0].startswith(
        "NVIDIA GeForce GTX"
    )
    assert torch_hardware.judge(PROJECT, "xpu", found).warnings == []
