from django.urls import path

from . import views, views_case

app_name = "referrals"
urlpatterns = [
    path("", views.home, name="home"),
    path("sociale-kaart/", views.social_map, name="map"),
    path("sociale-kaart/nieuw/", views.service_form, name="service-new"),
    path("sociale-kaart/<int:pk>/", views.service_detail, name="service"),
    path("sociale-kaart/<int:pk>/bewerken/", views.service_form, name="service-edit"),
    path("sociale-kaart/<int:pk>/verwijzen/", views.refer, name="refer"),
    path("mijn/", views.mine, name="mine"),
    path("mijn/<int:pk>/", views.mine_detail, name="mine-detail"),
    path("ontvangen/", views_case.inbox, name="inbox"),
    path("ontvangen/<int:pk>/", views_case.case, name="case"),
    path("ontvangen/<int:pk>/stap/", views_case.step, name="step"),
    path("ontvangen/<int:pk>/oppakken/", views_case.claim, name="claim"),
    path("ontvangen/<int:pk>/notitie/", views_case.note, name="note"),
    path("ontvangen/<int:pk>/export/", views_case.export, name="export"),
    path("ontvangen/<int:pk>/wissen/", views_case.erase, name="erase"),
]
