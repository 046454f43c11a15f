"""The insights pages, mounted at /insights/."""

from __future__ import annotations

from django.urls import path

from okrflow.insights.views import dashboards, key_result, reports, review

app_name = "insights"
urlpatterns = [
    path("", dashboards.company, name="company"),
    path("units/<int:unit_id>/", dashboards.unit, name="unit"),
    path("people/<int:person_id>/", dashboards.person, name="person"),
    path("map/", dashboards.alignment_map_rows, name="map_rows"),
    path("facts/", dashboards.facts, name="facts"),
    path("risks/", dashboards.risks, name="risks"),
    path("key-results/<int:kr_id>/", key_result.key_result, name="key_result"),
    path("cycles/<int:cycle_id>/review/", review.review, name="review"),
    path("cycles/<int:cycle_id>/close/", review.close, name="close_cycle"),
    path("cycles/<int:cycle_id>/report.<str:fmt>", reports.report, name="report"),
    path("objectives/<int:objective_id>/reflection/", review.reflection, name="reflection"),
    path("objectives/<int:objective_id>/carry-over/", review.carry_over, name="carry_over"),
]
