"""Every NVIDIA device id the data knows goes through detection from /proc and /sys alone (no
nvidia-smi) to a chip family and a build; and each family's compute capability is checked against
NVIDIA's own statements by product, which the data does not use (it takes them by chip, from
Wikipedia's table)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch_hardware

from fake_machine import FakeMachine, nvidia_in_proc
from helpers import ROOT, matrix, project_for, torch_plan

SYSTEM_PCI_IDS = Path("/usr/share/misc/pci.ids")

# NVIDIA, 'CUDA GPU Compute Capability' (developer.nvidia.com/cuda-gpus), as stored: its 8.6 row
# is cut after the RTX 3090, and its 8.0 and 7.5 rows are missing.
CUDA_GPUS = {
    "NVIDIA GB10 (DGX Spark)": "12.1",
    "NVIDIA RTX PRO 6000 Blackwell Server Edition": "12.0",
    "NVIDIA RTX PRO 6000 Blackwell Workstation Edition": "12.0",
    "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition": "12.0",
    "NVIDIA RTX PRO 5000 Blackwell": "12.0",
    "NVIDIA RTX PRO 4500 Blackwell": "12.0",
    "NVIDIA RTX PRO 4000 Blackwell": "12.0",
    "NVIDIA RTX PRO 4000 Blackwell SFF Edition": "12.0",
    "NVIDIA RTX PRO 2000 Blackwell": "12.0",
    "GeForce RTX 5090": "12.0",
    "GeForce RTX 5080": "12.0",
    "GeForce RTX 5070 Ti": "12.0",
    "GeForce RTX 5070": "12.0",
    "GeForce RTX 5060 Ti": "12.0",
    "GeForce RTX 5060": "12.0",
    "GeForce RTX 5050": "12.0",
    "Jetson T5000": "11.0",
    "Jetson T4000": "11.0",
    "NVIDIA GB300": "10.3",
    "NVIDIA B300": "10.3",
    "NVIDIA GB200": "10.0",
    "NVIDIA B200": "10.0",
    "NVIDIA GH200": "9.0",
    "NVIDIA H200": "9.0",
    "NVIDIA H100": "9.0",
    "NVIDIA L4": "8.9",
    "NVIDIA L40": "8.9",
    "NVIDIA L40S": "8.9",
    "NVIDIA RTX 6000 Ada": "8.9",
    "NVIDIA RTX 5000 Ada": "8.9",
    "NVIDIA RTX 4500 Ada": "8.9",
    "NVIDIA RTX 4000 Ada": "8.9",
    "NVIDIA RTX 4000 SFF Ada": "8.9",
    "NVIDIA RTX 2000 Ada": "8.9",
    "GeForce RTX 4090": "8.9",
    "GeForce RTX 4080": "8.9",
    "GeForce RTX 4070 Ti": "8.9",
    "GeForce RTX 4070": "8.9",
    "GeForce RTX 4060 Ti": "8.9",
    "GeForce RTX 4060": "8.9",
    "GeForce RTX 4050": "8.9",
    "Jetson AGX Orin": "8.7",
    "Jetson Orin NX": "8.7",
    "Jetson Orin Nano": "8.7",
    "NVIDIA A40": "8.6",
    "NVIDIA A10": "8.6",
    "NVIDIA A16": "8.6",
    "NVIDIA A2": "8.6",
    "NVIDIA RTX A6000": "8.6",
    "NVIDIA RTX A5000": "8.6",
    "NVIDIA RTX A4000": "8.6",
    "NVIDIA RTX A3000": "8.6",
    "NVIDIA RTX A2000": "8.6",
    "GeForce RTX 3090": "8.6",
}
# NVIDIA, 'Legacy CUDA GPU Compute Capability' (developer.nvidia.com/cuda-legacy-gpus), as stored:
# its 5.0 row is cut after the GeForce 940M.
LEGACY_GPUS = {
    "Jetson AGX Xavier": "7.2",
    "Jetson Xavier NX": "7.2",
    "NVIDIA V100": "7.0",
    "Quadro GV100": "7.0",
    "NVIDIA TITAN V": "7.0",
    "Jetson TX2": "6.2",
    "Tesla P40": "6.1",
    "Tesla P4": "6.1",
    "Quadro P6000": "6.1",
    "Quadro P5200": "6.1",
    "Quadro P5000": "6.1",
    "Quadro P4200": "6.1",
    "Quadro P4000": "6.1",
    "Quadro P3200": "6.1",
    "Quadro P3000": "6.1",
    "Quadro P2200": "6.1",
    "Quadro P2000": "6.1",
    "Quadro P1000": "6.1",
    "Quadro P620": "6.1",
    "Quadro P600": "6.1",
    "Quadro P500": "6.1",
    "Quadro P400": "6.1",
    "P620": "6.1",
    "P520": "6.1",
    "NVIDIA TITAN Xp": "6.1",
    "NVIDIA TITAN X": "6.1",
    "GeForce GTX 1080 Ti": "6.1",
    "GeForce GTX 1080": "6.1",
    "GeForce GTX 1070 Ti": "6.1",
    "GeForce GTX 1070": "6.1",
    "GeForce GTX 1060": "6.1",
    "GeForce GTX 1050": "6.1",
    "Tesla P100": "6.0",
    "Quadro GP100": "6.0",
    "Jetson Nano": "5.3",
    "Tesla M60": "5.2",
    "Tesla M40": "5.2",
    "Quadro M6000 24GB": "5.2",
    "Quadro M6000": "5.2",
    "Quadro M5000": "5.2",
    "Quadro M4000": "5.2",
    "Quadro M2000": "5.2",
    "Quadro M5500M": "5.2",
    "Quadro M2200": "5.2",
    "Quadro M620": "5.2",
    "GeForce GTX TITAN X": "5.2",
    "GeForce GTX 980 Ti": "5.2",
    "GeForce GTX 980": "5.2",
    "GeForce GTX 970": "5.2",
    "GeForce GTX 960": "5.2",
    "GeForce GTX 950": "5.2",
    "GeForce GTX 980M": "5.2",
    "GeForce GTX 970M": "5.2",
    "GeForce GTX 965M": "5.2",
    "GeForce 910M": "5.2",
    "Quadro K2200": "5.0",
    "Quadro K1200": "5.0",
    "Quadro K620": "5.0",
    "Quadro M1200": "5.0",
    "Quadro M520": "5.0",
    "Quadro M5000M": "5.0",
    "Quadro M4000M": "5.0",
    "Quadro M3000M": "5.0",
    "Quadro M2000M": "5.0",
    "Quadro M1000M": "5.0",
    "Quadro K620M": "5.0",
    "Quadro M600M": "5.0",
    "Quadro M500M": "5.0",
    "NVIDIA NVS 810": "5.0",
    "GeForce GTX 750 Ti": "5.0",
    "GeForce GTX 750": "5.0",
    "GeForce GTX 960M": "5.0",
    "GeForce GTX 950M": "5.0",
    "GeForce 940M": "5.0",
}
# The rows the stored pages lack, from the page's 2022 version as copied at
# cnblogs.com/nightnine/p/16591404.
OLDER_PAGE = {
    "NVIDIA A100": "8.0",
    "NVIDIA A30": "8.0",
    "NVIDIA T4": "7.5",
    "T1000": "7.5",
    "T600": "7.5",
    "T400": "7.5",
    "Quadro RTX 8000": "7.5",
    "Quadro RTX 6000": "7.5",
    "Quadro RTX 5000": "7.5",
    "Quadro RTX 4000": "7.5",
    "Tesla K80": "3.7",
    "Tesla K40": "3.5",
    "Tesla K20": "3.5",
    "Tesla C2075": "2.0",
    "Tesla C2050/C2070": "2.0",
    "Quadro K6000": "3.5",
    "Quadro K5200": "3.5",
    "Quadro K5000": "3.0",
    "Quadro K4200": "3.0",
    "Quadro K4000": "3.0",
    "Quadro K2000": "3.0",
    "Quadro K2000D": "3.0",
    "Quadro K600": "3.0",
    "Quadro K420": "3.0",
    "Tesla K10": "3.0",
}
NVIDIA_SAYS = {**CUDA_GPUS, **LEGACY_GPUS, **OLDER_PAGE}
# Where a product name and the PCI id's chip disagree, the chip decides: these names span two
# chips (an OEM GTX 750 Ti on Kepler's GK106) or NVIDIA's legacy list puts them under another
# capability than their chip has (GK208's 910M, GM107's and GM204's mobile Quadros).
DISAGREE = {
    ("11c7", "GeForce GTX 750 Ti"),
    ("129a", "GeForce 910M"),
    ("13b4", "Quadro M620 Mobile"),
    ("13f8", "Quadro M5000M"),
    ("13f9", "Quadro M4000M"),
    ("13fa", "Quadro M3000M"),
}
# Families none of the pages above names a product of.
UNCHECKED = {("Fermi", "2.1")}
QUALIFIERS = r"( (PCIe|SXM\d*|\d+GB|HBM\w*|Mobile|Max-Q|Laptop GPU|CNX|NVL))*"

CUDA_BUILDS_2_12 = ["cu132", "cu130", "cu126"]


def family_of(chip: str) -> matrix.NvidiaFamily:
    return next(f for f in matrix.NVIDIA_FAMILIES if chip in f.chips)


def _sm(capability: str) -> str:
    return "sm_" + capability.replace(".", "")


def test_every_device_id_is_detected_from_proc_and_sys_to_its_family_and_a_build(tmp_path, capsys):
    answers = {"torch_version": "2.12", "backend_selection": "extra", "backends": [*CUDA_BUILDS_2_12, "cpu"]}
    project = project_for(**answers)
    proc = "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06  Sun Jul 27 07:09:38 UTC 2025\n"
    checked = 0
    for chip, ids in matrix.NVIDIA_DEVICES.items():
        family = family_of(chip)
        archs = {b: torch_hardware.kernels_for(project, b, "linux-x86_64") for b in CUDA_BUILDS_2_12}
        build = next(
            (b for b in CUDA_BUILDS_2_12 if torch_hardware.arch_runs(_sm(family.capability), *archs[b])),
            "cpu",
        )
        for device in ids.split():  # each id to its chip, as detection looks it up
            found = torch_hardware.nvidia_arch(project.gpus, device, "NVIDIA GPU")
            assert found == (_sm(family.capability), f"PCI device {device}: {chip}")
            checked += 1
        # The whole way, from /proc and /sys to the build picked, once per chip (the same code
        # for each of its ids).
        device = ids.split()[-1]
        machine = FakeMachine(tmp_path / chip)
        machine.files(
            {"proc/driver/nvidia/version": proc, **nvidia_in_proc("0000:3b:00.0", "NVIDIA GPU", device)}
        )
        found = machine.detect(project)
        [gpu] = found.gpus
        assert (gpu.arch, gpu.identified_by) == (_sm(family.capability), f"PCI device {device}: {chip}")
        chosen, reasons = torch_hardware.pick(project, {b: b for b in [*CUDA_BUILDS_2_12, "cpu"]}, found)
        assert chosen == build, (device, chip, reasons)
    assert checked == sum(len(ids.split()) for ids in matrix.NVIDIA_DEVICES.values()) > 700


def pci_ids_names() -> dict[str, str]:
    """device id -> the name pci.ids gives it, from the system's copy (Debian's pci.ids)."""
    if not SYSTEM_PCI_IDS.exists():
        pytest.skip("no /usr/share/misc/pci.ids here: apt-get install pci.ids (.ci/run does)")
    names, inside = {}, False
    for line in SYSTEM_PCI_IDS.read_text(encoding="utf-8", errors="replace").splitlines():
        if re.match(r"^[0-9a-f]{4}  ", line):
            inside = line.startswith("10de  ")
        elif inside and (found := re.match(r"^\t([0-9a-f]{4})  (.*)$", line)):
            names[found.group(1)] = found.group(2)
    return names


def _plain(name: str) -> str:
    return re.sub(r"^(nvidia |geforce |tesla )+", "", name.lower().strip())


def test_each_family_agrees_with_what_nvidia_says_of_its_products():
    names = pci_ids_names()
    said = {_plain(product): capability for product, capability in NVIDIA_SAYS.items()}
    checked, disagree = set(), set()
    for chip, ids in matrix.NVIDIA_DEVICES.items():
        family = family_of(chip)
        for device in ids.split():
            bracket = re.search(r"\[(.*)\]", names.get(device, ""))
            for product in bracket.group(1).split(" / ") if bracket else ():
                match = next(
                    (said[p] for p in said if re.fullmatch(re.escape(p) + QUALIFIERS, _plain(product), re.I)),
                    None,
                )
                if match is None:
                    continue
                if match != family.capability:
                    disagree.add((device, product))
                else:
                    checked.add((family.architecture, family.capability))
    assert disagree == DISAGREE
    families = {
        (f.architecture, f.capability)
        for f in matrix.NVIDIA_FAMILIES
        if set(f.chips) & set(matrix.NVIDIA_DEVICES)
    }
    assert families - checked == UNCHECKED


def test_the_device_table_is_what_the_system_pci_ids_gives():
    if not SYSTEM_PCI_IDS.exists():
        pytest.skip("no /usr/share/misc/pci.ids here: apt-get install pci.ids (.ci/run does)")
    check = subprocess.run(
        [sys.executable, "scripts/refresh_pci_ids.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_names_never_contradict_what_nvidia_says():
    """The name rules, the last resort, give a product's capability or nothing: never another."""
    facts = torch_plan.gpu_facts()
    for product, capability in NVIDIA_SAYS.items():
        arch, _ = torch_hardware.nvidia_arch(facts, name=f"NVIDIA {product}")
        assert arch in ("", _sm(capability)), (product, arch, capability)
