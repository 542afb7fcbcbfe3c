#!/usr/bin/env python3
""" "Initiatives like mine" over a large install: the lookup and the initiative page.

    python bench/practices.py                          # SQLite, 50,000 items, lexical
    python bench/practices.py --backend embeddings     # stored 384-dimension vectors
    python bench/practices.py --db postgresql --items 50000

1. Makes a throwaway database (an SQLite file, or a PostgreSQL cluster via
   ``scripts/with_postgres.py``), migrates it and loads the bundled Zwolle wijken.
2. Writes directly (bulk, not measured): ``--items`` initiatives and published practices
   (one practice per ``--practice-every`` initiatives), with texts made from the demo's
   kinds of initiatives and random words, and their stored vectors: for ``lexical`` the
   real hashed vectors (``practices/adapters.encode``, timed per text: the background
   task's work), for ``embeddings`` random unit vectors of 384 dimensions (the lookup
   costs the same whatever the vectors hold; encoding 50,000 texts with the model is the
   background task's work and is not what is measured here).
3. Times the first lookup of a process (reading the stored vectors into the matrix),
   then ``--requests`` lookups of ``similarity.like_mine`` (the matrix product and the
   four queries for the names) for random initiatives, and ``--requests`` GETs of the
   initiative page (production middleware and templates, in the process): p50 and p95.

The last line is for scripts: ``practices items=N backend=B lookup_p95_ms=X page_p95_ms=Y ...``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "scripts")]

from ballots import HOST, database, migrate, percentile, server_env, setup_django  # noqa: E402

WORDS = [
    "buurt",
    "samen",
    "koffie",
    "tuin",
    "groente",
    "kinderen",
    "ouderen",
    "taal",
    "fiets",
    "reparatie",
    "koken",
    "eten",
    "wandelen",
    "zingen",
    "muziek",
    "school",
    "bibliotheek",
    "plein",
    "speeltuin",
    "vrijwilligers",
    "buren",
    "wijkcentrum",
    "zaterdag",
    "avond",
    "mantelzorg",
    "energie",
    "geld",
    "formulieren",
    "jongeren",
    "theater",
    "sport",
    "voetbal",
    "natuur",
    "bomen",
    "bloemen",
    "afval",
    "water",
    "kerk",
    "moskee",
    "markt",
    "winkel",
    "bus",
    "eenzaamheid",
    "ontmoeting",
    "gezondheid",
    "armoede",
    "opvoeden",
    "huiswerk",
    "computer",
    "telefoon",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="sqlite")
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--practice-every", type=int, default=5)
    parser.add_argument("--backend", choices=["lexical", "embeddings"], default="lexical")
    parser.add_argument("--requests", type=int, default=200)
    return parser.parse_args(argv)


def _bulk(model, rows, size=5_000):
    for i in range(0, len(rows), size):
        model.objects.bulk_create(rows[i : i + size])


def _text(rng: random.Random, kind) -> tuple[str, str, str]:
    name = kind.name.format(wijk=rng.choice(["Noord", "Zuid", "Oost", "West", "Centrum"]))
    extra = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    body = " ".join(
        p.format(street="Dorpsstraat", day="zaterdag", place="het buurthuis")
        for p in kind.paragraphs
    )
    return name, kind.pitch, f"{body} {extra}"


def fill(args) -> dict:
    import numpy as np
    from django.utils import timezone

    from buurtbasis.areas import services as area_services
    from buurtbasis.initiatives.models import Initiative
    from buurtbasis.portal.demo.initiatives import KINDS
    from buurtbasis.practices import adapters
    from buurtbasis.practices.models import Practice, SimilarIndex, SimilarItem

    rng = random.Random(14)
    city = area_services.load_bundled_zwolle()
    wijken = area_services.get_districts(municipality=city, with_boundary=False)
    n_practices = args.items // (args.practice_every + 1)
    n_initiatives = args.items - n_practices
    rows = [_text(rng, rng.choice(KINDS)) for _ in range(n_initiatives)]
    _bulk(
        Initiative,
        [
            Initiative(
                name=name,
                slug=f"initiatief-{i}",
                pitch=pitch,
                description=text,
                contact_email=f"init{i}@example.org",
                status="active",
            )
            for i, (name, pitch, text) in enumerate(rows)
        ],
    )
    initiatives = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
    where = {i: rng.choice(wijken) for i in initiatives}
    _bulk(
        Initiative.areas.through,
        [Initiative.areas.through(initiative_id=i, area_id=where[i].pk) for i in initiatives],
    )
    now = timezone.now()
    with_practice = initiatives[:n_practices]
    _bulk(
        Practice,
        [
            Practice(
                initiative_id=i,
                title=rows[n][0],
                what_it_does=rows[n][2],
                state="published",
                published_content={"title": rows[n][0], "what_it_does": rows[n][2]},
                published_at=now,
                municipality_code=city.code,
                district=where[i],
            )
            for n, i in enumerate(with_practice)
        ],
    )
    practices = list(Practice.objects.order_by("pk").values_list("pk", "initiative_id"))
    texts = [f"{name}\n{pitch}\n{text}" for name, pitch, text in rows]
    keys = [("initiative", pk, pk) for pk in initiatives] + [
        ("practice", pk, owner) for pk, owner in practices
    ]
    position = {pk: n for n, pk in enumerate(initiatives)}
    index_texts = texts + [texts[position[owner]] for _pk, owner in practices]
    started = time.perf_counter()
    if args.backend == "lexical":
        encoded = []
        for start in range(0, len(index_texts), 2_000):
            encoded += adapters.encode(index_texts[start : start + 2_000], adapters.LEXICAL)
    else:
        vectors = np.random.default_rng(14).standard_normal((len(keys), 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        encoded = [(b"", row.tobytes()) for row in vectors]
    encode_s = time.perf_counter() - started
    _bulk(
        SimilarItem,
        [
            SimilarItem(
                backend=args.backend,
                kind=kind,
                object_id=pk,
                initiative_id=owner,
                municipality_code=city.code,
                indices=indices,
                values=values,
            )
            for (kind, pk, owner), (indices, values) in zip(keys, encoded, strict=True)
        ],
        size=2_000,
    )
    SimilarIndex.objects.create(backend=args.backend, version=1)
    return {
        "initiatives": len(initiatives),
        "practices": len(practices),
        "encode_ms_per_text": encode_s * 1000 / len(keys),
    }


def run(args) -> dict:
    from django.conf import settings
    from django.test import Client

    from buurtbasis.initiatives.models import Initiative
    from buurtbasis.practices import adapters, similarity

    settings.PRACTICES_SIMILAR_BACKEND = "lexical" if args.backend == "lexical" else "auto"
    started = time.perf_counter()
    world = fill(args)
    fill_s = time.perf_counter() - started

    rng = random.Random(15)
    sample = list(Initiative.objects.order_by("?").only("pk", "slug")[: args.requests])
    adapters.forget()
    started = time.perf_counter()
    similarity.like_mine(sample[0])
    load_s = time.perf_counter() - started

    lookups, found = [], 0
    for initiative in sample:
        t0 = time.perf_counter()
        found += len(similarity.like_mine(initiative))
        lookups.append((time.perf_counter() - t0) * 1000)

    # A change: the background task stores one new vector; the next lookup of this
    # process reads only the changed row (the delta).
    started = time.perf_counter()
    similarity.index(
        [sample[1].pk], [], backend=args.backend if args.backend == "lexical" else None
    )
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    similarity.like_mine(sample[1])
    after_change_s = time.perf_counter() - started

    client = Client(HTTP_HOST=HOST)

    def pages() -> tuple[float, float]:
        assert client.get(sample[0].get_absolute_url()).status_code == 200
        times = []
        for initiative in rng.sample(sample, len(sample)):
            t0 = time.perf_counter()
            response = client.get(initiative.get_absolute_url())
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        return percentile(times, 50), percentile(times, 95)

    with_block = pages()
    from buurtbasis.platform import blocks

    blocks._blocks["initiative"].pop("practices.like_mine")
    without_block = pages()
    return {
        **world,
        "fill_s": fill_s,
        "load_s": load_s,
        "found": found / len(sample),
        "lookup": (percentile(lookups, 50), percentile(lookups, 95)),
        "page": with_block,
        "page_without": without_block,
        "index_ms": index_s * 1000,
        "after_change_ms": after_change_s * 1000,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(database(args.db, durable=False, keep_dir=None))
        env = server_env(url, 0)
        migrate(env)
        setup_django(env)
        from django.db import connection

        r = run(args)
        print(
            f"{r['initiatives']} initiatives + {r['practices']} practices ({args.backend}, "
            f"{connection.vendor}); filled in {r['fill_s']:.0f} s "
            f"({r['encode_ms_per_text']:.2f} ms per text to encode); first lookup of a process "
            f"(matrix read from the database) {r['load_s'] * 1000:.0f} ms; like-mine lookup "
            f"p50/p95 {r['lookup'][0]:.1f}/{r['lookup'][1]:.1f} ms ({r['found']:.1f} found); "
            f"a change: indexed in {r['index_ms']:.0f} ms, "
            f"next lookup {r['after_change_ms']:.0f} ms; "
            f"initiative page p50/p95 {r['page'][0]:.1f}/{r['page'][1]:.1f} ms "
            f"({r['page_without'][0]:.1f}/{r['page_without'][1]:.1f} ms without the block)"
        )
        print(
            f"practices items={args.items} backend={args.backend} db={connection.vendor} "
            f"lookup_p50_ms={r['lookup'][0]:.1f} lookup_p95_ms={r['lookup'][1]:.1f} "
            f"page_p50_ms={r['page'][0]:.1f} page_p95_ms={r['page'][1]:.1f} "
            f"load_ms={r['load_s'] * 1000:.0f} load_average={os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
