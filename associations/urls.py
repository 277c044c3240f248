from django.urls import path

from . import views

app_name = "associations"

urlpatterns = [
    path("duty/", views.my_duty, name="my_duty"),
    path("manage/federation/duty/", views.federation_duty, name="federation_duty"),
    path("manage/federation/network/", views.network, name="network"),
    path("manage/federation/congress/", views.congresses, name="congresses"),
    path(
        "manage/federation/congress/<int:number>/",
        views.congress_report,
        name="congress_report",
    ),
    path(
        "manage/federation/congress/<int:number>/report.xlsx",
        views.congress_export,
        name="congress_export",
    ),
    path("manage/federation/funding/", views.funding, name="funding"),
    path("manage/federation/appraisal/", views.federation_appraisal, name="federation_appraisal"),
    path(
        "manage/federation/<str:body>/",
        views.federation_leadership,
        name="federation_leadership",
    ),
    path(
        "manage/federation/<str:body>/meetings/",
        views.federation_meetings,
        name="federation_meetings",
    ),
    path("manage/<str:code>/leadership/", views.leadership, name="leadership"),
    path("manage/<str:code>/duty/", views.duty_overview, name="duty_overview"),
    path("manage/<str:code>/contacts/", views.contacts, name="contacts"),
    path("manage/<str:code>/meetings/", views.meetings, name="meetings"),
    path("manage/<str:code>/appraisal/", views.appraisal, name="appraisal"),
    path("<str:code>/", views.public_detail, name="public_detail"),
]
