"""Costs against the size of the archive: each at three sizes, so the curve shows.

- segmentation of one block of 1M, 2M and 4M characters (linear: 4M takes
  about 4x the time of 1M);
- the peak resident memory of `localize check`, `localize status` and
  `localize publish` (each in a fresh process, output to /dev/null) over 50,
  150 and 500 POs of the sample article, each with a reviewed translation
  (flat: the POs are read one at a time, and publish stages each page on disk
  as it is rendered; --allow-draft, as the fake translation trips the glossary,
  so every page is rendered and written).

    .venv/bin/python bench/archive_scale.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from localize.segment import split  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "articles" / "iran-imis.txt"
BLOCK = "The talks in Vienna resumed on Sunday. Mr. Smith said the U.S. envoy, Dr. Jones, would attend. "


def segmentation(rounds: int) -> None:
    print("segmentation of one block (median of rounds):")
    base = None
    for size in (1_000_000, 2_000_000, 4_000_000):
        text = (BLOCK * (size // len(BLOCK) + 1))[:size]
        seconds = []
        for _ in range(rounds):
            start = time.perf_counter()
            split(text)
            seconds.append(time.perf_counter() - start)
        median = statistics.median(seconds)
        base = base or median
        print(f"  {size:>9,} characters: {median:6.2f} s median, {min(seconds):6.2f} s min  "
              f"({median / base:.1f}x the 1M time for {size // 1_000_000}x the text)")


def archive(count: int, folder: Path) -> None:
    from click.testing import CliRunner

    from localize.cli import cli

    os.chdir(folder)
    if not (folder / "translations").exists():
        shutil.copy(SAMPLE, folder / "iran-imis.txt")
        (folder / "glossaries").mkdir()
        shutil.copy(ROOT / "glossaries" / "news.csv", folder / "glossaries" / "news.csv")
        CliRunner().invoke(cli, ["translate", "--no-mt", "iran-imis.txt"], catch_exceptions=False)
        import polib

        po = polib.pofile("translations/ar/iran-imis.po")
        for entry in po:
            entry.msgstr = "ترجمة مراجعة لهذه الجملة من المقال."
        po.save()
    template = (folder / "translations/ar/iran-imis.po").read_bytes()
    present = len(list((folder / "translations/ar").glob("*.po")))
    for number in range(present, count):
        (folder / f"translations/ar/copy-{number}.po").write_bytes(template)


# The process's own peak (VmHWM, in KiB): ru_maxrss is not reset by exec on Linux, so a child
# would report at least the RSS its parent (this bench) had when it forked.
_MEASURED = """import runpy, sys
sys.argv = ["localize", *sys.argv[1:]]
try:
    runpy.run_module("localize", run_name="__main__")
except SystemExit:
    pass
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")), file=sys.stderr)
"""


def memory(sizes) -> None:
    """Each command in a fresh process, its output to /dev/null (a captured output would be
    measured instead); the peak resident memory the kernel reports for that process."""
    import subprocess

    folder = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    here = os.getcwd()
    print("peak resident memory of a fresh process (output to /dev/null) over an archive of POs:")
    try:
        for count in sizes:
            archive(count, folder)
            row = []
            for command in (["check"], ["status"], ["publish", "--allow-draft", "--out", "editions", "translations/ar"]):
                shutil.rmtree(folder / "editions", ignore_errors=True)
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-c", _MEASURED, *command], cwd=folder,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                seconds = time.perf_counter() - start
                peak = int(done.stderr.strip().splitlines()[-1]) / 1024
                row.append(f"{command[0]} {peak:6.1f} MiB ({seconds:5.1f} s)")
            print(f"  {count:>5} POs: " + ", ".join(row))
    finally:
        os.chdir(here)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pos", type=int, nargs=3, default=(50, 150, 500), help="the three archive sizes")
    options = parser.parse_args()
    segmentation(options.rounds)
    memory(options.pos)


if __name__ == "__main__":
    main()
