"""URLs of certificates, public verification and the member's self-service pages.

``urlpatterns`` is included by members.urls (namespace ``members``, under /members/);
``verify_urlpatterns`` is mounted at /verify/ (namespace ``verify``) and
``me_urlpatterns`` at /me/ (namespace ``me``) by anlong_wenlian.urls.
"""

from django.urls import path

from . import views_certificate as views

urlpatterns = [
    path(
        "certificate/<int:membership_id>.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "certificate/<int:membership_id>/verify/",
        views.certificate_verify_link,
        name="certificate_verify_link",
    ),
    path("photo/<int:person_id>/", views.person_photo, name="person_photo"),
]

verify_urlpatterns = [
    path("", views.verify_lookup, name="lookup"),
    path("<str:token>/", views.verify_token, name="token"),
]

me_urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("history/", views.profile_history, name="history"),
    path("photo/", views.my_photo, name="photo"),
]
