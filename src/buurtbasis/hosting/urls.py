from django.urls import path

from . import (
    views,
    views_banklines,
    views_budget,
    views_expenses,
    views_fund,
    views_incoming,
    views_reports,
)

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
    *views_incoming.urlpatterns,  # before the line actions: money coming in on a line
    *views_banklines.urlpatterns,
    *views_fund.urlpatterns,  # the initiatives fund
    *views_budget.urlpatterns,  # budget lines per grant and category
    # light accountability: the story, its report, the host's and the municipality's overviews
    path("initiatief/<slug:slug>/verantwoording/", views_reports.stories, name="stories"),
    path(
        "initiatief/<slug:slug>/verantwoording/<int:pk>/rapport.pdf",
        views_reports.story_report,
        name="story-report",
    ),
    path(
        "host/<slug:slug>/overzicht.<str:fmt>",
        views_reports.host_overview_export,
        name="host-overview",
    ),
    path("gemeente/", views_reports.municipality_report, name="municipality"),
    path(
        "gemeente/verantwoording.<str:fmt>",
        views_reports.municipality_report,
        name="municipality-report",
    ),
]
