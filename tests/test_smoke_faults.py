"""Fault injection for the rendered smoke check (issue 10): stand-in torch objects raise the exact
errors GPU machines produce, and the report must still end in a verdict with a row that says
what failed and how to fix it. No GPU, no torch needed."""

from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing
import os
import sys
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest

from helpers import NO_MPS, answers_for, run_rendered_tests
from smoke_workers import dies, killed, never_returns, quits, reports, reports_late

# The messages torch raises, as its sources word them (torch/backends/cudnn/__init__.py,
# torch/_inductor/exc.py) or as users report them (CUDA's "unknown error" after a suspend).
CUDNN_MISMATCH = (
    "cuDNN version incompatibility: PyTorch was compiled  against (9, 10, 2) but found runtime "
    "version (8, 9, 7). PyTorch already comes bundled with cuDNN. One option to resolving this "
    "error is to ensure PyTorch can find the bundled cuDNN. Looks like your LD_LIBRARY_PATH "
    "contains incompatible version of cudnn. Please either remove it from the path or install "
    "cudnn (9, 10, 2)"
)
CUDA_UNKNOWN = (
    "CUDA error: CUDA unknown error - this may be due to an incorrectly set up environment, e.g. "
    "changing env variable CUDA_VISIBLE_DEVICES after program start. Setting the available "
    "devices to be zero."
)
NO_COMPILER = (
    "backend='inductor' raised:\nInvalidCxxCompiler: No working C++ compiler found in "
    "torch._inductor.config.cpp.cxx: (None, 'g++')"
)


@pytest.fixture
def smoke(smoke_for):
    # A cu128 project on Linux x86_64, on a machine whose operating system shows no GPU.
    return smoke_for(backends=["cu128"], torch_libraries=[])


class Tensor:
    """Just enough of a tensor for the convolution check: where it lives, and whether the
    result is float32-exact (a TF32 convolution is not)."""

    def __init__(self, device="cpu", exact=True):
        self.device, self.exact = device, exact

    def to(self, device, dtype=None):
        return Tensor(str(device), self.exact)

    def cpu(self):
        return Tensor("cpu", self.exact)


def fake_torch(gpus=1, cudnn_version=lambda: 91002, hip=None, bf16=lambda index: True, **extra):
    """A CUDA torch with `gpus` devices; pieces a test replaces raise what real torch raises."""
    state = SimpleNamespace(device=0, precision="highest")
    cudnn = SimpleNamespace(is_available=lambda: True, version=cudnn_version, allow_tf32=True)

    @contextlib.contextmanager
    def device(index):
        previous, state.device = state.device, index
        yield
        state.device = previous

    def conv2d(x, w):
        tf32 = x.device.startswith("cuda") and cudnn.allow_tf32
        return Tensor(x.device, exact=not tf32)

    def set_precision(value):
        state.precision = value

    torch = SimpleNamespace(
        __version__="2.9.1+cu128",
        version=SimpleNamespace(cuda="12.8", hip=hip),
        float32=object(),
        bfloat16=object(),
        cuda=SimpleNamespace(
            is_available=lambda: gpus > 0,
            device_count=lambda: gpus,
            device=device,
            is_bf16_supported=lambda: bf16(state.device),
            mem_get_info=lambda d: ((100 + int(str(d)[5:])) * 2**30, 141 * 2**30),  # cuda:N
            get_device_properties=lambda d: SimpleNamespace(
                name="NVIDIA H200", total_memory=141 * 2**30, major=9, minor=0, gcnArchName="gfx942"
            ),
        ),
        backends=SimpleNamespace(
            mps=NO_MPS, cudnn=cudnn, cuda=SimpleNamespace(matmul=SimpleNamespace(allow_tf32=False))
        ),
        Generator=lambda: SimpleNamespace(manual_seed=lambda seed: None),
        randn=lambda *shape, generator=None: Tensor(),
        nn=SimpleNamespace(functional=SimpleNamespace(conv2d=conv2d)),
        allclose=lambda a, b, rtol, atol: a.exact and b.exact,
        get_float32_matmul_precision=lambda: state.precision,
        set_float32_matmul_precision=set_precision,
        state=state,
    )
    for name, value in extra.items():
        setattr(torch, name, value)
    return torch


def rows(smoke, check, *args) -> dict:
    report = smoke.Report()
    check(report, *args)
    return {c.name: c for c in report.checks}


# --- 1. cuDNN that does not match torch ----------------------------------------------------


def test_a_cudnn_mismatch_is_a_row_with_a_fix(smoke, monkeypatch):
    monkeypatch.setattr(smoke, "_matmul", lambda *args: None)

    def mismatch():
        raise RuntimeError(CUDNN_MISMATCH)

    checks = rows(smoke, smoke.check_compute, fake_torch(cudnn_version=mismatch), ["cuda:0"])
    conv = checks["conv cuda:0"]
    assert conv.status == "FAIL" and "cuDNN version incompatibility" in conv.detail
    assert "LD_LIBRARY_PATH" in conv.fix


# --- 2. every check under a guard ----------------------------------------------------------


def _broken_cuda(*args):
    raise RuntimeError(CUDA_UNKNOWN)


@pytest.mark.parametrize("debug", [False, True])
def test_an_error_nobody_foresaw_ends_in_a_verdict_not_a_traceback(smoke, monkeypatch, capsys, debug):
    torch = fake_torch()
    torch.cuda.get_device_properties = _broken_cuda  # CUDA fails to start while describing a device
    monkeypatch.setitem(sys.modules, "torch", torch)
    assert smoke.main(["--debug"] if debug else []) == 1
    out, err = capsys.readouterr()
    assert "VERDICT: FAILED" in out and "CUDA unknown error" in out
    assert "nvidia_uvm" in out  # the known fix
    assert "Traceback" not in out
    assert ("Traceback" in err) == debug  # --debug prints where it failed


def test_each_check_is_guarded_on_its_own(smoke, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "torch", fake_torch(gpus=0))
    monkeypatch.setattr(smoke, "check_compute", _broken_cuda)
    assert smoke.main([]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] compute" in out and "build" in out and "VERDICT: FAILED" in out


# --- 3. --distributed never hangs ----------------------------------------------------------


def test_every_worker_s_result_is_collected_by_its_rank(smoke):
    results, problem = smoke._run_workers(reports, (2,), 2, wait_s=60)
    assert (results, problem) == ({0: (0.0, 2, ""), 1: (10.0, 2, "")}, "")
    _, problem = smoke._run_workers(killed, (), 1, wait_s=60)
    assert problem == "worker rank 0 ended (signal 9) before the all-reduce finished"
    _, problem = smoke._run_workers(quits, (), 1, wait_s=60)
    assert problem == "worker rank 0 ended (exit code 0) before the all-reduce finished"
    assert smoke._run_workers(reports_late, (1,), 1, wait_s=60) == ({0: (1.0, 1, "")}, "")


def test_a_worker_that_never_reports_is_a_timeout_and_is_ended(smoke):
    start = time.monotonic()
    results, problem = smoke._run_workers(never_returns, (), 2, wait_s=0.5)
    assert time.monotonic() - start < 30
    assert results == {} and problem.startswith("timed out")
    assert multiprocessing.active_children() == []  # no worker left behind


def test_a_worker_that_dies_is_reported_at_once(smoke):
    start = time.monotonic()
    _, problem = smoke._run_workers(dies, (), 2, wait_s=60)
    assert time.monotonic() - start < 30
    assert "worker rank" in problem and "exit code 3" in problem


def test_an_nccl_timeout_names_the_usual_remedy(smoke):
    report = smoke.Report()
    smoke._all_reduce_row(
        report, "nccl", 2, None, 0, "DistBackendError: Watchdog caught collective operation timeout", ""
    )
    row = report.checks[0]
    assert row.status == "FAIL" and row.detail.startswith("nccl, 2 processes") and "timed out" in row.detail
    assert "NCCL_P2P_DISABLE=1" in row.fix and "NCCL_DEBUG=INFO" in row.fix


def fake_dist(calls):
    def init_process_group(
        backend=None,
        init_method=None,
        timeout=None,
        world_size=-1,
        rank=-1,
        store=None,
        group_name="",
        pg_options=None,
        device_id=None,
    ):
        calls["init"] = dict(backend=backend, init_method=init_method, timeout=timeout, device_id=device_id)

    def all_reduce(tensor):
        tensor.value = {0: 3.0, 1: 0.0}[calls.setdefault("reduces", 0)]
        calls["reduces"] += 1

    return SimpleNamespace(
        init_process_group=init_process_group,
        all_reduce=all_reduce,
        destroy_process_group=lambda: calls.setdefault("destroyed", True),
        is_available=lambda: True,
        is_gloo_available=lambda: True,
        is_nccl_available=lambda: True,
    )


# (GPUs this rank sees, its local rank, the GPU it must take): srun --gpus-per-task shows each task one.
@pytest.mark.parametrize(("gpus", "local_rank", "gpu"), [(2, 1, 1), (1, 1, 0)])
def test_nccl_binds_each_rank_to_its_gpu_with_a_short_timeout(smoke, monkeypatch, gpus, local_rank, gpu):
    calls = {}
    dist = fake_dist(calls)
    torch = fake_torch(gpus=gpus, distributed=dist)
    torch.cuda.set_device = lambda device: calls.setdefault("set_device", device)
    torch.device = lambda kind, index=None: f"{kind}:{index}" if index is not None else kind
    torch.tensor = lambda values, device=None: _Scalar(values[0])
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.distributed", dist)
    total, wrong = smoke._all_reduce(torch, "nccl", 1, 2, local_rank, "env://", 20)
    assert (total, wrong) == (3.0, 0)
    assert calls["set_device"] == gpu and calls["init"]["device_id"] == f"cuda:{gpu}"
    assert calls["init"]["timeout"] == timedelta(seconds=20)
    assert calls["destroyed"]


class _Scalar:
    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value


def test_alone_it_meets_through_a_file_not_a_port(smoke, monkeypatch):
    seen = []

    def run_workers(target, args, world, wait_s):
        seen.append((args, world, wait_s))
        return {rank: (3.0, 0, "") for rank in range(world)}, ""

    monkeypatch.setattr(smoke, "_run_workers", run_workers)
    torch = fake_torch(gpus=0, distributed=fake_dist({}))
    checks = rows(smoke, smoke.check_distributed, torch, 7)
    assert checks["all-reduce gloo"].detail == "gloo, 2 processes: sum over ranks = 3 on every rank"
    (world, backend, init, timeout), _, wait_s = seen[0]
    assert init.startswith("file://") and timeout == 7 and 7 < wait_s <= 7 + 60


@pytest.mark.parametrize(
    ("results", "problem", "row"),
    [
        ({0: (3.0, 0, ""), 1: (3.0, 0, "")}, "", "ok: gloo, 2 processes: sum over ranks = 3 on every rank"),
        # rank 0 saw the right sum, rank 1 another: every rank's result decides
        (
            {0: (3.0, 1, ""), 1: (2.0, 1, "")},
            "",
            "FAIL: gloo, 2 processes: sum over ranks = {2.0, 3.0}, expected 3 (2 rank(s) saw another sum)",
        ),
        (
            {0: (3.0, 0, ""), 1: (3.0, 1, "")},
            "",
            "FAIL: gloo, 2 processes: sum over ranks = 3, expected 3 (1 rank(s) saw another sum)",
        ),
        (
            {0: (3.0, 0, ""), 1: (None, None, "DistBackendError: connection reset")},
            "",
            "FAIL: gloo, 2 processes: DistBackendError: connection reset",
        ),
        (
            {0: (3.0, 0, "")},
            "worker rank 1 ended (exit code 3) before the all-reduce finished",
            "FAIL: gloo, 2 processes: worker rank 1 ended (exit code 3) before the all-reduce finished",
        ),
    ],
)
def test_alone_every_worker_s_sum_decides_the_row(smoke, monkeypatch, results, problem, row):
    monkeypatch.setattr(smoke, "_run_workers", lambda *args: (results, problem))
    torch = fake_torch(gpus=0, distributed=fake_dist({}))
    found = rows(smoke, smoke.check_distributed, torch, 7)["all-reduce gloo"]
    assert f"{found.status}: {found.detail}" == row


def test_under_a_launcher_a_wrong_sum_on_another_rank_fails_rank_0(smoke, monkeypatch):
    """Rank 0's own sum is right; the second all-reduce, of each rank's "wrong" flag, brings
    in another rank's 1: the row fails on rank 0, which prints the report."""
    calls = {}
    dist = fake_dist(calls)
    flags = iter([3.0, 1.0])

    def all_reduce(tensor):
        tensor.value = next(flags)

    dist.all_reduce = all_reduce
    torch = fake_torch(gpus=0, distributed=dist)
    torch.device = lambda kind, index=None: kind
    torch.tensor = lambda values, device=None: _Scalar(values[0])
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.distributed", dist)
    launch = smoke.Launch(rank=0, world=2, local_rank=0, launcher="srun")
    row = rows(smoke, smoke.check_launched, torch, launch, 5)["all-reduce gloo"]
    assert row.status == "FAIL", row.detail
    assert "sum over ranks = 3, expected 3 (1 rank(s) saw another sum)" in row.detail


@pytest.mark.parametrize(
    ("system", "version", "off"),
    [
        ("win32", "2.6.0+cu126", True),
        ("win32", "2.7.1+cu128", False),
        ("linux", "2.6.0+cu126", False),
    ],
)
def test_windows_torch_up_to_2_6_turns_libuv_off(smoke, monkeypatch, system, version, off):
    monkeypatch.setattr(smoke.sys, "platform", system)
    assert smoke._use_libuv_off(SimpleNamespace(__version__=version)) is off


# --- torchrun and srun ---------------------------------------------------------------------


def test_torchrun_and_srun_ranks_are_read_from_the_environment(smoke):
    torchrun = {
        "RANK": "3",
        "WORLD_SIZE": "8",
        "LOCAL_RANK": "1",
        "MASTER_ADDR": "n1",
        "MASTER_PORT": "29500",
    }
    assert smoke.launched_by(torchrun) == smoke.Launch(3, 8, 1, "torchrun")
    srun = {
        "SLURM_PROCID": "5",
        "SLURM_NTASKS": "16",
        "SLURM_LOCALID": "1",
        "MASTER_ADDR": "n1",
        "MASTER_PORT": "29500",
    }
    assert smoke.launched_by(srun) == smoke.Launch(5, 16, 1, "srun")
    # torchrun under srun: torchrun's own ranks win over SLURM's one task per node
    assert smoke.launched_by({**srun, **torchrun}).launcher == "torchrun"
    # LOCAL_RANK and SLURM_LOCALID are 0 where the launcher leaves them out; RANK alone is none
    assert smoke.launched_by({"RANK": "1", "WORLD_SIZE": "2"}) == smoke.Launch(1, 2, 0, "torchrun")
    no_local = {k: v for k, v in srun.items() if k != "SLURM_LOCALID"}
    assert smoke.launched_by(no_local) == smoke.Launch(5, 16, 0, "srun")
    assert smoke.launched_by({"RANK": "1"}) is None
    # a batch script without MASTER_ADDR, or no launcher at all: its own two processes
    assert smoke.launched_by({"SLURM_PROCID": "0", "SLURM_NTASKS": "4"}) is None
    assert smoke.launched_by({}) is None


def test_single_gpu_gets_nccl_and_intel_gpus_xccl(smoke):
    dist = fake_dist({})
    one = fake_torch(gpus=1, distributed=dist)
    assert smoke._device_backends(one) == [("nccl", 1)]
    assert smoke._device_backends(fake_torch(gpus=4, distributed=dist)) == [("nccl", 2)]  # 2 at most
    dist.is_xccl_available = lambda: True
    xpu = fake_torch(
        gpus=0, distributed=dist, xpu=SimpleNamespace(is_available=lambda: True, device_count=lambda: 4)
    )
    assert smoke._device_backends(xpu) == [("xccl", 2)]


# --- 11. TF32 and 12. bf16 per device ------------------------------------------------------


def test_the_convolution_is_compared_with_tf32_off_and_the_setting_reported(smoke, monkeypatch):
    monkeypatch.setattr(smoke, "_matmul", lambda *args: None)
    torch = fake_torch()
    checks = rows(smoke, smoke.check_compute, torch, ["cuda:0"])
    assert checks["conv cuda:0"].status == "ok", checks["conv cuda:0"].detail
    assert "cuDNN 91002" in checks["conv cuda:0"].detail
    assert torch.backends.cudnn.allow_tf32 is True  # the user's setting is restored
    assert "cudnn.allow_tf32=True" in checks["tf32"].detail
    assert "float32_matmul_precision='highest'" in checks["tf32"].detail


def test_bf16_is_judged_for_each_device(smoke, monkeypatch):
    ran = []
    monkeypatch.setattr(smoke, "_matmul", lambda torch, device, dtype: ran.append((device, dtype)))
    monkeypatch.setattr(smoke, "_conv", lambda torch, device: None)
    torch = fake_torch(gpus=2, bf16=lambda index: index == 1)  # an old card beside a new one
    checks = rows(smoke, smoke.check_compute, torch, ["cuda:0", "cuda:1"])
    assert checks["bf16 cuda:0"].status == "skip"
    assert checks["bf16 cuda:1"].status == "ok" and ("cuda:1", torch.bfloat16) in ran
    older = fake_torch(xpu=SimpleNamespace(device=contextlib.nullcontext))  # no is_bf16_supported
    assert rows(smoke, smoke.check_compute, older, ["xpu:0"])["bf16 xpu:0"].status == "skip"


# --- what was missing ----------------------------------------------------------------------


def test_the_convolution_runs_on_rocm_xpu_and_mps_too(smoke, monkeypatch):
    monkeypatch.setattr(smoke, "_matmul", lambda *args: None)
    rocm = fake_torch(hip="6.4.43484")
    assert "MIOpen 91002" in rows(smoke, smoke.check_compute, rocm, ["cuda:0"])["conv cuda:0"].detail
    other = fake_torch(xpu=SimpleNamespace(device=contextlib.nullcontext, is_bf16_supported=lambda: True))
    checks = rows(smoke, smoke.check_compute, other, ["xpu:0", "mps"])
    assert checks["conv xpu:0"].status == checks["conv mps"].status == "ok"


def test_free_memory_is_reported_per_device(smoke):
    checks = rows(smoke, smoke.check_memory, fake_torch(gpus=2), ["cuda:0", "cuda:1"])
    assert checks["memory cuda:0"].detail == "100.0 of 141.0 GiB free"
    assert checks["memory cuda:1"].detail == "101.0 of 141.0 GiB free"


def test_an_intel_gpu_that_does_not_report_its_free_memory_is_a_skip_not_a_failure(smoke):
    def unsupported(device):  # torch.xpu on Arc and integrated GPUs (pytorch/pytorch#164429)
        raise RuntimeError(
            "The device (Intel(R) Arc(TM) Graphics) doesn't support querying the available free memory."
        )

    torch = fake_torch(gpus=0, xpu=SimpleNamespace(mem_get_info=unsupported))
    checks = rows(smoke, smoke.check_memory, torch, ["xpu:0", "xpu:1"])
    assert [(c.status, c.detail) for c in checks.values()] == 2 * [
        (
            "skip",
            "free memory not reported: The device (Intel(R) Arc(TM) Graphics) doesn't support "
            "querying the available free memory.",
        )
    ]


@pytest.mark.parametrize(("built", "available", "status"), [(True, False, "skip"), (False, False, "warn")])
def test_mps_built_is_told_apart_from_mps_available(smoke, built, available, status):
    torch = fake_torch(gpus=0)
    torch.backends.mps = SimpleNamespace(is_built=lambda: built, is_available=lambda: available)
    assert rows(smoke, smoke.check_mps, torch)["mps"].status == status


def test_compile_failures_are_rows_with_a_fix(smoke):
    def no_compiler(function, dynamic=None):
        def compiled(x):
            raise RuntimeError(NO_COMPILER)

        return compiled

    torch = fake_torch(compile=no_compiler, linspace=lambda *a, device=None: Tensor(device))
    torch.sin = torch.cos = lambda x: x
    checks = rows(smoke, smoke.check_compile, torch, ["cuda:0"])
    assert checks["compile cpu"].status == checks["compile cuda:0"].status == "FAIL"
    assert "C++ compiler" in checks["compile cpu"].fix


# --- 14. the rendered tests without torch --------------------------------------------------


@pytest.mark.parametrize("mode", ["platform", "extra"])
def test_the_rendered_tests_fail_without_torch_and_say_how_to_install_it(copie, template_copy, mode):
    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed here: the rendered tests would find it")
    backends = ["cu128"] if mode == "platform" else ["cpu", "cu128"]
    answers = answers_for(torch_version="2.9", backends=backends, backend_selection=mode, torch_libraries=[])
    project = copie.copy(extra_answers=answers, template_dir=template_copy).project_dir
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = run_rendered_tests(project, "tests/test_gpu_smoke.py", env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED tests/test_gpu_smoke.py::test_torch_is_installed" in result.stdout
    message = next(line for line in result.stdout.splitlines() if line.startswith("torch is not installed"))
    if mode == "platform":
        assert message == "torch is not installed: run `uv sync`"
    else:  # every extra that installs torch, each a command to paste
        assert "`uv sync --extra cpu`" in message and "`uv sync --extra cu128`" in message
    # The README's distributed commands, as a user pastes them, in the project's environment.
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "\nuv run tools/torch_smoke.py --distributed\n" in readme
    assert "\nuv run torchrun --standalone --nproc-per-node=gpu tools/torch_smoke.py" in readme
    assert "uv run torchrun --nnodes=2 --node-rank=0 --rdzv-backend=static" in readme
    assert "srun --kill-on-bad-exit=1 uv run --no-sync tools/torch_smoke.py --distributed" in readme


@pytest.mark.parametrize(
    ("error", "fix"),
    [
        (
            RuntimeError("Cannot find a working triton installation"),
            "torch.compile on a GPU needs triton: uv sync --reinstall",
        ),
        (
            MemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"),
            "other processes hold the device memory: `nvidia-smi` lists them",
        ),
        (RuntimeError("something else"), ""),
    ],
)
def test_errors_with_a_known_cause_get_its_fix_with_this_project_s_sync(smoke, error, fix):
    assert smoke._known_fix(error) == fix
