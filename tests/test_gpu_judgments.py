"""Hardware judgments a real fleet can trust (issue 20): each case is a machine made of what the
real tools print there (the source of each output is named beside it), driven through the picker
(tools/pick_backend.py) and through the smoke check's rows (tools/torch_smoke.py), which share
one judgment (tools/torch_hardware.py)."""

from __future__ import annotations

import re

import pytest

from fake_machine import (
    ROCMINFO_6700XT,
    FakeMachine,
    fake_torch,
    kfd_node,
    nvidia,
    nvidia_in_proc,
    picker_for,
)
from helpers import project_for

EXTRAS_2_12 = {"torch_version": "2.12", "backend_selection": "extra", "backends": ["cu126", "cu130", "cpu"]}
NEVER_CPU = re.compile(r"""backends=\["cpu"\]|'backends=\["cpu"\]'""")


@pytest.fixture
def machine(tmp_path):
    return FakeMachine(tmp_path)


@pytest.fixture(scope="module")
def extras_picker(tmp_path_factory):
    return picker_for(tmp_path_factory.mktemp("extras"), **EXTRAS_2_12)


def rows(smoke, check, *args) -> dict:
    report = smoke.Report()
    check(report, *args)
    return {c.name: c for c in report.checks}


def on(smoke, monkeypatch, found):
    """The smoke check, on the machine `found` (what detection made of the fake machine)."""
    monkeypatch.setattr(smoke, "this_machine", lambda: found)
    monkeypatch.setattr(smoke, "current_platform", lambda: found.platform)
    return smoke


# --- 1. the open kernel module's version line ---------------------------------------------

# /proc/driver/nvidia/version of NVIDIA's open kernel modules (the default since R560), as in
# nix-community/nixGL#186 (565.57.01) and the issue (575.64.03); the proprietary module writes
# `NVIDIA UNIX x86_64 Kernel Module  <version>` (zzzhouuu/truenas-nvidia-drivers#19).
OPEN_MODULE = (
    "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  575.64.03  Release Build  "
    "(dvs-builder@U16-I3-B03-4-3)  Thu Jun 19 23:00:00 UTC 2025\n"
    "GCC version:  gcc version 13.3.0 (Ubuntu 13.3.0-6ubuntu2~24.04)\n"
)
PROPRIETARY = (
    "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.173.02  Tue Jun 23 08:38:17 UTC 2026\n"
    "GCC version:  gcc version 14.2.0 (Ubuntu 14.2.0-4ubuntu2~24.04.1)\n"
)


@pytest.mark.parametrize(("version", "driver"), [(OPEN_MODULE, "575.64.03"), (PROPRIETARY, "580.173.02")])
def test_1_the_driver_is_read_from_either_kernel_module(machine, version, driver):
    # A container with /proc and /sys but no nvidia-smi: an RTX 4090 (10de:2684).
    machine.files(
        {
            "proc/driver/nvidia/version": version,
            **nvidia_in_proc("0000:01:00.0", "NVIDIA GeForce RTX 4090", "2684"),
        }
    )
    found = machine.detect(project_for(**EXTRAS_2_12))
    [gpu] = found.gpus
    assert (gpu.driver, gpu.arch) == (driver, "sm_89")


def test_1_a_575_open_module_is_below_cuda_13(machine, extras_picker, capsys, smoke_for, monkeypatch):
    machine.files(
        {
            "proc/driver/nvidia/version": OPEN_MODULE,
            **nvidia_in_proc("0000:01:00.0", "NVIDIA GeForce RTX 4090", "2684"),
        }
    )
    status, out, err = machine.pick(extras_picker, capsys)
    assert (status, out) == (0, "cu126")
    assert "driver 575.64.03 is older than cu130's floor 580" in err
    smoke = on(smoke_for(**EXTRAS_2_12), monkeypatch, machine.detect(project_for(**EXTRAS_2_12)))
    checks = rows(smoke, smoke.check_devices, fake_torch("2.12.1+cu130", cuda="13.0"), "cu130")
    assert checks["driver"].status == "FAIL"
    assert checks["driver"].fix == "update the NVIDIA driver to 580 or newer or: uv sync --extra cu126"


# --- 2. a driver upgraded without a reboot ----------------------------------------------------

# nvidia-smi after an upgrade without a reboot, as in anderskm/gputil#55 (exit 18) and
# zzzhouuu/truenas-nvidia-drivers#19 (the library's version on the second line, the old module's
# in /proc).
MISMATCH = "Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 580.65\n"


def test_2_an_old_nvidia_smi_names_no_library_version_the_library_file_does(machine, extras_picker, capsys):
    # Drivers before about 470 print the first line alone (Azure/az-hop#269).
    machine.nvidia_smi(status=18, message=MISMATCH.splitlines()[0])
    machine.files(
        {
            "proc/driver/nvidia/version": OPEN_MODULE,
            "usr/lib/x86_64-linux-gnu/libnvidia-ml.so.580.65.06": "",
            "usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1": "",
            **nvidia_in_proc("0000:01:00.0", "NVIDIA GeForce RTX 4090", "2684"),
        }
    )
    status, out, err = machine.pick(extras_picker, capsys)
    assert (status, out) == (0, "cu130") and "580.65.06 installed" in err


def test_2_a_driver_library_mismatch_says_reboot(machine, extras_picker, capsys, smoke_for, monkeypatch):
    machine.nvidia_smi(status=18, message=MISMATCH)
    machine.files(
        {
            "proc/driver/nvidia/version": OPEN_MODULE,
            **nvidia_in_proc("0000:01:00.0", "NVIDIA GeForce RTX 4090", "2684"),
        }
    )
    status, out, err = machine.pick(extras_picker, capsys)
    # after the reboot the 580.65 driver runs: cu130 is right, and the reboot is named
    assert (status, out) == (0, "cu130"), err
    assert "reboot" in err and "580.65 installed" in err and "still 575.64.03" in err
    smoke = on(smoke_for(**EXTRAS_2_12), monkeypatch, machine.detect(project_for(**EXTRAS_2_12)))
    said = "CUDA initialization: Error 803: system has unsupported display driver / cuda driver combination"
    checks = rows(smoke, smoke.check_devices, fake_torch("2.12.1+cu130", cuda="13.0", warning=said), "cu130")
    assert checks["devices"].status == "FAIL" and "Error 803" in checks["devices"].detail
    assert "reboot" in checks["devices"].fix and "user may open the device" not in checks["devices"].fix


# --- 3. names: a GPU is known by what the machine states -----------------------------------

# Device ids and chips as pci.ids names them (Debian's pci.ids 2023.04.10); compute capabilities
# from NVIDIA's CUDA GPUs pages.
BY_ID = [
    ("1eb0", "Quadro RTX 5000", "sm_75"),  # TU104GL
    ("1eb1", "Quadro RTX 4000", "sm_75"),  # TU104GL
    ("1cb1", "Quadro P1000", "sm_61"),  # GP107GL
    ("25ad", "NVIDIA GeForce RTX 2050", "sm_86"),  # GA107
    ("1d01", "NVIDIA GeForce GT 1030", "sm_61"),  # GP108: the Pascal one
    ("26b1", "NVIDIA RTX 6000 Ada Generation", "sm_89"),  # AD102GL
]


@pytest.mark.parametrize(("device", "model", "arch"), BY_ID)
def test_3_the_pci_device_id_names_the_chip(machine, device, model, arch):
    machine.files(
        {"proc/driver/nvidia/version": PROPRIETARY, **nvidia_in_proc("0000:01:00.0", model, device)}
    )
    [gpu] = machine.detect(project_for(**EXTRAS_2_12)).gpus
    assert gpu.arch == arch and gpu.identified_by.startswith(f"PCI device {device}: ")


# Names, where the device id is newer than the database: word boundaries, specific before loose.
BY_NAME = [
    ("NVIDIA RTX 5000 Ada Generation", "sm_89"),
    ("Quadro RTX 5000", "sm_75"),
    ("Quadro RTX 4000", "sm_75"),
    ("NVIDIA RTX A1000", "sm_86"),
    ("Quadro P1000", "sm_61"),
    ("NVIDIA GeForce RTX 2050", "sm_86"),
    ("NVIDIA GeForce RTX 5090", "sm_120"),
    ("NVIDIA RTX PRO 6000 Blackwell Workstation Edition", "sm_120"),
    ("NVIDIA GeForce GT 1030", ""),  # a Kepler GK107 card and a Pascal GP108 card: unknown
    ("NVIDIA A100 80GB PCIe", "sm_80"),
    ("NVIDIA A10", "sm_86"),
]


@pytest.mark.parametrize(("model", "arch"), BY_NAME)
def test_3_a_name_alone_is_the_last_resort_and_never_guesses(machine, model, arch):
    machine.files(
        {"proc/driver/nvidia/version": PROPRIETARY, **nvidia_in_proc("0000:01:00.0", model, "ffff")}
    )
    [gpu] = machine.detect(project_for(**EXTRAS_2_12)).gpus
    assert gpu.arch == arch, model
    assert gpu.identified_by == ("its name" if arch else "")


def test_3_an_unknown_old_gpu_is_said_to_be_unknown_and_not_sent_to_the_cpu(machine, extras_picker, capsys):
    machine.files(
        {
            "proc/driver/nvidia/version": PROPRIETARY,
            **nvidia_in_proc("0000:01:00.0", "NVIDIA Graphics Device", "ffff"),
        }
    )
    status, out, err = machine.pick(extras_picker, capsys)
    assert (status, out) == (0, "cu130")
    assert "architecture unknown, assumed to have kernels" in err


# --- 4. several GPUs -----------------------------------------------------------------------

RTX_5090_AND_1080_TI = (
    nvidia("NVIDIA GeForce RTX 5090", "12.0", "580.65.06", "2b85"),
    nvidia("NVIDIA GeForce GTX 1080 Ti", "6.1", "580.65.06", "1b06"),
)


def test_4_several_gpus_are_judged_for_the_newest_and_the_others_are_named(machine, extras_picker, capsys):
    machine.nvidia_smi(*RTX_5090_AND_1080_TI)
    status, out, err = machine.pick(extras_picker, capsys)
    assert (status, out) == (0, "cu130")
    assert (
        "warning: NVIDIA GeForce GTX 1080 Ti (sm_61): cu130 has no kernels for it: this build cannot use it"
        in err
    )


@pytest.mark.parametrize(("visible", "chosen"), [("0", "cu130"), ("1", "cu126"), ("GPU-00000001", "cu126")])
def test_4_the_visible_gpus_decide(machine, extras_picker, capsys, visible, chosen):
    machine.nvidia_smi(*RTX_5090_AND_1080_TI)
    status, out, err = machine.pick(extras_picker, capsys, CUDA_VISIBLE_DEVICES=visible)
    assert (status, out) == (0, chosen), err
    assert f"judged for the GPUs CUDA_VISIBLE_DEVICES={visible} chooses" in err


CU130_ARCHS = ["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120"]
RTX_5090 = ("NVIDIA GeForce RTX 5090", 12, 0)
GTX_1080_TI = ("NVIDIA GeForce GTX 1080 Ti", 6, 1)
RTX_4090 = ("NVIDIA GeForce RTX 4090", 8, 9)


@pytest.mark.parametrize(
    ("devices", "unsupported"),
    [
        ([RTX_5090, GTX_1080_TI], ["cuda:1"]),
        ([GTX_1080_TI, RTX_5090], ["cuda:0"]),  # the unsupported one first
        ([RTX_5090, RTX_4090, GTX_1080_TI], ["cuda:2"]),  # beyond the second
        ([GTX_1080_TI, GTX_1080_TI], ["cuda:0", "cuda:1"]),
        ([RTX_4090, RTX_5090], []),  # sm_89 runs sm_86 kernels: mixed, both supported
    ],
)
def test_4_the_smoke_check_judges_every_device_s_kernels(
    smoke_for, monkeypatch, machine, devices, unsupported
):
    smi = {RTX_5090: ("12.0", "2b85"), GTX_1080_TI: ("6.1", "1b06"), RTX_4090: ("8.9", "2684")}
    machine.nvidia_smi(*(nvidia(d[0], smi[d][0], "580.65.06", smi[d][1]) for d in devices))
    smoke = on(smoke_for(**EXTRAS_2_12), monkeypatch, machine.detect(project_for(**EXTRAS_2_12)))
    torch = fake_torch("2.12.1+cu130", cuda="13.0", devices=devices, arch_list=CU130_ARCHS)
    checks = rows(smoke, smoke.check_devices, torch, "cu130")
    # A row for each device, one driver row for the machine, a kernel row for each device
    # the build cannot run.
    assert [n for n in checks if n.startswith("device ")] == [f"device cuda:{i}" for i in range(len(devices))]
    for index, (name, major, minor) in enumerate(devices):
        assert name in checks[f"device cuda:{index}"].detail
        assert f"sm_{major}{minor}" in checks[f"device cuda:{index}"].detail
    assert checks["driver"].status == "ok"
    assert sorted(n.removeprefix("kernels ") for n in checks if n.startswith("kernels ")) == unsupported
    supported = [str(i) for i in range(len(devices)) if f"cuda:{i}" not in unsupported]
    for device in unsupported:
        row = checks[f"kernels {device}"]
        assert row.status == "FAIL" and "sm_61 is not among this cu130 build's architectures" in row.detail
        assert "builds with kernels for it: cu126" in row.detail
        assert "CUDA_VISIBLE_DEVICES=-1" not in row.fix  # never every GPU to the CPU
        if supported:  # keep to the GPUs that run cu130 (no build runs sm_61 and sm_120 both)
            assert (
                row.fix
                == f"use the GPUs this build runs: `export CUDA_VISIBLE_DEVICES={','.join(supported)}`"
            )
        else:
            assert row.fix == "uv sync --extra cu126"


def test_4_where_newer_builds_run_every_device_the_fix_names_the_newest_beside_keeping_to_some(
    smoke_for, monkeypatch, machine
):
    # torch 2.9's cu130 has no sm_70 kernels; cu129, cu128 and cu126 run a V100 and an RTX 4090.
    answers = {"torch_version": "2.9", "backend_selection": "extra", "backends": ["cu126", "cu130"]}
    machine.nvidia_smi(
        nvidia("Tesla V100-SXM2-32GB", "7.0", "580.65.06", "1db5"),
        nvidia("NVIDIA GeForce RTX 4090", "8.9", "580.65.06", "2684"),
    )
    smoke = on(smoke_for(**answers), monkeypatch, machine.detect(project_for(**answers)))
    devices = [("Tesla V100-SXM2-32GB", 7, 0), RTX_4090]
    torch = fake_torch("2.9.1+cu130", cuda="13.0", devices=devices, arch_list=CU130_ARCHS)
    row = rows(smoke, smoke.check_devices, torch, "cu130")["kernels cuda:0"]
    assert "builds with kernels for it: cu129, cu128, cu126" in row.detail
    assert row.fix.startswith("use the GPUs this build runs: `export CUDA_VISIBLE_DEVICES=1` or: uvx --with ")
    assert row.fix.endswith("""--data 'backends=["cu130", "cu126", "cu129"]', then uv sync --extra cu129""")


def test_4_keeping_to_the_working_gpus_counts_within_the_visible_ones(smoke_for, monkeypatch, machine):
    machine.nvidia_smi(*RTX_5090_AND_1080_TI)
    smoke = on(smoke_for(**EXTRAS_2_12), monkeypatch, machine.detect(project_for(**EXTRAS_2_12)))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-b,GPU-a")  # torch's cuda:0 is GPU-b
    torch = fake_torch("2.12.1+cu130", cuda="13.0", devices=[GTX_1080_TI, RTX_5090], arch_list=CU130_ARCHS)
    row = rows(smoke, smoke.check_kernels, torch, "cu130", ["cuda:0", "cuda:1"])["kernels cuda:0"]
    assert row.fix == "use the GPUs this build runs: `export CUDA_VISIBLE_DEVICES=GPU-a`"


# --- 6. platform mode never tells a team to drop its build ------------------------------------


@pytest.fixture(scope="module")
def platform_picker(tmp_path_factory):
    return picker_for(tmp_path_factory.mktemp("platform"), torch_version="2.12", backends=["cu132"])


def test_6_an_amd_gpu_beside_a_cuda_build_is_offered_rocm_beside_it(machine, platform_picker, capsys):
    machine.tool("rocminfo", ROCMINFO_6700XT)
    status, out, err = machine.pick(platform_picker, capsys)
    assert (status, out) == (0, "")
    assert "ok: the cu132 build installs here and runs on the CPU: no NVIDIA GPU found" in err
    assert "the project could offer rocm7.2 for this machine beside cu132, one extra each:" in err
    assert '--data \'backends=["cu132", "rocm7.2"]\'' in err  # cu132 stays
    assert not NEVER_CPU.search(err)


def test_6_a_cpu_only_laptop_is_fine_with_a_cuda_build(machine, platform_picker, capsys):
    status, out, err = machine.pick(platform_picker, capsys)
    assert (status, out) == (0, "")
    assert "ok: the cu132 build installs here and runs on the CPU: no NVIDIA GPU found" in err
    assert not NEVER_CPU.search(err)


def test_6_a_gpu_the_build_cannot_use_gets_what_the_project_could_add(machine, platform_picker, capsys):
    machine.nvidia_smi(nvidia("NVIDIA GeForce GTX 1080 Ti", "6.1", "580.65.06", "1b06"))
    status, out, err = machine.pick(platform_picker, capsys)
    assert (status, out) == (0, "")
    assert "the project could offer cu126 for this machine beside cu132" in err
    assert '--data backend_selection=extra --data \'backends=["cu132", "cu126"]\'' in err
    assert "the project keeps cu132" in err and not NEVER_CPU.search(err)


def test_6_the_smoke_check_never_advises_the_cpu_build_either(smoke_for, monkeypatch, machine):
    machine.nvidia_smi(nvidia("NVIDIA GeForce GTX 680", "3.0", "470.256.02", "1180"))
    found = machine.detect(project_for(torch_version="2.12", backends=["cu132"]))
    smoke = on(smoke_for(torch_version="2.12", backends=["cu132"]), monkeypatch, found)
    torch = fake_torch(
        "2.12.1+cu132", cuda="13.2", devices=[("NVIDIA GeForce GTX 680", 3, 0)], arch_list=["sm_75"]
    )
    checks = rows(smoke, smoke.check_devices, torch, "cu132")
    fixes = " ".join(c.fix for c in checks.values())
    assert checks["kernels cuda:0"].status == "FAIL"
    assert "CUDA_VISIBLE_DEVICES=-1" in fixes and not NEVER_CPU.search(fixes)


# --- 7. Jetson --------------------------------------------------------------------------------

# JetPack 6's nvidia-smi names the GPU `Orin (nvgpu)` (driver 540.4.0, or N/A on 540.3.0;
# dusty-nv/jetson-containers issues); JetPack 5 has no nvidia-smi, and L4T's release file and the
# module's version line say what it is (nix-community/nixGL#139).
JETPACK_5 = {
    "etc/nv_tegra_release": "# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64, DATE: Tue Aug  1 19:57:35 UTC 2023\n",
    "proc/device-tree/model": "NVIDIA Jetson AGX Orin Developer Kit\x00",
    "proc/driver/nvidia/version": "NVRM version: NVIDIA UNIX Open Kernel Module for aarch64  35.3.1  Release Build  (buildbrain@mobile-u64-6289-d7000)  Sun Mar 19 08:09:33 PDT 2023\n",
}


@pytest.mark.parametrize("driver", ["540.4.0", "[N/A]"])
def test_7_jetpack_6_is_sent_to_nvidia_s_jetson_wheels(machine, extras_picker, capsys, driver):
    machine.nvidia_smi(nvidia("Orin (nvgpu)", "8.7", driver))
    status, out, err = machine.pick(extras_picker, capsys, platform="linux-aarch64")
    assert (status, out) == (0, "cpu")
    assert "server (SBSA) builds" in err and "fix: install NVIDIA's PyTorch wheels for Jetson" in err
    assert "older than" not in err  # [N/A] is no driver version, and 540 is not what fails


def test_7_jetpack_5_without_nvidia_smi_is_a_jetson_not_no_gpu(
    machine, extras_picker, capsys, smoke_for, monkeypatch
):
    machine.files(JETPACK_5)
    status, out, err = machine.pick(extras_picker, capsys, platform="linux-aarch64")
    assert (status, out) == (0, "cpu")
    assert (
        "NVIDIA Jetson AGX Orin Developer Kit (sm_87 from its name, integrated) via /etc/nv_tegra_release (L4T R35)"
        in err
    )
    assert "pypi.jetson-ai-lab.io" in err
    found = machine.detect(project_for(**EXTRAS_2_12), platform="linux-aarch64")
    smoke = on(smoke_for("linux-aarch64", **EXTRAS_2_12), monkeypatch, found)
    checks = rows(smoke, smoke.check_build, fake_torch("2.12.1"))  # the index's aarch64 CPU build
    assert checks["build"].status == "ok" and "gpu build" in checks
    assert checks["gpu build"].status == "warn"


def test_7_jetson_thor_on_jetpack_7_is_an_sbsa_gpu(machine, extras_picker, capsys):
    machine.files(
        {
            "etc/nv_tegra_release": "# R38 (release), REVISION: 2.0, GCID: 41844464, BOARD: generic, EABI: aarch64\n"
        }
    )
    machine.nvidia_smi(nvidia("NVIDIA Thor", "11.0", "580.00"))
    status, out, err = machine.pick(extras_picker, capsys, platform="linux-aarch64")
    assert (status, out) == (0, "cu130"), err


# --- 8. Intel: the device id decides, whatever tools are installed --------------------------

# Meteor Lake-H's Arc graphics, 8086:7d55 (the kernel's INTEL_MTL_IDS; PyTorch's XPU page lists
# "Intel Core Ultra Processors with Intel Arc Graphics (Meteor Lake-H)").
METEOR_LAKE = {
    "sys/class/drm/card0/device/vendor": "0x8086\n",
    "sys/class/drm/card0/device/device": "0x7d55\n",
}
SYCL_LS_MTL = (
    "[level_zero:gpu][level_zero:0] Intel(R) Level-Zero, Intel(R) Arc(TM) Graphics 12.71.4 [1.6.31294]\n"
)


@pytest.fixture(scope="module")
def xpu_picker(tmp_path_factory):
    answers = {"torch_version": "2.12", "backend_selection": "extra", "backends": ["xpu", "cpu"]}
    return picker_for(tmp_path_factory.mktemp("xpu"), **answers)


@pytest.mark.parametrize("sycl_ls", [False, True])
def test_8_meteor_lake_gets_xpu_with_or_without_sycl_ls(machine, xpu_picker, capsys, sycl_ls):
    machine.files(METEOR_LAKE)
    if sycl_ls:
        machine.tool("sycl-ls", SYCL_LS_MTL)
    status, out, err = machine.pick(xpu_picker, capsys)
    assert (status, out) == (0, "xpu"), err
    assert "Meteor Lake-H" in err


@pytest.mark.parametrize(
    ("device", "chosen"),
    [
        ("7d51", "xpu"),
        ("64a0", "xpu"),
        ("b080", "xpu"),
        ("b087", "xpu"),
        ("5695", "xpu"),
        ("b640", "cpu"),
        ("46a6", "cpu"),
    ],
)
def test_8_each_intel_device_id_is_judged_by_its_family(machine, xpu_picker, capsys, device, chosen):
    # 7d51 Arrow Lake-H, 64a0 Lunar Lake, b080-b087 Panther Lake: listed by the XPU page; 5695 is
    # a mobile DG2-G11 (discrete, kernel INTEL_DG2_G11_M_IDS); b640 Arrow Lake-S and 46a6 (Alder
    # Lake's Iris Xe) are not listed.
    machine.files(
        {
            "sys/class/drm/card0/device/vendor": "0x8086\n",
            "sys/class/drm/card0/device/device": f"0x{device}\n",
        }
    )
    status, out, err = machine.pick(xpu_picker, capsys)
    assert (status, out) == (0, chosen), err


def test_8_windows_finds_intel_gpus_without_sycl_ls(machine, xpu_picker, capsys):
    # What `Get-CimInstance Win32_VideoController` gives (PNPDeviceID as in
    # sebhildebrandt/systeminformation#790).
    machine.tool(
        "powershell",
        "Intel(R) Arc(TM) Graphics|PCI\\VEN_8086&DEV_7D55&SUBSYS_0C1A1043&REV_08\\3&11583659&0&10\n",
    )
    status, out, err = machine.pick(xpu_picker, capsys, platform="windows-x86_64")
    assert (status, out) == (0, "xpu"), err
    assert "via Win32_VideoController" in err


# --- 9. "No devices were found": a job given no GPU on a GPU node -----------------------------


def test_9_no_devices_for_this_process_is_a_skip_not_a_failure(
    machine, extras_picker, capsys, smoke_for, monkeypatch
):
    machine.nvidia_smi(status=6, message="No devices were found")
    machine.files(
        {
            "proc/driver/nvidia/version": PROPRIETARY,
            **nvidia_in_proc("0000:01:00.0", "NVIDIA H100 80GB HBM3", "2330"),
            **nvidia_in_proc("0000:02:00.0", "NVIDIA H100 80GB HBM3", "2330"),
        }
    )
    status, out, err = machine.pick(extras_picker, capsys)
    assert (status, out) == (0, "cu130")  # what the node's GPUs run: the install is for the node
    assert "none that this process may use" not in err and "a job or container given no GPU" in err
    smoke = on(smoke_for(**EXTRAS_2_12), monkeypatch, machine.detect(project_for(**EXTRAS_2_12)))
    checks = rows(smoke, smoke.check_devices, fake_torch("2.12.1+cu130", cuda="13.0"), "cu130")
    assert checks["devices"].status == "skip"
    assert "none that this process may use" in checks["devices"].detail


# --- 10. RDNA2 consumer cards: the known override ---------------------------------------------


@pytest.fixture(scope="module")
def rocm_picker(tmp_path_factory):
    answers = {"torch_version": "2.12", "backend_selection": "extra", "backends": ["rocm7.2", "cpu"]}
    return picker_for(tmp_path_factory.mktemp("rocm"), **answers)


def test_10_an_rx_6700_xt_gets_rocm_with_the_override_named(machine, rocm_picker, capsys):
    machine.tool("rocminfo", ROCMINFO_6700XT)
    status, out, err = machine.pick(rocm_picker, capsys)
    assert (status, out) == (0, "rocm7-2"), err
    assert "fix: export HSA_OVERRIDE_GFX_VERSION=10.3.0" in err
    status, out, err = machine.pick(rocm_picker, capsys, HSA_OVERRIDE_GFX_VERSION="10.3.0")
    assert (status, out) == (0, "rocm7-2")
    assert "as HSA_OVERRIDE_GFX_VERSION=10.3.0 says" in err and "fix:" not in err


def test_10_an_apu_is_not_counted_through_the_override(machine, rocm_picker, capsys):
    # Phoenix's Radeon 780M (gfx1103): integrated, and no build targets it natively.
    machine.files(
        {
            "dev/kfd": "",
            "sys/class/kfd/kfd/topology/nodes/0/properties": kfd_node(0, 0, cpu_cores=16),
            "sys/class/kfd/kfd/topology/nodes/1/properties": kfd_node(110003, 24, local_mem=536870912),
        }
    )
    status, out, err = machine.pick(rocm_picker, capsys)
    assert (status, out) == (0, "cpu")


# --- 11. aarch64 wheels carry their own kernel lists ----------------------------------------


def test_11_a_t4g_on_aws_g5g_has_no_kernels_in_2_9_cu128_aarch64(machine, tmp_path, capsys):
    # The aarch64 cu128 wheels of 2.9 build 8.0;9.0;10.0;12.0 (pytorch/pytorch#163764).
    picker = picker_for(tmp_path, torch_version="2.9", backends=["cu128"], platforms=["linux-aarch64"])
    machine.nvidia_smi(nvidia("NVIDIA T4G", "7.5", "535.183.01", "1eb8"))
    status, out, err = machine.pick(picker, capsys, platform="linux-aarch64")
    assert "NVIDIA T4G (sm_75): cu128 has no kernels for it" in err
    assert "ok:" not in err and not NEVER_CPU.search(err)


def test_11_the_smoke_check_judges_a_t4g_by_the_aarch64_wheels_kernels(smoke_for, monkeypatch, machine):
    answers = {"torch_version": "2.9", "backends": ["cu128"], "platforms": ["linux-aarch64"]}
    machine.nvidia_smi(nvidia("NVIDIA T4G", "7.5", "535.183.01", "1eb8"))
    found = machine.detect(project_for(**answers), "linux-aarch64")
    smoke = on(smoke_for("linux-aarch64", **answers), monkeypatch, found)
    torch = fake_torch(
        "2.9.1+cu128",
        cuda="12.8",
        devices=[("NVIDIA T4G", 7, 5)],
        arch_list=["sm_80", "sm_90", "sm_100", "sm_120"],
    )
    row = rows(smoke, smoke.check_devices, torch, "cu128")["kernels cuda:0"]
    assert row.detail.endswith("builds with kernels for it: none")  # on x86_64: cu126, cu128, ...
