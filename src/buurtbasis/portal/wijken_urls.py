from django.urls import path

from . import wijken as views

app_name = "areas"  # the wijk pages keep their names: areas:index, areas:detail
urlpatterns = [
    path("", views.district_index, name="index"),
    path("<int:year>/<str:code>/", views.district_detail, name="detail"),
    path("<slug:slug>/", views.district_by_slug, name="by-slug"),
]
