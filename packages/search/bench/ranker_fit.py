"""Learned re-rankers fitted on one fold of bench:related and reported on the other.

Reads the JSON lines `npm run bench:related -- --dump-features FILE` writes (one `lookup` line per
judged article, one `candidate` line per re-ranked candidate with its label, ranks and signals),
checks that ordering the candidates by today's re-ranking reproduces the bench's P@5 exactly, then
for each model: fit on fold A, report P@5 on fold B; fit on B, report on A. Hyper-parameters are
chosen inside the training fold only (leave-topics-out over its topics, by P@5). Models:

- `logreg`: logistic regression on the standardised signals and all their pairwise products;
- `ranknet`: a pairwise (RankNet-style) logistic model: for every pair of a same-event and another
  candidate of one lookup, the difference of their feature vectors (signals and products);
- `ranknet-linear`: the same on the signals alone;
- `gbt`: gradient-boosted shallow trees (HistGradientBoostingClassifier), strongly regularised.

P@5 is the bench's: same-event articles among the first 5 / min(5, event size - 1); a lookup
without candidates (a rejected article) scores 0; ties keep the first stage's order.

    .data/venv/bin/python packages/search/bench/ranker_fit.py --features .data/features.jsonl \
        [--models logreg,ranknet,ranknet-linear,gbt] [--leave-topic-out] [--export .data/ranker]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

# The inputs of a learned ranker as the dump carries them (rankerFeatures in rerank.ts): every signal,
# the first stage's score, today's re-ranking score, some scaled to the lookup's best candidate, and
# 1 / (1 + first-stage rank). The TypeScript scoring reads the same names.
FEATURES = [
    "text",
    "names",
    "textLocal",
    "namesLocal",
    "links",
    "bothYears",
    "sharedYear",
    "yearConflict",
    "sameLatestYear",
    "bothDates",
    "sharedDate",
    "dateFactor",
    "rareNames",
    "firstScore",
    "title",
    "numbers",
    "hubness",
    "reciprocity",
    "neighbourAgreement",
    "lede",
    "rerankScore",
    "textBest",
    "namesBest",
    "textLocalBest",
    "namesLocalBest",
    "rerankScoreBest",
    "firstRankInverse",
]
# The topics of two events of one kind, where the scores are decided.
TOPICS_OF_INTEREST = [5, 9, 10, 11, 16, 20]


def load(path: str):
    lookups = []
    candidates = defaultdict(list)
    with open(path, encoding="utf8") as f:
        for line in f:
            row = json.loads(line)
            if row["kind"] == "lookup":
                lookups.append(row)
            else:
                candidates[row["article"]].append(row)
    for q in lookups:
        cs = sorted(candidates.get(q["article"], []), key=lambda c: c["firstRank"])
        q["cands"] = cs
        if not cs:
            continue
        q["X"] = np.array([[float(c[name]) for name in FEATURES] for c in cs])
        q["y"] = np.array([c["same"] for c in cs])
        q["today"] = -np.array([c["rerankRank"] for c in cs], dtype=float)
    return lookups, list(FEATURES)


def p_at_5(q, scores) -> float:
    cs = q["cands"]
    if not cs:
        return 0.0
    # Best score first; ties keep the first stage's order (the candidates are in that order).
    order = sorted(range(len(cs)), key=lambda i: (-scores[i], i))
    same = sum(cs[i]["same"] for i in order[:5])
    return same / min(5, q["eventSize"] - 1)


def mean_p5(qs, score_fn) -> float:
    return float(np.mean([p_at_5(q, score_fn(q)) if q["cands"] else 0.0 for q in qs]))


class Model:
    """Standardise, optionally add pairwise products, then a classifier or a pairwise ranker."""

    def __init__(self, kind: str, param, keep: np.ndarray):
        self.kind = kind
        self.param = param
        self.keep = keep

    def _design(self, x: np.ndarray) -> np.ndarray:
        x = self.scaler.transform(x[:, self.keep])
        return self.poly.transform(x) if self.poly is not None else x

    def fit(self, qs):
        x = np.vstack([q["X"] for q in qs if q["cands"]])
        y = np.concatenate([q["y"] for q in qs if q["cands"]])
        self.scaler = StandardScaler().fit(x[:, self.keep])
        products = self.kind in ("logreg", "ranknet")
        self.poly = PolynomialFeatures(2, include_bias=False).fit(self.scaler.transform(x[:, self.keep])) if products else None
        if self.kind == "logreg":
            self.clf = LogisticRegression(C=self.param, max_iter=5000).fit(self._design(x), y)
        elif self.kind.startswith("ranknet"):
            diffs = []
            for q in qs:
                if not q["cands"]:
                    continue
                d = self._design(q["X"])
                pos = np.flatnonzero(q["y"] == 1)
                neg = np.flatnonzero(q["y"] == 0)
                if len(pos) == 0 or len(neg) == 0:
                    continue
                diffs.append((d[pos][:, None, :] - d[neg][None, :, :]).reshape(-1, d.shape[1]))
            dx = np.vstack(diffs)
            # Both orientations of every pair: a symmetric problem, no intercept needed.
            self.clf = LogisticRegression(C=self.param, fit_intercept=False, max_iter=5000).fit(
                np.vstack([dx, -dx]), np.concatenate([np.ones(len(dx)), np.zeros(len(dx))])
            )
        else:
            depth, lr, iters = self.param
            self.clf = HistGradientBoostingClassifier(
                max_depth=depth,
                max_leaf_nodes=2**depth,
                learning_rate=lr,
                max_iter=iters,
                min_samples_leaf=50,
                l2_regularization=10.0,
                early_stopping=False,
                random_state=0,
            ).fit(x[:, self.keep], y)
        return self

    def score(self, q) -> np.ndarray:
        if self.kind == "gbt":
            return self.clf.predict_proba(q["X"][:, self.keep])[:, 1]
        return self.clf.decision_function(self._design(q["X"]))


GRIDS = {
    "logreg": [0.001, 0.01, 0.1, 1.0],
    "ranknet": [0.001, 0.01, 0.1, 1.0],
    "ranknet-linear": [0.01, 0.1, 1.0, 10.0],
    "gbt": [(1, 0.05, 100), (2, 0.05, 100), (2, 0.05, 300), (3, 0.03, 200)],
}


def fit_fold(kind: str, train, keep):
    """Choose the parameter by leave-one-topic-out P@5 inside `train`, then fit on all of `train`."""
    topics = sorted({q["topic"] for q in train})
    best = None
    for param in GRIDS[kind]:
        scores = []
        for t in topics:
            inner = [q for q in train if q["topic"] != t]
            held = [q for q in train if q["topic"] == t]
            m = Model(kind, param, keep).fit(inner)
            scores.extend(p_at_5(q, m.score(q)) if q["cands"] else 0.0 for q in held)
        s = float(np.mean(scores))
        if best is None or s > best[1] + 1e-12:
            best = (param, s)
    return Model(kind, best[0], keep).fit(train), best


# Leave-one-topic-out: fixed parameters, set from the first fit's fold choices (C 0.01 is also what
# the fit on every topic chooses for ranknet-linear, before and after the refit on the defaults).
LOTO_PARAMS = {"logreg": 0.01, "ranknet": 0.01, "ranknet-linear": 0.01, "gbt": (2, 0.05, 300)}


def leave_topic_out(kind: str, lookups) -> dict[str, float]:
    """Each topic scored by the model fitted on the other topics (both folds): P@5 per fold and per topic of interest."""
    x = np.vstack([q["X"] for q in lookups if q["cands"]])
    keep = np.flatnonzero(x.std(axis=0) > 0)
    got = {}
    for t in sorted({q["topic"] for q in lookups}):
        m = Model(kind, LOTO_PARAMS[kind], keep).fit([q for q in lookups if q["topic"] != t])
        for q in lookups:
            if q["topic"] == t:
                got[q["article"]] = p_at_5(q, m.score(q)) if q["cands"] else 0.0
    out = {f: float(np.mean([got[q["article"]] for q in lookups if q["fold"] == f])) for f in ("A", "B")}
    for t in TOPICS_OF_INTEREST:
        out[f"topic{t}"] = float(np.mean([got[q["article"]] for q in lookups if q["topic"] == t]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--features", required=True)
    ap.add_argument("--models", default="logreg,ranknet,ranknet-linear,gbt")
    ap.add_argument(
        "--leave-topic-out",
        action="store_true",
        help="also score each topic with the model fitted on the other 19 (both folds)",
    )
    ap.add_argument(
        "--export",
        metavar="PREFIX",
        help="write the linear pairwise model (ranknet-linear) as PREFIX-A.json (fitted on fold A), "
        "PREFIX-B.json (on fold B) and PREFIX-all.json (on both), for bench:related --ranker",
    )
    args = ap.parse_args()
    lookups, names = load(args.features)
    folds = {f: [q for q in lookups if q["fold"] == f] for f in ("A", "B")}

    # 1. Today's ranking, re-ranked from the dump, must reproduce the bench exactly.
    today = {f: mean_p5(qs, lambda q: q["today"]) for f, qs in folds.items()}
    bench = {f: float(np.mean([q["benchP5"] for q in qs])) for f, qs in folds.items()}
    tfidf = {f: float(np.mean([q["tfidfP5"] for q in qs])) for f, qs in folds.items()}
    per_lookup = sum(1 for q in lookups if abs(p_at_5(q, q["today"]) - q["benchP5"]) > 1e-12)
    print(f"{len(lookups)} lookups, {sum(len(q['cands']) for q in lookups)} candidates")
    print(
        f"today re-ranked from the dump: A {today['A']:.3f}, B {today['B']:.3f}; "
        f"bench: A {bench['A']:.3f}, B {bench['B']:.3f}; lookups that differ: {per_lookup}"
    )
    if per_lookup:
        print("the dump does not reproduce the bench; stopping", file=sys.stderr)
        return 1
    topic_today = {t: np.mean([q["benchP5"] for q in lookups if q["topic"] == t]) for t in TOPICS_OF_INTEREST}
    topic_tfidf = {t: np.mean([q["tfidfP5"] for q in lookups if q["topic"] == t]) for t in TOPICS_OF_INTEREST}

    results = []
    for kind in args.models.split(","):
        row = {"model": kind}
        for train_fold, test_fold in (("A", "B"), ("B", "A")):
            train = folds[train_fold]
            x = np.vstack([q["X"] for q in train if q["cands"]])
            keep = np.flatnonzero(x.std(axis=0) > 0)
            model, (param, inner) = fit_fold(kind, train, keep)
            fitted = mean_p5(train, model.score)
            held = mean_p5(folds[test_fold], model.score)
            row[test_fold] = held
            row[f"fit{train_fold}"] = fitted
            row[f"param{train_fold}"] = param
            row[f"inner{train_fold}"] = inner
            for t in TOPICS_OF_INTEREST:
                qs = [q for q in folds[test_fold] if q["topic"] == t]
                if qs:
                    row[f"topic{t}"] = mean_p5(qs, model.score)
            if kind == "gbt":
                row[f"importance{train_fold}"] = tree_splits(model, [names[i] for i in keep])
            elif kind == "ranknet-linear":
                coef = model.clf.coef_[0]
                top = np.argsort(-np.abs(coef))[:6]
                row[f"weights{train_fold}"] = {names[keep[i]]: round(float(coef[i]), 3) for i in top}
            else:
                coef = model.clf.coef_[0]
                feats = model.poly.get_feature_names_out([names[i] for i in keep])
                top = np.argsort(-np.abs(coef))[:6]
                row[f"weights{train_fold}"] = {str(feats[i]): round(float(coef[i]), 3) for i in top}
        results.append(row)
        print(
            f"{kind}: fitted on A (param {row['paramA']}, A {row['fitA']:.3f}, inner leave-topic-out {row['innerA']:.3f}) "
            f"-> B held out {row['B']:.3f}; fitted on B (param {row['paramB']}, B {row['fitB']:.3f}, inner {row['innerB']:.3f}) "
            f"-> A held out {row['A']:.3f}"
        )
        for f in ("A", "B"):
            extra = row.get(f"importance{f}") or row.get(f"weights{f}")
            print(f"  fitted on {f}: {extra}")
        sys.stdout.flush()

    print("\nheld-out P@5 (a model passes only if both beat today's by more than 0.005):")
    fold_of = {q["topic"]: q["fold"] for q in lookups}
    topic_heads = " | ".join(f"topic {t} ({fold_of.get(t, '?')})" for t in TOPICS_OF_INTEREST)
    topic_rule = "---|" * len(TOPICS_OF_INTEREST)
    print(f"| model | fold A (fitted on B) | fold B (fitted on A) | {topic_heads} | verdict |")
    print(f"|---|---|---|{topic_rule}---|")

    def cells(values) -> str:
        return " | ".join(f"{values.get(t, float('nan')):.3f}" for t in TOPICS_OF_INTEREST)

    print(f"| TF-IDF cosine reference | {tfidf['A']:.3f} | {tfidf['B']:.3f} | {cells(topic_tfidf)} | – |")
    print(f"| today's re-ranking | {today['A']:.3f} | {today['B']:.3f} | {cells(topic_today)} | – |")
    for r in results:
        kept = r["A"] > today["A"] + 0.005 and r["B"] > today["B"] + 0.005
        topics = {t: r[f"topic{t}"] for t in TOPICS_OF_INTEREST if f"topic{t}" in r}
        print(f"| {r['model']} | {r['A']:.3f} | {r['B']:.3f} | {cells(topics)} | {'passes' if kept else 'rejected'} |")
    if args.leave_topic_out:
        print("\nleave-one-topic-out (each topic scored by the model fitted on the other topics):")
        print(f"| model | fold A | fold B | {topic_heads} |")
        print(f"|---|---|---|{topic_rule}")
        for r in results:
            lo = leave_topic_out(r["model"], lookups)
            r["leaveTopicOut"] = lo
            topics = {t: lo[f"topic{t}"] for t in TOPICS_OF_INTEREST}
            print(f"| {r['model']} ({LOTO_PARAMS[r['model']]}) | {lo['A']:.3f} | {lo['B']:.3f} | {cells(topics)} |")
    print(json.dumps({"today": today, "tfidf": tfidf, "results": results}, default=str))
    if args.export:
        for name, train in (("A", folds["A"]), ("B", folds["B"]), ("all", lookups)):
            x = np.vstack([q["X"] for q in train if q["cands"]])
            keep = np.flatnonzero(x.std(axis=0) > 0)
            model, (param, inner) = fit_fold("ranknet-linear", train, keep)
            # Standardising is linear: w · (x - mean) / scale ranks like (w / scale) · x.
            coef = model.clf.coef_[0] / model.scaler.scale_
            weights = {names[keep[i]]: float(coef[i]) for i in range(len(keep))}
            path = f"{args.export}-{name}.json"
            with open(path, "w", encoding="utf8") as f:
                json.dump({"weights": weights}, f, indent=2)
                f.write("\n")
            print(f"ranknet-linear fitted on {name} (C {param}, inner leave-topic-out {inner:.3f}) written to {path}")

    return 0


def tree_splits(model: Model, names: list[str]) -> dict[str, int]:
    """How many splits each feature has over all trees (which signals the trees learned from)."""
    counts: dict[str, int] = defaultdict(int)
    for stage in model.clf._predictors:
        for node in stage[0].nodes:
            if not node["is_leaf"]:
                counts[names[node["feature_idx"]]] += 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1])[:6])


if __name__ == "__main__":
    sys.exit(main())
