"""A database that drops mid-request gives a clean 503 in Chinese, never a 500."""
import json

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from core.middleware import DatabaseErrorMiddleware


@pytest.mark.parametrize("exc", [OperationalError("server closed the connection unexpectedly"),
                                 InterfaceError("connection already closed")])
def test_page_gets_a_chinese_503(exc):
    middleware = DatabaseErrorMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(RequestFactory().post("/tickets/X/act/dispatch/"), exc)
    assert response.status_code == 503
    body = response.content.decode()
    assert "数据库暂时不可用" in body and "工单没有被修改" in body
    assert "<script" not in body


def test_api_path_gets_json_503():
    middleware = DatabaseErrorMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(RequestFactory().get("/api/v1/tickets/"), OperationalError("gone"))
    assert response.status_code == 503
    assert json.loads(response.content)["error"]["code"] == "unavailable"


def test_other_errors_are_left_alone():
    middleware = DatabaseErrorMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None
