from django.urls import path

from . import views, views_details, views_preview

app_name = "ballots"
urlpatterns = [
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/stembiljet/", views.ballot, name="ballot"),
    path("<slug:slug>/ontvangen/<str:receipt>/", views.receipt, name="receipt"),
    path("<slug:slug>/mijn-gegevens/", views_details.voter_details, name="voter-details"),
    path("<slug:slug>/bon/", views.receipt_lookup, name="receipt-lookup"),
    path("<slug:slug>/beheer/", views.manage, name="manage"),
    path("<slug:slug>/beheer/brieven/", views.print_letters, name="letters"),
    path("<slug:slug>/beheer/brieven/lijst/", views.letter_runs, name="letter-runs"),
    path(
        "<slug:slug>/beheer/brieven/voorbeeld.pdf",
        views_preview.letters_preview,
        name="letters-preview",
    ),
    path(
        "<slug:slug>/beheer/brieven/<int:pk>/pdf/", views.letters_download, name="letters-download"
    ),
    path("<slug:slug>/beheer/brieven/<int:pk>/opnieuw/", views.letters_retry, name="letters-retry"),
    path(
        "<slug:slug>/beheer/brieven/<int:pk>/wissen/", views.letters_delete, name="letters-delete"
    ),
    path("<slug:slug>/beheer/papier/", views.paper_batches, name="paper-batches"),
    path("<slug:slug>/beheer/papier/<int:pk>/", views.paper_batch, name="paper-batch"),
]
