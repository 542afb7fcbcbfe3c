from django.urls import path

from . import views_profile
from . import wijken as views

app_name = "areas"  # the wijk pages keep their names: areas:index, areas:detail
urlpatterns = [
    path("", views.district_index, name="index"),
    path("<int:year>/<str:code>/", views.district_detail, name="detail"),
    path("<int:year>/<str:code>/profiel/", views_profile.profile_detail, name="profile-detail"),
    path("<slug:slug>/", views.district_by_slug, name="by-slug"),
    path("<slug:slug>/profiel/", views_profile.profile_by_slug, name="profile"),
    path("<slug:slug>/profiel/wijkanalyse.pdf", views_profile.profile_pdf, name="profile-pdf"),
]
