"""Start a real LibreTranslate server, offline, on the random-weight package the MT tests build.

LibreTranslate (its PyPI package, pinned in ``libretranslate-constraints.txt``)
lives in its own virtual environment, ``.lt-venv`` (``make lt-venv``): its pins
(Flask 2, numpy < 2) are not ours.  What it needs to start with no network:

- the package unzipped in its packages folder, with a MiniSBD sentence splitter
  in it (``minisbd/en.onnx``; else the first translation downloads one);
- ``ARGOS_PACKAGE_INDEX`` pointing at an empty local index (else it fetches
  Argos' index for the languages it lacks, retrying for a minute);
- its data, config and cache folders (XDG_*, HOME) in a temporary folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lt_bin() -> Path | None:
    """The LibreTranslate environment's bin folder (LOCALIZE_LT_VENV, else .lt-venv), if installed."""
    venv = Path(os.environ.get("LOCALIZE_LT_VENV", ROOT / ".lt-venv"))
    return venv / "bin" if (venv / "bin" / "libretranslate").is_file() else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One LibreTranslate process serving ``package`` (an .argosmodel file) on 127.0.0.1."""

    def __init__(self, package: Path, workdir: Path, *, api_keys: tuple[str, ...] = (), args: tuple[str, ...] = (),
                 env: dict | None = None, launcher: Path | None = None):
        """``launcher``: a script run by LibreTranslate's Python in place of ``libretranslate``
        (the bench's, which bounds decoding as localize does)."""
        from sbdkit import write_minisbd_model

        self.bin = lt_bin()
        if self.bin is None:
            raise RuntimeError("LibreTranslate is not installed: run `make lt-venv`")
        self.workdir, self.port = workdir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        home, packages, index = workdir / "home", workdir / "packages", workdir / "index"
        for folder in (home, packages, index):
            folder.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(package) as archive:
            archive.extractall(packages)
            top = archive.namelist()[0].split("/")[0]
        write_minisbd_model(packages / top / "minisbd" / "en.onnx")
        (index / "index.json").write_text("[]")
        self.env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                    "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
                    "ARGOS_PACKAGES_DIR": str(packages), "ARGOS_PACKAGE_INDEX": index.as_uri() + "/",
                    "ARGOS_DEVICE_TYPE": "cpu", "PYTHONWARNINGS": "ignore", **(env or {})}
        program = [str(self.bin / "python"), str(launcher)] if launcher else [str(self.bin / "libretranslate")]
        command = [*program, "--host", "127.0.0.1", "--port", str(self.port),
                   "--load-only", "en,ar", "--disable-web-ui", "--disable-files-translation", *args]
        if api_keys:
            database = workdir / "api_keys.db"
            add = ("import sys; from libretranslate.api_keys import Database; database = Database(sys.argv[1])\n"
                   "for key in sys.argv[2:]: database.add(1000, key)")  # (ltmanage needs the file to exist)
            subprocess.run([str(self.bin / "python"), "-c", add, str(database), *api_keys], env=self.env,
                           check=True, capture_output=True, cwd=workdir)
            command += ["--api-keys", "--api-keys-db-path", str(database)]
        self.log = open(workdir / "libretranslate.log", "wb")
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"LibreTranslate exited ({self.process.returncode}):\n{self.output()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/languages", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"LibreTranslate did not start within {seconds} s:\n{self.output()[-3000:]}")

    def output(self) -> str:
        self.log.flush()
        return (self.workdir / "libretranslate.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
