from django.urls import path

from . import views, views_civil, views_plan, views_results
from .views_participation import urlpatterns as participation_urls

app_name = "budgets"
urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("nieuw/", views.round_create, name="round-create"),
    path("mijn-plannen/", views.my_plans, name="my-plans"),
    path("<slug:slug>/", views.round_detail, name="round-detail"),
    path("<slug:slug>/bewerken/", views.round_edit, name="round-edit"),
    path("<slug:slug>/fase/", views.round_advance, name="round-advance"),
    path("<slug:slug>/publiceren/", views_civil.round_publish, name="round-publish"),
    path("<slug:slug>/toetsing/", views.assessment, name="assessment"),
    path("<slug:slug>/toetsing/<int:pk>/", views.plan_assess, name="plan-assess"),
    path("<slug:slug>/toetsing/<int:pk>/samenvoegen/", views.plan_merge, name="plan-merge"),
    path("<slug:slug>/toetsing/<int:pk>/notitie/", views_civil.plan_note, name="plan-note"),
    path("<slug:slug>/toetsing/<int:pk>/vraag/", views_civil.plan_question, name="plan-question"),
    path(
        "<slug:slug>/plannen/<int:pk>/vragen/<int:question_pk>/antwoord/",
        views_civil.plan_answer,
        name="plan-answer",
    ),
    path("<slug:slug>/uitslag/", views.round_results, name="round-results"),
    path("<slug:slug>/uitslag/stemmen.pb", views.round_pabulib, name="round-pabulib"),
    path("<slug:slug>/uitslag/herberekenen/", views.round_recount, name="round-recount"),
    path("<slug:slug>/uitslag/status/", views.round_count_status, name="round-count-status"),
    path("<slug:slug>/uitslag/raadsrapport.pdf", views_results.round_report, name="round-report"),
    path("<slug:slug>/uitslag/export.<str:fmt>", views_results.round_export, name="round-export"),
    path("<slug:slug>/regels-vooraf/", views_results.round_rule_preview, name="rule-preview"),
    path("<slug:slug>/plannen/nieuw/", views.plan_create, name="plan-create"),
    path("<slug:slug>/kaart.svg", views_plan.round_location_map, name="round-location-map"),
    path("<slug:slug>/plannen/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<slug:slug>/plannen/<int:pk>/bewerken/", views.plan_edit, name="plan-edit"),
    path("<slug:slug>/plannen/<int:pk>/intrekken/", views.plan_withdraw, name="plan-withdraw"),
    path("<slug:slug>/plannen/<int:pk>/geschiedenis/", views.plan_history, name="plan-history"),
    path("<slug:slug>/plannen/<int:pk>/foto/", views.plan_photo, name="plan-photo"),
    path("<slug:slug>/plannen/<int:pk>/voortgang/", views.progress_add, name="progress-add"),
    path(
        "<slug:slug>/plannen/<int:pk>/voortgang/<int:update_pk>/foto/",
        views.progress_photo,
        name="progress-photo",
    ),
]
urlpatterns += participation_urls
