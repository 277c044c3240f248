"""Online application, referees, review and public notice (included by members.urls under
/members/, namespace ``members``)."""

from django.urls import path

from . import views_apply as views

urlpatterns = [
    path("apply/register/", views.register, name="apply_register"),
    path("apply/", views.my_applications, name="apply_mine"),
    path("apply/new/", views.application_edit, name="apply_new"),
    path("apply/<int:pk>/", views.application_detail, name="apply_detail"),
    path("apply/<int:pk>/edit/", views.application_edit, name="apply_edit"),
    path("apply/<int:pk>/decide/", views.application_decide, name="apply_decide"),
    path("apply/<int:pk>/photo/", views.application_photo, name="apply_photo"),
    path("apply/<int:pk>/works/<int:work_id>/", views.application_work, name="apply_work"),
    path(
        "apply/<int:pk>/objections/<int:objection_id>/evidence/",
        views.objection_evidence,
        name="objection_evidence",
    ),
    path(
        "apply/<int:pk>/objections/<int:objection_id>/resolve/",
        views.objection_resolve,
        name="objection_resolve",
    ),
    path("referee/<int:pk>/", views.referee_respond, name="referee_respond"),
    path("review/", views.review_queue, name="review_queue"),
    path("notice/", views.notice_list, name="notice_list"),
    path("notice/<int:pk>/object/", views.objection_new, name="objection_new"),
]
