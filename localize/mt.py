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
from localize.errors import LocalizeError
from localize.models import Model
from localize.protect import Protected, mask_tokens, protect, restore
from localize.qa import kept
from localize.records import Issue

DEVICES = ("auto", "cpu", "cuda")
_CLAUSE_END = re.compile(r"[,;:\u2014\u2013)\]]$")


@dataclass(frozen=True)
class Options:
    """Decoding settings; the defaults are Argos Translate's (beam 4, length penalty 0.2)."""

    beam_size: int = 4
    device: str = "auto"
    threads: int = 0  # 0: CTranslate2 picks (one per core)
    length_penalty: float = 0.2
    max_decoding_length: int = 256  # the cap; each segment's own bound follows its length (below)
    length_ratio: float = 2.0  # a draft may have up to this many tokens per source token ...
    length_margin: int = 10  # ... plus these
    max_source_tokens: int = 200  # longer segments are translated in pieces
    batch_tokens: int = 4096
    compute_type: str = "auto"


@dataclass(frozen=True)
class Draft:
    """A machine translation of one segment and what went wrong with it."""

    text: str
    issues: tuple[Issue, ...] = ()
    pieces: int = 1  # >1: the segment was too long for the model and was cut


_LOADED: dict[tuple, tuple] = {}


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
                                                inter_threads=1, intra_threads=options.threads)
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


class Engine:
    """Translates lists of English segments to Arabic drafts with one model."""

    def __init__(self, model: Model, options: Options = Options()):
        self.model, self.options = model, options
        self.translator, self.processor, self.target_prefix = _load(model, options)
        self.device = _device(options.device)

    @property
    def description(self) -> str:
        """What made the drafts, for the PO's ``#.`` comment."""
        return (f"machine translation, {self.model.label} (Argos Translate model, "
                f"localize {__version__}, beam {self.options.beam_size})")

    def translate(self, sources: list[str], progress=None) -> list[Draft]:
        """Drafts for ``sources``, in order; ``progress(done, total)`` while decoding."""
        protected = [protect(text) for text in sources]
        todo = [i for i, p in enumerate(protected) if p.translatable]
        pieces = self._pieces([protected[i] for i in todo])
        unique = list(dict.fromkeys(tuple(piece) for item in pieces for piece in item))
        outputs = dict(zip(unique, self._decode([list(u) for u in unique], progress)))
        drafts = [Draft(text) for text in sources]  # nothing to translate: kept as is
        for index, item in zip(todo, pieces):
            tokens = [token for piece in item for token in outputs[tuple(piece)]]
            text = restore(tokens, protected[index].values, self.processor.decode_pieces)
            drafts[index] = Draft(text, tuple(kept(sources[index], text)), len(item))
        return drafts

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

    def _decode(self, batch: list[list[str]], progress) -> list[list[str]]:
        """One asynchronous ``translate_batch`` per decoding bound (sequences grouped by length,
        so one long sentence does not set the bound for the short ones), results in order."""
        if not batch:
            return []
        groups: dict[int, list[int]] = {}
        for number, tokens in enumerate(batch):
            groups.setdefault(self.bound(len(tokens)), []).append(number)
        order = [number for numbers in groups.values() for number in numbers]
        try:
            pending = [result for bound, numbers in groups.items()
                       for result in self._submit([batch[n] for n in numbers], bound, progress is not None)]
            results = _wait(pending, progress) if progress is not None else pending
        except (RuntimeError, MemoryError) as error:  # e.g. out of (GPU) memory
            first = (str(error).strip().splitlines() or [type(error).__name__])[0][:160]
            raise LocalizeError(self.model.label, f"translation failed on {self.device}: {first}",
                                "try a smaller --beam, --device cpu, or fewer articles at once") from None
        hypotheses: list = [None] * len(batch)
        for number, result in zip(order, results):
            hypothesis = result.hypotheses[0]
            if self.target_prefix and hypothesis[:1] == [self.target_prefix]:
                hypothesis = hypothesis[1:]
            hypotheses[number] = hypothesis
        return hypotheses

    def _submit(self, sequences: list[list[str]], bound: int, asynchronous: bool):
        options = self.options
        prefix = [[self.target_prefix]] * len(sequences) if self.target_prefix else None
        return self.translator.translate_batch(
            sequences, target_prefix=prefix, max_batch_size=options.batch_tokens, batch_type="tokens",
            asynchronous=asynchronous, beam_size=options.beam_size, length_penalty=options.length_penalty,
            max_input_length=0, max_decoding_length=bound,
            replace_unknowns=True,
        )


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
