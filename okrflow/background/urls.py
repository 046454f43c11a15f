from __future__ import annotations

from django.urls import path

from okrflow.background import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:report_id>/download/", views.report_download, name="download"),
]
