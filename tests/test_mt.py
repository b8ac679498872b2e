"""The engine on a genuine (random-weight) translate-en_ar package: real
loading, SentencePiece tokenisation, CTranslate2 batching and decoding."""

import re

import pytest

from localize.errors import LocalizeError
from localize.engines.local import Engine, Options, _cut

ARABIC = re.compile("[\u0600-\u06ff]")
SHORT = Options(max_decoding_length=24)


class Recorder:
    """Wraps the CTranslate2 translator and records what it was asked."""

    def __init__(self, translator):
        self.translator, self.calls = translator, []

    def translate_batch(self, batch, **options):
        self.calls.append((batch, options))
        return self.translator.translate_batch(batch, **options)


@pytest.fixture
def engine(model):
    engine = Engine(model, SHORT)
    engine.translator = Recorder(engine.translator)
    return engine


def test_all_segments_go_to_one_batch_call_and_each_gets_a_draft(engine):
    sources = ["Iran blasts calls for disbanding IMIS.", "The militias answered.",
               "Tehran said nothing.", "Iran blasts calls for disbanding IMIS."]
    drafts = engine.translate(sources)
    assert len(drafts) == 4 and all(draft.text for draft in drafts)
    assert any(ARABIC.search(draft.text) for draft in drafts)  # decoded from the model's vocabulary
    (batch, options), *retries = engine.translator.calls  # (then drafts left in Latin script, again)
    assert "suppress_sequences" not in options
    assert options["return_attention"] is False  # no mask to place: no attention asked for
    assert all(sequence in batch for retry, _ in retries for sequence in retry)
    assert len(batch) == 3  # the repeated segment is translated once...
    assert drafts[3] == drafts[0]  # ...and both get the draft
    assert options["batch_type"] == "tokens" and options["beam_size"] == 4
    assert options["max_input_length"] == 0  # never truncated by CTranslate2: cut by us (below)
    assert batch[0][:3] == ["\u2581Iran", "\u2581blast", "s"]  # the package's SentencePiece pieces


def test_protected_items_reach_the_model_as_masks(engine):
    engine.translate(["The <1>ministry</1> said 40 people wrote to info@gov.iq."])
    (batch, options), *_ = engine.translator.calls
    assert options["return_attention"] is True  # to place a mask the model drops
    masks = [token for token in batch[0] if "\u2985" in token]
    assert masks == ["\u2581\u29851\u2986", "\u29852\u2986", "\u2581\u29853\u2986", "\u2581\u29854\u2986"]
    assert not any(token in ("40", "\u258140", "info") for token in batch[0])


def test_lost_protected_items_are_reported_not_hidden(engine):
    [draft] = engine.translate(["On 12 May 2017 the <1>ministry</1> spoke."])
    lost = {issue.term for issue in draft.issues}
    for value in ("12", "2017", "<1>", "</1>"):
        assert (value in draft.text) != (value in lost)  # each is in the draft, or reported


def test_a_segment_with_nothing_to_translate_is_kept_without_the_model(engine):
    assert engine.translate(["2017", "https://example.com"])[1].text == "https://example.com"
    assert engine.translator.calls == []


def test_a_segment_too_long_for_the_model_is_translated_in_pieces(model):
    engine = Engine(model, Options(max_decoding_length=8, max_source_tokens=40))
    engine.translator = Recorder(engine.translator)
    words = "Iran Iraq Syria militias envoys Tehran Baghdad calls ministry government forces".split()
    long = ", ".join(f"the {a} of {b} met the {c}" for a in words for b in words[:2] for c in words[:1]) + "."
    [draft] = engine.translate([long])
    (batch, _), *_ = engine.translator.calls
    assert draft.pieces == len(batch) > 2
    assert all(len(piece) <= 40 for piece in batch)
    assert sum(len(piece) for piece in batch) == len(engine.processor.encode(long))
    assert draft.text


def test_cut_prefers_clause_ends_then_word_starts():
    tokens = ["\u2581a", "\u2581b", ",", "\u2581c", "\u2581d", "\u2581e", "x", "\u2581f"]
    assert _cut(tokens, 5) == [["\u2581a", "\u2581b", ","], ["\u2581c", "\u2581d", "\u2581e", "x", "\u2581f"]]
    assert _cut(["\u2581w" + "x" * 0] + ["y"] * 5, 3) == [["\u2581w", "y", "y"], ["y", "y", "y"]]


def test_the_model_is_loaded_once_per_process(model):
    assert Engine(model, SHORT).translator is Engine(model, SHORT).translator


def test_cuda_without_a_gpu_is_a_clear_error(model):
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        pytest.skip("this machine has a GPU")
    with pytest.raises(LocalizeError, match="no CUDA device found"):
        Engine(model, Options(device="cuda"))
    assert Engine(model, Options(device="auto")).device == "cpu"


def test_progress_is_reported_while_decoding_and_changes_nothing(model):
    sources = ["Iran blasts calls for disbanding IMIS.", "The militias answered.", "Tehran said nothing."]
    seen = []
    with_progress = Engine(model, SHORT).translate(sources, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3) and all(total == 3 for _, total in seen)
    assert with_progress == Engine(model, SHORT).translate(sources)


def test_a_model_failure_is_a_one_line_error(engine):
    class Failing:
        def translate_batch(self, batch, **options):
            raise RuntimeError("CUDA failed with error out of memory\nmore detail")

    engine.translator = Failing()
    with pytest.raises(LocalizeError) as raised:
        engine.translate(["Iran blasts calls for disbanding IMIS."])
    assert raised.value.message == (
        "translate-en_ar 1.0: translation failed on cpu: CUDA failed with error out of memory "
        "(try a smaller --beam, --device cpu, or fewer articles at once)")


def test_decoding_is_bounded_by_each_segments_length_and_drafts_within_it_are_unchanged(model):
    """A model that does not stop (this random one) runs to the bound of each segment, about
    twice its length, not to --max-length; greedy drafts are the same up to that bound."""
    capped = Engine(model, Options(beam_size=1, max_decoding_length=256, length_ratio=1000))
    bounded = Engine(model, Options(beam_size=1, max_decoding_length=256))
    bounded.translator = Recorder(bounded.translator)
    short = bounded.processor.encode("Tehran said nothing.", out_type=str)
    long = bounded.processor.encode("The militias answered the calls of the government in Baghdad, " * 4,
                                    out_type=str)
    hypotheses = bounded._decode([short, long], None)
    limits = sorted(options["max_decoding_length"] for _, options in bounded.translator.calls)
    assert limits == sorted({bounded.bound(len(short)), bounded.bound(len(long))})
    assert bounded.bound(len(short)) < bounded.bound(len(long)) < 256  # one long one does not set it for all
    for tokens, hypothesis in zip((short, long), hypotheses):
        [unbounded] = capped._decode([tokens], None)
        assert len(hypothesis) <= bounded.bound(len(tokens))
        assert hypothesis == unbounded[:len(hypothesis)]
    assert bounded.bound(1000) == 256  # --max-length still caps it


def test_glossary_names_go_through_the_model_as_masks_and_come_back_approved(engine):
    from localize.checks.glossary import Term, TermIndex

    terms = TermIndex([Term("Iraq", "العراق"), Term("Reuters", "Reuters", "dnt"), Term("militia", "ميليشيا"),
                       Term("Kurd", "كردي")])
    [draft] = engine.translate(["Officials in Iraq told Reuters the militia and the Kurds left Iraq."], terms=terms)
    (batch, _), *_ = engine.translator.calls
    masks = [token for token in batch[0] if "\u2985" in token]
    assert len(masks) == 3  # Iraq, Reuters, Iraq: names and do-not-translate terms
    seen = engine.processor.decode_pieces([token for token in batch[0] if "\u2985" not in token])
    assert "Iraq" not in seen and "Reuters" not in seen
    assert "militia" in seen and "Kurds" in seen  # common nouns and plurals stay with the model: they inflect
    assert draft.bound == ("Iraq", "Reuters")  # the random model drops masks: they are placed by attention
    assert draft.text.count("العراق") == 2 and "Reuters" in draft.text
    assert "milit" not in draft.text.lower()


def test_a_draft_left_in_latin_script_is_translated_again_without_latin_pieces(model):
    from localize.engines.protect import PROTECTED, protect
    from localize.checks.qa import Context, failures

    engine = Engine(model, SHORT)
    engine.translator = Recorder(engine.translator)
    sources = ["The talks in Vienna resumed on Sunday after a pause of two months.",
               "Officials said 40 people were hurt at https://example.com/news today."]
    drafts = engine.translate(sources)
    retries = [(batch, options) for batch, options in engine.translator.calls if "suppress_sequences" in options]
    failed = [source for source, draft in zip(sources, drafts) if failures(source, draft.text, Context())]
    assert retries, "the random-weight model writes Latin pieces: some draft is retried"
    for batch, options in retries:
        assert options["suppress_sequences"] and options["no_repeat_ngram_size"] == 4 and options["beam_size"] == 1
        assert all(re.search("[A-Za-z]", piece) for [piece] in options["suppress_sequences"])
        assert not {"</s>", "<s>"} & {piece for [piece] in options["suppress_sequences"]}  # a draft must end
        assert options["disable_unk"]  # an unknown token would be replaced by an English piece
    retried = {tuple(sequence) for batch, _ in retries for sequence in batch}
    for source, draft in zip(sources, drafts):
        [pieces] = engine._pieces([protect(source)])
        if tuple(pieces[0]) in retried:  # a retried draft holds no Latin letter outside protected items
            assert not re.search("[A-Za-z]", PROTECTED.sub(" ", draft.text)), draft.text
    assert not failed  # and is no longer left in English


def test_a_mask_the_model_dropped_goes_where_its_attention_was():
    from localize.engines.local import place_masks

    source = ["\u2581Officials", "\u2581in", "\u2581\u29851\u2986", "\u2581said", "\u2581\u29852\u2986"]
    hypothesis = ["\u2581قال", "\u2581مسؤولون", "\u2581في", "\u2581عر", "اق"]

    def attending(*strongest):  # each target token's attention, strongest on the given source token
        return [[0.9 if column == row else 0.025 for column in range(len(source))] for row in strongest]

    # "عر" + "اق" (the model's own go at the name) attend to mask 1: the mask replaces the word;
    # nothing attends most to mask 2: it goes before the word that attended to it most
    attention = attending(3, 0, 1, 2, 2)
    attention[0][4] = 0.5
    assert place_masks(source, hypothesis, attention) == \
        ["\u2581\u29852\u2986", "\u2581قال", "\u2581مسؤولون", "\u2581في", "\u2581\u29851\u2986"]
    written = ["\u2581قال", "\u2581\u29852\u2986", "\u2581\u29851\u2986"]  # the model copied them: unchanged
    assert place_masks(source, written, attending(3, 4, 2)) == written


def test_a_dropped_mask_never_takes_the_place_of_another():
    from localize.engines.local import place_masks

    source = ["\u2581a", "\u2581\u29851\u2986", "\u2581\u29852\u2986"]
    hypothesis = ["\u2581x", "y", "z"]  # one word of three pieces
    attention = [[0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1]]
    placed = place_masks(source, hypothesis, attention)
    assert sorted(token for token in placed if "\u2985" in token) == ["\u2581\u29851\u2986", "\u2581\u29852\u2986"]
    assert place_masks(source, hypothesis, []) == hypothesis  # no attention: left as it is


def test_threads_follow_the_allocation_not_the_node(monkeypatch):
    """In a Slurm job (or a container with a CPU limit) the engine uses the CPUs allotted."""
    import os

    from localize.engines.local import allotted_cpus

    monkeypatch.delenv("SLURM_CPUS_PER_TASK", raising=False)
    free = allotted_cpus()
    assert 1 <= free <= (os.cpu_count() or 1)
    monkeypatch.setenv("SLURM_CPUS_PER_TASK", "1")
    assert allotted_cpus() == 1
    monkeypatch.setenv("SLURM_CPUS_PER_TASK", "999")
    assert allotted_cpus() == free  # never more than the process may use
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 1:
        monkeypatch.delenv("SLURM_CPUS_PER_TASK")
        before = os.sched_getaffinity(0)
        try:
            os.sched_setaffinity(0, {min(before)})  # as taskset or a cpuset would
            assert allotted_cpus() == 1
        finally:
            os.sched_setaffinity(0, before)
