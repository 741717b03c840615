"""scripts/refresh_matrix.py against the local PyTorch-like index (the real one is out of reach).

The tests read the script's structured findings, not its wording."""

from __future__ import annotations

import json
import sys

import pytest
from packaging.version import Version

import pytorch_index
from helpers import ROOT
from pytorch_index import IndexServer, Library, LocalIndex, catalogue_wheels

sys.path.insert(0, str(ROOT / "scripts"))
import refresh_matrix  # noqa: E402

pytestmark = pytest.mark.network

NEW = {
    "cpu": pytorch_index.CATALOGUE["2.12.1"]["cpu"],
    "cu132": ("linux-x86_64", "linux-aarch64", "windows-x86_64"),  # cu13x on aarch64 too
    "rocm7.14": ("linux-x86_64",),  # a ROCm minor past 9
}


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    """What the script observes on an index holding one torch minor more than the data."""
    patch = pytest.MonkeyPatch()
    patch.setitem(pytorch_index.PYTHONS, "2.16.0", ("cp311", "cp312", "cp313", "cp314", "cp315"))
    patch.setitem(
        pytorch_index.LIBRARIES,
        "2.16.0",
        {
            "torchvision": pytorch_index._exact("0.31.0", "2.16.0"),
            "torchao": Library("0.19.0", "", "abi3 x86"),  # names no torch: a person pairs it
        },
    )
    index = LocalIndex(
        tmp_path_factory.mktemp("refresh-index"), catalogue_wheels({**pytorch_index.CATALOGUE, "2.16.0": NEW})
    )
    index.write()
    with IndexServer(index.root) as server:
        yield server.base_url, refresh_matrix.observe(server.base_url, refresh_matrix.candidate_backends())
    patch.undo()


def keys(findings) -> set[tuple[str, str, str]]:
    return {(f.minor, f.kind, f.subject) for f in findings}


def test_a_new_minor_is_proposed_with_its_backends_platforms_pythons_and_libraries(seen):
    base_url, observed = seen
    assert ("2.16", "new minor", "") in keys(refresh_matrix.compare(observed))
    assert observed.builds["2.16"] == {backend: set(platforms) for backend, platforms in NEW.items()}
    assert observed.pythons["2.16"] == {"3.11", "3.12", "3.13", "3.14", "3.15"}
    # torchvision through its torch==2.16.0; torchaudio 2.11.1 through its torch>=2.11.
    assert observed.libraries("2.16") == {
        "torchvision": (Version("0.31.0"), "==2.16.0"),
        "torchaudio": (Version("2.11.1"), ">=2.11"),
    }
    entry = refresh_matrix.propose_release(observed, "2.16", base_url)
    assert "\"rocm7.14\": Build(('linux-x86_64',)" in entry
    assert "PyTorch index listing at" in entry  # every proposed fact names its source


def test_known_minors_are_compared_with_the_data(seen):
    _, observed = seen
    found = keys(refresh_matrix.compare(observed))
    assert ("2.5", "backend missing", "cu118") in found
    assert ("2.5", "platforms added", "cu124") not in found  # an unlabelled CPU copy
    assert ("", "unpaired library", "torchao") in found  # 0.19.0: newer than the data's, no torch named
    assert ("", "unpaired library", "torchcodec") not in found  # 0.16.0: the data has it
    assert observed.companions["rocm6.4"] == {"pytorch-triton-rocm"}
    assert observed.companions["rocm7.14"] == {"triton-rocm"}


def test_every_library_of_the_data_is_read(monkeypatch):
    read = []
    monkeypatch.setattr(
        refresh_matrix, "project_files", lambda base, backend, project: read.append(project) or []
    )
    refresh_matrix.observe("http://127.0.0.1:9/whl", ["cpu"])
    assert set(read) >= set(refresh_matrix.matrix.LIBRARIES)


@pytest.mark.parametrize(
    "line,pin",
    [
        ("Requires-Dist: torch==2.9.1", "==2.9.1"),
        ("Requires-Dist: torch (>=2.14.0)", ">=2.14.0"),
        ("Requires-Dist: torch>=2.11", ">=2.11"),
        ("Requires-Dist: torch==2.9.1+cu128", "==2.9.1"),
        ("Requires-Dist: torch>=2.11,<3", ">=2.11"),
        ("Requires-Dist: torch==2.9.1; extra == 'full'", None),
        ("Requires-Dist: torchvision==0.24.1", None),
    ],
)
def test_torch_requirements_are_read_in_both_styles(line, pin):
    assert refresh_matrix.torch_pin(f"Name: x\n{line}\n") == pin


def test_the_metadata_cache_is_keyed_by_library_and_version(monkeypatch):
    bodies = {"a": "Requires-Dist: torch==2.9.1\n", "b": "Requires-Dist: torch>=2.11\n"}
    monkeypatch.setattr(refresh_matrix, "fetch", lambda url, accept: (bodies[url.split("/")[-1][0]], ""))
    monkeypatch.setattr(refresh_matrix, "_pin_cache", {})

    def file(name):
        return refresh_matrix.IndexFile(f"{name}-0.15.0-py3-none-any.whl", f"https://i/{name}", True)

    assert refresh_matrix._torch_pin("a", file("a")) == "==2.9.1"
    assert refresh_matrix._torch_pin("b", file("b")) == ">=2.11"  # the same version, another library


def test_rocm_minors_past_nine_are_probed():
    candidates = refresh_matrix.candidate_backends()
    assert "rocm7.14" in candidates
    assert candidates.index("rocm7.14") < candidates.index("rocm7.2")  # newest first


def test_pep_691_json_pages_are_read_too():
    body = json.dumps(
        {
            "meta": {"api-version": "1.1"},
            "files": [
                {
                    "filename": "torch-2.9.1+cu128-cp312-cp312-manylinux_2_28_aarch64.whl",
                    "url": "../torch-2.9.1%2Bcu128-cp312-cp312-manylinux_2_28_aarch64.whl",
                    "hashes": {},
                    "core-metadata": {"sha256": "x"},
                }
            ],
        }
    )
    [file] = refresh_matrix.parse_project_page(
        body, "application/vnd.pypi.simple.v1+json", "https://i.example/whl/cu128/torch/"
    )
    assert (
        file.url == "https://i.example/whl/cu128/torch-2.9.1%2Bcu128-cp312-cp312-manylinux_2_28_aarch64.whl"
    )
    assert file.has_metadata
    version, platforms, pythons = refresh_matrix.wheel_facts(file.filename)
    assert (str(version), platforms, pythons) == ("2.9.1+cu128", {"linux-aarch64"}, {"3.12"})
