"""End to end in real Chromium: submit → assess → vote (code and account) → results →
download the Pabulib file and recompute it with the engine to the same funded set.

Written together with the ballots app (B2): the voting steps drive its pages.
"""

import hashlib
import re
from datetime import date

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots import services as ballot_services
from buurtbasis.ballots.models import Ballot
from buurtbasis.ballots.tests.queue import run_queued_tasks
from buurtbasis.budgets.models import Outcome, Plan
from buurtcore import voting
from buurtcore.voting import pabulib

from .factories import BudgetRoundFactory, civil_servant_for
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLANS = [
    ("Speeltuin opknappen", "Nieuwe schommels.", [("Schommels", "8.000")]),
    (
        "Taalcafé",
        "Elke week Nederlands oefenen.",
        [("Koffie en materiaal", "2500"), ("Training", "1.500,00")],
    ),
    ("Bankjes aan het water", "Vijf bankjes.", [("Bankjes", "4000")]),
]


def new_page(browser, live_server, user=None):
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    if user is not None:
        login(page, live_server, user)
    return page


def submit_plan(page, live_server, budget_round, title, summary, lines):
    page.goto(live_server.url + reverse("budgets:plan-create", args=[budget_round.slug]))
    page.locator("#id_title").fill(title)
    page.locator("#id_summary").fill(summary)
    page.locator("#id_description").fill(f"{summary} Dat is goed voor de buurt.")
    for i, (what, amount) in enumerate(lines):
        page.locator(f"#id_costs-{i}-description").fill(what)
        page.locator(f"#id_costs-{i}-amount").fill(amount)
    page.locator("button[type=submit]:not([name=check])").last.click()
    page.wait_for_url(re.compile(r".*/plannen/\d+/$"))
    assert page.locator("h1").inner_text() == title


def assess(page, live_server, budget_round, plan, *, cost=None, explanation=""):
    page.goto(live_server.url + reverse("budgets:plan-assess", args=[budget_round.slug, plan.pk]))
    page.locator(f"#id_plan{plan.pk}_decision_0").check()
    page.locator(f"#id_plan{plan.pk}_public_reason").fill("Haalbaar, de gemeente helpt mee.")
    if cost is not None:
        page.locator(f"#id_plan{plan.pk}_cost").fill(cost)
        page.locator(f"#id_plan{plan.pk}_cost_explanation").fill(explanation)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/toetsing/$"))


def next_phase(page, live_server, budget_round):
    page.goto(live_server.url + budget_round.get_absolute_url())
    page.locator("form[action$='/fase/'] button").click()
    page.wait_for_load_state()
    assert page.locator(".message-success").count() == 1, page.locator(".messages").inner_text()


def choose_and_confirm(page, plan_ids):
    for pk in plan_ids:
        page.locator(f"#plan-{pk}").check()
    page.locator("button[name=action][value=review]").click()
    page.locator("button[name=action][value=confirm]").click()
    page.wait_for_url(re.compile(r".*/ontvangen/.*"))
    return page.locator(".receipt-number").inner_text()


def test_submit_assess_vote_results_download_recompute(live_server, _chromium, tmp_path):
    budget_round = BudgetRoundFactory(
        budget_cents=1_500_000,
        max_choices=2,
        rule="mes",
        completion="add1",
        allow_code_voting=True,
        allow_account_voting=True,
        min_voter_age=16,
    )
    home = budget_round.areas.first()
    officer = civil_servant_for(budget_round)
    resident = UserFactory(home_area=home, birth_date=date(1990, 5, 1), email_verified=True)

    # 1. a resident submits three plans
    page = new_page(_chromium, live_server, resident)
    for title, summary, lines in PLANS:
        submit_plan(page, live_server, budget_round, title, summary, lines)
    plans = {p.title: p for p in Plan.objects.filter(budget_round=budget_round)}
    assert plans["Taalcafé"].cost_cents == 400_000

    # 2. the civil servant closes submission, assesses (one cost adjusted) and opens voting
    officer_page = new_page(_chromium, live_server, officer)
    next_phase(officer_page, live_server, budget_round)
    assess(
        officer_page,
        live_server,
        budget_round,
        plans["Speeltuin opknappen"],
        cost="9000",
        explanation="Plaatsing kost €1.000 extra.",
    )
    assess(officer_page, live_server, budget_round, plans["Taalcafé"])
    assess(officer_page, live_server, budget_round, plans["Bankjes aan het water"])
    next_phase(officer_page, live_server, budget_round)
    budget_round.refresh_from_db()
    assert budget_round.phase == "voting"

    # 3a. voters with a code letter (codes as printed on the letters)
    codes = ballot_services.generate_codes(budget_round, 4, actor=officer)
    choices = [
        [plans["Speeltuin opknappen"].pk],
        [plans["Speeltuin opknappen"].pk, plans["Bankjes aan het water"].pk],
        [plans["Taalcafé"].pk, plans["Bankjes aan het water"].pk],
        [plans["Taalcafé"].pk],
    ]
    receipts = []
    for code, chosen in zip(codes, choices, strict=True):
        voter_page = new_page(_chromium, live_server)
        voter_page.goto(live_server.url + budget_round.get_absolute_url())
        voter_page.locator(f"a.bb-button[href$='/stemmen/{budget_round.slug}/']").click()
        voter_page.locator("input[name=code]").fill(code.lower().replace("-", " "))
        voter_page.locator("main form button[type=submit]").first.click()
        receipts.append(choose_and_confirm(voter_page, chosen))
        voter_page.context.close()

    # 3b. a resident votes with their account
    page.goto(live_server.url + reverse("ballots:ballot", args=[budget_round.slug]))
    receipts.append(choose_and_confirm(page, [plans["Taalcafé"].pk]))
    assert len(set(receipts)) == 5
    assert Ballot.objects.filter(budget_round=budget_round).count() == 5
    assert Ballot.objects.filter(budget_round=budget_round, voter=resident).count() == 1

    # 4. voting closes: the count is enqueued, a worker computes it, the page shows it
    next_phase(officer_page, live_server, budget_round)
    assert not Outcome.objects.filter(budget_round=budget_round).exists()
    counts = [r for r in run_queued_tasks() if r.task_path.endswith("count_round_task")]
    assert [r.return_value for r in counts] == ["counted"]
    outcome = Outcome.objects.get(budget_round=budget_round)
    public = new_page(_chromium, live_server)
    public.goto(live_server.url + reverse("budgets:round-results", args=[budget_round.slug]))
    public.get_by_text("Voor wie het precies wil weten").click()  # the hash is in the details
    shown_hash = public.locator("code.hash").inner_text().strip()
    assert shown_hash == outcome.pabulib_sha256
    command = public.locator("code.command").inner_text()
    funded_titles = set(public.locator("#funded-title ~ ol h3").all_inner_texts())
    assert funded_titles == {Plan.objects.get(pk=pk).title for pk in outcome.funded_plan_ids}

    # 5. anyone downloads the file and recomputes it with the engine
    with public.expect_download() as info:
        public.locator("a[download]").click()
    path = tmp_path / "stemmen.pb"
    info.value.save_as(path)
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == shown_hash
    instance, profile = pabulib.read(data.decode("utf-8"))
    assert profile.n_voters == 5
    args = dict(re.findall(r"--([a-z-]+) (\S+)", command))
    again = voting.tally(
        instance,
        profile,
        rule=args["rule"],
        completion=args["completion"],
        tie_break=args["tie-break"],
        seed=int(args["seed"]),
    )
    assert {int(pid) for pid in again.selected} == set(outcome.funded_plan_ids)
    assert {instance.projects[pid].name for pid in again.selected} == funded_titles
    for p in (page, officer_page, public):
        p.context.close()
