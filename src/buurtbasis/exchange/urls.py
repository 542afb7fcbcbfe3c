from django.urls import path

from . import views, views_meetings

app_name = "exchange"
urlpatterns = [
    path("vragen/", views.my_questions, name="questions"),
    path("vragen/<int:pk>/", views.thread_detail, name="thread"),
    path("vragen/<int:pk>/sluiten/", views.thread_close, name="thread_close"),
    path("vragen/<int:pk>/melden/", views.thread_report, name="thread_report"),
    path("vragen/<int:pk>/blokkeren/", views.thread_block, name="thread_block"),
    path("initiatief/<slug:slug>/vraag/", views.ask, name="ask"),
    path("initiatief/<slug:slug>/vragen-ontvangen/", views.question_settings, name="settings"),
    path("bijeenkomsten/", views_meetings.meeting_list, name="meetings"),
    path("bijeenkomsten/nieuw/", views_meetings.meeting_new, name="meeting_new"),
    path("bijeenkomsten/<int:pk>/", views_meetings.meeting_detail, name="meeting"),
    path(
        "bijeenkomsten/<int:pk>/agenda-downloaden.ics", views_meetings.meeting_calendar, name="ics"
    ),
    path("bijeenkomsten/<int:pk>/aanmelden/", views_meetings.register, name="register"),
    path(
        "bijeenkomsten/<int:pk>/afmelden/<int:registration>/",
        views_meetings.cancel_registration,
        name="unregister",
    ),
    path("bijeenkomsten/<int:pk>/afgelasten/", views_meetings.cancel_meeting, name="cancel"),
    path("bijeenkomsten/<int:pk>/verslag/", views_meetings.write_report, name="report"),
]
