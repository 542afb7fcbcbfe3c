from django.urls import path

from . import views, views_catalysis, views_tell

app_name = "stories"
urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("nieuw/", views.round_create, name="round-create"),
    path("intrekken/", views_tell.withdraw, name="withdraw"),
    path("mijn-verhalen/", views_tell.my_stories, name="my-stories"),
    path("mijn-verhalen/<int:pk>/intrekken/", views_tell.withdraw_own, name="withdraw-own"),
    path("<slug:slug>/", views.round_detail, name="round-detail"),
    path("<slug:slug>/bewerken/", views.round_edit, name="round-edit"),
    path("<slug:slug>/status/", views.round_status, name="round-status"),
    path("<slug:slug>/vertel/", views_tell.tell, name="tell"),
    path("<slug:slug>/bedankt/", views_tell.thanks, name="thanks"),
    path("<slug:slug>/opnemen/", views_tell.record, name="record"),
    path("<slug:slug>/snelinvoer/", views_tell.record, {"quick": True}, name="quick-entry"),
    path("<slug:slug>/keukentafel/", views_tell.kitchen_table, name="kitchen-table"),
    path("<slug:slug>/verhaal/<int:pk>/", views.story_detail, name="story-detail"),
    path("<slug:slug>/verhaal/<int:pk>/thema/", views.story_label, name="story-label"),
    path("<slug:slug>/export.<str:fmt>", views.round_export, name="round-export"),
    path("<slug:slug>/samen-duiden/", views_catalysis.catalysis_page, name="catalysis"),
    path("<slug:slug>/samen-duiden/sessie/", views_catalysis.record_session, name="sensemaking"),
    path("<slug:slug>/verhaalkaarten.pdf", views_catalysis.story_cards, name="story-cards"),
]
