from django.urls import path

from . import views

app_name = "ballots"
urlpatterns = [
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/stembiljet/", views.ballot, name="ballot"),
    path("<slug:slug>/ontvangen/<str:receipt>/", views.receipt, name="receipt"),
    path("<slug:slug>/bon/", views.receipt_lookup, name="receipt-lookup"),
    path("<slug:slug>/beheer/", views.manage, name="manage"),
    path("<slug:slug>/beheer/brieven/", views.print_letters, name="letters"),
    path("<slug:slug>/beheer/papier/", views.paper_batches, name="paper-batches"),
    path("<slug:slug>/beheer/papier/<int:pk>/", views.paper_batch, name="paper-batch"),
]
