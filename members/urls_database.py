"""Member database: list, search, filters, member page, export, statistics (MEM-08)."""

from django.urls import path

from . import views_database as views

urlpatterns = [
    path("database/", views.member_list, name="database_list"),
    path("database/export/", views.member_export, name="database_export"),
    path("m/<int:pk>/", views.member_detail, name="member_detail"),
    path("m/<int:pk>/reveal-id/", views.member_reveal_id, name="member_reveal_id"),
    path("stats/", views.statistics, name="statistics"),
    path("stats/export/", views.statistics_export, name="statistics_export"),
]
