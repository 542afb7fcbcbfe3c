"""Dutch tokens, stop words, lemmas and keywords per group.

Tokens keep Dutch apostrophe forms together ("auto's", "z'n", "'s avonds"), keep
hyphenated words whole ("buurt-app") and keep numbers ("12,50", "2026"). Stop words
come from ``data/stopwords_nl.txt``, a list written for this project that keeps words
that carry meaning in stories: niet, geen, nooit, alleen, weinig, veel, te.
Lemmas come from ``simplemma`` (language ``"nl"``); it keeps "gezin" as "gezin",
where a Dutch Snowball stemmer makes it "zin".

Examples
--------
>>> tokenize("Z'n auto's staan 's avonds op de stoep, al 2,5 jaar!")
["z'n", "auto's", 'staan', "'s", 'avonds', 'op', 'de', 'stoep', 'al', '2,5', 'jaar']
>>> lemmas("Ik voel me niet alleen meer, sinds de buren langskomen.")
['voelen', 'niet', 'alleen', 'veel', 'buur', 'langskomen']
>>> lemmatize("gezinnen"), lemmatize("auto's"), lemmatize("buurt-apps")
('gezin', 'auto', 'buurt-app')
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources

__all__ = [
    "STOPWORDS",
    "Keyword",
    "keywords",
    "lemmas",
    "lemmatize",
    "normalise",
    "tokenize",
]

# A word: letters, with inner apostrophes or hyphens ("auto's", "z'n", "buurt-app");
# a leading apostrophe form ("'s", "'t", "'n"); or a number ("12", "2,5", "1.000").
_TOKEN = re.compile(
    r"'(?:s|t|n)(?![^\W\d_])"
    r"|[^\W\d_]+(?:['-][^\W\d_]+)*"
    r"|\d+(?:[.,]\d+)*",
)
_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u2010": "-", "\u2011": "-"}
)


def normalise(text: str) -> str:
    """Lower case with one kind of apostrophe and hyphen.

    >>> normalise("Z\u2019n AUTO\u2019S")
    "z'n auto's"
    """
    return text.translate(_QUOTES).lower()


def tokenize(text: str) -> list[str]:
    """Split a text into lower-case Dutch tokens (words with their apostrophes, numbers).

    >>> tokenize("Hangjongeren bij het winkelcentrum; m'n buurvrouw (82) durft niet.")
    ['hangjongeren', 'bij', 'het', 'winkelcentrum', "m'n", 'buurvrouw', '82', 'durft', 'niet']
    >>> tokenize("")
    []
    """
    return _TOKEN.findall(normalise(text))


def _load_stopwords() -> frozenset[str]:
    text = resources.files("buurtcore.text").joinpath("data/stopwords_nl.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


#: Dutch stop words (lower case). Meaning-bearing words such as "niet", "geen",
#: "alleen", "weinig", "veel" and "te" are deliberately not in it.
STOPWORDS: frozenset[str] = _load_stopwords()


@lru_cache(maxsize=200_000)
def lemmatize(token: str) -> str:
    """The dictionary form of one lower-case Dutch token.

    Possessive and plural "'s" are dropped ("auto's" -> "auto"); a hyphenated word
    keeps its first parts and lemmatises the last ("buurt-apps" -> "buurt-app").
    Numbers stay as they are.

    >>> [lemmatize(w) for w in ["kinderen", "huizen", "woonde", "eenzame", "gezin"]]
    ['kind', 'huis', 'wonen', 'eenzaam', 'gezin']
    """
    import simplemma

    if not token or token[0].isdigit():
        return token
    if "-" in token:
        head, _, last = token.rpartition("-")
        return f"{head}-{lemmatize(last)}" if last else token
    if token.endswith("'s") and len(token) > 2:
        token = token[:-2]
    return simplemma.lemmatize(token, lang="nl").lower()


def lemmas(text: str, *, stopwords: frozenset[str] = STOPWORDS, min_length: int = 2) -> list[str]:
    """Content lemmas of a text: tokens, minus stop words, lemmatised, numbers dropped.

    A word is dropped when either its form or its lemma is a stop word ("heeft" and
    "hebben" both go), and shorter than ``min_length`` letters.

    >>> lemmas("Er zijn te weinig speeltuinen voor de kinderen in onze straat.")
    ['te', 'weinig', 'speeltuin', 'kind', 'straat']
    """
    out = []
    for token in tokenize(text):
        if token in stopwords or token[0].isdigit() or len(token) < min_length:
            continue
        lemma = lemmatize(token)
        if lemma in stopwords or len(lemma) < min_length:
            continue
        out.append(lemma)
    return out


class Keyword(tuple):
    """A keyword of a group: ``(lemma, score, count)``; the score is a z-score."""

    __slots__ = ()

    def __new__(cls, lemma: str, score: float, count: int):
        return super().__new__(cls, (lemma, score, count))

    @property
    def lemma(self) -> str:
        return self[0]

    @property
    def score(self) -> float:
        return self[1]

    @property
    def count(self) -> int:
        return self[2]


def keywords(
    groups: Mapping[Hashable, Iterable[str] | Iterable[Sequence[str]]],
    *,
    top: int = 10,
    min_count: int = 3,
    prior: float = 0.01,
) -> dict[Hashable, list[Keyword]]:
    """The words that mark each group against all the other groups.

    ``groups`` maps a group key (an area, a period, an ``(area, period)`` pair) to its
    texts, or to texts already turned into lemma lists. Scores are the weighted
    log-odds ratio with an informative Dirichlet prior (the words of all groups
    together, scaled by ``prior``), divided by its standard error: a z-score, so a word
    that is merely frequent everywhere does not stand out, and a word seen a couple of
    times in a small group does not either. Only lemmas that occur at least
    ``min_count`` times in the group are kept; best first, at most ``top``.

    >>> kw = keywords({
    ...     "Noord": ["De speeltuin is kapot.", "Geen speeltuin voor de kinderen.",
    ...               "De speeltuin bij school is dicht."],
    ...     "Zuid": ["De bus rijdt niet meer.", "De bus is te laat.", "Geen bus op zondag."],
    ... }, min_count=2)
    >>> [k.lemma for k in kw["Noord"]], [k.lemma for k in kw["Zuid"]]
    (['speeltuin'], ['bus'])
    """
    counts: dict[Hashable, Counter[str]] = {}
    for key, texts in groups.items():
        c: Counter[str] = Counter()
        for text in texts:
            c.update(lemmas(text) if isinstance(text, str) else text)
        counts[key] = c
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    n_total = sum(total.values())
    if n_total == 0:
        return {key: [] for key in counts}
    a0 = prior * n_total
    result: dict[Hashable, list[Keyword]] = {}
    for key, c in counts.items():
        n_i = sum(c.values())
        n_j = n_total - n_i
        scored = []
        for word, y_i in c.items():
            if y_i < min_count:
                continue
            a_w = prior * total[word]
            y_j = total[word] - y_i
            delta = math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log(
                (y_j + a_w) / (n_j + a0 - y_j - a_w)
            )
            var = 1.0 / (y_i + a_w) + 1.0 / (y_j + a_w)
            z = delta / math.sqrt(var)
            if z > 0:
                scored.append(Keyword(word, round(z, 4), y_i))
        scored.sort(key=lambda k: (-k.score, k.lemma))
        result[key] = scored[:top]
    return result
