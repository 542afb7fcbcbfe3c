from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/indienen/", views.submit, name="submit"),
    path("<int:pk>/beoordelen/", views.review, name="review"),
    path("<int:pk>/offline/", views.unpublish, name="unpublish"),
    path("<int:pk>/geschiedenis/", views.history, name="history"),
    path("initiatief/<slug:slug>/", views.start, name="start"),
]
