from django.urls import path

from . import views

app_name = "platform"

urlpatterns = [
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/gelezen/", views.mark_all_read, name="notifications-read-all"),
    path("meldingen/<int:pk>/gelezen/", views.mark_read, name="notification-read"),
    path("meldingen/<int:pk>/openen/", views.open_notification, name="notification-open"),
    path("meldingen/voorkeuren/", views.preferences, name="notification-preferences"),
    path("volgen/", views.toggle_follow, name="follow"),
    path("thema.css", views.theme_css, name="theme-css"),
]
