"""What tools/torch_hardware.py makes of a machine, field by field: for each fake machine (tools
printing what the real ones print, a / tree as the kernel lays it out), the whole `Machine`
(every GPU with its vendor, name, architecture, driver, evidence, index, and the notes and fixes)
is compared with tests/data/golden/machines/<case>.json with what the tools conclude from it
(each build judged, the extra picked, the platform-mode advice), and the picker's output on such
machines with tests/data/golden/picks/<case>.txt. `UPDATE_GOLDEN=1` rewrites them."""

from __future__ import annotations

import dataclasses
import json
import re
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
SYCL_LS_ARC = (
    "[opencl:cpu][opencl:0] Intel(R) OpenCL, Intel(R) Core(TM) i9-13900K OpenCL 3.0 (Build 0) [2024.18.6.0.02_160000]\n"
    "[level_zero:gpu][level_zero:0] Intel(R) Level-Zero, Intel(R) Arc(TM) A770 Graphics 12.55.8 [1.3.29735]\n"
    "[level_zero:gpu][level_zero:1] Intel(R) Level-Zero, Intel(R) UHD Graphics 770 12.2.0 [1.3.29735]\n"
)
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
                        "sys/class/kfd/kfd/topology/nodes/6/properties": "gfx_target_version 90402\n",
                        "sys/class/kfd/kfd/topology/nodes/README": "not a node\n",
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
            # A virtual display first, a connector beside its card, then the Intel cards; sysfs
            # tells, so sycl-ls (which would list the Arc again) is not asked.
            lambda: (
                fake.files(
                    {
                        "sys/class/drm/card0/device/vendor": "0x1af4\n",
                        "sys/class/drm/card0/device/device": "0x1050\n",
                        "sys/class/drm/card0-Virtual-1/status": "connected\n",
                        "sys/class/drm/card1/device/vendor": "0x8086\n",
                        "sys/class/drm/card1/device/device": "0x4680\n",
                        "sys/class/drm/card2/device/vendor": "0x8086\n",
                        "sys/class/drm/card2/device/device": "0x56a0\n",
                    }
                ),
                fake.tool("sycl-ls", SYCL_LS_ARC),
            ),
            "linux-x86_64",
        ),
        # Integrated graphics the XPU builds list (Meteor Lake-H), and a Flex card they do not.
        "intel-meteor-lake-laptop": (
            lambda: (
                fake.files(
                    {
                        "sys/class/drm/card1/device/vendor": "0x8086\n",
                        "sys/class/drm/card1/device/device": "0x7d55\n",
                    }
                ),
                fake.tool("sycl-ls", SYCL_LS_ARC),  # not asked: sysfs told
            ),
            "linux-x86_64",
        ),
        "intel-data-center-flex": (
            lambda: (
                fake.files(
                    {
                        "sys/class/drm/card0/device/vendor": "0x8086\n",
                        "sys/class/drm/card0/device/device": "0x56c0\n",
                    }
                ),
                fake.tool("sycl-ls", SYCL_LS_ARC),
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
        "nvidia-mismatch-knowing-no-versions": (
            lambda: (
                fake.tool(
                    "nvidia-smi", "Failed to initialize NVML: Driver/library version mismatch\n", status=18
                ),
                fake.files(nvidia_in_proc("0000:01:00.0", "NVIDIA GeForce RTX 4090", "2684")),
            ),
            "linux-x86_64",
        ),
        # A Jetson Thor whose nvidia-smi fails: its GPU in /proc, the module's version L4T's
        # release rather than a driver's (no driver floor is judged from it), no second GPU
        # from the L4T file.
        "jetson-thor-nvidia-smi-fails": (
            lambda: (
                fake.tool(
                    "nvidia-smi",
                    "Unable to determine the device handle for GPU0: Unknown Error\n",
                    status=255,
                ),
                fake.files(
                    {
                        "etc/nv_tegra_release": "# R38 (release), REVISION: 2.0\n",
                        "sys/module/nvidia/version": "38.2.0\n",
                        **nvidia_in_proc("0000:01:00.0", "NVIDIA Thor", "2b00"),
                    }
                ),
            ),
            "linux-aarch64",
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
        # JetPack 6's nvidia-smi (pull request 371 of anduril/jetpack-nixos shows its table):
        # `Orin (nvgpu)`, driver 540.4.0, most fields N/A; the name tells the architecture.
        "jetson-jetpack6-nvidia-smi": (
            lambda: (
                fake.nvidia_smi(
                    {
                        "name": "Orin (nvgpu)",
                        "driver_version": "540.4.0",
                        "uuid": "[N/A]",
                        "pci.bus_id": "[N/A]",
                        "pci.device_id": "[N/A]",
                    }
                ),
                fake.files({"etc/nv_tegra_release": "# R36 (release), REVISION: 4.3\n"}),
            ),
            "linux-aarch64",
        ),
        # A driver before 510 (no compute_cap) and a PCI id the data does not know: the name
        # tells; a row without a usable index takes its place in the list.
        "nvidia-old-driver-unknown-pci-id": (
            lambda: fake.nvidia_smi(
                nvidia("Tesla T4", "7.5", "470.256.02", "1eb9"),
                {"name": "NVIDIA A100-PCIE-40GB", "index": "[N/A]", "driver_version": "470.256.02"},
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
        "sycl-ls-arc-and-uhd": (lambda: fake.tool("sycl-ls", SYCL_LS_ARC, expect=[]), "linux-x86_64"),
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
            # PowerShell writes its errors on stderr.
            lambda: fake.tool("powershell", "Get-CimInstance : Access denied\n", status=1, stderr=True),
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
                        "proc/driver/nvidia/gpus/0010:3B:0A.0/information": (
                            "Model: \t\t Tesla V100-SXM2-32GB\nGPU UUID: \t GPU-1db5\n"
                            "Bus Location: \t 0010:3B:0A.0\n"
                        ),
                        "sys/bus/pci/devices/0010:3b:0a.0/device": "0x1DB5\n",
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
            # A model that is not UTF-8 throughout (a board vendor's firmware) is still read.
            lambda: (
                # JetPack 7's open kernel module makes /dev/nvidia0: the Jetson, not a second GPU
                fake.files({"etc/nv_tegra_release": "# R38 (release), REVISION: 2.0\n", "dev/nvidia0": ""}),
                (fake.root / "proc/device-tree").mkdir(parents=True),
                (fake.root / "proc/device-tree/model").write_bytes(b"NVIDIA Jetson AGX Thor \xae\x00"),
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


def test_an_extra_mode_project_s_platforms_are_every_extra_s_sorted():
    project = project_for(
        torch_version="2.12",
        backend_selection="extra",
        backends=["rocm7.2", "cpu"],
        platforms=["macos-arm64", "linux-x86_64"],
    )
    assert project.platforms() == ["linux-x86_64", "macos-arm64"]


def test_a_tool_runs_with_the_environment_it_is_given(tmp_path):
    """rocminfo lists only the agents ROCR_VISIBLE_DEVICES leaves it: the tools see this
    process's variables (here the test's), not the interpreter's own."""
    script = tmp_path / "echo-visible"
    script.write_text('#!/bin/sh\nprintf %s "$ROCR_VISIBLE_DEVICES"\n')
    script.chmod(0o755)
    env = {"PATH": str(tmp_path), "ROCR_VISIBLE_DEVICES": "1"}
    assert torch_hardware._run(["echo-visible"], env) == (0, "1")


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
                backend: [verdict.runs, verdict.why, verdict.fixes]
                for backend in ("cpu", "cu130", "rocm7.2", "xpu")
                for verdict in [torch_hardware.judge(empty, backend, found)]
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


@pytest.mark.parametrize(("sbsa_from_l4t", "jetson"), [(38, True), (36, False)])
def test_the_l4t_release_from_which_a_jetson_s_cuda_is_sbsa_comes_from_the_data(
    tmp_path, sbsa_from_l4t, jetson
):
    fake = FakeMachine(tmp_path)
    fake.files({"etc/nv_tegra_release": "# R36 (release), REVISION: 4.3\n"})
    facts = {**PROJECT.gpus, "jetson": {**PROJECT.gpus["jetson"], "sbsa_from_l4t": sbsa_from_l4t}}
    [gpu] = torch_hardware.detect(fake.env, fake.root, facts, "linux-aarch64").gpus
    assert (gpu.name, gpu.jetson) == ("NVIDIA Jetson", jetson)


def _gpu(vendor, name, arch, **fields):
    return torch_hardware.Gpu(vendor, name, arch, **fields)


def test_a_gpu_of_unknown_architecture_is_judged_as_if_it_were_the_newest():
    machine = torch_hardware.Machine(
        [_gpu("nvidia", "NVIDIA RTX 5090", "sm_120"), _gpu("nvidia", "NVIDIA Next", "")],
        platform="linux-x86_64",
    )
    verdict = torch_hardware.judge(PROJECT, "cu130", machine)
    assert [g.name for g in verdict.gpus] == ["NVIDIA Next"]


def test_every_gpu_judged_that_fails_is_named_and_every_integrated_one_ignored():
    old = [_gpu("nvidia", f"NVIDIA GeForce GTX 1080 #{n}", "sm_61", driver="580.65.06") for n in (1, 2)]
    verdict = torch_hardware.judge(PROJECT, "cu130", torch_hardware.Machine(old, platform="linux-x86_64"))
    assert verdict.why == (
        "NVIDIA GeForce GTX 1080 #1 (sm_61): cu130 has no kernels for it; "
        "NVIDIA GeForce GTX 1080 #2 (sm_61): cu130 has no kernels for it"
    )
    apus = [
        _gpu("amd", name, arch, integrated=True) for name, arch in (("780M", "gfx1103"), ("610M", "gfx1036"))
    ]
    verdict = torch_hardware.judge(PROJECT, "rocm7.2", torch_hardware.Machine(apus, platform="linux-x86_64"))
    assert verdict.why == "no AMD GPU found (integrated gfx1103, gfx1036 ignored)"


@pytest.mark.parametrize(
    "gpu",
    [
        _gpu("nvidia", "Orin", "sm_87", jetson=True),
        _gpu("nvidia", "NVIDIA GeForce RTX 4090", "sm_89", driver="470.256.02"),
        _gpu("nvidia", "NVIDIA GeForce GTX 1080", "sm_61", driver="580.65.06"),
    ],
)
def test_a_gpu_that_cannot_run_a_build_is_false_not_just_falsy(gpu):
    machine = torch_hardware.Machine([gpu], platform="linux-x86_64")
    assert torch_hardware.gpu_runs(PROJECT, "cu130", gpu, machine).runs is False


def test_hsa_override_gfx_version_changes_how_amd_gpus_are_judged_not_nvidia_ones():
    gpu = _gpu("nvidia", "NVIDIA GeForce RTX 4090", "sm_89", driver="580.65.06")
    machine = torch_hardware.Machine([gpu], hsa_override="10.3.0", platform="linux-x86_64")
    assert torch_hardware.judge(PROJECT, "cu130", machine).runs


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{", "Expecting property name"),
        (
            '{"mode": "platform", "routes": {}, "gpus": {}, "libraries": {}}',
            "missing or malformed: runtimes, backends, torch_series, sync_command",
        ),
        (
            # a hand edit: null where the template writes a list, a number for a text
            '{"mode": "platform", "routes": {}, "runtimes": {}, "gpus": {}, "backends": null, '
            '"libraries": {}, "torch_series": 2.9, "sync_command": "uv sync"}',
            "missing or malformed: backends, torch_series",
        ),
        (
            "[]",
            "missing or malformed: mode, routes, runtimes, gpus, backends, libraries, torch_series, sync_command",
        ),
        (
            "5",
            "missing or malformed: mode, routes, runtimes, gpus, backends, libraries, torch_series, sync_command",
        ),
        (b"\xff", "codec can't decode"),
    ],
)
def test_a_data_file_that_is_not_one_the_template_writes_is_named_broken(tmp_path, text, why):
    path = tmp_path / "torch_project.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(torch_hardware.ProjectError, match=re.escape(why)):
        torch_hardware.load_project(path)


def test_which_variables_hide_every_gpu_and_which_choose_some():
    env = {
        "CUDA_VISIBLE_DEVICES": "NoDevFiles",  # what SLURM sets in a job given no GPU
        "HIP_VISIBLE_DEVICES": "-1",
        "ROCR_VISIBLE_DEVICES": "0,1",
        "ZE_AFFINITY_MASK": "none",
    }
    assert torch_hardware._visibility(env) == (
        {"CUDA_VISIBLE_DEVICES": "NoDevFiles", "HIP_VISIBLE_DEVICES": "-1", "ZE_AFFINITY_MASK": "none"},
        {"ROCR_VISIBLE_DEVICES": "0,1"},
    )
    assert torch_hardware._visibility({"CUDA_VISIBLE_DEVICES": " ", "ZE_AFFINITY_MASK": ""}) == (
        {"CUDA_VISIBLE_DEVICES": " "},
        {},
    )


def test_a_gpu_newer_than_every_cubin_runs_a_build_through_its_ptx():
    future = _gpu("nvidia", "NVIDIA Next", "sm_130", driver="590.10")
    machine = torch_hardware.Machine([future], platform="linux-x86_64")
    assert torch_hardware.judge(PROJECT, "cu130", machine).runs  # compute_120
    assert not torch_hardware.judge(PROJECT, "cu126", machine).runs  # no PTX


@pytest.mark.parametrize(
    ("system", "machine", "platform"),
    [
        ("linux", "x86_64", "linux-x86_64"),
        ("linux", "aarch64", "linux-aarch64"),
        ("darwin", "arm64", "macos-arm64"),
        ("win32", "AMD64", "windows-x86_64"),
        ("win32", "ARM64", "windows-arm64"),
    ],
)
def test_the_platform_is_named_as_the_answers_name_it(monkeypatch, system, machine, platform):
    monkeypatch.setattr(torch_hardware.sys, "platform", system)
    monkeypatch.setattr(torch_hardware.platform, "machine", lambda: machine)
    assert torch_hardware.current_platform() == platform


def test_a_variable_hiding_every_gpu_is_named_and_what_is_installed_is_judged_for_the_machine():
    machine = torch_hardware.Machine(hidden={"CUDA_VISIBLE_DEVICES": "-1"}, platform="linux-x86_64")
    assert torch_hardware.describe(machine) == [
        "platform: linux-x86_64",
        "found: no GPU",
        "note: CUDA_VISIBLE_DEVICES='-1' hides the GPUs from programs run with it; "
        "what to install is judged for the machine",
    ]


def test_an_nvidia_smi_that_times_out_is_not_taken_for_an_old_driver(monkeypatch):
    """The time-out's message repeats the query, compute_cap with it: asked once, no note."""
    calls = []

    def hung(command, env):
        calls.append(command)
        return -1, f"nvidia-smi could not run: Command '{command}' timed out after 20 seconds"

    monkeypatch.setattr(torch_hardware, "_run", hung)
    machine = torch_hardware.Machine(platform="linux-x86_64")
    status, _ = torch_hardware._nvidia_smi({}, machine, PROJECT.gpus)
    assert (status, len(calls), machine.notes) == (-1, 1, [])


def test_where_no_build_runs_until_a_driver_update_the_newest_that_would_is_offered():
    rocm = project_for(torch_version="2.9", backends=["rocm6.4"])
    rtx_4090 = _gpu("nvidia", "NVIDIA GeForce RTX 4090", "sm_89", driver="470.82")
    machine = torch_hardware.Machine([rtx_4090], platform="linux-x86_64")
    assert torch_hardware.after_fixes(rocm, machine) == [
        ("cu130", ["update the NVIDIA driver to 580 or newer"]),
        ("cu129", ["update the NVIDIA driver to 525.60.13 or newer"]),
        ("cu128", ["update the NVIDIA driver to 525.60.13 or newer"]),
        ("cu126", ["update the NVIDIA driver to 525.60.13 or newer"]),
    ]
    runs, lines = torch_hardware.platform_advice(rocm, "rocm6.4", machine)
    assert runs and lines[1] == (
        "update the NVIDIA driver to 580 or newer: then the project could offer cu130 for this "
        "machine beside rocm6.4, one extra each: uvx --with copier-template-extensions copier "
        """update --trust --defaults --data backend_selection=extra --data 'backends=["rocm6.4", "cu130"]'"""
    )
