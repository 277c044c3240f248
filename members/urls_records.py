"""URLs of identity change requests and discipline decisions (MEM-05, MEM-06).

``urlpatterns`` is included by members.urls (namespace ``members``, under /members/);
``me_urlpatterns`` is added to the member's own pages at /me/ (namespace ``me``) by
anlong_wenlian.urls.
"""

from django.urls import path

from . import views_records as views

urlpatterns = [
    path("changes/", views.change_list, name="change_list"),
    path("changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("changes/<int:pk>/evidence/", views.change_evidence, name="change_evidence"),
    path("m/<int:membership_id>/discipline/new/", views.discipline_new, name="discipline_new"),
    path(
        "discipline/<int:pk>/attachment/",
        views.discipline_attachment,
        name="discipline_attachment",
    ),
]

me_urlpatterns = [
    path("changes/", views.my_changes, name="changes"),
    path("changes/new/", views.change_new, name="change_new"),
    path("records/", views.my_records, name="records"),
    path("withdraw/<int:membership_id>/", views.withdraw, name="withdraw"),
]
