"""Mutation testing of the code where a bug costs users most: the plan (extensions/torch_plan.py)
and the tooling a project runs (template/tools/*.py), against the fast unit tests of both.

    uv run --group test --group mutation python benchmarks/mutation.py [--max-children 2]

mutmut changes one thing at a time in those files (an operator, a constant, a condition) and
runs the tests that reach the changed function; a mutant the tests let pass "survives". The
script lays the code out in a work directory as mutmut wants it (the tools under src/, so that
they keep the module names the tests import them by), runs `mutmut run`, and prints the score
and each survivor: with the note below when it is an equivalent mutant (no test can tell it
apart), otherwise as one that needs a test. Goal: at least 90% killed. Not run in CI (slow).
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The unit tests of the plan and the tools, in the files that hold them (the plugin below leaves
# out their tests that render or lock a project); -k also drops the one that reads the tools as
# files, the one that copies the template to add a library to its data, and the property-based
# tests of how rendered files quote text, which run hundreds of examples and reach the plan only
# through the validators tests/test_plan_messages.py checks word for word.
TESTS = [
    "tests/test_plan.py",
    "tests/test_questions.py",
    "tests/test_deploy.py",
    "tests/test_smoke_report.py",
    "tests/test_hardware_detection.py",
    "tests/test_plan_messages.py",
    "tests/test_smoke_logic.py",
    "tests/test_smoke_faults.py",
    "tests/test_smoke_hardware.py",
    "tests/test_gpu_judgments.py",
    "tests/test_pick_backend.py",
    "tests/test_nvidia_devices.py",
    "tests/test_gpu_runtimes.py",
]
# test_every_plan_installs_... checks 783 plans; a sample of releases and modes, from the oldest
# torch to the newest (inferred) one, keeps each surviving mutant's run to seconds.
SAMPLE = ["2.4-platform", "2.8-extra", "2.12-platform", "2.14-extra", "2.15-platform"]
DESELECT = (
    "not python_3_9 and not round_trip and not shows_the_text and not control_characters"
    " and not a_fifth_library_is_one_record"
    f" and (not every_plan_installs or {' or '.join(SAMPLE)})"
)

# Tests that render a project with Copier, lock one with uv or start a cluster take seconds each:
# a plugin leaves out every test that asks for one of these fixtures.
SLOW_FIXTURES = ["template_copy", "copie", "slurm", "uv_env", "catalogue_index"]
PLUGIN = f"""
SLOW = set({SLOW_FIXTURES!r})


def pytest_collection_modifyitems(config, items):
    slow = [item for item in items if SLOW & set(getattr(item, "fixturenames", ()))]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item not in slow]
"""

# Survivors no test can tell apart, by what they change: (the function, as mutmut names it; a
# regular expression for the line as it was, with (?P<changed>...) where only a mutant that
# changes that part is meant; why no test can tell; optionally, a regular expression the mutant's
# line must match). Each says why the mutant is equivalent: for every input the tests can give,
# or for every value the template's data holds (the data changes with a refresh, and these
# notes are read again with each run's survivors).
NOTES = [
    (
        r"torch_smoke\.x__(matmul|conv|compiled|probe_\w+)$",
        r"torch\.(randn|tensor|linspace|Generator|nn\.Linear)\(|manual_seed|sample_rate|n_fft",
        "the input of a computation on the device: the stand-in torch answers alike for any input; "
        "the real CPU torch in tests/test_real_install.py runs it",
    ),
    (
        r"torch_smoke\.x__compiled$",
        r"return torch\.sin|torch\.compile\(body, (?P<changed>dynamic=False)\)",
        "the compiled function is compared with itself run eagerly: any body or compile option "
        "agrees; the real CPU torch compiles it in tests/test_real_install.py",
    ),
    (
        r"torch_smoke\.x__(matmul|probe_torchao)$",
        r"error = \(\(|if not error <",
        "the relative error of a computation the stand-in does exactly: 0 divided or multiplied, "
        "below the tolerance with < or <=; the real CPU torch runs it in tests/test_real_install.py",
    ),
    (
        r"torch_smoke\.x__(conv|probe_torchvision)$|torch_smoke\.x_check_compile$",
        r"\.to\(device\)|allow_tf32 = False|_compiled\(torch, d\)",
        "where a tensor is computed and whether TF32 may be: the stand-in computes alike on any "
        "device; only a real GPU tells",
    ),
    (
        r"torch_hardware\.x__run$|torch_smoke\.x__probe_torchcodec$|torch_smoke\.x__run_workers$",
        r"(?P<changed>timeout=[\d.]+)|time\.monotonic\(\) > deadline",
        "a time limit or a polling interval: only a process that hangs tells, and a test of it "
        "would wait the limit out",
    ),
    (
        r"torch_smoke\.x__launched_main$",
        r"(?P<changed>2 \* args\.timeout)",
        "the watchdog's limit: only a rank stuck past it tells, and the watchdog then ends the "
        "process (the SLURM and torchrun tests see it end)",
    ),
    (
        r"torch_smoke\.x__run_workers$",
        r'get_context\((?P<changed>"spawn")\)',
        "fork or spawn: the stand-in workers run either way on Linux; spawn matters to a CUDA "
        "parent, which these tests do not have",
    ),
    (
        r"torch_smoke\.x__print$|torch_smoke\.x__launched_main$|torch_smoke\.x__run_workers$",
        r"(?P<changed>flush=True|\.daemon = True|daemon=True)",
        "flushing and daemon threads/processes only matter when a process dies mid-way, which the "
        "real-install and SLURM tests see, not these",
    ),
    (
        r"torch_hardware\.x__nvidia_smi$",
        r"(?P<changed>status > 0) and",
        "a successful nvidia-smi lists GPUs, never a field's name, and it answers an unknown field "
        "with exit 2: `>= 0` and `> 1` test the same",
    ),
    (
        r"torch_hardware\.x__(nvidia|amd)$",
        r"(?P<changed>status > 0)",
        "exit status 0 was handled just above (`>= 0` tests the same), and nvidia-smi's failures "
        "exit 2 or more (its documented codes), never 1",
    ),
    (
        r"torch_hardware\.x_(_bus|_sm|_version|nvidia_arch|_amd)$",
        r'""',
        'an absent text: "XXXX" matches none of what it is searched for (a PCI address, a compute '
        'capability, a version, gfx, APU, a GPU name) and names no sysfs folder, like ""',
        r'"XXXX"',
    ),
    (
        r"torch_hardware\.x_floor_for$|torch_hardware\.x_gpu_runs$",
        r'(?P<changed>"")\)',
        'no floor and no fix: None and "" are both unset (`if floor`, judge keeps only set fixes)',
        r"None\)|, \)",
    ),
    (
        r"torch_hardware\.x_gpu_runs$",
        r'get\(gpu\.arch, (?P<changed>"")\)',
        'an override the data lacks: "XXXX" is no x.y.z version either, so it names no target',
    ),
    (
        r"torch_smoke\.x__expected_label$|extensions\.torch_plan\.x_library_route$",
        r'builds\.get\("cpu", (?P<changed>\[\]|\(\))\)',
        "every library whose builds differ by index lists its cpu builds (torchao, torchcodec)",
    ),
    (
        r"torch_smoke\.x__expected_label$",
        r'wanted, index_kind = "cpu", "cpu"',
        "no library the data knows labels the files it takes from the cpu index (torchao labels "
        "none, torchcodec its cuda ones)",
        r'"cpu", "(XXcpuXX|CPU)"',
    ),
    (
        r"torch_smoke\.x__expected_label$",
        r'return "", (?P<changed>False)',
        'where no label is wanted only a label tells: a file is flagged when label != "" either way',
    ),
    (
        r"torch_smoke\.x_check_libraries$",
        r"add = f\"; to add it",
        "advice without its update: the data gives torchaudio's advice its update wherever "
        "torchcodec has a release (every torch it is given for)",
    ),
    (
        r"torch_smoke\.x_(_bf16_supported|check_memory|_expected_label|check_libraries)$",
        r"(?P<changed>\.partition\()",
        "a device name holds one colon and a version one +: partition and rpartition split alike",
        r"rpartition",
    ),
    (
        r"torch_smoke\.x__release$",
        r'partition\("\+"\)\[0\]\)\[:3\]|\(3 - len',
        "a torch version's first three numbers come before its +, and both sides of a comparison "
        "are padded alike: no split, or a fourth place, reads the same",
    ),
    (
        r"torch_hardware\.x__intel$",
        r'(?P<changed>line\.partition\("\|"\))',
        "a video controller's name and PNP id hold no |: partition and rpartition split alike",
    ),
    (
        r"torch_hardware\.x__intel$",
        r"if status == 0 else",
        "the output of a tool that failed holds no device line to read",
        r"or True",
    ),
    (
        r"torch_smoke\.x__(probe_torchao|probe_torchcodec|device_backends)$",
        r'getattr\(\w+, "\w+", (?P<changed>False|True|lambda: False)\)',
        "a flag older releases lack: where it is missing, False, None and (for `is False`) True read alike",
    ),
    (
        r"torch_smoke\.x_devices$",
        r'kind == "xpu" and hasattr',
        "only an XPU build's torch.xpu says it has devices: a CUDA or CPU build answers False",
    ),
    (
        r"torch_smoke\.x__all_reduce_worker$",
        r"(?P<changed>world, rank, init)",
        "the local rank picks the GPU of nccl/xccl workers; gloo, the one these tests run, does not read it",
    ),
    (
        r"torch_smoke\.x__launched_main$",
        r"return _print_rank\(report, launch, (?P<changed>args\.debug)\)",
        "a rank whose torch does not import has no traceback to print: --debug adds nothing",
    ),
    (
        r"torch_smoke\.x_check_launched$",
        r'^0,$|wrong, (?P<changed>""), how',
        "a failed all-reduce's row shows its error alone (the count beside it is not read), and "
        '"" and None are both no problem',
    ),
    (
        r"torch_smoke\.x_check_devices$",
        r'(?P<changed>"; ")\.join\(machine\.fixes\)',
        "a machine has one known fix at most (the driver/library mismatch)",
    ),
    (
        r"torch_smoke\.x_render$",
        r"default=(?P<changed>0)\)",
        "a report without rows: run() always adds one (the build, or import torch)",
    ),
    (
        r"pick_backend\.x_main$|torch_hardware\.x_detect$",
        r'(?P<changed>(default|root)=("/"|""))',
        "the real machine's / and platform: the tests' machine has no GPU, and a root that does "
        "not exist shows none either",
    ),
    (
        r"torch_hardware\.x__run$",
        r"not found on PATH|could not run",
        "the words of a tool that could not start: status -1 sends detection elsewhere, and no "
        "caller shows or reads them",
    ),
    (
        r"torch_hardware\.x_platform_advice$|torch_smoke\.x__fitting_fix$",
        r"(?P<changed>'; ')\.join\((fixes|later\[0\]\[1\])\)",
        "the fixes a build runs after are one, its driver floor (the same words for every GPU)",
    ),
    (
        r"torch_hardware\.x__run$",
        r'env\.get\("PATH", (?P<changed>os\.defpath)\)',
        "an environment without PATH: every caller passes one",
    ),
    (
        r"torch_hardware\.x_arch_runs$",
        r"int\(found\.group\(2\)\) (?P<changed><=) minor",
        "a cubin of the GPU's own architecture returned True above: < and <= agree on the rest",
    ),
    (
        r"torch_hardware\.x_load_project$",
        r'encoding=(?P<changed>"utf-8")',
        "UTF-8 and utf-8 name one codec, and None is the locale's (UTF-8 where the tests run)",
    ),
    (
        r"torch_hardware\.x__nvidia_smi$",
        r'int\(row\["index"\]\) if',
        "nvidia-smi lists its GPUs by index from 0: a row's index and its place agree",
    ),
    (
        r"extensions\.torch_plan\.x_project_data$",
        r"(?P<changed>strict=True)",
        "a plan has one environment per platform: zip's strict= cannot matter",
    ),
    (
        r"extensions\.torch_plan\.x_macos_minimum$",
        r"max\(\(macos|<= \(11, 0\)",
        "the data's macOS floors are 11.0, 12.0 and 14.0 and every project has one: text and version "
        "order agree on them, no default is taken, and none lies between 11.0 and 11.1",
    ),
    (
        r"extensions\.torch_plan\.x_make_plan$",
        r"b == backend and p in companion\.platforms",
        "a companion's platforms all get its backend's build (triton-xpu, triton-rocm, rocm-sdk)",
    ),
    (
        r"extensions\.torch_plan\.x_update_examples$",
        r"if platforms and platforms != plan\.platforms",
        "a plan always has a platform to add or one to drop: the list is never empty",
    ),
    (
        r"extensions\.torch_plan\.x_check_index_url$",
        r"local = (?P<changed>False)",
        "False and None read alike to `if not local`",
    ),
    (
        r"extensions\.torch_plan\.x_check_(index_url|project_name)$",
        r'(url|name) or ""',
        'an answer given as null: "XXXX" is neither an http(s) URL nor too long, and the next '
        'check names it, like ""',
        r'or "XXXX"',
    ),
    (
        r"extensions\.torch_plan\.x_index_url$",
        r"rstrip\((?P<changed>'/')\)",
        "rstrip's characters: only a base URL ending in X tells, and none does",
    ),
]


@functools.cache
def functions_in(path: Path) -> dict[str, list[str]]:
    """Every function (and method) mutmut wrote into a mutated file: name -> its lines."""
    lines = path.read_text().splitlines()
    return {
        node.name: lines[node.lineno - 1 : node.end_lineno]
        for node in ast.walk(ast.parse("\n".join(lines)))
        if isinstance(node, ast.FunctionDef)
    }


def changed_lines(directory: Path, name: str) -> tuple[str, str]:
    """The first line a mutant changes: (as it was, as the mutant has it)."""
    module, _, function = name.rpartition(".")
    relative = module.replace(".", "/") + ".py" if "." in module else f"src/{module}.py"
    functions = functions_in(directory / "mutants" / relative)
    base = re.sub(r"__mutmut_\d+$", "", function)
    original = [line.replace("__mutmut_orig", "", 1) for line in functions.get(f"{base}__mutmut_orig", [])]
    mutant = [line.replace(function, base, 1) for line in functions.get(function, [])]
    for before, after in zip(original, mutant, strict=False):
        if before != after:
            return before.strip(), after.strip()
    return "", ""


def work_directory(directory: Path) -> Path:
    """extensions/ and the tests as they are; the tools under src/; a pyproject.toml that keeps
    the suite's pytest settings (without xdist) and configures mutmut."""
    shutil.copytree(
        ROOT / "extensions", directory / "extensions", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "tests", directory / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    # What some tests read: the README's table (scripts/), the questions, the template's files;
    # not the tools themselves, which the tests would import from there instead of src/.
    shutil.copytree(ROOT / "scripts", directory / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(
        ROOT / "template", directory / "template", ignore=shutil.ignore_patterns("__pycache__", "*.py")
    )
    for name in ("copier.yml", "README.md"):
        shutil.copy2(ROOT / name, directory / name)
    (directory / "mutation_plugin.py").write_text(PLUGIN)
    (directory / "src").mkdir()
    for tool in sorted((ROOT / "template" / "tools").glob("*.py")):
        shutil.copy2(tool, directory / "src" / tool.name)
    (directory / "pyproject.toml").write_text(
        f"""[tool.pytest.ini_options]
addopts = "-ra -p no:cacheprovider"
markers = ["network: talks to 127.0.0.1 and PyPI"]

[tool.mutmut]
source_paths = ["extensions", "src"]
only_mutate = ["extensions/torch_plan.py", "src/*.py"]
also_copy = ["tests", "scripts", "template", "copier.yml", "README.md", "mutation_plugin.py"]
pytest_add_cli_args = ["-p", "mutation_plugin", "-m", "not network", "-k", {json.dumps(DESELECT)}, "-q"]
pytest_add_cli_args_test_selection = {json.dumps(TESTS)}
# A mutant that makes the check wait (a worker never reporting) is ended after 2.5x its tests'
# time: a hang, counted as not killed.
timeout_multiplier = 2.5
"""
    )
    return directory


def mutmut(directory: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mutmut", *args], cwd=directory, env=env, capture_output=True, text=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", type=Path, help="run in this directory and keep it")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="mutation-"))
    try:
        if not (directory / "src").exists():
            directory.mkdir(parents=True, exist_ok=True)
            work_directory(directory)
        start = time.monotonic()
        run = mutmut(directory, "run", "--max-children", str(args.max_children))
        minutes = (time.monotonic() - start) / 60
        if run.returncode != 0:
            print(run.stdout[-4000:], run.stderr[-4000:], sep="\n")
            return run.returncode
        mutmut(directory, "export-cicd-stats")
        stats = json.loads((directory / "mutants" / "mutmut-cicd-stats.json").read_text())
        results = mutmut(directory, "results").stdout.splitlines()
        survivors, hung = (
            {
                name: changed_lines(directory, name)
                for name in sorted(
                    line.split(":")[0].strip() for line in results if line.rstrip().endswith(status)
                )
            }
            for status in ("survived", "timeout")
        )
        return report(stats, survivors, hung, minutes)
    finally:
        if args.keep is None:
            shutil.rmtree(directory, ignore_errors=True)


def note_for(name: str, change: tuple[str, str]) -> str:
    function = name.rpartition("__mutmut_")[0]
    before, after = change
    for function_pattern, line_pattern, note, *mutant in NOTES:
        found = re.search(function_pattern, function) and re.search(line_pattern, before)
        part = found and found.groupdict().get("changed")
        if (
            found
            and (part is None or part not in after)
            and all(re.search(pattern, after) for pattern in mutant)
        ):
            return note
    return ""


def report(
    stats: dict, survivors: dict[str, tuple[str, str]], hung: dict[str, tuple[str, str]], minutes: float
) -> int:
    """The score (killed of all mutants; no note lowers the bar, and a hang is not a kill), the
    mutants the tests hung on, then each survivor: its note, or the change a test should catch."""
    killed, total = stats["killed"], stats["total"]
    others = {k: v for k, v in stats.items() if k not in ("killed", "survived", "total") and v}
    print(f"{total} mutants in {minutes:.1f} min: {killed} killed, {len(survivors)} survived {others}")
    if hung:
        print(f"\n{len(hung)} hung: the tests waited on them past mutmut's limit (the check would hang)")
        for name, (_, after) in hung.items():
            print(f"  {name}: {after}")
    noted = {name: note_for(name, change) for name, change in survivors.items()}
    for note in sorted(set(noted.values()) - {""}):
        names = [name for name, said in noted.items() if said == note]
        print(f"\n{len(names)} survivors: {note}")
        for name in names:
            print(f"  {name}: {survivors[name][1]}")
    untested = [name for name, said in noted.items() if not said]
    print(f"\n{len(untested)} survivors that need a test (or a note above):")
    for name in untested:
        before, after = survivors[name]
        print(f"  {name}\n      - {before}\n      + {after}")
    score = killed / max(1, total)
    print(f"\nscore: {score:.1%} of the mutants killed (goal: 90%)")
    return 0 if score >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
