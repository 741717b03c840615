"""scripts/refresh_matrix.py --pypi (scripts/pypi_audit.py) against PyPI's answers as recorded on
2026-12-05 in tests/data/pypi (`--record`): the data agrees with them, and a fact made wrong in
the data is named. The recorded answers are refreshed with
`uv run --group test python scripts/refresh_matrix.py --pypi --record tests/data/pypi`."""

from __future__ import annotations

import dataclasses
import io
import os
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import ROOT, matrix

sys.path.insert(0, str(ROOT / "scripts"))
import pypi_audit  # noqa: E402
import refresh_matrix  # noqa: E402

RECORDED = ROOT / "tests" / "data" / "pypi"


def findings() -> set[tuple[str, str, str]]:
    found, _ = pypi_audit.audit(pypi_audit.Recorded(RECORDED))
    return {(f.minor, f.kind, f.subject) for f in found}


def test_the_data_agrees_with_pypi_as_recorded(capsys):
    assert refresh_matrix.main(["--pypi", "--recorded", str(RECORDED), "--check"]) == 0
    assert "no differences from extensions/torch_matrix.py" in capsys.readouterr().out


def _release(minor: str, **changes):
    return tuple(dataclasses.replace(r, **changes) if r.minor == minor else r for r in matrix.RELEASES)


def _pairing(library: str, minor: str, **changes) -> dict:
    record = matrix.LIBRARIES[library]
    versions = {**record.versions, minor: dataclasses.replace(record.versions[minor], **changes)}
    return {**matrix.LIBRARIES, library: dataclasses.replace(record, versions=versions)}


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        # torch 2.11.0 installs on macOS 11: the floor 14 comes from its libraries
        (
            lambda m: m.setattr(matrix, "RELEASES", _release("2.11", floors=matrix.MACOS_14)),
            ("2.11", "floor", "torch"),
        ),
        (
            lambda m: m.setattr(matrix, "RELEASES", _release("2.9", latest="2.9.0")),
            ("2.9", "newer patch", "torch"),
        ),
        (
            lambda m: m.setattr(matrix, "RELEASES", _release("2.12", free_threaded=("3.13t", "3.14t"))),
            ("2.12", "pythons", "torch"),
        ),
        (
            lambda m: m.setattr(matrix, "LIBRARIES", _pairing("torchvision", "2.14", excluded_pythons=())),
            ("2.14", "requires-python", "torchvision"),
        ),
        (
            lambda m: m.setattr(matrix, "LIBRARIES", _pairing("torchaudio", "2.9", torch="==2.9.0")),
            ("2.9", "torch pin", "torchaudio"),
        ),
        (
            lambda m: m.setattr(matrix, "LIBRARIES", _pairing("torchcodec", "2.12", floors=matrix.MACOS_11)),
            ("2.12", "floor", "torchcodec 0.16.0"),
        ),
        (
            lambda m: m.setattr(matrix, "LIBRARIES", _pairing("torchvision", "2.9", version="0.24.0")),
            ("2.9", "newer patch", "torchvision"),
        ),
        (
            lambda m: m.setattr(matrix, "CUDA_RUNTIME_PACKAGES", ("triton", "nvidia-*")),
            ("2.14", "runtime packages", "torch"),
        ),
    ],
)
def test_a_fact_made_wrong_is_named(monkeypatch, change, finding):
    change(monkeypatch)
    assert finding in findings()


def _range_server(payload: bytes, requested: list[str]) -> ThreadingHTTPServer:
    """What PyPI's file host answers for one file: HEAD with its length, GET with a byte range."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_HEAD(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()

        def do_GET(self):  # noqa: N802
            requested.append(self.headers["Range"])
            first, _, last = self.headers["Range"].removeprefix("bytes=").partition("-")
            data = payload[int(first) : int(last) + 1]
            self.send_response(206)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


def test_a_wheel_s_metadata_is_read_by_ranges_without_the_wheel():
    """PyPI here offers no PEP 658 file for torch: the METADATA is read from the wheel's end."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        wheel.writestr("torch/big.bin", os.urandom(4_000_000))
        wheel.writestr("torch-9.9.9.dist-info/METADATA", "Name: torch\nVersion: 9.9.9\n")
    requested: list[str] = []
    server = _range_server(buffer.getvalue(), requested)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/torch-9.9.9-py3-none-any.whl"
        assert pypi_audit.read_metadata({"url": url}) == "Name: torch\nVersion: 9.9.9\n"
    finally:
        server.shutdown()
        server.server_close()
    spans = [r.removeprefix("bytes=").split("-") for r in requested]
    assert sum(int(last) - int(first) + 1 for first, last in spans) < 300_000  # not the 4 MB


WORKFLOW = ROOT / ".github" / "workflows" / "refresh-data.yml"


def test_the_weekly_workflow_runs_the_audit_least_privileged_and_zizmor_clean():
    """It never runs here (no GitHub): what it runs is run against the recorded answers, and its
    hygiene is checked as the rendered projects' is."""
    import shlex
    import subprocess

    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"] == {} and "schedule" in workflow[True]  # `on:` parses as True
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"} and job["timeout-minutes"] <= 30
    runs = [step["run"] for step in job["steps"] if "run" in step]
    audit = shlex.split(runs[0])
    assert audit[:5] == ["uv", "run", "--group", "test", "python"] and "--check" in audit
    assert refresh_matrix.main([*audit[6:], "--recorded", str(RECORDED)]) == 0
    zizmor = subprocess.run(
        [str(Path(sys.executable).with_name("zizmor")), "--offline", "--min-severity", "low", str(WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert zizmor.returncode == 0, zizmor.stdout + zizmor.stderr
