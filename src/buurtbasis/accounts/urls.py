from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("registreren/", views.register, name="register"),
    path("registreren/kijk-in-uw-mail/", views.verify_sent, name="verify_sent"),
    path("bevestigen/opnieuw/", views.verify_resend, name="verify_resend"),
    path("bevestigen/<str:token>/", views.verify, name="verify"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("wachtwoord-wijzigen/", views.PasswordChangeView.as_view(), name="password_change"),
    path("e-mail-wijzigen/", views.email_change, name="email_change"),
    path(
        "e-mail-wijzigen/<str:token>/",
        views.email_change_confirm,
        name="email_change_confirm",
    ),
    path("mijn-gegevens/", views.my_data, name="my_data"),
    path("mijn-gegevens/download/", views.my_data_download, name="my_data_download"),
    path("verwijderen/", views.delete_account, name="delete"),
]
