from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

import pytest
from plumbum import local

from helpers import ROOT, project_for


def _set_environment(name: str, value: str, *, override: bool) -> None:
    # Copier runs its tasks with plumbum's copy of the environment, made when plumbum was
    # imported (pytest-copie imports it before this file): set both.
    if override or name not in os.environ:
        os.environ[name] = value
    local.env[name] = os.environ[name]


# Commits in rendered projects need an identity, which a fresh machine may lack.
for _name, _value in {
    "GIT_AUTHOR_NAME": "uv-torch-template tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "uv-torch-template tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
}.items():
    _set_environment(_name, _value, override=False)
# The template's post-copy task runs `uv lock` against the real PyTorch index, which tests must
# not reach: offline, it fails at once and says so (the task never fails a copy).
_set_environment("UV_OFFLINE", "1", override=True)

from pytorch_index import IndexServer, LocalIndex, catalogue_wheels  # noqa: E402
from template_files import copy_template  # noqa: E402


@pytest.fixture(scope="session")
def template_copy(tmp_path_factory) -> Path:
    """The working tree's template outside git: Copier renders it in place, without a clone."""
    return copy_template(tmp_path_factory.mktemp("template") / "uv-torch-template")


@pytest.fixture
def copie(copie, template_copy):
    """pytest-copie's fixture, rendering the working tree's template (its `default_template_dir`
    lives on the primary instance behind the handle in pytest-copie 0.3)."""
    getattr(copie, "_primary", copie).default_template_dir = template_copy
    return copie


@pytest.fixture
def template_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def catalogue_index(tmp_path_factory) -> str:
    """The stand-in PyTorch index serving its whole catalogue on 127.0.0.1: its base URL."""
    index = LocalIndex(tmp_path_factory.mktemp("catalogue-index"), catalogue_wheels())
    index.write()
    with IndexServer(index.root) as server:
        yield server.base_url


@pytest.fixture
def smoke_for(monkeypatch):
    """tools/torch_smoke.py as a project with these answers (torch 2.9 unless given) runs it on
    `platform` (None: this machine's), on a machine with no GPU unless the test gives one."""
    import torch_smoke

    def load(platform="linux-x86_64", **answers):
        project = project_for(**{"torch_version": "2.9", **answers})
        monkeypatch.setattr(torch_smoke, "PROJECT", project)
        monkeypatch.setattr(torch_smoke, "PROJECT_ERROR", "")
        if platform is not None:
            monkeypatch.setattr(torch_smoke, "current_platform", lambda: platform)
        machine = torch_smoke.hardware.Machine(platform=platform or torch_smoke.current_platform())
        monkeypatch.setattr(torch_smoke, "this_machine", lambda: machine)
        monkeypatch.delenv("EXPECTED_TORCH_BACKEND", raising=False)
        return torch_smoke

    return load


@pytest.fixture
def installed(monkeypatch):
    """Stand-ins for installed libraries: `installed({name: (version, Requires-Dist, module)})`
    (module None: importing it fails)."""

    def install(packages: dict):
        def version(name):
            if name not in packages:
                raise importlib.metadata.PackageNotFoundError(name)
            return packages[name][0]

        monkeypatch.setattr(importlib.metadata, "version", version)
        monkeypatch.setattr(importlib.metadata, "requires", lambda name: packages[name][1])
        for name, (_, _, module) in packages.items():
            monkeypatch.setitem(sys.modules, name, module)

    return install
