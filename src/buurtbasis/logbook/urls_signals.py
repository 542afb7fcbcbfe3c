from django.urls import path

from . import views_signals as views

app_name = "signals"
urlpatterns = [
    path("", views.signal_list, name="list"),
    path("nieuw/", views.make_signal, name="new"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/status/", views.signal_status, name="status"),
    path("<int:pk>/beantwoorden/", views.signal_answer, name="answer"),
    path("<int:pk>/antwoord/", views.teller_answer, name="teller"),
]
