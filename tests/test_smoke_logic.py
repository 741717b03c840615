"""The smoke check's decisions (tools/torch_smoke.py), with stand-in torch objects: the GPU
situations this machine cannot produce (a CPU build beside a GPU, a GPU torch cannot see, the
wrong CUDA)."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
import warnings
from types import SimpleNamespace

import copier
import pytest

from helpers import NO_MPS, answers_for, torch_plan
from template_files import copy_template


@pytest.mark.parametrize(
    "sys_platform,machine,expected",
    [
        ("win32", "ARM64", "windows-arm64"),
        ("win32", "AMD64", "windows-x86_64"),
        ("linux", "aarch64", "linux-aarch64"),
        ("darwin", "arm64", "macos-arm64"),
        ("linux", "arm64", "linux-aarch64"),  # some container runtimes say arm64 on Linux
        ("linux", "x86_64", "linux-x86_64"),
        ("darwin", "x86_64", "macos-x86_64"),
        ("freebsd14", "amd64", "freebsd14-x86_64"),
    ],
)
def test_the_machine_is_named_as_the_platform_answers_name_it(
    smoke_for, monkeypatch, sys_platform, machine, expected
):
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
        backends=SimpleNamespace(mps=NO_MPS),
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
    xpu = SimpleNamespace(__version__="2.9.1", version=SimpleNamespace(cuda=None, hip=None, xpu="20250101"))
    assert smoke.installed_backend(xpu) == "xpu"


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


# Extras named unlike their builds (rocm6-4 installs rocm6.4), and platforms where an extra
# installs the CPU build: the build row judges what is installed against what each extra
# installs here, never against the extras' names.
EXTRAS_UNLIKE_BUILDS = {"backend_selection": "extra", "backends": ["cpu", "rocm6.4", "xpu"]}


@pytest.mark.parametrize(
    ("platform", "version", "status"),
    [
        ("linux-x86_64", "2.9.1+rocm6.4", "ok"),
        ("linux-x86_64", "2.9.1+xpu", "ok"),
        ("linux-x86_64", "2.9.1+cpu", "ok"),
        ("linux-x86_64", "2.9.1+cu128", "FAIL"),
        ("windows-x86_64", "2.9.1+xpu", "ok"),  # no ROCm on Windows: rocm6-4 installs cpu there
        ("windows-x86_64", "2.9.1+rocm6.4", "FAIL"),
        ("macos-arm64", "2.9.1", "ok"),  # every extra installs the CPU build on macOS
        ("linux-aarch64", "2.9.1+cpu", "ok"),
    ],
)
def test_extra_mode_judges_the_build_each_extra_installs_not_its_name(smoke_for, platform, version, status):
    smoke = smoke_for(platform, **EXTRAS_UNLIKE_BUILDS)
    row = problems(smoke, smoke.check_build, fake_torch(version))["build"]
    assert row.status == status, row.detail
    if status == "FAIL":  # the fix names an extra the project has, as uv spells it
        extras = set(smoke.PROJECT.data["package_routes"]) - {""}
        named = re.findall(r"--extra ([\w.-]+)", row.fix)
        assert named and set(named) <= extras, (row.fix, extras)


def test_a_gpu_torch_cannot_see_fails_with_the_driver_hint(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cu130"])
    on_machine(smoke, monkeypatch, nvidia(smoke, "NVIDIA A100-SXM4-80GB", "sm_80", "580.65.06"))
    torch = fake_torch("2.9.1+cu130", cuda="13.0", gpus=0)
    checks = problems(smoke, smoke.check_devices, torch, "cu130")
    assert checks["devices"].status == "FAIL"
    assert "driver" in checks["devices"].fix


def test_where_no_extra_runs_the_gpu_and_none_is_the_cpu_one_the_fix_is_the_cpu(smoke_for, monkeypatch):
    smoke = smoke_for(torch_version="2.12", backend_selection="extra", backends=["cu130"])
    on_machine(smoke, monkeypatch, nvidia(smoke, "NVIDIA GeForce RTX 4090", "sm_89", "535.183.01"))
    torch = fake_torch("2.12.0+cu130", cuda="13.0", gpus=0)
    checks = problems(smoke, smoke.check_devices, torch, "cu130")
    assert checks["devices"].fix == "update the NVIDIA driver to 580 or newer"


def test_everything_torch_warns_is_quoted(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cu130"])
    on_machine(smoke, monkeypatch, nvidia(smoke, "NVIDIA A100-SXM4-80GB", "sm_80", "580.65.06"))
    torch = fake_torch("2.9.1+cu130", cuda="13.0", gpus=0)

    def is_available():
        warnings.warn("CUDA initialization: unexpected error 999", stacklevel=1)
        warnings.warn("CUDA driver is too old\n(found version 12080)", stacklevel=1)
        return False

    torch.cuda.is_available = is_available
    detail = problems(smoke, smoke.check_devices, torch, "cu130")["devices"].detail
    assert detail.endswith("torch says: CUDA initialization: unexpected error 999; CUDA driver is too old")


def test_every_variable_hiding_the_gpus_is_named(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["rocm6.4"])
    mi300x = smoke.hardware.Gpu("amd", "AMD Instinct MI300X", "gfx942", evidence="rocminfo")
    on_machine(smoke, monkeypatch, mi300x, hidden={"CUDA_VISIBLE_DEVICES": "", "HIP_VISIBLE_DEVICES": "-1"})
    checks = problems(smoke, smoke.check_devices, fake_torch("2.9.1+rocm6.4", hip="6.4.1"), "rocm6.4")
    assert checks["devices"].detail == (
        "1 AMD GPU(s) hidden on purpose by CUDA_VISIBLE_DEVICES='', HIP_VISIBLE_DEVICES='-1'"
    )


def test_a_driver_at_the_floor_is_enough(smoke_for, monkeypatch):
    smoke = smoke_for(torch_version="2.12", backends=["cu126"])
    machine = on_machine(smoke, monkeypatch, nvidia(smoke, "NVIDIA GeForce RTX 4090", "sm_89", "525.60.13"))
    checks = problems(smoke, smoke.check_driver, "cu126", machine)
    assert (checks["driver"].status, checks["driver"].detail) == (
        "ok",
        "NVIDIA driver 525.60.13 >= 525.60.13, the floor of cu126 builds",
    )


def test_a_gpu_no_build_runs_until_a_driver_update_is_told_both_steps_not_the_cpu(smoke_for, monkeypatch):
    # cu128 has no sm_61 kernels; cu126 has, from driver 525.60.13: the update, then cu126.
    smoke = smoke_for(backends=["cu128"])
    machine = on_machine(smoke, monkeypatch, nvidia(smoke, "NVIDIA GeForce GTX 1080", "sm_61", "470.82"))
    row = problems(smoke, smoke.check_driver, "cu128", machine)["driver"]
    assert row.status == "FAIL"
    assert row.fix.startswith("update the NVIDIA driver to 525.60.13 or newer, then uvx ")
    assert row.fix.endswith("""'backends=["cu128", "cu126"]', then uv sync --extra cu126""")


@pytest.mark.parametrize("platform", ["linux-x86_64", "windows-x86_64"])
def test_a_build_the_project_s_data_does_not_know_gets_no_driver_row(smoke_for, monkeypatch, platform):
    smoke = smoke_for(platform, backends=["cu128"])  # torch 2.9: no cu118 build, no floor for it
    machine = on_machine(smoke, monkeypatch, nvidia(smoke, "NVIDIA GeForce RTX 4090", "sm_89", "580.65.06"))
    assert problems(smoke, smoke.check_driver, "cu118", machine) == {}


def test_a_torch_requirement_under_an_extra_is_not_the_library_s_own(smoke_for, installed):
    smoke = smoke_for()
    installed({"torchao": ("0.15.0", ['torch>=2.0; extra == "dev"', "torch==2.9.1"], None)})
    assert smoke._required_torch("torchao") == "==2.9.1"


def test_an_intel_gpu_an_xpu_build_cannot_use_fails_and_an_integrated_one_skips(smoke_for, monkeypatch):
    """An xpu build with no usable Intel GPU used to end in VERDICT: OK whatever the machine had."""
    smoke = smoke_for(torch_version="2.12", backends=["xpu"])
    torch = fake_torch("2.12.1+xpu")
    torch.xpu = SimpleNamespace(is_available=lambda: False, device_count=lambda: 0)
    arc = smoke.hardware.Gpu("intel", "Intel Arc A770", evidence="/sys/class/drm/card1")
    on_machine(smoke, monkeypatch, arc)
    checks = problems(smoke, smoke.check_devices, torch, "xpu")
    assert checks["devices"].status == "FAIL" and "Intel Arc A770" in checks["devices"].detail
    assert checks["devices"].fix
    uhd = smoke.hardware.Gpu("intel", "Intel UHD Graphics 770", evidence="sycl-ls", integrated=True)
    on_machine(smoke, monkeypatch, uhd)
    checks = problems(smoke, smoke.check_devices, torch, "xpu")
    assert checks["devices"].status == "skip" and "no Intel GPU" in checks["devices"].detail
    monkeypatch.setenv("ZE_AFFINITY_MASK", "")
    on_machine(smoke, monkeypatch, arc, hidden={"ZE_AFFINITY_MASK": ""})
    checks = problems(smoke, smoke.check_devices, torch, "xpu")
    assert checks["devices"].status == "skip" and "ZE_AFFINITY_MASK" in checks["devices"].detail


def test_no_gpu_on_the_machine_skips_the_gpu_checks(smoke_for):
    smoke = smoke_for(backends=["cu130"])
    checks = problems(smoke, smoke.check_devices, fake_torch("2.9.1+cu130", cuda="13.0"), "cu130")
    assert checks["devices"].status == "skip" and "no NVIDIA GPU" in checks["devices"].detail


def test_a_platform_outside_the_project_is_reported_not_failed(smoke_for):
    smoke = smoke_for("linux-aarch64", backends=["cu128"], platforms=["linux-x86_64", "windows-x86_64"])
    checks = problems(smoke, smoke.check_build, fake_torch("2.9.1"))
    assert checks["build"].status == "warn" and "linux-aarch64" in checks["build"].detail
    assert smoke.expected_backends() == (
        set(),
        "this project's platforms (linux-x86_64, windows-x86_64) do not include linux-aarch64",
    )


def test_wrong_torch_series_fails(smoke_for):
    smoke = smoke_for(backends=["cpu"])
    checks = problems(smoke, smoke.check_build, fake_torch("2.8.0+cpu"))
    assert checks["version"].status == "FAIL" and "2.9" in checks["version"].detail


def test_missing_torch_is_explained_not_raised(smoke_for, monkeypatch):
    smoke = smoke_for(backend_selection="extra", backends=["cpu", "cu128"])
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    report = smoke.run(distributed=False, compile=False, timeout=smoke.TIMEOUT_S)
    assert [c.name for c in report.failed] == ["import torch"]
    assert "uv sync --extra" in report.failed[0].fix
    assert "VERDICT: FAILED" in smoke.render(report)


# --- the libraries: rendered from their records, each probed -----------------------------


def fake_module(tmp_path, name, compiled=False, **attributes):
    folder = tmp_path / name
    folder.mkdir(parents=True)
    if compiled:
        (folder / "_C.abi3.so").write_bytes(b"")
    return SimpleNamespace(__file__=str(folder / "__init__.py"), **attributes)


ALL_FOUR = ["torchvision", "torchaudio", "torchao", "torchcodec"]


def test_each_library_is_probed_and_a_mismatch_is_named_with_a_fix(smoke_for, installed, tmp_path):
    smoke = smoke_for(
        torch_version="2.9",
        backends=["cu128"],
        platforms=["linux-x86_64", "macos-arm64"],
        torch_libraries=ALL_FOUR,
    )
    assert list(smoke.PROJECT.data["libraries"]) == ALL_FOUR
    # torchao 0.14.1 (built for torch 2.9.0) beside torch 2.9.1: its own __init__ skipped its ops.
    ao = fake_module(tmp_path, "torchao", True, __version__="0.14.1+cu128", skip_loading_so_files=True)
    installed(
        {
            "torchao": ("0.14.1+cu128", [], ao),
            "torchcodec": ("0.9.1+cu128", [], None),  # its FFmpeg libraries did not load
            "torchvision": ("0.24.1", ["torch==2.9.1"], fake_module(tmp_path, "torchvision")),  # from PyPI
            "torchaudio": ("2.9.0+cu128", ["torch==2.9.0"], fake_module(tmp_path, "torchaudio")),
        }
    )
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(
        smoke, "PROBES", {**smoke.PROBES, "torchvision": lambda *a: "ran", "torchaudio": lambda *a: "ran"}
    )
    try:
        checks = problems(smoke, smoke.check_libraries, fake_torch("2.9.1+cu128", cuda="12.8"), [])
    finally:
        monkeypatch.undo()
    assert checks["torchao cpu"].status == "FAIL"
    assert "pytorch/ao#2919" in checks["torchao cpu"].detail and "2.9.1" in checks["torchao cpu"].detail
    assert checks["torchao cpu"].fix.startswith("uv sync --reinstall-package torchao")
    assert checks["torchcodec"].status == "FAIL" and "FFmpeg" in checks["torchcodec"].detail
    assert checks["torchcodec"].fix.startswith("install FFmpeg 4 to 8: sudo apt install ffmpeg (if it is")
    assert checks["torchvision build"].status == "FAIL" and "cu128" in checks["torchvision build"].detail
    assert checks["torchaudio pin"].status == "FAIL"
    assert "needs torch ==2.9.0" in checks["torchaudio pin"].detail
    assert checks["torchvision cpu"].status == "ok"


def test_the_record_says_which_files_carry_a_label(smoke_for, installed, tmp_path):
    # 2.15's torchvision is one py3-none wheel without label; torchao 0.18 accepts torch >= 2.11.
    smoke = smoke_for(
        torch_version="2.15",
        backends=["cu132"],
        platforms=["linux-x86_64"],
        torch_libraries=["torchvision", "torchao"],
    )
    installed(
        {
            "torchvision": ("0.29.2", ["torch>=2.14.0"], fake_module(tmp_path, "torchvision")),
            "torchao": (
                "0.18.0+cu132",
                [],
                fake_module(tmp_path, "torchao", True, skip_loading_so_files=False),
            ),
        }
    )
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(smoke, "PROBES", {name: (lambda *a: "ran") for name in smoke.PROBES})
    try:
        checks = problems(smoke, smoke.check_libraries, fake_torch("2.15.0+cu132", cuda="13.2"), [])
    finally:
        monkeypatch.undo()
    assert not [c for c in checks.values() if c.status == "FAIL"], checks


def test_a_library_without_a_probe_does_not_pass(smoke_for):
    smoke = smoke_for(torch_version="2.9", backends=["cpu"], torch_libraries=["torchvision"])
    with pytest.raises(LookupError, match="nothing was run"):
        smoke._exercise(fake_torch(), SimpleNamespace(), "torchtext", "cpu")


def test_a_fifth_library_is_one_record_in_the_data(tmp_path, smoke_for, monkeypatch):
    """Appending one record to the template's data offers, pins and routes a library, and tells
    the smoke check its facts; until the check has a probe for it, its row fails, never passes."""
    template = copy_template(tmp_path / "template")
    data = template / "extensions" / "torch_matrix.py"
    data.write_text(
        data.read_text()
        + """
LIBRARIES["torchfoo"] = Library(
    name="torchfoo",
    summary="a library that does not exist",
    versions={"2.12": Pairing("1.2.3", ">=2.12.0", "a test", MACOS_14)},
    builds=None,
    labelled_platforms=(),
    labelled_kinds=(),
    source="a test",
)
"""
    )
    answers = answers_for(
        torch_version="2.12", backends=["cu130"], platforms=["linux-x86_64"], torch_libraries=["torchfoo"]
    )
    copier.run_copy(
        str(template), str(tmp_path / "project"), data=answers, defaults=True, unsafe=True, quiet=True
    )
    project = tmp_path / "project"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert "torchfoo~=1.2.3" in pyproject["project"]["dependencies"]
    assert [s["index"] for s in pyproject["tool"]["uv"]["sources"]["torchfoo"]] == ["pytorch-cu130"]
    smoke = smoke_for()
    monkeypatch.setattr(
        smoke, "PROJECT", smoke.hardware.load_project(project / "tools" / "torch_project.json")
    )
    assert smoke.PROJECT.data["libraries"]["torchfoo"]["torch"] == ">=2.12.0"
    with pytest.raises(LookupError, match="no probe for torchfoo: nothing was run"):
        smoke._exercise(fake_torch(), SimpleNamespace(), "torchfoo", "cuda:0")


def test_every_library_of_the_data_has_a_probe(smoke_for):
    assert set(smoke_for().PROBES) == set(torch_plan.matrix.LIBRARIES)


def test_torchcodec_without_ffmpeg_is_told_how_to_install_it(smoke_for, installed, tmp_path, monkeypatch):
    # torchcodec 0.16+ imports without FFmpeg and says so in _core.ops.
    smoke = smoke_for(
        "macos-arm64",
        torch_version="2.12",
        backends=["cpu"],
        platforms=["macos-arm64"],
        torch_libraries=["torchcodec"],
    )
    ops = SimpleNamespace(_FFMPEG_AVAILABLE=False, ffmpeg_major_version=None)
    codec = fake_module(tmp_path, "torchcodec", _core=SimpleNamespace(ops=ops))
    installed({"torchcodec": ("0.16.0", [], codec)})
    monkeypatch.setattr(shutil, "which", lambda name: None)
    checks = problems(smoke, smoke.check_libraries, fake_torch("2.12.1"), [])
    assert checks["torchcodec cpu"].status == "FAIL"
    assert "no FFmpeg 4 to 9" in checks["torchcodec cpu"].detail  # torchcodec 0.16
    assert "no ffmpeg executable on PATH" in checks["torchcodec cpu"].detail
    assert checks["torchcodec cpu"].fix.startswith("install FFmpeg 4 to 9: brew install ffmpeg")


def test_a_cpu_index_library_beside_a_rocm_torch_is_the_expected_build(smoke_for, installed, tmp_path):
    # torchao has no ROCm build: on Linux x86_64 the project routes it to the cpu index.
    smoke = smoke_for(
        torch_version="2.9", backends=["rocm6.4"], platforms=["linux-x86_64"], torch_libraries=["torchao"]
    )
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(smoke, "PROBES", {"torchao": lambda *a: "ran"})
    try:
        for version, status in (("0.15.0+cpu", None), ("0.15.0+cu128", "FAIL")):
            installed({"torchao": (version, [], fake_module(tmp_path / version, "torchao"))})
            checks = problems(smoke, smoke.check_libraries, fake_torch("2.9.1+rocm6.4", hip="6.4.1"), [])
            assert getattr(checks.get("torchao build"), "status", None) == status, (version, checks)
    finally:
        monkeypatch.undo()


def test_a_library_pypi_serves_here_is_expected_without_a_label(smoke_for, installed, tmp_path):
    # torchao has no Linux aarch64 build on the PyTorch indexes: the project takes it from PyPI.
    smoke = smoke_for("linux-aarch64", torch_version="2.12", backends=["cu130"], torch_libraries=["torchao"])
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(smoke, "PROBES", {"torchao": lambda *a: "ran"})
    try:
        for version, problem in (
            ("0.17.0", ""),
            ("0.17.0+cpu", "torchao 0.17.0+cpu is not the unlabelled build"),
        ):
            installed({"torchao": (version, [], fake_module(tmp_path / version, "torchao"))})
            checks = problems(smoke, smoke.check_libraries, fake_torch("2.12.0+cu130", cuda="13.0"), [])
            detail = getattr(checks.get("torchao build"), "detail", "")
            assert detail.partition(" that goes with")[0] == problem, (version, checks)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize(
    ("files", "compiled"),
    [
        # torchao's abi3 wheels also hold an mxfp8 library only CPython 3.10 loads (issue 21, 6)
        (["_C_mxfp8.cpython-310-x86_64-linux-gnu.so"], False),
        (["_C.abi3.so", "_C_mxfp8.cpython-310-x86_64-linux-gnu.so"], True),
        ([], False),
    ],
)
def test_torchao_counts_only_the_op_libraries_this_python_loads(
    smoke_for, tmp_path, files, compiled, monkeypatch
):
    smoke = smoke_for(torch_version="2.12", backends=["cpu"], torch_libraries=["torchao"])
    monkeypatch.setattr(
        "importlib.machinery.EXTENSION_SUFFIXES", [".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".so"]
    )
    folder = tmp_path / "torchao"
    folder.mkdir()
    for name in files:
        (folder / name).write_bytes(b"")
    assert [p.name for p in smoke._loadable(folder, "_C")] == (["_C.abi3.so"] if compiled else [])


@pytest.mark.parametrize(
    ("version", "spec", "meets"),
    [
        ("2.9.1+cu128", "==2.9.1", True),
        ("2.9.0", "==2.9.1", False),
        ("2.9.1", "==2.9.*", True),
        ("2.10.0", "==2.9.*", False),
        ("2.11.0", ">=2.11", True),  # a missing patch is 0
        ("2.11.0", ">=2.11.1", False),
        ("2.12.0.dev20260101", ">=2.12.0", True),
        ("2.10", ">=2.9.1", True),
        ("2.11", ">=2.11.0", True),
    ],
)
def test_a_library_s_torch_requirement_is_read_as_its_records_write_it(smoke_for, version, spec, meets):
    smoke = smoke_for()
    assert smoke._satisfies(version, spec) is meets


def test_the_fix_installs_a_build_through_the_extra_named_for_it_else_one_that_installs_it(smoke_for):
    smoke = smoke_for(
        "macos-arm64", torch_version="2.12", backend_selection="extra", backends=["cu130", "cpu"]
    )
    assert smoke._extras_here() == {"cu130": "cpu", "cpu": "cpu"}  # CUDA's extra is the CPU build here
    assert smoke._fix_for("cpu") == "uv sync --extra cpu"
    smoke = smoke_for(torch_version="2.12", backend_selection="extra", backends=["rocm7.2", "cpu"])
    assert smoke._fix_for("rocm7.2") == "uv sync --extra rocm7-2"  # extras have no dots
