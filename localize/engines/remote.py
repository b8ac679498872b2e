"""The LibreTranslate engine: machine drafts from the desk's translation server.

A desk that translates daily runs one LibreTranslate server (a pool of workers,
often with a GPU) for every laptop and night job.  This client speaks its
documented API (``POST /translate``, ``GET /languages``,
``GET /frontend/settings``) and keeps the rest of the pipeline as with the local
engine: the segments come in after the memory, glossary names are bound
(``mt.bind``), numbers, URLs and placeholders are protected, and the drafts get
the same QA.

- One request carries many segments (``q`` as a list), within the server's
  batch and character limits; ``concurrency`` requests are in flight at once, so
  a pool of workers behind a load balancer is used.
- Each request has one deadline, ``timeout``: connecting, every read of the answer and the
  waits between tries all fit in it (a server that trickles its answer is cut off at it).
  Retries with backoff on 429, 5xx and dropped connections; ``Retry-After`` is honoured up to
  ``RETRY_AFTER_MOST`` seconds (a longer one, an hour from a proxy, is cut, and said once on
  stderr).  What still fails is one line.
- Redirects are not followed: the API key is in the body, and a 307/308 would carry it to
  whatever server the answer names.  A 3xx is one line naming its ``Location``.
- Answers are read with limits: at most ``MOST_BYTES`` once decoded (a small gzip body can
  expand to gigabytes), UTF-8, JSON at most ``MOST_DEPTH`` deep, no lone surrogates, and the
  types and counts the API documents; anything else is one line, never a traceback.
- Protected items go in as masks (``⦅1⦆``) with ``format=text``, so the model
  sees the whole sentence.  A segment whose draft comes back without each mask
  exactly once is sent again with ``format=html`` and the items as
  ``<x id="1"/>`` tags: LibreTranslate's HTML path never hands a tag to the
  model, so every item comes back (the text between tags is translated in
  pieces, which costs fluency; hence text first).  Its answers are HTML: our tags become masks
  again, markup the server added is dropped, entities are unescaped, and an answer that is the
  English sent back is no draft.
- The API key goes in the request body only: never into a PO, a report or a
  message (``where`` shows the server without credentials).
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import math
import re
import socket
import threading
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from http import HTTPStatus
from typing import TypeGuard
from urllib.parse import urljoin, urlsplit, urlunsplit

from localize.checks.arabic import arabic_punctuation
from localize.errors import LocalizeError, Stopped
from localize.project import server_list
from localize.engines.local import Draft, attach_clitic, bind
from localize.engines.protect import MASK, MASK_TEXT, Protected, as_written, protect
from localize.checks.qa import kept

SOURCE, TARGET = "en", "ar"
MOST_PER_REQUEST = 16  # segments per request, unless the server allows fewer
RETRIED = frozenset((429, 500, 502, 503, 504))
MOST_BYTES = 64 * 2**20  # an answer, decoded (a real one is kilobytes; the languages list, tens of them)
MOST_DEPTH = 32  # JSON nesting (LibreTranslate's answers are 3 deep)
_CHUNK = 64 * 1024
_LETTER = re.compile(r"[^\W\d_]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# the HTML path's answers: our tags (as sent, or as BeautifulSoup writes them back), tags that
# break a line, and any other markup the server added (patterns linear in the answer's length)
_OUR_TAG = re.compile(r"""<x\s+id\s*=\s*["']?(\d+)["']?\s*/?>(?:</x\s*>)?""", re.IGNORECASE)
_BREAK = re.compile(r"</?(?:p|div|br|hr|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|header|footer|"
                    r"pre|body|html)\b[^<>]*>", re.IGNORECASE)
_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|<[!?][^<>]*>")


def server_name(url: str) -> str:
    """The server as messages and POs show it: scheme, host, port and path, never credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def check_url(url: str | None) -> str:
    """The server's base URL, checked: http(s), a host; one line if not."""
    if not url:
        raise LocalizeError("--url", "the libretranslate engine needs the server's address",
                            "pass --url http://HOST:5000, or set url in localize.toml")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        parts = parts._replace(netloc="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LocalizeError(f"--url {server_name(url) if parts.netloc else url}", "not an http(s) address",
                            "e.g. --url http://localhost:5000")
    return url.rstrip("/")


class Remote:
    """Drafts from a LibreTranslate server, with the interface of ``mt.Engine``."""

    RETRIES = 5  # per request, on 429, 5xx and dropped connections ...
    BACKOFF = 0.5  # ... waiting 0.5, 1, 2, 4, 8 s (or what Retry-After says), within the deadline
    BACKOFF_MOST = 30.0
    RETRY_AFTER_MOST = 10.0  # s: a longer Retry-After is cut to this (and said once)

    def __init__(self, url, api_key: str | None = None, concurrency: int = 4, timeout: float = 120.0,
                 *, retries: int | None = None, backoff: float | None = None, warn=None):
        """``url``: a server, or several (a list, or commas between them): a pool whose requests
        are spread over its servers in turn, a request that fails on one going to the next;
        checked here (none: an error naming --url).  ``timeout``: seconds for each request as
        a whole, its retries included; ``warn(line)``: what the user should hear of (default:
        kept in ``warnings``)."""
        urls = server_list(url)
        self.url = check_url(urls[0] if urls else None)
        self.where = server_name(self.url)
        self.api_key, self.concurrency, self.timeout = api_key or None, concurrency, timeout
        self.retries = self.RETRIES if retries is None else retries
        self.backoff = self.BACKOFF if backoff is None else backoff
        self.warnings: list[str] = []
        self.warn = warn or self.warnings.append
        self.batch_limit, self.char_limit = MOST_PER_REQUEST, 0  # 0: none (from the server's settings)
        self._local = threading.local()
        self._said: set[str] = set()  # what _say_once said
        self._said_lock = threading.Lock()
        self.checked = False
        self.html_again = 0  # segments asked again as HTML (masks lost in format=text), for the bench
        # the pool: this server first, then one client per other server (its own limits and sessions)
        self.members = [self, *(Remote(other, api_key, concurrency, timeout, retries=retries, backoff=backoff,
                                       warn=self.warn) for other in urls[1:])]
        self.down: dict[str, str] = {}  # a pool's servers left out for the rest of the run: where -> why
        self.pool_checked = False
        self._turn = 0

    # --- what the pipeline asks of an engine ---------------------------------------------------

    @property
    def label(self) -> str:
        return f"LibreTranslate at {self.servers}"

    @property
    def servers(self) -> str:
        """The server, or a pool's servers (``A, B``), as messages show them."""
        return ", ".join(member.where for member in self.members)

    @property
    def description(self) -> str:
        """What made the drafts, for the PO's ``#.`` comment."""
        return f"machine translation, LibreTranslate at {self.servers}, {SOURCE}->{TARGET}"

    def open(self) -> Remote:
        self.check()
        return self

    def check(self) -> None:
        """Before any work: the server answers, translates en->ar, and its limits are known.  A
        pool's server that fails this is left out (and said); the pool fails only when all do."""
        if len(self.members) > 1:
            if self.pool_checked:
                return
            failures = []
            for member in self.members:
                try:
                    member._check_one()
                except LocalizeError as error:
                    failures.append(error)
                    self._leave_out(member, error)
            if len(failures) == len(self.members):
                raise failures[0]
            healthy = [member for member in self.members if member.checked]  # the pool's limits: the tightest
            self.batch_limit = min(member.batch_limit for member in healthy)
            self.char_limit = min((member.char_limit for member in healthy if member.char_limit), default=0)
            self.pool_checked = True
            return
        self._check_one()

    def _check_one(self) -> None:
        if self.checked:
            return
        languages = self._call("GET", "/languages", None, patient=False)  # a typo in --url: said at once
        if not isinstance(languages, list) or not all(_is_language(item) for item in languages):
            raise self._error("GET /languages did not answer a list of languages (code, name, targets)")
        codes = {item["code"]: item for item in languages}
        targets = codes.get(SOURCE, {}).get("targets")
        if SOURCE not in codes or TARGET not in codes or (isinstance(targets, list) and TARGET not in targets):
            have = ", ".join(sorted(_first(code)[:20] for code in codes)[:40]) or "none"
            raise LocalizeError(self.where, f"the server does not translate {SOURCE}->{TARGET} (its languages: {have})",
                                "load the translate-en_ar model on the server (libretranslate --load-only en,ar)")
        try:
            settings = self._call("GET", "/frontend/settings", None, patient=False)
        except LocalizeError:
            settings = {}  # an older server, or a proxy that serves only the API: default limits
        if isinstance(settings, dict):
            batch, chars = settings.get("batchLimit"), settings.get("charLimit")
            if _is_count(batch):
                self.batch_limit = min(batch, MOST_PER_REQUEST)
            if _is_count(chars):
                self.char_limit = chars
        self.checked = True

    def translate(self, sources: list[str], progress=None, terms=None) -> list[Draft]:
        """Drafts for ``sources``, in order (see the module's docstring); ``progress(done, total)``
        as requests complete.  When the server stops answering partway, ``Stopped`` carries the
        drafts of the segments whose requests were answered."""
        self.check()
        bindings = [bind(text, terms) for text in sources] if terms else [()] * len(sources)
        protected = [protect(text, bound) for text, bound in zip(sources, bindings, strict=True)]
        todo = [i for i, item in enumerate(protected) if item.translatable]
        texts = {i: _masked(protected[i]) for i in todo}
        plain: dict[str, str] = {}
        tagged: dict[str, str] = {}
        try:
            self._translate_all(list(dict.fromkeys(texts.values())), "text", progress, plain)
            again = [i for i in todo if protected[i].values and not _each_once(MASK_TEXT, plain[texts[i]],
                                                                                 len(protected[i].values))]
            if again:  # masks lost or doubled: the HTML path keeps them (in pieces of text)
                self.html_again += len(again)
                asked = [_tagged(_fold(protected[i])) for i in again]
                self._translate_all(list(dict.fromkeys(asked)), "html", None, tagged)
        except LocalizeError as error:
            raise Stopped(error, self._finished(sources, protected, bindings, texts, plain, tagged)) from None
        done = self._finished(sources, protected, bindings, texts, plain, tagged)
        return [done[i] for i in range(len(sources))]

    def _finished(self, sources, protected, bindings, texts, plain: dict, tagged: dict) -> dict[int, Draft]:
        """{index: draft} of every segment whose answers are in: ``plain`` (format=text) and, for a
        segment whose masks the text path lost, ``tagged`` (format=html)."""
        drafts: dict[int, Draft] = {}
        for i, item in enumerate(protected):
            if not item.translatable:  # no words: as written, names in their approved form
                text, names = as_written(item, bindings[i])
                drafts[i] = Draft(text, bound=names)
                continue
            output = plain.get(texts[i])
            if output is None:
                continue
            sent, values = texts[i], item.values
            if values and not _each_once(MASK_TEXT, output, len(values)):
                folded = _fold(item)
                asked = _tagged(folded)
                if asked not in tagged:
                    continue
                output, sent, values = _from_html(tagged[asked]), _from_html(asked), folded.values
            drafts[i] = self._draft(sources[i], sent, item, values, bindings[i], output)
        return drafts

    def _draft(self, source: str, sent: str, protected: Protected, values, bindings, output: str) -> Draft:
        if " ".join(output.split()) == " ".join(sent.split()):
            output = ""  # LibreTranslate answers an empty translation with the English itself
        text = _restore(output, values)
        bound = [binding for binding in bindings if binding[2] in protected.values and binding[2] in text]
        for binding in bound:
            text = attach_clitic(text, binding[2])
        return Draft(text, tuple(kept(source, text)) if text else (), 1,
                     tuple(dict.fromkeys(b[3] for b in bound)))

    # --- requests --------------------------------------------------------------------------------

    def _translate_all(self, texts: list[str], fmt: str, progress, results: dict | None = None) -> dict[str, str]:
        """{text: translation} for ``texts``, in requests of several texts, ``concurrency`` at once,
        into ``results`` as each request is answered (what was answered stays there if a later
        request fails).  A text over the server's character limit gets no translation ("")."""
        results = {} if results is None else results
        results.update({text: "" for text in texts if self.char_limit and len(text) > self.char_limit})
        texts = [text for text in texts if text not in results]
        if not texts:
            return results
        size = max(1, min(self.batch_limit, math.ceil(len(texts) / self.concurrency)))
        requests = [texts[start:start + size] for start in range(0, len(texts), size)]
        done = 0
        if progress:
            progress(0, len(texts))
        failure: BaseException | None = None
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(requests))) as pool:
            pending = {pool.submit(self._post_translate, chunk, fmt): chunk for chunk in requests}
            try:
                while pending and failure is None:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        chunk = pending.pop(future)
                        try:
                            results.update(zip(chunk, future.result(), strict=True))
                        except Exception as error:  # (the others answered still count)
                            failure = failure or error
                            continue
                        done += len(chunk)
                        if progress:
                            progress(done, len(texts))
            finally:
                for future in pending:
                    future.cancel()  # (those not started); the pool waits for the ones running
        for future, chunk in pending.items():  # answered while the failure was handled: kept
            if future.done() and not future.cancelled() and future.exception() is None:
                results.update(zip(chunk, future.result(), strict=True))
        if failure is not None:
            raise failure
        return results

    def _post_translate(self, texts: list[str], fmt: str) -> list[str]:
        """The translations of ``texts`` from the pool's next server in turn; when it fails (down,
        overloaded, too slow), it is left out for the rest of the run, said once, and the request
        goes to the next one; the error of the last is raised when none is left."""
        if len(self.members) == 1:
            return self._post_one(texts, fmt)
        with self._said_lock:
            start, self._turn = self._turn, self._turn + 1
        last: LocalizeError | None = None
        for step in range(len(self.members)):
            member = self.members[(start + step) % len(self.members)]
            if member.where in self.down:
                continue
            try:
                return member._post_one(texts, fmt)
            except LocalizeError as error:
                last = error
                self._leave_out(member, error)
        raise last or LocalizeError(self.servers, "every server of the pool failed",
                                    "start them, or check --url and the network")

    def _leave_out(self, member: Remote, error: LocalizeError) -> None:
        with self._said_lock:
            if member.where in self.down:
                return
            self.down[member.where] = error.message
            left = [other.where for other in self.members if other.where not in self.down]
        if left:
            self.warn(f"{error.message}; {member.where} is left out for the rest of the run, its requests go to "
                      f"{', '.join(left)}")

    def _post_one(self, texts: list[str], fmt: str) -> list[str]:
        """The translations of ``texts`` from this server; a request over the server's batch limit
        (its ``--batch-limit`` is not in its settings) is sent again in smaller ones."""
        body = {"q": texts, "source": SOURCE, "target": TARGET, "format": fmt}
        if self.api_key:
            body["api_key"] = self.api_key
        try:
            answer = self._call("POST", "/translate", body)
        except _OverLimit as over:
            if len(texts) <= over.limit or over.limit < 1:
                raise LocalizeError(self.where, f"the request was over the server's limits ({over.message})",
                                    "raise the server's --char-limit / --batch-limit") from None
            self.batch_limit = min(self.batch_limit, over.limit)
            return [text for start in range(0, len(texts), over.limit)
                    for text in self._post_one(texts[start:start + over.limit], fmt)]
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or not all(isinstance(text, str) for text in translated):
            raise self._error("POST /translate did not answer a list of translations (translatedText)")
        if len(translated) != len(texts):
            raise self._error(f"answered {len(translated)} translations for {len(texts)} texts")
        return translated

    def _session(self):
        """This thread's HTTP session (no retries, no redirects: ``_call`` does what is needed)."""
        session = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = requests.Session()
            session.mount("http://", _adapter_class()())
            session.mount("https://", _adapter_class()())
            session.headers["Accept-Encoding"] = "gzip, deflate"  # what _Inflate decodes, within limits
            session.trust_env = True  # HTTP(S)_PROXY / NO_PROXY, as curl
            self._local.session = session
        return session

    def _call(self, method: str, path: str, body, patient: bool = True):
        """The answer's JSON (checked by ``_answer``), all tries within one deadline: ``timeout``
        seconds from now.  429, 5xx and dropped connections are tried again (once, when not
        ``patient``) while the wait fits before the deadline."""
        deadline = time.monotonic() + self.timeout
        most = self.retries if patient else min(self.retries, 1)
        tries = 0
        while True:
            try:
                status, headers, payload = self._try(method, path, body, deadline)
            except _Dropped as dropped:
                pause = self._pause(tries, None, deadline) if tries < most else None
                if pause is None:
                    raise LocalizeError(self.where, f"cannot reach the LibreTranslate server ({dropped})",
                                        "start it, or check --url and the network") from None
            else:
                pause = self._pause(tries, headers, deadline) if status in RETRIED and tries < most else None
                if pause is None:
                    return self._answer(method, path, status, headers, payload, tries)
            time.sleep(pause)
            tries += 1

    def _pause(self, tries: int, headers, deadline: float) -> float | None:
        """Seconds to wait before the next try: the backoff, or what Retry-After asks, up to
        RETRY_AFTER_MOST; None when the next try would not start before the deadline."""
        pause = min(self.backoff * 2 ** tries, self.BACKOFF_MOST)
        asked = _retry_after(headers.get("Retry-After")) if headers is not None else None
        if asked is not None:
            pause = min(asked, self.RETRY_AFTER_MOST)
        if time.monotonic() + pause >= deadline:
            return None
        if asked is not None and asked > pause:
            self._say_once("retry-after", f"{self.label} asked to wait {asked:.0f} s before trying again "
                                          f"(Retry-After); waiting {pause:g} s at most")
        return pause

    def _try(self, method: str, path: str, body, deadline: float):
        """One try: (status, headers, the body's bytes), its connection cut at the deadline."""
        import requests

        left = deadline - time.monotonic()
        if left <= 0:
            raise self._late(method, path)
        with _Watch(left) as watch:
            try:
                response = self._session().request(method, self.url + path, json=body, timeout=(left, left),
                                                   stream=True, allow_redirects=False)
            except requests.exceptions.SSLError as error:
                raise LocalizeError(self.where, f"cannot reach the LibreTranslate server ({_reason(error)})",
                                    "check --url (http or https?) and the server's certificate") from None
            except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as error:
                if watch.expired or isinstance(error, requests.exceptions.Timeout):
                    raise self._late(method, path) from None
                raise _Dropped(_reason(error)) from None
            except requests.exceptions.RequestException as error:
                raise self._error(f"the request failed ({_first(str(error))})") from None
            try:
                payload = self._body(method, path, response, deadline, watch)
            except BaseException:
                response.close()
                raise
        response.raw.release_conn()  # read to its end: the connection serves the next request
        return response.status_code, response.headers, payload

    def _body(self, method: str, path: str, response, deadline: float, watch: _Watch) -> bytes:
        """The answer's bytes, decoded (gzip, deflate), at most MOST_BYTES, all read by the deadline."""
        from http.client import HTTPException

        from urllib3.exceptions import HTTPError

        coding = response.headers.get("Content-Encoding", "").strip().lower()
        if coding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise self._error(f"{method} {path} answered in an encoding not asked for "
                              f"(Content-Encoding: {_first(coding)[:40]})")
        inflate = _Inflate(coding) if coding not in ("", "identity") else None
        length = response.headers.get("Content-Length", "").strip()
        if length.isdigit() and int(length) > MOST_BYTES:
            raise self._too_big(method, path)
        read = getattr(response.raw, "read1", None) or response.raw.read
        parts, size = [], 0
        try:
            while data := read(_CHUNK, decode_content=False):
                if time.monotonic() >= deadline:
                    raise self._late(method, path)
                if inflate:
                    data = inflate.feed(data, MOST_BYTES - size)
                size += len(data)
                if size > MOST_BYTES:
                    raise self._too_big(method, path, inflate is not None)
                parts.append(data)
            if inflate:
                inflate.finish()
        except zlib.error as error:
            raise self._error(f"{method} {path} answered a body that does not decode as {coding} "
                              f"({_first(str(error))})") from None
        except (OSError, HTTPException, HTTPError) as error:
            if watch.expired:
                raise self._late(method, path) from None
            raise _Dropped(f"the answer broke off: {_reason(error)}") from None
        if not watch.finish():
            raise self._late(method, path)  # (a body without a length ends where the cut was)
        return b"".join(parts)

    def _answer(self, method: str, path: str, status: int, headers, payload: bytes, tries: int):
        if HTTPStatus.MULTIPLE_CHOICES <= status < HTTPStatus.BAD_REQUEST:  # 3xx
            raise self._redirected(method, path, status, headers.get("Location"))
        answer, odd = _parse(payload)
        message = _first(str(answer.get("error", ""))) if isinstance(answer, dict) else ""
        asked = _retry_after(headers.get("Retry-After"))
        waiting = f"; it asks to wait {asked:.0f} s (Retry-After)" if asked and status in RETRIED else ""
        if status == HTTPStatus.FORBIDDEN or (status == HTTPStatus.BAD_REQUEST and "api key" in message.lower()):
            raise LocalizeError(self.where, f"the server refused the API key ({status}: {message or 'forbidden'})",
                                "pass the desk's key with --api-key or LOCALIZE_API_KEY")
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            again = f", still refused after {tries} retries" if tries else ""
            raise LocalizeError(self.where, f"too many requests{again} ({message or 429}){waiting}",
                                "lower --concurrency, or ask for a higher limit (or a key)")
        if status == HTTPStatus.BAD_REQUEST and ("not supported" in message.lower()
                                                 or "not available" in message.lower()):
            raise LocalizeError(self.where, f"the server does not translate {SOURCE}->{TARGET} ({message})",
                                "load the translate-en_ar model on the server (libretranslate --load-only en,ar)")
        if status == HTTPStatus.BAD_REQUEST and (limit := re.search(r"exceeds text limit \((\d+)\)", message)):
            raise _OverLimit(int(limit.group(1)), message)
        if status >= HTTPStatus.BAD_REQUEST:
            what = f"{method} {path} failed with HTTP {status}" + (f": {message}" if message else "") + waiting
            hint = ("see the server's log" if status >= HTTPStatus.INTERNAL_SERVER_ERROR
                    else "check --url: is it a LibreTranslate server?")
            raise LocalizeError(self.where, what, hint)
        if odd:
            raise self._error(f"{method} {path} {odd}")
        return answer

    def _redirected(self, method: str, path: str, status: int, location: str | None) -> LocalizeError:
        """A redirect, not followed: the API key goes to --url only (a 307 would re-send the body)."""
        if not location:
            return self._error(f"{method} {path} answered a redirect (HTTP {status}) without a Location")
        try:
            target = _first(server_name(urljoin(self.url + path, location.strip())))
        except ValueError:
            target = "an address that is not valid"
        return LocalizeError(self.where, f"{method} {path} answered a redirect (HTTP {status}) to {target}, not "
                             "followed (requests and the API key go only to --url)",
                             "if that is the desk's server, pass it as --url")

    def _late(self, method: str, path: str) -> LocalizeError:
        return LocalizeError(self.where, f"no complete answer to {method} {path} within {self.timeout:g} s",
                             "raise --timeout, lower --concurrency, or check the server")

    def _too_big(self, method: str, path: str, decoded: bool = False) -> LocalizeError:
        return self._error(f"{method} {path} answered more than {MOST_BYTES // 2**20} MiB"
                           + (" once decompressed" if decoded else ""))

    def _error(self, what: str, hint: str = "check --url: is it a LibreTranslate server?") -> LocalizeError:
        return LocalizeError(self.where, what, hint)

    def _say_once(self, key: str, line: str) -> None:
        with self._said_lock:
            if key in self._said:
                return
            self._said.add(key)
        self.warn(line)


class _OverLimit(Exception):
    """A request over the server's batch limit (or a text over its character limit)."""

    def __init__(self, limit: int, message: str):
        super().__init__(message)
        self.limit, self.message = limit, message


class _Dropped(Exception):
    """The connection failed or broke off before a whole answer: worth another try."""


# --- the deadline: a try's connection is cut when it passes ------------------------------------

_in_flight = threading.local()  # this thread's _Watch, for the connection classes below


class _Watch:
    """One try's deadline.  The connection it uses registers itself (``_watched``); at the
    deadline a timer shuts its socket down, so a read blocked on a server that sends a byte a
    second (each read within the socket's timeout) returns at once."""

    def __init__(self, seconds: float):
        self.connection, self.expired, self.done = None, False, False
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.cut)
        self.timer.daemon = True

    def __enter__(self) -> _Watch:
        _in_flight.watch = self
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()
        _in_flight.watch = None
        self.finish()

    def attach(self, connection) -> None:
        with self.lock:
            self.connection = connection
            expired = self.expired
        if expired:
            self.cut()

    def cut(self) -> None:
        with self.lock:
            if self.done:
                return
            self.expired = True
            sockets = [getattr(self.connection, name, None) for name in ("sock", "_watched_socket")]
        for sock in sockets:
            if sock is not None:
                with contextlib.suppress(OSError, TypeError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)  # (an SSL socket's own would drop its state)

    def finish(self) -> bool:
        """The try is over: no cut from now on.  False if the deadline had passed."""
        with self.lock:
            self.done = True
            self.connection = None
            return not self.expired


_WATCHED: dict[type, type] = {}


def _watched(base: type) -> type:
    """``base`` (a urllib3 connection class) telling the thread's _Watch which socket it uses."""
    if getattr(base, "watched_by_deadline", False):
        return base
    if base not in _WATCHED:
        def attach(connection):
            watch = getattr(_in_flight, "watch", None)
            if watch is not None:
                watch.attach(connection)

        class Watched(base):
            watched_by_deadline = True

            def _new_conn(self, *args, **kwargs):
                self._watched_socket = super()._new_conn(*args, **kwargs)  # (before any TLS handshake)
                attach(self)
                return self._watched_socket

            def putrequest(self, *args, **kwargs):
                attach(self)  # (a connection from the pool, used again)
                return super().putrequest(*args, **kwargs)

        Watched.__name__ = Watched.__qualname__ = f"Watched{base.__name__}"
        _WATCHED[base] = Watched
    return _WATCHED[base]


@functools.cache
def _adapter_class() -> type:
    from requests.adapters import HTTPAdapter

    class Adapter(HTTPAdapter):
        """Connections (direct or through a proxy) that a _Watch can cut."""

        def get_connection_with_tls_context(self, *args, **kwargs):
            return _watch_pool(super().get_connection_with_tls_context(*args, **kwargs))

        def get_connection(self, *args, **kwargs):  # (requests before 2.32.2)
            return _watch_pool(super().get_connection(*args, **kwargs))

    return Adapter


def _watch_pool(pool):
    cls = getattr(pool, "ConnectionCls", None)
    if cls is not None and not getattr(cls, "watched_by_deadline", False):
        pool.ConnectionCls = _watched(cls)
    return pool


# --- reading answers ------------------------------------------------------------------------------


class _Inflate:
    """A gzip or deflate body decoded as it comes, never more than asked for: a few kilobytes
    that expand to gigabytes are stopped at the limit."""

    def __init__(self, coding: str):
        self.gzip, self.raw, self.started = coding in ("gzip", "x-gzip"), False, False
        self.decoder = self._new()

    def _new(self):
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.gzip else -zlib.MAX_WBITS if self.raw
                                  else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """``data`` decoded, stopping past ``room`` bytes (more than ``room``: over the limit)."""
        out = bytearray()
        while data and len(out) <= room:
            if self.decoder.eof:
                if not self.gzip:
                    raise zlib.error("data after the end of the compressed stream")
                self.decoder = self._new()  # another gzip member
            try:
                out += self.decoder.decompress(data, room + 1 - len(out))
            except zlib.error:
                if self.gzip or self.started:
                    raise
                self.raw = True  # "deflate" sent without its zlib header, as some servers do
                self.decoder = self._new()
                out += self.decoder.decompress(data, room + 1 - len(out))
            self.started = True
            data = self.decoder.unused_data if self.decoder.eof else self.decoder.unconsumed_tail
        return bytes(out)

    def finish(self) -> None:
        if self.started and not self.decoder.eof:
            raise zlib.error("the compressed answer ends early")


def _parse(payload: bytes):
    """(the JSON value, "") or (None, what is wrong with it, said after the method and path)."""
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "answered a body that is not UTF-8"
    try:
        value = json.loads(text)
    except RecursionError:
        return None, f"answered JSON nested more than {MOST_DEPTH} deep"
    except ValueError:
        return None, "did not answer JSON (is --url a LibreTranslate server?)"
    return value, _odd(value)


def _odd(value) -> str:
    """What no JSON answer of LibreTranslate has: deep nesting, lone surrogates (not text)."""
    todo = [(value, 0)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, (list, dict)):
            if depth >= MOST_DEPTH:
                return f"answered JSON nested more than {MOST_DEPTH} deep"
            if isinstance(item, dict):
                todo += [(key, depth + 1) for key in item]
            todo += [(inner, depth + 1) for inner in (item.values() if isinstance(item, dict) else item)]
        elif isinstance(item, str) and _LONE_SURROGATE.search(item):
            return "answered JSON with a lone surrogate (\\ud800-\\udfff) in a string, which is not text"
    return ""


def _retry_after(value) -> float | None:
    """Retry-After's seconds (a number, or an HTTP date); None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if re.fullmatch(r"\d{1,12}", value):
        return float(value)
    from datetime import datetime, timezone
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _is_language(item) -> bool:
    """One of /languages' entries, as documented: a code, and targets (if any) a list of codes."""
    if not isinstance(item, dict) or not isinstance(item.get("code"), str):
        return False
    targets = item.get("targets")
    return targets is None or (isinstance(targets, list) and all(isinstance(code, str) for code in targets))


def _is_count(value) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


# --- segments in and out ------------------------------------------------------------------------------

def _masked(protected: Protected) -> str:
    """The segment with its protected items as masks ⦅1⦆, ⦅2⦆ ..."""
    parts = [protected.runs[0]]
    for number, run in enumerate(protected.runs[1:], 1):
        parts += [MASK.format(number), run]
    return "".join(parts)


def _fold(protected: Protected) -> Protected:
    """The segment with each run that holds no letter (". ", ", ") made part of the protected
    item before it: LibreTranslate's HTML path translates every piece of text between tags, and
    a model given "." alone writes words."""
    runs, values = [protected.runs[0]], []
    for value, run in zip(protected.values, protected.runs[1:], strict=True):  # (one run more than values)
        if run and not _LETTER.search(run):
            values.append(value + run)
            runs.append("")
        else:
            values.append(value)
            runs.append(run)
    return Protected(tuple(runs), tuple(values))


def _tagged(protected: Protected) -> str:
    """The segment as HTML: text escaped, protected items as ``<x id="1"/>`` tags."""
    parts = [html.escape(protected.runs[0], quote=False)]
    for number, run in enumerate(protected.runs[1:], 1):
        parts += [f'<x id="{number}"/>', html.escape(run, quote=False)]
    return "".join(parts)


def _from_html(answer: str) -> str:
    """An answer of the HTML path as text with masks: our ``<x id>`` tags as masks, markup the
    server added dropped (a tag that breaks a line as a space), entities unescaped."""
    text = _OUR_TAG.sub(lambda match: MASK.format(match.group(1)), answer)
    text = _MARKUP.sub("", _BREAK.sub(" ", text))
    return html.unescape(text)


def _each_once(pattern: re.Pattern, text: str, count: int) -> bool:
    numbers = [int(match.group(1)) for match in pattern.finditer(text)]
    return sorted(numbers) == list(range(1, count + 1))


def _restore(output: str, values: tuple[str, ...]) -> str:
    """The draft: masks replaced by their values (each once), the model's words with Arabic
    punctuation; a mask the model lost stays lost (``qa.kept`` reports it)."""
    parts, used, position = [], set(), 0
    for match in MASK_TEXT.finditer(output):
        parts.append(arabic_punctuation(output[position:match.start()]))
        number = int(match.group(1))
        if 1 <= number <= len(values) and number not in used:
            used.add(number)
            parts.append(values[number - 1])
        position = match.end()
    parts.append(arabic_punctuation(output[position:]))
    return re.sub(r"\s{2,}", " ", "".join(parts)).strip()


def _reason(error) -> str:
    text = str(error)
    for known in ("Connection refused", "Name or service not known", "No route to host",
                  "Temporary failure in name resolution", "Connection reset by peer", "certificate verify failed",
                  "Remote end closed connection without response"):
        if known in text:
            return known
    return _first(text)


def _first(text: str) -> str:
    """The first line of ``text`` (from a server: anything), short, without control characters."""
    line = (text.strip().splitlines() or [""])[0][:160]
    return "".join(char if char.isprintable() else "?" for char in line)
