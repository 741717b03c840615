"""The smoke check's whole report, as a user reads it, for a few machines: `main()` runs in the
test process on a stand-in torch (tests/fake_torch.py) and stand-in libraries, and its output is
compared line for line with tests/data/golden/smoke/<case>.txt. What differs between machines (the
Python and the platform lines) is left out.

A change of wording is a change of these files: `UPDATE_GOLDEN=1 pytest tests/test_smoke_report.py`
rewrites them; review the diff before committing it.
"""

from __future__ import annotations

import sys
import time
from types import SimpleNamespace

import pytest

from fake_torch import FakeTorch, Tensor
from helpers import assert_golden

CU128_ARCHS = ["sm_70", "sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120"]
RTX_5090, GTX_1080_TI = ("NVIDIA GeForce RTX 5090", 12, 0), ("NVIDIA GeForce GTX 1080 Ti", 6, 1)
L40S = ("NVIDIA L40S", 8, 9)


def assert_report(name: str, output: str) -> None:
    lines = [line for line in output.splitlines() if not line.startswith(("Python    ", "Platform  "))]
    assert_golden(f"smoke/{name}.txt", "\n".join(lines) + "\n")


def torchvision(torch: FakeTorch) -> SimpleNamespace:
    """Its nms is the real algorithm on the stand-in tensors' lists (the boxes kept, by falling
    score, that overlap a kept one by at most `threshold`), except on a device that computes
    wrong, where it keeps only the first."""

    def overlap(a, b):
        width = max(0, min(a[2], b[2]) - max(a[0], b[0]))
        height = max(0, min(a[3], b[3]) - max(a[1], b[1]))
        area = lambda box: (box[2] - box[0]) * (box[3] - box[1])  # noqa: E731
        return width * height / (area(a) + area(b) - width * height)

    def nms(boxes, scores, threshold):
        keep = []
        for i in sorted(range(len(scores.value)), key=lambda i: -scores.value[i]):
            if all(overlap(boxes.value[i], boxes.value[j]) <= threshold for j in keep):
                keep.append(i)
        return Tensor(torch, keep[:1] if boxes.device in torch.off else keep, boxes.device)

    return SimpleNamespace(ops=SimpleNamespace(nms=nms))


def torchaudio(torch: FakeTorch, bins=201) -> SimpleNamespace:
    class Spectrogram:
        def __init__(self, n_fft):
            self.n_fft = n_fft

        def to(self, device):
            return self

        def __call__(self, wave):
            return Tensor(torch, 1.0, wave.device, (1, self.n_fft // 2 + 1 - (201 - bins), 81))

    return SimpleNamespace(transforms=SimpleNamespace(Spectrogram=Spectrogram))


def torchcodec(torch: FakeTorch, ops, samples=16000, encoders=True) -> SimpleNamespace:
    """torchcodec whose FFmpeg is `ops` (None: a release before 0.7, whose import loaded it); a
    wav round trip gives back `samples` samples."""

    class AudioEncoder:
        def __init__(self, wave, sample_rate):
            self.wave, self.rate = wave, sample_rate

        def to_tensor(self, format):
            assert format == "wav"
            return ("wav", self.rate, self.wave)

    class AudioDecoder:
        def __init__(self, data):
            assert data[0] == "wav" and data[1] == 16000
            self.data = data

        def get_all_samples(self):
            return SimpleNamespace(data=Tensor(torch, 1.0, "cpu", (1, samples)))

    if not encoders:
        return SimpleNamespace()
    return SimpleNamespace(
        _core=SimpleNamespace(ops=ops),
        encoders=SimpleNamespace(AudioEncoder=AudioEncoder),
        decoders=SimpleNamespace(AudioDecoder=AudioDecoder),
    )


def ffmpeg_on_path(monkeypatch, tmp_path) -> None:
    """An ffmpeg executable that says its version when asked for it, and nothing else."""
    ffmpeg = tmp_path / "bin" / "ffmpeg"
    ffmpeg.parent.mkdir()
    ffmpeg.write_text(
        '#!/bin/sh\n[ "$*" = -version ] || exit 1\n'
        "echo 'ffmpeg version 7.1.1 Copyright (c) 2000-2025 the FFmpeg developers'\n"
    )
    ffmpeg.chmod(0o755)
    monkeypatch.setenv("PATH", str(ffmpeg.parent))


class NoTorch:
    """A meta path finder for a machine without torch: `import torch` fails as it does there."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def run_main(smoke, monkeypatch, capsys, torch, *argv: str) -> tuple[int, str, str]:
    """main() with `torch` importable as this stand-in (None: not installed); (status, stdout,
    stderr)."""
    if torch is None:
        monkeypatch.delitem(sys.modules, "torch", raising=False)
        monkeypatch.setattr(sys, "meta_path", [NoTorch, *sys.meta_path])
    else:
        monkeypatch.setitem(sys.modules, "torch", torch)
    status = smoke.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def on(smoke, monkeypatch, *gpus, **fields):
    machine = smoke.hardware.Machine(gpus=list(gpus), platform=smoke.current_platform(), **fields)
    monkeypatch.setattr(smoke, "this_machine", lambda: machine)


def nvidia(smoke, model, arch, driver="580.65.06", index=0):
    return smoke.hardware.Gpu("nvidia", model, arch, driver, "nvidia-smi", index=index)


def test_a_cpu_build_on_a_laptop_with_its_libraries(smoke_for, monkeypatch, capsys, installed):
    smoke = smoke_for(backends=["cpu"], torch_libraries=["torchvision", "torchaudio"])
    torch = FakeTorch("2.9.1+cpu")
    installed(
        {
            "torchvision": ("0.24.1+cpu", ["torch==2.9.1"], torchvision(torch)),
            "torchaudio": ("2.9.1+cpu", ["torch==2.9.1"], torchaudio(torch)),
        },
    )
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert (status, errors) == (0, "")
    assert_report("cpu-laptop", output)


def test_two_gpus_one_without_kernels_one_computing_wrong(smoke_for, monkeypatch, capsys, installed):
    smoke = smoke_for(backends=["cu128"], torch_libraries=["torchvision"])
    on(smoke, monkeypatch, nvidia(smoke, *RTX_5090[:1], "sm_120"), nvidia(smoke, "L40S", "sm_89", index=1))
    torch = FakeTorch(
        "2.9.1+cu128",
        cuda="12.8",
        gpus=[RTX_5090, L40S, GTX_1080_TI],
        arch_list=CU128_ARCHS,
        off={"cuda:1": 0.01},
        no_bf16={"cuda:2"},
    )
    installed({"torchvision": ("0.24.1+cu128", ["torch==2.9.1"], torchvision(torch))})
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert (status, errors) == (1, "")
    assert_report("two-gpus", output)


def test_a_cpu_build_beside_a_gpu_and_a_library_from_pypi(smoke_for, monkeypatch, capsys, installed):
    smoke = smoke_for(
        backend_selection="extra", backends=["cpu", "cu128"], torch_libraries=["torchvision", "torchaudio"]
    )
    on(smoke, monkeypatch, nvidia(smoke, "NVIDIA H200", "sm_90"))
    torch = FakeTorch("2.9.1+cpu")
    installed(
        {
            "torchvision": ("0.24.1", ["torch==2.9.1"], torchvision(torch)),  # PyPI's, unlabelled
            "torchaudio": ("2.8.0+cpu", ["torch==2.8.0"], torchaudio(torch, bins=200)),
        },
    )
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert (status, errors) == (1, "")
    assert_report("cpu-beside-gpu", output)


def test_no_torch_and_a_broken_project_file(smoke_for, monkeypatch, capsys, installed):
    smoke = smoke_for(backend_selection="extra", backends=["cpu", "cu128"])
    # As the module loads a broken data file: no project data, and the error.
    monkeypatch.setattr(smoke, "PROJECT", smoke.hardware.Project.empty())
    monkeypatch.setattr(smoke, "PROJECT_ERROR", "tools/torch_project.json is not valid JSON: line 1")
    status, output, errors = run_main(smoke, monkeypatch, capsys, None)
    assert (status, errors) == (1, "")
    assert_report("no-torch", output)


def test_an_unforeseen_error_in_a_check_is_a_row_and_debug_prints_its_traceback(
    smoke_for, monkeypatch, capsys
):
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    torch = FakeTorch("2.9.1+cpu")

    def broken(*args, **kwargs):
        raise RuntimeError("the allocator gave up\nsecond line")

    torch.randn = broken
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch, "--debug")
    assert status == 1
    assert errors.startswith("Traceback (most recent call last)") and "second line" in errors
    assert "second line" not in output  # the row has the first line; --debug the rest
    assert_report("unforeseen-error", output)
    run_main(smoke, monkeypatch, capsys, torch)
    assert capsys.readouterr().err == ""  # without --debug, no traceback


def test_a_build_check_that_breaks_leaves_the_rest_to_what_torch_says(smoke_for, monkeypatch, capsys):
    """The expected builds cannot be worked out: the header says why, the build row fails, and
    the other checks go on for the build torch names (here the CPU one: the devices row skips)."""
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])

    def unknown():
        raise KeyError("linux-x86_64")

    monkeypatch.setattr(smoke, "expected_backends", unknown)
    status, output, _ = run_main(smoke, monkeypatch, capsys, FakeTorch("2.9.1+cpu"))
    assert status == 1
    assert "Expected  unknown ('linux-x86_64')" in output
    rows = [line[7:].split(None, 2)[:2] for line in output.splitlines() if line.startswith("[")]
    assert rows == [["build", "KeyError:"], ["devices", "CPU"], ["matmul", "cpu"]]
    assert "CPU build: no accelerator checks" in output


def test_a_devices_check_that_breaks_leaves_the_cpu_checks_to_run(smoke_for, monkeypatch, capsys):
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])

    def broken(*args):
        raise RuntimeError("the driver went away")

    monkeypatch.setattr(smoke, "check_devices", broken)
    status, output, _ = run_main(smoke, monkeypatch, capsys, FakeTorch("2.9.1+cpu"))
    failed = [line.split()[1] for line in output.splitlines() if line.startswith("[FAIL]")]
    assert (status, failed) == (1, ["devices"])
    assert "[  ok] matmul cpu" in output


def test_an_error_without_a_message_is_named_by_its_type(smoke_for):
    smoke = smoke_for()
    assert smoke._first_line(RuntimeError()) == "RuntimeError()"
    assert smoke._first_line(RuntimeError("\n  first\nsecond")) == "first"


def test_without_distributed_a_launched_process_runs_the_plain_check(smoke_for, monkeypatch, capsys):
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    for name, value in {"RANK": "1", "WORLD_SIZE": "2", "LOCAL_RANK": "1"}.items():
        monkeypatch.setenv(name, value)
    status, output, errors = run_main(smoke, monkeypatch, capsys, FakeTorch("2.9.1+cpu"))
    assert (status, errors) == (0, "") and "VERDICT: OK" in output and "all-reduce" not in output


def test_a_rank_other_than_0_with_nothing_failed_prints_nothing_and_exits_0(smoke_for, capsys):
    smoke = smoke_for()
    assert smoke._print_rank(smoke.Report(), smoke.Launch(1, 2, 1, "srun"), False) == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("rank", [0, 1])
def test_under_srun_rank_0_reports_and_the_others_say_only_what_failed(smoke_for, monkeypatch, capsys, rank):
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    torch = FakeTorch("2.9.1+cpu")
    sums = iter([3.0, 1.0])  # this rank's sum is right; another rank saw a wrong one
    torch.distributed = SimpleNamespace(
        init_process_group=lambda *args, **kwargs: None,
        all_reduce=lambda tensor: setattr(tensor, "value", next(sums)),
        destroy_process_group=lambda: None,
        is_available=lambda: True,
        is_gloo_available=lambda: True,
        is_nccl_available=lambda: False,
    )
    torch.device = lambda kind, index=None: kind
    monkeypatch.setitem(sys.modules, "torch.distributed", torch.distributed)
    for name, value in {"SLURM_PROCID": rank, "SLURM_NTASKS": 2, "SLURM_LOCALID": rank}.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("MASTER_ADDR", "node-1")
    monkeypatch.setenv("MASTER_PORT", "29500")
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch, "--distributed", "--timeout", "5")
    assert status == 1
    assert (output, errors)[rank] != "" and (output, errors)[1 - rank] == ""  # rank 0: stdout
    assert_report(f"srun-rank-{rank}", output + errors)


def test_its_help_says_what_each_option_does(smoke_for, monkeypatch, capsys, installed):
    smoke = smoke_for(backends=["cpu"])
    monkeypatch.setattr(sys, "argv", ["tools/torch_smoke.py"])  # the program name in its usage line
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit):
        smoke.main(["--help"])
    assert_golden("smoke/help.txt", capsys.readouterr().out)


def test_every_check_that_breaks_unforeseen_is_a_row_named_for_it(smoke_for, monkeypatch, capsys):
    smoke = smoke_for("macos-arm64", backends=["cpu"], torch_libraries=["torchvision"])
    for check in ("build", "devices", "mps", "compute", "memory", "libraries", "compile", "distributed"):
        name = f"check_{check}"

        def broken(*args, check=check, **kwargs):
            raise RuntimeError(f"{check} broke")

        monkeypatch.setattr(smoke, name, broken)
    status, output, errors = run_main(
        smoke, monkeypatch, capsys, FakeTorch("2.9.1"), "--compile", "--distributed"
    )
    assert (status, errors) == (1, "")
    assert_report("every-check-breaks", output)


def test_compile_and_distributed_alone_on_a_laptop(smoke_for, monkeypatch, capsys):
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    workers = []

    def run_workers(target, args, world, wait_s):
        workers.append((target.__name__, args[1:3], world, wait_s))
        return {rank: (3.0, 0, "") for rank in range(world)}, ""

    monkeypatch.setattr(smoke, "_run_workers", run_workers)
    torch = FakeTorch("2.9.1+cpu")
    torch.distributed = SimpleNamespace(is_available=lambda: True, is_gloo_available=lambda: True)
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch, "--compile", "--distributed")
    assert (status, errors) == (0, "")
    assert workers == [("_all_reduce_worker", ("gloo", workers[0][1][1]), 2, 120.0)]
    assert workers[0][1][1].startswith("file://")
    assert_report("compile-and-distributed", output)
    torch.compiled_off = 0.01
    status, output, _ = run_main(smoke, monkeypatch, capsys, torch, "--compile")
    assert (
        status == 1
        and "[FAIL] compile cpu  AssertionError: the compiled function differs from eager" in output
    )


def test_rocm_gpus_are_named_by_their_gfx_target(smoke_for, monkeypatch, capsys):
    smoke = smoke_for(backends=["rocm6.4"], platforms=["linux-x86_64"], torch_libraries=[])
    on(smoke, monkeypatch, smoke.hardware.Gpu("amd", "AMD Instinct MI300X", "gfx942", "", "rocminfo"))
    gpus = [
        ("AMD Instinct MI300X", 9, 4, "gfx942:sramecc+:xnack-"),
        ("AMD Radeon RX 6700 XT", 10, 3, "gfx1031"),
    ]
    torch = FakeTorch("2.9.1+rocm6.4", hip="6.4.43484", gpus=gpus, arch_list=["gfx90a", "gfx942", "gfx1100"])
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert (status, errors) == (1, "")
    assert_report("rocm", output)


def test_intel_gpus_through_xpu(smoke_for, monkeypatch, capsys):
    smoke = smoke_for(torch_version="2.9", backends=["xpu"], platforms=["linux-x86_64"], torch_libraries=[])
    torch = FakeTorch("2.9.1+xpu", xpu=["Intel(R) Arc(TM) A770 Graphics"])
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert (status, errors) == (0, "")
    assert_report("xpu", output)


@pytest.mark.parametrize("mps", ["available", "not-offered", "not-built"])
def test_a_mac_uses_its_gpu_through_mps_where_it_can(smoke_for, monkeypatch, capsys, mps):
    smoke = smoke_for("macos-arm64", backends=["cpu"], torch_libraries=[])
    monkeypatch.setattr(smoke.sys, "platform", "darwin")
    torch = FakeTorch("2.9.1")
    torch.backends.mps = SimpleNamespace(
        is_built=lambda: mps != "not-built", is_available=lambda: mps == "available"
    )
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert (status, errors) == (0, "")
    assert_report(f"mps-{mps}", output)


def test_each_library_probe_on_a_cuda_machine(smoke_for, monkeypatch, capsys, installed, tmp_path):
    smoke = smoke_for(
        backends=["cu128"],
        platforms=["linux-x86_64"],
        torch_libraries=["torchvision", "torchaudio", "torchao", "torchcodec"],
    )
    on(smoke, monkeypatch, nvidia(smoke, "NVIDIA L40S", "sm_89"))
    torch = FakeTorch("2.9.1+cu128", cuda="12.8", gpus=[L40S], arch_list=CU128_ARCHS)
    ffmpeg_on_path(monkeypatch, tmp_path)
    (tmp_path / "torchao").mkdir()
    (tmp_path / "torchao" / "_C.abi3.so").write_bytes(b"")
    codec = torchcodec(torch, SimpleNamespace(_FFMPEG_AVAILABLE=True, ffmpeg_major_version=7))
    ao = torchao(torch, tmp_path / "torchao", error=0.0)
    installed(
        {
            "torchvision": ("0.24.1+cu128", ["torch==2.9.1"], torchvision(torch)),
            "torchaudio": ("2.9.1+cu128", ["torch==2.9.1"], torchaudio(torch)),
            "torchao": ("0.14.1+cu128", [], ao),
            "torchcodec": ("0.9.1+cu128", [], codec),
        }
    )
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert (status, errors) == (0, ""), output
    assert_report("libraries-on-cuda", output)


def torchao(torch: FakeTorch, folder, error=0.01, skip_loading=False) -> SimpleNamespace:
    """torchao in `folder`, whose int8 weight-only layers are off by `error`."""

    def quantize_(layer, config):
        assert hasattr(layer, "scale") and config == "int8"
        layer.scale = 1 + error

    module = SimpleNamespace(
        __file__=str(folder / "__init__.py"),
        __version__="0.14.1+cpu",
        quantization=SimpleNamespace(quantize_=quantize_, Int8WeightOnlyConfig=lambda: "int8"),
    )
    if skip_loading:
        module.skip_loading_so_files = True
    return module


@pytest.mark.parametrize("case", ["without-cpp-ops", "cpp-ops-for-another-torch", "quantized-layer-off"])
def test_torchao_says_whether_its_cpp_ops_loaded(smoke_for, monkeypatch, capsys, installed, tmp_path, case):
    smoke = smoke_for(backends=["cpu"], platforms=["linux-x86_64"], torch_libraries=["torchao"])
    torch = FakeTorch("2.9.1+cpu")
    if case != "without-cpp-ops":
        (tmp_path / "_C.abi3.so").write_bytes(b"")
    (tmp_path / "_C_mxfp8.cpython-310-x86_64-linux-gnu.so").write_bytes(b"")  # CPython 3.10's only
    ao = torchao(
        torch, tmp_path, error=0.5 if case == "quantized-layer-off" else 0.01, skip_loading="another" in case
    )
    installed({"torchao": ("0.14.1+cpu", ["torch==2.9.1"], ao)})
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert errors == ""
    assert_report(f"torchao-{case}", output)


@pytest.mark.parametrize(
    "case", ["ffmpeg-missing", "before-0.7-without-ffmpeg-on-path", "round-trip-loses-samples"]
)
def test_torchcodec_says_which_ffmpeg_it_found(smoke_for, monkeypatch, capsys, installed, tmp_path, case):
    smoke = smoke_for(backends=["cpu"], platforms=["linux-x86_64"], torch_libraries=["torchcodec"])
    torch = FakeTorch("2.9.1+cpu")
    if case == "ffmpeg-missing":  # 0.16 and later import without FFmpeg, and say so
        ffmpeg_on_path(monkeypatch, tmp_path)
        codec = torchcodec(torch, SimpleNamespace(_FFMPEG_AVAILABLE=False))
    elif case == "before-0.7-without-ffmpeg-on-path":
        monkeypatch.setenv("PATH", str(tmp_path))
        codec = torchcodec(torch, None, encoders=False)
    else:
        monkeypatch.setenv("PATH", str(tmp_path))
        codec = torchcodec(torch, SimpleNamespace(ffmpeg_major_version=6), samples=8000)
    installed({"torchcodec": ("0.9.1+cpu", ["torch==2.9.1"], codec)})
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert errors == ""
    assert status == (0 if "VERDICT: OK" in output else 1)
    assert_report(f"torchcodec-{case}", output)


# --- the all-reduce: every row it can end in, and what it passes to torch.distributed ---------


def test_every_all_reduce_row(smoke_for):
    smoke = smoke_for(backends=["cu128"], torch_libraries=[])
    cases = [
        ("gloo", 2, 3.0, 0, "", ""),
        ("nccl", 1, 1.0, 0, "", " (torchrun)"),
        ("nccl", 8, 36.0, 0, "", " (srun)"),
        ("gloo", 2, 2.0, 1, "", ""),
        ("gloo", 2, {2.0, 3.0}, 1, "", ""),
        ("xccl", 2, None, 0, "DistBackendError: Watchdog caught collective operation timeout", ""),
        ("gloo", 2, None, 0, "timed out after 65 s waiting for the workers", ""),
        ("gloo", 2, None, 0, "RuntimeError: Timeout (0:00:05) waiting for rank 1", " (srun)"),
        ("gloo", 2, None, 0, "worker rank 1 ended (signal 9) before the all-reduce finished", ""),
        ("gloo", 2, None, 0, "RuntimeError: Connection reset by peer", ""),
        ("nccl", 2, None, 0, "DistBackendError: NCCL error: unhandled system error", ""),
    ]
    lines = []
    for backend, world, total, wrong, problem, how in cases:
        report = smoke.Report()
        smoke._all_reduce_row(report, backend, world, total, wrong, problem, how)
        (row,) = report.checks
        lines += [f"[{row.status}] {row.name}: {row.detail}", f"    fix: {row.fix}"]
    assert_golden("smoke/all-reduce-rows.txt", "\n".join(lines) + "\n")


def recording_dist(calls: list, fail_init=None, others_wrong=0.0) -> SimpleNamespace:
    """torch.distributed for one rank among ranks that put in what they should (rank + 1, and no
    "wrong" flag; `others_wrong`: the flags the others put in); it records what it is asked."""
    joined = {}

    def init_process_group(backend, init_method=None, timeout=None, world_size=-1, rank=-1, device_id=None):
        options = dict(init_method=init_method, timeout=timeout, world_size=world_size, rank=rank)
        calls.append(("init", backend, sorted((k, str(v)) for k, v in options.items()), device_id))
        if fail_init:
            raise fail_init
        joined.update(rank=rank, world=world_size, reduces=0)

    def all_reduce(tensor):
        calls.append(("all_reduce", tensor.device, tensor.value))
        others = [k + 1 for k in range(joined["world"]) if k != joined["rank"]]
        tensor.value = [tensor.value[0] + (sum(others) if not joined["reduces"] else others_wrong)]
        joined["reduces"] += 1

    return SimpleNamespace(
        init_process_group=init_process_group,
        all_reduce=all_reduce,
        destroy_process_group=lambda: calls.append(("destroy",)),
        is_available=lambda: True,
        is_gloo_available=lambda: True,
        is_nccl_available=lambda: True,
    )


@pytest.mark.parametrize("gpus", [0, 2])
def test_under_a_launcher_each_rank_joins_with_its_own_device(smoke_for, monkeypatch, gpus):
    smoke = smoke_for(backends=["cu128"], torch_libraries=[])
    calls = []
    torch = FakeTorch("2.9.1+cu128", cuda="12.8", gpus=[L40S] * gpus)
    torch.distributed = recording_dist(calls)
    torch.device = lambda kind, index=None: kind if index is None else f"{kind}:{index}"
    torch.cuda.set_device = lambda index: calls.append(("set_device", index))
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.distributed", torch.distributed)
    launch = smoke.Launch(rank=3, world=4, local_rank=1, launcher="srun")
    report = smoke.Report()
    smoke.check_launched(report, torch, launch, 7)
    rows = [f"[{c.status}] {c.name}: {c.detail}" for c in report.checks]
    assert_golden(f"smoke/launched-{gpus}-gpus.txt", "\n".join(map(str, [*calls, *rows])) + "\n")


def test_under_a_launcher_a_rank_that_cannot_join_is_a_row_with_its_error(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    calls = []
    torch = FakeTorch("2.9.1+cpu")
    torch.distributed = recording_dist(calls, fail_init=RuntimeError("connect() timed out\nretrying"))
    torch.device = lambda kind, index=None: kind
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.distributed", torch.distributed)
    report = smoke.Report()
    smoke.check_launched(report, torch, smoke.Launch(1, 2, 1, "torchrun"), 5)
    (row,) = report.checks
    assert (row.status, row.name) == ("FAIL", "all-reduce gloo")
    assert row.detail == "gloo, 2 processes (torchrun): timed out: RuntimeError: connect() timed out"
    assert row.fix.startswith("every rank must reach MASTER_ADDR:MASTER_PORT")
    assert report.tracebacks and "retrying" in report.tracebacks[0]


def test_a_rank_stuck_in_a_collective_is_ended_by_the_watchdog(smoke_for, monkeypatch, capsys):
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    ended = []
    monkeypatch.setattr(smoke.os, "_exit", ended.append)

    def stuck(report, torch, launch, timeout):
        time.sleep(0.5)  # a collective that never returns, as far as the watchdog can tell

    monkeypatch.setattr(smoke, "check_launched", stuck)
    monkeypatch.setattr(smoke, "run", lambda compile: smoke.Report())
    monkeypatch.setitem(sys.modules, "torch", FakeTorch("2.9.1+cpu"))
    args = SimpleNamespace(timeout=0.05, debug=False, compile=False)
    smoke._launched_main(smoke.Launch(1, 2, 1, "srun"), args)
    assert ended == [1]
    assert capsys.readouterr().err.startswith("rank 1: [FAIL] all-reduce (rank 1)  timed out after 0 s\n")


def test_rank_0_stuck_reports_the_timeout_first_with_its_fix_and_the_tracebacks(
    smoke_for, monkeypatch, capsys
):
    """The watchdog waits twice the process group's timeout, as a daemon thread; rank 0's report
    (printed when the watchdog fires, and again if the rank comes back) holds the timeout row
    with NCCL's debug command, then its own checks; --debug prints every traceback."""
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    ended, timers, calls = [], [], []
    monkeypatch.setattr(smoke.os, "_exit", ended.append)
    real_timer = smoke.threading.Timer

    def timer(interval, function):
        timers.append(real_timer(interval, function))
        return timers[-1]

    def stuck(report, torch, launch, timeout):
        calls.append(("all-reduce", timeout))
        report.tracebacks.append("Traceback (the all-reduce)")
        time.sleep(0.5)

    def local(distributed, compile, timeout):
        calls.append(("checks", distributed, compile, timeout))
        report = smoke.Report()
        report.add("build", smoke.OK, "2.9.1+cpu")
        report.tracebacks.append("Traceback (a check)")
        return report

    monkeypatch.setattr(smoke.threading, "Timer", timer)
    monkeypatch.setattr(smoke, "check_launched", stuck)
    monkeypatch.setattr(smoke, "run", local)
    monkeypatch.setitem(sys.modules, "torch", FakeTorch("2.9.1+cpu"))
    args = SimpleNamespace(timeout=0.05, debug=True, compile=True)
    status = smoke._launched_main(smoke.Launch(0, 2, 0, "torchrun"), args)
    out, err = capsys.readouterr()
    assert (status, ended, calls) == (1, [1], [("all-reduce", 0.05), ("checks", False, True, 0.05)])
    assert [(t.interval, t.daemon) for t in timers] == [(0.1, True)]
    assert out.split("\n\n")[1].splitlines() == [
        "[FAIL] all-reduce (rank 0)  timed out after 0 s",
        f"                            fix: {smoke.NCCL_FIX}",
    ]
    assert out.rsplit("VERDICT", 1)[0].endswith(
        "[  ok] build                2.9.1+cpu\n"
        "[FAIL] all-reduce (rank 0)  timed out after 0 s\n"
        f"                            fix: {smoke.NCCL_FIX}\n\n"
    )
    assert err.splitlines()[-2:] == ["Traceback (the all-reduce)", "Traceback (a check)"]
    assert err.count("Traceback (the all-reduce)") == 2  # by the watchdog, then at the end

    def broken(report, torch, launch, timeout):
        raise RuntimeError("unforeseen")

    monkeypatch.setattr(smoke, "check_launched", broken)
    smoke._launched_main(smoke.Launch(1, 2, 1, "torchrun"), args)
    assert capsys.readouterr().err.startswith("rank 1: [FAIL] all-reduce  RuntimeError: unforeseen\n")


def test_without_torch_every_rank_says_so(smoke_for, monkeypatch, capsys):
    smoke = smoke_for(backend_selection="extra", backends=["cpu", "cu128"], torch_libraries=[])
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoTorch, *sys.meta_path])
    args = SimpleNamespace(timeout=5, debug=False, compile=False)
    for rank in (0, 1):
        assert smoke._launched_main(smoke.Launch(rank, 2, rank, "srun"), args) == 1
    out, err = capsys.readouterr()
    assert_report("launched-without-torch", f"--- rank 0\n{out}--- rank 1\n{err}")


def test_alone_a_torch_without_distributed_skips_and_one_gpu_is_one_process(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["cu128"], torch_libraries=[])
    torch = FakeTorch("2.9.1+cu128", cuda="12.8", gpus=[L40S])
    torch.distributed = SimpleNamespace(is_available=lambda: False)
    report = smoke.Report()
    smoke.check_distributed(report, torch, 5)
    assert [(c.name, c.status, c.detail) for c in report.checks] == [
        ("all-reduce", "skip", "this torch build has no torch.distributed")
    ]
    started = []

    def run_workers(target, args, world, wait_s):
        started.append((args[1], world, args[2].startswith("file://") and args[2].endswith("/rendezvous")))
        return {rank: (float(world * (world + 1) // 2), 0, "") for rank in range(world)}, ""

    monkeypatch.setattr(smoke, "_run_workers", run_workers)
    torch.distributed = SimpleNamespace(
        is_available=lambda: True, is_gloo_available=lambda: False, is_nccl_available=lambda: True
    )
    report = smoke.Report()
    smoke.check_distributed(report, torch, 5)
    assert started == [("nccl", 1, True)]
    assert [(c.name, c.status, c.detail) for c in report.checks] == [
        ("all-reduce nccl", "ok", "nccl, 1 process: sum over ranks = 1 on every rank")
    ]


@pytest.mark.parametrize("others_wrong", [0.0, 1.0])
def test_a_worker_reports_its_sum_and_what_every_rank_saw(smoke_for, monkeypatch, others_wrong):
    """What each process the check starts alone does: join, all-reduce, put its result (or its
    error) on the queue for the parent."""
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    calls, results = [], []
    torch = FakeTorch("2.9.1+cpu")
    torch.distributed = recording_dist(calls, others_wrong=others_wrong)
    torch.device = lambda kind, index=None: kind
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.distributed", torch.distributed)
    queue = SimpleNamespace(put=results.append)
    smoke._all_reduce_worker(1, 3, "gloo", "file:///tmp/rendezvous", 9, queue)
    assert results == [(1, 6.0, int(others_wrong), "")]
    assert calls[0] == (
        "init",
        "gloo",
        [
            ("init_method", "file:///tmp/rendezvous"),
            ("rank", "1"),
            ("timeout", "0:00:09"),
            ("world_size", "3"),
        ],
        None,
    )
    assert calls[1:] == [("all_reduce", "cpu", [2.0]), ("all_reduce", "cpu", [0.0]), ("destroy",)]
    torch.distributed = recording_dist([], fail_init=RuntimeError("no route to host\ndetails"))
    monkeypatch.setitem(sys.modules, "torch.distributed", torch.distributed)
    smoke._all_reduce_worker(2, 3, "gloo", "file:///tmp/rendezvous", 9, queue)
    assert results[-1] == (2, None, None, "RuntimeError: no route to host")


@pytest.mark.parametrize(
    ("off", "dtype", "passes"),
    [
        (0.0004, "float32", True),
        (0.001, "float32", False),
        (0.02, "bfloat16", True),
        (0.1, "bfloat16", False),
    ],
)
def test_a_device_s_matrix_product_is_held_to_its_precision(smoke_for, off, dtype, passes):
    """float32 within 1e-3 of float64 on the CPU, bfloat16 within 5e-2 (the error is about 2 x off)."""
    smoke = smoke_for(backends=["cu128"], torch_libraries=[])
    torch = FakeTorch("2.9.1+cu128", cuda="12.8", gpus=[L40S], off={"cuda:0": off})
    torch.set_float32_matmul_precision("medium")  # the user's setting; the check uses "highest"
    if passes:
        smoke._matmul(torch, "cuda:0", getattr(torch, dtype))
    else:
        with pytest.raises(AssertionError, match=r"relative error \S+ exceeds"):
            smoke._matmul(torch, "cuda:0", getattr(torch, dtype))
    assert torch.get_float32_matmul_precision() == "medium"  # as it was before the check


# --- more machines, one report each ------------------------------------------------------------

H100 = ("NVIDIA H100 80GB HBM3", 9, 0)


def _libraries_missing_or_broken(smoke, monkeypatch, installed):
    torch = FakeTorch("2.9.1+cpu")
    installed({"torchcodec": ("0.9.1+cpu", [], None)})  # torchvision not installed at all
    return torch


def _cudnn_missing(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, "NVIDIA H100 80GB HBM3", "sm_90"))
    torch = FakeTorch("2.9.1+cu128", cuda="12.8", gpus=[H100], arch_list=CU128_ARCHS)
    torch.backends.cudnn.is_available = lambda: False
    return torch


def _expected_elsewhere(smoke, monkeypatch, installed):
    monkeypatch.setenv("EXPECTED_TORCH_BACKEND", "cu128")
    return FakeTorch("2.9.1+cpu")


def _another_series(smoke, monkeypatch, installed):
    return FakeTorch("2.8.0+cpu")


def _rocm_build_beside_an_h100(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, "NVIDIA H100 80GB HBM3", "sm_90"))
    return FakeTorch("2.9.1+rocm6.4", hip="6.4.43484")


def _cpu_project_on_an_h100(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, "NVIDIA H100 80GB HBM3", "sm_90"))
    return FakeTorch("2.9.1+cpu")


def _gpus_hidden(smoke, monkeypatch, installed):
    gpu = nvidia(smoke, "NVIDIA H100 80GB HBM3", "sm_90")
    on(smoke, monkeypatch, gpu, hidden={"CUDA_VISIBLE_DEVICES": "", "HIP_VISIBLE_DEVICES": "-1"})
    return FakeTorch("2.9.1+cu128", cuda="12.8")


def _job_given_no_gpu(smoke, monkeypatch, installed):
    gpu = nvidia(smoke, "NVIDIA H100 80GB HBM3", "sm_90")
    gpu.reachable = False
    on(smoke, monkeypatch, gpu)
    return FakeTorch("2.9.1+cu128", cuda="12.8")


def _driver_too_old(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, "NVIDIA H100 80GB HBM3", "sm_90", driver="520.61.05"))
    torch = FakeTorch("2.9.1+cu128", cuda="12.8")
    torch.warning = "CUDA initialization: The NVIDIA driver on your system is too old (found version 12000)."
    return torch


def _device_not_opened(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, "NVIDIA H100 80GB HBM3", "sm_90"))
    return FakeTorch("2.9.1+cu128", cuda="12.8")


def _no_gpu_at_all(smoke, monkeypatch, installed):
    torch = FakeTorch("2.9.1+cu128", cuda="12.8")
    torch.warning = "CUDA initialization: Found no NVIDIA driver on your system."
    return torch


def _the_check_itself_breaks(smoke, monkeypatch, installed):
    def broken(**kwargs):
        raise KeyError("torch_series")

    monkeypatch.setattr(smoke, "run", broken)
    return FakeTorch("2.9.1+cpu")


def _a_library_that_does_not_import_beside_one_that_works(smoke, monkeypatch, installed):
    torch = FakeTorch("2.9.1+cpu")
    installed(
        {
            "torchvision": ("0.24.1+cpu", ["torch==2.9.1"], None),
            "torchaudio": ("2.9.1+cpu", ["torch==2.9.1"], torchaudio(torch)),
        }
    )
    return torch


def _a_broken_data_file_beside_torch(smoke, monkeypatch, installed):
    monkeypatch.setattr(smoke, "PROJECT", smoke.hardware.Project.empty())
    monkeypatch.setattr(smoke, "PROJECT_ERROR", "tools/torch_project.json is not valid JSON: line 1")
    return FakeTorch("2.9.1+cpu")


def _a_build_runs_both_gpus(smoke, monkeypatch, installed):
    on(
        smoke,
        monkeypatch,
        nvidia(smoke, *RTX_5090[:1], "sm_120"),
        nvidia(smoke, *GTX_1080_TI[:1], "sm_61", index=1),
    )
    return FakeTorch("2.9.1+cu128", cuda="12.8", gpus=[RTX_5090, GTX_1080_TI], arch_list=CU128_ARCHS)


def _rtx_5090_through_ptx(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, *RTX_5090[:1], "sm_120"))
    arch_list = ["sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90", "compute_90"]
    return FakeTorch("2.9.1+cu126", cuda="12.6", gpus=[RTX_5090], arch_list=arch_list)


def _gtx_1080_ti_alone(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, *GTX_1080_TI[:1], "sm_61"))
    return FakeTorch("2.9.1+cu128", cuda="12.8", gpus=[GTX_1080_TI], arch_list=CU128_ARCHS)


def _cpu_build_beside_a_gpu_with_an_old_driver(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, "NVIDIA H100 80GB HBM3", "sm_90", driver="520.61.05"))
    return FakeTorch("2.9.1+cpu")


def _rocm_build_beside_a_gtx_1080_ti(smoke, monkeypatch, installed):
    on(smoke, monkeypatch, nvidia(smoke, *GTX_1080_TI[:1], "sm_61"))
    return FakeTorch("2.9.1+rocm6.4", hip="6.4.43484")


def _cuda_build_on_arm_where_the_extras_install_cpu(smoke, monkeypatch, installed):
    return FakeTorch("2.9.1+cu128", cuda="12.8")


def _cpu_build_where_only_gpu_extras_are(smoke, monkeypatch, installed):
    return FakeTorch("2.9.1+cpu")


MACHINES = {
    "a-library-that-does-not-import-beside-one-that-works": (
        {"backends": ["cpu"], "torch_libraries": ["torchvision", "torchaudio"]},
        _a_library_that_does_not_import_beside_one_that_works,
    ),
    "a-broken-data-file-beside-torch": (
        {"backends": ["cpu"], "torch_libraries": []},
        _a_broken_data_file_beside_torch,
    ),
    "a-build-runs-both-gpus": (
        {"backend_selection": "extra", "backends": ["cu126", "cu128"], "torch_libraries": []},
        _a_build_runs_both_gpus,
    ),
    "rtx-5090-through-ptx": ({"backends": ["cu126"], "torch_libraries": []}, _rtx_5090_through_ptx),
    "gtx-1080-ti-alone": ({"backends": ["cu128"], "torch_libraries": []}, _gtx_1080_ti_alone),
    "cpu-build-beside-a-gpu-with-an-old-driver": (
        {"backends": ["cpu"], "torch_libraries": []},
        _cpu_build_beside_a_gpu_with_an_old_driver,
    ),
    "rocm-build-beside-a-gtx-1080-ti": (
        {"backend_selection": "extra", "backends": ["cpu", "cu128", "rocm6.4"], "torch_libraries": []},
        _rocm_build_beside_a_gtx_1080_ti,
    ),
    "cuda-build-on-arm-where-the-extras-install-cpu": (
        {
            "backend_selection": "extra",
            "backends": ["cpu", "rocm6.4"],
            "platforms": ["linux-x86_64", "linux-aarch64"],
            "torch_libraries": [],
            "platform": "linux-aarch64",
        },
        _cuda_build_on_arm_where_the_extras_install_cpu,
    ),
    "cpu-build-where-only-gpu-extras-are": (
        {"backend_selection": "extra", "backends": ["cu126", "cu128"], "torch_libraries": []},
        _cpu_build_where_only_gpu_extras_are,
    ),
    "libraries-missing-or-broken": (
        {
            "backends": ["cpu"],
            "torch_libraries": ["torchvision", "torchcodec"],
            "platforms": ["linux-x86_64"],
        },
        _libraries_missing_or_broken,
    ),
    "cudnn-missing": ({"backends": ["cu128"], "torch_libraries": []}, _cudnn_missing),
    "expected-elsewhere": ({"backends": ["cpu"], "torch_libraries": []}, _expected_elsewhere),
    "another-series": ({"backends": ["cpu"], "torch_libraries": []}, _another_series),
    "rocm-build-beside-an-h100": (
        {
            "backend_selection": "extra",
            "backends": ["cpu", "cu126", "cu128", "rocm6.4"],
            "torch_libraries": [],
        },
        _rocm_build_beside_an_h100,
    ),
    "cpu-project-on-an-h100": ({"backends": ["cpu"], "torch_libraries": []}, _cpu_project_on_an_h100),
    "gpus-hidden": ({"backends": ["cu128"], "torch_libraries": []}, _gpus_hidden),
    "job-given-no-gpu": ({"backends": ["cu128"], "torch_libraries": []}, _job_given_no_gpu),
    "driver-too-old": ({"backends": ["cu128"], "torch_libraries": []}, _driver_too_old),
    "device-not-opened": ({"backends": ["cu128"], "torch_libraries": []}, _device_not_opened),
    "no-gpu-at-all": ({"backends": ["cu128"], "torch_libraries": []}, _no_gpu_at_all),
    "the-check-itself-breaks": ({"backends": ["cpu"], "torch_libraries": []}, _the_check_itself_breaks),
}


@pytest.mark.parametrize("case", MACHINES)
def test_the_report_on_each_machine(smoke_for, monkeypatch, capsys, installed, case):
    answers, setup = MACHINES[case]
    smoke = smoke_for(**answers)
    torch = setup(smoke, monkeypatch, installed)
    status, output, errors = run_main(smoke, monkeypatch, capsys, torch)
    assert errors == ""
    assert status == (0 if "VERDICT: OK" in output else 1)
    assert_report(f"machine-{case}", output)


@pytest.mark.parametrize(
    ("system", "version", "off"),
    [("win32", "2.6.0+cpu", True), ("win32", "2.7.0+cpu", False), ("linux", "2.6.0+cpu", False)],
)
def test_each_process_that_joins_turns_libuv_off_where_the_wheel_lacks_it(
    smoke_for, monkeypatch, system, version, off
):
    """pytorch/pytorch#139990: each process that joins a group (a launched rank, a worker of the
    check's own) turns libuv off there, and only there."""
    smoke = smoke_for(backends=["cpu"], torch_libraries=[])
    monkeypatch.setattr(smoke.sys, "platform", system)
    torch = FakeTorch(version)
    torch.distributed = recording_dist([])
    torch.device = lambda kind, index=None: kind
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.distributed", torch.distributed)
    for join in (
        lambda: smoke.check_launched(smoke.Report(), torch, smoke.Launch(0, 2, 0, "torchrun"), 5),
        lambda: smoke._all_reduce_worker(
            1, 2, "gloo", "file:///tmp/rendezvous", 5, SimpleNamespace(put=print)
        ),
    ):
        monkeypatch.delenv("USE_LIBUV", raising=False)
        join()
        assert smoke.os.environ.get("USE_LIBUV") == ("0" if off else None)


def test_under_a_launcher_xpu_ranks_join_through_xccl_each_on_its_gpu(smoke_for, monkeypatch):
    smoke = smoke_for(backends=["xpu"], torch_libraries=[])
    calls = []
    torch = FakeTorch("2.9.1+xpu", xpu=["Intel(R) Arc(TM) A770 Graphics"] * 2)
    torch.distributed = recording_dist(calls)
    torch.distributed.is_xccl_available = lambda: True
    torch.device = lambda kind, index=None: kind if index is None else f"{kind}:{index}"
    torch.xpu.set_device = lambda index: calls.append(("set_device", index))
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.distributed", torch.distributed)
    report = smoke.Report()
    smoke.check_launched(report, torch, smoke.Launch(rank=2, world=4, local_rank=3, launcher="torchrun"), 7)
    assert calls[0] == ("set_device", 1)  # local rank 3 of a machine with 2 GPUs
    assert calls[1][:2] == ("init", "xccl") and calls[1][3] == "xpu:1"
    assert calls[2] == ("all_reduce", "xpu:1", [3.0])
    assert [(c.status, c.detail) for c in report.checks] == [
        (smoke.OK, "xccl, 4 processes: sum over ranks = 10 on every rank (torchrun)")
    ]
    # Without xccl in this torch, the ranks meet over gloo on the CPU.
    del torch.distributed.is_xccl_available
    calls.clear()
    smoke.check_launched(report, torch, smoke.Launch(rank=0, world=2, local_rank=0, launcher="srun"), 7)
    assert calls[0][:2] == ("init", "gloo") and report.checks[-1].detail.startswith("gloo, 2 processes")
