"""A key result's data source pages, and the push endpoint, mounted at /sources/."""

from __future__ import annotations

from django.urls import path

from okrflow.datasources import views

app_name = "datasources"
urlpatterns = [
    path("key-results/<int:kr_id>/", views.source_settings, name="settings"),
    path("key-results/<int:kr_id>/test/", views.test_now, name="test"),
    path("key-results/<int:kr_id>/remove/", views.remove, name="remove"),
    path("key-results/<int:kr_id>/push-secret/", views.push_secret, name="push_secret"),
    path("push/<str:token>/", views.push, name="push"),
]
