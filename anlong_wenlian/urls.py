from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from members.urls_certificate import me_urlpatterns, verify_urlpatterns
from members.urls_records import me_urlpatterns as records_me_urlpatterns
from members.urls_registration import me_urlpatterns as registration_me_urlpatterns
from portal import views as portal_views

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.FEDERATION_SHORT_NAME
admin.site.index_title = settings.ADMIN_SITE_HEADER

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("members/", include("members.urls")),
    path("associations/", include("associations.urls")),
    path("notifications/", include("notifications.urls")),
    path("verify/", include((verify_urlpatterns, "verify"))),
    path(
        "me/",
        include(([*me_urlpatterns, *records_me_urlpatterns, *registration_me_urlpatterns], "me")),
    ),
    path("", include("portal.urls")),
]

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
