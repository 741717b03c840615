"""A two-node SLURM cluster of its own, for the tests: munged, slurmctld and one slurmd per node
from Debian's `munge` and `slurm-wlm` packages, with every key, socket, port, state and log in
one directory. Both nodes run on this machine: each has NodeAddr=127.0.0.1 and a port of its
own, and their names (this host's name and `localhost`) resolve here, as a job's MASTER_ADDR
must.

It never touches a cluster already running on the machine: its daemons use their own munge
socket (slurm.conf's `AuthInfo=socket=`), free ports on 127.0.0.1 and their own spool, and the
client commands find it through SLURM_CONF. Only the daemons it started are stopped, by pid.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

DAEMONS = ("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo", "scontrol")


def missing_programs() -> list[str]:
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return [name for name in DAEMONS if shutil.which(name, path=search) is None]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _program(name: str) -> str:
    return shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))


class LocalSlurm:
    """`with LocalSlurm(directory) as cluster:` starts the cluster and waits until its nodes are
    idle."""

    def __init__(self, directory: Path, cpus: int = 2):
        self.dir = directory
        self.nodes = [socket.gethostname().split(".")[0], "localhost"]
        self.cpus = max(cpus, os.cpu_count() or 1)
        self.conf = directory / "slurm.conf"
        self._processes: list[subprocess.Popen] = []

    @property
    def env(self) -> dict[str, str]:
        """The environment in which sbatch, srun and squeue talk to this cluster."""
        return {**os.environ, "SLURM_CONF": str(self.conf)}

    def _write_config(self) -> None:
        for sub in ("state", "log", "munge", *(f"spool/{node}" for node in self.nodes)):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        (self.dir / "munge").chmod(0o700)
        d = self.dir
        nodes = "\n".join(
            f"NodeName={node} NodeAddr=127.0.0.1 Port={_free_port()} CPUs={self.cpus} State=UNKNOWN"
            for node in self.nodes
        )
        self.conf.write_text(
            f"""ClusterName=uvtorchtest
SlurmctldHost={self.nodes[0]}(127.0.0.1)
SlurmctldPort={_free_port()}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={d / "munge" / "munge.socket"}
StateSaveLocation={d / "state"}
SlurmdSpoolDir={d / "spool" / "%n"}
SlurmctldPidFile={d / "slurmctld.pid"}
SlurmdPidFile={d / "slurmd-%n.pid"}
SlurmctldLogFile={d / "log" / "slurmctld.log"}
SlurmdLogFile={d / "log" / "slurmd-%n.log"}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmdParameters=config_overrides
MailProg=/bin/true
{nodes}
PartitionName=debug Nodes={",".join(self.nodes)} Default=YES MaxTime=INFINITE State=UP
"""
        )

    def _start(self, *command: str, log: str) -> None:
        with open(self.dir / "log" / log, "ab") as out:
            self._processes.append(
                subprocess.Popen(
                    command, stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
                )
            )

    def __enter__(self) -> LocalSlurm:
        self._write_config()
        munge = self.dir / "munge"
        key = munge / "munge.key"
        subprocess.run(
            [_program("mungekey"), "--create", f"--keyfile={key}"], check=True, capture_output=True
        )
        key.chmod(0o600)
        try:
            self._start(
                _program("munged"),
                "--foreground",
                "--force",
                f"--key-file={key}",
                f"--socket={munge / 'munge.socket'}",
                f"--pid-file={munge / 'munged.pid'}",
                f"--seed-file={munge / 'munged.seed'}",
                f"--log-file={self.dir / 'log' / 'munged.log'}",
                log="munged.out",
            )
            self._wait(lambda: (munge / "munge.socket").exists(), "munged to open its socket")
            self._start(_program("slurmctld"), "-D", "-i", "-f", str(self.conf), log="slurmctld.out")
            for node in self.nodes:
                self._start(
                    _program("slurmd"), "-D", "-f", str(self.conf), "-N", node, log=f"slurmd-{node}.out"
                )
            self._wait(self._nodes_idle, f"nodes {', '.join(self.nodes)} to become idle")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _nodes_idle(self) -> bool:
        for process in self._processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited with {process.returncode}:\n{self.logs()}")
        states = subprocess.run(
            [_program("sinfo"), "-h", "-N", "-o", "%N %t"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.split("\n")
        return sorted(line for line in states if line) == sorted(f"{node} idle" for node in self.nodes)

    def _wait(self, ready, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:.0f} s for {what}:\n{self.logs()}")
            time.sleep(0.5)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted((self.dir / "log").glob("*"))
        )

    def submit(
        self, script: Path, cwd: Path, env: dict[str, str], *options: str, minutes: int = 5
    ) -> tuple[str, Path]:
        """Submit a batch job with exactly this environment (sbatch passes it on to the job) and
        these sbatch options, wait for it to end, cancelled after `minutes`; returns (its state,
        its output file)."""
        submitted = subprocess.run(
            [_program("sbatch"), "--parsable", "--wait", f"--time={minutes}", *options, str(script)],
            cwd=cwd,
            env={**env, "SLURM_CONF": str(self.conf)},
            capture_output=True,
            text=True,
            timeout=minutes * 60 + 120,
        )
        job = submitted.stdout.strip().split(";")[0]
        if not job:
            raise RuntimeError(f"sbatch failed: {submitted.stderr}\n{self.logs()}")
        state = self._scontrol("show", "job", job)
        return state, cwd / f"smoke-{job}.out"

    def _scontrol(self, *args: str) -> str:
        return subprocess.run(
            [_program("scontrol"), *args], env=self.env, capture_output=True, text=True, timeout=60
        ).stdout

    def _cancel_jobs(self) -> None:
        """Jobs left running end with their cluster: their slurmstepd would outlive slurmd."""
        squeue = [_program("squeue"), "-h", "-o", "%i"]
        jobs = subprocess.run(squeue, env=self.env, capture_output=True, text=True, timeout=60).stdout.split()
        if jobs:
            subprocess.run([_program("scancel"), *jobs], env=self.env, capture_output=True, timeout=60)
            deadline = time.monotonic() + 60
            while (
                time.monotonic() < deadline
                and subprocess.run(
                    squeue, env=self.env, capture_output=True, text=True, timeout=60
                ).stdout.split()
            ):
                time.sleep(1)

    def __exit__(self, *exc) -> None:
        if all(p.poll() is None for p in self._processes) and len(self._processes) == 2 + len(self.nodes):
            self._cancel_jobs()
        # Only what this object started, newest first: the slurmds, slurmctld, munged.
        for process in reversed(self._processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self._processes.clear()
