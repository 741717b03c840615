"""uv.lock installs the PyTorch build this project was made for, on each platform (and extra).

uv can write a lock that routes a platform to another index, or that leaves out the CUDA
runtime packages (astral-sh/uv#14237), without an error: you would learn it at run time. This
test reads `uv export` of the lock, so it needs neither torch nor a download. What it expects
was written by the template from your answers into tools/torch_project.json; `copier update`
rewrites it when they change.
"""

import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.markers import Marker, default_environment  # pytest itself depends on packaging

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

ROOT = Path(__file__).resolve().parents[1]
UV = os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to its own path

pytestmark = [
    pytest.mark.skipif(
        tomllib is None,
        reason="reading the lock needs Python 3.11+ (tomllib): "
        "uv run --only-dev --python 3.11 pytest tests/test_lock.py",
    ),
    pytest.mark.skipif(UV is None, reason="uv is not on PATH"),
]

# What the template planned from the answers (tools/torch_project.json): where torch and each
# library come from on each platform (per extra; "" in platform mode), as the index
# `pytorch-<build>`, or PyPI ("") where the PyTorch index has no build of a library.
PROJECT = json.loads((ROOT / "tools" / "torch_project.json").read_text(encoding="utf-8"))
ROUTES = PROJECT["package_routes"]
ENVIRONMENTS = PROJECT["environments"]  # each platform as the lock's `environments` name it
PYPI = "https://pypi.org/simple"
# What the interpreter of each operating system reports, for markers written another way.
SYSTEMS = {
    "linux": {"platform_system": "Linux", "os_name": "posix"},
    "darwin": {"platform_system": "Darwin", "os_name": "posix"},
    "win32": {"platform_system": "Windows", "os_name": "nt"},
}


@functools.lru_cache
def locked_packages(extra):
    """What uv.lock installs (with this extra), on every platform; nothing is downloaded."""
    args = [UV, "export", "--format", "pylock.toml", "--frozen", "--no-dev", "--no-emit-project"]
    if extra:
        args += ["--extra", extra]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"`uv export` could not read uv.lock (run `uv lock`):\n{result.stderr}")
    return tomllib.loads(result.stdout)["packages"]


def installed_on(packages, platform):
    """name -> the lock's entries for it that this platform installs."""
    environment = dict(re.findall(r"(\w+) == '([^']*)'", ENVIRONMENTS[platform]))
    environment = {
        **default_environment(),
        **SYSTEMS[environment["sys_platform"]],
        **environment,
    }
    found = {}
    for package in packages:
        marker = package.get("marker")
        if marker is None or Marker(marker).evaluate(environment):
            found.setdefault(package["name"], []).append(package)
    return found


def pyproject_indexes():
    with open(ROOT / "pyproject.toml", "rb") as file:
        indexes = tomllib.load(file)["tool"]["uv"].get("index", [])
    return {index["name"]: index["url"] for index in indexes}


@pytest.mark.parametrize(
    "extra, platform",
    [(extra, platform) for extra, platforms in ROUTES.items() for platform in platforms],
)
def test_lock_installs_the_planned_build(extra, platform):
    backend = ROUTES[extra][platform]["torch"]
    where = f"{platform}, extra {extra}" if extra else platform
    installed = installed_on(locked_packages(extra), platform)
    for name, build in ROUTES[extra][platform].items():
        url = pyproject_indexes().get(f"pytorch-{build}") if build else PYPI
        assert url, f"pyproject.toml has no index pytorch-{build}: run `copier update`"
        entries = installed.get(name, [])
        assert len(entries) == 1, f"{where}: the lock has {len(entries)} {name} for it, not one"
        entry = entries[0]
        fix = "check [tool.uv.sources] in pyproject.toml, then `uv lock`"
        assert entry.get("index") == url, (
            f"{where}: {name} {entry['version']} comes from {entry.get('index')}, "
            f"not from {f'pytorch-{build}' if build else 'PyPI'} ({url}); {fix}"
        )
        label = entry["version"].partition("+")[2]  # some builds carry none: macOS, aarch64
        assert label in ("", build), f"{where}: {name} {entry['version']} is no {build} build"
    if backend.startswith("cu") and platform == "linux-x86_64":
        # CUDA builds for Linux x86_64 take the CUDA libraries from PyPI: nvidia-* packages, and
        # from torch 2.11 the cuda-toolkit metapackage that requires them.
        runtime = [name for name in installed if name.startswith(("nvidia-", "cuda-toolkit"))]
        assert runtime, (
            f"{where}: no CUDA runtime (nvidia-*) in the lock for torch+{backend}; `uv lock`"
        )


if PROJECT["mode"] == "extra":  # the extras hold PyTorch: plain `uv sync` installs none of it

    def test_no_extra_installs_no_pytorch():
        installed = {package["name"] for package in locked_packages(None)}
        pytorch = {
            name for routes in ROUTES.values() for names in routes.values() for name in names
        }
        assert not installed & pytorch, "plain `uv sync` would install PyTorch"
