"""What every bench shares: alternated rounds, min/median, peak memory, and the JSON it writes.

A bench times its cases in alternated rounds (A, B, C, then B, C, A, ...: the order rotates so
that neither side always runs first, warm or cold), keeps every sample, and writes
``bench/results/NAME.json`` with the commit, the date, the machine, the samples, their min and
median, and the tables the documentation shows.  ``docs/gen_benchmarks.py`` renders those tables
into docs/benchmarks.md; no figure there is typed by hand.

    from record import Rounds, Table, write
    rounds = Rounds(5)
    for case in rounds.order(["localize", "peer"]):
        with rounds.time(case):
            ...
    write("segment_speed", {"cases": rounds.summary()}, tables=[Table(...)], about="...")
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def summary(samples: list[float]) -> dict:
    """min, median and every sample, rounded to the microsecond (or the byte fraction)."""
    return {"min": round(min(samples), 6), "median": round(statistics.median(samples), 6),
            "samples": [round(sample, 6) for sample in samples]}


def cpu_seconds() -> float:
    """This process's CPU time (user + system), all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mib() -> float:
    """The process's peak resident memory since start or since the last ``reset_peak()``."""
    with open("/proc/self/status", encoding="ascii") as status:
        match = re.search(r"VmHWM:\s+(\d+)", status.read())
    return int(match.group(1)) / 1024 if match else float("nan")


def reset_peak() -> None:
    """Start a new peak: Linux resets VmHWM to the current size when "5" is written to clear_refs."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


@dataclass
class Rounds:
    """Alternated rounds of several cases: wall and CPU samples of each, and the peak memory of each."""

    count: int
    wall: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    peak: dict[str, float] = field(default_factory=dict)

    def order(self, cases: list[str]) -> Iterator[str]:
        """Each round runs every case once; round r starts at case r mod n."""
        for index in range(self.count):
            shift = index % len(cases)
            yield from cases[shift:] + cases[:shift]

    @contextlib.contextmanager
    def time(self, case: str) -> Iterator[None]:
        reset_peak()
        wall, cpu = time.perf_counter(), cpu_seconds()
        yield
        self.cpu.setdefault(case, []).append(cpu_seconds() - cpu)
        self.wall.setdefault(case, []).append(time.perf_counter() - wall)
        self.peak[case] = max(self.peak.get(case, 0.0), round(peak_mib(), 1))

    def add(self, case: str, wall: float, cpu: float | None = None, peak: float | None = None) -> None:
        """A sample measured elsewhere (a child process)."""
        self.wall.setdefault(case, []).append(wall)
        if cpu is not None:
            self.cpu.setdefault(case, []).append(cpu)
        if peak is not None:
            self.peak[case] = max(self.peak.get(case, 0.0), round(peak, 1))

    def stat(self, case: str, clock: str = "wall", how: str = "median") -> float:
        samples = (self.wall if clock == "wall" else self.cpu)[case]
        return min(samples) if how == "min" else statistics.median(samples)

    def ratio(self, case: str, baseline: str, clock: str = "wall") -> dict:
        """case / baseline: of the minima, of the medians, and the median of the per-round ratios."""
        ours, theirs = (self.wall if clock == "wall" else self.cpu)[case], \
            (self.wall if clock == "wall" else self.cpu)[baseline]
        return {"min": round(min(ours) / min(theirs), 4),
                "median": round(statistics.median(ours) / statistics.median(theirs), 4),
                "per_round_median": round(statistics.median(a / b for a, b in zip(ours, theirs, strict=False)), 4)}

    def summary(self) -> dict:
        return {case: {"wall": summary(self.wall[case]),
                       **({"cpu": summary(self.cpu[case])} if case in self.cpu else {}),
                       **({"peak_mib": self.peak[case]} if case in self.peak else {})}
                for case in self.wall}


@dataclass
class Table:
    """A table of the documentation: already formatted cells, made by the bench from its measurements."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""

    def as_dict(self) -> dict:
        return {"title": self.title, "columns": self.columns, "rows": self.rows, "note": self.note}


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "localize")
    return f"{head}+changes" if dirty else head


def commit_of(tree: Path) -> str:
    """The short commit of another checkout (a --before worktree), or its path if it is not one."""
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True,
                           check=False).stdout.strip()
    return found or str(tree)


STARTED_AT = commit()  # the code the bench ran: read when it starts, not when it writes


def machine() -> dict:
    model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    return {"node": platform.node(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "cpu_model": model, "python": platform.python_version()}


def write(name: str, data: dict, *, tables: list[Table], about: str, command: str) -> Path:
    """Write bench/results/NAME.json: provenance, the data, and the tables the docs render."""
    result = {"bench": name, "commit": STARTED_AT,
              "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": machine(), "command": command, "about": about,
              "tables": [table.as_dict() for table in tables], **data}
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def print_tables(tables: list[Table]) -> None:
    for table in tables:
        widths = [max(len(str(cell)) for cell in column) for column in zip(table.columns, *table.rows, strict=False)]
        print(f"\n{table.title}")
        for row in [table.columns, *table.rows]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)))
        if table.note:
            print(table.note)


def fmt(value: float, digits: int = 3) -> str:
    return f"{value:,.{digits}f}"


def pair(stat: dict, digits: int = 3, unit: str = "") -> str:
    """'min / median' of a summary()."""
    return f"{stat['min']:,.{digits}f} / {stat['median']:,.{digits}f}{unit}"
