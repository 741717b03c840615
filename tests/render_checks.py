"""What a user would check in a rendered project, as assertions shared by the render tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from packaging.requirements import Requirement
from validate_pyproject import api as validate_pyproject

from helpers import PLATFORM_ENVIRONMENTS as ENVIRONMENTS
from helpers import marker_matches, matrix, torch_plan
from pytorch_index import TRITON

# Where a ROCm or XPU torch requires its triton build (the markers of its Requires-Dist).
TRITON_PLATFORMS = {"rocm": ("linux-x86_64",), "xpu": ("linux-x86_64", "windows-x86_64")}

_validator = validate_pyproject.Validator()


def source_for(sources: list[dict], platform: str, extra: str | None) -> list[dict]:
    return [
        s for s in sources if s.get("extra") == extra and marker_matches(s.get("marker"), platform, extra)
    ]


PYTORCH_PACKAGES = ("torch", *matrix.LIBRARIES, *(n for names, _ in TRITON.values() for n in names))


def installs(
    requirements: list[str], sources: dict[str, list[dict]], platform: str, extra: str | None
) -> dict:
    """The PyTorch packages a platform installs from `requirements` (with `extra` synced):
    name -> (version specifier, [the indexes its sources route it to there])."""
    environment = {**ENVIRONMENTS[platform], "extra": extra or ""}
    found = {}
    for text in requirements:
        requirement = Requirement(text)
        if requirement.name not in PYTORCH_PACKAGES:
            continue
        if requirement.marker is None or requirement.marker.evaluate(environment):
            indexes = [s["index"] for s in source_for(sources.get(requirement.name, []), platform, extra)]
            found[requirement.name] = (str(requirement.specifier), indexes)
    return found


def expected_installs(answers: dict) -> dict:
    """(extra or None, platform) -> what `installs` must find: torch and each chosen library
    pinned to their series from the data, from the backend's index where it has a build for the
    platform and from the cpu index elsewhere, plus the triton build a ROCm or XPU torch needs
    (named as the stand-in index names it), unpinned, from the same index, where it installs."""
    minor = answers["torch_version"]
    libraries = torch_plan.chosen_libraries(answers["torch_libraries"])
    pins = {"torch": torch_plan.torch_pin(minor, libraries)}  # their values: tests/test_plan.py
    pins.update({lib: torch_plan.library_pin(minor, lib) for lib in libraries})
    backends = answers["backends"]
    if answers["backend_selection"] == "platform":
        groups = {None: backends[0]}
    else:
        groups = {torch_plan.extra_name(b): b for b in backends}
    renamed = tuple(int(n) for n in answers["torch_version"].split(".")) >= (2, 10)
    expected = {}
    for extra, backend in groups.items():
        for platform in answers["platforms"]:
            wanted = backend if platform in torch_plan.wheel_platforms(minor, backend) else "cpu"
            installs = {name: (pin, [f"pytorch-{wanted}"]) for name, pin in pins.items()}
            for library in libraries:  # those without this build: the cpu index's, else PyPI's
                builds = matrix.LIBRARIES[library].builds
                if builds is not None and platform not in builds.get(torch_plan.backend_kind(wanted), ()):
                    index = ["pytorch-cpu"] if platform in builds.get("cpu", ()) else []
                    installs[library] = (pins[library], index)
            kind = torch_plan.backend_kind(wanted)
            if kind in TRITON and platform in TRITON_PLATFORMS[kind]:
                (old, new), _ = TRITON[kind]
                installs[new if renamed else old] = ("", [f"pytorch-{wanted}"])
            expected[extra, platform] = installs
    return expected


def check_rendering(project: Path, answers: dict) -> dict:
    """Every check a rendering must pass; returns the parsed pyproject."""
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = tomllib.loads(text)
    _validator(pyproject)  # PEP 621 and uv's own schema (validate-pyproject-schema-store)

    uv = pyproject["tool"]["uv"]
    mode = answers["backend_selection"]
    platforms = answers["platforms"]
    backends = answers["backends"]

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

    # What each platform installs (per extra), pinned and routed as the data says.
    if mode == "platform":
        groups = {None: pyproject["project"]["dependencies"]}
    else:
        optional = pyproject["project"]["optional-dependencies"]
        groups = {extra: optional[extra] for extra in optional}
        assert set(groups) == {torch_plan.extra_name(b) for b in backends}
        assert not any(Requirement(r).name in PYTORCH_PACKAGES for r in pyproject["project"]["dependencies"])
        if len(backends) > 1:
            assert uv["conflicts"] == [[{"extra": e} for e in optional]]
    for (extra, platform), wanted in expected_installs(answers).items():
        assert installs(groups[extra], uv["sources"], platform, extra) == wanted, (extra, platform)

    # Python: requires-python starts at the chosen version, which .python-version pins (`3.14t`
    # included: that is how uv is told to use the free-threaded build).
    python = answers["python_version"]
    assert pyproject["project"]["requires-python"].startswith(f">={python.removesuffix('t')},")
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

    # The README is Markdown that names how to sync and the credential variables of each index.
    readme = (project / "README.md").read_text(encoding="utf-8")
    html = MarkdownIt().render(readme)
    # A library's install command per system is a list item of its own, not run into one line.
    for name in torch_plan.chosen_libraries(answers["torch_libraries"]):
        for system, command in matrix.LIBRARIES[name].system_install.items():
            assert f"<li>{system}: <code>{command}</code></li>" in html, (name, system)
    # The oldest macOS and glibc every pinned wheel needs (their values: tests/test_plan.py).
    libraries = torch_plan.chosen_libraries(answers["torch_libraries"])
    macos, packages = torch_plan.macos_minimum(answers["torch_version"], python, libraries)
    listed = " and ".join(filter(None, [", ".join(packages[:-1]), packages[-1] if packages else ""]))
    said = f"The macOS wheels of {listed} need macOS {macos} or newer."
    assert (said in " ".join(readme.split())) is bool(macos and "macos-arm64" in platforms)
    # MPS is named only where a macOS wheel gives it, never on a Linux or Windows row.
    assert ("MPS" in readme) is ("macos-arm64" in platforms), platforms
    for row in readme.splitlines():
        if row.startswith(("| Linux", "| Windows")):
            assert "MPS" not in row, row
    glibc = torch_plan.glibc_minimum(answers["torch_version"], libraries, platforms)
    assert (f"The Linux wheels need glibc {glibc} or newer" in " ".join(readme.split())) is bool(glibc)
    if mode == "platform":
        assert "uv sync\n" in readme
    else:
        for extra in groups:
            assert f"uv sync --extra {extra}" in readme
    for name in names:
        prefix = torch_plan.index_env_prefix(name)
        assert f"export {prefix}_USERNAME=" in readme and f"export {prefix}_PASSWORD=" in readme, name

    # Rendered Python compiles.
    for path in project.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    return pyproject
