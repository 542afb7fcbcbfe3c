from django.urls import path

from . import views, views_contact

app_name = "buddies"
urlpatterns = [
    path("", views.index, name="index"),
    path("programma/<int:pk>/", views.programme, name="programme"),
    path("programma/<int:pk>/nieuw/", views.household_new, name="household-new"),
    path("programma/<int:pk>/aanmelden/", views.sign_up, name="sign-up"),
    path("programma/<int:pk>/voorstel/", views.batch_new, name="batch-new"),
    path("voorstel/<int:pk>/", views.batch, name="batch"),
    path("huishouden/<int:pk>/", views.household, name="household"),
    path("huishouden/<int:pk>/bewerken/", views.household_edit, name="household-edit"),
    path("huishouden/<int:pk>/klaar/", views.household_ready, name="household-ready"),
    path("huishouden/<int:pk>/koppelen/", views.propose, name="propose"),
    path("paar/<int:pk>/", views.pair, name="pair"),
    path("huishouden/<int:pk>/contact/", views_contact.confirm, name="contact-confirm"),
]
