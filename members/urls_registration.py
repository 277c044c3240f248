"""URLs of the yearly registration (MEM-07).

``urlpatterns`` is included by members.urls (namespace ``members``, under /members/);
``me_urlpatterns`` is added to the member's own pages at /me/ (namespace ``me``) by
anlong_wenlian.urls.
"""

from django.urls import path

from . import views_registration as views

urlpatterns = [
    path("registration/review/", views.registration_review, name="registration_review"),
]

me_urlpatterns = [
    path(
        "registration/<int:year>/confirm/",
        views.registration_confirm,
        name="registration_confirm",
    ),
]
