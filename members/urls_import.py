"""Roster import (staff): /members/import/ and the template download."""

from django.urls import path

from . import views_import as views

urlpatterns = [
    path("", views.import_roster, name="import_roster"),
    path("template/", views.import_template, name="import_template"),
]
