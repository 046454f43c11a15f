from __future__ import annotations

from django.urls import path

from okrflow.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:notification_id>/read/", views.read, name="read"),
    path("<int:notification_id>/open/", views.open_entry, name="open"),
]
