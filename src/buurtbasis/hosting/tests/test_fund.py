"""The initiatives fund's services: setting up, applying, answering and deciding; the
budget is never exceeded, a grant is booked once, nobody decides on their own initiative,
and bad input gets a Dutch message."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import fund as funds
from buurtbasis.hosting import privacy_fund, queries, services
from buurtbasis.hosting.models import Grant, GrantSource, LedgerTransaction
from buurtbasis.hosting.models_fund import ApplicationState, FundApplication
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification

from .factories import hosted
from .fund_helpers import fund_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def w():
    return fund_world()


def _as(user) -> Origin:
    return Origin(actor=user)


def _told(person, kind: str) -> bool:
    return Notification.objects.filter(recipient=person, kind=kind).exists()


def _refused(code: str, call, *args, **kwargs) -> str:
    with override("nl"), pytest.raises(services.HostingError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value.messages[0]


# -- the fund ----------------------------------------------------------------------------------


def test_a_civil_servant_sets_up_the_fund_of_their_own_municipality_only(w):
    today = timezone.localdate()
    values = {
        "year": today.year + 1,
        "name": "Fonds",
        "description": "Voor de buurt.",
        "budget_cents": 10_000,
        "max_per_application_cents": 5_000,
        "opens_on": today,
        "closes_on": today,
    }
    # Rotterdam's civil servant, a host's finance officer, an initiator: no
    for outsider in (w.rotterdam_servant, w.h.officer, w.h.initiator):
        _refused("forbidden", funds.create_fund, cbs_code="GM0193", origin=_as(outsider), **values)
    fund = funds.create_fund(cbs_code="gm0193", origin=_as(w.servant), **values)
    assert fund.cbs_code == "GM0193"
    assert fund.municipality_name == "Zwolle"
    assert AuditEvent.objects.filter(action="hosting.fund_created", object_id=str(fund.pk)).exists()
    message = _refused(
        "exists", funds.create_fund, cbs_code="GM0193", origin=_as(w.servant), **values
    )
    assert "heeft al een initiatievenfonds" in message


@pytest.mark.parametrize(
    ("change", "code", "dutch"),
    [
        ({"name": "  "}, "name", "naam"),
        ({"description": ""}, "description", "waarvoor"),
        ({"budget_cents": -1}, "budget", "negatief"),
        ({"max_per_application_cents": 0}, "amount", "meer dan nul"),
        ({"max_per_application_cents": 200_000}, "max", "budget"),
        ({"closes_on": datetime.date(2000, 1, 1)}, "dates", "sluitingsdatum"),
        ({"year": 1900}, "year", "jaartal"),
    ],
)
def test_a_fund_with_bad_values_is_refused_in_dutch(w, change, code, dutch):
    today = timezone.localdate()
    values = {
        "year": today.year + 2,
        "name": "Fonds",
        "description": "Voor de buurt.",
        "budget_cents": 100_000,
        "max_per_application_cents": 5_000,
        "opens_on": today,
        "closes_on": today,
        **change,
    }
    message = _refused(code, funds.create_fund, cbs_code="GM0193", origin=_as(w.servant), **values)
    assert dutch in message.lower()


def test_the_budget_cannot_drop_below_what_was_granted(w):
    application = w.apply(amount_cents=60_000)
    funds.decide(application=application, decision="grant", origin=_as(w.servant))
    values = {
        "name": w.fund.name,
        "description": w.fund.description,
        "max_per_application_cents": 10_000,
        "opens_on": w.fund.opens_on,
        "closes_on": w.fund.closes_on,
    }
    message = _refused(
        "budget",
        funds.change_fund,
        fund=w.fund,
        budget_cents=59_999,
        origin=_as(w.servant),
        **values,
    )
    assert "€\xa0600" in message
    fund = funds.change_fund(fund=w.fund, budget_cents=60_000, origin=_as(w.servant), **values)
    assert funds.remaining(fund) == 0
    _refused(
        "forbidden",
        funds.change_fund,
        fund=w.fund,
        budget_cents=80_000,
        origin=_as(w.rotterdam_servant),
        **values,
    )


# -- applying ----------------------------------------------------------------------------------


def test_an_initiator_of_a_hosted_initiative_applies_and_the_civil_servants_hear_of_it(w):
    application = w.apply(amount_cents=42_50)
    assert application.state == ApplicationState.SUBMITTED
    assert application.applicant == w.h.initiator
    for servant in (w.servant, w.servant2):
        assert Notification.objects.filter(
            recipient=servant, kind="hosting.fund_submitted"
        ).exists()
    # Rotterdam's civil servant hears nothing of Zwolle's fund
    assert not Notification.objects.filter(recipient=w.rotterdam_servant).exists()
    assert AuditEvent.objects.filter(action="hosting.fund_applied").count() == 1


def test_cost_lines_make_the_amount(w):
    lines = [
        {"description": "Muziek", "amount_cents": 15_000},
        {"description": "", "amount_cents": None},  # an empty line is left out
        {"description": "Eten", "amount_cents": 10_000},
    ]
    application = w.apply(amount_cents=None, cost_lines=lines)
    assert application.amount_cents == 25_000
    assert [line["description"] for line in application.cost_lines] == ["Muziek", "Eten"]


@pytest.mark.parametrize(
    ("extra", "code", "dutch"),
    [
        ({"what": " "}, "what", "wat u wilt doen"),
        ({"for_whom": ""}, "for_whom", "voor wie"),
        ({"when": ""}, "when", "wanneer"),
        ({"amount_cents": None}, "amount", "bedrag"),
        ({"amount_cents": 0}, "amount", "meer dan nul"),
        ({"amount_cents": -500}, "amount", "meer dan nul"),
        ({"amount_cents": 75_001}, "max", "750"),
        ({"what": "x" * 2001}, "what", "2000"),
        (
            {"amount_cents": 100, "cost_lines": [{"description": "Muziek", "amount_cents": 200}]},
            "total",
            "€\xa02",
        ),
        ({"cost_lines": [{"description": "", "amount_cents": 200}]}, "cost_lines", "kostenregel"),
        ({"cost_lines": [{"description": "Muziek", "amount_cents": None}]}, "cost_lines", "Muziek"),
        (
            {"cost_lines": [{"description": f"Post {n}", "amount_cents": 100} for n in range(6)]},
            "cost_lines",
            "5",
        ),
    ],
)
def test_a_bad_application_is_refused_in_dutch_and_stores_nothing(w, extra, code, dutch):
    message = _refused(code, w.apply, **extra)
    assert dutch.lower() in message.lower()
    assert not FundApplication.objects.exists()


def test_an_initiative_without_a_host_is_sent_to_ask_a_host(w):
    initiator = UserFactory()
    from buurtbasis.budgets.tests.factories import InitiativeFactory

    initiative = InitiativeFactory(members=[initiator])
    initiative.areas.set([w.zwolle])
    assert funds.can_apply(initiator, initiative, w.fund) == (False, "not_hosted")
    message = _refused(
        "not_hosted",
        funds.apply,
        fund=w.fund,
        initiative=initiative,
        what="Buurtfeest",
        for_whom="Buren",
        when="Juni",
        amount_cents=10_000,
        origin=_as(initiator),
    )
    assert "gastorganisatie" in message


def test_only_initiators_apply_only_while_open_and_only_in_the_municipality(w):
    # a finance officer of the host is not an initiator
    with pytest.raises(services.HostingError):
        funds.apply(
            fund=w.fund,
            initiative=w.h.initiative,
            what="a",
            for_whom="b",
            when="c",
            amount_cents=100,
            origin=_as(w.h.officer),
        )
    # an initiative in Rotterdam cannot apply to Zwolle's fund
    there = hosted()
    there.initiative.areas.set([w.rotterdam])
    _refused("municipality", w.apply, h=there)
    # closed
    w.fund.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    w.fund.opens_on = w.fund.closes_on - datetime.timedelta(days=10)
    w.fund.save()
    assert "niet open" in _refused("closed", w.apply)


def test_one_open_application_per_initiative_and_fund(w):
    w.apply()
    _refused("open", w.apply)
    # the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        FundApplication.objects.create(
            fund=w.fund,
            initiative=w.h.initiative,
            what="a",
            for_whom="b",
            when="c",
            amount_cents=100,
        )


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 80)).save(out, "JPEG")
    return out.getvalue()


def test_an_attachment_is_checked_and_stored_privately(w):
    from buurtbasis.platform.uploads import private_storage

    application = w.apply(attachment=SimpleUploadedFile("offerte.jpg", _jpeg(), "image/jpeg"))
    assert application.attachment.startswith("fund/")
    assert len(application.attachment_sha256) == 64
    assert private_storage().exists(application.attachment)
    fake = SimpleUploadedFile("offerte.pdf", b"%PDF-1.4 not really", "application/pdf")
    other = w.hosted_here()
    _refused("attachment", w.apply, h=other, attachment=fake)
    assert FundApplication.objects.count() == 1


# -- deciding ----------------------------------------------------------------------------------


def test_a_grant_becomes_an_earmarked_grant_on_the_hosting_page_once(w):
    application = w.apply(amount_cents=50_000)
    application = funds.decide(application=application, decision="grant", origin=_as(w.servant))
    assert application.state == ApplicationState.GRANTED
    grant = application.grant
    assert grant.source == GrantSource.FUND
    assert grant.label == f"Initiatievenfonds Zwolle {w.fund.year}"
    assert grant.budget_cents == 50_000
    assert services.earmark_balances(w.h.initiative)[grant] == 50_000
    books = queries.books(w.h.initiative)
    assert [(s.grant.pk, s.received, s.left) for s in books.grants] == [(grant.pk, 50_000, 50_000)]
    assert funds.remaining(w.fund) == 50_000
    # a second decision is refused: the grant is booked once
    _refused(
        "state", funds.decide, application=application, decision="grant", origin=_as(w.servant2)
    )
    assert Grant.objects.filter(source=GrantSource.FUND).count() == 1
    assert LedgerTransaction.objects.filter(kind="grant").count() == 1
    event = AuditEvent.objects.get(action="hosting.fund_granted")
    assert event.details["amount_cents"] == 50_000
    assert Notification.objects.filter(
        recipient=w.h.initiator, kind="hosting.fund_decided"
    ).exists()


def test_the_grant_label_is_stored_in_dutch_whatever_language_the_decider_reads(w):
    application = w.apply(amount_cents=1_000)
    with override("en"):
        funds.decide(application=application, decision="grant", origin=_as(w.servant))
    application.refresh_from_db()
    assert application.grant.label == f"Initiatievenfonds Zwolle {w.fund.year}"


def test_the_host_fee_is_taken_like_for_every_grant():
    w = fund_world(fee_basis_points=500)
    application = funds.decide(
        application=w.apply(amount_cents=20_000), decision="grant", origin=_as(w.servant)
    )
    assert services.earmark_balances(w.h.initiative)[application.grant] == 19_000
    assert funds.remaining(w.fund) == 80_000  # the fund granted the whole amount


def test_a_lower_amount_needs_a_reason_and_never_more_than_asked(w):
    application = w.apply(amount_cents=50_000)
    assert "minder" in _refused(
        "reason",
        funds.decide,
        application=application,
        decision="grant",
        amount_cents=30_000,
        origin=_as(w.servant),
    )
    _refused(
        "more_than_asked",
        funds.decide,
        application=application,
        decision="grant",
        amount_cents=50_001,
        origin=_as(w.servant),
    )
    _refused(
        "amount",
        funds.decide,
        application=application,
        decision="grant",
        amount_cents=0,
        origin=_as(w.servant),
    )
    application = funds.decide(
        application=application,
        decision="grant",
        amount_cents=30_000,
        reason="De huur van het podium betaalt de gemeente al.",
        origin=_as(w.servant),
    )
    assert application.granted_cents == 30_000
    assert application.grant.budget_cents == 30_000


def test_the_fund_never_grants_more_than_is_left(w):
    first = w.apply(amount_cents=70_000)
    funds.decide(application=first, decision="grant", origin=_as(w.servant))
    second = w.apply(h=w.hosted_here(), amount_cents=40_000)
    message = _refused(
        "budget", funds.decide, application=second, decision="grant", origin=_as(w.servant)
    )
    assert "€\xa0300" in message
    second.refresh_from_db()
    assert second.state == ApplicationState.SUBMITTED
    assert Grant.objects.count() == 1
    # the rest can be granted, with a reason
    funds.decide(
        application=second,
        decision="grant",
        amount_cents=30_000,
        reason="Meer is er niet over.",
        origin=_as(w.servant),
    )
    assert funds.remaining(w.fund) == 0


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(1, 75_000), st.integers(0, 100)), min_size=1, max_size=6))
def test_any_sequence_of_decisions_keeps_the_fund_within_its_budget(w, asks):
    with transaction.atomic():
        sid = transaction.savepoint()
        for asked, percent in asks:
            h = w.hosted_here()
            application = w.apply(h=h, amount_cents=asked)
            amount = max(1, asked * percent // 100)
            try:
                funds.decide(
                    application=application,
                    decision="grant",
                    amount_cents=amount,
                    reason="Lager bedrag." if amount < asked else "",
                    origin=_as(w.servant),
                )
            except services.HostingError as error:
                assert error.code == "budget"
        granted = sum(
            FundApplication.objects.filter(fund=w.fund, state="granted").values_list(
                "granted_cents", flat=True
            )
        )
        assert granted <= w.fund.budget_cents
        assert granted == sum(
            Grant.objects.filter(source="fund").values_list("budget_cents", flat=True)
        )
        transaction.savepoint_rollback(sid)


def test_nobody_decides_on_their_own_initiative(w):
    w.h.initiative.members.add(w.servant)
    application = w.apply()
    for decision in ("grant", "refuse", "question"):
        message = _refused(
            "own",
            funds.decide,
            application=application,
            decision=decision,
            reason="Omdat het kan.",
            origin=_as(w.servant),
        )
        assert "collega" in message
    assert not funds.may_decide(w.servant, application)
    assert funds.may_decide(w.servant2, application)


def test_only_civil_servants_of_the_fund_municipality_decide(w):
    application = w.apply()
    for outsider in (w.rotterdam_servant, w.h.officer, w.h.coordinator, UserFactory()):
        _refused(
            "forbidden",
            funds.decide,
            application=application,
            decision="grant",
            origin=_as(outsider),
        )
    assert not Grant.objects.exists()


def test_a_refusal_needs_a_reason(w):
    application = w.apply()
    assert "reden" in _refused(
        "reason", funds.decide, application=application, decision="refuse", origin=_as(w.servant)
    )
    application = funds.decide(
        application=application,
        decision="refuse",
        reason="Dit past niet bij het fonds.",
        origin=_as(w.servant),
    )
    assert application.state == ApplicationState.REFUSED
    assert application.grant is None
    assert AuditEvent.objects.filter(action="hosting.fund_refused").exists()
    note = Notification.objects.get(recipient=w.h.initiator, kind="hosting.fund_decided")
    assert note.link.endswith(f"/fonds/aanvraag/{application.pk}/")
    # a new application may follow a decided one
    assert w.apply().state == ApplicationState.SUBMITTED


def test_a_question_goes_back_and_the_answer_resubmits(w):
    application = w.apply()
    _refused(
        "reason", funds.decide, application=application, decision="question", origin=_as(w.servant)
    )
    application = funds.decide(
        application=application,
        decision="question",
        reason="Hoeveel buren verwacht u?",
        origin=_as(w.servant),
    )
    assert application.state == ApplicationState.QUESTION
    assert Notification.objects.filter(
        recipient=w.h.initiator, kind="hosting.fund_question"
    ).exists()
    # it cannot be granted while the question is open
    _refused(
        "state", funds.decide, application=application, decision="grant", origin=_as(w.servant)
    )
    # only an initiator answers, with text
    _refused("forbidden", funds.answer, application=application, answer="60", origin=_as(w.servant))
    _refused("answer", funds.answer, application=application, answer=" ", origin=_as(w.h.initiator))
    application = funds.answer(
        application=application, answer="Ongeveer 60 buren.", origin=_as(w.h.initiator)
    )
    assert application.state == ApplicationState.SUBMITTED
    _refused(
        "state", funds.answer, application=application, answer="Nog iets", origin=_as(w.h.initiator)
    )
    funds.decide(application=application, decision="grant", origin=_as(w.servant))


def test_a_grant_for_an_initiative_whose_host_left_is_refused(w):
    application = w.apply()
    services.end(agreement=w.h.agreement, reason="Gestopt", origin=_as(w.h.initiator))
    message = _refused(
        "not_hosted", funds.decide, application=application, decision="grant", origin=_as(w.servant)
    )
    assert "geen actieve gastorganisatie" in message
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_a_granted_application_always_has_its_grant_in_the_database(w):
    application = w.apply()
    with pytest.raises(IntegrityError), transaction.atomic():
        FundApplication.objects.filter(pk=application.pk).update(state="granted")


# -- privacy -----------------------------------------------------------------------------------


def test_export_and_erasure_keep_the_record_without_the_person(w):
    application = funds.decide(application=w.apply(), decision="grant", origin=_as(w.servant))
    data = privacy_fund.export_applications(w.h.initiator)
    assert data["applications"][0]["granted_cents"] == 50_000
    assert "seven years" in data["retention"]
    assert privacy_fund.export_applications(w.servant)["decisions_made"][0]["state"] == "granted"
    privacy_fund.erase_applications(w.h.initiator)
    application.refresh_from_db()
    assert application.applicant is None
    assert application.grant is not None  # the financial record stays


def test_deleting_the_account_keeps_the_application_without_the_name(w):
    from buurtbasis.accounts.services import delete_account
    from buurtbasis.platform.privacy import export_personal_data

    application = funds.decide(application=w.apply(), decision="grant", origin=_as(w.servant))
    exported = export_personal_data(w.h.initiator)["hosting_fund"]["applications"]
    assert exported[0]["what"] == application.what
    delete_account(user=w.h.initiator)
    application.refresh_from_db()
    assert application.applicant is None
    assert application.state == ApplicationState.GRANTED
    assert application.what  # the initiative's financial record stays
