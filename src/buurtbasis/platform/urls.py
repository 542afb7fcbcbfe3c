from django.urls import path

from . import views

app_name = "platform"

urlpatterns = [
    path("thema.css", views.theme_css, name="theme-css"),
]
