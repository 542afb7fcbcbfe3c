from django.urls import path

from . import views

app_name = "rooms"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("partner/", views.partner, name="partner"),
    path("nieuw/<slug:slug>/", views.room_form, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/aanvragen/", views.request_room, name="request"),
    path("<int:pk>/bewerken/", views.room_form, name="edit"),
    path("<int:pk>/openingstijden/", views.window, name="window"),
    path("<int:pk>/gesloten/", views.blackout, name="blackout"),
    path("<int:pk>/agenda-adres/", views.rotate_room_feed, name="rotate-room-feed"),
    path("boekingen/<int:pk>/", views.booking, name="booking"),
    path("boekingen/<int:pk>/besluit/", views.decide, name="decide"),
    path("boekingen/<int:pk>/annuleren/", views.cancel, name="cancel"),
    path("initiatief/<slug:slug>/", views.initiative_bookings, name="initiative"),
    path(
        "initiatief/<slug:slug>/agenda-adres/",
        views.rotate_initiative_feed,
        name="rotate-initiative-feed",
    ),
    path("agenda/ruimte/<str:token>.ics", views.room_feed, name="room-feed"),
    path("agenda/initiatief/<str:token>.ics", views.initiative_feed, name="initiative-feed"),
]
