from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("account/", include("buurtbasis.accounts.urls")),
    path("organisaties/", include("buurtbasis.organisations.urls")),
    path("wijken/", include("buurtbasis.portal.wijken_urls")),
    path("initiatieven/", include("buurtbasis.initiatives.urls")),
    path("buurtbudget/", include("buurtbasis.budgets.urls")),
    path("stemmen/", include("buurtbasis.ballots.urls")),
    path("gastorganisatie/", include("buurtbasis.hosting.urls")),
    path("verhalen/", include("buurtbasis.stories.urls")),
    path("logboek/", include("buurtbasis.logbook.urls")),
    path("signalen/", include("buurtbasis.logbook.urls_signals")),
    path("vrijwilligers/", include("buurtbasis.volunteering.urls")),
    path("ruimtes/", include("buurtbasis.rooms.urls")),
    path("maatjes/", include("buurtbasis.buddies.urls")),
    path("doorverwijzen/", include("buurtbasis.referrals.urls")),
    path("samenwerking/", include("buurtbasis.partnerships.urls")),
    path("uitwisseling/", include("buurtbasis.exchange.urls")),
    path("wat-werkt/", include("buurtbasis.practices.urls")),
    path("overdracht/", include("buurtbasis.continuity.urls")),
    path("", include("buurtbasis.platform.urls")),
    path("", include("buurtbasis.portal.urls")),
]

if "django_rq" in settings.INSTALLED_APPS:
    # TASKS_BACKEND=rq: RQ's own queue pages for staff (queued, scheduled, failed jobs).
    urlpatterns.insert(1, path("beheer/rq/", include("django_rq.urls")))

handler404 = "buurtbasis.platform.views.page_not_found"
handler500 = "buurtbasis.platform.views.server_error"
handler403 = "buurtbasis.platform.views.permission_denied"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
