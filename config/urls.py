from django.contrib import admin
from django.urls import include, path

from atout.api.api import urls as api_urls
from atout.badges.ob3api import urls as ob3api_urls

urlpatterns = [
    path("", include("atout.core.urls")),
    path("compte/", include("atout.accounts.urls")),
    path("organisations/", include("atout.organisations.urls")),
    path("referentiel/", include("atout.referentiel.urls")),
    path("experiences/", include("atout.experiences.urls")),
    path("", include("atout.assessments.urls")),
    path("", include("atout.badges.urls")),
    path("orientation/", include("atout.orientation.urls")),
    path("progres/", include("atout.progress.urls")),
    path("api/v1/", api_urls()),
    path("ims/ob/v3p0/", ob3api_urls()),
    path("admin/", admin.site.urls),
]
