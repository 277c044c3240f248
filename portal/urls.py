from django.urls import path

from . import job_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.landing, name="landing"),
    path("dashboard/staff/", views.staff_dashboard, name="staff_dashboard"),
    path("dashboard/jobs/", job_views.jobs_page, name="jobs"),
    path("dashboard/jobs/run/", job_views.job_run_now, name="job_run"),
    path("dashboard/association/", views.secretary_home, name="secretary_home"),
    path(
        "dashboard/association/<str:code>/",
        views.secretary_dashboard,
        name="secretary_dashboard",
    ),
    path("me/", views.member_centre, name="member_centre"),
]
