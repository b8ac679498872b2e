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
- Retries with backoff (urllib3's ``Retry``) on 429, 5xx, dropped connections
  and timeouts; ``Retry-After`` is honoured.  What still fails is one line.
- Protected items go in as masks (``⦅1⦆``) with ``format=text``, so the model
  sees the whole sentence.  A segment whose draft comes back without each mask
  exactly once is sent again with ``format=html`` and the items as
  ``<x id="1"/>`` tags: LibreTranslate's HTML path never hands a tag to the
  model, so every item comes back (the text between tags is translated in
  pieces, which costs fluency; hence text first).
- The API key goes in the request body only: never into a PO, a report or a
  message (``where`` shows the server without credentials).
"""

from __future__ import annotations

import html
import math
import re
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from urllib.parse import urlsplit, urlunsplit

from localize.arabic import arabic_punctuation
from localize.errors import LocalizeError
from localize.mt import Draft, attach_clitic, bind
from localize.protect import MASK, MASK_TEXT, Protected, protect
from localize.qa import kept

SOURCE, TARGET = "en", "ar"
MOST_PER_REQUEST = 16  # segments per request, unless the server allows fewer
_TAG = re.compile(r'<x id="(\d+)"\s*/?>(?:</x>)?')
_LETTER = re.compile(r"[^\W\d_]")


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

    RETRIES = 5  # per request, on 429, 5xx, dropped connections and timeouts ...
    BACKOFF = 0.5  # ... waiting 0.5, 1, 2, 4, 8 s (or what Retry-After says)

    def __init__(self, url: str, api_key: str | None = None, concurrency: int = 4, timeout: float = 120.0,
                 retries: int | None = None, backoff: float | None = None):
        self.url = check_url(url)
        self.where = server_name(self.url)
        self.api_key, self.concurrency, self.timeout = api_key or None, concurrency, timeout
        self.retries = self.RETRIES if retries is None else retries
        self.backoff = self.BACKOFF if backoff is None else backoff
        self.batch_limit, self.char_limit = MOST_PER_REQUEST, 0  # 0: none (from the server's settings)
        self._local = threading.local()
        self.checked = False
        self.html_again = 0  # segments asked again as HTML (masks lost in format=text), for the bench

    # --- what the pipeline asks of an engine ---------------------------------------------------

    @property
    def label(self) -> str:
        return f"LibreTranslate at {self.where}"

    @property
    def description(self) -> str:
        """What made the drafts, for the PO's ``#.`` comment."""
        return f"machine translation, LibreTranslate at {self.where}, {SOURCE}->{TARGET}"

    def open(self) -> Remote:
        self.check()
        return self

    def check(self) -> None:
        """Before any work: the server answers, translates en->ar, and its limits are known."""
        if self.checked:
            return
        languages = self._call("GET", "/languages", None, patient=False)  # a typo in --url: said at once
        if not isinstance(languages, list):
            raise self._error("GET /languages did not answer a list of languages")
        codes = {item.get("code"): item for item in languages if isinstance(item, dict)}
        targets = codes.get(SOURCE, {}).get("targets")
        if SOURCE not in codes or TARGET not in codes or (isinstance(targets, list) and TARGET not in targets):
            have = ", ".join(sorted(str(code) for code in codes)) or "none"
            raise LocalizeError(self.where, f"the server does not translate {SOURCE}->{TARGET} (its languages: {have})",
                                "load the translate-en_ar model on the server (libretranslate --load-only en,ar)")
        try:
            settings = self._call("GET", "/frontend/settings", None, patient=False)
        except LocalizeError:
            settings = {}  # an older server, or a proxy that serves only the API: default limits
        if isinstance(settings, dict):
            batch, chars = settings.get("batchLimit"), settings.get("charLimit")
            if isinstance(batch, int) and batch > 0:
                self.batch_limit = min(batch, MOST_PER_REQUEST)
            if isinstance(chars, int) and chars > 0:
                self.char_limit = chars
        self.checked = True

    def translate(self, sources: list[str], progress=None, terms=None) -> list[Draft]:
        """Drafts for ``sources``, in order (see the module's docstring); ``progress(done, total)``
        as requests complete."""
        self.check()
        bindings = [bind(text, terms) for text in sources] if terms else [()] * len(sources)
        protected = [protect(text, bound) for text, bound in zip(sources, bindings)]
        todo = [i for i, item in enumerate(protected) if item.translatable]
        texts = {i: _masked(protected[i]) for i in todo}
        answers = self._translate_all(list(dict.fromkeys(texts.values())), "text", progress)
        outputs = {i: answers[texts[i]] for i in todo}
        again = [i for i in todo if protected[i].values and not _each_once(MASK_TEXT, outputs[i],
                                                                             len(protected[i].values))]
        values = {i: protected[i].values for i in todo}
        if again:  # masks lost or doubled: the HTML path keeps them (in pieces of text)
            self.html_again += len(again)
            folded = {i: _fold(protected[i]) for i in again}
            tagged = {i: _tagged(folded[i]) for i in again}
            answers = self._translate_all(list(dict.fromkeys(tagged.values())), "html", None)
            for i in again:
                outputs[i] = _TAG.sub(lambda match: MASK.format(match.group(1)), answers[tagged[i]])
                values[i] = folded[i].values
        drafts = [Draft(text) for text in sources]  # nothing to translate: kept as is
        for i in todo:
            drafts[i] = self._draft(sources[i], texts[i], protected[i], values[i], bindings[i], outputs[i])
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

    def _translate_all(self, texts: list[str], fmt: str, progress) -> dict[str, str]:
        """{text: translation} for ``texts``, in requests of several texts, ``concurrency`` at once.
        A text over the server's character limit gets no translation ("")."""
        results = {text: "" for text in texts if self.char_limit and len(text) > self.char_limit}
        texts = [text for text in texts if text not in results]
        if not texts:
            return results
        size = max(1, min(self.batch_limit, math.ceil(len(texts) / self.concurrency)))
        requests = [texts[start:start + size] for start in range(0, len(texts), size)]
        done = 0
        if progress:
            progress(0, len(texts))
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(requests))) as pool:
            pending = {pool.submit(self._post_translate, chunk, fmt): chunk for chunk in requests}
            try:
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        chunk = pending.pop(future)
                        results.update(zip(chunk, future.result()))
                        done += len(chunk)
                        if progress:
                            progress(done, len(texts))
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
        return results

    def _post_translate(self, texts: list[str], fmt: str) -> list[str]:
        """The translations of ``texts``; a request over the server's batch limit (its
        ``--batch-limit`` is not in its settings) is sent again in smaller ones."""
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
                    for text in self._post_translate(texts[start:start + over.limit], fmt)]
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or not all(isinstance(text, str) for text in translated):
            raise self._error("POST /translate did not answer a list of translations (translatedText)")
        if len(translated) != len(texts):
            raise self._error(f"answered {len(translated)} translations for {len(texts)} texts")
        return translated

    def _session(self, patient: bool = True):
        """This thread's HTTP session: retries with backoff (fewer when not ``patient``)."""
        session = getattr(self._local, f"session_{patient}", None)
        if session is None:
            import requests
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry

            retries = self.retries if patient else min(self.retries, 1)
            retry = Retry(total=retries, connect=retries, read=retries, status=retries,
                          backoff_factor=self.backoff, backoff_max=30, status_forcelist=(429, 500, 502, 503, 504),
                          allowed_methods=None, respect_retry_after_header=True, raise_on_status=False)
            session = requests.Session()
            session.mount("http://", HTTPAdapter(max_retries=retry))
            session.mount("https://", HTTPAdapter(max_retries=retry))
            session.trust_env = True  # HTTP(S)_PROXY / NO_PROXY, as curl
            setattr(self._local, f"session_{patient}", session)
        return session

    def _call(self, method: str, path: str, body, patient: bool = True):
        import requests

        try:
            response = self._session(patient).request(method, self.url + path, json=body, timeout=self.timeout)
        except requests.exceptions.RetryError as error:
            status = getattr(getattr(error.args[0] if error.args else None, "reason", None), "args", [""])
            raise self._error(f"kept failing after {self.retries} retries ({_first(str(status))})",
                              "see the server's log; lower --concurrency if it is overloaded") from None
        except requests.exceptions.Timeout:
            raise LocalizeError(self.where, f"no answer within {self.timeout:g} s (after {self.retries} retries)",
                                "raise --timeout, lower --concurrency, or check the server") from None
        except requests.exceptions.ConnectionError as error:
            raise LocalizeError(self.where, f"cannot reach the LibreTranslate server ({_reason(error)})",
                                "start it, or check --url and the network") from None
        except requests.exceptions.RequestException as error:
            raise self._error(f"the request failed ({_first(str(error))})") from None
        return self._answer(method, path, response)

    def _answer(self, method: str, path: str, response):
        status = response.status_code
        try:
            answer = response.json()
        except ValueError:
            answer = None
        message = _first(str(answer.get("error", ""))) if isinstance(answer, dict) else ""
        if status == 403 or (status == 400 and "api key" in message.lower()):
            raise LocalizeError(self.where, f"the server refused the API key ({status}: {message or 'forbidden'})",
                                "pass the desk's key with --api-key or LOCALIZE_API_KEY")
        if status == 429:
            raise LocalizeError(self.where, f"too many requests, still refused after {self.retries} retries "
                                f"({message or 429})", "lower --concurrency, or ask for a higher limit (or a key)")
        if status == 400 and ("not supported" in message.lower() or "not available" in message.lower()):
            raise LocalizeError(self.where, f"the server does not translate {SOURCE}->{TARGET} ({message})",
                                "load the translate-en_ar model on the server (libretranslate --load-only en,ar)")
        if status == 400 and (limit := re.search(r"exceeds text limit \((\d+)\)", message)):
            raise _OverLimit(int(limit.group(1)), message)
        if status >= 400:
            what = f"{method} {path} failed with HTTP {status}" + (f": {message}" if message else "")
            hint = "see the server's log" if status >= 500 else "check --url: is it a LibreTranslate server?"
            raise LocalizeError(self.where, what, hint)
        if answer is None:
            raise self._error(f"{method} {path} did not answer JSON (is --url a LibreTranslate server?)")
        return answer

    def _error(self, what: str, hint: str = "check --url: is it a LibreTranslate server?") -> LocalizeError:
        return LocalizeError(self.where, what, hint)


class _OverLimit(Exception):
    """A request over the server's batch limit (or a text over its character limit)."""

    def __init__(self, limit: int, message: str):
        super().__init__(message)
        self.limit, self.message = limit, message


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
    for value, run in zip(protected.values, protected.runs[1:]):
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
                  "Temporary failure in name resolution", "Connection reset by peer", "certificate verify failed"):
        if known in text:
            return known
    return _first(text)


def _first(text: str) -> str:
    return (text.strip().splitlines() or [""])[0][:160]
