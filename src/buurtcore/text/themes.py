"""Assign stories to given themes, and discover themes nobody listed.

Assigning: every story, every theme description (label + description) and every
labelled example becomes a TF-IDF vector over lemmas and lemma pairs. A theme's
centroid is its description vector plus the mean of its labelled examples; a story's
themes are those whose centroid is close enough (cosine), best first. A story gets no
theme when no centroid reaches ``min_score``.

Discovering: the stories that got no theme go through TF-IDF over lemmas and NMF
(non-negative matrix factorisation); each factor becomes a theme with a readable label
from its top lemmas, its keywords, and the stories that load most on it.

Examples
--------
>>> themes = [
...     Theme("groen", "Groen", "bomen, planten, park, grasveld, moestuin, bloemen"),
...     Theme("verkeer", "Verkeer", "te hard rijden, oversteken, drempels, fietsers, auto"),
... ]
>>> stories = [("s1", "In het park zijn alle bomen gekapt."),
...            ("s2", "Auto's rijden veel te hard door onze straat, oversteken is eng."),
...            ("s3", "Mijn kat is weggelopen.")]
>>> result = analyse_themes(stories, themes)
>>> [(s["id"], s["themes"]) for s in result["stories"]]
[('s1', ['groen']), ('s2', ['verkeer']), ('s3', [])]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .tokens import lemmas

__all__ = [
    "DiscoveredTheme",
    "Theme",
    "ThemeModel",
    "analyse_themes",
    "discover_themes",
    "features",
    "theme_profile",
]


@dataclass(frozen=True)
class Theme:
    """A theme of a story round: an id, a short label and a one-line description."""

    id: str
    label: str
    description: str = ""


@dataclass
class DiscoveredTheme:
    """A theme found in stories that fit no given theme."""

    label: str
    keywords: list[str]
    stories: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"label": self.label, "keywords": self.keywords, "stories": self.stories}


def features(lemma_list: Sequence[str]) -> list[str]:
    """Lemmas plus adjacent lemma pairs ("niet veilig"), the TF-IDF features of a text.

    >>> features(["niet", "veilig", "avond"])
    ['niet', 'veilig', 'avond', 'niet veilig', 'veilig avond']
    """
    return [*lemma_list, *(f"{a} {b}" for a, b in zip(lemma_list, lemma_list[1:], strict=False))]


def _identity(x):
    return x


def _vectorizer(**kwargs):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, dtype=np.float32, norm="l2", **kwargs
    )


class ThemeModel:
    """Theme centroids over a TF-IDF space, fitted on a corpus of lemma lists.

    Parameters
    ----------
    themes
        The given themes.
    description_weight
        Weight of a theme's description against the mean of its labelled examples.
    min_score
        A story gets no theme when no centroid has at least this cosine.
    relative
        Further themes are kept when their cosine is at least this share of the best.
    max_themes
        At most this many themes per story.
    embedding_weight
        With embedding vectors (:meth:`fit_embeddings`), a story's score for a theme is
        its lexical cosine plus this weight times how far its embedding cosine with the
        theme stands above its mean over all themes (embedding cosines sit in a narrow
        band, so only the differences between themes count).
    """

    def __init__(
        self,
        themes: Sequence[Theme],
        *,
        description_weight: float = 0.5,
        min_score: float = 0.08,
        relative: float = 0.5,
        max_themes: int = 3,
        embedding_weight: float = 3.0,
    ):
        if not themes:
            raise ValueError("no themes given")
        ids = [t.id for t in themes]
        if len(set(ids)) != len(ids):
            raise ValueError("theme ids are not unique")
        self.themes = list(themes)
        self.description_weight = description_weight
        self.min_score = min_score
        self.relative = relative
        self.max_themes = max_themes
        self.embedding_weight = embedding_weight
        self.embedding_centroids: np.ndarray | None = None

    def fit(
        self,
        corpus: Sequence[Sequence[str]],
        examples: Iterable[tuple[Sequence[str], Sequence[str]]] = (),
    ) -> ThemeModel:
        """Fit the vocabulary on ``corpus`` (lemma lists) and build the centroids.

        ``examples`` are ``(lemma list, theme ids)`` of stories professionals labelled;
        ids that are not among the themes are ignored.
        """
        examples = list(examples)
        descriptions = [lemmas(f"{t.label}. {t.description}") for t in self.themes]
        docs = [features(x) for x in corpus]
        docs += [features(d) for d in descriptions]
        docs += [features(x) for x, _ in examples]
        self.vectorizer = _vectorizer(min_df=1)
        self.vectorizer.fit(docs)
        d = self.vectorizer.transform([features(x) for x in descriptions]).toarray()
        index = {t.id: i for i, t in enumerate(self.themes)}
        sums = np.zeros_like(d)
        counts = np.zeros(len(self.themes))
        if examples:
            e = self.vectorizer.transform([features(x) for x, _ in examples])
            for row, (_, labels) in enumerate(examples):
                for label in labels:
                    if label in index:
                        sums[index[label]] += e[row].toarray()[0]
                        counts[index[label]] += 1
        centroids = d.copy()
        has = counts > 0
        means = sums[has] / counts[has, None]
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        means = means / np.where(norms == 0, 1, norms)
        centroids[has] = self.description_weight * d[has] + means
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        self.centroids = (centroids / np.where(norms == 0, 1, norms)).astype(np.float32)
        return self

    def fit_embeddings(
        self,
        description_vectors: np.ndarray,
        example_vectors: np.ndarray | None = None,
        example_labels: Sequence[Sequence[str]] = (),
    ) -> ThemeModel:
        """Theme centroids in an embedding space (rows L2-normalised, themes in order).

        ``description_vectors`` embed each theme's "label. description";
        ``example_vectors`` the labelled examples, with their theme ids.
        """
        d = np.asarray(description_vectors, dtype=np.float32)
        index = {t.id: i for i, t in enumerate(self.themes)}
        sums = np.zeros_like(d)
        counts = np.zeros(len(self.themes))
        if example_vectors is not None:
            for row, labels in zip(np.asarray(example_vectors), example_labels, strict=True):
                for label in labels:
                    if label in index:
                        sums[index[label]] += row
                        counts[index[label]] += 1
        c = d.copy()
        has = counts > 0
        if has.any():
            means = sums[has] / counts[has, None]
            means /= np.linalg.norm(means, axis=1, keepdims=True)
            c[has] = self.description_weight * d[has] + means
        self.embedding_centroids = c / np.linalg.norm(c, axis=1, keepdims=True)
        return self

    def scores(
        self, lemma_lists: Sequence[Sequence[str]], vectors: np.ndarray | None = None
    ) -> np.ndarray:
        """Score of each story (rows) for each theme (columns).

        The lexical cosine with the theme centroid; with ``vectors`` (the stories'
        stored embeddings) and :meth:`fit_embeddings` done, plus the weighted embedding
        term described at ``embedding_weight``.
        """
        x = self.vectorizer.transform([features(x) for x in lemma_lists])
        s = np.asarray(x @ self.centroids.T)
        if vectors is not None and self.embedding_centroids is not None:
            e = np.asarray(vectors, dtype=np.float32) @ self.embedding_centroids.T
            s = s + self.embedding_weight * (e - e.mean(axis=1, keepdims=True))
        return s

    def assign(self, scores: np.ndarray) -> list[list[tuple[str, float]]]:
        """Themes per story from a score matrix: ``[(theme id, cosine), ...]``, best first."""
        out = []
        order = np.argsort(-scores, axis=1, kind="stable")
        for row, idx in zip(scores, order, strict=True):
            best = row[idx[0]]
            chosen: list[tuple[str, float]] = []
            if best >= self.min_score:
                for j in idx[: self.max_themes]:
                    if row[j] >= max(self.min_score, self.relative * best):
                        chosen.append((self.themes[j].id, round(float(row[j]), 4)))
            out.append(chosen)
        return out


#: Lemmas that carry meaning inside a story but make poor theme labels: negations,
#: quantities, frequency, and very general verbs. Left out of discovered labels and keywords.
LABEL_SKIP = frozenset(
    {
        "niet",
        "geen",
        "nooit",
        "niemand",
        "niets",
        "nergens",
        "te",
        "veel",
        "weinig",
        "alleen",
        "meer",
        "minder",
        "zonder",
        "graag",
        "altijd",
        "vaak",
        "soms",
        "steeds",
        "al",
        "wel",
        "nog",
        "bijna",
        "echt",
        "goed",
        "slecht",
        "enig",
        "lang",
        "nieuw",
        "groot",
        "klein",
        "maken",
        "liggen",
        "horen",
        "lukken",
        "beginnen",
        "staan",
        "komen",
        "zitten",
        "gaan",
        "krijgen",
        "vinden",
        "denken",
        "willen",
        "laten",
        "zien",
        "weten",
        "moeten",
        "kunnen",
        "voelen",
        "zeggen",
        "houden",
        "geven",
        "nemen",
        "worden",
        "blijven",
        "jaar",
        "dag",
        "keer",
        "week",
        "paar",
    }
)


def discover_themes(
    ids: Sequence[str],
    lemma_lists: Sequence[Sequence[str]],
    *,
    n_themes: int | None = None,
    min_stories: int = 3,
    max_fit: int = 20_000,
    seed: int = 0,
) -> list[DiscoveredTheme]:
    """Themes in a set of stories, by TF-IDF over lemmas and NMF.

    The number of themes is ``n_themes``, or about one per 15 stories (2 to 12). NMF is
    fitted on at most ``max_fit`` stories (a fixed random sample), then every story
    goes to the factor it loads on most. Themes with fewer than ``min_stories``
    stories are dropped. The label is the three top lemmas; keywords the top eight;
    both leave out :data:`LABEL_SKIP` (negations, quantities, general verbs).

    >>> texts = ["De bibliotheek gaat dicht, waar moet ik nu boeken lenen?"] * 3 + [
    ...     "Het buurthuis heeft geen koffieochtend meer, jammer voor de bewoners."] * 3
    >>> found = discover_themes([f"s{i}" for i in range(6)], [lemmas(t) for t in texts], n_themes=2)
    >>> sorted(sorted(t.stories) for t in found)
    [['s0', 's1', 's2'], ['s3', 's4', 's5']]
    """
    from sklearn.decomposition import NMF

    n = len(ids)
    if n < max(min_stories, 2):
        return []
    if n_themes is None:
        n_themes = int(min(12, max(2, round(n / 15))))
    docs = list(lemma_lists)
    vec = _vectorizer(min_df=2 if n >= 20 else 1, max_df=0.6 if n >= 20 else 1.0)
    try:
        x = vec.fit_transform(docs)
    except ValueError:  # empty vocabulary
        return []
    n_themes = min(n_themes, x.shape[0], x.shape[1])
    if n_themes < 1:
        return []
    rng = np.random.default_rng(seed)
    fit_rows = np.sort(rng.choice(n, max_fit, replace=False)) if n > max_fit else slice(None)
    nmf = NMF(n_components=n_themes, init="nndsvda", random_state=seed, max_iter=300)
    nmf.fit(x[fit_rows])
    w = nmf.transform(x)
    vocab = vec.get_feature_names_out()
    best = np.argmax(w, axis=1)
    loaded = w.max(axis=1) > 0
    found = []
    for k, comp in enumerate(nmf.components_):
        members = [ids[i] for i in np.flatnonzero((best == k) & loaded)]
        if len(members) < min_stories:
            continue
        top = [vocab[j] for j in np.argsort(-comp) if comp[j] > 0 and vocab[j] not in LABEL_SKIP]
        top = top[:8]
        if not top:
            continue
        # members ordered by how strongly they load on the theme
        order = sorted(
            (i for i in np.flatnonzero((best == k) & loaded)), key=lambda i: (-w[i, k], i)
        )
        found.append(
            DiscoveredTheme(
                label=" / ".join(top[:3]), keywords=top, stories=[ids[i] for i in order]
            )
        )
    found.sort(key=lambda t: (-len(t.stories), t.label))
    return found


def analyse_themes(
    stories: Sequence[tuple[str, str]],
    themes: Sequence[Theme],
    examples: Sequence[tuple[str, Sequence[str]]] = (),
    *,
    discover: bool = True,
    model: ThemeModel | None = None,
    embedder=None,
    story_vectors: np.ndarray | None = None,
) -> dict:
    """Themes for ``(id, text)`` stories: the CLI's JSON shape.

    ``examples`` are ``(text, theme ids)`` labelled by professionals. Returns
    ``{"stories": [{"id", "themes", "scores"}], "discovered": [{"label", "keywords",
    "stories"}]}`` with theme ids best first; discovery runs on the stories that got no
    theme.

    With ``embedder`` (an object with ``encode(texts)``, e.g.
    :class:`buurtcore.text.similar.EmbeddingEncoder`), the theme descriptions and
    examples are embedded too and the scores combine both (``ThemeModel.scores``);
    ``story_vectors`` are the stories' stored embeddings (computed when not given).
    """
    model = model or ThemeModel(themes)
    story_lemmas = [lemmas(text) for _, text in stories]
    example_lemmas = [(lemmas(text), list(labels)) for text, labels in examples]
    model.fit(story_lemmas, example_lemmas)
    if embedder is not None:
        model.fit_embeddings(
            embedder.encode([f"{t.label}. {t.description}" for t in model.themes]),
            embedder.encode([text for text, _ in examples]) if examples else None,
            [list(labels) for _, labels in examples],
        )
        if story_vectors is None:
            story_vectors = embedder.encode([text for _, text in stories])
    else:
        story_vectors = None
    assigned = model.assign(model.scores(story_lemmas, story_vectors)) if stories else []
    out_stories = [
        {"id": sid, "themes": [t for t, _ in chosen], "scores": [s for _, s in chosen]}
        for (sid, _), chosen in zip(stories, assigned, strict=True)
    ]
    discovered: list[DiscoveredTheme] = []
    if discover:
        rest = [i for i, chosen in enumerate(assigned) if not chosen]
        discovered = discover_themes([stories[i][0] for i in rest], [story_lemmas[i] for i in rest])
    return {"stories": out_stories, "discovered": [d.as_json() for d in discovered]}


def theme_profile(
    stories: Sequence[dict],
    *,
    quotes: int = 3,
    max_quote_chars: int = 240,
) -> dict:
    """Per area: stories per theme per period (the trend) and the most characteristic quotes.

    ``stories`` are dicts with ``"id"``, ``"area"``, ``"period"`` (any sortable label,
    e.g. "2026-Q3"), ``"text"`` (already anonymised by the caller), ``"themes"`` (ids,
    best first) and optionally ``"scores"`` (the cosines from :func:`analyse_themes`).
    A story counts for each of its themes. The quotes of a theme in an area are the
    stories with the highest score for it, cut at ``max_quote_chars`` on a word boundary.

    >>> profile = theme_profile([
    ...     {"id": "1", "area": "Noord", "period": "2026-Q1", "text": "De bus rijdt niet.",
    ...      "themes": ["vervoer"], "scores": [0.4]},
    ...     {"id": "2", "area": "Noord", "period": "2026-Q2", "text": "Geen bus op zondag.",
    ...      "themes": ["vervoer"], "scores": [0.6]},
    ... ])
    >>> profile["Noord"]["vervoer"]["trend"]
    {'2026-Q1': 1, '2026-Q2': 1}
    >>> [q["id"] for q in profile["Noord"]["vervoer"]["quotes"]]
    ['2', '1']
    """
    out: dict = {}
    for s in stories:
        scores = list(s.get("scores") or [])
        for rank, theme in enumerate(s.get("themes") or []):
            entry = out.setdefault(s["area"], {}).setdefault(
                theme, {"stories": 0, "trend": {}, "quotes": []}
            )
            entry["stories"] += 1
            entry["trend"][s["period"]] = entry["trend"].get(s["period"], 0) + 1
            score = scores[rank] if rank < len(scores) else 0.0
            entry["quotes"].append((-score, rank, str(s["id"]), s["text"]))
    for themes in out.values():
        for entry in themes.values():
            entry["trend"] = dict(sorted(entry["trend"].items()))
            best = sorted(entry["quotes"])[:quotes]
            entry["quotes"] = [
                {"id": sid, "text": _cut(text, max_quote_chars), "score": -neg}
                for neg, _, sid, text in best
            ]
    return out


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
