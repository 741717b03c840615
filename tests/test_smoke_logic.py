"""The rendered smoke module's decisions, with stand-in torch objects: the GPU situations this
machine cannot produce (a CPU build beside a GPU, a GPU torch cannot see, the wrong CUDA)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from helpers import load_rendered, render


@pytest.fixture
def smoke_for(copie, monkeypatch):
    def load(platform="linux-x86_64", **answers):
        result, _ = render(copie, torch_version="2.9", **answers)
        module = load_rendered(result.project_dir, "demo_project", "smoke")
        if platform is not None:
            monkeypatch.setattr(module, "current_platform", lambda: platform)
        machine = module.hardware.Machine(platform=platform or module.current_platform())
        monkeypatch.setattr(module, "this_machine", lambda: machine)
        monkeypatch.delenv("EXPECTED_TORCH_BACKEND", raising=False)
        return module

    return load


@pytest.mark.parametrize(
    "sys_platform,machine,expected",
    [("win32", "ARM64", "windows-arm64"), ("win32", "AMD64", "windows-x86_64"),
     ("linux", "aarch64", "linux-aarch64"), ("darwin", "arm64", "macos-arm64")],
)
def test_the_machine_is_named_as_the_platform_answers_name_it(smoke_for, monkeypatch, sys_platform, machine, expected):
    smoke = smoke_for(None)
    monkeypatch.setattr(smoke.platform, "machine", lambda: machine)
    monkeypatch.setattr(smoke.sys, "platform", sys_platform)
    found = smoke.current_platform()
    monkeypatch.undo()
    assert found == expected


def fake_torch(version="2.9.1+cpu", cuda=None, hip=None, gpus=0):
    return SimpleNamespace(
        __version__=version,
        version=SimpleNamespace(cuda=cuda, hip=hip),
        cuda=SimpleNamespace(is_available=lambda: gpus > 0, device_count=lambda: gpus),
        backends=SimpleNamespace(mps=None),
    )


def nvidia(smoke, name, arch, driver, evidence="nvidia-smi"):
    return smoke.hardware.Gpu("nvidia", name, arch, driver, evidence)


def on_machine(smoke, monkeypatch, *gpus, **fields):
    machine = smoke.hardware.Machine(gpus=list(gpus), platform=smoke.current_platform(), **fields)
    monkeypatch.setattr(smoke, "this_machine", lambda: machine)
    return machine


def problems(smoke, check, *args):
    report = smoke.Report()
    check(report, *args)
    return {c.name: c for c in report.checks}


def test_build_label_is_read_from_the_version_or_the_build(smoke_for):
    smoke = smoke_for()
    assert smoke.installed_backend(fake_torch("2.9.1+cu128")) == "cu128"
    assert smoke.installed_backend(fake_torch("2.9.1", cuda="13.0")) == "cu130"  # aarch64 wheels
    assert smoke.installed_backend(fake_torch("2.9.1", hip="6.4.43484")) == "rocm6.4"
    assert smoke.installed_backend(fake_torch("2.9.1")) == "cpu"  # macOS


def test_platform_mode_expects_the_routed_build(smoke_for):
    smoke = smoke_for(backends=["cu128"])
    checks = problems(smoke, smoke.check_build, fake_torch("2.9.1+cu126"))
    assert checks["build"].status == "FAIL"
    assert "expected a cu128 build" in checks["build"].detail and "2.9.1+cu126" in checks["build"].detail
    assert checks["build"].fix.startswith("uv sync")
    mac = smoke_for("macos-arm64", backends=["cu128"])
    assert problems(mac, mac.check_build, fake_torch("2.9.1"))["build"].status == "ok"


def test_environment_variable_overrides_the_expectation(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cu128"])
    monkeypatch.setenv("EXPECTED_TORCH_BACKEND", "cpu")
    assert problems(smoke, smoke.check_build, fake_torch("2.9.1+cpu"))["build"].status == "ok"


def test_a_cpu_build_beside_a_gpu_fails_and_names_the_extra(smoke_for, monkeypatch):
    smoke = smoke_for(backend_selection="extra", backends=["cpu", "cu128"])
    on_machine(smoke, monkeypatch, nvidia(smoke, "NVIDIA H200", "sm_90", "580.65.06"))
    checks = problems(smoke, smoke.check_build, fake_torch("2.9.1+cpu"))
    assert checks["build"].status == "ok"  # the cpu extra is a valid choice...
    assert checks["gpu build"].status == "FAIL"  # ...but not on a machine with a GPU
    assert checks["gpu build"].fix == "uv sync --extra cu128"


def test_a_gpu_torch_cannot_see_fails_with_the_driver_hint(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cu130"])
    on_machine(smoke, monkeypatch, nvidia(smoke, "NVIDIA A100-SXM4-80GB", "sm_80", "580.65.06"))
    torch = fake_torch("2.9.1+cu130", cuda="13.0", gpus=0)
    checks = problems(smoke, smoke.check_devices, torch, "cu130")
    assert checks["devices"].status == "FAIL"
    assert "driver" in checks["devices"].fix


def test_no_gpu_on_the_machine_skips_the_gpu_checks(smoke_for):
    smoke = smoke_for(backends=["cu130"])
    checks = problems(smoke, smoke.check_devices, fake_torch("2.9.1+cu130", cuda="13.0"), "cu130")
    assert checks["devices"].status == "skip" and "no nvidia GPU" in checks["devices"].detail


def test_a_platform_outside_the_project_is_reported_not_failed(smoke_for):
    smoke = smoke_for("linux-aarch64", backends=["cu128"], platforms=["linux-x86_64"])
    checks = problems(smoke, smoke.check_build, fake_torch("2.9.1"))
    assert checks["build"].status == "warn" and "linux-aarch64" in checks["build"].detail


def test_wrong_torch_series_fails(smoke_for):
    smoke = smoke_for(backends=["cpu"])
    checks = problems(smoke, smoke.check_build, fake_torch("2.8.0+cpu"))
    assert checks["version"].status == "FAIL" and "2.9" in checks["version"].detail


def test_missing_torch_is_explained_not_raised(smoke_for, monkeypatch):
    smoke = smoke_for(backend_selection="extra", backends=["cpu", "cu128"])
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    report = smoke.run()
    assert [c.name for c in report.failed] == ["import torch"]
    assert "uv sync --extra" in report.failed[0].fix
    assert "VERDICT: FAILED" in smoke.render(report)
