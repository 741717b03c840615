"""scripts/refresh_matrix.py against the local PyTorch-like index (the real one is out of reach)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import pytorch_index
from helpers import ROOT
from pytorch_index import IndexServer, LocalIndex, catalogue_wheels

sys.path.insert(0, str(ROOT / "scripts"))
import refresh_matrix  # noqa: E402

pytestmark = pytest.mark.network

NEW = {"cpu": pytorch_index.CATALOGUE["2.12.1"]["cpu"], "cu132": ("linux-x86_64", "linux-aarch64", "windows-x86_64")}


@pytest.fixture(scope="module")
def index_with_a_new_minor(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setitem(pytorch_index.PYTHONS, "2.16.0", ("cp311", "cp312", "cp313", "cp314", "cp315"))
    patch.setitem(pytorch_index.LIBRARIES, "2.16.0", {"torchvision": pytorch_index._exact("0.31.0", "2.16.0")})
    index = LocalIndex(tmp_path_factory.mktemp("refresh-index"),
                       catalogue_wheels({**pytorch_index.CATALOGUE, "2.16.0": NEW}))
    index.write()
    with IndexServer(index.root) as server:
        yield server.base_url
    patch.undo()


@pytest.fixture(scope="module")
def report(index_with_a_new_minor):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "refresh_matrix.py"), "--base-url", index_with_a_new_minor],
        capture_output=True, text=True, check=True, timeout=300,
    )
    return result.stdout


def test_a_new_minor_is_proposed_with_its_backends_platforms_and_pythons(report):
    assert "2.16: new torch minor (newest 2.16.0)" in report
    entry = report.split("# proposed entry for torch 2.16", 1)[1]
    assert "pythons=('3.11', '3.12', '3.13', '3.14', '3.15')" in entry
    assert "\"cu132\": Build(('linux-x86_64', 'linux-aarch64', 'windows-x86_64')" in entry
    assert "\"cpu\": Build(('linux-x86_64', 'linux-aarch64', 'macos-arm64', 'windows-x86_64')" in entry
    assert 'Library("0.31.0"' in entry  # found through the torch pin in its metadata
    assert "PyTorch index listing at" in entry  # every proposed fact names its source


def test_known_minors_are_compared_with_the_data(report):
    assert "2.5: cu118 not found on this index (data lists it)" in report
    assert "2.5: cu124 has wheels for linux-aarch64" not in report  # an unlabelled CPU copy
    assert not [line for line in report.splitlines() if line.startswith("2.9:")]  # index == data
    assert "companions on rocm6.4: pytorch-triton-rocm" in report
    assert "companions on rocm7.2: triton-rocm" in report


def test_pep_691_json_pages_are_read_too():
    body = json.dumps({"meta": {"api-version": "1.1"}, "files": [
        {"filename": "torch-2.9.1+cu128-cp312-cp312-manylinux_2_28_aarch64.whl",
         "url": "../torch-2.9.1%2Bcu128-cp312-cp312-manylinux_2_28_aarch64.whl",
         "hashes": {}, "core-metadata": {"sha256": "x"}}]})
    [file] = refresh_matrix.parse_project_page(body, "application/vnd.pypi.simple.v1+json", "https://i.example/whl/cu128/torch/")
    assert file.url == "https://i.example/whl/cu128/torch-2.9.1%2Bcu128-cp312-cp312-manylinux_2_28_aarch64.whl"
    assert file.has_metadata
    version, platforms, pythons = refresh_matrix.wheel_facts(file.filename)
    assert (str(version), platforms, pythons) == ("2.9.1+cu128", {"linux-aarch64"}, {"3.12"})
