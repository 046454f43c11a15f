from __future__ import annotations

from django.urls import path

from okrflow.library import views, views_transfer

app_name = "library"
urlpatterns = [
    path("", views.template_list, name="index"),
    path("templates/<slug:key>/", views.template_detail, name="template"),
    path("templates/<slug:key>/use/", views.template_use, name="use_template"),
    path("check/", views.writing_check, name="check"),
    path("quality/", views.quality, name="quality"),
    path("parse-kr/", views.parse_kr, name="parse_kr"),
    path("import/", views_transfer.import_okrs, name="import"),
    path("export/", views_transfer.export_page, name="export"),
    path(
        "export/<int:cycle_id>/<str:format_name>/",
        views_transfer.download,
        name="download",
    ),
]
