from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("starten/", views.start, name="start"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/bewerken/", views.edit, name="edit"),
    path("<slug:slug>/status/", views.change_status, name="status"),
    path("<slug:slug>/initiatiefnemers/", views.members, name="members"),
    path("<slug:slug>/initiatiefnemers/verlaten/", views.leave, name="leave"),
    path(
        "<slug:slug>/uitnodiging/<str:token>/",
        views.invitation,
        name="invitation",
    ),
]
