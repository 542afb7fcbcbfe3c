"""Taking part beyond submitting and voting: supporting plans, comments with reports and
moderation, following, sharing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets import participation, services
from buurtbasis.budgets.models import CommentReport, PlanComment, PlanSupport
from buurtbasis.budgets.services import BudgetError
from buurtbasis.platform.models import AuditEvent, Notification
from buurtbasis.platform.notifications import follow

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_elsewhere, civil_servant_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _support_url(plan):
    return reverse("budgets:plan-support", args=[plan.budget_round.slug, plan.pk])


def _comment_url(plan):
    return reverse("budgets:comment-add", args=[plan.budget_round.slug, plan.pk])


# -- supporting ---------------------------------------------------------------------------


def test_a_resident_supports_a_plan_and_withdraws_the_support(client):
    budget_round = BudgetRoundFactory(supporters_needed=25)
    plan = PlanFactory(budget_round=budget_round)
    resident = UserFactory()
    client.force_login(resident)
    response = client.post(_support_url(plan), {"action": "support"})
    assert response.status_code == 302
    assert response.url.endswith(plan.get_absolute_url() + "#support")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "1 van 25 steunbetuigingen" in page
    assert "U steunt dit plan." in page
    assert "Mijn steun intrekken" in page
    # supporting twice changes nothing
    client.post(_support_url(plan), {"action": "support"})
    assert PlanSupport.objects.filter(plan=plan).count() == 1
    client.post(_support_url(plan), {"action": "withdraw"})
    assert not PlanSupport.objects.filter(plan=plan).exists()
    assert "0 van 25 steunbetuigingen" in client.get(plan.get_absolute_url()).content.decode()


def test_the_round_page_shows_the_counter_on_each_plan_card(client):
    budget_round = BudgetRoundFactory(supporters_needed=25)
    plan = PlanFactory(budget_round=budget_round)
    other = PlanFactory(budget_round=budget_round)
    for _i in range(12):
        participation.support_plan(plan=plan, actor=UserFactory())
    page = client.get(budget_round.get_absolute_url()).content.decode()
    assert "12 van 25 steunbetuigingen" in page
    assert "0 van 25 steunbetuigingen" in page  # the other plan
    assert other.title in page


@pytest.mark.parametrize(
    ("who", "phase", "message"),
    [
        ("owner", "submission", "U kunt uw eigen plan niet steunen."),
        ("unverified", "submission", "Bevestig eerst uw e-mailadres."),
        ("resident", "assessment", "zolang plannen ingediend worden"),
        ("resident", "voting", "zolang plannen ingediend worden"),
    ],
)
def test_support_is_refused_with_a_clear_message(client, who, phase, message):
    budget_round = BudgetRoundFactory(phase=phase, supporters_needed=3)
    status = "submitted" if phase != "voting" else "feasible"
    plan = PlanFactory(budget_round=budget_round, status=status)
    user = {
        "owner": plan.submitted_by,
        "unverified": UserFactory(email_verified=False),
        "resident": UserFactory(),
    }[who]
    client.force_login(user)
    response = client.post(_support_url(plan), {"action": "support"}, follow=True)
    assert message in response.content.decode()
    assert not PlanSupport.objects.exists()
    with pytest.raises(BudgetError):
        participation.support_plan(plan=plan, actor=user)


def test_support_after_the_submission_deadline_is_refused():
    budget_round = BudgetRoundFactory(supporters_needed=3)
    budget_round.phases.filter(kind="submission").update(ends_at=budget_round.created_at)
    plan = PlanFactory(budget_round=budget_round)
    with pytest.raises(BudgetError) as error:
        participation.support_plan(plan=plan, actor=UserFactory())
    assert error.value.code == "closed"


def test_support_needs_a_login(client):
    plan = PlanFactory(budget_round=BudgetRoundFactory(supporters_needed=3))
    response = client.post(_support_url(plan), {"action": "support"})
    assert response.status_code == 302
    assert "/inloggen/" in response.url or "login" in response.url
    assert not PlanSupport.objects.exists()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Log in om dit plan te steunen" in page


def test_support_withdrawn_after_submission_closed_is_refused():
    budget_round = BudgetRoundFactory(supporters_needed=3)
    plan = PlanFactory(budget_round=budget_round)
    resident = UserFactory()
    participation.support_plan(plan=plan, actor=resident)
    budget_round.phase = "assessment"
    budget_round.save()
    with pytest.raises(BudgetError):
        participation.withdraw_support(plan=plan, actor=resident)
    assert PlanSupport.objects.count() == 1


def test_a_plan_below_the_number_of_supporters_cannot_be_found_feasible(client):
    budget_round = BudgetRoundFactory(phase="assessment", supporters_needed=2)
    plan = PlanFactory(budget_round=budget_round)
    PlanSupport.objects.create(plan=plan, user=UserFactory())
    officer = civil_servant_for(budget_round)
    with pytest.raises(BudgetError) as error:
        services.assess_plan(plan=plan, assessor=officer, feasible=True, public_reason="")
    assert error.value.code == "too_few_supporters"
    assert "1 van de 2 steunbetuigingen" in error.value.message
    plan.refresh_from_db()
    assert plan.status == "submitted"
    # not feasible is still possible, and with enough supporters feasible is too
    other = PlanFactory(budget_round=budget_round)
    for _i in range(2):
        PlanSupport.objects.create(plan=other, user=UserFactory())
    services.assess_plan(plan=other, assessor=officer, feasible=True, public_reason="")
    services.assess_plan(
        plan=plan, assessor=officer, feasible=False, public_reason="Te weinig steun."
    )


def test_the_assessment_form_shows_the_refusal(client):
    budget_round = BudgetRoundFactory(phase="assessment", supporters_needed=5)
    plan = PlanFactory(budget_round=budget_round)
    client.force_login(civil_servant_for(budget_round))
    response = client.post(
        reverse("budgets:plan-assess", args=[budget_round.slug, plan.pk]),
        {"decision": "feasible", "public_reason": "", "cost": "2500"},
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert "0 van de 5 steunbetuigingen" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_the_assessment_list_shows_plans_waiting_for_support(client):
    budget_round = BudgetRoundFactory(phase="assessment", supporters_needed=2)
    waiting = PlanFactory(budget_round=budget_round, title="Weinig steun")
    enough = PlanFactory(budget_round=budget_round, title="Genoeg steun")
    for _i in range(2):
        PlanSupport.objects.create(plan=enough, user=UserFactory())
    client.force_login(civil_servant_for(budget_round))
    page = client.get(reverse("budgets:assessment", args=[budget_round.slug])).content.decode()
    rows = {title: page[page.index(title) :][:1500] for title in ("Weinig steun", "Genoeg steun")}
    assert "wacht op steun" in rows["Weinig steun"].split("</tr>")[0]
    assert "0 van 2" in rows["Weinig steun"].split("</tr>")[0]
    assert "wacht op steun" not in rows["Genoeg steun"].split("</tr>")[0]
    assert waiting.title in page


def test_a_round_without_a_number_needs_no_supporters():
    budget_round = BudgetRoundFactory(phase="assessment", supporters_needed=None)
    plan = PlanFactory(budget_round=budget_round)
    services.assess_plan(
        plan=plan, assessor=civil_servant_for(budget_round), feasible=True, public_reason=""
    )


def test_the_submitter_hears_once_when_the_number_is_reached(django_capture_on_commit_callbacks):
    budget_round = BudgetRoundFactory(supporters_needed=2)
    plan = PlanFactory(budget_round=budget_round, title="Bankjes")
    first, second = UserFactory(), UserFactory()
    participation.support_plan(plan=plan, actor=first)
    assert not Notification.objects.exists()
    participation.support_plan(plan=plan, actor=second)
    [row] = Notification.objects.all()
    assert row.recipient == plan.submitted_by
    assert row.kind == "budgets.plan_support_reached"
    assert row.title == "Uw plan “Bankjes” heeft genoeg steunbetuigingen"
    # withdrawn and given again: no second message
    participation.withdraw_support(plan=plan, actor=second)
    participation.support_plan(plan=plan, actor=second)
    assert Notification.objects.count() == 1
    assert AuditEvent.objects.filter(action="budgets.plan_support_reached").count() == 1


def test_the_round_form_sets_the_number_of_supporters(client):
    budget_round = BudgetRoundFactory()
    client.force_login(civil_servant_for(budget_round))
    url = reverse("budgets:round-edit", args=[budget_round.slug])
    page = client.get(url).content.decode()
    assert 'name="supporters_needed"' in page
    from buurtbasis.budgets.forms import RoundForm

    form = RoundForm(user=civil_servant_for(budget_round), instance=budget_round)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "strftime"):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data["budget"] = "50000"
    data["supporters_needed"] = "25"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    budget_round.refresh_from_db()
    assert budget_round.supporters_needed == 25
    data["supporters_needed"] = "0"
    response = client.post(url, data)
    assert response.status_code == 200
    budget_round.refresh_from_db()
    assert budget_round.supporters_needed == 25


# -- comments -----------------------------------------------------------------------------


def test_a_resident_comments_and_followers_hear_about_it(client):
    plan = PlanFactory(title="Moestuin")
    follower = UserFactory()
    follow(user=follower, obj=plan)
    writer = UserFactory(display_name="Fatima de Vries")
    follow(user=writer, obj=plan)  # the writer does not hear about their own comment
    client.force_login(writer)
    response = client.post(_comment_url(plan), {"body": "Goed idee!\n<b>Echt</b>"})
    comment = PlanComment.objects.get()
    assert response.url.endswith(f"#comment-{comment.pk}")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Goed idee!<br>&lt;b&gt;Echt&lt;/b&gt;" in page
    assert "Fatima de Vries" in page
    assert writer.email not in page
    [row] = Notification.objects.all()
    assert row.recipient == follower
    assert row.kind == "budgets.plan_commented"
    assert row.title == "Nieuwe reactie bij het plan “Moestuin”"


def test_a_person_without_a_name_is_shown_as_a_resident_never_by_address(client):
    plan = PlanFactory()
    writer = UserFactory(display_name="")
    participation.add_comment(plan=plan, actor=writer, body="Mooi plan.")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "een bewoner" in page
    assert writer.email not in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Schrijf eerst een reactie"),
        ("   ", "Schrijf eerst een reactie"),
        ("x" * 2001, "2000"),
        ("Hallo\x00daar", "stuurtekens"),
        ("gpj.\u202eexe", "stuurtekens"),
    ],
)
def test_bad_comments_are_refused_with_a_clear_message(client, body, message):
    plan = PlanFactory()
    client.force_login(UserFactory())
    response = client.post(_comment_url(plan), {"body": body})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlanComment.objects.exists()
    with pytest.raises(BudgetError):
        participation.add_comment(plan=plan, actor=UserFactory(), body=body)


def test_commenting_needs_a_login_and_a_public_plan(client):
    plan = PlanFactory()
    response = client.post(_comment_url(plan), {"body": "Hallo"})
    assert response.status_code == 302
    assert (
        "Log in om een reactie te plaatsen" in client.get(plan.get_absolute_url()).content.decode()
    )
    draft = PlanFactory(status="draft")
    client.force_login(UserFactory())
    assert client.post(_comment_url(draft), {"body": "Hallo"}).status_code == 404
    assert not PlanComment.objects.exists()


def test_comments_are_rate_limited(client):
    plan = PlanFactory()
    writer = UserFactory()
    client.force_login(writer)
    limit, _window = participation.COMMENT_RATE
    for i in range(limit):
        assert client.post(_comment_url(plan), {"body": f"Reactie {i}"}).status_code == 302
    response = client.post(_comment_url(plan), {"body": "Nog een"})
    assert response.status_code == 400
    assert "Probeer het later nog eens" in response.content.decode()
    assert PlanComment.objects.count() == limit


def _reported_comment(budget_round=None):
    plan = PlanFactory(budget_round=budget_round or BudgetRoundFactory())
    comment = participation.add_comment(plan=plan, actor=UserFactory(), body="Jullie zijn dom.")
    participation.report_comment(comment=comment, actor=UserFactory(), reason="Beledigend")
    return comment


def test_a_resident_reports_a_comment(client):
    plan = PlanFactory()
    comment = participation.add_comment(plan=plan, actor=UserFactory(), body="Koop nu!")
    reporter = UserFactory()
    client.force_login(reporter)
    url = reverse("budgets:comment-report", args=[plan.budget_round.slug, plan.pk, comment.pk])
    assert "Een reactie melden" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Schrijf kort wat er mis is" in response.content.decode()
    response = client.post(url, {"reason": "Reclame"})
    assert response.status_code == 302
    client.post(url, {"reason": "Reclame"})  # once per person until handled
    [report] = CommentReport.objects.all()
    assert (report.reporter, report.reason, report.handled_at) == (reporter, "Reclame", None)


def test_a_civil_servant_hides_a_reported_comment_with_a_public_reason(client):
    comment = _reported_comment()
    budget_round = comment.plan.budget_round
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    queue = reverse("budgets:moderation", args=[budget_round.slug])
    participation.add_comment(plan=comment.plan, actor=UserFactory(), body="Niet gemeld.")
    kept = participation.add_comment(plan=comment.plan, actor=UserFactory(), body="Al bekeken.")
    participation.report_comment(comment=kept, actor=UserFactory(), reason="Flauw")
    participation.keep_comment(comment=kept, actor=officer)
    page = client.get(queue).content.decode()
    assert "Jullie zijn dom." in page and "Beledigend" in page
    assert "Niet gemeld." not in page and "Al bekeken." not in page
    assert [c.pk for c in participation.moderation_queue(budget_round)] == [comment.pk]
    action = reverse("budgets:moderate-comment", args=[budget_round.slug, comment.pk])
    response = client.post(action, {"action": "hide", "reason": ""}, follow=True)
    assert "Geef de reden om te verbergen" in response.content.decode()
    client.post(action, {"action": "hide", "reason": "Beledigend"})
    comment.refresh_from_db()
    assert comment.hidden_by == officer and comment.hide_reason == "Beledigend"
    assert not CommentReport.objects.filter(handled_at__isnull=True).exists()
    assert "Jullie zijn dom." not in client.get(queue).content.decode()
    page = client.get(comment.plan.get_absolute_url()).content.decode()
    assert "Verborgen door moderator: Beledigend" in page
    assert "Jullie zijn dom." not in page
    [event] = AuditEvent.objects.filter(action="budgets.comment_hidden")
    assert event.actor == officer
    assert event.details == {"plan": comment.plan_id, "reason": "Beledigend", "reports": 1}
    assert event.ip_hash  # from the request


def test_a_civil_servant_keeps_a_reported_comment(client):
    comment = _reported_comment()
    budget_round = comment.plan.budget_round
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    action = reverse("budgets:moderate-comment", args=[budget_round.slug, comment.pk])
    client.post(action, {"action": "keep", "reason": ""})
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert CommentReport.objects.get().handled_by == officer
    assert AuditEvent.objects.filter(action="budgets.comment_kept", actor=officer).exists()
    assert "Jullie zijn dom." in client.get(comment.plan.get_absolute_url()).content.decode()


def test_only_the_rounds_civil_servants_moderate(client):
    comment = _reported_comment()
    budget_round = comment.plan.budget_round
    queue = reverse("budgets:moderation", args=[budget_round.slug])
    action = reverse("budgets:moderate-comment", args=[budget_round.slug, comment.pk])
    for person in (UserFactory(), civil_servant_elsewhere()):
        client.force_login(person)
        assert client.get(queue).status_code == 403
        assert client.post(action, {"action": "hide", "reason": "x"}).status_code == 403
    with pytest.raises(BudgetError):
        participation.hide_comment(comment=comment, actor=civil_servant_elsewhere(), reason="x")
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_the_plan_page_links_the_moderation_queue_for_civil_servants(client):
    comment = _reported_comment()
    client.force_login(civil_servant_for(comment.plan.budget_round))
    page = client.get(comment.plan.get_absolute_url()).content.decode()
    assert "Moderatie: 1 gemelde reactie wacht" in page


# -- following and sharing ----------------------------------------------------------------


def test_the_plan_and_round_pages_show_the_follow_button(client):
    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round)
    for url, target in (
        (budget_round.get_absolute_url(), f"budgets.budgetround:{budget_round.pk}"),
        (plan.get_absolute_url(), f"budgets.plan:{plan.pk}"),
    ):
        page = client.get(url).content.decode()
        assert "Log in om te volgen" in page
        assert f'value="{target}"' in page


def test_the_share_block_has_the_absolute_url_with_the_tenant_prefix(client):
    from buurtbasis.accounts.tests.factories import OrganisationFactory
    from buurtbasis.areas.models import Area, AreaLevel
    from buurtbasis.organisations.models import OrganisationKind
    from buurtbasis.platform.tenancy import ensure_tenant

    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam", hosts=[])
    city = Area.objects.create(
        year=2024, code="GM0599", name="Rotterdam", level=AreaLevel.MUNICIPALITY, slug="rdam"
    )
    district = Area.objects.create(
        year=2024,
        code="WK059910",
        name="Feijenoord",
        level=AreaLevel.DISTRICT,
        parent=city,
        slug="feijenoord",
    )
    municipality = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY, areas=[city])
    budget_round = BudgetRoundFactory(organisation=municipality, areas=[district])
    plan = PlanFactory(budget_round=budget_round, title="Bankjes & bomen")
    page = client.get("/g/rotterdam" + plan.get_absolute_url()).content.decode()
    absolute = "http://testserver/g/rotterdam" + plan.get_absolute_url()
    assert f'value="{absolute}"' in page
    assert (
        "https://wa.me/?text=Bankjes%20%26%20bomen%20http%3A%2F%2Ftestserver%2Fg%2Frotterdam"
        in page
    )
    assert 'href="mailto:?subject=Bankjes%20%26%20bomen&amp;body=http%3A%2F%2Ftestserver' in page
    # the copy button is progressive enhancement: hidden until the script shows it
    assert 'data-copy-from="share-url"' in page and "budgets/share.js" in page
    assert "<script>" not in page


# -- privacy ------------------------------------------------------------------------------


def test_the_export_holds_supports_comments_and_reports():
    from buurtbasis.platform import privacy

    plan = PlanFactory(title="Speeltuin")
    person = UserFactory()
    participation.support_plan(plan=plan, actor=person)
    comment = participation.add_comment(plan=plan, actor=person, body="Heel goed plan.")
    other = participation.add_comment(plan=plan, actor=UserFactory(), body="Reclame!")
    participation.report_comment(comment=other, actor=person, reason="Reclame")
    officer = civil_servant_for(plan.budget_round)
    participation.hide_comment(comment=other, actor=officer, reason="Reclame")
    data = privacy.export_personal_data(person)["budgets_participation"]
    assert [s["plan"] for s in data["supported_plans"]] == ["Speeltuin"]
    assert [c["comment"] for c in data["comments"]] == ["Heel goed plan."]
    assert [r["reason"] for r in data["reported_comments"]] == ["Reclame"]
    assert data["reported_comments"][0]["handled_at"] is not None
    hidden = privacy.export_personal_data(officer)["budgets_participation"]
    assert hidden["comments_hidden_as_moderator"][0]["reason"] == "Reclame"
    assert comment.pk  # placed


def test_deleting_an_account_keeps_comments_as_deleted_user_and_supports_counting(client):
    from buurtbasis.accounts.services import delete_account

    budget_round = BudgetRoundFactory(supporters_needed=5)
    plan = PlanFactory(budget_round=budget_round)
    person = UserFactory(display_name="Jan Jansen")
    participation.support_plan(plan=plan, actor=person)
    participation.add_comment(plan=plan, actor=person, body="Ik doe mee.")
    other = participation.add_comment(plan=plan, actor=UserFactory(), body="Spam")
    participation.report_comment(comment=other, actor=person, reason="Spam")
    delete_account(user=person)
    comment = PlanComment.objects.get(body="Ik doe mee.")
    assert comment.author is None
    assert CommentReport.objects.get().reporter is None
    assert PlanSupport.objects.get().user is None
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "verwijderde gebruiker" in page
    assert "Jan Jansen" not in page
    assert "1 van 5 steunbetuigingen" in page
    event = AuditEvent.objects.get(action="accounts.deleted")
    assert "budgets_participation" in event.details["erasers"]
    from buurtbasis.platform import privacy

    assert privacy.export_personal_data(person)["budgets_participation"] == {
        "supported_plans": [],
        "comments": [],
        "reported_comments": [],
        "comments_hidden_as_moderator": [],
    }


def test_the_round_page_links_the_moderation_queue_for_its_civil_servants(client):
    comment = _reported_comment()
    budget_round = comment.plan.budget_round
    queue = reverse("budgets:moderation", args=[budget_round.slug])
    assert queue not in client.get(budget_round.get_absolute_url()).content.decode()
    client.force_login(civil_servant_for(budget_round))
    page = client.get(budget_round.get_absolute_url()).content.decode()
    assert f'<a href="{queue}">Gemelde reacties: 1</a>' in page


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["budgets:round-detail", "budgets:assessment"])
def test_supporter_counts_do_not_grow_with_plans(client, name):
    small, large = (BudgetRoundFactory(supporters_needed=3) for _i in range(2))
    for budget_round, n in ((small, 2), (large, 12)):
        for _i in range(n):
            plan = PlanFactory(budget_round=budget_round)
            PlanSupport.objects.create(plan=plan, user=UserFactory())
    officer = civil_servant_for(small)
    officer.memberships.create(organisation=large.organisation, role="civil_servant")
    client.force_login(officer)
    small_url, large_url = (reverse(name, args=[r.slug]) for r in (small, large))
    client.get(small_url)  # the first request after logging in stores the session's language
    assert _queries(client, small_url) == _queries(client, large_url)
    assert "1 van 3" in client.get(large_url).content.decode()


def test_the_plan_page_does_not_grow_with_comments(client):
    few, many = PlanFactory(), PlanFactory()
    for plan, n in ((few, 2), (many, 15)):
        for i in range(n):
            participation.add_comment(plan=plan, actor=UserFactory(), body=f"Reactie {i}")
    client.force_login(UserFactory())
    assert _queries(client, few.get_absolute_url()) == _queries(client, many.get_absolute_url())


def test_any_comment_text_is_stored_as_written_or_refused_with_a_message(settings):
    """Whatever text arrives, the service keeps it (stripped) or says what is wrong."""
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from hypothesis import strategies as st

    settings.RATELIMIT_ENABLED = False
    plan = PlanFactory()
    writer = UserFactory()

    @hypothesis_settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(st.text(max_size=2100))
    def check(body):
        try:
            comment = participation.add_comment(plan=plan, actor=writer, body=body)
        except BudgetError as exc:
            assert exc.code in ("empty", "too_long", "control")
            assert exc.message
        else:
            assert comment.body == body.strip()
            assert 0 < len(comment.body) <= participation.COMMENT_MAX_LENGTH

    check()
