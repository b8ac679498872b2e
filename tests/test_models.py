import http.server
import json
import socket
import threading
import time
import zipfile

import pytest

from localize import models
from modelkit import rezip

NO_MODEL = ("Error: no English->Arabic model installed (run: localize models install, "
            "or localize models install FILE)\n")


def test_install_from_file_then_list_and_remove(run, project, argos_package, packages_dir):
    result = run("models", "install", "--file", argos_package)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"installed translate-en_ar 1.0 (en->ar) in {packages_dir / 'translate-en_ar-1_0'}\n"
    assert (packages_dir / "translate-en_ar-1_0" / "model" / "model.bin").is_file()
    assert [p.name for p in packages_dir.iterdir()] == ["translate-en_ar-1_0"]  # nothing left behind

    listed = run("models", "list")
    assert listed.stdout == (f"translate-en_ar-1_0  en->ar  1.0  {packages_dir / 'translate-en_ar-1_0'}"
                             "  (used for en->ar)\n")
    as_json = json.loads(run("models", "list", "--json").stdout)
    assert as_json[0]["from"] == "en" and as_json[0]["to"] == "ar" and as_json[0]["active"]

    removed = run("models", "remove")
    assert removed.exit_code == 0 and removed.stdout.startswith("removed translate-en_ar 1.0")
    assert not any(packages_dir.iterdir())
    assert run("models", "list").stdout.startswith("no models installed in ")
    again = run("models", "remove")
    assert (again.exit_code, again.stderr) == (2, NO_MODEL)


def test_a_model_installed_here_is_one_argostranslate_sees(model, packages_dir):
    from argostranslate.package import get_installed_packages

    [package] = get_installed_packages(path=[packages_dir])
    assert (package.from_code, package.to_code, package.package_version) == ("en", "ar", "1.0")


def test_a_model_installed_by_argospm_is_used(argos_package, packages_dir):
    with zipfile.ZipFile(argos_package) as archive:  # what argostranslate's install_from_path does
        archive.extractall(packages_dir)
    assert models.find().path == packages_dir / "translate-en_ar-1_0"


def test_the_newest_version_is_used_and_remove_takes_a_name(run, project, argos_package, packages_dir, tmp_path):
    run("models", "install", "--file", argos_package)
    newer = rezip(argos_package, tmp_path / "newer.argosmodel", drop=("metadata.json",), extra={
        "translate-en_ar-1_0/metadata.json": json.dumps({"from_code": "en", "to_code": "ar",
                                                         "package_version": "1.10", "code": "translate-en_ar"})})
    # same folder name: the install replaces the older copy
    assert run("models", "install", "--file", newer).exit_code == 0
    assert models.find().version == "1.10"
    assert run("models", "remove", "nothing-like-it").stderr == (
        "Error: nothing-like-it: no such model installed (see: localize models list)\n")
    assert run("models", "remove", "translate-en_ar-1_0").exit_code == 0


def _bad_packages(good, folder):
    top = "translate-en_ar-1_0/"
    (folder / "a.argosmodel").write_bytes(b"PK?not a zip")
    return {
        "not-a-zip": (folder / "a.argosmodel", "not an Argos model package: not a zip archive"),
        "no-metadata": (rezip(good, folder / "b.argosmodel", drop=("metadata.json",)),
                        "not an Argos model package: no metadata.json"),
        "wrong-pair": (rezip(good, folder / "c.argosmodel", drop=("metadata.json",),
                             extra={top + "metadata.json": json.dumps({"from_code": "fr", "to_code": "es"})}),
                       "a fr->es package, not English->Arabic"),
        "bad-json": (rezip(good, folder / "d.argosmodel", drop=("metadata.json",),
                           extra={top + "metadata.json": "{nope"}), "metadata.json is not valid JSON"),
        "no-model": (rezip(good, folder / "e.argosmodel", drop=("model.bin",)),
                     "not an Argos model package: no model/model.bin"),
        "no-tokenizer": (rezip(good, folder / "f.argosmodel", drop=("sentencepiece.model",)),
                         "the package has no tokenizer"),
        "escaping": (rezip(good, folder / "g.argosmodel", extra={top + "../../evil.txt": "x"}),
                     "unsafe member path 'translate-en_ar-1_0/../../evil.txt'"),
        "absolute": (rezip(good, folder / "h.argosmodel", extra={"/tmp/evil.txt": "x"}),
                     "unsafe member path '/tmp/evil.txt'"),
        "two-folders": (rezip(good, folder / "i.argosmodel", extra={"other/readme": "x"}),
                        "not an Argos model package: expected one top-level folder"),
        "broken-model": (rezip(good, folder / "j.argosmodel", drop=("model.bin",),
                               extra={top + "model/model.bin": b"\x00" * 64}), "the model does not load"),
    }


@pytest.mark.parametrize("case", ["not-a-zip", "no-metadata", "wrong-pair", "bad-json", "no-model",
                                  "no-tokenizer", "escaping", "absolute", "two-folders", "broken-model"])
def test_a_bad_package_is_refused_and_the_installed_model_stays(run, project, model, argos_package,
                                                                packages_dir, tmp_path, case):
    before = sorted(p.relative_to(packages_dir) for p in packages_dir.rglob("*"))
    path, message = _bad_packages(argos_package, tmp_path)[case]
    result = run("models", "install", "--file", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(p.relative_to(packages_dir) for p in packages_dir.rglob("*")) == before
    assert not (tmp_path.parent / "evil.txt").exists() and not (packages_dir.parent / "evil.txt").exists()
    assert models.find().path == model.path  # the previous model is intact and still used


def test_a_symlink_member_is_refused(run, project, argos_package, tmp_path, packages_dir):
    link = zipfile.ZipInfo("translate-en_ar-1_0/link")
    link.external_attr = (0o120777 << 16)
    path = tmp_path / "link.argosmodel"
    rezip(argos_package, path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    result = run("models", "install", "--file", path)
    assert result.exit_code == 2 and "unsafe member path 'translate-en_ar-1_0/link'" in result.stderr
    assert not any(packages_dir.iterdir())


def test_install_file_that_does_not_exist(run, project):
    result = run("models", "install", "--file", "nowhere.argosmodel")
    assert (result.exit_code, result.stderr) == (
        2, "Error: nowhere.argosmodel: no such file (give the path of a .argosmodel package file)\n")


class _Index(http.server.BaseHTTPRequestHandler):
    files: dict = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def index_server(monkeypatch):
    """A package index on a local port: /index.json and the packages it links to."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base + "/")
    _Index.files = {}
    yield base, _Index.files
    server.shutdown()


def _index(base, *entries):
    return json.dumps([{"from_code": f, "to_code": t, "package_version": v, "code": f"translate-{f}_{t}",
                        "links": [f"{base}/{name}"]} for f, t, v, name in entries]).encode()


def test_install_downloads_the_newest_english_arabic_package_from_the_index(run, project, index_server,
                                                                           argos_package, packages_dir):
    base, files = index_server
    files["/index.json"] = _index(base, ("en", "ar", "0.9", "old.argosmodel"), ("en", "ar", "1.0", "new.argosmodel"),
                                  ("en", "fr", "2.0", "fr.argosmodel"))
    files["/new.argosmodel"] = argos_package.read_bytes()
    result = run("models", "install")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("installed translate-en_ar 1.0 (en->ar)")
    assert [p.name for p in packages_dir.iterdir()] == ["translate-en_ar-1_0"]  # download removed
    assert run("models", "install", "--if-missing").stdout.startswith("translate-en_ar 1.0 is installed")


def test_install_errors_from_the_index_are_one_line(run, project, index_server, packages_dir):
    base, files = index_server
    files["/index.json"] = _index(base, ("en", "fr", "1.0", "fr.argosmodel"))
    result = run("models", "install")
    assert (result.exit_code, result.stderr) == (2, (
        f"Error: {base}/index.json: the package index lists no English->Arabic package "
        "(install a downloaded package with: localize models install FILE)\n"))
    files["/index.json"] = _index(base, ("en", "ar", "1.0", "gone.argosmodel"))
    result = run("models", "install")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {base}/gone.argosmodel: cannot download the package: HTTP 404 (")
    assert not any(packages_dir.iterdir())


def test_an_unreachable_index_fails_fast_with_one_line(run, project, monkeypatch):
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{port}/")
    result = run("models", "install")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: http://127.0.0.1:{port}/index.json: cannot reach the Argos package index")
    assert result.stderr.endswith("(check the network, or install a downloaded package with: "
                                  "localize models install FILE)\n")


def test_a_silent_index_times_out_instead_of_hanging(run, project, monkeypatch):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{silent.getsockname()[1]}/")
        started = time.monotonic()
        result = run("models", "install", "--timeout", "0.5")
    assert result.exit_code == 2 and "timed out" in result.stderr
    assert time.monotonic() - started < 10


def test_an_oversized_download_is_stopped(run, project, index_server, argos_package, packages_dir, monkeypatch):
    base, files = index_server
    files["/index.json"] = _index(base, ("en", "ar", "1.0", "big.argosmodel"))
    files["/big.argosmodel"] = argos_package.read_bytes()
    monkeypatch.setattr(models, "MAX_PACKAGE_BYTES", 1 << 10)  # the package is ~1 MB
    result = run("models", "install")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {base}/big.argosmodel: download larger than ")
    assert not any(packages_dir.iterdir())
