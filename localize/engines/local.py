"""The machine-translation engine: an Argos package's CTranslate2 model, batched.

``argostranslate.translate`` translates paragraph by paragraph, re-splitting
sentences with stanza and sending CTranslate2 batches of 32 tokens.  Here the
segments are already sentences: every segment of a run is tokenised with the
package's SentencePiece model in one call, identical segments are sent once,
and they go to ``translate_batch`` in a few calls, one per decoding bound (a
draft may be at most about twice its source, so a model that does not stop
costs that, not ``--max-length``); CTranslate2 sorts each by length and
batches by tokens.  The model is loaded once per process.

``ctranslate2`` and ``sentencepiece`` are imported here only, when a
translation actually runs.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from localize import __version__
from localize.checks.arabic import arabic_punctuation
from localize.errors import LocalizeError
from localize.models import Model
from localize.engines.protect import MASK, MASK_TOKEN, Protected, as_written, mask_tokens, protect, restore
from localize.checks.qa import Context, failures, kept
from localize.records import Issue

_CLAUSE_END = re.compile(r"[,;:\u2014\u2013)\]]$")


@dataclass(frozen=True)
class Options:
    """Decoding settings; the defaults are Argos Translate's (beam 4, length penalty 0.2)."""

    beam_size: int = 4
    device: str = "auto"
    threads: int = 0  # 0: one per CPU this process is allotted (``allotted_cpus``)
    length_penalty: float = 0.2
    max_decoding_length: int = 256  # the cap; each segment's own bound follows its length (below)
    length_ratio: float = 2.0  # a draft may have up to this many tokens per source token ...
    length_margin: int = 10  # ... plus these
    max_source_tokens: int = 200  # longer segments are translated in pieces
    batch_tokens: int = 4096
    compute_type: str = "auto"
    retry: bool = True  # translate again the drafts left in English or looping (see Engine.translate)


@dataclass(frozen=True)
class Draft:
    """A machine translation of one segment and what went wrong with it."""

    text: str
    issues: tuple[Issue, ...] = ()
    pieces: int = 1  # >1: the segment was too long for the model and was cut
    bound: tuple[str, ...] = ()  # the glossary names put in as their approved form


def _as_written(protected: Protected, bound) -> Draft:
    text, names = as_written(protected, bound)
    return Draft(text, bound=names)


def bind(text: str, terms) -> list[tuple[int, int, str, str]]:
    """(start, end, approved form, English term) of the glossary names in ``text`` that the
    model should not translate: do-not-translate terms (kept as written) and terms whose
    English is a proper name (capitalised), as written in the glossary (a plural or
    possessive form is left to the model: "the Kurds" is not "Kurd").  Common nouns stay
    with the model: they inflect."""
    bound = []
    for match in terms.find(text):
        term = match.term
        if term.type == "dnt":
            bound.append((match.start, match.end, match.text, term.source))
        elif term.target and not term.common_noun and _words(match.text) == _words(term.source):
            bound.append((match.start, match.end, term.target, term.source))
    return bound


def _words(text: str) -> list[str]:
    return [word.lower() for word in re.findall(r"[^\W_]+", text)]


_PROCLITIC = "وفبكل"  # و ف ب ك ل: written joined to the next word


def attach_clitic(text: str, name: str) -> str:
    """A one-letter proclitic the model wrote apart from a bound Arabic name, joined to it as
    Arabic writes it: "و العراق" -> "والعراق", "ل العراق" -> "للعراق"."""
    if not name[:1] or not "؀" <= name[0] <= "ۿ":
        return text

    def joined(match: re.Match) -> str:
        clitic = match.group(1)
        return clitic + (name[1:] if clitic == "ل" and name.startswith("ال") else name)

    return re.sub(rf"(?<!\S)([{_PROCLITIC}]) {re.escape(name)}", joined, text)


_LOADED: dict[tuple, tuple] = {}
_LATIN_PIECES: dict[str, list] = {}
_LATIN = re.compile("[A-Za-z]")


def allotted_cpus() -> int:
    """The CPUs this process may use, not the node's: a scheduler's allocation
    (``SLURM_CPUS_PER_TASK``), the process's CPU affinity (Slurm's and Kubernetes' cpusets,
    ``taskset``) and a cgroup CPU quota (a container's CPU limit), the smallest of them."""
    import math
    import os

    counts = [os.cpu_count() or 1]
    slurm = os.environ.get("SLURM_CPUS_PER_TASK", "").strip()
    if slurm.isdigit() and int(slurm) > 0:
        counts.append(int(slurm))
    if hasattr(os, "sched_getaffinity"):
        counts.append(len(os.sched_getaffinity(0)))
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as limit:  # cgroup v2: "QUOTA PERIOD" or "max ..."
            quota, period = limit.read().split()[:2]
        if quota != "max":
            counts.append(math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(1, min(counts))


def _load(model: Model, options: Options):
    """The model's CTranslate2 translator and tokenizer, loaded once per process."""
    device = _device(options.device)
    key = (str(model.path), device, options.threads, options.compute_type)
    if key not in _LOADED:
        import ctranslate2
        from argostranslate.package import Package

        package = Package(model.path)
        if not (model.path / "sentencepiece.model").is_file():
            raise LocalizeError(str(model.path), "only SentencePiece packages are supported",
                                "install the current translate-en_ar package")
        try:
            translator = ctranslate2.Translator(str(model.path / "model"), device=device,
                                                compute_type=options.compute_type,
                                                inter_threads=1, intra_threads=options.threads or allotted_cpus())
        except (RuntimeError, ValueError) as error:
            raise LocalizeError(str(model.path), f"cannot load the model on {device}: {error}",
                                "reinstall it with localize models install") from None
        _LOADED[key] = (translator, package.tokenizer.lazy_processor(), package.target_prefix)
    return _LOADED[key]


def _device(requested: str) -> str:
    import ctranslate2

    has_cuda = ctranslate2.get_cuda_device_count() > 0
    if requested == "auto":
        return "cuda" if has_cuda else "cpu"
    if requested == "cuda" and not has_cuda:
        raise LocalizeError("--device cuda", "no CUDA device found", "use --device cpu")
    return requested


@dataclass(frozen=True)
class Local:
    """The installed model with its settings, loaded (``open``) only when there is work."""

    model: Model
    options: Options = Options()

    @property
    def label(self) -> str:
        return self.model.label

    def open(self) -> Engine:
        return Engine(self.model, self.options)


class Engine:
    """Translates lists of English segments to Arabic drafts with one model."""

    def __init__(self, model: Model, options: Options = Options()):
        self.model, self.options = model, options
        self.translator, self.processor, self.target_prefix = _load(model, options)
        self.device = _device(options.device)

    @property
    def label(self) -> str:
        """The model and where it runs, for messages."""
        return f"{self.model.label} on {self.device}"

    @property
    def description(self) -> str:
        """What made the drafts, for the PO's ``#.`` comment."""
        return (f"machine translation, {self.model.label} (Argos Translate model, "
                f"localize {__version__}, beam {self.options.beam_size})")

    def translate(self, sources: list[str], progress=None, terms=None) -> list[Draft]:
        """Drafts for ``sources``, in order; ``progress(done, total)`` while decoding.

        With ``terms`` (a glossary's ``TermIndex``), the names and do-not-translate
        terms found in the English go through the model as protected items and come
        back as their approved form (``bind``); a mask the model drops is placed by
        its attention (``place_masks``).  The model's words take Arabic
        punctuation.  A draft left mostly in Latin script or repeating itself is
        translated again, kept from Latin pieces and repeats; one that still fails
        keeps its ``english-draft`` or ``repeated-words`` issue for the reviewer."""
        bindings = [bind(text, terms) for text in sources] if terms else [()] * len(sources)
        protected = [protect(text, bound) for text, bound in zip(sources, bindings, strict=True)]
        todo = [i for i, p in enumerate(protected) if p.translatable]
        pieces = dict(zip(todo, self._pieces([protected[i] for i in todo]), strict=True))
        unique = list(dict.fromkeys(tuple(piece) for item in pieces.values() for piece in item))
        outputs = dict(zip(unique, self._decode([list(u) for u in unique], progress), strict=True))
        drafts = {index: _as_written(item, bound)  # no words: names as approved
                  for index, (item, bound) in enumerate(zip(protected, bindings, strict=True))
                  if not item.translatable}
        context = Context(terms.latin_allowed() if terms else frozenset())
        again = []
        for index in todo:
            drafts[index] = self._draft(sources[index], protected[index], bindings[index], pieces[index], outputs)
            if self.options.retry and failures(sources[index], drafts[index].text, context):
                again.append(index)
        if again:  # left in English or looping: once more, kept from Latin pieces (CTranslate2's
            # suppress_sequences) and from repeats
            sequences = list(dict.fromkeys(tuple(piece) for index in again for piece in pieces[index]))
            retried = dict(zip(sequences, self._decode([list(u) for u in sequences], None, retry=True),
                               strict=True))
            for index in again:  # what still fails keeps its english-draft / repeated-words issue
                drafts[index] = self._draft(sources[index], protected[index], bindings[index], pieces[index],
                                            retried)
        return [drafts[index] for index in range(len(sources))]

    def _draft(self, source: str, protected: Protected, bindings, pieces, outputs) -> Draft:
        tokens = [token for piece in pieces for token in outputs[tuple(piece)]]
        text = restore(tokens, protected.values, self._decode_words)
        bound = [binding for binding in bindings if binding[2] in protected.values and binding[2] in text]
        for binding in bound:
            text = attach_clitic(text, binding[2])
        return Draft(text, tuple(kept(source, text)), len(pieces), tuple(dict.fromkeys(b[3] for b in bound)))

    def _decode_words(self, pieces: list[str]) -> str:
        """The model's own words (never a protected item), with Arabic punctuation."""
        return arabic_punctuation(self.processor.decode_pieces(pieces))

    def _pieces(self, protected: list[Protected]) -> list[list[list[str]]]:
        """Each segment's token sequence, cut in pieces if longer than the model takes."""
        runs = [run for item in protected for run in item.runs]
        encoded = iter(self.processor.encode(runs, out_type=str) if runs else [])
        sequences = []
        for item in protected:
            run_tokens = [next(encoded) for _ in item.runs]
            tokens = mask_tokens(item, run_tokens, self._glued)
            sequences.append(_cut(tokens, self.options.max_source_tokens))
        return sequences

    def _glued(self, piece: str) -> str:
        """The piece without its word-start mark, if the vocabulary has it so."""
        if piece == "\u2581":
            return ""
        bare = piece[1:] if piece.startswith("\u2581") else piece
        return bare if self.processor.piece_to_id(bare) != self.processor.unk_id() else piece

    def bound(self, source_tokens: int) -> int:
        """The most tokens a draft of this many source tokens may have: a multiple of the source
        plus a margin, rounded up to a step of 16 (so segments share a few bounds), capped.  A
        model that does not stop (a known failure of small models) costs that, not the cap."""
        options = self.options
        wanted = int(options.length_ratio * source_tokens) + options.length_margin
        return min(options.max_decoding_length, -(-wanted // 16) * 16)

    def _decode(self, batch: list[list[str]], progress, retry: bool = False) -> list[list[str]]:
        """One asynchronous ``translate_batch`` per decoding bound (sequences grouped by length,
        so one long sentence does not set the bound for the short ones) and per need of the
        model's attention (sequences with masks, to place those it drops), results in order."""
        if not batch:
            return []
        groups: dict[tuple[int, bool], list[int]] = {}  # by bound, and by whether masks need placing
        for number, tokens in enumerate(batch):
            masked = any(MASK_TOKEN.fullmatch(token) for token in tokens)
            groups.setdefault((self.bound(len(tokens)), masked), []).append(number)
        order = [number for numbers in groups.values() for number in numbers]
        try:
            pending = [result for (bound, masked), numbers in groups.items()
                       for result in self._submit([batch[n] for n in numbers], bound, progress is not None,
                                                  retry, masked)]
            results = _wait(pending, progress) if progress is not None else pending
        except (RuntimeError, MemoryError) as error:  # e.g. out of (GPU) memory
            first = (str(error).strip().splitlines() or [type(error).__name__])[0][:160]
            raise LocalizeError(self.model.label, f"translation failed on {self.device}: {first}",
                                "try a smaller --beam, --device cpu, or fewer articles at once") from None
        hypotheses: list = [None] * len(batch)
        for number, result in zip(order, results, strict=True):
            hypothesis, attention = result.hypotheses[0], (result.attention or [[]])[0]
            if self.target_prefix and hypothesis[:1] == [self.target_prefix]:
                hypothesis, attention = hypothesis[1:], attention[1:]
            hypotheses[number] = place_masks(batch[number], hypothesis, attention)
        return hypotheses

    def _submit(self, sequences: list[list[str]], bound: int, asynchronous: bool, retry: bool = False,
                attention: bool = True):
        options = self.options
        prefix = [[self.target_prefix]] * len(sequences) if self.target_prefix else None
        steer = {"suppress_sequences": self._latin_pieces(), "disable_unk": True,  # (an unknown token
                 "repetition_penalty": 1.2, "no_repeat_ngram_size": 4} if retry else {}  # copies English)
        return self.translator.translate_batch(  # a retry is greedy: a rescue, at a third of the cost
            sequences, target_prefix=prefix, max_batch_size=options.batch_tokens, batch_type="tokens",
            asynchronous=asynchronous, beam_size=1 if retry else options.beam_size,
            length_penalty=options.length_penalty,
            max_input_length=0, max_decoding_length=bound,
            replace_unknowns=True, return_attention=attention, **steer,  # attention: to place masks
        )

    def _latin_pieces(self) -> list[list[str]]:
        """Every piece of the vocabulary with a Latin letter, as one-piece sequences to suppress
        (built once per model); never a control piece (</s> ends a draft) nor the target prefix.
        A retry also disables the unknown token (``replace_unknowns`` would copy an English
        piece for it): its masks are placed by attention."""
        key = str(self.model.path)
        if key not in _LATIN_PIECES:
            processor = self.processor
            _LATIN_PIECES[key] = [[piece] for number in range(processor.get_piece_size())
                                  if not (processor.is_control(number) or processor.is_unknown(number))
                                  and (piece := processor.id_to_piece(number)) != self.target_prefix
                                  and _LATIN.search(piece)]
        return _LATIN_PIECES[key]


def place_masks(source: list[str], hypothesis: list[str], attention) -> list[str]:
    """The hypothesis with every mask of the source in it: one the model dropped goes where
    the model's attention to it was strongest, in place of the tokens it wrote for it (those
    that attend to the mask most) or, if none did, before the token that attended to it most.
    (``replace_unknowns`` copies a mask only where the model wrote an unknown token.)"""
    written = {match.group(2) for token in hypothesis if (match := MASK_TOKEN.fullmatch(token))}
    dropped = [(index, match.group(2)) for index, token in enumerate(source)
               if (match := MASK_TOKEN.fullmatch(token)) and match.group(2) not in written]
    if not dropped or not hypothesis or len(attention) != len(hypothesis):
        return hypothesis
    strongest = [max(range(len(row)), key=row.__getitem__) if row else -1 for row in attention]
    replaced: dict[int, str] = {}  # target position: the mask that takes its place
    before: dict[int, list[str]] = {}  # target position: masks that go before it
    for index, number in dropped:
        mask = "\u2581" + MASK.format(number)
        aligned = [position for position, source_index in enumerate(strongest) if source_index == index
                   and position not in replaced]
        if aligned:  # the run of tokens written for it, to the end of the word
            run = [aligned[0]]
            while run[-1] + 1 < len(hypothesis) and run[-1] + 1 not in replaced and \
                    (run[-1] + 1 in aligned or _continues(hypothesis[run[-1] + 1])):
                run.append(run[-1] + 1)
            replaced[run[0]] = mask
            replaced.update((position, "") for position in run[1:])
        else:  # before the word of the token that attended to it most
            position = max(range(len(attention)), key=lambda t: attention[t][index] if index < len(attention[t]) else 0)
            while position > 0 and _continues(hypothesis[position]):
                position -= 1
            before.setdefault(position, []).append(mask)
    placed = []
    for position, token in enumerate(hypothesis):
        placed += before.get(position, [])
        if position in replaced:
            placed += [replaced[position]] if replaced[position] else []
        else:
            placed.append(token)
    return placed


def _continues(token: str) -> bool:
    """A piece that continues the word before it (no word-start mark, not a mask)."""
    return not token.startswith("\u2581") and not MASK_TOKEN.fullmatch(token)


def _wait(pending, progress):
    """Results of an asynchronous batch, reporting progress as they complete."""
    total, reported = len(pending), -1
    while True:
        done = sum(1 for result in pending if result.done())
        if done != reported:
            progress(done, total)
            reported = done
        if done == total:
            return [result.result() for result in pending]
        time.sleep(0.05)


def _cut(tokens: list[str], limit: int) -> list[list[str]]:
    """Split a token sequence longer than ``limit`` at clause ends, else at word starts."""
    pieces = []
    while len(tokens) > limit:
        window = tokens[:limit]
        cut = next((i + 1 for i in range(limit - 1, limit // 3, -1) if _CLAUSE_END.search(window[i])), 0)
        if not cut:
            cut = next((i for i in range(limit - 1, limit // 3, -1) if window[i].startswith("\u2581")), limit)
        pieces.append(tokens[:cut])
        tokens = tokens[cut:]
    pieces.append(tokens)
    return pieces
