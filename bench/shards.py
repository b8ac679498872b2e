"""Past one machine: shards of one batch against one run, and a pool of servers against one.

1. Shards: an archive of --articles new news-length articles (10-30 sentences) and --reviewed
   reviewed POs of other articles (the translation memory, no index yet), `localize batch
   --no-mt` as one run and as 4 shards started together (`--shard I/4`), alternated rounds, each
   on a fresh copy: wall time (the shards: until the last ends), CPU (all processes), whether the
   POs are byte-identical to the one run's, and then, with every file settled, one re-run of 4
   shards and the state entries they leave (before the merge under lock, the last writer's share).
2. A pool: LibreTranslate stand-ins (the API, one worker each: a request takes --service-ms per
   segment, one request at a time, like a one-worker server) behind `--url A` and behind `--url A
   --url B`, localize's client at concurrency 1, 4 and 8 over the same segments, alternated
   rounds: segments per second.  This measures the client's spreading, not machine translation
   (two real servers on this 2-core machine would share its cores).

    .venv/bin/python bench/shards.py [--articles 1000] [--reviewed 300] [--rounds 3] [--segments 400]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from record import Rounds, Table, pair, print_tables, summary, write  # noqa: E402

LOCALIZE = [sys.executable, "-m", "localize"]


def archive(articles: int, reviewed: int) -> Path:
    """The starting point every round copies: new articles, and reviewed POs as memory."""
    import polib

    from mt_throughput import make_articles

    home = Path(tempfile.mkdtemp(prefix="shards-bench-"))
    (home / "incoming").mkdir()
    (home / "older").mkdir()
    texts = make_articles(articles + reviewed, seed=articles, paragraphs=(4, 10))
    for number, text in enumerate(texts[:articles]):
        (home / "incoming" / f"story-{number:05d}.txt").write_bytes(text)
    for number, text in enumerate(texts[articles:]):
        (home / "older" / f"old-{number:05d}.txt").write_bytes(text)
    subprocess.run([*LOCALIZE, "batch", "older", "--no-mt"], cwd=home, check=True, capture_output=True)
    for number, path in enumerate(sorted((home / "translations").rglob("*.po"))):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr, entry.flags = f"ترجمة مراجعة {number}", []
        po.save(str(path))
    (home / "translations" / ".localize-memory.sqlite").unlink(missing_ok=True)
    (home / "translations" / ".localize-batch-state.json").unlink(missing_ok=True)
    settle(home)
    return home


def settle(home: Path) -> None:
    old = time.time_ns() - 3600 * 10**9
    for path in home.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(old, old))


def children(commands: list[list[str]], cwd: Path) -> tuple[float, float, list[int]]:
    """Start the commands together: (wall until the last ends, CPU of all, exit codes)."""
    started = time.perf_counter()
    procs = [subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for command in commands]
    cpu, codes = 0.0, []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        cpu += usage.ru_utime + usage.ru_stime
        codes.append(os.waitstatus_to_exitcode(status))
    return time.perf_counter() - started, cpu, codes


def slurm_array(cluster, cwd: Path) -> tuple[float, float, list[int]]:
    """The documented array job, 4 tasks, from submission to the end of the last task (sbatch --wait)."""
    wrap = f"{sys.executable} -m localize batch incoming --no-mt --shard $SLURM_ARRAY_TASK_ID/4"
    started = time.perf_counter()
    done = subprocess.run(["sbatch", "--wait", "--array=1-4", "--cpus-per-task=1", "--output=/dev/null",
                           "--wrap", wrap], cwd=cwd, env=cluster.env(), capture_output=True, text=True)
    return time.perf_counter() - started, float("nan"), [done.returncode]


def shard_rounds(start: Path, rounds_count: int, cluster=None) -> tuple[Rounds, dict]:
    batch = [*LOCALIZE, "batch", "incoming", "--no-mt"]
    cases = {"one run": [batch], "4 shards at once": [[*batch, "--shard", f"{i}/4"] for i in range(1, 5)]}
    if cluster is not None:
        cases["4 shards as a Slurm array"] = []
    rounds, outcome = Rounds(rounds_count), {}
    for case in rounds.order(list(cases)):
        work = Path(tempfile.mkdtemp(prefix="shards-round-"))
        shutil.copytree(start, work / "p", symlinks=True)
        if cases[case]:
            wall, cpu, codes = children(cases[case], work / "p")
        else:
            wall, cpu, codes = slurm_array(cluster, work / "p")
        assert codes == [0] * len(codes), (case, codes)
        rounds.add(case, wall, cpu if cases[case] else None)
        kept = outcome.setdefault(case, {})
        if "tree" not in kept:  # the first round's result of each case is kept to compare
            kept["tree"] = work
            settle(work / "p")
            again = [[*batch, "--shard", f"{i}/4"] for i in range(1, 5)]
            _, _, codes = children(again, work / "p")
            state = json.loads((work / "p" / "translations" / ".localize-batch-state.json").read_text())
            kept["state_entries"] = sum(1 for name in state["files"] if "/incoming/" in name)
            wall, cpu, _ = children([batch], work / "p")
            kept["rerun"] = (wall, cpu)
        else:
            shutil.rmtree(work, ignore_errors=True)
        print(f"  {case}: {wall:.1f} s wall, {cpu:.1f} s CPU", file=sys.stderr, flush=True)
    one = outcome["one run"]["tree"] / "p/translations/ar"
    names = sorted(path.name for path in one.glob("*.po"))
    same = True
    for case in cases:
        other = outcome[case]["tree"] / "p/translations/ar"
        same = same and names == sorted(path.name for path in other.glob("*.po")) and all(
            _content(one / name) == _content(other / name) for name in names)
    outcome["identical"], outcome["pos"] = same, len(names)
    for kept in outcome.values():
        if isinstance(kept, dict) and "tree" in kept:
            shutil.rmtree(kept.pop("tree"), ignore_errors=True)
    return rounds, outcome


def _content(path: Path) -> list[bytes]:
    """A PO's lines but the two that say when it was written (to the minute)."""
    return [line for line in path.read_bytes().splitlines()
            if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))]


class OneWorker:
    """A LibreTranslate stand-in with one worker: requests wait their turn; each takes
    ``seconds`` per segment."""

    def __init__(self, seconds: float):
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/languages":
                    self.reply([{"code": "en", "name": "English", "targets": ["ar"]},
                                {"code": "ar", "name": "Arabic", "targets": ["en"]}])
                else:
                    self.reply({"batchLimit": 16, "charLimit": 5000})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
                with lock:
                    time.sleep(seconds * len(texts))
                self.reply({"translatedText": [f"ترجمة {text}" for text in texts]})

            def reply(self, data):
                payload = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def pool_rounds(segments: list[str], seconds: float, rounds_count: int) -> Rounds:
    from localize.engines.remote import Remote

    servers = [OneWorker(seconds), OneWorker(seconds)]
    clients = {f"{n} server{'s' if n > 1 else ''}, concurrency {c}":
               Remote([server.url for server in servers[:n]], concurrency=c, timeout=600)
               for n in (1, 2) for c in (1, 4, 8)}
    for client in clients.values():
        client.check()
    rounds = Rounds(rounds_count)
    for case in rounds.order(list(clients)):
        with rounds.time(case):
            drafts = clients[case].translate(segments)
        assert all(draft.text for draft in drafts)
    for server in servers:
        server.close()
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--reviewed", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--segments", type=int, default=400)
    parser.add_argument("--service-ms", type=float, default=5.0, help="a stand-in server's time per segment")
    options = parser.parse_args()

    from mt_throughput import make_articles

    from localize.segment import sentences

    start = archive(options.articles, options.reviewed)
    cluster = None
    sys.path.insert(0, str(ROOT / "tests"))
    import slurmkit

    if not slurmkit.missing() and os.geteuid() == 0:
        cluster = slurmkit.Cluster(cpus=4).start()
    try:
        rounds, outcome = shard_rounds(start, options.rounds, cluster)
    finally:
        if cluster is not None:
            cluster.stop()
    shutil.rmtree(start, ignore_errors=True)
    speed = rounds.ratio("one run", "4 shards at once")
    shard_rows = [[case, pair(summary(rounds.wall[case]), 2),
                   pair(summary(rounds.cpu[case]), 2) if case in rounds.cpu else "- (in Slurm's jobs)",
                   f"{outcome[case]['state_entries']:,} of {options.articles:,}",
                   f"{outcome[case]['rerun'][0]:.2f} / {outcome[case]['rerun'][1]:.2f}"] for case in rounds.wall]
    pool_text = [s for text in make_articles(60, seed=5, paragraphs=(4, 10))
                 for block in text.decode().split("\n\n") for s in sentences(block)]
    segments = list(dict.fromkeys(pool_text))[:options.segments]
    pool = pool_rounds(segments, options.service_ms / 1000, options.rounds)
    pool_rows = []
    for concurrency in (1, 4, 8):
        one, two = f"1 server, concurrency {concurrency}", f"2 servers, concurrency {concurrency}"
        ratio = pool.ratio(one, two)
        pool_rows.append([str(concurrency), f"{len(segments) / pool.stat(one):.0f} / {len(segments) / pool.stat(one, how='min'):.0f}",
                          f"{len(segments) / pool.stat(two):.0f} / {len(segments) / pool.stat(two, how='min'):.0f}",
                          f"{ratio['median']:.2f}x / {ratio['min']:.2f}x"])
    tables = [
        Table(f"{options.articles:,} new articles, {options.reviewed:,} reviewed POs as memory (no index yet), "
              f"`batch --no-mt`, {options.rounds} alternated rounds, seconds (min / median)",
              ["case", "wall", "CPU (all processes)", "state entries after a re-run of 4 shards",
               "a later single re-run: wall / CPU"], shard_rows,
              note=f"POs identical between the one run and the shards (but the two header lines that say when a PO was "
                   f"written, to the minute): {'yes' if outcome['identical'] else 'NO'} "
                   f"({outcome['pos']:,} POs). 4 shards take {1 / speed['median']:.2f}x the one run's wall time "
                   "(median) on this machine's cores."),
        Table(f"A pool of servers: {len(segments)} segments, stand-in servers of one worker at "
              f"{options.service_ms:g} ms a segment, segments per second (median / best)",
              ["concurrency", "--url A", "--url A --url B", "two servers' speed-up (median / min)"], pool_rows),
    ]
    print_tables(tables)
    write("shards", {"title": "Past one machine: shards and a pool of servers", "shards": rounds.summary(),
                     "outcome": outcome, "pool": pool.summary(), "segments": len(segments)},
          tables=tables, command="bench/shards.py " + " ".join(sys.argv[1:]),
          about="Shards of one batch started together against one run on copies of the same archive; the state "
                "file's entries after a re-run of 4 shards (every shard's articles must be there). Then localize's "
                "client against stand-in LibreTranslate servers of one worker each, one server against two.")


if __name__ == "__main__":
    main()
