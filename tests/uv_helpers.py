"""Running uv on a rendered project and reading what it resolved for each platform."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.markers import Marker, default_environment
from uv import find_uv_bin

from helpers import PLATFORM_ENVIRONMENTS

UV = find_uv_bin()


def uv_environment(cache_dir: Path) -> dict[str, str]:
    # Neither uv's settings nor the suite's own environment (`uv run pytest` sets VIRTUAL_ENV,
    # which uv in a rendered project warns about) reach the project's commands.
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_") and k != "VIRTUAL_ENV"}
    env.update(
        UV_CACHE_DIR=str(cache_dir),
        UV_PYTHON_DOWNLOADS="never",
        UV_NO_PROGRESS="1",
        NO_COLOR="1",
    )
    return env


def uv(
    args: list[str], project: Path, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess:
    result = subprocess.run([UV, *args], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"uv {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def lock(project: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return uv(["lock", "--python", sys.executable], project, env, check)


def export(project: Path, env: dict[str, str], extras: tuple[str, ...] = ()) -> list[dict]:
    """The locked packages (pylock.toml) for the given extras, without the dev group."""
    args = ["export", "--format", "pylock.toml", "--frozen", "--no-dev", "--no-emit-project", "--quiet"]
    for extra in extras:
        args += ["--extra", extra]
    return tomllib.loads(uv(args, project, env).stdout)["packages"]


def resolved_for(packages: list[dict], platform: str) -> dict[str, dict]:
    """name -> package entry that this platform installs."""
    environment = {**default_environment(), **PLATFORM_ENVIRONMENTS[platform]}
    chosen: dict[str, dict] = {}
    for package in packages:
        marker = package.get("marker")
        if marker is None or Marker(marker).evaluate(environment):
            assert package["name"] not in chosen, f"two {package['name']} for {platform}"
            chosen[package["name"]] = package
    return chosen
