from __future__ import annotations

from tests.api.conftest import Api, Planted


def test_objectives_list(apis: dict[str, Api], planted: Planted) -> None:
    response = apis["member"].get("/objectives")
    assert response.status_code == 200, response.content
    titles = [item["title"] for item in response.json()["items"]]
    assert planted.secret_title in titles
    response = apis["outsider"].get("/objectives")
    assert planted.secret_title not in response.content.decode()
