"""The smoke check's hardware rows (issue 10, items 4-9): what the machine shows against what
torch sees, with stand-in torch objects and fake `nvidia-smi` executables or machines."""

from __future__ import annotations

from fake_machine import fake_torch
from helpers import FAILING_SMI, tool


def machine(smoke, monkeypatch, *gpus, **fields):
    made = smoke.hardware.Machine(gpus=list(gpus), platform=smoke.current_platform(), **fields)
    monkeypatch.setattr(smoke, "this_machine", lambda: made)
    return made


def gpu(smoke, name, arch, driver="580.65.06", vendor="nvidia"):
    return smoke.hardware.Gpu(vendor, name, arch, driver if vendor == "nvidia" else "", "fake")


def rows(smoke, check, *args):
    report = smoke.Report()
    check(report, *args)
    return {c.name: c for c in report.checks}


CU126_ARCHS = ["sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"]


def test_4_a_failing_nvidia_smi_is_no_gpu(smoke_for, monkeypatch, tmp_path):
    # A CPU project on a GPU-less VM with a driver package: nvidia-smi exits 9.
    smoke = smoke_for(backend_selection="extra", backends=["cpu", "cu128"])
    tool(tmp_path / "bin", "nvidia-smi", FAILING_SMI, status=9)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    found = smoke.hardware.detect(root=tmp_path, facts=smoke.PROJECT.gpus)
    monkeypatch.setattr(smoke, "this_machine", lambda: found)
    checks = rows(smoke, smoke.check_build, fake_torch("2.9.1+cpu"))
    assert "gpu build" not in checks and checks["build"].status == "ok"
    assert any("nvidia-smi failed (exit 9)" in note for note in found.notes)


def test_5_an_apu_is_not_an_amd_gpu(smoke_for, monkeypatch, tmp_path):
    smoke = smoke_for(backend_selection="extra", backends=["cpu", "rocm6.4"])
    node = tmp_path / "sys/class/kfd/kfd/topology/nodes/1"
    node.mkdir(parents=True)
    (node / "properties").write_text("cpu_cores_count 0\nsimd_count 24\ngfx_target_version 110003\n")
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev/kfd").write_text("")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    found = smoke.hardware.detect(root=tmp_path, facts=smoke.PROJECT.gpus)
    monkeypatch.setattr(smoke, "this_machine", lambda: found)
    assert [g.integrated for g in found.gpus] == [True]
    assert "gpu build" not in rows(smoke, smoke.check_build, fake_torch("2.9.1+cpu"))


def test_6_hidden_gpus_are_a_skip_naming_the_variable(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cu128"])
    machine(smoke, monkeypatch, gpu(smoke, "NVIDIA H100", "sm_90"), hidden={"CUDA_VISIBLE_DEVICES": ""})
    checks = rows(smoke, smoke.check_devices, fake_torch("2.9.1+cu128", cuda="12.8"), "cu128")
    assert checks["devices"].status == "skip"
    assert "CUDA_VISIBLE_DEVICES=''" in checks["devices"].detail


def test_6_torch_own_warning_reaches_the_report(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cu130"])
    machine(smoke, monkeypatch, gpu(smoke, "NVIDIA GeForce RTX 4090", "sm_89", "535.183.01"))
    said = "CUDA initialization: The NVIDIA driver on your system is too old (found version 12020)."
    torch = fake_torch("2.9.1+cu130", cuda="13.0", warning=said)
    checks = rows(smoke, smoke.check_devices, torch, "cu130")
    assert checks["devices"].status == "FAIL"
    assert "too old (found version 12020)" in checks["devices"].detail


def test_7_a_device_without_kernels_names_the_build_that_has_them(smoke_for, monkeypatch):
    # RTX 5090 (sm_120) on a cu126 build: "no kernel image is available" before any row failed.
    smoke = smoke_for(backend_selection="extra", backends=["cu126", "cu130", "cpu"])
    machine(smoke, monkeypatch, gpu(smoke, "NVIDIA GeForce RTX 5090", "sm_120"))
    torch = fake_torch(
        "2.9.1+cu126", cuda="12.6", devices=[("NVIDIA GeForce RTX 5090", 12, 0)], arch_list=CU126_ARCHS
    )
    checks = rows(smoke, smoke.check_devices, torch, "cu126")
    assert checks["kernels cuda:0"].status == "FAIL"
    assert "sm_120" in checks["kernels cuda:0"].detail
    builds = checks["kernels cuda:0"].detail.split("with kernels for it: ")[1].split(", ")
    assert {"cu128", "cu130"} <= set(builds) and "cu126" not in builds
    assert checks["kernels cuda:0"].fix == "uv sync --extra cu130"


def test_7_a_device_served_by_a_same_major_cubin_passes(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cu126"])
    machine(smoke, monkeypatch, gpu(smoke, "NVIDIA GeForce GTX 1080", "sm_61"))
    torch = fake_torch(
        "2.9.1+cu126", cuda="12.6", devices=[("NVIDIA GeForce GTX 1080", 6, 1)], arch_list=CU126_ARCHS
    )
    checks = rows(smoke, smoke.check_devices, torch, "cu126")
    assert "kernels cuda:0" not in checks and checks["device cuda:0"].status == "ok"
    assert "sm_61" in checks["device cuda:0"].detail


def test_7_on_rocm_the_gcn_arch_name_is_compared(smoke_for, monkeypatch):
    # An RX 6600 (gfx1032) on rocm6.4, whose wheels carry gfx1030 but not gfx1032.
    smoke = smoke_for(backend_selection="extra", backends=["rocm6.4", "cpu"])
    machine(smoke, monkeypatch, gpu(smoke, "AMD Radeon RX 6600", "gfx1032", vendor="amd"))
    archs = ["gfx900", "gfx906", "gfx908", "gfx90a", "gfx942", "gfx1030", "gfx1100", "gfx1101"]
    device = ("AMD Radeon RX 6600", 10, 3, "gfx1032:sramecc-:xnack-")
    torch = fake_torch("2.9.1+rocm6.4", hip="6.4.43484", devices=[device], arch_list=archs)
    checks = rows(smoke, smoke.check_devices, torch, "rocm6.4")
    assert checks["kernels cuda:0"].status == "FAIL"
    assert "gfx1032 is not among this rocm6.4 build's" in checks["kernels cuda:0"].detail
    # RDNA2's gfx1032 runs the gfx1030 kernels when told to (issue 20, 10)
    assert checks["kernels cuda:0"].fix.startswith("export HSA_OVERRIDE_GFX_VERSION=10.3.0")


def test_8_a_driver_below_the_floor_fails_with_a_build_that_runs(smoke_for, monkeypatch):
    smoke = smoke_for(backend_selection="extra", backends=["cu126", "cu130", "cpu"])
    machine(smoke, monkeypatch, gpu(smoke, "NVIDIA GeForce RTX 4090", "sm_89", "570.86.16"))
    checks = rows(smoke, smoke.check_devices, fake_torch("2.9.1+cu130", cuda="13.0"), "cu130")
    assert checks["driver"].status == "FAIL"
    assert "570.86.16 is older than 580" in checks["driver"].detail
    assert checks["driver"].fix.endswith("uv sync --extra cu126")
    machine(smoke, monkeypatch, gpu(smoke, "NVIDIA GeForce RTX 4090", "sm_89", "580.65.06"))
    checks = rows(smoke, smoke.check_devices, fake_torch("2.9.1+cu130", cuda="13.0"), "cu130")
    assert checks["driver"].status == "ok"


def test_9_fixes_are_right_for_this_machine_not_alphabetical(smoke_for, monkeypatch):
    # A GH200 (aarch64), extras cu130 and rocm6-4 (which installs the CPU build there): the
    # first expected build by name is cpu, whose extra is rocm6-4; the GPU wants cu130.
    smoke = smoke_for("linux-aarch64", backend_selection="extra", backends=["cu130", "rocm6.4"])
    machine(smoke, monkeypatch, gpu(smoke, "NVIDIA GH200 480GB", "sm_90"))
    checks = rows(smoke, smoke.check_build, fake_torch("2.9.1+cu128"))
    assert checks["build"].status == "FAIL"
    assert checks["build"].fix.startswith("uv sync --extra cu130")
    assert "<" not in smoke.sync_command()
