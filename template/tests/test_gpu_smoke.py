"""The checks of `uv run tools/torch_smoke.py`, as tests.

GPU-only tests carry the `gpu` marker and skip, with the reason, where no accelerator is
present; the rest run everywhere. Without torch, test_torch_is_installed fails and says how to
install it. Written by uv-torch-template; yours to extend.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import torch_smoke  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

BACKEND = torch_smoke.installed_backend(torch) if torch else ""


def _devices() -> list[str]:
    try:
        return torch_smoke.devices(torch, BACKEND) if torch else []
    except Exception:  # noqa: BLE001 - test_accelerator_is_usable reports why
        return []


def _install_commands() -> str:
    extras = torch_smoke.PROJECT.routes if torch_smoke.PROJECT.mode == "extra" else {}
    return " or ".join(f"`uv sync --extra {extra}`" for extra in extras) or "`uv sync`"


DEVICES = _devices()
LIBRARIES = list(torch_smoke.PROJECT.data.get("libraries", {}))
NO_DEVICE = pytest.param(None, marks=pytest.mark.skip(reason="no accelerator on this machine"))
NO_LIBRARY = pytest.param(None, marks=pytest.mark.skip(reason="no torch libraries chosen"))


def test_torch_is_installed():
    if torch is None:
        pytest.fail(f"torch is not installed: run {_install_commands()}", pytrace=False)


@pytest.fixture(autouse=True)
def _needs_torch(request):
    if torch is None and request.node.name != "test_torch_is_installed":
        pytest.skip("torch is not installed: test_torch_is_installed fails")


def _failures(check) -> list[str]:
    report = torch_smoke.Report()
    check(report)
    return [f"{c.name}: {c.detail} (fix: {c.fix})" for c in report.failed]


def test_build_is_the_expected_one():
    assert _failures(lambda r: torch_smoke.check_build(r, torch)) == []


def test_cpu_matmul():
    torch_smoke._matmul(torch, "cpu", torch.float32)


@pytest.mark.parametrize("library", LIBRARIES or [NO_LIBRARY])
def test_library_matches_torch_and_runs(library):
    failures = _failures(lambda r: torch_smoke.check_libraries(r, torch, []))
    assert [f for f in failures if f.split()[0].rstrip(":") == library] == []


@pytest.mark.gpu
def test_accelerator_is_usable():
    failures = _failures(lambda r: torch_smoke.check_devices(r, torch, BACKEND))
    assert failures == []
    if not DEVICES:
        pytest.skip(f"no accelerator usable by this {BACKEND} build on this machine")


@pytest.mark.gpu
@pytest.mark.parametrize("device", DEVICES or [NO_DEVICE])
def test_accelerator_computes_like_the_cpu(device):
    assert _failures(lambda r: torch_smoke.check_compute(r, torch, [device])) == []
    assert _failures(lambda r: torch_smoke.check_libraries(r, torch, [device])) == []
