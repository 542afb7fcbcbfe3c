from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("account/", include("buurtbasis.accounts.urls")),
    path("organisaties/", include("buurtbasis.organisations.urls")),
    path("wijken/", include("buurtbasis.areas.urls")),
    path("initiatieven/", include("buurtbasis.initiatives.urls")),
    path("buurtbudget/", include("buurtbasis.budgets.urls")),
    path("stemmen/", include("buurtbasis.ballots.urls")),
    path("", include("buurtbasis.platform.urls")),
    path("", include("buurtbasis.core.urls")),
]

handler404 = "buurtbasis.core.views.page_not_found"
handler500 = "buurtbasis.core.views.server_error"
handler403 = "buurtbasis.core.views.permission_denied"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
