from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.my_partnerships, name="mine"),
    path("gemeente/", views.municipality_overview, name="overview"),
    path("nieuw/<slug:slug>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bevestigen/<int:side_pk>/", views.confirm, name="confirm"),
    path("<int:pk>/partij/<int:side_pk>/", views.side_tasks, name="side-tasks"),
    path("<int:pk>/afspraak/", views.add_agreement, name="add-agreement"),
    path("<int:pk>/afspraak/<int:item_pk>/klaar/", views.agreement_done, name="agreement-done"),
    path("<int:pk>/actie/", views.add_action, name="add-action"),
    path("<int:pk>/actie/<int:item_pk>/klaar/", views.action_done, name="action-done"),
    path("<int:pk>/peiling/starten/", views.start_pulse, name="start-pulse"),
    path("<int:pk>/peiling/<int:round_pk>/", views.answer, name="answer"),
]
