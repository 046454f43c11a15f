from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from okrflow.front import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path(
        "sign-in/", auth_views.LoginView.as_view(template_name="front/sign_in.html"), name="login"
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.switch_language, name="switch_language"),
    path("checkins/", include("okrflow.checkins.urls")),
    path("insights/", include("okrflow.insights.urls")),
    path("library/", include("okrflow.library.urls")),
    path("admin/", admin.site.urls),
]
