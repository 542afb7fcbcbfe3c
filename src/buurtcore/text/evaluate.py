"""Measure theme accuracy and paraphrase recall on a labelled story set.

The set the project wrote itself lives in ``tests/data/eval_stories.jsonl`` (made by
``tests/data/make_eval.py``): ``{"id", "text", "themes", "pair"?, "lang"?}`` per line.

Examples
--------
>>> stories, themes = load_eval_set()
>>> len(stories) >= 300, len(themes) >= 12
(True, True)
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources

from .similar import encoder, neighbours
from .themes import Theme, analyse_themes

__all__ = ["load_eval_set", "paraphrase_recall", "theme_accuracy"]


def load_eval_set() -> tuple[list[dict], list[Theme]]:
    """The project's evaluation stories and themes."""
    data = resources.files("buurtcore.text").joinpath("tests/data")
    stories = [
        json.loads(line)
        for line in data.joinpath("eval_stories.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    themes = [
        Theme(t["id"], t["label"], t["description"])
        for t in json.loads(data.joinpath("eval_themes.json").read_text("utf-8"))
    ]
    return stories, themes


def theme_accuracy(
    stories: list[dict],
    themes: list[Theme],
    *,
    labelled_every: int = 3,
    use_examples: bool = True,
    embedder=None,
    vectors=None,
) -> dict:
    """Share of held-out stories whose best theme is one of their labels.

    Every ``labelled_every``-th generated story (id starting with "g") is a labelled
    example; all other stories are scored. A story labelled with no theme counts as
    right when it gets no theme. With ``embedder`` the scores combine lexical and
    embedding cosines; ``vectors`` are the stories' stored embeddings (in order).
    """
    examples, held_out, rows = [], [], []
    for i, s in enumerate(stories):
        if use_examples and s["id"].startswith("g") and i % labelled_every == 0:
            examples.append((s["text"], s["themes"]))
        else:
            held_out.append(s)
            rows.append(i)
    result = analyse_themes(
        [(s["id"], s["text"]) for s in held_out],
        themes,
        examples,
        discover=False,
        embedder=embedder,
        story_vectors=None if vectors is None else vectors[rows],
    )
    right = defaultdict(int)
    total = defaultdict(int)
    for s, r in zip(held_out, result["stories"], strict=True):
        kind = {"g": "generated", "p": "paraphrase", "e": "bilingual", "x": "no_theme"}[s["id"][0]]
        ok = (r["themes"][:1] == [] and not s["themes"]) or (
            bool(r["themes"]) and r["themes"][0] in s["themes"]
        )
        right[kind] += ok
        total[kind] += 1
    out = {k: round(right[k] / total[k], 3) for k in total}
    out["all"] = round(sum(right.values()) / sum(total.values()), 3)
    out["n"] = sum(total.values())
    out["examples"] = len(examples)
    return out


def paraphrase_recall(
    stories: list[dict], backend: str = "lexical", *, k: int = 5, vectors=None
) -> dict:
    """Share of pair members that find their partner among their ``k`` nearest stories.

    Neighbours are searched among all stories of the set. Reported separately for the
    Dutch paraphrase pairs ("p") and the English-Dutch pairs ("e"). ``vectors`` are
    the stories' stored vectors, computed with ``backend`` when not given.
    """
    ids = [s["id"] for s in stories]
    if vectors is None:
        texts = [s["text"] for s in stories]
        vectors = encoder(backend).fit(texts).encode(texts)
    near = neighbours(ids, vectors, k)
    partner: dict[str, str] = {}
    pairs = defaultdict(list)
    for s in stories:
        if "pair" in s:
            pairs[s["pair"]].append(s["id"])
    for a, b in pairs.values():
        partner[a], partner[b] = b, a
    hits, total = defaultdict(int), defaultdict(int)
    for sid, other in partner.items():
        kind = "paraphrase" if sid.startswith("p") else "bilingual"
        hits[kind] += other in near[sid]
        total[kind] += 1
    return {kind: round(hits[kind] / total[kind], 3) for kind in total} | {"k": k}
