"""AVG: a person downloads their Buurtbudget data and deletes their account."""

import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.accounts.models import User
from buurtbasis.accounts.services import anonymous_email, delete_account
from buurtbasis.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from buurtbasis.budgets import services
from buurtbasis.budgets.models import (
    Assessment,
    BudgetRound,
    FundedPlan,
    PhaseChange,
    Plan,
    PlanVersion,
    ProgressUpdate,
)
from buurtbasis.platform import privacy
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.tests import images

from .factories import BudgetRoundFactory, InitiativeFactory, PlanFactory, civil_servant_for

pytestmark = pytest.mark.django_db

PNG = images.png()


def _photo(name="tuin.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _plan_data(title, *, photo=None, lines=(("Plantenbakken", 200_000),), **kwargs):
    return services.PlanData(
        title=title,
        summary="Een moestuin voor de hele straat.",
        description="Op het grasveld is plek voor plantenbakken.",
        photo=photo,
        photo_alt="Het grasveld" if photo else "",
        cost_lines=list(lines),
        **kwargs,
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def story(media, django_capture_on_commit_callbacks):
    """Anna submits, edits and withdraws plans; Bert, a civil servant, runs the round."""
    budget_round = BudgetRoundFactory(title="Buurtbudget Holtenbroek 2026")
    bert = civil_servant_for(budget_round, email="bert@gemeente.example.nl")
    anna = UserFactory(email="anna@example.nl", display_name="Anna de Boer")
    carla = UserFactory(email="carla@example.nl")
    moestuin = InitiativeFactory(name="Moestuin Dijkstraat", members=[anna, carla])

    garden = services.submit_plan(
        budget_round=budget_round,
        author=anna,
        data=_plan_data("Moestuin aan de Dijkstraat", photo=_photo("eerste.png")),
    )
    first_photo = garden.photo.name
    services.update_plan(
        plan=garden,
        editor=anna,
        data=_plan_data(
            "Moestuin aan de Dijkstraat (groter)",
            photo=_photo("tweede.png"),
            lines=[("Plantenbakken", 200_000), ("Gereedschap", 15_025)],
        ),
    )
    garden.refresh_from_db()
    withdrawn = services.submit_plan(
        budget_round=budget_round,
        author=anna,
        data=_plan_data("Schommel bij de flat", photo=_photo("schommel.png")),
    )
    withdrawn_photo = withdrawn.photo.name
    services.withdraw_plan(plan=withdrawn, actor=anna)
    joint = services.submit_plan(
        budget_round=budget_round,
        author=anna,
        data=_plan_data("Bloembakken van de moestuin", initiative=moestuin),
    )
    services.withdraw_plan(plan=joint, actor=anna)
    # Carla's plan for the same initiative; Anna edits it once.
    carla_plan = services.submit_plan(
        budget_round=budget_round,
        author=carla,
        data=_plan_data("Compostbak van Carla", initiative=moestuin),
    )
    services.update_plan(
        plan=carla_plan,
        editor=anna,
        data=_plan_data("Compostbak van Carla en Anna", initiative=moestuin),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.assess_plan(
            plan=garden,
            assessor=bert,
            feasible=True,
            public_reason="Past in het beleid voor groen.",
            cost_cents=210_000,
            cost_explanation="Gereedschap wordt gedeeld.",
        )
        services.assess_plan(plan=carla_plan, assessor=bert, feasible=True, public_reason="")
    services.advance_phase(budget_round=budget_round, actor=bert)
    garden.refresh_from_db()
    funding = FundedPlan.objects.create(
        plan=garden, budget_round=budget_round, amount_cents=garden.cost_cents
    )
    update = ProgressUpdate.objects.create(
        funded_plan=funding,
        happened_on="2026-09-01",
        text="De bakken staan er.",
        status="in_progress",
        photo=_photo("bakken.png"),
        author=anna,
    )
    return {
        "round": budget_round,
        "anna": anna,
        "bert": bert,
        "carla": carla,
        "garden": garden,
        "first_photo": first_photo,
        "withdrawn": withdrawn,
        "withdrawn_photo": withdrawn_photo,
        "joint": joint,
        "carla_plan": carla_plan,
        "update": update,
    }


def test_it_exports_the_plans_a_resident_submitted(story):
    data = privacy.export_personal_data(story["anna"])["budgets"]
    titles = [plan["title"] for plan in data["plans"]]
    assert titles == [
        "Moestuin aan de Dijkstraat (groter)",
        "Schommel bij de flat",
        "Bloembakken van de moestuin",
    ]
    garden = data["plans"][0]
    assert garden["round"] == "Buurtbudget Holtenbroek 2026"
    assert garden["status"] == "feasible"
    assert garden["cost_lines"] == [
        {"description": "Plantenbakken", "amount_cents": 200_000},
        {"description": "Gereedschap", "amount_cents": 15_025},
    ]
    assert (garden["submitted_cost_cents"], garden["cost_cents"]) == (215_025, 210_000)
    assert garden["public_reason"] == "Past in het beleid voor groen."
    assert garden["funding"] == {"amount_cents": 210_000, "execution_status": "planned"}
    assert garden["photo"] == reverse(
        "budgets:plan-photo", args=[story["round"].slug, story["garden"].pk]
    )
    assert [(v["number"], v["by_you"]) for v in garden["versions"]] == [(1, True), (2, True)]
    assert garden["versions"][0]["content"]["title"] == "Moestuin aan de Dijkstraat"
    assert data["plans"][1]["status"] == "withdrawn"


def test_it_exports_edits_and_progress_updates_of_the_resident(story):
    data = privacy.export_personal_data(story["anna"])["budgets"]
    assert [(e["plan"], e["version"]) for e in data["edits_to_other_plans"]] == [
        ("Compostbak van Carla en Anna", 2)
    ]
    assert data["edits_to_other_plans"][0]["content"]["title"] == "Compostbak van Carla en Anna"
    [update] = data["progress_updates"]
    assert (update["plan"], update["text"], update["status"]) == (
        "Moestuin aan de Dijkstraat (groter)",
        "De bakken staan er.",
        "in_progress",
    )
    assert update["photo"].endswith(f"/voortgang/{story['update'].pk}/foto/")
    # What the civil servant did is not part of the resident's data.
    assert data["assessments"] == data["phase_changes"] == data["rounds_created"] == []


def test_it_exports_what_a_civil_servant_did_in_that_role(story):
    data = privacy.export_personal_data(story["bert"])["budgets"]
    assert data["plans"] == data["edits_to_other_plans"] == data["progress_updates"] == []
    decisions = [(a["plan"], a["decision"], a["cost_after_cents"]) for a in data["assessments"]]
    assert decisions == [
        ("Moestuin aan de Dijkstraat (groter)", "feasible", 210_000),
        ("Compostbak van Carla en Anna", "feasible", 200_000),
    ]
    assert data["assessments"][0]["cost_explanation"] == "Gereedschap wordt gedeeld."
    assert [(c["from"], c["to"]) for c in data["phase_changes"]] == [("submission", "assessment")]


def test_it_exports_nothing_of_another_person(story):
    carla = json.dumps(privacy.export_personal_data(story["carla"])["budgets"])
    assert "Compostbak van Carla en Anna" in carla
    for text in ("Moestuin aan de Dijkstraat", "Schommel", "Bloembakken", "De bakken staan er"):
        assert text not in carla
    # Anna's edit of Carla's plan is in Carla's history, but not who made it.
    carla_data = json.loads(carla)
    versions = carla_data["plans"][0]["versions"]
    assert [v["by_you"] for v in versions] == [True, False]
    assert "anna@example.nl" not in carla and "Anna de Boer" not in carla


def test_it_keeps_public_plans_and_decisions_but_clears_the_links(
    story, media, django_capture_on_commit_callbacks
):
    anna, bert = story["anna"], story["bert"]
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=bert)
        delete_account(user=anna)
    garden = Plan.objects.get(pk=story["garden"].pk)
    assert garden.submitted_by_id == anna.pk  # required link: the anonymised account
    assert User.objects.get(pk=anna.pk).email == anonymous_email(anna.pk)
    assert garden.status == "feasible" and garden.cost_cents == 210_000
    assert not PlanVersion.objects.filter(created_by__in=[anna, bert]).exists()
    assert PlanVersion.objects.filter(plan=garden).count() == 2
    assert not ProgressUpdate.objects.filter(author=anna).exists()
    assert ProgressUpdate.objects.get().text == "De bakken staan er."
    assessments = Assessment.objects.filter(plan=garden)
    assert [(a.assessor_id, a.public_reason) for a in assessments] == [
        (None, "Past in het beleid voor groen.")
    ]
    assert not PhaseChange.objects.filter(changed_by=bert).exists()
    assert PhaseChange.objects.filter(budget_round=story["round"]).count() == 1
    assert BudgetRound.objects.get().created_by_id is None
    # The audit trail keeps its actor (the anonymised account) and its meaning.
    assert AuditEvent.objects.filter(action="budgets.plan_assessed", actor=bert).count() == 2


def test_it_deletes_personal_plans_that_never_became_public(
    story, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=story["anna"])
    assert not Plan.objects.filter(pk=story["withdrawn"].pk).exists()
    assert not (media / story["withdrawn_photo"]).exists()
    # A withdrawn plan of an initiative belongs to the initiative too: it stays.
    assert Plan.objects.filter(pk=story["joint"].pk).exists()


def test_it_keeps_the_public_photo_and_deletes_the_replaced_one(
    story, media, django_capture_on_commit_callbacks
):
    garden, update = story["garden"], story["update"]
    assert (media / story["first_photo"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=story["anna"])
    assert not (media / story["first_photo"]).exists()
    assert (media / garden.photo.name).exists()
    assert (media / update.photo.name).exists()


def test_it_keeps_every_file_when_the_deletion_fails(
    story, media, django_capture_on_commit_callbacks
):
    def broken(user):
        raise RuntimeError("eraser failed")

    privacy.register_eraser("zz_broken", broken)
    try:
        with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
            delete_account(user=story["anna"])
    finally:
        privacy._erasers.pop("zz_broken")
    assert (media / story["first_photo"]).exists()
    assert (media / story["withdrawn_photo"]).exists()
    assert Plan.objects.filter(pk=story["withdrawn"].pk).exists()
    assert PlanVersion.objects.filter(created_by=story["anna"]).exists()


def test_it_sends_no_mail_to_a_deleted_account(story, django_capture_on_commit_callbacks):
    plan = PlanFactory(budget_round=story["round"], submitted_by=story["carla"])
    delete_account(user=story["carla"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.assess_plan(
            plan=plan, assessor=story["bert"], feasible=False, public_reason="Te duur."
        )
    assert mail.outbox == []


def test_it_puts_the_plans_in_the_download(client, story):
    client.force_login(story["anna"])
    response = client.get(reverse("accounts:my_data_download"))
    data = json.loads(response.content)
    assert [p["title"] for p in data["budgets"]["plans"]][0] == (
        "Moestuin aan de Dijkstraat (groter)"
    )
    assert data["budgets"]["progress_updates"][0]["text"] == "De bakken staan er."


def test_it_deletes_through_the_account_page(client, story, django_capture_on_commit_callbacks):
    client.force_login(story["anna"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:delete"), {"password": DEFAULT_PASSWORD, "confirm": "on"}
        )
    assert response.status_code == 302
    assert not Plan.objects.filter(pk=story["withdrawn"].pk).exists()
    event = AuditEvent.objects.get(action="accounts.deleted")
    assert "budgets" in event.details["erasers"]


def _export_queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        privacy.export_personal_data(user)
    return len(queries)


def test_the_export_needs_no_more_queries_for_more_plans():
    budget_round = BudgetRoundFactory()
    few, many = UserFactory(), UserFactory()
    for user, n in ((few, 3), (many, 30)):
        for _ in range(n):
            plan = PlanFactory(budget_round=budget_round, submitted_by=user)
            FundedPlan.objects.create(plan=plan, budget_round=budget_round, amount_cents=1)
    assert _export_queries(many) == _export_queries(few)


def test_it_lists_the_plans_on_my_data_page(client, story):
    client.force_login(story["anna"])
    page = client.get(reverse("accounts:my_data"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Plannen voor een buurtbudget" in page
    assert "Moestuin aan de Dijkstraat (groter) – Buurtbudget Holtenbroek 2026 (Haalbaar)" in page
    assert "Compostbak" not in page
