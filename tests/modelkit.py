"""Build small genuine Argos Translate packages for tests and benchmarks.

The package is real in every way but its weights: a CTranslate2 Transformer
(``ctranslate2.specs.TransformerSpec``) with random weights, a SentencePiece
model trained on the text given, ``metadata.json``, zipped as ``.argosmodel``.
Its translations are noise, but loading, tokenising, batching and decoding run
for real, through the same code path as the published translate-en_ar package.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np


def train_sentencepiece(lines: list[str], prefix: Path, vocab_size: int) -> Path:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(prefix), vocab_size=vocab_size,
        hard_vocab_limit=False, character_coverage=1.0, model_type="unigram",
        minloglevel=2, num_threads=2,
    )
    return prefix.with_suffix(".model")


def _vocabulary(sp_model: Path, size: int) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(sp_model))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # pad to the size asked for (a base model has ~32k entries); extra entries
    # are plausible pieces the tokenizer never produces
    pieces += [f"▁x{i}" for i in range(size - len(pieces))]
    return pieces


def transformer_spec(vocabulary: list[str], layers=(2, 2), d_model=64, heads=2, ffn=128, seed=0):
    from ctranslate2.specs import common_spec, transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(layers, heads)

    def dense(spec_linear, rows, cols):
        spec_linear.weight = rng.normal(0, 0.05, (rows, cols)).astype(np.float32)
        spec_linear.bias = np.zeros(rows, np.float32)

    def norm(spec_norm: common_spec.LayerNormSpec):
        spec_norm.gamma = np.ones(d_model, np.float32)
        spec_norm.beta = np.zeros(d_model, np.float32)

    vocab = len(vocabulary)
    spec.encoder.embeddings[0].weight = rng.normal(0, 0.05, (vocab, d_model)).astype(np.float32)
    spec.decoder.embeddings.weight = rng.normal(0, 0.05, (vocab, d_model)).astype(np.float32)
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    dense(spec.decoder.projection, vocab, d_model)
    def self_attention_and_ffn(layer):
        norm(layer.self_attention.layer_norm)
        dense(layer.self_attention.linear[0], 3 * d_model, d_model)
        dense(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.ffn.layer_norm)
        dense(layer.ffn.linear_0, ffn, d_model)
        dense(layer.ffn.linear_1, d_model, ffn)

    for layer in spec.encoder.layer:
        self_attention_and_ffn(layer)
    for layer in spec.decoder.layer:
        self_attention_and_ffn(layer)
        norm(layer.attention.layer_norm)
        dense(layer.attention.linear[0], d_model, d_model)
        dense(layer.attention.linear[1], 2 * d_model, d_model)
        dense(layer.attention.linear[2], d_model, d_model)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


def build_package(workdir: Path, corpus: list[str], *, name="translate-en_ar-1_0", from_code="en",
                  to_code="ar", version="1.0", vocab_size=400, layers=(2, 2), d_model=64,
                  heads=2, ffn=128, quantization=None, seed=0) -> Path:
    """Write ``workdir/<name>.argosmodel`` and return its path."""
    root = workdir / name
    root.mkdir(parents=True)
    sp_model = train_sentencepiece(corpus, root / "sentencepiece", vocab_size)
    (root / "sentencepiece.vocab").unlink()
    spec = transformer_spec(_vocabulary(sp_model, vocab_size), layers, d_model, heads, ffn, seed)
    spec.validate()
    spec.optimize(quantization=quantization)
    (root / "model").mkdir()
    spec.save(str(root / "model"))
    metadata = {"package_version": version, "argos_version": "1.9", "from_code": from_code,
                "from_name": "English", "to_code": to_code, "to_name": "Arabic",
                "code": f"translate-{from_code}_{to_code}", "type": "translate", "links": []}
    (root / "metadata.json").write_text(json.dumps(metadata, indent=2))
    (root / "README.md").write_text("Random weights, for tests only.\n")
    return zip_folder(root, workdir / f"{name}.argosmodel")


def zip_folder(root: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    """Zip ``root`` the way argospm packages are zipped: one top-level folder."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            archive.write(path, Path(root.name) / path.relative_to(root))
        for member, data in (extra or {}).items():
            archive.writestr(member, data)
    return target


def rezip(source: Path, target: Path, drop=(), extra: dict[str, bytes] | None = None) -> Path:
    """A copy of a package with some members dropped or added (for bad-input tests)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w") as new:
        for item in old.infolist():
            if not any(item.filename.endswith(d) for d in drop):
                new.writestr(item, old.read(item))
        for member, data in (extra or {}).items():
            new.writestr(member, data)
    target.write_bytes(buffer.getvalue())
    return target
