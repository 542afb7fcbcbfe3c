app_name = "volunteering"
urlpatterns = []
