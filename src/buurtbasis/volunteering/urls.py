from django.urls import path

from . import views

app_name = "volunteering"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("taak/<int:pk>/", views.task_detail, name="task"),
    path("taak/<int:pk>/bewerken/", views.task_edit, name="task-edit"),
    path("taak/<int:pk>/dienst/nieuw/", views.shift_new, name="shift-new"),
    path("dienst/<int:pk>/verwijderen/", views.shift_remove, name="shift-remove"),
    path("dienst/<int:pk>/aanmelden/", views.shift_signup, name="signup"),
    path("dienst/<int:pk>/afmelden/", views.shift_cancel, name="cancel"),
    path("dienst/<int:pk>/suggesties/", views.shift_suggestions, name="suggestions"),
    path("dienst/<int:pk>/uitnodigen/", views.shift_invite, name="invite"),
    path("uitnodiging/<int:pk>/", views.invitation_answer, name="invitation"),
    path("aanmelding/<int:pk>/uren/", views.signup_hours, name="signup-hours"),
    path("mijn/", views.mine, name="mine"),
    path("profiel/", views.profile, name="profile"),
    path("uren/nieuw/", views.hours_new, name="hours-new"),
    path("uren/<int:pk>/bevestigen/", views.hours_confirm, name="hours-confirm"),
    path("uren/<int:pk>/verwijderen/", views.hours_delete, name="hours-delete"),
    path("initiatief/<slug:slug>/", views.manage, name="manage"),
    path("initiatief/<slug:slug>/taak/nieuw/", views.task_new, name="task-new"),
    path("sleutelrol/<int:pk>/beeindigen/", views.key_role_end, name="key-role-end"),
    path("overzicht/", views.overview, name="overview"),
    path("persoon/<int:user_id>/", views.person_hours, name="person"),
]
