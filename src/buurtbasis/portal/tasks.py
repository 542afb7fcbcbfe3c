"""Background tasks of the portal: keeping the wijkprofielen current, and their PDF."""

from __future__ import annotations

from buurtbasis.platform.tasks import background


@background(retries=2, backoff=30)
def refresh_profiles(area_ids: list[int]) -> int:
    """Compute the wijkprofiel of these areas again (enqueued by the receivers)."""
    from buurtbasis.portal.profile import refresh

    return sum(1 for pk in area_ids if refresh(pk) is not None)


@background(retries=2, backoff=300)
def refresh_all_profiles() -> int:
    """Nightly: compute every wijk's profile and every stored buurt profile again (new CBS
    figures, ages on a new day), so no visitor waits for the first computation."""
    from buurtbasis.areas.models import Area, AreaLevel
    from buurtbasis.portal.models import WijkProfileSnapshot
    from buurtbasis.portal.profile import refresh

    ids = set(WijkProfileSnapshot.objects.values_list("area_id", flat=True))
    ids.update(Area.objects.filter(level=AreaLevel.DISTRICT).values_list("pk", flat=True))
    return sum(1 for pk in sorted(ids) if refresh(pk) is not None)


@background(retries=2, backoff=30)
def make_wijk_report(report_id: int) -> str:
    """Render a wijkanalyse (PDF) into private storage (see ``wijkanalyse.request_report``)."""
    from buurtbasis.portal.wijkanalyse import render_report

    return render_report(report_id=report_id)
