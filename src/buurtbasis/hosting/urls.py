from django.urls import path

from . import views, views_expenses

app_name = "hosting"
urlpatterns = [
    path("initiatief/<slug:slug>/", views.initiative_page, name="initiative"),
    path("initiatief/<slug:slug>/kasboek/", views.public_ledger, name="ledger"),
    path("initiatief/<slug:slug>/gift/", views.donation, name="donation"),
    path(
        "initiatief/<slug:slug>/plan/<int:plan_pk>/toekennen/",
        views.grant_plan,
        name="grant-plan",
    ),
    path("overeenkomst/<int:pk>/aanbod/", views.offer, name="offer"),
    path("overeenkomst/<int:pk>/accepteren/", views.accept, name="accept"),
    path("overeenkomst/<int:pk>/beeindigen/", views.end, name="end"),
    path("host/<slug:slug>/", views.host_overview, name="host"),
    *views_expenses.urlpatterns,
]
