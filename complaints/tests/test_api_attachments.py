"""Attachments upload / download, and the OpenAPI schema and Swagger UI pages."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Attachment
from complaints.services import ticket_dispatch
from tests import samples

pytestmark = pytest.mark.django_db
PNG = samples.png()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def ticket(make_ticket, users, units):
    return ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])


def upload(client, ticket, name="现场照片.png", content=PNG):
    return client.post(f"/api/v1/tickets/{ticket.number}/attachments/",
                       {"file": SimpleUploadedFile(name, content, content_type="image/png")}, format="multipart")


def test_upload_then_download(client_as, ticket):
    response = upload(client_as("station_a"), ticket)
    assert response.status_code == 201, response.content
    item = response.json()["attachments"][0]
    assert (item["name"], item["content_type"]) == ("现场照片.png", "image/png")
    download = client_as("supervisor").get(item["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\x89PNG\r\n\x1a\n") and len(body) == item["size"]  # the pixels, re-encoded


def test_disguised_or_empty_file_is_400(client_as, ticket):
    client = client_as("station_a")
    assert upload(client, ticket, "evil.png", b"<script>alert(1)</script>").status_code == 400
    assert upload(client, ticket, "empty.png", b"").status_code == 400
    assert upload(client, ticket, "x.exe", b"MZ\x90\x00").status_code == 400
    response = client.post(f"/api/v1/tickets/{ticket.number}/attachments/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    assert Attachment.objects.count() == 0


def test_other_units_cannot_upload_or_download(client_as, ticket):
    assert upload(client_as("station_b"), ticket).status_code == 404
    url = upload(client_as("station_a"), ticket).json()["attachments"][0]["url"]
    assert client_as("station_b").get(url).status_code == 404
    assert client_as("station_a").get(f"/api/v1/tickets/{ticket.number}/attachments/99999999999999999999/"
                                      ).status_code == 404
    assert client_as("station_a").get(f"/api/v1/tickets/{ticket.number}/attachments/abc/").status_code == 404


def test_schema_and_swagger_ui_served_locally_to_signed_in_users(client, users, settings):
    assert client.get("/api/v1/schema/?format=json").status_code == 401
    assert client.get("/api/v1/docs/").status_code == 401
    settings.API_DOCS_PUBLIC = True  # a deployment may open them
    assert client.get("/api/v1/schema/?format=json").status_code == 200
    settings.API_DOCS_PUBLIC = False
    client.force_login(users["viewer"])
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "Demo@12345" not in schema.content.decode()  # no demo password in the examples
    paths = schema.json()["paths"]
    for path in ("/api/v1/auth/token/", "/api/v1/me/", "/api/v1/units/", "/api/v1/categories/",
                 "/api/v1/tickets/", "/api/v1/tickets/{number}/", "/api/v1/tickets/{number}/extension-decision/",
                 "/api/v1/tickets/{number}/attachments/{attachment_id}/"):
        assert path in paths
    assert "#/components/schemas/Error'" in str(paths["/api/v1/tickets/"]["post"]["responses"]["409"])
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
