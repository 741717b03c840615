"""What a user would check in a rendered project, as assertions shared by the render tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from packaging.markers import Marker
from packaging.requirements import Requirement
from validate_pyproject import api as validate_pyproject

from helpers import matrix, torch_plan

_validator = validate_pyproject.Validator()
ENVIRONMENTS = {
    key: {"sys_platform": p.sys_platform, "platform_machine": p.machine}
    for key, p in matrix.PLATFORMS.items()
}


def marker_matches(marker: str | None, platform: str, extra: str | None) -> bool:
    return marker is None or Marker(marker).evaluate({**ENVIRONMENTS[platform], "extra": extra or ""})


def source_for(sources: list[dict], platform: str, extra: str | None) -> list[dict]:
    return [
        s for s in sources
        if s.get("extra") == extra and marker_matches(s.get("marker"), platform, extra)
    ]


def check_rendering(project: Path, answers: dict) -> dict:
    """Every check a rendering must pass; returns the parsed pyproject."""
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = tomllib.loads(text)
    _validator(pyproject)  # PEP 621 and uv's own schema (validate-pyproject-schema-store)

    release = torch_plan.release(answers["torch_version"])
    uv = pyproject["tool"]["uv"]
    mode = answers["backend_selection"]
    platforms = answers["platforms"]
    backends = answers["backends"]
    libraries = answers["torch_libraries"]

    # Each PyTorch index once, explicit, named after its backend, at <base>/<backend>.
    indexes = uv["index"]
    names = [index["name"] for index in indexes]
    assert len(names) == len(set(names)), names
    base = answers.get("pytorch_index_url", matrix.DEFAULT_INDEX_URL).rstrip("/")
    for index in indexes:
        assert index["explicit"] is True, index
        backend = index["name"].removeprefix("pytorch-")
        assert index["url"] == f"{base}/{backend}"
    used = {s["index"] for sources in uv["sources"].values() for s in sources}
    assert used == set(names)

    # The lock covers exactly the selected platforms and requires a wheel on each.
    expected_envs = [torch_plan.platform_marker(p) for p in torch_plan.platform_choices() if p in platforms]
    assert uv["environments"] == expected_envs
    assert uv["required-environments"] == expected_envs

    # Pins and routing: every selected platform exactly once, per extra, to the right index.
    pins = {"torch": f"=={release.latest.rsplit('.', 1)[0]}.*"}
    pins.update({lib: f"=={release.libraries[lib].version.rsplit('.', 1)[0]}.*" for lib in libraries})
    if mode == "platform":
        groups = {None: (backends[0], pyproject["project"]["dependencies"])}
    else:
        optional = pyproject["project"]["optional-dependencies"]
        groups = {torch_plan.extra_name(b): (b, optional[torch_plan.extra_name(b)]) for b in backends}
        assert set(optional) == set(groups)
        assert not any(Requirement(r).name in pins for r in pyproject["project"]["dependencies"])
        if len(backends) > 1:
            assert uv["conflicts"] == [[{"extra": e} for e in optional]]
    for extra, (backend, requirements) in groups.items():
        declared = {Requirement(r).name: Requirement(r) for r in requirements}
        for package, pin in pins.items():
            assert str(declared[package].specifier) == pin, (package, declared[package])
        build = release.backends[backend]
        companions = [n for n in declared if "triton" in n]  # what ROCm/XPU builds need
        for package in [*pins, *companions]:
            for platform in platforms:
                hits = source_for(uv["sources"][package], platform, extra)
                wanted = backend if platform in build.platforms else "cpu"
                requirement = declared[package]
                if requirement.marker and not requirement.marker.evaluate(
                    {**ENVIRONMENTS[platform], "extra": extra or ""}
                ):
                    continue  # a companion that this platform does not install
                assert [h["index"] for h in hits] == [f"pytorch-{wanted}"], (package, extra, platform)

    # Python: requires-python starts at the chosen version, which .python-version pins.
    python = answers["python_version"]
    assert pyproject["project"]["requires-python"].startswith(f">={python},")
    assert (project / ".python-version").read_text().strip() == python

    # Lock policy.
    ignored = (project / ".gitignore").read_text().splitlines()
    assert ("uv.lock" in ignored) is (answers.get("lock_policy", "commit") == "ignore")

    # CI: valid YAML, a pinned uv minor, never all the conflicting extras at once.
    workflow = project / ".github" / "workflows" / "ci.yml"
    assert workflow.exists() is (answers.get("ci", "github") == "github")
    if workflow.exists():
        jobs = yaml.safe_load(workflow.read_text())["jobs"]
        for job in jobs.values():
            for step in job["steps"]:
                assert "--all-extras" not in step.get("run", "")
                if step.get("uses", "").startswith("astral-sh/setup-uv"):
                    assert step["with"]["version"] == f"{torch_plan.UV_MINOR}.x"
        assert "lock" in jobs  # the lock guard, in either policy

    # The answers file round-trips for `copier update`.
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    for key in ("torch_version", "backend_selection", "python_version"):
        assert recorded[key] == answers[key]
    for key in ("backends", "platforms", "torch_libraries"):  # recorded in the order offered
        assert sorted(recorded[key]) == sorted(answers[key])

    # The README is Markdown that names how to sync.
    readme = (project / "README.md").read_text(encoding="utf-8")
    MarkdownIt().parse(readme)
    if mode == "platform":
        assert "uv sync\n" in readme
    else:
        for extra in groups:
            assert f"uv sync --extra {extra}" in readme
    return pyproject
