"""Member URLs, one module per part so parts stay independent:
urls_database (staff/secretary member database), urls_apply (applications, review,
certificates), urls_import (roster import)."""

from django.urls import include, path

app_name = "members"

urlpatterns = [
    path("", include("members.urls_database")),
    path("", include("members.urls_apply")),
    path("", include("members.urls_certificate")),
    path("", include("members.urls_records")),
    path("", include("members.urls_registration")),
    path("import/", include("members.urls_import")),
]
