"""Write a tiny MiniSBD sentence-boundary model for tests.

Tests run a LibreTranslate server offline. Its translator, argos-translate-lt,
splits text into sentences with MiniSBD, and on the first translation it
downloads a MiniSBD model unless the package folder holds
``minisbd/<lang>.onnx``. This module writes such a file: a real ONNX graph with
the metadata minisbd reads, but with a fixed rule instead of trained weights.
A character ends a token when a space or the end of the text follows it, and
ends a sentence when it is also '.', '!', '?' or the Arabic '؟'.
"""

from __future__ import annotations

import json
from pathlib import Path

# MiniSBD classes (argmax of the output): 0 inside a token, 1 token end,
# 2 sentence end, 3 and 4 multi-word token ends (not used here).
_UNITS = ["<PAD>", "<UNK>", " ", ".", "!", "?", "؟"]  # ids 3..6 end sentences
OPSET = 17  # onnxruntime has read opset 17 / IR 8 since 1.13
IR_VERSION = 8


def write_minisbd_model(path: Path, lang: str = "en") -> Path:
    """Write the model to ``path`` (e.g. ``<package>/minisbd/en.onnx``); return it."""
    import numpy as np
    from onnx import TensorProto, checker, helper, numpy_helper

    def const(name, value, dtype):
        return numpy_helper.from_array(np.asarray(value, dtype), name)

    # the unit after each one; past the end of a window counts as "inside a word",
    # since minisbd predicts long paragraphs in windows of max_seqlen
    nodes = [
        helper.make_node("Slice", ["units", "one", "big", "one"], ["tail"]),
        helper.make_node("Pad", ["tail", "pad_end", "unk"], ["next"]),
        helper.make_node("Equal", ["next", "pad"], ["next_pad"]),
        helper.make_node("Equal", ["next", "space"], ["next_space"]),
        helper.make_node("Or", ["next_pad", "next_space"], ["tok_end"]),
        helper.make_node("Greater", ["units", "space"], ["above_space"]),
        helper.make_node("Less", ["units", "after_terminal"], ["below_end"]),
        helper.make_node("And", ["above_space", "below_end"], ["terminal"]),
        helper.make_node("And", ["tok_end", "terminal"], ["sent_end"]),
        helper.make_node("Cast", ["tok_end"], ["tok_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["sent_end"], ["sent_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["tok_f", "two"], ["tok3"]),
        helper.make_node("Unsqueeze", ["sent_f", "two"], ["sent3"]),
        helper.make_node("Sub", ["tok3", "tok3"], ["zero3"]),
        helper.make_node("Add", ["zero3", "bias"], ["bias3"]),
        helper.make_node("Concat", ["bias3", "tok3", "sent3"], ["hidden"], axis=2),
        helper.make_node("MatMul", ["hidden", "weight"], ["scores"]),
    ]
    weight = [[0.5, 0, 0, 0, 0],  # inside a token unless ...
              [0, 1, 0, 0, 0],    # ... a token ends here, or ...
              [0, 0, 2, 0, 0]]    # ... a sentence ends here
    inits = [const("one", [1], np.int64), const("big", [2**62], np.int64),
             const("two", [2], np.int64), const("pad_end", [0, 0, 0, 1], np.int64),
             const("unk", 1, np.int64), const("pad", 0, np.int64), const("space", 2, np.int64),
             const("after_terminal", len(_UNITS), np.int64), const("bias", 1.0, np.float32),
             const("weight", weight, np.float32)]
    graph = helper.make_graph(
        nodes, "minisbd_rule", [
            helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "time"]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "time", 1]),
        ], [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", "time", 5])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              ir_version=IR_VERSION, producer_name="localize-tests")
    config = {"feat_funcs": ["space_before"], "max_seqlen": 1000, "batch_size": 1,
              "skip_newline": False, "no_ssplit": False, "use_dictionary": False}
    vocab = {"lang": lang, "idx": 0, "cutoff": 0, "lower": False,
             "_unit2id": {u: i for i, u in enumerate(_UNITS)}, "_id2unit": _UNITS}
    helper.set_model_props(model, {"lang_code": lang, "config": json.dumps(config),
                                   "vocab": json.dumps(vocab), "lexicon": "null"})
    checker.check_model(model, full_check=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())
    return path
