"""Uploads are checked by extension, by content (core.filecheck: libmagic, then the type's own
structure) and by size, and never served as something a browser would render: always
Content-Disposition: attachment with X-Content-Type-Options: nosniff."""
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Attachment
from complaints.services import attachment_add
from core import filecheck
from core.errors import ValidationFailed
from tests import samples

pytestmark = pytest.mark.django_db

PNG = samples.png()
PDF = samples.pdf()
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


REFUSED = [
    ("page.html", b"<html><script>alert(1)</script></html>"),       # type not allowed
    ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),    # SVG can carry script
    ("run.exe", b"MZ\x90\x00"),
    ("photo.png", b"<html><script>alert(1)</script></html>"),       # extension says png, content is html
    ("scan.pdf", PNG),                                               # content of another allowed type
    ("notes.txt", b"hello <script>alert(1)</script>"),              # text that a browser would render
    ("photo.png.html", PNG),
    ("noextension", PDF),
]


@pytest.mark.parametrize("name,content", REFUSED, ids=[name for name, _ in REFUSED])
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


ALLOWED = [  # named by the file name: generated files differ from one process to the next
    ("photo.jpg", samples.jpeg(), "image/jpeg"), ("photo.png", PNG, "image/png"), ("scan.pdf", PDF, "application/pdf"),
    ("fit.pdf", samples.pdf(open_action="page"), "application/pdf"),  # opens at page 1: no script
    ("letter.docx", samples.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("table.xlsx", samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("call.mp3", samples.mp3(), "audio/mpeg"), ("phone.mp3", samples.mp3_phone(), "audio/mpeg"),
    ("stopped.mp3", samples.mp3()[:-100], "audio/mpeg"),  # the recorder stopped mid-frame
    ("call.amr", samples.amr(), "audio/amr"),
    ("call.wav", samples.wav(), "audio/wav"), ("notes.txt", b"plain words", "text/plain")]


@pytest.mark.parametrize("name,content,content_type", ALLOWED, ids=[name for name, *_ in ALLOWED])
def test_allowed_types_are_stored_under_a_random_name(dispatched, users, name, content, content_type):
    ticket = dispatched()
    attachment = attachment_add(ticket=ticket, actor=users["station_a"], upload=SimpleUploadedFile(name, content))
    assert attachment.content_type == content_type and attachment.name == name
    assert name not in attachment.file.name  # the customer's file name never reaches the disk
    assert ticket.events.filter(action="attach").exists()


PDF_SCRIPT = "PDF 文件含有脚本或自动执行的动作"
OFFICE_EXE = "Office 文档中含有可执行程序或宏"
NOT_OFFICE = "不是有效的 Word/Excel 文档"
MARKUP = "文件中夹带了网页或脚本内容"


def _png_with_text(key, text):
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(key, text)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


HOSTILE = {
    "png+html polyglot": ("photo.png", PNG + HTML, MARKUP),
    "html in a png text chunk": ("photo.png", _png_with_text("Comment", HTML.decode()), MARKUP),
    "jpeg+html polyglot": ("photo.jpg", samples.jpeg() + HTML, MARKUP),
    "pdf with an OpenAction script": ("scan.pdf", samples.pdf(open_action="js"), PDF_SCRIPT),
    "pdf with document JavaScript": ("scan.pdf", samples.pdf(javascript=True), PDF_SCRIPT),
    "zip with an exe named docx": ("letter.docx", samples.zipped({"setup.exe": b"MZ\x90\x00" + bytes(200)}),
                                   NOT_OFFICE),
    "docx with an exe inside": ("letter.docx", samples.docx(**{"word/media/setup.exe": b"MZ\x90\x00"}), OFFICE_EXE),
    "docx with an exe under an image name": ("letter.docx", samples.docx(**{"word/media/image1.png": b"MZ\x90\x00"}),
                                             OFFICE_EXE),
    "docx with macros": ("letter.docx", samples.docx(**{"word/vbaProject.bin": bytes(64)}), OFFICE_EXE),
    "xlsx that is a docx": ("table.xlsx", samples.docx(), "内容须与扩展名一致"),
    "truncated pdf": ("scan.pdf", PDF[:40], "PDF 文件已损坏"),
    "mp3 with html": ("call.mp3", samples.mp3() + HTML, MARKUP),
    "mp3 with a program after the audio": ("call.mp3", samples.mp3() + b"MZ\x90\x00" + bytes(2000), "录音文件已损坏"),
    "id3 tag without audio": ("call.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x10" + bytes(16) + b"\xff\xfb",
                              "内容须与扩展名一致"),
    "amr that is text": ("call.amr", b"#!AMR\nhello", "录音文件已损坏"),
    "amr cut short": ("call.amr", samples.amr()[:-3], "录音文件已损坏"),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_uploads_are_refused_with_a_clear_message_and_nothing_stored(dispatched, users, settings, case):
    name, content, message = case
    ticket = dispatched()
    with pytest.raises(ValidationFailed) as info:
        attachment_add(ticket=ticket, actor=users["station_a"], upload=SimpleUploadedFile(name, content))
    assert message in info.value.fields["file"][0]
    assert not Attachment.objects.exists() and not ticket.events.filter(action="attach").exists()
    assert not any(files for _dir, _sub, files in os.walk(settings.MEDIA_ROOT))


def _stored_image(dispatched, users, name, content):
    from PIL import Image

    attachment = attachment_add(ticket=dispatched(), actor=users["station_a"],
                                upload=SimpleUploadedFile(name, content))
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert attachment.size == len(data)
    return data, Image.open(io.BytesIO(data))


def test_an_image_is_stored_as_its_pixels_only_without_exif_or_metadata(dispatched, users):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude: where the photo was taken
    photo = samples.image("JPEG", exif=exif.tobytes(), comment=b"taken at the customer's home")
    assert Image.open(io.BytesIO(photo)).getexif()  # the upload carries it
    data, stored = _stored_image(dispatched, users, "photo.jpg", photo)
    assert stored.format == "JPEG" and stored.size == (16, 12)
    assert not stored.getexif() and "exif" not in stored.info and "comment" not in stored.info
    assert b"CameraMaker" not in data and b"customer's home" not in data
    red, green, blue = stored.convert("RGB").getpixel((8, 6))
    assert abs(red - 200) < 8 and green < 40 and blue < 40  # the same picture

    data, stored = _stored_image(dispatched, users, "photo.png", _png_with_text("Author", "王师傅 13900001111"))
    assert stored.format == "PNG" and not stored.text and b"13900001111" not in data
    assert stored.convert("RGB").getpixel((0, 0)) == (1, 2, 3)


def test_a_photos_orientation_is_kept_in_the_pixels(dispatched, users):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    _data, stored = _stored_image(dispatched, users, "photo.jpg", samples.image("JPEG", exif=exif.tobytes()))
    assert stored.size == (12, 16) and not stored.getexif()


def test_without_libmagic_the_first_bytes_stand_in_and_structure_is_still_checked(dispatched, users,
                                                                                   monkeypatch):
    monkeypatch.setattr(filecheck, "magic", None)
    ticket = dispatched()
    for name, content in [("photo.png", PNG), ("scan.pdf", PDF), ("letter.docx", samples.docx())]:
        attachment_add(ticket=ticket, actor=users["station_a"], upload=SimpleUploadedFile(name, content))
    refused = [("photo.png", PNG + HTML), ("photo.png", HTML), ("call.mp3", os.urandom(600)),
               ("scan.pdf", samples.pdf(open_action="js")), ("letter.docx", samples.zipped({"a.exe": b"MZ"}))]
    for name, content in refused:
        with pytest.raises(ValidationFailed):
            attachment_add(ticket=ticket, actor=users["station_a"], upload=SimpleUploadedFile(name, content))
    assert Attachment.objects.count() == 3


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
    polyglot = SimpleUploadedFile("evil.png", PNG + HTML, content_type="image/png")
    response = client_for("station_a").post(url, {"file": polyglot})
    assert response.status_code == 400 and MARKUP in response.content.decode()
    assert not Attachment.objects.exists()


def test_api_upload_refuses_html(dispatched, client_as):
    ticket = dispatched()
    url = reverse("api-ticket-attachments", args=[ticket.number])
    upload = SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script></html>")
    response = client_as("station_a").post(url, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    scripted = SimpleUploadedFile("scan.pdf", samples.pdf(open_action="js"))
    response = client_as("station_a").post(url, {"file": scripted}, format="multipart")
    assert response.status_code == 400 and PDF_SCRIPT in response.json()["error"]["fields"]["file"][0]
    assert not Attachment.objects.exists()


def test_a_machine_without_libmagic_is_warned_at_start_up(monkeypatch):
    from core.checks import libmagic_check

    assert libmagic_check() == []
    monkeypatch.setattr(filecheck, "magic", None)
    assert [w.id for w in libmagic_check()] == ["core.W001"]


@pytest.mark.parametrize("content", [b"x", "现场情况说明：电压偏低".encode("gb18030"), "笔录".encode("utf-16"),
                                     "\ufeff笔录".encode()], ids=["one letter", "gb18030", "utf-16", "utf-8 bom"])
def test_short_and_chinese_windows_text_notes_are_accepted(dispatched, users, content):
    attachment = attachment_add(ticket=dispatched(), actor=users["station_a"],
                                upload=SimpleUploadedFile("笔录.txt", content))
    assert attachment.content_type == "text/plain"


def test_text_with_control_characters_is_not_text(dispatched, users):
    with pytest.raises(ValidationFailed, match="内容须与扩展名一致"):
        attachment_add(ticket=dispatched(), actor=users["station_a"],
                       upload=SimpleUploadedFile("notes.txt", b"MZ\x90\x00\x03\x00"))
