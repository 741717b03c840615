"""The compatibility data and the pure functions over it, without Copier."""

from __future__ import annotations

import dataclasses
import itertools
import re
import sys
from dataclasses import asdict

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from helpers import PLATFORM_ENVIRONMENTS as ENVIRONMENTS
from helpers import ROOT, answers_for, matrix, plan_for, torch_plan
from helpers import marker_matches as matches
from render_checks import PYTORCH_PACKAGES, expected_installs, installs

# --- the data ---------------------------------------------------------------------------------


def test_every_minor_from_2_4_to_the_newest_on_pypi_is_covered():
    minors = torch_plan.torch_versions()
    assert minors[0] == "2.15" and minors[-1] == "2.4"
    assert [int(m.split(".")[1]) for m in minors] == list(range(15, 3, -1))


@pytest.mark.parametrize("release", matrix.RELEASES, ids=lambda r: r.minor)
def test_release_facts_are_well_formed(release):
    assert release.latest.startswith(release.minor + ".")
    assert list(release.pythons) == sorted(release.pythons, key=Version)
    assert "cpu" in release.backends
    assert release.backends["cpu"].platforms == matrix.DEFAULT_PLATFORMS
    for python in release.free_threaded:
        assert python.endswith("t") and python.removesuffix("t") in release.pythons
    for platform, facts in release.cpu_only_platforms.items():
        assert platform in matrix.PLATFORMS and platform not in matrix.DEFAULT_PLATFORMS
        assert set(facts.pythons) <= set(release.pythons) and facts.source
    for backend, build in release.backends.items():
        torch_plan.backend_kind(backend)  # a name the index uses
        assert set(build.platforms) <= set(matrix.DEFAULT_PLATFORMS), backend
        assert set(build.inferred) <= set(build.platforms), backend
        assert build.source, f"{release.minor} {backend} has no source"
        if torch_plan.backend_kind(backend) == "rocm":
            assert build.platforms == ("linux-x86_64",)
        if torch_plan.backend_kind(backend) in ("cuda", "xpu"):
            assert "macos-arm64" not in build.platforms


@pytest.mark.parametrize("library", matrix.LIBRARIES.values(), ids=lambda lib: lib.name)
def test_library_records_are_well_formed(library):
    minors = {r.minor for r in matrix.RELEASES}
    assert library.name in matrix.LIBRARIES and library.source and library.summary
    assert set(library.labelled_platforms) <= set(matrix.PLATFORMS)
    assert set(library.labelled_kinds) <= set(matrix.KINDS)
    assert library.builds is None or set(library.builds) <= set(matrix.KINDS)
    for minor, facts in library.versions.items():
        assert minor in minors, (library.name, minor)
        assert Version(facts.version) and facts.source, (library.name, minor)
        assert re.fullmatch(r"(==|>=)\d+\.\d+(\.\d+|\.\*)?", facts.torch), (library.name, minor, facts.torch)
        assert set(facts.platforms or ()) <= set(matrix.PLATFORMS)
        assert all(p.endswith("t") for p in facts.free_threaded)
        assert all(not p.endswith("t") for p in facts.pythons or ())
        assert facts.floors.macos or facts.floors.glibc, (library.name, minor)
        # The torch it needs is one this minor has: an exact pairing names this minor.
        if facts.torch.startswith("=="):
            assert facts.torch[2:].startswith(minor + "."), (library.name, minor, facts.torch)
        else:
            assert Version(facts.torch[2:]) <= Version(torch_plan.release(minor).latest)


def test_torchvision_follows_torch_minor_plus_fifteen():
    for minor, vision in matrix.LIBRARIES["torchvision"].versions.items():
        if vision.torch.startswith("=="):
            assert Version(vision.version).minor == Version(minor).minor + 15


def test_torchaudio_2_11_serves_every_later_torch_with_the_pin_its_metadata_has():
    audio = matrix.LIBRARIES["torchaudio"].versions
    for minor in ("2.12", "2.13", "2.14", "2.15"):
        assert (audio[minor].version, audio[minor].torch) == ("2.11.1", ">=2.11")
        assert audio[minor].stable_abi and audio[minor].in_metadata
        assert torch_plan.library_pin(minor, "torchaudio") == "~=2.11.1"
    assert audio["2.10"].torch == "==2.10.0" and torch_plan.library_pin("2.10", "torchaudio") == "==2.10.*"
    plan = torch_plan.make_plan(
        torch_version="2.13",
        python_version="3.12",
        backend_selection="platform",
        backends=["cu130"],
        platforms=torch_plan.default_platforms(),
        torch_libraries=["torchaudio"],
    )
    assert [(s.index, s.marker) for s in plan.sources["torchaudio"]] == [
        (s.index, s.marker) for s in plan.sources["torch"]
    ]  # routed like torch


def test_torchvision_0_29_0_pins_torch_2_14_0_exactly_so_the_data_names_0_29_2():
    vision = matrix.LIBRARIES["torchvision"].versions["2.14"]
    assert (vision.version, vision.torch) == ("0.29.2", ">=2.14.0")
    assert "0.29.0: torch==2.14.0" in vision.source


def test_torchao_is_pinned_to_the_torch_its_ops_were_built_for():
    ao = matrix.LIBRARIES["torchao"].versions
    assert {m: (f.version, f.torch) for m, f in ao.items() if f.torch.startswith("==")} == {
        "2.8": ("0.14.0", "==2.8.0"),
        "2.9": ("0.15.0", "==2.9.1"),
        "2.10": ("0.16.0", "==2.10.0"),
    }
    assert all(
        f.torch == ">=2.11.0" and Version(f.version) >= Version("0.17")
        for m, f in ao.items()
        if Version(m) >= Version("2.11")
    )
    assert "2.7" not in ao  # no release before 0.13 is paired here
    with_ao = dict(
        torch_version="2.9",
        python_version="3.12",
        backend_selection="platform",
        backends=["cu128"],
        platforms=ARTICLE_PLATFORMS,
    )
    plan = torch_plan.make_plan(**with_ao, torch_libraries=["torchao"])
    assert plan.dependencies == ["torch==2.9.1", "torchao==0.15.*"]  # 2.9.0 would skip its ops
    assert torch_plan.make_plan(**with_ao, torch_libraries=[]).dependencies == ["torch==2.9.*"]
    later = torch_plan.make_plan(
        **{**with_ao, "torch_version": "2.12", "backends": ["cu130"]}, torch_libraries=["torchao"]
    )
    assert later.dependencies == ["torch==2.12.*", "torchao~=0.18.0"]


def test_requires_python_stops_at_the_newest_python_every_library_has_wheels_for():
    def requires_python(libraries):
        return torch_plan.make_plan(
            torch_version="2.15",
            python_version="3.12",
            backend_selection="platform",
            backends=["cpu"],
            platforms=["linux-x86_64"],
            torch_libraries=libraries,
        ).requires_python

    assert requires_python(["torchvision"]) == ">=3.12,<3.16,!=3.14.1"
    assert requires_python(["torchvision", "torchcodec"]) == ">=3.12,<3.15,!=3.14.1"  # no cp315 torchcodec


def test_torchcodec_pairs_as_its_readme_says():
    codec = matrix.LIBRARIES["torchcodec"].versions
    assert {m: codec[m].torch for m in ("2.5", "2.6", "2.7", "2.8", "2.9", "2.10")} == {
        "2.5": "==2.5.*",
        "2.6": "==2.6.*",
        "2.7": "==2.7.*",
        "2.8": "==2.8.*",
        "2.9": "==2.9.*",
        "2.10": "==2.10.*",
    }
    assert all(codec[m].torch == ">=2.11" for m in ("2.11", "2.12", "2.13", "2.14", "2.15"))
    assert not any(f.in_metadata for f in codec.values())  # its wheels name no torch: README only
    assert matrix.LIBRARIES["torchcodec"].system_install.keys() == {"linux", "macos", "windows"}


def test_torchaudio_alone_brings_no_torchcodec_and_says_how_to_add_it():
    """Issue 21's decision: torchaudio's metadata does not require torchcodec, its transforms
    need no FFmpeg; the project is told what load and save need, and how to add it."""

    def plan(minor, libraries):
        return torch_plan.make_plan(
            torch_version=minor,
            python_version="3.12",
            backend_selection="platform",
            backends=["cpu"],
            platforms=torch_plan.default_platforms(),
            torch_libraries=libraries,
        )

    assert plan("2.12", ["torchaudio"]).libraries == ["torchaudio"]
    advice = torch_plan.project_data(plan("2.12", ["torchaudio"]))["libraries"]["torchaudio"]
    assert "torchaudio.load and torchaudio.save go through torchcodec" in advice["advice"]
    assert advice["add"].endswith('--data \'torch_libraries=["torchaudio", "torchcodec"]\'')
    both = torch_plan.project_data(plan("2.12", ["torchaudio", "torchcodec"]))["libraries"]
    assert both["torchaudio"]["advice"] == both["torchaudio"]["add"] == ""
    before = torch_plan.project_data(plan("2.8", ["torchaudio"]))["libraries"]["torchaudio"]
    assert before["advice"] == ""  # torchaudio 2.8 decodes by itself


def test_companions_follow_the_triton_rename():
    assert [c.packages[0] for c in torch_plan.companions("2.9", "rocm6.4")] == ["pytorch-triton-rocm"]
    assert [c.packages[0] for c in torch_plan.companions("2.10", "rocm7.1")] == ["triton-rocm"]
    assert [c.packages[0] for c in torch_plan.companions("2.9", "xpu")] == ["pytorch-triton-xpu"]
    assert [c.packages[0] for c in torch_plan.companions("2.12", "xpu")] == ["triton-xpu"]
    assert torch_plan.companions("2.12", "cu130") == []
    assert torch_plan.companions("2.12", "cpu") == []


def test_rocm_7_14_routes_every_rocm_sdk_package_to_its_index():
    """torch+rocm7.14 requires rocm[libraries,device-all]==7.14.*, served only by its index (PyPI
    holds placeholders); uv routes direct dependencies only, so each is declared (issue 21, 9)."""
    [triton, sdk] = torch_plan.companions("2.14", "rocm7.14")
    assert triton.packages == ("triton-rocm",)
    assert sdk.packages[:3] == ("rocm", "rocm-sdk-core", "rocm-sdk-libraries") and len(sdk.packages) == 28
    assert [c.role for c in torch_plan.companions("2.14", "rocm7.2")] == ["triton"]
    plan = torch_plan.make_plan(
        torch_version="2.14",
        python_version="3.12",
        backend_selection="platform",
        backends=["rocm7.14"],
        platforms=["linux-x86_64", "macos-arm64"],
        torch_libraries=[],
    )
    marker = "sys_platform == 'linux'"
    assert f"rocm-sdk-device-gfx942; {marker}" in plan.dependencies
    for package in sdk.packages:
        assert [(s.index, s.marker) for s in plan.sources[package]] == [("pytorch-rocm7.14", marker)]


# --- choices and defaults -------------------------------------------------------------------


def test_choices_are_newest_first():
    assert torch_plan.python_choices("2.9") == ["3.14", "3.13", "3.12", "3.11", "3.10", "3.14t", "3.13t"]
    assert torch_plan.default_python("2.9") == "3.13"
    assert torch_plan.backend_choices("2.9") == [
        "cu130",
        "cu129",
        "cu128",
        "cu126",
        "rocm6.4",
        "rocm6.3",
        "xpu",
        "cpu",
    ]
    assert torch_plan.default_backends("2.9") == ["cu130"]
    assert torch_plan.default_backends("2.4") == ["cu124"]


def test_rocm_7_14_is_newer_than_7_2():
    # Numbers, not strings: "7.14" < "7.2" as text.
    assert torch_plan.backend_choices("2.14")[4:6] == ["rocm7.14", "rocm7.2"]
    assert torch_plan.extra_name("rocm7.14") == "rocm7-14"
    assert torch_plan.backend_label("rocm7.14", "2.14") == "rocm7.14: AMD ROCm 7.14"
    assert torch_plan.backend_label("cu134") == "cu134: NVIDIA CUDA 13.4"


def test_defaults_rest_on_confirmed_facts_only():
    """The default torch, backend and Python of a fresh `--defaults` copy: none inferred."""
    minor = torch_plan.default_torch_version()
    rel = torch_plan.release(minor)
    [backend] = torch_plan.default_backends(minor)
    assert torch_plan.backend_kind(backend) == "cuda"
    assert rel.backends[backend].inferred == {} and rel.backends[backend].source
    assert torch_plan.default_python(minor) in rel.pythons  # read from PyPI's files (SRC_PYPI_FILES)
    for library in torch_plan.default_libraries(minor):
        assert not torch_plan.pairing(minor, library).inferred, library
    # Newer releases are left out only because none of their CUDA builds is confirmed.
    for newer in torch_plan.torch_versions()[: torch_plan.torch_versions().index(minor)]:
        builds = torch_plan.release(newer).backends
        assert all(b.inferred for name, b in builds.items() if torch_plan.backend_kind(name) == "cuda")
    # A Linux-only CUDA build is not the default where one that Windows has too is confirmed.
    assert torch_plan.default_backends("2.14") == ["cu132"]
    assert torch_plan.default_platforms() == list(matrix.DEFAULT_PLATFORMS)
    assert "windows-arm64" not in torch_plan.default_platforms()


def test_free_threaded_pythons_follow_the_pypi_wheels():
    def free(minor):
        return [p for p in torch_plan.python_choices(minor) if p.endswith("t")]

    assert free("2.6") == [] and free("2.7") == ["3.13t"] and free("2.11") == ["3.14t", "3.13t"]
    assert free("2.12") == ["3.14t"]  # 2.12.0 had 3.13t, the pinned 2.12.1 has not
    assert free("2.15") == ["3.15t", "3.14t"]
    assert torch_plan.check_python("2.9", "3.14t") == ""
    assert "3.13t" in torch_plan.check_python("2.12", "3.13t")
    plan = torch_plan.make_plan(
        torch_version="2.9",
        python_version="3.14t",
        backend_selection="platform",
        backends=["cu130"],
        platforms=torch_plan.default_platforms(),
        torch_libraries=["torchvision"],
    )
    assert (plan.python_version, plan.requires_python) == ("3.14t", ">=3.14,<3.15")
    assert torch_plan.default_python("2.15") == "3.14"  # never a free-threaded default


def test_a_library_without_free_threaded_wheels_is_refused(monkeypatch):
    assert torch_plan.library_pythons("2.9", "torchvision") == torch_plan.python_choices("2.9")
    monkeypatch.setattr(torch_plan, "library_pythons", lambda torch_version, library: ["3.13", "3.12"])
    message = torch_plan.check_libraries("2.9", ["torchvision"], "3.14t")
    assert "torchvision" in message and "3.14t" in message and "3.13, 3.12" in message
    assert torch_plan.check_libraries("2.9", ["torchvision"], "3.13") == ""
    with pytest.raises(torch_plan.InvalidAnswer, match="3.14t"):
        torch_plan.make_plan(
            torch_version="2.9",
            python_version="3.14t",
            backend_selection="platform",
            backends=["cpu"],
            platforms=["linux-x86_64"],
            torch_libraries=["torchvision"],
        )


def test_torchcodec_free_threaded_only_where_pypi_has_cp314t_wheels():
    # torchcodec 0.16.0 on PyPI: cp314t wheels for Linux x86_64 / aarch64 and macOS, none for Windows.
    unix = ["linux-x86_64", "linux-aarch64", "macos-arm64"]
    assert torch_plan.check_libraries("2.14", ["torchcodec"], "3.14t", unix) == ""
    message = torch_plan.check_libraries("2.14", ["torchcodec"], "3.14t", [*unix, "windows-x86_64"])
    assert "3.14t" in message and "windows-x86_64" in message and "leave out torchcodec" in message
    assert torch_plan.check_libraries("2.14", ["torchcodec"], "3.14", [*unix, "windows-x86_64"]) == ""


def test_a_backend_no_chosen_platform_has_is_refused_naming_those_that_fit():
    message = torch_plan.check_backends("2.13", "platform", ["cu130"], ["windows-arm64"])
    assert "cu130" in message and message.endswith("choose from cpu")
    message = torch_plan.check_backends(
        "2.13", "extra", ["cpu", "rocm7.2"], ["macos-arm64", "windows-x86_64"]
    )
    assert "rocm7.2" in message and "choose from" in message and "cu130" in message
    assert "rocm7.1" not in message.split("choose from")[1]


def test_windows_arm64_only_where_torch_has_it():
    assert torch_plan.check_platforms(["windows-arm64"], "2.13", "3.12") == ""
    message = torch_plan.check_platforms(["linux-x86_64", "windows-arm64"], "2.14", "3.12")
    assert "windows-arm64" in message and "2.7" in message and "2.13" in message and "2.14, " not in message
    message = torch_plan.check_platforms(["windows-arm64"], "2.9", "3.14")
    assert "3.13, 3.12, 3.11" in message and "not 3.14" in message
    assert torch_plan.check_platforms(["windows-arm64"], "2.9", "3.13t")
    assert torch_plan.check_platforms(["windows-arm64"], "2.6", "3.12")
    assert "torchvision" in torch_plan.check_libraries("2.9", ["torchvision"], "3.12", ["windows-arm64"])
    # CUDA goes to Windows x86_64 only; ARM64 gets the CPU build, with an exact marker each.
    plan = torch_plan.make_plan(
        torch_version="2.8",
        python_version="3.12",
        backend_selection="platform",
        backends=["cu129"],
        platforms=[*torch_plan.default_platforms(), "windows-arm64"],
        torch_libraries=[],
    )
    assert plan.routes == {
        "linux-x86_64": "cu129",
        "linux-aarch64": "cu129",
        "macos-arm64": "cpu",
        "windows-x86_64": "cu129",
        "windows-arm64": "cpu",
    }
    assert plan.environments[-1] == "sys_platform == 'win32' and platform_machine == 'ARM64'"
    cuda, cpu = plan.sources["torch"]
    assert matches(cuda.marker, "windows-x86_64") and not matches(cuda.marker, "windows-arm64")
    assert matches(cpu.marker, "windows-arm64") and not matches(cpu.marker, "windows-x86_64")


def test_the_audit_corrections():
    builds = {minor: torch_plan.release(minor).backends for minor in ("2.8", "2.9", "2.10", "2.11", "2.14")}
    assert builds["2.8"]["cu128"].platforms == ("linux-x86_64", "windows-x86_64")
    assert builds["2.8"]["cu129"].platforms == ("linux-x86_64", "linux-aarch64", "windows-x86_64")
    for minor in ("2.9", "2.10", "2.11"):
        assert "linux-aarch64" in builds[minor]["cu126"].platforms and not builds[minor]["cu126"].inferred
    assert builds["2.9"]["cu129"].platforms == ("linux-x86_64", "linux-aarch64")
    assert builds["2.14"]["cu134"].platforms == ("linux-x86_64", "linux-aarch64")
    assert {"rocm7.2", "rocm7.14"} <= set(builds["2.14"])
    assert not builds["2.10"]["cu128"].inferred and not builds["2.9"]["cu130"].inferred
    assert (
        "2.12, 2.13 and 2.14" in builds["2.14"]["cu132"].source
        and "#197555" in builds["2.14"]["cu132"].source
    )
    assert "cu130" in torch_plan.backend_choices("2.15") and "[inferred" in torch_plan.backend_label(
        "cu130", "2.15"
    )
    # Every ROCm index of a release, not only the newest; each gets its triton from its own index.
    assert [b for b in torch_plan.backend_choices("2.10") if b.startswith("rocm")] == ["rocm7.1", "rocm7.0"]
    assert [c.packages[0] for c in torch_plan.companions("2.9", "rocm6.3")] == ["pytorch-triton-rocm"]


def test_the_macos_floor_comes_from_every_pinned_wheel():
    def floor(minor, platforms=("macos-arm64",), python="", libraries=()):
        plan = torch_plan.make_plan(
            torch_version=minor,
            python_version=python or torch_plan.default_python(minor),
            backend_selection="platform",
            backends=["cpu"],
            platforms=list(platforms),
            torch_libraries=list(libraries),
        )
        return plan.macos_minimum, plan.macos_packages

    assert floor("2.12") == ("14", ["torch"]) and floor("2.15") == ("14", ["torch"])
    assert floor("2.11") == ("", []) and floor("2.12", ["linux-x86_64"]) == ("", [])
    # torch 2.11.0 runs on macOS 11, torchaudio 2.11.1 and torchcodec 0.16.0 need 14 (issue 21, 2)
    assert floor("2.11", libraries=["torchaudio"]) == ("14", ["torchaudio"])
    assert floor("2.11", libraries=["torchcodec"]) == ("14", ["torchcodec"])
    # per Python: torch 2.10's cp314 wheels need 14, torchvision 0.24's cp313 wheels 12
    assert floor("2.10", python="3.14") == ("14", ["torch"])
    assert floor("2.10", python="3.12") == ("", [])
    assert floor("2.9", python="3.13", libraries=["torchvision"]) == ("12", ["torchvision"])
    assert floor("2.8", python="3.13t") == ("14", ["torch"])


def test_the_glibc_floor_comes_from_every_pinned_linux_wheel():
    def glibc(minor, platforms, libraries=()):
        return torch_plan.glibc_minimum(minor, libraries, platforms)

    assert glibc("2.9", ["linux-x86_64"]) == "2.28"
    assert glibc("2.6", ["linux-x86_64"]) == "2.5" and glibc("2.6", ["linux-aarch64"]) == "2.28"
    assert glibc("2.5", ["linux-aarch64"]) == "2.17"
    assert glibc("2.12", ["macos-arm64"]) == ""
    assert glibc("2.4", ["linux-x86_64"], ["torchcodec"]) == "2.17"  # torchcodec 0.0.3


def test_a_library_s_requires_python_exclusion_reaches_the_project():
    # torchvision 0.26.0-0.29.2 declare Requires-Python >=3.10,!=3.14.1 (issue 21, 5)
    def requires(minor, python, libraries):
        return torch_plan._requires_python(minor, python, libraries)

    assert requires("2.14", "3.12", ["torchvision"]) == ">=3.12,<3.15,!=3.14.1"
    assert requires("2.15", "3.14t", ["torchvision"]) == ">=3.14,<3.16,!=3.14.1"
    assert requires("2.14", "3.12", []) == ">=3.12,<3.15"
    assert requires("2.10", "3.12", ["torchvision"]) == ">=3.12,<3.15"  # 0.25.0 excludes nothing


def test_libraries_offered_only_where_released():
    assert torch_plan.library_choices("2.13") == ["torchvision", "torchaudio", "torchao", "torchcodec"]
    assert torch_plan.library_choices("2.7") == ["torchvision", "torchaudio", "torchcodec"]
    assert torch_plan.library_choices("2.4") == ["torchvision", "torchaudio", "torchcodec"]  # 0.0.3
    assert torch_plan.default_libraries("2.13") == ["torchvision"]


def test_a_library_without_wheels_for_a_platform_or_python_is_refused():
    check = torch_plan.check_libraries
    message = check("2.10", ["torchcodec"], platforms=["linux-x86_64", "linux-aarch64"])
    assert "torchcodec 0.10.0" in message and "linux-aarch64" in message and "macos-arm64" in message
    message = check("2.15", ["torchcodec"], "3.15", ["linux-x86_64"])
    assert "Python 3.15" in message and "3.14" in message
    assert check("2.15", ["torchvision", "torchaudio"], "3.15", ["linux-x86_64"]) == ""
    assert "torchao" in check("2.4", ["torchao"])
    # Free-threaded Pythons, where torch has them: a library needs its own cp3XXt wheel.
    assert "3.14t" in torch_plan.library_pythons("2.12", "torchvision")
    assert "3.13t" not in torch_plan.library_pythons("2.12", "torchvision")  # torch 2.12.1 has none
    assert "3.14t" not in torch_plan.library_pythons("2.12", "torchao")  # abi3: no free-threaded build
    assert "Python 3.14t" in check("2.12", ["torchao"], "3.14t", ["linux-x86_64"])
    assert check("2.12", ["torchvision", "torchcodec"], "3.14t", ["linux-x86_64"]) == ""


def test_inferred_builds_are_labelled():
    assert "[inferred" in torch_plan.backend_label("cu132", "2.15")
    assert "[inferred" not in torch_plan.backend_label("cu132", "2.14")
    assert torch_plan.backend_label("rocm6.2.4") == "rocm6.2.4: AMD ROCm 6.2.4"
    assert torch_plan.backend_label("cu118") == "cu118: NVIDIA CUDA 11.8"


@pytest.mark.parametrize("backend", ["cpu", "cu128", "rocm6.4", "rocm6.2.4", "xpu"])
def test_extra_names_are_normalised_as_pep_685_does(backend):
    assert torch_plan.extra_name(backend) == canonicalize_name(backend)


def test_index_names_and_credential_variables():
    assert torch_plan.index_name("rocm6.4") == "pytorch-rocm6.4"
    assert torch_plan.index_env_prefix("pytorch-rocm6.4") == "UV_INDEX_PYTORCH_ROCM6_4"
    assert torch_plan.index_url("https://mirror.example/whl/", "cu128") == "https://mirror.example/whl/cu128"


# --- markers and routing ----------------------------------------------------------------------

ARTICLE_PLATFORMS = ["linux-x86_64", "linux-aarch64", "macos-arm64"]


def test_marker_of_the_article_scenario():
    assert torch_plan.group_marker(["linux-x86_64"], ARTICLE_PLATFORMS) == (
        "sys_platform == 'linux' and platform_machine == 'x86_64'"
    )
    assert torch_plan.group_marker(["linux-aarch64", "macos-arm64"], ARTICLE_PLATFORMS) == (
        "(sys_platform == 'linux' and platform_machine == 'aarch64') or sys_platform == 'darwin'"
    )


def test_windows_is_routed_by_sys_platform_alone():
    # Windows reports AMD64, not x86_64: a machine test would never match it.
    marker = torch_plan.group_marker(["linux-x86_64", "windows-x86_64"], torch_plan.default_platforms())
    assert "AMD64" not in marker and "sys_platform == 'win32'" in marker
    assert matches(marker, "windows-x86_64") and not matches(marker, "linux-aarch64")


def test_a_group_of_every_selected_platform_needs_no_marker():
    assert torch_plan.group_marker(ARTICLE_PLATFORMS, ARTICLE_PLATFORMS) is None


def _all_answer_sets():
    """Every torch minor x each of its backends x both modes x five platform sets, rotating
    Pythons, library sets and the index URL, so that each of them is met many times."""
    platform_sets = [
        torch_plan.default_platforms(),
        torch_plan.platform_choices(),  # Windows ARM64 too, where torch has it
        ARTICLE_PLATFORMS,
        ["linux-x86_64"],
        ["macos-arm64", "windows-x86_64"],
        ["linux-aarch64", "windows-x86_64"],
    ]
    urls = itertools.cycle([matrix.DEFAULT_INDEX_URL, "https://mirror.example.org/pytorch/whl/"])
    rotation = itertools.count()
    for release in matrix.RELEASES:
        offered = torch_plan.library_choices(release.minor)
        library_sets = [offered, [], *([lib] for lib in offered)]
        for backend, platforms in itertools.product(release.backends, platform_sets):
            build = release.backends[backend]
            if not set(build.platforms) & set(platforms):
                continue
            for mode, backends in (("platform", [backend]), ("extra", sorted({backend, "cpu"}))):
                n = next(rotation)
                python = release.pythons[n % len(release.pythons)]
                if torch_plan.check_platforms(platforms, release.minor, python):
                    continue
                libraries = [  # those with wheels for these platforms and this Python
                    lib
                    for lib in library_sets[n % len(library_sets)]
                    if not torch_plan.library_problem(release.minor, lib, platforms, python)
                ]
                yield pytest.param(
                    answers_for(
                        torch_version=release.minor,
                        python_version=python,
                        backend_selection=mode,
                        backends=backends,
                        platforms=platforms,
                        torch_libraries=libraries,  # none on Windows ARM64: it has torch only
                        pytorch_index_url=next(urls),
                    ),
                    id=f"{release.minor}-{mode}-{'+'.join(backends)}-{len(platforms)}p",
                )


@pytest.mark.parametrize("answers", list(_all_answer_sets()))
def test_every_plan_installs_on_each_platform_what_the_data_says(answers):
    plan = plan_for(**answers)
    sources = {
        package: [{k: v for k, v in asdict(s).items() if v is not None} for s in package_sources]
        for package, package_sources in plan.sources.items()
    }
    for (extra, platform), wanted in expected_installs(answers).items():
        requirements = plan.dependencies if extra is None else plan.optional_dependencies[extra]
        assert installs(requirements, sources, platform, extra) == wanted, (extra, platform)
    if answers["backend_selection"] == "extra":
        assert not any(Requirement(r).name in PYTORCH_PACKAGES for r in plan.dependencies)
        assert plan.conflicts == ([list(plan.extras)] if len(answers["backends"]) > 1 else [])
    # Each index once, at <base>/<backend>, and every one of them used.
    base = answers["pytorch_index_url"].rstrip("/")
    assert plan.indexes == [(name, f"{base}/{name.removeprefix('pytorch-')}") for name, _ in plan.indexes]
    used = {s["index"] for package_sources in sources.values() for s in package_sources}
    assert sorted(name for name, _ in plan.indexes) == sorted(used)
    # The lock covers exactly the chosen platforms, from the chosen Python to the newest torch has.
    selected = [p for p in torch_plan.platform_choices() if p in answers["platforms"]]
    assert [[p for p in ENVIRONMENTS if matches(m, p)] for m in plan.environments] == [[p] for p in selected]
    allowed = SpecifierSet(plan.requires_python)
    # The lock covers the Pythons from the chosen one up that torch and every library have.
    minor = answers["torch_version"]
    pythons = [
        Version(v)
        for v in torch_plan.release(minor).pythons
        if all(v in torch_plan.library_pythons(minor, lib) for lib in plan.libraries)
    ]
    chosen = Version(answers["python_version"].removesuffix("t"))
    assert [v for v in pythons if v in allowed] == [v for v in pythons if v >= chosen]
    assert f"{max(pythons).major}.{max(pythons).minor + 1}" not in allowed


def test_pins_follow_the_data():
    plan = torch_plan.make_plan(
        torch_version="2.9",
        python_version="3.12",
        backend_selection="platform",
        backends=["cu128"],
        platforms=ARTICLE_PLATFORMS,
        torch_libraries=["torchvision", "torchaudio"],
    )
    assert plan.dependencies == ["torch==2.9.*", "torchvision==0.24.*", "torchaudio==2.9.*"]
    assert plan.requires_python == ">=3.12,<3.15"


def test_rocm_pulls_its_triton_from_its_own_index_where_it_is_installed():
    plan = torch_plan.make_plan(
        torch_version="2.9",
        python_version="3.12",
        backend_selection="platform",
        backends=["rocm6.4"],
        platforms=torch_plan.default_platforms(),
        torch_libraries=[],
    )
    assert plan.dependencies[-1] == (
        "pytorch-triton-rocm; sys_platform == 'linux' and platform_machine == 'x86_64'"
    )
    [source] = plan.sources["pytorch-triton-rocm"]
    assert source.index == "pytorch-rocm6.4"


def test_ci_installs_a_cpu_build_where_the_answers_allow():
    plan = torch_plan.make_plan(
        torch_version="2.9",
        python_version="3.12",
        backend_selection="extra",
        backends=["cu128", "cpu", "rocm6.4"],
        platforms=torch_plan.default_platforms(),
        torch_libraries=[],
    )
    assert (plan.ci_platform, plan.ci_extra) == ("linux-x86_64", "cpu")
    assert plan.ci_planned_extras == ["cu128", "rocm6-4"]
    platform_mode = torch_plan.make_plan(
        torch_version="2.9",
        python_version="3.12",
        backend_selection="platform",
        backends=["cu128"],
        platforms=torch_plan.default_platforms(),
        torch_libraries=[],
    )
    assert platform_mode.ci_platform == "macos-arm64"  # the only platform routed to the CPU build
    linux_only = torch_plan.make_plan(
        torch_version="2.9",
        python_version="3.12",
        backend_selection="platform",
        backends=["cu128"],
        platforms=["linux-x86_64"],
        torch_libraries=[],
    )
    assert linux_only.ci_platform == "linux-x86_64"


# --- checks -------------------------------------------------------------------------------


def test_backend_check_names_the_valid_choices():
    message = torch_plan.check_backends("2.4", "platform", ["cu130"])
    assert "cu130" in message and all(b in message for b in torch_plan.backend_choices("2.4"))
    assert "exactly one" in torch_plan.check_backends("2.9", "platform", ["cu128", "cpu"])
    assert "at least one" in torch_plan.check_backends("2.9", "extra", [])
    assert torch_plan.check_backends("2.9", "extra", ["cu128", "cpu"]) == ""
    message = torch_plan.check_backends("2.9", "platform", ["rocm6.4"], platforms=["macos-arm64"])
    assert "linux-x86_64" in message


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://download.pytorch.org/whl", True),
        ("http://127.0.0.1:8080/whl", True),
        ("http://localhost/whl", True),
        ("http://[::1]:9/whl", True),
        ("http://mirror.example/whl", False),
        ("ftp://mirror.example/whl", False),
        ("https://user:secret@mirror.example/whl", False),
        ("https://token@mirror.example/whl", False),  # a user name alone is a credential too
        ("http://127.0.0.2:8080/whl", True),  # any loopback address
        ("http://10.0.0.1/whl", False),
        ("download.pytorch.org/whl", False),
        ("https://mirror.example/whl?token=1", False),
    ],
)
def test_index_url_check(url, ok):
    assert (torch_plan.check_index_url(url) == "") is ok


@pytest.mark.parametrize(
    "name,ok",
    [
        ("my-torch-project", True),
        ("a", True),
        ("A.b_c-1", True),
        ("-x", False),
        ("x y", False),
        ("", False),
        ("na\u00efve", False),
        ("{{ 7*7 }}", False),
    ],
)
def test_project_name_is_a_distribution_name(name, ok):
    assert (torch_plan.check_project_name(name) == "") is ok
    if ok:
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", torch_plan.package_name_for(name))


@pytest.mark.parametrize("name", ["torch", *matrix.LIBRARIES, "tests"])
def test_a_package_named_like_a_module_the_project_imports_is_refused(name):
    assert "shadow" in torch_plan.check_package_name(name)


def test_a_new_library_is_one_record(monkeypatch):
    """A fifth library, added as one record, is offered, refused, pinned, routed and tabled."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import compat_table

    record = matrix.Library(
        name="torchfoo",
        summary="a library that does not exist",
        versions={
            "2.12": matrix.Pairing(
                "1.2.3", ">=2.12.0", "a test", matrix.MACOS_14, platforms=("linux-x86_64",)
            )
        },
        builds={"cuda": ("linux-x86_64",)},
        labelled_platforms=("linux-x86_64",),
        labelled_kinds=("cuda",),
        source="a test",
    )
    monkeypatch.setitem(matrix.LIBRARIES, "torchfoo", record)
    assert torch_plan.library_choices("2.12")[-1] == "torchfoo"
    assert "torchfoo" not in torch_plan.library_choices("2.11")
    assert "macos-arm64" in torch_plan.check_libraries("2.12", ["torchfoo"], platforms=["macos-arm64"])
    plan = torch_plan.make_plan(
        torch_version="2.12",
        python_version="3.12",
        backend_selection="platform",
        backends=["cu130"],
        platforms=["linux-x86_64"],
        torch_libraries=["torchfoo"],
    )
    assert plan.libraries == ["torchfoo"] and "torchfoo~=1.2.3" in plan.dependencies
    assert [s.index for s in plan.sources["torchfoo"]] == ["pytorch-cu130"]
    header = compat_table.table().splitlines()[0]
    assert header.endswith("| torchcodec | torchfoo |")
    # A fresh project gets it only when its record says so.
    assert "torchfoo" not in torch_plan.default_libraries("2.12")
    monkeypatch.setitem(matrix.LIBRARIES, "torchfoo", dataclasses.replace(record, default=True))
    assert torch_plan.default_libraries("2.12") == ["torchvision", "torchfoo"]


@pytest.mark.parametrize(("python", "guard"), [("3.10", "3.11"), ("3.11", ""), ("3.14t", "")])
def test_the_lock_guard_runs_on_a_python_with_tomllib(python, guard):
    # 3.14t must not be read as "3.14" < 3.11 nor send a free-threaded project to 3.11.
    plan = torch_plan.make_plan(
        torch_version="2.14",
        python_version=python,
        backend_selection="platform",
        backends=["cpu"],
        platforms=["linux-x86_64"],
        torch_libraries=[],
    )
    assert plan.guard_python == guard


def test_torchcodec_comes_from_the_cpu_index_on_aarch64_where_pypi_s_is_a_cuda_build():
    # PyPI's torchcodec 0.16.0 for aarch64 links CUDA 13 (issue 21, 3); the cpu index has CPU
    # builds for aarch64 (torchcodec's README).
    routes = {"linux-x86_64": "cu130", "linux-aarch64": "cu126", "macos-arm64": "cpu"}
    assert torch_plan.library_route("torchcodec", routes) == {
        "linux-x86_64": "cu130",
        "linux-aarch64": "cpu",
        "macos-arm64": None,
    }


def test_torchcodec_s_ffmpeg_range_is_the_paired_release_s():
    def ffmpeg(minor):
        return torch_plan.library_facts(minor, "torchcodec")["system_package"]

    assert ffmpeg("2.12") == "FFmpeg 4 to 9" and ffmpeg("2.10") == "FFmpeg 4 to 8"


def test_answers_are_carried_to_another_torch_by_kind():
    """What `copier update --data torch_version=...` makes of answers that no longer fit."""
    assert torch_plan.carried_python("2.14", "3.9") == ("3.10", torch_plan.carried_python("2.14", "3.9")[1])
    assert torch_plan.carried_python("2.14", "3.12") == ("3.12", "")
    assert torch_plan.carried_python("2.12", "3.13t")[0] == "3.14t"  # still free-threaded
    assert torch_plan.carried_python("2.6", "3.14t") == ("3.14t", "")  # none free-threaded: refused
    assert torch_plan.carried_python("2.14", None) == (torch_plan.default_python("2.14"), "")
    backends, why = torch_plan.carried_backends("2.14", "extra", ["cu129", "rocm6.3", "cpu"])
    assert backends == ["cu126", "rocm7.14", "cpu"] and "cu129 -> cu126" in why
    assert torch_plan.carried_backends("2.14", "platform", ["cu118"])[0] == ["cu132"]  # no 11.x
    assert torch_plan.carried_backends("2.15", "platform", ["rocm6.4"]) == (["rocm6.4"], "")
    assert torch_plan.carried_backends("2.14", "platform", ["cu132"]) == (["cu132"], "")
    platforms, why = torch_plan.carried_platforms("2.14", "3.12", ["linux-x86_64", "windows-arm64"])
    assert platforms == ["linux-x86_64"] and "windows-arm64" in why
    libraries, why = torch_plan.carried_libraries("2.5", "3.12", ["linux-x86_64"], ["torchvision", "torchao"])
    assert libraries == ["torchvision"] and "torchao" in why


# --- small rules of the plan, each with the values at its edges --------------------------------


def test_a_container_or_job_needs_a_linux_platform():
    plan = plan_for(platforms=["macos-arm64", "windows-x86_64"], backends=["cpu"])
    with pytest.raises(torch_plan.InvalidAnswer) as refused:
        torch_plan.deploy_target(plan)
    assert str(refused.value) == (
        "docker run(s) Linux, which the lock does not cover: add linux-x86_64 or linux-aarch64 "
        "to platforms, or deploy nothing"
    )


@pytest.mark.parametrize(
    ("previous", "candidates", "nearest"),
    [
        ("3.9", ["3.10", "3.11", "3.12"], "3.10"),
        ("3.11", ["3.10", "3.12"], "3.12"),  # a tie goes to the newer
        ("3.14", ["3.10", "3.11", "3.12"], "3.12"),
        ("3.13t", ["3.14t", "3.15t"], "3.14t"),
    ],
)
def test_the_nearest_python_is_the_nearest_minor_and_the_newer_on_a_tie(previous, candidates, nearest):
    assert torch_plan._nearest_python(previous, candidates) == nearest


@pytest.mark.parametrize(
    ("project", "package"),
    [
        ("My-Torch.Project", "my_torch_project"),
        ("__x__", "x"),
        ("3d-vision", "_3d_vision"),
        ("---", "my_torch_project"),
    ],
)
def test_the_package_name_follows_the_project_name(project, package):
    assert torch_plan.package_name_for(project) == package


def test_names_up_to_the_limit_are_taken_and_longer_ones_refused():
    limit = torch_plan.NAME_LIMIT
    assert torch_plan.check_project_name("a" * limit) == ""
    assert torch_plan.check_package_name("a" * limit) == ""
    assert torch_plan.check_project_name("a" * (limit + 1)).startswith(f"the project name has {limit + 1} ")
    assert torch_plan.check_project_name(None).startswith("None is not a valid distribution name")


@pytest.mark.parametrize("name", ["test", "tests", "torch", "torchvision"])
def test_a_package_that_shadows_an_import_is_refused(name):
    assert (
        torch_plan.check_package_name(name)
        == f"{name!r} would shadow a module the project imports; choose another name"
    )


def test_one_line_texts_take_any_printable_character_and_name_each_control():
    assert torch_plan.check_author_name("XX Ada, Lovelace") == (
        "the author name must not contain a comma (the core metadata spec forbids it)"
    )
    assert torch_plan.check_author_name("XX Ada Lovelace\tX") == ""
    assert torch_plan.check_one_line("a\x00b\x1b", "description") == (
        "the description must not contain control characters (U+0000, U+001B)"
    )
    assert torch_plan._listing([]) == "(none)"


BASE = {"torch_version": "2.9", "python_version": "3.13", "backends": ["cpu"], "torch_libraries": []}


@pytest.mark.parametrize(
    ("answers", "check"),
    [
        (
            {"backend_selection": "both"},
            lambda: torch_plan.check_choice("both", torch_plan.MODES, "backend_selection"),
        ),
        (
            {"torch_version": "2.4", "python_version": "3.12", "platforms": ["windows-arm64"]},
            lambda: torch_plan.check_platforms(["windows-arm64"], "2.4", "3.12"),
        ),
        (
            {"python_version": "3.10", "platforms": ["windows-arm64"]},
            lambda: torch_plan.check_platforms(["windows-arm64"], "2.9", "3.10"),
        ),
        (
            {"platforms": ["macos-arm64"], "backends": ["rocm6.4"]},
            lambda: torch_plan.check_backends("2.9", "platform", ["rocm6.4"], platforms=["macos-arm64"]),
        ),
        (
            {"platforms": ["windows-arm64"], "torch_libraries": ["torchcodec"]},
            lambda: torch_plan.check_libraries("2.9", ["torchcodec"], "3.13", ["windows-arm64"]),
        ),
    ],
)
def test_a_plan_is_refused_with_the_first_failing_check_s_own_message(answers, check):
    """make_plan runs each check with the answers it needs (the platforms for the backends and
    the libraries, the Python for the platforms): its message is that check's, word for word."""
    expected = check()
    assert expected
    with pytest.raises(torch_plan.InvalidAnswer) as refused:
        plan_for(**{**BASE, **answers})
    assert str(refused.value) == expected


def test_unknown_releases_and_builds_are_named_in_the_refusal():
    with pytest.raises(torch_plan.InvalidAnswer) as refused:
        torch_plan.release("1.13")
    assert (
        str(refused.value)
        == f"torch '1.13' is not offered; choose one of {', '.join(torch_plan.torch_versions())}"
    )
    with pytest.raises(torch_plan.InvalidAnswer, match="^unknown backend 'tpu'$"):
        torch_plan.backend_kind("tpu")
    # Platforms alone (the question before the torch version is known) are checked by name only.
    assert torch_plan.check_platforms(["windows-arm64"]) == ""
    assert torch_plan.index_url("https://mirror.example/whl/", "cu128") == "https://mirror.example/whl/cu128"


def test_a_library_without_a_release_for_the_torch_is_named_with_those_that_have_one():
    assert torch_plan.check_libraries("2.4", ["torchvision", "torchao"]) == (
        "torchao: no release for torch 2.4; available: torchvision, torchaudio, torchcodec"
    )


def test_a_library_s_free_threaded_wheels_missing_on_a_platform_are_named_with_where_they_are():
    assert torch_plan.check_libraries(
        "2.15", ["torchcodec"], "3.14t", ["linux-x86_64", "windows-x86_64"]
    ) == (
        "torchcodec 0.16.0 (for torch 2.15) has no Python 3.14t wheels for windows-x86_64; it has them "
        "for linux-x86_64, linux-aarch64, macos-arm64: leave out torchcodec, the platform, or choose "
        "Python 3.14"
    )


def test_requires_python_takes_every_library_in_any_order():
    for libraries in (["torchvision", "torchcodec"], ["torchcodec", "torchvision"]):
        assert torch_plan._requires_python("2.15", "3.12", libraries) == ">=3.12,<3.15,!=3.14.1"


def test_the_plan_carries_each_extra_s_build_and_the_linux_wheels_glibc():
    plan = plan_for(torch_version="2.12", backend_selection="extra", backends=["cu130", "rocm7.2"])
    assert (plan.extras, plan.glibc_minimum) == ({"cu130": "cu130", "rocm7-2": "rocm7.2"}, "2.28")


def test_platform_mode_with_two_backends_is_refused_by_the_plan_too():
    with pytest.raises(
        torch_plan.InvalidAnswer, match="backend_selection=platform takes exactly one backend"
    ):
        plan_for(torch_version="2.12", backend_selection="platform", backends=["cu130", "cpu"])


def test_a_project_with_every_build_gets_no_example_of_another():
    plan = plan_for(
        torch_version="2.12", backend_selection="extra", backends=torch_plan.backend_choices("2.12")
    )
    assert [what for what, _ in torch_plan.update_examples(plan)] == [
        "torch 2.14: answers that no longer fit move to the nearest that does",
        "another set of platforms",
    ]


def test_requires_python_leaves_out_every_excluded_release_in_version_order(monkeypatch):
    real = torch_plan.pairing

    def pairing(torch_version, library):  # a second exclusion, 3.10.10 after 3.10.9
        facts = real(torch_version, library)
        return dataclasses.replace(facts, excluded_pythons=("3.10.10", "3.10.9", *facts.excluded_pythons))

    monkeypatch.setattr(torch_plan, "pairing", pairing)
    assert torch_plan._requires_python("2.12", "3.10", ["torchvision"]) == (
        ">=3.10,<3.15,!=3.10.9,!=3.10.10,!=3.14.1"
    )


def test_an_update_keeps_the_platforms_and_libraries_the_chosen_python_has_wheels_for():
    assert torch_plan.carried_platforms("2.12", "3.10", ["linux-x86_64", "windows-arm64"]) == (
        ["linux-x86_64"],
        "torch 2.12 has no wheels for windows-arm64 (Python 3.10)",
    )
    assert torch_plan.carried_libraries("2.12", "3.14t", ["linux-x86_64"], ["torchvision", "torchao"]) == (
        ["torchvision"],
        "torchao: no release for torch 2.12 with these platforms and Python",
    )


def test_the_platforms_example_adds_only_a_platform_with_wheels_for_the_project_s_python():
    examples = dict(torch_plan.update_examples(plan_for(torch_version="2.12", python_version="3.10")))
    # windows-arm64 has no CPython 3.10 wheels: the example offers one platform fewer instead
    assert examples["another set of platforms"] == [
        """'platforms=["linux-x86_64", "linux-aarch64", "macos-arm64"]'"""
    ]


def test_a_gpu_build_without_an_architecture_record_is_refused_by_name(monkeypatch):
    assert torch_plan.kernels("2.12", "cu999") is None
    monkeypatch.setattr(torch_plan, "kernels", lambda torch_version, backend: None)
    with pytest.raises(
        torch_plan.InvalidAnswer, match="^no GPU architecture record for cu130 of torch 2.12$"
    ):
        torch_plan.gpu_runtime("2.12", "cu130")


def test_torchaudio_s_advice_offers_no_update_where_torchcodec_has_no_release(monkeypatch):
    monkeypatch.setattr(torch_plan, "library_choices", lambda torch_version: ["torchvision", "torchaudio"])
    why, add = torch_plan.library_advice("2.12", "torchaudio", ["torchaudio"])
    assert why.startswith("torchaudio.load and torchaudio.save go through torchcodec") and add == ""


def test_a_package_name_keeps_the_letters_at_its_ends():
    assert torch_plan.package_name_for("X-ray") == "x_ray"
    assert torch_plan.package_name_for("__my project__") == "my_project"
