"""LibreTranslate with localize's per-segment decoding bound, for bench/mt_throughput.py.

Run by LibreTranslate's own Python (.lt-venv), with LibreTranslate's arguments.
Random weights never choose the end token, so every draft runs to its decoding
bound: LibreTranslate's path would decode up to CTranslate2's default of 256
tokens per sentence where localize stops at twice the source plus 10 (in steps
of 16, capped by --max-length), and the bench would measure decoding lengths,
not engines.  This gives LibreTranslate's translator localize's bound per
sentence, as the bench does for Argos' path (``Bounded``); nothing else
changes.  The cap comes from LOCALIZE_BENCH_MAX_LENGTH.
"""

import os
import sys

import argostranslate.translate as argos_translate

CAP = int(os.environ.get("LOCALIZE_BENCH_MAX_LENGTH", "256"))


def bound(source_tokens: int) -> int:  # localize.engines.local.Engine.bound with its default options
    return min(CAP, -(-(int(2.0 * source_tokens) + 10) // 16) * 16)


class Bounded:
    def __init__(self, translator):
        self.translator = translator

    def translate_batch(self, batch, target_prefix=None, **options):
        groups = {}
        for number, tokens in enumerate(batch):
            groups.setdefault(bound(len(tokens)), []).append(number)
        results = [None] * len(batch)
        for limit, numbers in groups.items():
            prefix = [target_prefix[n] for n in numbers] if target_prefix else None
            for number, result in zip(numbers, self.translator.translate_batch(
                    [batch[n] for n in numbers], target_prefix=prefix, max_decoding_length=limit, **options)):
                results[number] = result
        return results


class _Module:  # what argostranslate.translate sees as ``ctranslate2``
    def __getattr__(self, name):
        import ctranslate2

        return getattr(ctranslate2, name)

    @staticmethod
    def Translator(*args, **kwargs):  # noqa: N802
        import ctranslate2

        return Bounded(ctranslate2.Translator(*args, **kwargs))


argos_translate.ctranslate2 = _Module()

if __name__ == "__main__":
    from libretranslate.main import main

    sys.argv[0] = "libretranslate"
    main()
