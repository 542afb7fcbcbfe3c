from django.urls import path

from . import views

app_name = "continuity"
urlpatterns = [
    path("", views.search_list, name="list"),
    path("initiatief/<slug:slug>/", views.initiative_page, name="initiative"),
    path("initiatief/<slug:slug>/zoeken/", views.start_search, name="start"),
    path("initiatief/<slug:slug>/rol/", views.add_role, name="add-role"),
    path("initiatief/<slug:slug>/sluiten/", views.close_search, name="close"),
    path("rol/<int:pk>/reageren/", views.respond, name="respond"),
    path("reactie/<int:pk>/", views.answer_response, name="answer"),
    path("<int:pk>/", views.handover_page, name="handover"),
    path("<int:pk>/punt/", views.add_item, name="add-item"),
    path("<int:pk>/punt/<int:item>/", views.tick_item, name="tick"),
    path("<int:pk>/punt/<int:item>/host/", views.ask_host, name="ask-host"),
    path("<int:pk>/afronden/", views.complete, name="complete"),
    path("<int:pk>/stoppen/", views.cancel, name="cancel"),
]
