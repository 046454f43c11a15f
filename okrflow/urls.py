from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from okrflow.signin.views.sign_in import SignInView

urlpatterns = [
    path("", include("okrflow.front.urls")),
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-in/", include("okrflow.signin.urls")),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("checkins/", include("okrflow.checkins.urls")),
    path("insights/", include("okrflow.insights.urls")),
    path("library/", include("okrflow.library.urls")),
    path("administration/", include("okrflow.administration.urls")),
    path("account/", include("okrflow.account.urls")),
    path("api/", include("okrflow.api.urls")),
    path("reports/", include("okrflow.background.urls")),
    path("notifications/", include("okrflow.notifications.urls")),
    path("sources/", include("okrflow.datasources.urls")),
    path("admin/", admin.site.urls),
    # Issue #13: comment threads and @mentions
    path("comments/", include("okrflow.comments.urls")),
    # Issue #16: hand-offs between goals
    path("dependencies/", include("okrflow.dependencies.urls")),
    path("kpis/", include("okrflow.kpis.urls")),
]
