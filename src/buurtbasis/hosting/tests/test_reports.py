"""Light accountability: the story, the report (PDF) with the figures of the ledger, the
host's and the municipality's overviews (CSV, XLSX, PDF), and who may see them."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.hosting import accountability, budget_lines, services
from buurtbasis.hosting.models import Category, GrantSource
from buurtbasis.hosting.models_reports import AccountabilityReport, AccountabilityStory
from buurtbasis.organisations.models import OrganisationKind, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import ensure_tenant
from buurtbasis.platform.testing import run_queued_tasks
from buurtbasis.platform.uploads import private_storage

from .factories import hosted

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)


def _municipality(code: str, name: str):
    city = Area.objects.create(
        year=2024, code=code, name=name, level=AreaLevel.MUNICIPALITY, slug=name.lower()
    )
    district = Area.objects.create(
        year=2024,
        code=f"WK{code[2:]}01",
        name=f"Centrum {name}",
        level=AreaLevel.DISTRICT,
        parent=city,
        slug=f"centrum-{name.lower()}",
    )
    gemeente = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[city]
    )
    servant = UserFactory(roles=[(Role.CIVIL_SERVANT, gemeente)])
    return district, servant


def _books(h, district, *, received=100_000, spent=((Category.MATERIALS, 25_000),)):
    h.initiative.areas.set([district])
    grant = services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label=f"Initiatievenfonds 2026, {h.initiative.name}",
        amount_cents=received,
        date=DAY,
        origin=h.as_officer,
    )
    for category, amount in spent:
        services.record_expense(
            grant=grant,
            category=category,
            amount_cents=amount,
            date=DAY,
            description="Uitgave",
            origin=h.as_officer,
        )
    return grant


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    """Zwolle (the default tenant) with two hosts, Rotterdam with one."""
    zwolle, zwolle_servant = _municipality("GM0193", "Zwolle")
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam", hosts=[])
    rotterdam, rotterdam_servant = _municipality("GM0599", "Rotterdam")
    a = hosted(fee_basis_points=500)
    grant_a = _books(
        a,
        zwolle,
        spent=((Category.MATERIALS, 25_000), (Category.FOOD, 4_250), (Category.MATERIALS, 1_000)),
    )
    b = hosted()
    grant_b = _books(b, zwolle, received=50_000, spent=((Category.RENT, 12_345),))
    c = hosted()
    grant_c = _books(c, rotterdam, received=70_000, spent=())
    return {
        "a": a,
        "b": b,
        "c": c,
        "grant_a": grant_a,
        "grant_b": grant_b,
        "grant_c": grant_c,
        "zwolle_servant": zwolle_servant,
        "rotterdam_servant": rotterdam_servant,
    }


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 20)).save(out, "JPEG")
    return out.getvalue()


def _story_url(h):
    return reverse("hosting:stories", args=[h.initiative.slug])


def _write(client, h, the_grant, **extra):
    data = {
        "grant": the_grant.pk,
        "period": "",
        "what_happened": "Wij hebben samen de geveltuinen in de straat aangelegd.",
        "who_took_part": "Ongeveer 40 buren en de basisschool.",
        **extra,
    }
    client.force_login(h.initiator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(_story_url(h), data)


def _pdf_text(content: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages)) + " "


# -- the story and its report -------------------------------------------------------------------


def test_a_member_writes_a_story_and_the_report_has_the_figures_of_the_ledger(client, world):
    h, grant = world["a"], world["grant_a"]
    photo = SimpleUploadedFile("tuin.jpg", _jpeg(), content_type="image/jpeg")
    response = _write(client, h, grant, photo_1=photo)
    assert response.status_code == 302
    story = AccountabilityStory.objects.get(initiative=h.initiative)
    assert story.photos.count() == 1
    stored = story.photos.get()
    assert private_storage().exists(stored.file) and len(stored.sha256) == 64

    url = reverse("hosting:story-report", args=[h.initiative.slug, story.pk])
    pending = client.get(url)
    assert pending.status_code == 200
    assert "Het rapport wordt gemaakt." in pending.content.decode()
    run_queued_tasks()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    text = _pdf_text(content)
    assert "Verantwoording" in text
    import pypdf

    assert len(pypdf.PdfReader(io.BytesIO(content)).pages[0].images) == 1  # the photo
    assert "geveltuinen" in text and "40 buren" in text
    # the figures of the ledger: € 1.000,00 in, the 5% host fee is spent on the host
    summary = accountability.story_summary(story).grants[0]
    assert summary.received == 100_000
    assert summary.spent_by_category == {"materials": 26_000, "food": 4_250, "host_fee": 5_000}
    assert summary.left == 100_000 - 26_000 - 4_250 - 5_000
    for figure in ("€ 1.000 ", "260", "42,50", "€ 50 ", "352,50", "647,50"):
        assert figure in text, figure
    assert grant.label in text


def test_the_report_shows_the_budget_per_category_next_to_spent_and_left(client, world):
    h, grant = world["a"], world["grant_a"]
    budget_lines.set_budget_lines(
        grant=grant, amounts={"materials": 30_000, "food": 4_000}, origin=h.as_officer
    )
    _write(client, h, grant)
    story = AccountabilityStory.objects.get(initiative=h.initiative)
    run_queued_tasks()
    url = reverse("hosting:story-report", args=[h.initiative.slug, story.pk])
    text = _pdf_text(b"".join(client.get(url).streaming_content))
    assert f"Budget per categorie: {grant.label}" in text
    # materials: budget 300, spent 260, left 40; food: budget 40, spent 42.50, over by 2.50
    assert "Materiaal € 300 € 260 € 40 " in text, text
    assert "Eten en drinken € 40 € 42,50 € 2,50 boven het budget" in text, text
    # the host fee has no budget line and is not over budget (nothing is left of it either)
    assert "Bijdrage gastorganisatie geen budget € 50 – " in text, text
    # the budget lines add up to less than the grant: the report says so
    assert "Let op: het budget per categorie is samen € 340; de subsidie is € 1.000." in text


def test_a_report_without_budget_lines_shows_spent_per_category_only(client, world):
    h, grant = world["a"], world["grant_a"]
    _write(client, h, grant)
    story = AccountabilityStory.objects.get(initiative=h.initiative)
    run_queued_tasks()
    url = reverse("hosting:story-report", args=[h.initiative.slug, story.pk])
    text = _pdf_text(b"".join(client.get(url).streaming_content))
    assert "Budget per categorie" not in text
    assert "Uitgegeven aan Materiaal € 260 " in text or "Materiaal € 260 " in text, text


def test_the_report_is_made_again_when_the_ledger_changes(client, world):
    h, grant = world["a"], world["grant_a"]
    _write(client, h, grant)
    story = AccountabilityStory.objects.get()
    url = reverse("hosting:story-report", args=[h.initiative.slug, story.pk])
    run_queued_tasks()
    first = AccountabilityReport.objects.get(story=story).file
    assert client.get(url)["Content-Type"] == "application/pdf"
    services.record_expense(
        grant=grant,
        category=Category.OTHER,
        amount_cents=777,
        date=DAY,
        description="Nog een uitgave",
        origin=h.as_officer,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert "Het rapport wordt gemaakt." in client.get(url).content.decode()
    run_queued_tasks()
    text = _pdf_text(b"".join(client.get(url).streaming_content))
    assert "7,77" in text
    assert not private_storage().exists(first)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"what_happened": ""}, "Vertel wat er is gebeurd."),
        ({"who_took_part": ""}, "Vertel wie er meededen."),
        ({"grant": "", "period": ""}, "Kies een subsidie of beschrijf de periode."),
    ],
)
def test_a_story_without_what_it_needs_is_refused_in_dutch(client, world, extra, message):
    h = world["a"]
    response = _write(client, h, world["grant_a"], **extra)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AccountabilityStory.objects.exists()


def test_a_fake_photo_is_refused_and_nothing_is_stored(client, world):
    h = world["a"]
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = _write(client, h, world["grant_a"], photo_1=fake)
    assert response.status_code == 200
    assert "Upload een afbeelding" in response.content.decode()
    assert not AccountabilityStory.objects.exists()


def test_a_grant_of_another_initiative_cannot_be_chosen(client, world):
    response = _write(client, world["a"], world["grant_b"])
    assert response.status_code == 200
    assert "Kies een subsidie van dit initiatief." in response.content.decode()
    assert not AccountabilityStory.objects.exists()


def test_only_members_write_a_story(client, world):
    h = world["a"]
    for user in (h.officer, world["zwolle_servant"], world["b"].initiator):
        client.force_login(user)
        assert client.get(_story_url(h)).status_code == 404


def test_who_may_download_the_report(client, world):
    h = world["a"]
    story = accountability.write_story(
        initiative=h.initiative,
        host=h.host,
        grant=world["grant_a"],
        period="",
        what_happened="Buurtfeest",
        who_took_part="Buren",
        photos=[],
        origin=Origin(actor=h.initiator),
    )
    url = reverse("hosting:story-report", args=[h.initiative.slug, story.pk])
    allowed = (h.initiator, h.officer, h.coordinator, world["zwolle_servant"])
    for user in allowed:
        client.force_login(user)
        assert client.get(url).status_code == 200, user
    refused = (
        world["b"].officer,  # another host
        world["b"].initiator,  # another initiative
        world["rotterdam_servant"],  # another municipality
        UserFactory(),
    )
    for user in refused:
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    # the Rotterdam site does not know this Zwolle initiative at all
    client.force_login(world["rotterdam_servant"])
    assert client.get("/g/rotterdam" + url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page


# -- the host's overview ----------------------------------------------------------------------


def test_the_host_page_shows_its_initiatives_with_bounded_queries(
    client, world, django_assert_max_num_queries
):
    h = world["a"]
    for _ in range(3):  # more initiatives must not mean more queries
        more = hosted(host=h.host)
        more.initiative.areas.set(h.initiative.areas.all())
        _books(more, h.initiative.areas.get())
    client.force_login(h.officer)
    url = reverse("hosting:host", args=[h.host.slug])
    with django_assert_max_num_queries(12):  # 10 measured, with 4 or with 61 grants
        response = client.get(url)
    page = response.content.decode()
    assert "Ontvangen, uitgegeven en over per initiatief" in page
    assert world["grant_a"].label in page
    assert world["grant_b"].label not in page  # another host's grant
    assert "647,50" in page


def test_the_host_overview_as_csv_and_xlsx_matches_the_ledger(client, world):
    from openpyxl import load_workbook

    h = world["a"]
    client.force_login(h.officer)
    response = client.get(reverse("hosting:host-overview", args=[h.host.slug, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Gastorganisatie", "Initiatief", "Subsidie"]
    assert rows[1] == [h.host.name, h.initiative.name, world["grant_a"].label] + [
        "1000.00",
        "352.50",
        "647.50",
        "",  # no budget lines, so nothing is over budget either
        "",
    ]
    assert len(rows) == 2

    response = client.get(reverse("hosting:host-overview", args=[h.host.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    summary = accountability.host_overview(h.host)[0]
    assert values[1][3:6] == [
        Decimal(summary.received) / 100,
        Decimal(summary.spent) / 100,
        Decimal(summary.left) / 100,
    ]
    assert values[1][3:6] == [1000, 352.5, 647.5]


def test_the_overviews_have_the_budget_per_category_in_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    from openpyxl import load_workbook

    h = world["a"]
    budget_lines.set_budget_lines(
        grant=world["grant_a"], amounts={"materials": 30_000, "food": 4_000}, origin=h.as_officer
    )

    def count(more):
        for _ in range(more):  # more grants with budget lines must not mean more queries
            other = hosted(host=h.host)
            grant = _books(other, h.initiative.areas.get())
            budget_lines.set_budget_lines(
                grant=grant, amounts={"materials": 50_000}, origin=other.as_officer
            )
        with CaptureQueriesContext(connection) as queries_run:
            accountability.host_overview(h.host, with_budget=True)
        return len(queries_run)

    assert count(0) == count(3) == 3
    rows = {r.grant: r for r in accountability.host_overview(h.host, with_budget=True)}
    assert rows[world["grant_a"]].budget == 34_000
    assert rows[world["grant_a"]].over_budget == ("Eten en drinken",)  # not the host fee
    client.force_login(h.officer)
    response = client.get(reverse("hosting:host-overview", args=[h.host.slug, "csv"]))
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][6:] == ["Budget per categorie samen (euro)", "Boven het budget"]
    mine = next(r for r in table if r[2] == world["grant_a"].label)
    assert mine[6:] == ["340.00", "Eten en drinken"]
    response = client.get(reverse("hosting:host-overview", args=[h.host.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    label = world["grant_a"].label
    mine = next([c.value for c in row] for row in sheet.iter_rows() if row[2].value == label)
    assert mine[6:] == [340, "Eten en drinken"]
    # the municipality's overview has the same columns
    client.force_login(world["zwolle_servant"])
    response = client.get(reverse("hosting:municipality-report", args=["csv"]))
    table = list(csv.reader(io.StringIO(response.content.decode())))
    mine = next(r for r in table if r[2] == world["grant_a"].label)
    assert mine[6:] == ["340.00", "Eten en drinken"]


def test_a_name_like_a_formula_is_not_run_by_a_spreadsheet(client, world):
    h = world["a"]
    h.initiative.name = '=HYPERLINK("http://kwaad.example")'
    h.initiative.save()
    client.force_login(h.officer)
    response = client.get(reverse("hosting:host-overview", args=[h.host.slug, "csv"]))
    assert "'=HYPERLINK" in response.content.decode()


def test_another_hosts_staff_cannot_download_the_overview(client, world):
    client.force_login(world["b"].officer)
    url = reverse("hosting:host-overview", args=[world["a"].host.slug, "csv"])
    assert client.get(url).status_code == 404
    client.force_login(world["zwolle_servant"])
    assert client.get(url).status_code == 404


# -- the municipality's report ------------------------------------------------------------------


def test_the_municipality_report_covers_every_host_in_it_and_nothing_else(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["zwolle_servant"])
    with django_assert_max_num_queries(10):  # 8 measured
        page = client.get(reverse("hosting:municipality")).content.decode()
    assert world["grant_a"].label in page and world["grant_b"].label in page
    assert world["grant_c"].label not in page  # Rotterdam
    # 1.000,00 + 500,00 received; 352,50 (with the host fee) + 123,45 spent
    assert "Ontvangen € 1.500, uitgegeven € 475,95, over € 1.024,05." in page.replace("\xa0", " ")

    response = client.get(reverse("hosting:municipality-report", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert {r[2] for r in rows[1:]} == {world["grant_a"].label, world["grant_b"].label}

    from openpyxl import load_workbook

    response = client.get(reverse("hosting:municipality-report", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert sum(Decimal(str(r[3])) for r in body) == Decimal("1500.00")
    assert sum(Decimal(str(r[4])) for r in body) == Decimal("475.95")
    assert sum(Decimal(str(r[5])) for r in body) == Decimal("1024.05")

    pdf = reverse("hosting:municipality-report", args=["pdf"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert "Het rapport wordt gemaakt." in client.get(pdf).content.decode()
    run_queued_tasks()
    response = client.get(pdf)
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(response.streaming_content))
    assert world["a"].host.name in text and world["b"].host.name in text
    assert world["c"].host.name not in text
    assert "1.500" in text and "1.024,05" in text


def test_the_municipality_report_is_for_its_civil_servants_only(client, world):
    url = reverse("hosting:municipality-report", args=["csv"])
    for user in (world["a"].officer, world["a"].initiator, UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404
    # Rotterdam's civil servant sees Rotterdam, not Zwolle
    client.force_login(world["rotterdam_servant"])
    assert client.get(url).status_code == 404
    response = client.get("/g/rotterdam" + url)
    assert response.status_code == 200
    labels = {r[2] for r in list(csv.reader(io.StringIO(response.content.decode())))[1:]}
    assert labels == {world["grant_c"].label}


def test_an_unknown_format_is_not_found(client, world):
    client.force_login(world["zwolle_servant"])
    assert client.get(reverse("hosting:municipality-report", args=["doc"])).status_code == 404


def test_a_story_can_follow_the_end_of_the_agreement(client, world):
    h = world["b"]
    services.end(
        agreement=h.agreement,
        reason="Klaar",
        settle_to="Teruggestort aan de gemeente",
        origin=Origin(actor=h.officer),  # money is left: the host's finance officer books it
    )
    response = _write(client, h, world["grant_b"])
    assert response.status_code == 302
    story = AccountabilityStory.objects.get(initiative=h.initiative)
    assert story.host == h.host
    summary = accountability.story_summary(story).grants[0]
    assert summary.received == 50_000
    assert summary.left == 0  # the rest went back with a record
    assert summary.spent_by_category["transfer"] == 50_000 - 12_345


def test_the_dashboard_leads_the_civil_servant_to_the_municipality_report(client, world):
    report = reverse("hosting:municipality")
    client.force_login(world["zwolle_servant"])
    assert f'href="{report}"' in client.get(reverse("portal:dashboard")).text
    for user in (world["rotterdam_servant"], world["a"].officer):
        client.force_login(user)
        assert f'href="{report}"' not in client.get(reverse("portal:dashboard")).text


def test_the_writer_gets_the_story_in_the_export_and_erasure_keeps_it_without_the_name(world):
    from buurtbasis.accounts.services import delete_account
    from buurtbasis.platform.privacy import export_personal_data

    h = world["a"]
    story = accountability.write_story(
        initiative=h.initiative,
        host=h.host,
        grant=world["grant_a"],
        period="",
        what_happened="Buurtfeest in de zomer",
        who_took_part="Buren",
        photos=[],
        origin=Origin(actor=h.initiator),
    )
    exported = export_personal_data(h.initiator)["hosting"]["accountability_stories_written"]
    assert exported[0]["what_happened"] == "Buurtfeest in de zomer"
    delete_account(user=h.initiator)
    story.refresh_from_db()
    assert story.written_by is None
    assert story.what_happened == "Buurtfeest in de zomer"  # the initiative's account stays


def test_the_download_names_are_dutch(client, world):
    h = world["a"]
    client.force_login(h.officer)
    response = client.get(reverse("hosting:host-overview", args=[h.host.slug, "csv"]))
    assert f'filename="{h.host.slug}-overzicht-' in response["Content-Disposition"]
    client.force_login(world["zwolle_servant"])
    response = client.get(reverse("hosting:municipality-report", args=["xlsx"]))
    assert 'filename="gastorganisaties-gm0193-' in response["Content-Disposition"]


def test_a_story_about_a_period_sums_every_grant_of_its_host(world):
    h = world["a"]
    second = services.record_grant(
        initiative=h.initiative,
        source=GrantSource.OTHER,
        label="Bijdrage woningcorporatie",
        amount_cents=20_000,
        date=DAY,
        origin=h.as_officer,
    )
    story = accountability.write_story(
        initiative=h.initiative,
        host=h.host,
        grant=None,
        period="Voorjaar 2026",
        what_happened="Straatfeest",
        who_took_part="Buren",
        photos=[],
        origin=Origin(actor=h.initiator),
    )
    books = accountability.story_summary(story)
    assert [g.grant for g in books.grants] == [world["grant_a"], second]
    assert books.received == 120_000
    assert books.left == 64_750 + 19_000  # 5% host fee on the second grant too
    html = accountability.report_html(story)
    assert "Voorjaar 2026" in html and "Bijdrage woningcorporatie" in html


def test_writing_many_stories_in_an_hour_is_refused(client, world, monkeypatch):
    from buurtbasis.hosting import views_reports

    monkeypatch.setattr(views_reports, "STORY_LIMIT", 2)
    h = world["a"]
    assert _write(client, h, world["grant_a"]).status_code == 302
    assert _write(client, h, world["grant_a"]).status_code == 302
    response = _write(client, h, world["grant_a"])
    assert response.status_code == 200
    assert "U heeft in korte tijd veel verhalen geschreven." in response.content.decode()
    assert AccountabilityStory.objects.count() == 2
