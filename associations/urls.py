from django.urls import path

from . import views

app_name = "associations"

urlpatterns = [
    path("<str:code>/", views.public_detail, name="public_detail"),
]
