"""A private single-node Slurm cluster for the tests: MUNGE, slurmctld and slurmd, started as
children of the test run and stopped with it.

Debian's packages (``slurmctld slurmd slurm-client munge``, installed by ``.ci/install-slurm``)
bring the programs; nothing of the machine's own configuration is used.  Everything lives in
one temporary folder: the MUNGE key and socket, ``slurm.conf``, the controller's state, the
node's spool, the logs and the job-completion log.  The daemons are reached at 127.0.0.1, on
ports picked free, with a MUNGE key made for the run, so two test runs never meet.  Where the
host name resolves to a loopback address (Debian's /etc/hosts has it so) they also listen on
127.0.0.1 only (``CommunicationParameters=NoCtldInAddrAny,NoInAddrAny``: Slurm binds to what
the host name resolves to, and cannot start if it does not resolve); elsewhere they listen on
every address, but answer only to that key.  The node is named ``localhost`` (slurmd -N), so
its name resolves wherever the host's does not.

No cgroup or systemd is needed: processes are tracked by ``proctrack/linuxproc``, tasks are
not bound (``task/none``), and nothing is accounted (no slurmdbd).  What each job ended with
is read from ``jobcomp/filetxt`` (one line per finished job or array task, with its exit
code), which outlives the controller's short memory of finished jobs (``MinJobAge``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PROGRAMS = ("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "sinfo", "squeue", "scancel")
PACKAGES = "slurmctld slurmd slurm-client munge"
SHORT_PATH = 50  # a temporary folder longer than this is not used: a UNIX socket's name has ~107 bytes


def which(program: str) -> str | None:
    return shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")


def missing() -> list[str]:
    """The programs this needs that the machine lacks."""
    return [program for program in PROGRAMS if which(program) is None]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """One node (this machine, named ``localhost``) in one partition, ``cpus`` CPUs as Slurm
    sees them (more than the machine has is allowed: ``config_overrides``), so that a few array
    tasks of one CPU each run at once even on a two-core machine."""

    def __init__(self, cpus: int = 4):
        self.cpus = max(cpus, os.cpu_count() or 1)
        # a short path: a UNIX socket's name has a limit of ~107 bytes; munged wants every
        # folder above its socket searchable by all
        short = len(tempfile.gettempdir()) < SHORT_PATH
        self.root = Path(tempfile.mkdtemp(prefix="localize-slurm-", dir=None if short else "/tmp"))
        self.root.chmod(0o755)
        self.host = socket.gethostname().split(".")[0]
        self.node = "localhost"
        # the daemons listen on 127.0.0.1 only where the host name resolves to a loopback address
        # (NoCtldInAddrAny and NoInAddrAny bind to what the host name resolves to, and fail if
        # it does not resolve); elsewhere on every address, to a key no one else has
        self.loopback_only = _resolves_to_loopback(self.host)
        self.conf = self.root / "slurm.conf"
        self.jobcomp = self.root / "jobcomp.txt"
        self.processes: dict[str, subprocess.Popen] = {}
        self.started_in = None

    # -- start and stop ------------------------------------------------------------------
    def start(self, timeout: float = 30) -> Cluster:
        started = time.monotonic()
        try:
            self._munge()
            self._write_conf()
            self._spawn("slurmctld", [which("slurmctld"), "-D", "-f", str(self.conf)])
            self._spawn("slurmd", [which("slurmd"), "-D", "-f", str(self.conf), "-N", self.node])
            self._wait_idle(timeout)
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - started
        return self

    def _munge(self):
        key, socket_path = self.root / "munge.key", self.root / "munge.sock"
        subprocess.run([which("mungekey"), "--create", f"--keyfile={key}"], check=True, capture_output=True)
        self.munge_socket = socket_path
        self._spawn("munged", [which("munged"), "--foreground", f"--socket={socket_path}", f"--key-file={key}",
                               f"--pid-file={self.root / 'munged.pid'}", f"--log-file={self.root / 'munged.log'}",
                               f"--seed-file={self.root / 'munged.seed'}"])
        deadline = time.monotonic() + 10
        while not socket_path.exists():
            self._check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"munged did not start:\n{self.logs()}")
            time.sleep(0.05)

    def _write_conf(self):
        for folder in ("state", "spool", "log"):
            (self.root / folder).mkdir()
        self.ports = _free_port(), _free_port()
        root = self.root
        self.conf.write_text(f"""\
# A private single-node cluster for localize's tests (tests/slurmkit.py)
ClusterName=localize-test
SlurmctldHost={self.host}(127.0.0.1)
SlurmctldPort={self.ports[0]}
SlurmdPort={self.ports[1]}
{"CommunicationParameters=NoCtldInAddrAny,NoInAddrAny" if self.loopback_only else ""}
SlurmUser={_user()}
SlurmdUser={_user()}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.munge_socket}
StateSaveLocation={root / 'state'}
SlurmdSpoolDir={root / 'spool'}
SlurmctldPidFile={root / 'slurmctld.pid'}
SlurmdPidFile={root / 'slurmd.pid'}
SlurmctldLogFile={root / 'log/slurmctld.log'}
SlurmdLogFile={root / 'log/slurmd.log'}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={self.jobcomp}
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
# sbatch --wait polls every 2 s when MinJobAge <= 4 (else 2 s, then 8 s, ...); the job's
# record must outlive one poll, or sbatch says "no longer found" and exits 0
MinJobAge=4
NodeName={self.node} NodeAddr=127.0.0.1 CPUs={self.cpus} State=UNKNOWN
PartitionName=test Nodes={self.node} Default=YES MaxTime=INFINITE State=UP
""")

    def _spawn(self, name: str, command: list[str]):
        with open(self.root / f"{name}.out", "wb") as log:  # (the daemon has its own copy)
            self.processes[name] = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                                    stderr=subprocess.STDOUT, cwd=self.root, env=self.env())

    def _check_alive(self):
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{self.logs()}")

    def _wait_idle(self, timeout: float):
        deadline = time.monotonic() + timeout
        state = ""
        while time.monotonic() < deadline:
            self._check_alive()
            state = self.slurm("sinfo", "-h", "-N", "-o", "%t", check=False).stdout.strip()
            if state == "idle":
                return
            time.sleep(0.1)
        raise RuntimeError(f"the node is {state or 'not known'} after {timeout} s:\n{self.logs()}")

    def stop(self):
        """Cancel what still runs, stop the daemons (slurmd, slurmctld, munged) and remove the folder."""
        if "slurmctld" in self.processes and self.processes["slurmctld"].poll() is None:
            self.slurm("scancel", "--user", _user(), check=False)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.slurm("squeue", "-h", check=False).stdout.strip():
                time.sleep(0.2)
        for name in ("slurmd", "slurmctld", "munged"):
            process = self.processes.pop(name, None)
            if process is None:
                continue
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- use -----------------------------------------------------------------------------
    def env(self, **extra) -> dict:
        """The environment for Slurm's commands: this cluster's configuration."""
        return {**os.environ, "SLURM_CONF": str(self.conf), **extra}

    def slurm(self, program: str, *args, check=True, **options) -> subprocess.CompletedProcess:
        return subprocess.run([which(program), *map(str, args)], env=self.env(), capture_output=True, text=True,
                              check=check, **options)

    def finished(self) -> list[dict]:
        """Every finished job (array tasks one by one) from the job-completion log, as dicts of its
        fields (JobId, ArrayJobId, ArrayTaskId, JobState, ExitCode, ...)."""
        if not self.jobcomp.exists():
            return []
        return [dict(re.findall(r"(\w+)=(\S*)", line)) for line in self.jobcomp.read_text().splitlines() if line]

    def logs(self) -> str:
        parts = []
        for path in sorted([*self.root.glob("*.out"), *self.root.glob("*.log"), *self.root.glob("log/*.log")]):
            text = path.read_text(errors="replace")
            parts.append(f"--- {path.name}\n{text[-3000:]}")
        return "\n".join(parts)


def _resolves_to_loopback(host: str) -> bool:
    try:
        return all(address[4][0].startswith("127.") for address in socket.getaddrinfo(host, None, socket.AF_INET))
    except OSError:
        return False


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name
