from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("", views.district_index, name="index"),
    path("<int:year>/<str:code>/", views.district_detail, name="detail"),
    path("<slug:slug>/", views.district_by_slug, name="by-slug"),
]
