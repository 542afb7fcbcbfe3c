"""Results a council can use: the page in plain words, the chart, the report and exports,
and the civil servant's preview of what each rule would fund."""

import csv
import io
import re
import time

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots.tests.helpers import close_and_count, vote
from buurtbasis.budgets import exports, preview, reasons
from buurtbasis.budgets.models import CouncilReport, FundedPlan, Outcome
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.spreadsheets import safe_cell
from buurtbasis.platform.testing import run_queued_tasks
from buurtbasis.platform.uploads import private_storage

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_elsewhere, civil_servant_for

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/","klik")'


def _round(**kwargs):
    """Budget € 100; the plan with the most votes (€ 80, 6 votes) is not chosen by MES."""
    budget_round = BudgetRoundFactory(
        phase="voting",
        budget_cents=10_000,
        rule="mes",
        completion="add1",
        max_choices=3,
        **kwargs,
    )
    a = PlanFactory(
        budget_round=budget_round, title="Kunstgrasveld", cost_cents=8_000, status="feasible"
    )
    b = PlanFactory(
        budget_round=budget_round, title="Taalcafé", cost_cents=4_000, status="feasible"
    )
    c = PlanFactory(budget_round=budget_round, title=FORMULA, cost_cents=4_000, status="feasible")
    return budget_round, a, b, c


@pytest.fixture
def counted():
    budget_round, a, b, c = _round(leftover_text="Het geld dat over is, gaat naar de speeltuin.")
    vote(budget_round, [[a]] * 6 + [[b]] * 4 + [[c]] * 4)
    budget_round = close_and_count(budget_round=budget_round)
    return budget_round, a, b, c


def _page(client, budget_round, language="nl"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("budgets:round-results", args=[budget_round.slug]))
    assert response.status_code == 200
    return response, response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


def test_the_page_opens_with_what_was_chosen_the_money_left_and_what_happens_to_it(client, counted):
    budget_round, a, b, c = counted
    response, html = _page(client, budget_round)
    text = _text(html)
    start = text.index("De uitslag in het kort")
    assert "2 plannen zijn gekozen, voor € 80 van de € 100." in text[start:]
    assert "Geld dat over is: € 20." in text
    assert "Het geld dat over is, gaat naar de speeltuin." in text
    # up front: the plan with the most votes was not chosen, and why
    top = text.index("Waarom het plan met de meeste stemmen niet is gekozen")
    assert top < text.index("Gekozen plannen")
    assert "Het plan met de meeste stemmen, “Kunstgrasveld”, is niet gekozen." in text
    assert "De 6 mensen die erop stemden, hadden samen nog" in text[top:]
    assert "Nu gekozen, niet bij meeste stemmen eerst" in text


def test_without_a_leftover_text_the_page_says_so(client):
    budget_round, a, b, c = _round()
    vote(budget_round, [[a]] * 6 + [[b]] * 4 + [[c]] * 4)
    budget_round = close_and_count(budget_round=budget_round)
    _response, html = _page(client, budget_round)
    assert "De gemeente heeft nog niet gezegd wat er met dit geld gebeurt." in _text(html)


def test_technical_terms_are_only_in_the_details_part(client, counted):
    budget_round, *_ = counted
    _response, html = _page(client, budget_round)
    details = html.index('<details class="results-details"')
    for term in ("Method of Equal Shares", "Add1", "Endowment", "Regel A", "greedy"):
        assert term in html[details:], term
        assert term not in html[:details], term
    # the hash and the command to count again are kept, in the details part
    assert budget_round.outcome.pabulib_sha256 in html[details:]
    assert f"--seed {budget_round.tie_break_seed}" in html[details:]


def test_the_chart_is_an_accessible_svg_with_the_same_data_as_a_table(client, counted):
    budget_round, a, b, c = counted
    response, html = _page(client, budget_round)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "aria-labelledby=" in svg
    assert "<title" in svg and "<desc" in svg
    assert "style=" not in svg
    assert svg.count('class="chart-row') == 3
    assert svg.count("✓") == 1 + 2  # legend + two chosen plans
    table = html[html.index('class="chart-table"') :]
    table = table[: table.index("</details>")]
    for plan in (a, b):
        assert plan.title in table
    assert "=HYPERLINK(&quot;" in table  # escaped, like everywhere
    assert '<td class="num">6</td>' in table


def test_the_english_interface_explains_in_english(client, counted):
    budget_round, *_ = counted
    _response, html = _page(client, budget_round, language="en")
    text = _text(html)
    assert "The plan with the most votes, “Kunstgrasveld”, was not chosen." in text
    assert "The 6 people who voted for it had" in text
    assert "The 4 people who voted for it paid for it together from their shares" in text
    assert "Money left over: €20." in text or "Money left over: €20" in text
    for dutch in ("kreeg", "stemden", "krijgt geen geld", "Dit project", "gelijke delen"):
        assert dutch not in text, dutch


@pytest.mark.parametrize(
    "entry, english",
    [
        (
            {"reason": "greedy_selected", "rank": 1, "budget_left": "100", "votes": 3, "cost": 60},
            "Speeltuin (€60) got 3 votes. It was number 1 in the order of votes. At its turn "
            "€100 was still left. That was enough, so this plan gets the money.",
        ),
        (
            {"reason": "greedy_no_fit", "rank": 2, "budget_left": "40", "votes": 1, "cost": 60},
            "Speeltuin (€60) got 1 vote. It was number 2 in the order of votes. At its turn "
            "only €40 was left. That was not enough, so this plan gets no money.",
        ),
        (
            {"reason": "no_votes", "votes": 0, "cost": 60},
            "Speeltuin (€60) got no votes and gets no money.",
        ),
        (
            {
                "reason": "mes_bought",
                "votes": 2,
                "supporters": 2,
                "cost": 60,
                "funded": True,
                "payments": [{"amount": "40", "voters": 1}, {"amount": "20", "voters": 1}],
            },
            "Speeltuin (€60) got 2 votes. The 2 people who voted for it paid for it together "
            "from their shares of the budget. This is how they paid: 1 person paid €40; "
            "1 person paid €20. So this plan gets money.",
        ),
        (
            {"reason": "something_new", "votes": 2, "cost": 60, "text": "De motor zegt dit."},
            "De motor zegt dit.",
        ),
    ],
)
def test_each_reason_code_reads_in_english(entry, english):
    with translation.override("en"):
        assert reasons.plan_text(entry, "Speeltuin") == english


def test_a_reason_reads_in_dutch_by_default():
    entry = {"reason": "greedy_no_fit", "rank": 2, "budget_left": "40", "votes": 1, "cost": 60}
    with translation.override("nl"):
        assert reasons.plan_text(entry, "Speeltuin") == (
            "Speeltuin (€\xa060) kreeg 1 stem. Het stond op plaats 2 van het aantal stemmen. "
            "Toen het aan de beurt was, was er nog maar €\xa040 over. Dat was te weinig, dus dit "
            "plan krijgt geen geld."
        )


# -- council report and exports -----------------------------------------------------------------


def _report(client, budget_round):
    return client.get(reverse("budgets:round-report", args=[budget_round.slug]))


def test_the_council_report_is_a_pdf_with_the_outcome_and_the_reasons(client, counted):
    import pypdf

    budget_round, a, b, c = counted
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = _report(client, budget_round)
    assert first.status_code == 200
    assert "Het rapport voor de gemeenteraad wordt gemaakt." in first.content.decode()
    started = time.perf_counter()
    run_queued_tasks()
    elapsed = time.perf_counter() - started
    response = _report(client, budget_round)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Rapport voor de gemeenteraad" in text
    assert budget_round.title in text
    for plan in (a, b):
        assert plan.title in text
    assert "Het geld dat over is, gaat naar de speeltuin." in text
    assert "is niet gekozen" in text
    assert "De 6 mensen die erop stemden" in text
    assert budget_round.outcome.pabulib_sha256[:16] in text.replace(" ", "")
    pages, size = len(reader.pages), len(content)
    print(f"council report: {pages} pages, {size} bytes, task {elapsed:.2f} s")


def test_the_english_report_is_in_english_and_a_recount_makes_a_new_one(client, counted):
    import pypdf

    budget_round, *_ = counted
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert "being prepared" in _report(client, budget_round).content.decode()
    run_queued_tasks()
    report = CouncilReport.objects.get(budget_round=budget_round, language="en")
    first_file = report.file
    content = b"".join(_report(client, budget_round).streaming_content)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Council report" in text and "was not chosen" in text
    # a new outcome: the old report is not served, a new one is made and the old file goes
    Outcome.objects.filter(budget_round=budget_round).update(computed_at=timezone.now())
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert "being prepared" in _report(client, budget_round).content.decode()
    run_queued_tasks()
    report.refresh_from_db()
    assert report.file != first_file
    assert not private_storage().exists(first_file)
    assert _report(client, budget_round)["Content-Type"] == "application/pdf"


def test_asking_twice_while_it_is_prepared_enqueues_one_task(client, counted):
    from django_tasks_db.models import DBTaskResult

    budget_round, *_ = counted
    with TestCase.captureOnCommitCallbacks(execute=True):
        _report(client, budget_round)
        _report(client, budget_round)
    assert DBTaskResult.objects.filter(task_path__endswith="make_council_report").count() == 1


def test_the_csv_has_every_plan_and_no_formula(client, counted):
    budget_round, a, b, c = counted
    FundedPlan.objects.filter(plan=b).update(status="in_progress")
    response = client.get(reverse("budgets:round-export", args=[budget_round.slug, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = f'attachment; filename="{budget_round.slug}-uitslag.csv"'
    assert response["Content-Disposition"] == disposition
    assert not response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == [
        "Plannummer",
        "Titel",
        "Gebied",
        "Categorie",
        "Kosten (euro)",
        "Stemmen",
        "Gekozen",
        "Reden",
        "Stand van de uitvoering",
    ]
    by_id = {int(r[0]): r for r in rows[1:]}
    assert set(by_id) == {a.pk, b.pk, c.pk}
    assert by_id[a.pk][4:7] == ["80.00", "6", "nee"]
    assert by_id[b.pk][6] == "ja" and by_id[b.pk][8] == "Bezig"
    assert by_id[b.pk][2] == ""  # no area given
    assert by_id[c.pk][1] == "'" + FORMULA
    assert by_id[c.pk][7].startswith("'" + FORMULA)
    assert "De 6 mensen die erop stemden" in by_id[a.pk][7]


def test_the_xlsx_opens_with_every_plan_and_no_formula(client, counted):
    from openpyxl import load_workbook

    budget_round, a, b, c = counted
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("budgets:round-export", args=[budget_round.slug, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith(f'{budget_round.slug}-results.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Plan number", "Title", "Area")
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id[a.pk][4] == 80 and by_id[a.pk][5] == 6 and by_id[a.pk][6] == "no"
    assert "had €" in by_id[a.pk][7]
    assert by_id[c.pk][1] == "'" + FORMULA
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_exports_only_exist_once_there_are_results(client):
    budget_round, *_ = _round()
    for name, args in (("round-report", []), ("round-export", ["csv"]), ("round-export", ["xlsx"])):
        response = client.get(reverse(f"budgets:{name}", args=[budget_round.slug, *args]))
        assert response.status_code == 404


def test_an_unknown_export_format_is_not_found(client, counted):
    budget_round, *_ = counted
    response = client.get(reverse("budgets:round-export", args=[budget_round.slug, "ods"]))
    assert response.status_code == 404


def test_safe_cell_guards_every_formula_start():
    for start in "=+-@":
        assert safe_cell(start + "1+1") == "'" + start + "1+1"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell(12) == 12


# -- the rule preview -----------------------------------------------------------------------------


def test_the_preview_takes_a_plain_mapping_of_supporters():
    budget_round, a, b, c = _round()
    support = {a.pk: set(range(6)), b.pk: set(range(6, 10)), c.pk: set(range(10, 14))}
    result = preview.rule_preview(budget_round, support)
    by_rule = {(col["rule"], col["completion"]): col for col in result["columns"]}
    assert [p.pk for p in by_rule[("greedy", "none")]["plans"]] == [a.pk]
    assert {p.pk for p in by_rule[("mes", "add1")]["plans"]} == {b.pk, c.pk}
    assert by_rule[("mes", "add1")]["is_rounds_rule"]
    assert by_rule[("mes", "add1")]["satisfied"] == 8
    assert by_rule[("greedy", "none")]["leftover_cents"] == 2_000
    assert result["n_supporters"] == 14
    assert [r["plan"].pk for r in result["rows"]][0] == a.pk


def test_before_voting_the_preview_says_plainly_that_there_is_no_support_yet(client):
    budget_round = BudgetRoundFactory(phase="assessment")
    PlanFactory(budget_round=budget_round, status="submitted")
    client.force_login(civil_servant_for(budget_round))
    response = client.get(reverse("budgets:rule-preview", args=[budget_round.slug]))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Er is nog geen steun verzameld." in text
    assert "Er is 1 plan om te bekijken." in text
    assert not AuditEvent.objects.filter(action="budgets.rule_preview_viewed").exists()


def test_while_voting_the_preview_uses_the_votes_so_far_and_is_on_the_audit_trail(client):
    budget_round, a, b, c = _round()
    vote(budget_round, [[a]] * 6 + [[b]] * 4 + [[c]] * 4)
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    detail = client.get(budget_round.get_absolute_url()).content.decode()
    url = reverse("budgets:rule-preview", args=[budget_round.slug])
    assert url in detail
    response = client.get(url)
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Op basis van de stemmen tot nu toe: 14 stembiljetten." in text
    columns = response.context["preview"]["columns"]
    assert [p.pk for p in columns[0]["plans"]] == [a.pk]
    assert {p.pk for p in columns[1]["plans"]} == {b.pk, c.pk}
    event = AuditEvent.objects.get(action="budgets.rule_preview_viewed")
    assert event.actor == officer and event.details == {"source": "votes"}


@pytest.mark.parametrize("who", ["anonymous", "resident", "elsewhere"])
def test_only_the_rounds_civil_servants_see_the_preview(client, who):
    budget_round, *_ = _round()
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "elsewhere":
        client.force_login(civil_servant_elsewhere())
    response = client.get(reverse("budgets:rule-preview", args=[budget_round.slug]))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == 403


def test_the_leftover_text_is_set_on_the_round_form(client):
    from .test_create_round import _post_data

    budget_round = BudgetRoundFactory(phase="submission")
    client.force_login(civil_servant_for(budget_round))
    data = _post_data(
        budget_round.organisation,
        list(budget_round.areas.all()),
        leftover_text="Wat over is, gaat naar volgend jaar.",
    )
    response = client.post(reverse("budgets:round-edit", args=[budget_round.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    budget_round.refresh_from_db()
    assert budget_round.leftover_text == "Wat over is, gaat naar volgend jaar."


def test_the_leftover_text_can_be_set_after_the_count(client, counted):
    budget_round, *_ = counted
    client.force_login(civil_servant_for(budget_round))
    url = reverse("budgets:round-edit", args=[budget_round.slug])
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled:
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value
    data["leftover_text"] = "Het geld gaat terug naar de gemeente."
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    _response, html = _page(client, budget_round)
    assert "Het geld gaat terug naar de gemeente." in _text(html)


def test_before_voting_the_preview_uses_supporters_from_any_source(client):
    """Supporters of plans (another part of the platform) answer the same signal."""
    from buurtbasis.budgets.signals import support_requested

    budget_round = BudgetRoundFactory(phase="assessment", budget_cents=10_000)
    a, b = (
        PlanFactory(budget_round=budget_round, cost_cents=cost, status="submitted")
        for cost in (8_000, 4_000)
    )

    def supporters(sender, *, budget_round, **kwargs):
        return {"kind": "supporters", "support": {a.pk: {1, 2, 3}, b.pk: {4, 5}}}

    support_requested.connect(supporters, dispatch_uid="test.supporters")
    try:
        client.force_login(civil_servant_for(budget_round))
        response = client.get(reverse("budgets:rule-preview", args=[budget_round.slug]))
    finally:
        support_requested.disconnect(dispatch_uid="test.supporters")
    text = _text(response.content.decode())
    assert "Op basis van de steun tot nu toe: 5 mensen." in text
    columns = response.context["preview"]["columns"]
    assert [p.pk for p in columns[0]["plans"]] == [a.pk]  # most support first
    assert [p.pk for p in columns[1]["plans"]] == [b.pk]  # equal shares: 3 × € 20 < € 80


def test_the_report_prints_the_chart_of_a_large_round_in_parts_that_fit_a_page():
    from buurtbasis.budgets.adapters import outcome_values, pabulib_bytes
    from buurtbasis.budgets.services import engine_params

    budget_round = BudgetRoundFactory(phase="results", budget_cents=100_000, max_choices=3)
    plans = [
        PlanFactory(budget_round=budget_round, cost_cents=10_000, status="feasible")
        for _ in range(30)
    ]
    ballots = [{p.pk: 1 for p in plans[i % 30 : i % 30 + 3]} for i in range(60)]
    values = outcome_values(
        pabulib_bytes(budget_round, ballots),
        params=engine_params(budget_round),
        compare_with_greedy=True,
    )
    outcome = Outcome.objects.create(budget_round=budget_round, **values)
    html = exports.report_html(budget_round, outcome)
    assert html.count("<svg") == 3  # 12 + 12 + 6 plans
    assert html.count('class="chart-row') == 30


def test_many_different_payments_read_as_a_range():
    entry = {
        "reason": "mes_bought",
        "votes": 5,
        "supporters": 5,
        "cost": 100,
        "funded": True,
        "payments": [{"amount": str(a), "voters": 1} for a in (30, 25, 20, "31/2", "19/2")],
    }
    with translation.override("nl"):
        text = reasons.plan_text(entry, "Speeltuin")
    assert text.endswith(
        "De 5 mensen die erop stemden, betaalden het samen uit hun deel van het budget. Ieder "
        "van hen betaalde tussen €\xa09,50 en €\xa030. Daarom krijgt dit plan geld."
    )


def test_a_round_that_is_not_public_keeps_its_report_and_exports_to_its_managers(client, counted):
    budget_round, *_ = counted
    budget_round.is_public = False
    budget_round.save(update_fields=["is_public"])
    urls = [
        reverse("budgets:round-report", args=[budget_round.slug]),
        reverse("budgets:round-export", args=[budget_round.slug, "csv"]),
        reverse("budgets:round-export", args=[budget_round.slug, "xlsx"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(civil_servant_for(budget_round))
    for url in urls:
        assert client.get(url).status_code == 200


def test_before_voting_the_preview_uses_the_supporters_of_plans(client):
    """Support gathered during submission is what each rule would fund before voting."""
    from buurtbasis.budgets.models import PlanSupport

    budget_round = BudgetRoundFactory(phase="assessment", budget_cents=10_000, rule="mes")
    a = PlanFactory(budget_round=budget_round, title="A", cost_cents=8_000, status="feasible")
    b = PlanFactory(budget_round=budget_round, title="B", cost_cents=4_000, status="feasible")
    c = PlanFactory(budget_round=budget_round, title="C", cost_cents=4_000, status="feasible")
    for plan, n in ((a, 6), (b, 4), (c, 4)):
        for _ in range(n):
            PlanSupport.objects.create(plan=plan, user=UserFactory())
    client.force_login(civil_servant_for(budget_round))
    response = client.get(reverse("budgets:rule-preview", args=[budget_round.slug]))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Op basis van de steun tot nu toe: 14 mensen." in text
    columns = response.context["preview"]["columns"]
    assert [p.pk for p in columns[0]["plans"]] == [a.pk]
    assert {p.pk for p in columns[1]["plans"]} == {b.pk, c.pk}
