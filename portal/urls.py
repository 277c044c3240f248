from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.landing, name="landing"),
    path("dashboard/staff/", views.staff_dashboard, name="staff_dashboard"),
    path("dashboard/association/", views.secretary_home, name="secretary_home"),
    path(
        "dashboard/association/<str:code>/",
        views.secretary_dashboard,
        name="secretary_dashboard",
    ),
    path("me/", views.member_centre, name="member_centre"),
]
