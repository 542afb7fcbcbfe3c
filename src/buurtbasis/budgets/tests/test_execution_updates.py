import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.models import FundedPlan, ProgressUpdate
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.tests import images

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_elsewhere, civil_servant_for

pytestmark = pytest.mark.django_db

PNG = images.png()


@pytest.fixture
def funded():
    budget_round = BudgetRoundFactory(phase="execution")
    plan = PlanFactory(budget_round=budget_round, status="feasible", cost_cents=500_000)
    funding = FundedPlan.objects.create(
        plan=plan, budget_round=budget_round, amount_cents=plan.cost_cents
    )
    return budget_round, plan, funding


def _post(client, plan, **overrides):
    data = {
        "happened_on": timezone.localdate().isoformat(),
        "status": "in_progress",
        "text": "De bankjes zijn besteld.",
        "photo_alt": "",
    }
    data.update(overrides)
    return client.post(
        reverse("budgets:progress-add", args=[plan.budget_round.slug, plan.pk]), data
    )


def test_a_civil_servant_posts_progress_with_a_photo(client, funded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    budget_round, plan, funding = funded
    client.force_login(civil_servant_for(budget_round))
    response = _post(
        client,
        plan,
        photo=SimpleUploadedFile("werk.png", PNG),
        photo_alt="De eerste bank staat er.",
    )
    assert response.status_code == 302
    funding.refresh_from_db()
    assert funding.status == "in_progress"
    update = ProgressUpdate.objects.get()
    assert update.photo.name.endswith(".jpg")
    assert AuditEvent.objects.filter(action="budgets.progress_update").exists()
    client.logout()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "De bankjes zijn besteld." in page
    photo_url = reverse("budgets:progress-photo", args=[budget_round.slug, plan.pk, update.pk])
    assert photo_url in page
    served = client.get(photo_url)
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content).startswith(b"\xff\xd8\xff")


def test_a_progress_photo_is_stored_without_its_gps_position(client, funded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    budget_round, plan, _funding = funded
    client.force_login(civil_servant_for(budget_round))
    photo = SimpleUploadedFile("IMG_0002.JPG", images.jpeg_with_gps(), "image/jpeg")
    response = _post(client, plan, photo=photo, photo_alt="De bank")
    assert response.status_code == 302
    stored = (tmp_path / ProgressUpdate.objects.get().photo.name).read_bytes()
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_the_plan_owner_may_post_progress(client, funded):
    _round, plan, funding = funded
    client.force_login(plan.submitted_by)
    assert _post(client, plan, status="done").status_code == 302
    funding.refresh_from_db()
    assert funding.status == "done"


@pytest.mark.parametrize("who", ["resident", "other_municipality"])
def test_others_may_not_post_progress(client, funded, who):
    _round, plan, _funding = funded
    client.force_login(UserFactory() if who == "resident" else civil_servant_elsewhere())
    assert _post(client, plan).status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_a_date_in_the_future_is_refused(client, funded):
    budget_round, plan, _funding = funded
    client.force_login(civil_servant_for(budget_round))
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _post(client, plan, happened_on=tomorrow)
    assert response.status_code == 200
    assert "happened_on" in response.context["form"].errors
    assert not ProgressUpdate.objects.exists()


def test_the_timeline_is_in_date_order(client, funded):
    budget_round, plan, _funding = funded
    client.force_login(civil_servant_for(budget_round))
    today = timezone.localdate()
    _post(client, plan, happened_on=today.isoformat(), text="Tweede stap")
    _post(client, plan, happened_on=(today - timedelta(days=9)).isoformat(), text="Eerste stap")
    html = client.get(plan.get_absolute_url()).content.decode()
    assert html.index("Eerste stap") < html.index("Tweede stap")


def test_a_plan_without_funding_has_no_progress_page(client):
    plan = PlanFactory(status="feasible")
    client.force_login(civil_servant_for(plan.budget_round))
    url = reverse("budgets:progress-add", args=[plan.budget_round.slug, plan.pk])
    assert client.get(url).status_code == 404
