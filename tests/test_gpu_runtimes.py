"""The compatibility data behind the hardware module: every build has its runtime record."""

from __future__ import annotations

import json
import re

import pytest

from extensions.copier_hooks import json_document
from helpers import matrix, torch_plan

# Backends the data gains beside those in RELEASES today (shared/torch-matrix.md).
COMING = ("cu129", "cu134", "rocm6.3", "rocm6.4", "rocm7.0", "rocm7.1", "rocm7.2", "rocm7.14")


@pytest.mark.parametrize("release", matrix.RELEASES, ids=lambda r: r.minor)
def test_every_backend_of_every_release_has_a_runtime_record(release):
    for backend in release.backends:
        runtime = torch_plan.gpu_runtime(release.minor, backend)
        kind = torch_plan.backend_kind(backend)
        assert runtime["kind"] == kind
        if kind == "cuda":
            assert runtime["driver_floor"] and runtime["driver_floor_windows"], backend
            assert all(a.startswith("sm_") for a in runtime["archs"]) and runtime["archs"], backend
        elif kind == "rocm":
            assert runtime["archs"] and all(a.startswith("gfx") for a in runtime["archs"]), backend
        else:
            assert runtime["archs"] == [] and runtime["driver_floor"] == ""


@pytest.mark.parametrize("backend", COMING)
def test_backends_the_data_gains_have_records_too(backend):
    assert any(record.backend == backend for record in matrix.KERNELS)


def test_every_record_names_its_source_and_no_minor_has_two():
    for record in matrix.KERNELS:
        assert record.source, record.backend
    for floor in matrix.DRIVER_FLOORS.values():
        assert floor.source
    for release in matrix.RELEASES:
        for backend in release.backends:
            hits = [
                r
                for r in matrix.KERNELS
                if r.backend == backend and torch_plan.kernels(release.minor, backend) is r
            ]
            assert len(hits) <= 1


def test_the_facts_the_issue_names():
    # CUDA 13 needs driver 580, 12.x 525.60.13 (uv's backend.rs).
    assert torch_plan.gpu_runtime("2.12", "cu130")["driver_floor"] == "580"
    assert torch_plan.gpu_runtime("2.12", "cu126")["driver_floor"] == "525.60.13"
    # CUDA 12.8 is the first with Blackwell; CUDA 13 drops Maxwell, Pascal and Volta.
    assert {"sm_100", "sm_120"} <= set(torch_plan.gpu_runtime("2.7", "cu128")["archs"])
    assert "sm_120" not in torch_plan.gpu_runtime("2.7", "cu126")["archs"]
    cuda13 = torch_plan.gpu_runtime("2.12", "cu130")["archs"]
    assert not {"sm_50", "sm_60", "sm_61", "sm_70"} & set(cuda13)
    # Volta left the 12.8 builds with 2.11, not before.
    assert "sm_70" in torch_plan.gpu_runtime("2.10", "cu128")["archs"]
    assert "sm_70" not in torch_plan.gpu_runtime("2.11", "cu128")["archs"]
    # The MI300X target is in every ROCm build since 6.1.
    assert "gfx942" in torch_plan.gpu_runtime("2.9", "rocm6.4")["archs"]


def test_the_data_file_carries_the_runtimes_of_every_build_of_the_release():
    """The tools judge the project's builds and name another of the same torch that would fit."""
    plan = torch_plan.make_plan(
        torch_version="2.12",
        python_version="3.12",
        backend_selection="platform",
        backends=["cu130"],
        platforms=["linux-x86_64", "macos-arm64"],
        torch_libraries=[],
    )
    data = json.loads(json_document(torch_plan.project_data(plan)))
    assert list(data["runtimes"]) == torch_plan.backend_choices("2.12")
    assert data["runtimes"]["cu130"] == torch_plan.gpu_runtime("2.12", "cu130")
    assert data["routes"] == {"linux-x86_64": "cu130", "macos-arm64": "cpu"}


def test_the_data_file_is_laid_out_for_a_reader():
    plan = torch_plan.make_plan(
        torch_version="2.12",
        python_version="3.12",
        backend_selection="extra",
        backends=["cu126", "cu130", "rocm7.2", "cpu"],
        platforms=torch_plan.default_platforms(),
        torch_libraries=["torchvision", "torchcodec"],
    )
    data = torch_plan.project_data(plan)
    text = json_document({**data, "about": "Ünïcode"})
    assert json.loads(text) == {**data, "about": "Ünïcode"}
    assert "Ünïcode" in text  # as typed, not escaped
    assert '"archs": ["sm_50", "sm_60", ' in text  # a short list of plain values on one line
    # Only a long text runs past the width; lists are packed onto lines that fit.
    long = [line for line in text.splitlines() if len(line) > 100]
    assert all(re.fullmatch(r' *"\w+": ".*",?', line) for line in long), long
    assert len(text.splitlines()) < 600
