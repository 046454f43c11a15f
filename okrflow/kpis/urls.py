from __future__ import annotations

from django.urls import path

from okrflow.kpis import views

urlpatterns = [
    path("", views.kpi_list, name="kpi_list"),
    path("new/", views.kpi_create, name="kpi_create"),
    path("<int:kpi_id>/", views.kpi_detail, name="kpi_detail"),
    path("<int:kpi_id>/edit/", views.kpi_edit, name="kpi_edit"),
    path("<int:kpi_id>/archive/", views.kpi_archive, name="kpi_archive"),
    path("<int:kpi_id>/value/", views.kpi_value, name="kpi_value"),
    path("values/<int:value_id>/correct/", views.kpi_value_correct, name="kpi_value_correct"),
    path("key-results/<int:kr_id>/", views.kpi_link, name="kpi_link"),
]
