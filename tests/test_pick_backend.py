"""The picker (tools/pick_backend.py) and its hardware module against fake machines: fake
`nvidia-smi`, `rocminfo` and `sycl-ls` executables on PATH, and fake / trees, with outputs as
real tools print them.

The picker reads the data file of an extra-mode project (torch 2.12: cu126, cu130, rocm7.2, xpu,
cpu), written as the template writes it; every case runs the picker in-process.
"""

from __future__ import annotations

import sys

import pytest
import torch_hardware

from fake_machine import ROCMINFO_MI300X, FakeMachine, kfd_node, nvidia, picker_for
from helpers import FAILING_SMI, TOOLS, plan_for, torch_plan

BACKENDS = ["cu126", "cu130", "rocm7.2", "xpu", "cpu"]
# What nvidia-smi knew before driver 510 added compute_cap.
OLD_FIELDS = ("index", "uuid", "name", "pci.bus_id", "pci.device_id", "driver_version")


@pytest.fixture(scope="module")
def picker(tmp_path_factory):
    directory = tmp_path_factory.mktemp("extra")
    return picker_for(directory, torch_version="2.12", backend_selection="extra", backends=BACKENDS)


@pytest.fixture(scope="module")
def project():
    return torch_hardware.Project(
        torch_plan.project_data(plan_for(torch_version="2.12", backend_selection="extra", backends=BACKENDS))
    )


@pytest.fixture(scope="module")
def hardware():
    return torch_hardware


# --- fake machines ---------------------------------------------------------------------------

SYCL_LS_ARC = (
    "[opencl:cpu][opencl:0] Intel(R) OpenCL, 12th Gen Intel(R) Core(TM) i7-12700K OpenCL 3.0 (Build 0) "
    "[2024.18.6.0.02_160000]\n"
    "[level_zero:gpu][level_zero:0] Intel(R) Level-Zero, Intel(R) Arc(TM) A770 Graphics 12.55.8 "
    "[1.3.29735]\n"
)


@pytest.fixture
def machine(tmp_path):
    return FakeMachine(tmp_path)


# --- the cases the issue names, each with the pick it must make and why ---------------------


def test_rtx_5090_on_driver_580_gets_cuda_13(picker, machine, capsys):
    # sm_120 has kernels in cu130 only (cu126 stops at sm_90); 580 meets CUDA 13's floor.
    machine.nvidia_smi(nvidia("NVIDIA GeForce RTX 5090", "12.0", "580.65.06"))
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cu130")
    assert "NVIDIA GeForce RTX 5090 (sm_120 from compute capability, driver 580.65.06)" in err
    assert "cannot run: cu126: NVIDIA GeForce RTX 5090 (sm_120): cu126 has no kernels for it" in err


def test_rtx_5090_on_driver_570_gets_cpu_with_both_reasons(picker, machine, capsys):
    # 570 is below CUDA 13's 580, and CUDA 12.6 has no Blackwell kernels: nothing runs.
    machine.nvidia_smi(nvidia("NVIDIA GeForce RTX 5090", "12.0", "570.86.16"))
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cpu")
    assert "driver 570.86.16 is older than cu130's floor 580" in err
    assert "cu126 has no kernels for it" in err
    assert "no GPU build runs here" in err


def test_a100_on_driver_535_gets_cuda_12_6(picker, machine, capsys):
    # sm_80 is in both; 535 is below 580 but above 12.x's 525.60.13.
    machine.nvidia_smi(nvidia("NVIDIA A100-SXM4-80GB", "8.0", "535.183.01"))
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cu126")
    assert "older than cu130's floor 580" in err


def test_gtx_1080_on_driver_580_gets_cuda_12_6(picker, machine, capsys):
    # Pascal sm_61: CUDA 13 dropped it; cu126 has an sm_60 cubin, which serves sm_61.
    machine.nvidia_smi(nvidia("NVIDIA GeForce GTX 1080", "6.1", "580.95.05"))
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cu126")
    assert "cu130 has no kernels for it" in err


def test_h100_on_a_driver_without_compute_cap_is_known_by_its_pci_id(picker, machine, capsys):
    # nvidia-smi rejects compute_cap; the name table says sm_90; 525.60.13 meets 12.x only.
    # An H100 PCIe (device 2331 in pci.ids) on a driver that predates compute_cap.
    machine.nvidia_smi(nvidia("NVIDIA H100 PCIe", "", "525.60.13", "2331"), known=OLD_FIELDS)
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cu126")
    assert "NVIDIA H100 PCIe (sm_90 from PCI device 2331: GH100, driver 525.60.13)" in err
    assert "knows no compute_cap" in err


def test_mi300x_with_rocm_6_4_gets_rocm(picker, machine, capsys):
    # gfx942 is among rocm7.2's targets; the installed ROCm 6.4 does not matter to the wheel,
    # which brings its own runtime.
    machine.tool("rocminfo", ROCMINFO_MI300X)
    machine.files({"opt/rocm/.info/version": "6.4.1-120\n", "dev/kfd": ""})
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "rocm7-2")
    assert "AMD Instinct MI300X (gfx942) via rocminfo" in err
    assert "ROCm 6.4.1-120 installed in /opt/rocm" in err


def test_mi300x_seen_by_amd_smi_alone(picker, machine, capsys):
    machine.tool(
        "amd-smi",
        "GPU: 0\n    ASIC:\n        MARKET_NAME: AMD Instinct MI300X\n        VENDOR_ID: 0x1002\n"
        "        DEVICE_ID: 0x74a1\n        NUM_COMPUTE_UNITS: 304\n"
        "        TARGET_GRAPHICS_VERSION: gfx942\n    BUS:\n        BDF: 0000:05:00.0\n",
    )
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "rocm7-2")
    assert "AMD Instinct MI300X (gfx942) via amd-smi" in err


def test_ryzen_apu_only_is_not_an_amd_gpu(picker, machine, capsys):
    # /dev/kfd and a KFD node for the Radeon 780M (gfx1103), which no ROCm build targets.
    machine.files(
        {
            "dev/kfd": "",
            "sys/class/kfd/kfd/topology/nodes/0/properties": kfd_node(0, 0, cpu_cores=16),
            "sys/class/kfd/kfd/topology/nodes/1/properties": kfd_node(110003, 24, local_mem=536870912),
        }
    )
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cpu")
    assert "integrated gfx1103 ignored" in err


def test_intel_arc_gets_xpu(picker, machine, capsys):
    # A discrete Arc A770 (8086:56a0) beside the processor's integrated graphics (8086:4680).
    machine.files(
        {
            "sys/class/drm/card0/device/vendor": "0x8086\n",
            "sys/class/drm/card0/device/device": "0x4680\n",
            "sys/class/drm/card1/device/vendor": "0x8086\n",
            "sys/class/drm/card1/device/device": "0x56a0\n",
            "sys/class/drm/card1-DP-1/status": "connected\n",
        }
    )
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "xpu")
    assert "Intel graphics 4680 (a device the template's data does not know) ignored" in err
    assert "Intel Arc A-Series (Alchemist, DG2) (PCI device 56a0: Arc A-Series (Alchemist, DG2))" in err


def test_intel_arc_seen_by_sycl_ls(picker, machine, capsys):
    machine.tool("sycl-ls", SYCL_LS_ARC)
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "xpu")
    assert "Intel(R) Arc(TM) A770 Graphics" in err


def test_intel_integrated_graphics_in_sycl_ls_is_no_xpu_gpu(picker, machine, capsys):
    machine.tool(
        "sycl-ls",
        "[level_zero:gpu][level_zero:0] Intel(R) Level-Zero, Intel(R) UHD Graphics 770 12.2.0 [1.3.29735]\n",
    )
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cpu")
    assert "Intel graphics Intel(R) UHD Graphics 770 (sycl-ls) ignored" in err


def test_no_gpu_gets_cpu(picker, machine, capsys):
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cpu")
    assert "found: no GPU" in err


def test_failing_nvidia_smi_is_no_gpu(picker, machine, capsys):
    # The GPU-less VM with a driver package: exit 9 and a message, not a GPU.
    machine.tool("nvidia-smi", FAILING_SMI, status=9)
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cpu")
    assert "nvidia-smi failed (exit 9): NVIDIA-SMI has failed" in err


def test_gpus_hidden_from_one_process_do_not_decide_what_to_install(picker, machine, capsys):
    # Issue 20, 5: CUDA_VISIBLE_DEVICES=-1 (or empty) hides the GPUs from one program; the
    # install is for the machine, which has an RTX 4090.
    machine.nvidia_smi(nvidia("NVIDIA GeForce RTX 4090", "8.9", "580.65.06"))
    for hidden in ("-1", ""):
        status, out, err = machine.pick(picker, capsys, CUDA_VISIBLE_DEVICES=hidden)
        assert (status, out) == (0, "cu130"), err
        assert f"CUDA_VISIBLE_DEVICES={hidden!r} hides the GPUs from programs run with it" in err


def test_the_override_is_honoured_first_and_named(picker, machine, capsys):
    status, out, err = machine.pick(picker, capsys, PICK_BACKEND="cu130")
    assert (status, out) == (0, "cu130")
    assert "PICK_BACKEND=cu130 chooses cu130" in err and "warning: no NVIDIA GPU found" in err
    status, out, err = machine.pick(picker, capsys, PICK_BACKEND="cu999")
    assert status == 2 and out == "" and "cpu, cu126, cu130, rocm7-2, xpu" in err


def test_dev_nvidia_nodes_count_only_when_the_driver_is_not_asked(picker, machine, capsys):
    # A container with the device nodes but without nvidia-smi: a GPU of unknown model.
    machine.files(
        {
            "dev/nvidia0": "",
            "dev/nvidiactl": "",
            "proc/driver/nvidia/version": (
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06  Sun Jul 27 07:09:38 UTC 2025\n"
            ),
        }
    )
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cu130")
    assert "via /dev/nvidia0" in err and "architecture unknown" in err


def test_no_fitting_extra_and_no_cpu_extra_exits_non_zero(hardware, project):
    machine = hardware.Machine(platform="linux-x86_64")
    chosen, reasons = hardware.pick(project, {"cu130": "cu130"}, machine)
    assert chosen is None and "no CPU extra" in reasons[-1]


def test_macos_gets_the_cpu_extra(hardware, project):
    machine = hardware.Machine(platform="macos-arm64")
    extras = {"cu130": "cpu", "cpu": "cpu", "rocm7-2": "cpu"}  # every extra installs cpu there
    assert hardware.pick(project, extras, machine)[0] == "cpu"


def test_arch_matching_rule(hardware):
    # same major, lower or equal minor cubin; or PTX at or below the GPU
    assert hardware.arch_runs("sm_61", ["sm_60"], [])
    assert not hardware.arch_runs("sm_60", ["sm_61"], [])
    assert not hardware.arch_runs("sm_89", ["sm_90"], [])
    assert hardware.arch_runs("sm_121", ["sm_120"], [])
    assert hardware.arch_runs("sm_130", ["sm_120"], ["compute_120"])
    assert not hardware.arch_runs("sm_100", ["sm_90"], ["compute_120"])
    assert hardware.arch_runs("gfx942", ["gfx90a", "gfx942"], [])
    assert not hardware.arch_runs("gfx1103", ["gfx1100"], [])


@pytest.fixture(scope="module")
def platform_picker(tmp_path_factory):
    directory = tmp_path_factory.mktemp("platform")
    return picker_for(directory, torch_version="2.12", backend_selection="platform", backends=["cu130"])


def test_platform_mode_names_what_the_project_could_add_never_cpu(platform_picker, machine, capsys):
    # A GTX 1080 cannot run the configured cu130 build; cu126 can: say so, exit 0, print nothing.
    machine.nvidia_smi(nvidia("NVIDIA GeForce GTX 1080", "6.1", "580.95.05"))
    status, out, err = machine.pick(platform_picker, capsys)
    assert (status, out) == (0, "")
    assert "warning: this machine's GPU cannot use the project's cu130 build" in err
    assert "cu130 has no kernels for it" in err
    # what the project could add for this machine, keeping its own build; never `cpu`
    assert '--data backend_selection=extra --data \'backends=["cu130", "cu126"]\'' in err
    assert '"cpu"' not in err


def test_platform_mode_is_quiet_where_the_build_runs(platform_picker, machine, capsys):
    machine.nvidia_smi(nvidia("NVIDIA GeForce RTX 5090", "12.0", "580.65.06"))
    status, out, err = machine.pick(platform_picker, capsys)
    assert (status, out) == (0, "") and "ok: the cu130 build runs here" in err


def test_wsl_is_named(picker, machine, capsys):
    machine.files({"dev/dxg": ""})
    machine.nvidia_smi(nvidia("NVIDIA GeForce RTX 4070", "8.9", "581.29"))
    status, out, err = machine.pick(picker, capsys)
    assert (status, out) == (0, "cu130")
    assert "platform: linux-x86_64 (WSL)" in err and "WSL (/dev/dxg)" in err


def test_which_variables_hide_gpus(hardware):
    env = {
        "CUDA_VISIBLE_DEVICES": "",  # none visible
        "HIP_VISIBLE_DEVICES": "0,1",  # a choice, not hiding
        "ROCR_VISIBLE_DEVICES": "-1",
        "ZE_AFFINITY_MASK": "",  # Level Zero: empty means every device
    }
    hidden, visible = hardware._visibility(env)
    assert hidden == {"CUDA_VISIBLE_DEVICES": "", "ROCR_VISIBLE_DEVICES": "-1"}
    assert visible == {"HIP_VISIBLE_DEVICES": "0,1"}


def test_the_picker_and_its_hardware_module_are_python_3_9():
    """They run before the project's own Python may exist: any Python 3.9+ must parse them."""
    import ast

    for path in (TOOLS / "pick_backend.py", TOOLS / "torch_hardware.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), feature_version=(3, 9))
        future = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
        # annotations such as `str | None` are only strings where this import is present
        assert any(a.name == "annotations" for n in future for a in n.names), path
        imported = {
            a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
        }
        imported |= {
            n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
        }
        assert imported <= set(sys.stdlib_module_names) | {"__future__", "torch_hardware"}, (path, imported)
