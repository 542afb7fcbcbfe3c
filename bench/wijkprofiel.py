#!/usr/bin/env python3
"""The wijkprofiel's server time with a large database.

    python bench/wijkprofiel.py                        # SQLite, 100,000 stories and ballots
    python bench/wijkprofiel.py --db postgresql --stories 100000 --ballots 100000

1. Makes a throwaway database (an SQLite file, or a PostgreSQL cluster via
   ``scripts/with_postgres.py``) and migrates it; loads the bundled Zwolle wijken with
   their CBS figures.
2. Writes directly (bulk, not measured): ``--rounds`` buurtbudget rounds with funded plans,
   ``--voters`` people with a date of birth and a home wijk casting ``--ballots`` ballots,
   ``--initiatives`` initiatives with initiators, and ``--stories`` stories (each with a
   theme) spread over the wijken.
3. Times the background work: computing one wijk's snapshot, and the stories block with
   an empty cache.
4. Times ``--requests`` GETs of the wijkprofiel in the process (the production
   middleware, templates and database; no network): p50 and p95, once with the stories
   block's cache warm (as served between refreshes) and once with it cleared before every
   request (the worst case).

The last line is for scripts: ``wijkprofiel stories=N ballots=M p50_ms=X p95_ms=Y ...``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "scripts")]

from ballots import HOST, database, migrate, percentile, server_env, setup_django  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="sqlite")
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--voters", type=int, default=25_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--initiatives", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=60)
    return parser.parse_args(argv)


def _bulk(model, rows, size=5_000):
    for i in range(0, len(rows), size):
        model.objects.bulk_create(rows[i : i + size])


def fill(args) -> dict:
    from django.utils import timezone

    from buurtbasis.accounts.models import User
    from buurtbasis.areas import services as area_services
    from buurtbasis.ballots.models import Ballot
    from buurtbasis.budgets.models import FundedPlan, Plan, PlanStatus
    from buurtbasis.budgets.tests.factories import BudgetRoundFactory, MunicipalityFactory
    from buurtbasis.initiatives.models import Initiative
    from buurtbasis.stories.models import Story, StoryRound, StoryTheme, Theme

    rng = random.Random(13)
    city = area_services.load_bundled_zwolle()
    wijken = area_services.get_districts(municipality=city, with_boundary=False)
    gemeente = MunicipalityFactory(areas=[city])
    now = timezone.now()
    today = timezone.localdate()

    users = [
        User(
            username=f"bewoner{i}",
            email=f"bewoner{i}@example.org",
            password="!",  # noqa: S106 (an unusable password, as set_unusable_password)
            birth_date=today - datetime.timedelta(days=rng.randint(12 * 365, 90 * 365)),
            home_area=rng.choice(wijken),
        )
        for i in range(args.voters)
    ]
    _bulk(User, users)
    user_ids = list(
        User.objects.filter(username__startswith="bewoner").values_list("pk", flat=True)
    )

    rounds = []
    for r in range(args.rounds):
        budget_round = BudgetRoundFactory(
            areas=wijken, phase="results", organisation=gemeente, schedule=False
        )
        rounds.append(budget_round)
        plans = [
            Plan(
                budget_round=budget_round,
                area=rng.choice(wijken),
                title=f"Plan {r}-{p}",
                summary="Een plan.",
                description="Een plan voor de buurt.",
                submitted_by_id=user_ids[p],
                status=PlanStatus.FEASIBLE,
                cost_cents=100_000 + p,
                submitted_cost_cents=100_000 + p,
            )
            for p in range(12)
        ]
        _bulk(Plan, plans)
        _bulk(
            FundedPlan,
            [
                FundedPlan(plan=plan, budget_round=budget_round, amount_cents=plan.cost_cents)
                for plan in Plan.objects.filter(budget_round=budget_round)[:5]
            ],
        )

    ballots, seen, n = [], set(), 0
    while len(ballots) < args.ballots and len(seen) < args.voters * len(rounds):
        voter, budget_round = rng.choice(user_ids), rng.choice(rounds)
        if (voter, budget_round.pk) in seen:
            continue
        seen.add((voter, budget_round.pk))
        n += 1
        ballots.append(
            Ballot(
                budget_round=budget_round, channel="account", voter_id=voter, receipt=f"B{n:09d}"
            )
        )
    _bulk(Ballot, ballots)

    _bulk(
        Initiative,
        [
            Initiative(
                name=f"Initiatief {i}",
                slug=f"initiatief-{i}",
                pitch="Samen iets doen.",
                contact_email=f"init{i}@example.org",
                status="active",
            )
            for i in range(args.initiatives)
        ],
    )
    initiatives = list(Initiative.objects.values_list("pk", flat=True))
    _bulk(
        Initiative.areas.through,
        [
            Initiative.areas.through(initiative_id=i, area_id=rng.choice(wijken).pk)
            for i in initiatives
        ],
    )
    _bulk(
        Initiative.members.through,
        [
            Initiative.members.through(initiative_id=i, user_id=rng.choice(user_ids))
            for i in initiatives
        ],
    )

    story_round = StoryRound.objects.create(
        slug="verhalen",
        title="Verhalen",
        prompt="Vertel.",
        municipality_code=city.code,
        opens_at=now - datetime.timedelta(days=400),
        closes_at=now + datetime.timedelta(days=30),
        status="open",
        organisation=gemeente,
    )
    story_round.areas.set(wijken)
    themes = [
        Theme.objects.create(round=story_round, label=f"Thema {t}", order=t) for t in range(8)
    ]
    bands = ["", "0-14", "15-24", "25-44", "45-64", "65+"]
    _bulk(
        Story,
        [
            Story(
                round=story_round,
                area=rng.choice(wijken),
                text="Op het plein groeten de buren elkaar.",
                masked_text="Op het plein groeten de buren elkaar.",
                told_at=now - datetime.timedelta(days=rng.randint(0, 365)),
                consent=rng.choice(["public_anon", "professionals", "analysis"]),
                age_band=rng.choice(bands),
            )
            for _ in range(args.stories)
        ],
    )
    _bulk(
        StoryTheme,
        [
            StoryTheme(story_id=pk, theme=rng.choice(themes), source="auto", score=0.5)
            for pk in Story.objects.values_list("pk", flat=True)
        ],
    )
    # the wijk with the most stories is measured
    from django.db.models import Count

    busiest = (
        Story.objects.values("area_id").annotate(n=Count("pk")).order_by("-n").first()["area_id"]
    )
    return {"wijk": next(w for w in wijken if w.pk == busiest), "wijken": len(wijken)}


def run(args) -> dict:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from buurtbasis.portal import profile
    from buurtbasis.stories import blocks as story_blocks

    started = time.perf_counter()
    world = fill(args)
    fill_s = time.perf_counter() - started
    wijk = world["wijk"]

    started = time.perf_counter()
    snapshot = profile.refresh(wijk.pk)
    refresh_s = time.perf_counter() - started
    cache.clear()
    started = time.perf_counter()
    story_blocks.wijkprofiel_block(None, area=wijk, profile=snapshot.data)
    block_s = time.perf_counter() - started

    client = Client(HTTP_HOST=HOST)
    url = reverse("areas:profile", args=[wijk.slug])
    assert client.get(url).status_code == 200
    timings = {}
    for label, clear in (("warm", False), ("cold", True)):
        times = []
        for _ in range(args.requests):
            if clear:
                cache.clear()
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        timings[label] = (percentile(times, 50), percentile(times, 95))
    return {
        "fill_s": fill_s,
        "refresh_s": refresh_s,
        "block_ms": block_s * 1000,
        "timings": timings,
        "wijk": wijk.name,
        "wijken": world["wijken"],
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
        warm, cold = r["timings"]["warm"], r["timings"]["cold"]
        print(
            f"{args.stories} stories, {args.ballots} ballots, {args.rounds} rounds, "
            f"{args.initiatives} initiatives over {r['wijken']} wijken ({connection.vendor}); "
            f"filled in {r['fill_s']:.0f} s. {r['wijk']}: snapshot computed in "
            f"{r['refresh_s'] * 1000:.0f} ms, stories block (empty cache) {r['block_ms']:.0f} ms; "
            f"page p50/p95 {warm[0]:.1f}/{warm[1]:.1f} ms (warm), "
            f"{cold[0]:.1f}/{cold[1]:.1f} ms (stories block recomputed every request)"
        )
        print(
            f"wijkprofiel stories={args.stories} ballots={args.ballots} db={connection.vendor} "
            f"p50_ms={warm[0]:.1f} p95_ms={warm[1]:.1f} cold_p50_ms={cold[0]:.1f} "
            f"cold_p95_ms={cold[1]:.1f} refresh_ms={r['refresh_s'] * 1000:.0f} "
            f"load_average={os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
