"""The night batch as a Slurm array job, on a real (private, single-node) Slurm.

The module brings up MUNGE, slurmctld and slurmd (Debian's ``slurmctld slurmd slurm-client
munge``, installed by ``.ci/install-slurm``) on 127.0.0.1 with their state in a temporary
folder (tests/slurmkit.py), and submits the array job docs/batch.md documents:

    sbatch --wait --array=1-4 --cpus-per-task=1 --output=reports/night-%a.out \\
      --wrap 'localize batch incoming/ --shard $SLURM_ARRAY_TASK_ID/4 --report reports/night-$SLURM_ARRAY_TASK_ID.json'

(with ``--no-mt``, the Argos test model or an unreachable LibreTranslate server) over a few
dozen articles, on one shared ``translations/``, all tasks at once (the node has 4 CPUs for
Slurm, whatever the machine has).  Every task must exit 0 (what each ended with is read from
Slurm's job-completion log), each writes its report, and the POs are those of one
``localize batch`` in a copy of the project.  A translation server that cannot be reached makes
every task fail with exit 2, and ``sbatch --wait`` exit 2.

Without Slurm (or not as root: slurmd starts the jobs) the tests are skipped, unless
LOCALIZE_REQUIRE_SLURM=1 (set by .ci/run), where that is a failure.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import slurmkit
from ltserver import free_port

BIN = Path(sys.executable).parent  # the .venv's: `localize` in the job is this project's
TASKS = 4
ARTICLES = 30
MEMORY = {"Talks go on.": "تستمر المحادثات.", "The ministry declined to comment.": "ورفضت الوزارة التعليق."}


@pytest.fixture(scope="module")
def slurm():
    required = os.environ.get("LOCALIZE_REQUIRE_SLURM") == "1"
    absent = slurmkit.missing()
    why = (f"Slurm is not installed (no {', '.join(absent)}): .ci/install-slurm, or apt-get install "
           f"{slurmkit.PACKAGES}" if absent else
           "slurmd must run as root to start jobs" if os.getuid() != 0 else None)
    if why:
        if required:
            pytest.fail(why + " (LOCALIZE_REQUIRE_SLURM=1)")
        pytest.skip(why)
    with slurmkit.Cluster(cpus=TASKS) as cluster:
        yield cluster


def sbatch(cluster, desk: Path, localize_args: str, *options: str) -> tuple[subprocess.CompletedProcess, str]:
    """The documented array job, run to its end (``--wait``) from ``desk``: (sbatch's result,
    the array's job id)."""
    wrap = (f"localize batch incoming/ --shard $SLURM_ARRAY_TASK_ID/{TASKS} {localize_args} "
            f"--report reports/night-$SLURM_ARRAY_TASK_ID.json")
    (desk / "reports").mkdir(exist_ok=True)  # (Slurm does not make the --output file's folder)
    done = subprocess.run(
        [slurmkit.which("sbatch"), "--wait", f"--array=1-{TASKS}", "--cpus-per-task=1",
         "--output=reports/night-%a.out", *options, "--wrap", wrap],
        check=False, cwd=desk, capture_output=True, text=True, timeout=120,
        env=cluster.env(PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}"))
    job = re.search(r"Submitted batch job (\d+)", done.stdout)
    assert job, (done.stdout, done.stderr, cluster.logs())
    return done, job.group(1)


def tasks(cluster, job: str) -> dict[int, dict]:
    """The array's tasks as Slurm recorded them when they ended: {task id: fields}."""
    return {int(row["ArrayTaskId"]): row for row in cluster.finished() if row.get("ArrayJobId") == job}


def desk(root: Path) -> Path:
    """A project: ARTICLES articles in incoming/ (some in a subfolder, Markdown and text) and a
    translation memory (a reviewed PO of an older article) whose sentences recur in them."""
    (root / "archive").mkdir(parents=True)
    (root / "archive" / "briefing.md").write_text("# Briefing\n\n" + " ".join(MEMORY) + "\n")
    for n in range(ARTICLES):
        path = root / "incoming" / (f"wire/brief-{n:02d}.txt" if n % 3 == 0 else f"story-{n:02d}.md")
        path.parent.mkdir(parents=True, exist_ok=True)
        heading = "" if path.suffix == ".txt" else f"# Story {n}\n\n"
        path.write_text(f"{heading}Officials met {n} times in Vienna on Monday. Talks go on.\n\n"
                        f"The agency said {n + 1} inspectors were there. The ministry declined to comment.\n")
    localize = subprocess.run([BIN / "localize", "batch", "archive", "--no-mt"], check=False, cwd=root,
                              capture_output=True)
    assert localize.returncode == 0, localize.stderr
    po = polib.pofile(str(root / "translations/ar/briefing.po"))
    for entry in po:
        if entry.msgid in MEMORY:
            entry.msgstr = MEMORY[entry.msgid]  # translated and not fuzzy: reviewed
    po.save()
    return root


def pos(root: Path) -> dict[str, str]:
    """Every PO written, by name, less the two header lines that say when it was written."""
    return {path.name: re.sub(r'^"(POT-Creation|PO-Revision)-Date: .*\n', "", path.read_text(encoding="utf-8"),
                              flags=re.MULTILINE)
            for path in sorted((root / "translations/ar").glob("*.po"))}


@pytest.fixture(scope="module")
def desks(tmp_path_factory):
    """Two copies of one project: one for a single run, one for the array job."""
    template = desk(tmp_path_factory.mktemp("desk") / "template")
    one, sharded = (tmp_path_factory.mktemp(name) / "desk" for name in ("one", "sharded"))
    shutil.copytree(template, one, symlinks=True)
    shutil.copytree(template, sharded, symlinks=True)
    return one, sharded


def test_the_array_job_writes_what_one_run_writes(slurm, desks):
    one, sharded = desks
    single = subprocess.run([BIN / "localize", "batch", "incoming/", "--no-mt", "--report", "single.json"],
                            check=False, cwd=one, capture_output=True, text=True)
    assert single.returncode == 0, single.stderr
    assert json.loads((one / "single.json").read_text())["totals"]["memory_drafts"] == 2 * ARTICLES

    done, job = sbatch(slurm, sharded, "--no-mt")
    assert done.returncode == 0 and "error" not in done.stderr, (done.stderr, slurm.logs())
    ended = tasks(slurm, job)
    assert sorted(ended) == list(range(1, TASKS + 1)), slurm.logs()
    assert {(row["JobState"], row["ExitCode"]) for row in ended.values()} == {("COMPLETED", "0:0")}

    reports = {i: json.loads((sharded / f"reports/night-{i}.json").read_text()) for i in range(1, TASKS + 1)}
    assert sorted(path.name for path in (sharded / "reports").glob("*.json")) == sorted(
        f"night-{i}.json" for i in range(1, TASKS + 1))  # one report per task
    shares = [{row["po"] for row in report["articles"]} for report in reports.values()]
    assert all(shares) and sum(map(len, shares)) == len(set().union(*shares)) == ARTICLES  # disjoint, all
    for i, report in reports.items():
        assert report["run"]["options"]["shard"] == f"{i}/{TASKS}"
        assert {row["status"] for row in report["articles"]} == {"new"}
        assert report["totals"]["memory_drafts"] == 2 * len(report["articles"])
        assert f"\narticles: {len(report['articles'])} new, 0 updated, 0 unchanged, 0 failed\n" in (
            sharded / f"reports/night-{i}.out").read_text()  # (the task's stdout and stderr)

    written = pos(sharded)
    assert len(written) == ARTICLES + 1 and written == pos(one)

    # the shards' shared state (what is unchanged) holds all of their shares: a second night,
    # the same array again, finds nothing to do
    again, job = sbatch(slurm, sharded, "--no-mt")
    assert again.returncode == 0, slurm.logs()
    for i in range(1, TASKS + 1):
        totals = json.loads((sharded / f"reports/night-{i}.json").read_text())["totals"]
        assert (totals["unchanged"], totals["new"], totals["updated"]) == (len(shares[i - 1]), 0, 0)
    assert pos(sharded) == written


def test_an_unreachable_server_fails_every_task_and_the_job(slurm, tmp_path):
    root = desk(tmp_path / "desk")
    before = pos(root)
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    done, job = sbatch(slurm, root, f"--engine libretranslate --url {url}")
    assert done.returncode == 2, (done.stdout, done.stderr)  # noqa: PLR2004 (sbatch --wait: the tasks' highest exit)
    ended = tasks(slurm, job)
    assert sorted(ended) == list(range(1, TASKS + 1)), slurm.logs()
    assert {(row["JobState"], row["ExitCode"]) for row in ended.values()} == {("FAILED", "2:0")}
    for i in range(1, TASKS + 1):
        said = (root / f"reports/night-{i}.out").read_text()
        assert said == (f"Error: {url}: cannot reach the LibreTranslate server (Connection refused) "
                        "(start it, or check --url and the network)\n")
    assert pos(root) == before  # nothing written


def test_the_array_job_with_the_local_model(slurm, tmp_path, model):
    """The same with the Argos model (the random-weight test model): the drafts of four shards,
    each translating its own share, are those of one run translating them all at once."""
    one, sharded = desk(tmp_path / "one"), desk(tmp_path / "sharded")
    single = subprocess.run([BIN / "localize", "batch", "incoming/", "--beam", "1", "--report", "single.json"],
                            check=False, cwd=one, capture_output=True, text=True)
    assert single.returncode == 0, single.stderr
    drafts = json.loads((one / "single.json").read_text())["totals"]["machine_drafts"]
    assert drafts > 0
    done, job = sbatch(slurm, sharded, "--beam 1")
    assert done.returncode == 0, [(sharded / f"reports/night-{i}.out").read_text() for i in range(1, TASKS + 1)]
    assert {row["ExitCode"] for row in tasks(slurm, job).values()} == {"0:0"}
    assert sum(json.loads((sharded / f"reports/night-{i}.json").read_text())["totals"]["machine_drafts"]
               for i in range(1, TASKS + 1)) == drafts
    assert pos(sharded) == pos(one)
