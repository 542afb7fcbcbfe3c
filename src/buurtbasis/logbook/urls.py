from django.urls import path

from . import views

app_name = "logbook"
urlpatterns = [
    path("<slug:slug>/", views.timeline, name="timeline"),
    path("<slug:slug>/nieuw-hier/", views.new_here, name="new-here"),
    path("<slug:slug>/notitie/", views.add_note, name="add-note"),
]
