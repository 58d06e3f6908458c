"""Uploads are checked by extension, content and size, and never served as something a browser
would render: always Content-Disposition: attachment with X-Content-Type-Options: nosniff."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Attachment
from complaints.services import attachment_add
from core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.mark.parametrize("name,content", [
    ("page.html", b"<html><script>alert(1)</script></html>"),       # type not allowed
    ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),    # SVG can carry script
    ("run.exe", b"MZ\x90\x00"),
    ("photo.png", b"<html><script>alert(1)</script></html>"),       # extension says png, content is html
    ("scan.pdf", PNG),                                               # content of another allowed type
    ("notes.txt", b"hello <script>alert(1)</script>"),              # text that a browser would render
    ("photo.png.html", PNG),
    ("noextension", PDF),
])
def test_wrong_type_or_mismatch_is_refused(dispatched, users, name, content):
    ticket = dispatched()
    with pytest.raises(ValidationFailed) as info:
        attachment_add(ticket=ticket, actor=users["station_a"], upload=SimpleUploadedFile(name, content))
    assert "file" in info.value.fields
    assert not Attachment.objects.exists()


def test_oversized_is_refused(dispatched, users, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    ticket = dispatched()
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationFailed, match="附件不能超过"):
        attachment_add(ticket=ticket, actor=users["station_a"], upload=upload)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("name,content,content_type", [
    ("photo.png", PNG, "image/png"), ("scan.pdf", PDF, "application/pdf"), ("notes.txt", b"plain words", "text/plain")])
def test_allowed_types_are_stored_under_a_random_name(dispatched, users, name, content, content_type):
    ticket = dispatched()
    attachment = attachment_add(ticket=ticket, actor=users["station_a"], upload=SimpleUploadedFile(name, content))
    assert attachment.content_type == content_type and attachment.name == name
    assert name not in attachment.file.name  # the customer's file name never reaches the disk
    assert ticket.events.filter(action="attach").exists()


def _stored(dispatched, users, name="scan.pdf", content=PDF):
    ticket = dispatched()
    return ticket, attachment_add(ticket=ticket, actor=users["station_a"], upload=SimpleUploadedFile(name, content))


def _assert_safe_download(response, name):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "text/html" not in response["Content-Type"]
    body = b"".join(response.streaming_content)
    assert body
    return body


def test_page_download_is_an_attachment(dispatched, users, client_for):
    ticket, attachment = _stored(dispatched, users)
    url = reverse("complaints:attachment_download", args=[ticket.number, attachment.pk])
    assert _assert_safe_download(client_for("station_a").get(url), attachment.name) == PDF
    assert client_for("station_b").get(url).status_code == 404  # another unit: as if it did not exist


def test_api_download_is_an_attachment(dispatched, users, client_as):
    ticket, attachment = _stored(dispatched, users, "notes.txt", b"plain words")
    url = reverse("api-ticket-attachment", args=[ticket.number, attachment.pk])
    body = _assert_safe_download(client_as("station_a").get(url), attachment.name)
    assert body == b"plain words"
    assert client_as("station_b").get(url).status_code == 404


def test_page_upload_refuses_html_with_a_chinese_message(dispatched, client_for):
    ticket = dispatched()
    url = reverse("complaints:attachment_upload", args=[ticket.number])
    upload = SimpleUploadedFile("evil.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client_for("station_a").post(url, {"file": upload})
    assert response.status_code == 400
    assert "内容须与扩展名一致" in response.content.decode()
    assert not Attachment.objects.exists()


def test_api_upload_refuses_html(dispatched, client_as):
    ticket = dispatched()
    url = reverse("api-ticket-attachments", args=[ticket.number])
    upload = SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script></html>")
    response = client_as("station_a").post(url, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert not Attachment.objects.exists()
