"""Is the installed PyTorch the build this project asked for, and does it work here?

    uv run tools/torch_smoke.py                 # the report and a verdict; exit 1 on a mismatch
    uv run tools/torch_smoke.py --distributed   # also an all-reduce (gloo; NCCL / XCCL on GPUs)
    uv run tools/torch_smoke.py --compile       # also torch.compile on each device
    uv run torchrun --nproc-per-node=gpu tools/torch_smoke.py --distributed  # across all ranks

Every failure is a row with what was expected, what was found and a fix; the report always
ends with a verdict (--debug also prints each failure's traceback).

EXPECTED_TORCH_BACKEND (e.g. cu128, cpu, rocm6.4) overrides the build this platform expects.

Managed by uv-torch-template: `copier update` replaces this file, the same in every project.
What the project expects (its builds, libraries and their facts) is read from
tools/torch_project.json, which the template renders from the project's answers.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.metadata
import inspect
import os
import platform
import re
import sys
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

# torch without NumPy warns so once per process (every rank of a job): the check needs no NumPy.
warnings.filterwarnings("ignore", message="Failed to initialize NumPy", category=UserWarning)

sys.path.insert(0, str(Path(__file__).resolve().parent))  # torch_hardware, beside this file
import torch_hardware as hardware  # noqa: E402

try:
    PROJECT, PROJECT_ERROR = hardware.load_project(), ""
except hardware.ProjectError as error:  # reported as a row, never raised
    PROJECT, PROJECT_ERROR = hardware.Project.empty(), str(error)

# This check again, in the environment uv synced (without syncing it to another build).
SMOKE_COMMAND = "uv run --no-sync tools/torch_smoke.py"
DEBUG_FIX = f"{SMOKE_COMMAND} --debug prints where it failed"


def sync_command() -> str:
    """The command that installs the project's build here (README: Set up)."""
    return PROJECT.data["sync_command"]


OK, FAIL, SKIP, WARN = "ok", "FAIL", "skip", "warn"


@dataclass
class Check:
    name: str
    status: str
    detail: str = ""
    fix: str = ""


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)  # printed by --debug

    def add(self, name: str, status: str, detail: str, fix: str = "") -> Check:
        check = Check(name, status, detail, fix)
        self.checks.append(check)
        return check

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status == FAIL]


# --- what this machine is and what it should have ------------------------------------------


def current_platform() -> str:
    return hardware.current_platform()


@functools.lru_cache(maxsize=1)
def this_machine() -> hardware.Machine:
    """The GPUs the operating system shows, as the picker sees them (tests replace this)."""
    return hardware.detect(facts=PROJECT.gpus)


def expected_backends() -> tuple[set[str], str]:
    """The builds acceptable on this platform, and where that expectation comes from."""
    here = current_platform()
    override = os.environ.get("EXPECTED_TORCH_BACKEND", "").strip()
    if override:
        return {override}, "EXPECTED_TORCH_BACKEND"
    if PROJECT_ERROR:
        return set(), PROJECT_ERROR
    routes = PROJECT.builds_here(here)
    if not routes:
        platforms = ", ".join(PROJECT.platforms())
        return set(), f"this project's platforms ({platforms}) do not include {here}"
    return set(routes.values()), "pyproject.toml"


def _extra_mode() -> bool:
    return PROJECT.mode == "extra"


def _extras_here() -> dict[str, str]:
    """extra -> the backend it installs on this platform (extra mode; asked only there)."""
    return PROJECT.builds_here(current_platform())


def _fix_for(backend: str) -> str:
    """The command that installs `backend` here: its extra, the sync of the project's build, or
    the update that offers it beside the project's builds (never one that takes a build away)."""
    if _extra_mode():
        extras = [e for e, b in _extras_here().items() if b == backend]
        if extras:  # the extra named for the build, else one that installs it here
            return f"uv sync --extra {backend if backend in extras else extras[0]}"
    elif PROJECT.builds_here(current_platform()).get("") == backend:
        return sync_command()
    return f"{hardware.adding(PROJECT, backend)}, then uv sync --extra {backend}"


# What makes torch leave a GPU no build of the project can use and run on the CPU.
CPU_HERE = "run on the CPU here: `export CUDA_VISIBLE_DEVICES=-1` hides the GPU from torch"


def _fitting_fix(machine, backend: str) -> str:
    """What this machine should do about the `backend` build: the known fix (a driver, a reboot,
    an override, Jetson's wheels), then the extra the picker chooses, or else a build of this
    torch that runs here offered beside the project's; where none runs, the CPU."""
    options = list(hardware.judge(PROJECT, backend, machine).fixes)
    if _extra_mode():
        chosen, _ = hardware.pick(PROJECT, _extras_here(), machine)
        if chosen and _extras_here()[chosen] != backend:
            options.append(f"uv sync --extra {chosen}")
    else:
        builds = [b for b in hardware.alternatives(PROJECT, machine) if b != backend]
        later = [(b, f) for b, f in hardware.after_fixes(PROJECT, machine) if b != backend]
        if builds:
            options.append(_fix_for(builds[0]))
        elif later and not options:  # a newer driver, then another build
            options.append(f"{'; '.join(later[0][1])}, then {_fix_for(later[0][0])}")
        else:
            options.append(CPU_HERE)
    return " or: ".join(options) or CPU_HERE


def installed_backend(torch) -> str:
    """The backend as the PyTorch index names it: cpu, cu128, rocm6.4, xpu."""
    label = torch.__version__.partition("+")[2]
    if label:
        return label
    if torch.version.cuda:
        return "cu" + torch.version.cuda.replace(".", "")
    if torch.version.hip:
        return "rocm" + ".".join(torch.version.hip.split(".")[:2])
    if getattr(torch.version, "xpu", None):
        return "xpu"
    return "cpu"


def _wanted_fix(expected: set[str]) -> str:
    """The fix toward the expected builds: in extra mode the extra the picker chooses on this
    machine, not the first by name; otherwise (or where none runs) the newest build's."""
    if _extra_mode():
        chosen, _ = hardware.pick(PROJECT, _extras_here(), this_machine())
        if chosen:
            return f"uv sync --extra {chosen}"
    return _fix_for(sorted(expected, key=hardware.newest_first)[0])


def _check_unused_gpu(report: Report, backend: str) -> None:
    """A torch that cannot use this machine's GPU (the CPU build, or a build for another
    vendor's GPUs) where one of the project's builds could."""
    machine = this_machine()
    gpus = [gpu for gpu in machine.gpus if not gpu.integrated or gpu.jetson]
    if not gpus:
        return
    evidence = f"{gpus[0].name} via {gpus[0].evidence}"
    kind = hardware.kind_of(backend)
    installed = (
        "a CPU build"
        if kind == "cpu"
        else f"the {backend} build, for {hardware.VENDOR_NAME[hardware.VENDOR[kind]]} GPUs"
    )
    if _extra_mode():
        chosen, _ = hardware.pick(PROJECT, _extras_here(), machine)
        if chosen and hardware.kind_of(_extras_here()[chosen]) not in ("cpu", kind):
            report.add(
                "gpu build",
                FAIL,
                f"this machine has a GPU ({evidence}) that the {chosen} extra can use, "
                f"but torch is {installed}",
                f"uv sync --extra {chosen}",
            )
            return
    detail = f"this machine has a GPU ({evidence}); the project installs {installed} here"
    fitting = [b for b in hardware.alternatives(PROJECT, machine) if b != backend]
    if fitting:
        detail += f"; the project could offer {fitting[0]}: {hardware.adding(PROJECT, fitting[0])}"
    fixes = [f for b in PROJECT.runtimes for f in hardware.judge(PROJECT, b, machine).fixes]
    report.add("gpu build", WARN, detail + "".join(f"; {f}" for f in dict.fromkeys(fixes)))


# --- the checks ----------------------------------------------------------------------------


def check_build(report: Report, torch) -> str:
    here = current_platform()
    backend = installed_backend(torch)
    expected, source = expected_backends()
    name = "build"
    if not expected:
        report.add(name, WARN, f"{torch.__version__} ({backend}); {source}")
        return backend
    if backend in expected:
        report.add(
            name, OK, f"{torch.__version__} is a {backend} build, as {source} expects on {here}"
        )
    else:
        want = " or ".join(sorted(expected))
        fix = (
            f"unset EXPECTED_TORCH_BACKEND or install the {want} build"
            if source == "EXPECTED_TORCH_BACKEND"
            else f"{_wanted_fix(expected)}, then run this check again"
        )
        report.add(
            name,
            FAIL,
            f"expected a {want} build on {here} ({source}), found {torch.__version__} ({backend})",
            fix,
        )
    series = PROJECT.data["torch_series"]
    if series and not torch.__version__.startswith(series + "."):
        report.add(
            "version", FAIL, f"expected torch {series}.x, found {torch.__version__}", sync_command()
        )
    kind = hardware.kind_of(backend)
    if source == "pyproject.toml" and (
        kind == "cpu" or not this_machine().of(hardware.VENDOR[kind])
    ):
        _check_unused_gpu(report, backend)
    return backend


def devices(torch, backend: str) -> list[str]:
    kind = hardware.kind_of(backend)
    if kind in ("cuda", "rocm") and torch.cuda.is_available():
        return [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    if kind == "xpu" and hasattr(torch, "xpu") and torch.xpu.is_available():
        return [f"xpu:{i}" for i in range(torch.xpu.device_count())]
    if sys.platform == "darwin" and torch.backends.mps.is_available():
        return ["mps"]
    return []


def describe_device(torch, device: str) -> str:
    if device.startswith("cuda"):
        props = torch.cuda.get_device_properties(device)
        text = f"{props.name}, {props.total_memory / 2**30:.1f} GiB"
        if torch.version.hip:
            return text + f", {props.gcnArchName}"
        return (
            text
            + f", compute capability {props.major}.{props.minor} (sm_{props.major}{props.minor})"
        )
    if device.startswith("xpu"):
        props = torch.xpu.get_device_properties(device)
        return f"{props.name}, {props.total_memory / 2**30:.1f} GiB"
    return "Apple GPU (Metal Performance Shaders)"


def _device_arch(torch, device: str) -> str:
    props = torch.cuda.get_device_properties(device)
    if torch.version.hip:
        return props.gcnArchName.split(":")[0]
    return f"sm_{props.major}{props.minor}"


def _keep_only(kind: str, indices: list[int]) -> str:
    """The command that leaves torch the devices at these indices, as it numbers them now (an
    index into the visibility variable's own list where one is set)."""
    var = "HIP_VISIBLE_DEVICES" if kind == "rocm" else "CUDA_VISIBLE_DEVICES"
    shown = [v.strip() for v in os.environ.get(var, "").split(",") if v.strip()]
    chosen = [shown[i] if i < len(shown) else str(i) for i in indices]
    return f"use the GPUs this build runs: `export {var}={','.join(chosen)}`"


def check_kernels(report: Report, torch, backend: str, found: list[str]) -> None:
    """Each device's architecture against the kernels this build carries. Where another device
    of the machine runs the build, the fix keeps torch to those, or names a build that runs
    every device; never the CPU for all of them."""
    arch_list = list(torch.cuda.get_arch_list())  # sm_XY cubins (gfx targets), compute_XY PTX
    ptx = [a for a in arch_list if a.startswith("compute_")]
    machine = this_machine()
    archs = {device: _device_arch(torch, device) for device in found}
    runs = {d: not a or hardware.arch_runs(a, arch_list, ptx) for d, a in archs.items()}
    working = [int(d.split(":")[1]) for d in found if runs[d]]

    def runs_on(build: str, wanted: list[str]) -> bool:
        kernels = hardware.kernels_for(PROJECT, build, machine.platform)
        return all(hardware.arch_runs(a, *kernels) for a in wanted if a)

    every = [b for b in PROJECT.runtimes if b != backend and runs_on(b, list(archs.values()))]
    for device, arch in archs.items():
        if runs[device]:
            continue
        fitting = [b for b in PROJECT.runtimes if runs_on(b, [arch])]
        if working:
            options = [_keep_only(hardware.kind_of(backend), working)]
            options += [_fix_for(b) for b in sorted(every, key=hardware.newest_first)[:1]]
            fix = " or: ".join(options)
        else:
            fix = _fitting_fix(machine, backend)
        builds = ", ".join(fitting) or "none"
        report.add(
            f"kernels {device}",
            FAIL,
            f"{arch} is not among this {backend} build's architectures ({', '.join(arch_list)}): "
            f"'no kernel image is available'; builds with kernels for it: {builds}",
            fix,
        )


def check_driver(report: Report, backend: str, machine) -> None:
    """The NVIDIA driver against the floor of this CUDA build."""
    floor = hardware.floor_for(PROJECT, backend, machine.platform)
    drivers = sorted({gpu.driver for gpu in machine.of("nvidia") if gpu.driver})
    if not floor or not drivers:
        return
    driver = drivers[0]
    if hardware.version_key(driver) < hardware.version_key(floor):
        report.add(
            "driver",
            FAIL,
            f"NVIDIA driver {driver} is older than {floor}, the oldest {backend} builds run on",
            _fitting_fix(machine, backend),
        )
    else:
        report.add(
            "driver", OK, f"NVIDIA driver {driver} >= {floor}, the floor of {backend} builds"
        )


def check_devices(report: Report, torch, backend: str) -> list[str]:
    kind = hardware.kind_of(backend)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = devices(torch, backend)
    said = "; ".join(_first_line(w.message) for w in caught)
    for device in found:
        report.add(f"device {device}", OK, describe_device(torch, device))
    if kind == "cpu":
        if not found:
            report.add("devices", SKIP, "CPU build: no accelerator checks")
        return found
    machine = this_machine()
    if kind == "cuda":
        check_driver(report, backend, machine)
    if found:
        if kind in ("cuda", "rocm"):
            check_kernels(report, torch, backend, found)
        return found
    vendor = hardware.VENDOR[kind]
    name = hardware.VENDOR_NAME[vendor]
    gpus = [gpu for gpu in machine.of(vendor) if not gpu.integrated]
    hiding = {k: v for k, v in machine.hidden.items() if vendor in hardware.VISIBILITY[k]}
    unreachable = [gpu for gpu in gpus if not gpu.reachable]
    if gpus and hiding:
        names = ", ".join(f"{k}={v!r}" for k, v in hiding.items())
        report.add("devices", SKIP, f"{len(gpus)} {name} GPU(s) hidden on purpose by {names}")
    elif gpus and len(unreachable) == len(gpus):
        detail = (
            f"the machine has {len(gpus)} {name} GPU(s) ({gpus[0].evidence}), none that this "
            "process may use (a job or container given no GPU)"
        )
        report.add("devices", SKIP, detail)
    elif gpus:
        verdict = hardware.judge(PROJECT, backend, machine)
        seen = f"{gpus[0].name} via {gpus[0].evidence}"
        detail = f"an {name} GPU is present ({seen}) but torch cannot use it"
        if said:
            detail += f": torch says: {said}"
        if not verdict.runs:
            detail += f" ({verdict.why})"
        if machine.fixes or not verdict.runs:
            fix = "; ".join(machine.fixes) or _fitting_fix(machine, backend)
        else:
            fix = "check the driver and that this user may open the device"
        report.add("devices", FAIL, detail, fix)
    else:
        detail = f"{backend} build, but this machine has no {name} GPU"
        report.add("devices", SKIP, detail + (f"; torch says: {said}" if said else ""))
    return found


def _matmul(torch, device: str, dtype) -> str:
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(256, 256, generator=generator)
    b = torch.randn(256, 256, generator=generator)
    expected = (a.double() @ b.double()).float()
    precision = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("highest")  # TF32 would miss the float32 tolerance
    try:
        got = (a.to(device, dtype) @ b.to(device, dtype)).float().cpu()
    finally:
        torch.set_float32_matmul_precision(precision)
    tolerance = 1e-3 if dtype == torch.float32 else 5e-2
    error = ((got - expected).abs().max() / expected.abs().max()).item()
    if not error < tolerance:
        raise AssertionError(f"relative error {error:.2e} exceeds {tolerance:g}")
    if dtype == torch.float32:
        return "float32 matrix product agrees with float64 on the CPU"
    return "bfloat16 matrix product agrees within bf16 precision"


def _bf16_supported(torch, device: str) -> bool:
    """torch answers for the current device: ask with each device made current in turn."""
    kind, _, index = device.partition(":")  # cuda:0, xpu:1 (check_compute asks for these)
    module = getattr(torch, kind)
    supported = getattr(module, "is_bf16_supported", None)  # not in every torch.xpu
    if supported is None:
        return False
    with module.device(int(index)):
        return bool(supported())


def check_compute(report: Report, torch, found: list[str]) -> None:
    for device in ["cpu", *found]:
        _attempt(report, f"matmul {device}", lambda d=device: _matmul(torch, d, torch.float32))
    for device in found:
        if device.startswith(("cuda", "xpu")):
            if _bf16_supported(torch, device):
                _attempt(
                    report, f"bf16 {device}", lambda d=device: _matmul(torch, d, torch.bfloat16)
                )
            else:
                report.add(f"bf16 {device}", SKIP, "this device does not support bfloat16")
        cuda = device.startswith("cuda") and not torch.version.hip
        if cuda and not torch.backends.cudnn.is_available():
            report.add(
                f"conv {device}", FAIL, "cuDNN is not available in this torch", sync_command()
            )
        else:
            _attempt(report, f"conv {device}", lambda d=device: _conv(torch, d))
    if any(d.startswith("cuda") for d in found) and not torch.version.hip:
        report.add("tf32", OK, _tf32_settings(torch) + "; the checks above ran with TF32 off")


def _conv(torch, device: str) -> str:
    """A convolution on the device against the CPU; returns the detail, naming the library."""
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(2, 3, 32, 32, generator=generator)
    w = torch.randn(8, 3, 3, 3, generator=generator)
    expected = torch.nn.functional.conv2d(x, w)
    cudnn = torch.backends.cudnn
    allow_tf32 = cudnn.allow_tf32
    cudnn.allow_tf32 = False  # on by default: a TF32 algorithm misses the float32 tolerance
    try:
        got = torch.nn.functional.conv2d(x.to(device), w.to(device)).cpu()
    finally:
        cudnn.allow_tf32 = allow_tf32
    if not torch.allclose(got, expected, rtol=1e-3, atol=1e-3):
        raise AssertionError("convolution differs from the CPU result")
    library = ""
    if device.startswith("cuda") and cudnn.is_available():
        library = f"{'MIOpen' if torch.version.hip else 'cuDNN'} {cudnn.version()}: "
    return f"{library}a convolution agrees with the CPU"


def _tf32_settings(torch) -> str:
    return (
        f"cudnn.allow_tf32={torch.backends.cudnn.allow_tf32}, "
        f"cuda.matmul.allow_tf32={torch.backends.cuda.matmul.allow_tf32}, "
        f"float32_matmul_precision={torch.get_float32_matmul_precision()!r}"
    )


def check_memory(report: Report, torch, found: list[str]) -> None:
    for device in found:
        module = getattr(torch, device.partition(":")[0], None)
        if not hasattr(module, "mem_get_info"):  # torch.mps, torch.xpu before 2.6: all devices
            return
        try:
            free, total = module.mem_get_info(device)
        except RuntimeError as error:  # Intel's Arc and integrated GPUs (pytorch/pytorch#164429)
            report.add(f"memory {device}", SKIP, f"free memory not reported: {_first_line(error)}")
        else:
            report.add(
                f"memory {device}", OK, f"{free / 2**30:.1f} of {total / 2**30:.1f} GiB free"
            )


def check_mps(report: Report, torch) -> None:
    """On macOS: a build without MPS, or MPS that this Mac cannot offer (macOS < 12.3, a VM)."""
    mps = torch.backends.mps
    if not mps.is_built():
        report.add(
            "mps", WARN, f"torch {torch.__version__} was built without MPS: the checks use the CPU"
        )
    elif not mps.is_available():
        report.add(
            "mps",
            SKIP,
            "MPS is built into torch but this Mac does not offer it (macOS 12.3+ and a Metal GPU "
            "are needed; virtual machines usually have none)",
        )


def check_compile(report: Report, torch, found: list[str]) -> None:
    """torch.compile on each device: proves the toolchain (a C++ compiler, triton) works."""
    for device in ["cpu", *found]:
        _attempt(report, f"compile {device}", lambda d=device: _compiled(torch, d))


def _compiled(torch, device: str) -> str:
    def body(x):
        return torch.sin(x) * 2 + torch.cos(x) ** 2

    x = torch.linspace(-3, 3, 1024, device=device)
    got = torch.compile(body, dynamic=False)(x).cpu()
    if not torch.allclose(got, body(x).cpu(), rtol=1e-4, atol=1e-5):
        raise AssertionError("the compiled function differs from eager mode")
    return "a torch.compile'd function agrees with eager mode"


# What to do about errors whose cause is known: (text in the error, fix).
KNOWN_FIXES = (
    (
        "cuDNN version incompatibility",
        "another cuDNN was loaded before the one torch ships: remove it from LD_LIBRARY_PATH "
        "(`unset LD_LIBRARY_PATH`), then run this check again",
    ),
    (
        "CUDA unknown error",
        "the driver could not start CUDA (common after suspend): reload its module "
        "(`sudo rmmod nvidia_uvm && sudo modprobe nvidia_uvm`) or reboot",
    ),
    ("out of memory", "other processes hold the device memory: `nvidia-smi` lists them"),
    (
        "C++ compiler",
        "torch.compile needs a C++ compiler: install one (Linux: gcc, e.g. `sudo apt install g++`; "
        "Windows: Visual Studio Build Tools)",
    ),
    ("working triton", "torch.compile on a GPU needs triton: {sync} --reinstall"),
)


def _known_fix(error: BaseException) -> str:
    fix = next((fix for needle, fix in KNOWN_FIXES if needle in str(error)), "")
    return fix.replace("{sync}", sync_command())


def _failed(report: Report, name: str, error: BaseException) -> None:
    report.tracebacks.append(traceback.format_exc())
    detail = f"{type(error).__name__}: {_first_line(error)}"
    report.add(name, FAIL, detail, _known_fix(error) or DEBUG_FIX)


def _attempt(report: Report, name: str, run) -> None:
    """Runs one check; run() returns the detail text, built inside the guard."""
    try:
        detail = run()
    except Exception as error:  # noqa: BLE001 - the report explains every failure
        _failed(report, name, error)
    else:
        report.add(name, OK, detail)


def _guarded(report: Report, name: str, check, *args, default=None):
    """Runs a whole check: an error nobody foresaw becomes a FAIL row, never a traceback."""
    try:
        return check(report, *args)
    except Exception as error:  # noqa: BLE001 - the report explains every failure
        _failed(report, name, error)
        return default


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else repr(error)


def _required_torch(library: str) -> str | None:
    """What the installed library's metadata requires of torch (`==2.9.1`, `>=2.11`), or None."""
    try:
        requirements = importlib.metadata.requires(library) or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for requirement in requirements:
        match = re.match(r"torch\s*\(?\s*(==|>=|~=)\s*([\w.*+]+)", requirement)
        if match and "extra ==" not in requirement:
            return match.group(1) + match.group(2)
    return None


def _release(version: str) -> tuple[int, ...]:
    numbers = [int(n) for n in re.findall(r"\d+", version.partition("+")[0])[:3]]
    return tuple(numbers + [0] * (3 - len(numbers)))


def _satisfies(version: str, spec: str) -> bool:
    """Whether a torch version meets `==2.9.1`, `==2.9.*` or `>=2.11` (the records' forms)."""
    operator, wanted = spec[:2], spec[2:]
    if operator == "==" and wanted.endswith(".*"):
        prefix = wanted[:-2].split(".")
        return _release(version)[: len(prefix)] == tuple(int(n) for n in prefix)
    if operator == "==":
        return _release(version) == _release(wanted)
    return _release(version) >= _release(wanted)


def _system_fix(facts: dict, fix: str) -> str:
    """The fix when a library that loads a system package fails: install it, else `fix`."""
    command = facts["install"].get(current_platform().split("-")[0])
    if not command:
        return fix
    return f"install {facts['system_package']}: {command} (if it is installed: {fix})"


def _expected_label(facts: dict, torch) -> tuple[str, bool]:
    """The +label the library's files carry here, and whether they must carry it: torch's where
    the library's builds come from torch's index, `cpu` where the cpu index serves them, none
    where PyPI does."""
    here, backend = current_platform(), installed_backend(torch)
    kind, builds = hardware.kind_of(backend), facts["builds"]
    torch_label = torch.__version__.partition("+")[2]
    if builds is None or here in builds.get(kind, []):
        wanted, index_kind = torch_label, kind
    elif here in builds.get("cpu", []):
        wanted, index_kind = "cpu", "cpu"
    else:
        return "", False
    return wanted, here in facts["labelled_platforms"] and index_kind in facts["labelled_builds"]


def check_libraries(report: Report, torch, found: list[str]) -> None:
    installed = torch.__version__.partition("+")[0]
    for library, facts in PROJECT.data["libraries"].items():  # none without its data
        fix = f"{sync_command()} --reinstall-package {library}"
        try:
            version = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            report.add(library, FAIL, f"{library} is not installed", sync_command())
            continue
        needed = _required_torch(library) or facts["torch"]
        if not _satisfies(installed, needed):
            report.add(
                f"{library} pin",
                FAIL,
                f"{library} {version} needs torch {needed}, but torch {installed} is installed",
                fix,
            )
        label, wanted, labelled = version.partition("+")[2], *_expected_label(facts, torch)
        if label != wanted and (labelled or label):
            report.add(
                f"{library} build",
                FAIL,
                f"{library} {version} is not the {wanted or 'unlabelled'} build that goes with "
                f"torch {torch.__version__}: it came from another index (PyPI?)",
                f"check [tool.uv.sources] routes {library} as pyproject.toml says, then {fix}",
            )
        try:
            module = importlib.import_module(library)
        except Exception as error:  # noqa: BLE001 - an ABI mismatch or a missing system library
            needs = f"{facts['system_package']} and " if facts["system_package"] else ""
            detail = f"import failed: {_first_line(error)} (it needs {needs}a build for this torch)"
            report.add(library, FAIL, detail, _system_fix(facts, fix))
            continue
        for device in ["cpu", *found]:
            try:
                detail = _exercise(torch, module, library, device)
            except Exception as error:  # noqa: BLE001 - the report explains every failure
                problem = f"{type(error).__name__}: {_first_line(error)}"
                report.add(f"{library} {device}", FAIL, problem, _system_fix(facts, fix))
            else:
                advice = ""
                if facts.get("advice") and device == "cpu":
                    add = f"; to add it: {facts['add']}" if facts.get("add") else ""
                    advice = f"; {facts['advice']}{add}"
                report.add(f"{library} {device}", OK, f"{library} {version}: {detail}{advice}")


def _exercise(torch, module, library: str, device: str) -> str:
    """Runs the library's probe on one device; raises when it fails or no probe exists."""
    probe = PROBES.get(library)
    if probe is None:
        raise LookupError(f"no probe for {library}: nothing was run")
    return probe(torch, module, device)


# What each library's check runs on a device: it raises when the library does not work there,
# and may return a detail for the report. A library the data offers without a probe here is a
# FAIL row ("nothing was run"), never a pass.


def _probe_torchvision(torch, module, device: str) -> str:
    boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60]], dtype=torch.float32)
    scores = torch.tensor([0.9, 0.8, 0.7])
    keep = module.ops.nms(boxes.to(device), scores.to(device), 0.5).cpu().tolist()
    if keep != [0, 2]:
        raise AssertionError(f"nms kept {keep}, expected [0, 2]")
    return "non-maximum suppression keeps the right boxes"


def _probe_torchaudio(torch, module, device: str) -> str:
    wave = torch.sin(torch.linspace(0, 2 * 3.14159 * 440, 16000)).unsqueeze(0)
    spectrogram = module.transforms.Spectrogram(n_fft=400).to(device)(wave.to(device)).cpu()
    if spectrogram.shape[-2] != 201 or not torch.isfinite(spectrogram).all():
        raise AssertionError(f"unexpected spectrogram {tuple(spectrogram.shape)}")
    return "a spectrogram has the expected shape"


def _loadable(folder: Path, prefix: str) -> list[Path]:
    """The extension modules `prefix*` in a folder that this interpreter can load: abi3 ones and
    those built for it (torchao's abi3 wheels also hold a cpython-310-only `_C_mxfp8`)."""
    import importlib.machinery

    # The import system looks for <module><suffix> only: `_C.abi3.so`, `_C.cpython-311-...so`.
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    found = folder.glob(f"{prefix}*")
    return [p for p in found if any(p.name == p.name.split(".")[0] + s for s in suffixes)]


def _probe_torchao(torch, module, device: str) -> str:
    compiled = bool(_loadable(Path(module.__file__).parent, "_C"))
    if compiled and getattr(module, "skip_loading_so_files", False):
        raise RuntimeError(
            f"its C++ ops did not load: torchao {module.__version__} was built for another torch "
            f"than {torch.__version__} (pytorch/ao#2919)"
        )
    layer = torch.nn.Linear(64, 32, dtype=torch.bfloat16).to(device)
    x = torch.randn(4, 64, dtype=torch.bfloat16, device=device)
    expected = layer(x).float()
    module.quantization.quantize_(layer, module.quantization.Int8WeightOnlyConfig())
    error = ((layer(x).float() - expected).abs().max() / expected.abs().max()).item()
    if not error < 0.1:
        raise AssertionError(f"int8 weight-only layer differs by {error:.2e}")
    return "an int8 weight-only layer agrees" + ("" if compiled else " (no C++ ops in this wheel)")


def _probe_torchcodec(torch, module, device: str) -> str:
    import shutil
    import subprocess

    ops = getattr(getattr(module, "_core", None), "ops", None)
    ffmpeg = shutil.which("ffmpeg")
    on_path = "no ffmpeg executable on PATH"
    if ffmpeg:
        result = subprocess.run([ffmpeg, "-version"], capture_output=True, text=True, timeout=20)
        on_path = "on PATH: " + (result.stdout.splitlines() or [ffmpeg])[0]
    wanted = PROJECT.data["libraries"]["torchcodec"]["system_package"]
    if getattr(ops, "_FFMPEG_AVAILABLE", True) is False:  # 0.16+ imports without FFmpeg
        raise RuntimeError(f"torchcodec found no {wanted} libraries ({on_path})")
    major = getattr(ops, "ffmpeg_major_version", None)
    found = f"FFmpeg {major} libraries loaded; {on_path}" if major else f"{wanted}; {on_path}"
    if not hasattr(module, "encoders"):  # before 0.7: importing it loaded FFmpeg's libraries
        return found
    wave = torch.sin(torch.linspace(0, 2 * 3.14159 * 440, 16000)).unsqueeze(0)
    encoder = module.encoders.AudioEncoder(wave, sample_rate=16000)
    decoded = module.decoders.AudioDecoder(encoder.to_tensor(format="wav")).get_all_samples()
    if tuple(decoded.data.shape) != (1, 16000):
        raise AssertionError(f"a wav round trip gave shape {tuple(decoded.data.shape)}")
    return f"a wav round trip works ({found})"


PROBES = {
    "torchvision": _probe_torchvision,
    "torchaudio": _probe_torchaudio,
    "torchao": _probe_torchao,
    "torchcodec": _probe_torchcodec,
}


# --- an optional all-reduce: two processes of its own, or the ranks a launcher started -----

# Seconds a process group waits for its peers; --timeout changes it (a multi-node job whose
# nodes start at different times may need longer).
TIMEOUT_S = 60
START_S = 60  # what the workers' start (spawn, import torch, the device) may take on top of it
NCCL_FIX = f"NCCL_DEBUG=INFO NCCL_P2P_DISABLE=1 {SMOKE_COMMAND} --distributed"


@dataclass
class Launch:
    """Where a launcher (torchrun, or SLURM's srun) put this process."""

    rank: int
    world: int
    local_rank: int
    launcher: str


def launched_by(env) -> Launch | None:
    if "RANK" in env and "WORLD_SIZE" in env:  # torchrun, also under srun
        return Launch(
            int(env["RANK"]), int(env["WORLD_SIZE"]), int(env.get("LOCAL_RANK", 0)), "torchrun"
        )
    if all(k in env for k in ("SLURM_PROCID", "SLURM_NTASKS", "MASTER_ADDR", "MASTER_PORT")):
        return Launch(
            int(env["SLURM_PROCID"]),
            int(env["SLURM_NTASKS"]),
            int(env.get("SLURM_LOCALID", 0)),
            "srun",
        )
    return None


def _use_libuv_off(torch) -> bool:
    """Windows wheels up to torch 2.6 lack libuv but default to it (pytorch/pytorch#139990)."""
    release = tuple(int(p) for p in re.findall(r"\d+", torch.__version__)[:2])
    return sys.platform == "win32" and release <= (2, 6)


def _device_backends(torch) -> list[tuple[str, int]]:
    """The collective backends the GPUs offer: (backend, processes), one per GPU up to 2."""
    dist = torch.distributed
    groups = []
    if torch.cuda.is_available() and dist.is_nccl_available():
        groups.append(("nccl", min(2, torch.cuda.device_count())))  # RCCL on ROCm
    xpu = getattr(torch, "xpu", None)
    if (
        xpu is not None
        and xpu.is_available()
        and getattr(dist, "is_xccl_available", lambda: False)()
    ):
        groups.append(("xccl", min(2, xpu.device_count())))
    return groups


def _all_reduce(
    torch, backend: str, rank: int, world: int, local_rank: int, init: str, timeout: float
):
    """Joins the group, sums rank + 1 over the ranks; returns (the sum, ranks that saw another)."""
    from datetime import timedelta

    import torch.distributed as dist

    device = torch.device("cpu")
    options = {}
    if backend in ("nccl", "xccl"):
        # Each rank its own GPU, known to the process group before its first collective (modulo:
        # a launcher that gives each task only its own GPU shows each one GPU 0).
        kind = "cuda" if backend == "nccl" else "xpu"
        index = local_rank % getattr(torch, kind).device_count()
        getattr(torch, kind).set_device(index)
        device = torch.device(kind, index)
        if "device_id" in inspect.signature(dist.init_process_group).parameters:
            options["device_id"] = device
    dist.init_process_group(
        backend,
        init_method=init,
        rank=rank,
        world_size=world,
        timeout=timedelta(seconds=timeout),
        **options,
    )
    try:
        value = torch.tensor([float(rank + 1)], device=device)
        dist.all_reduce(value)
        total = value.item()
        wrong = torch.tensor([float(total != world * (world + 1) / 2)], device=device)
        dist.all_reduce(wrong)  # so that rank 0 knows what every rank saw
        return total, int(wrong.item())
    finally:
        dist.destroy_process_group()


def _all_reduce_worker(
    rank: int, world: int, backend: str, init: str, timeout: float, queue
) -> None:
    try:
        import torch

        if _use_libuv_off(torch):
            os.environ["USE_LIBUV"] = "0"
        queue.put((rank, *_all_reduce(torch, backend, rank, world, rank, init, timeout), ""))
    except Exception as error:  # noqa: BLE001 - reported by the parent
        queue.put((rank, None, None, f"{type(error).__name__}: {_first_line(error)}"))


def _run_workers(target, args, world: int, wait_s: float) -> tuple[dict, str]:
    """Starts target(rank, *args, queue) in `world` processes and collects what each puts on the
    queue; returns (rank -> result, what went wrong). Never waits longer than wait_s: the workers
    are daemons, and any still running at the end are ended."""
    import multiprocessing
    import queue as queues

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=target, args=(rank, *args, results), daemon=True)
        for rank in range(world)
    ]
    collected, problem = {}, ""
    deadline = time.monotonic() + wait_s
    try:
        for process in processes:
            process.start()
        while len(collected) < world and not problem:
            try:
                result = results.get(timeout=0.2)  # then see whether a worker ended
                collected[result[0]] = result[1:]
                continue
            except queues.Empty:
                pass
            ended = [(r, p.exitcode) for r, p in enumerate(processes) if p.exitcode is not None]
            gone = [(r, code) for r, code in ended if r not in collected]
            if gone:
                rank, code = gone[0]
                how = f"signal {-code}" if code < 0 else f"exit code {code}"
                problem = f"worker rank {rank} ended ({how}) before the all-reduce finished"
            elif time.monotonic() > deadline:
                problem = f"timed out after {wait_s:.0f} s waiting for the workers"
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        results.close()
        results.cancel_join_thread()
    return collected, problem


def _all_reduce_row(
    report: Report, backend: str, world: int, total, wrong, problem: str, how: str
) -> None:
    name = f"all-reduce {backend}"
    want = world * (world + 1) // 2
    processes = f"{world} process{'es' if world > 1 else ''}"
    if not problem and total == want and not wrong:
        report.add(name, OK, f"{backend}, {processes}: sum over ranks = {want} on every rank{how}")
        return
    shown = f"{total:g}" if isinstance(total, float) else total
    detail = (
        problem or f"sum over ranks = {shown}, expected {want} ({wrong} rank(s) saw another sum)"
    )
    timed_out = "timed out" in detail.lower() or "timeout" in detail.lower()
    if timed_out and not detail.startswith("timed out"):
        detail = f"timed out: {detail}"
    if backend == "nccl":
        fix = f"see why, or avoid peer-to-peer transfers (consumer GPUs): {NCCL_FIX}"
    elif timed_out:
        fix = "every rank must reach MASTER_ADDR:MASTER_PORT; a slow start needs a longer --timeout"
    elif "ended (" in detail:
        fix = f"out of memory? (`dmesg` says who ended it), then {SMOKE_COMMAND} --distributed"
    else:
        fix = DEBUG_FIX
    report.add(name, FAIL, f"{backend}, {processes}{how}: {detail}", fix)


def check_distributed(report: Report, torch, timeout: float) -> None:
    """Alone: gloo in two processes of its own, and each GPU backend with one process per GPU (up
    to two), meeting through a file in a temporary directory (no port to race for)."""
    import tempfile

    dist = torch.distributed
    if not dist.is_available():
        report.add("all-reduce", SKIP, "this torch build has no torch.distributed")
        return
    groups = ([("gloo", 2)] if dist.is_gloo_available() else []) + _device_backends(torch)
    for backend, world in groups:
        with tempfile.TemporaryDirectory() as directory:
            init = Path(directory, "rendezvous").as_uri()
            results, problem = _run_workers(
                _all_reduce_worker, (world, backend, init, timeout), world, timeout + START_S
            )
        errors = [error for _, _, error in results.values() if error]
        totals = {total for total, _, _ in results.values()}
        wrong = sum(w or 0 for _, w, _ in results.values())
        total = totals.pop() if len(totals) == 1 else totals
        _all_reduce_row(
            report, backend, world, total, wrong, problem or (errors[0] if errors else ""), ""
        )


def check_launched(report: Report, torch, launch: Launch, timeout: float) -> None:
    """Under torchrun or srun: one all-reduce across every rank of the launcher's job."""
    if _use_libuv_off(torch):
        os.environ["USE_LIBUV"] = "0"
    groups = _device_backends(torch)
    backend = groups[0][0] if groups else "gloo"
    how = f" ({launch.launcher})"
    try:
        total, wrong = _all_reduce(
            torch, backend, launch.rank, launch.world, launch.local_rank, "env://", timeout
        )
    except Exception as error:  # noqa: BLE001 - the report explains every failure
        report.tracebacks.append(traceback.format_exc())
        _all_reduce_row(
            report,
            backend,
            launch.world,
            None,
            0,
            f"{type(error).__name__}: {_first_line(error)}",
            how,
        )
        return
    _all_reduce_row(report, backend, launch.world, total, wrong, "", how)


# --- the report ----------------------------------------------------------------------------


def run(*, distributed: bool, compile: bool, timeout: float) -> Report:
    report = Report()
    if PROJECT_ERROR:  # what the project expects is unknown: say so, check the rest
        report.add("project", FAIL, PROJECT_ERROR, "copier update, then run this check again")
    try:
        import torch
    except Exception as error:  # noqa: BLE001 - a broken install is explained, not raised
        report.add(
            "import torch", FAIL, _first_line(error), f"{sync_command()}, then run this check again"
        )
        return report
    backend = _guarded(report, "build", check_build, torch, default=installed_backend(torch))
    found = _guarded(report, "devices", check_devices, torch, backend, default=[])
    if current_platform().startswith("macos"):
        _guarded(report, "mps", check_mps, torch)
    _guarded(report, "compute", check_compute, torch, found)
    _guarded(report, "memory", check_memory, torch, found)
    _guarded(report, "libraries", check_libraries, torch, found)
    if compile:
        _guarded(report, "compile", check_compile, torch, found)
    if distributed:
        _guarded(report, "all-reduce", check_distributed, torch, timeout)
    return report


def render(report: Report) -> str:
    lines = [
        f"Python    {platform.python_version()} ({sys.executable})",
        f"Platform  {current_platform()} ({platform.platform()})",
    ]
    try:
        import torch

        lines.append(f"torch     {torch.__version__} (build {installed_backend(torch)})")
    except Exception:  # noqa: BLE001 - already reported as a check
        lines.append("torch     not importable")
    try:
        expected, source = expected_backends()
        lines.append(f"Expected  {' or '.join(sorted(expected)) or 'nothing known'} ({source})")
    except Exception as error:  # noqa: BLE001 - the header never stops the verdict
        lines.append(f"Expected  unknown ({_first_line(error)})")
    lines.append("")
    width = max((len(c.name) for c in report.checks), default=0)
    for check in report.checks:
        lines.append(f"[{check.status:>4}] {check.name:<{width}}  {check.detail}")
        if check.fix:  # only failures carry one
            lines.append(f"       {'':<{width}}  fix: {check.fix}")
    lines.append("")
    if report.failed:
        first = report.failed[0]
        lines.append(
            f"VERDICT: FAILED ({len(report.failed)} problem(s)); "
            f"first: {first.name}: {first.detail}"
        )
    else:
        skipped = sum(c.status == SKIP for c in report.checks)
        note = f", {skipped} skipped" if skipped else ""
        lines.append(f"VERDICT: OK: this PyTorch install is the one the project expects{note}")
    return "\n".join(lines)


def _print(report: Report, debug: bool) -> int:
    if debug:
        for text in report.tracebacks:
            print(text, file=sys.stderr)
    print(render(report), flush=True)
    return 1 if report.failed else 0


def _print_rank(report: Report, launch: Launch, debug: bool) -> int:
    """Rank 0 prints the report; the other ranks only their failures, on stderr."""
    if launch.rank == 0:
        return _print(report, debug)
    for check in report.failed:
        print(f"rank {launch.rank}: [{check.status}] {check.name}  {check.detail}", file=sys.stderr)
    return 1 if report.failed else 0


def _launched_main(launch: Launch, args) -> int:
    """Every rank joins the all-reduce first (so no rank waits for another's checks); rank 0 then
    runs the checks of its machine and prints the one report. A watchdog ends a rank that the
    process group's own timeout did not (a collective stuck in a GPU library)."""
    report = Report()
    try:
        import torch
    except Exception as error:  # noqa: BLE001 - a broken install is explained, not raised
        report.add(
            "import torch", FAIL, _first_line(error), f"{sync_command()}, then run this check again"
        )
        return _print_rank(report, launch, args.debug)

    def expire() -> None:
        detail = f"timed out after {2 * args.timeout:.0f} s"
        report.add(f"all-reduce (rank {launch.rank})", FAIL, detail, NCCL_FIX)
        _print_rank(report, launch, args.debug)
        os._exit(1)

    watchdog = threading.Timer(2 * args.timeout, expire)
    watchdog.daemon = True
    watchdog.start()
    _guarded(report, "all-reduce", check_launched, torch, launch, args.timeout)
    watchdog.cancel()
    if launch.rank == 0:
        local = run(distributed=False, compile=args.compile, timeout=args.timeout)
        report.checks[:0] = local.checks
        report.tracebacks += local.tracebacks
    return _print_rank(report, launch, args.debug)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--distributed",
        action="store_true",
        help="also an all-reduce: in two processes of its own, or across torchrun's / srun's ranks",
    )
    parser.add_argument(
        "--compile", action="store_true", help="also run torch.compile on each device"
    )
    parser.add_argument(
        "--timeout", type=float, default=TIMEOUT_S, help="seconds a process group waits"
    )
    parser.add_argument("--debug", action="store_true", help="print the traceback of each failure")
    args = parser.parse_args(argv)
    launch = launched_by(os.environ) if args.distributed else None
    if launch is not None:
        return _launched_main(launch, args)
    try:
        report = run(distributed=args.distributed, compile=args.compile, timeout=args.timeout)
    except Exception as error:  # noqa: BLE001 - the last guard: a verdict, never a traceback
        report = Report()
        _failed(report, "smoke check", error)
    return _print(report, args.debug)


if __name__ == "__main__":
    sys.exit(main())
