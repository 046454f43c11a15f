from __future__ import annotations

from django.urls import path

from okrflow.kpis import views

urlpatterns = [
    path("", views.kpi_list, name="kpi_list"),
    path("new/", views.kpi_create, name="kpi_create"),
    path("<int:kpi_id>/value/", views.kpi_value, name="kpi_value"),
    path("key-results/<int:kr_id>/", views.kpi_link, name="kpi_link"),
]
