"""Small valid files of every type an upload accepts, built with the libraries that write them
(Pillow, pypdf, openpyxl, zipfile), for tests that upload evidence."""
import io
import struct
import zipfile
from functools import cache

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
                 '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                 'document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
DOCUMENT = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>现场情况说明</w:t></w:r></w:p></w:body></w:document>')


def image(fmt="PNG", size=(16, 12), colour=(200, 30, 30), **save) -> bytes:
    from PIL import Image

    picture = Image.new("RGB", size, colour)
    out = io.BytesIO()
    picture.save(out, fmt, **save)
    return out.getvalue()


@cache
def png() -> bytes:
    return image("PNG")


@cache
def jpeg() -> bytes:
    return image("JPEG")


def pdf(*, javascript=False, open_action=None) -> bytes:
    """A one-page PDF; with javascript, a document-level script; with open_action ("js" or "page"), an
    /OpenAction that runs a script or that only opens the first page."""
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    if javascript:
        writer.add_open_action(JavaScript("app.alert('x');"))  # the document-level JavaScript name tree
    if open_action == "js":
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    elif open_action == "page":
        writer.open_destination = page
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zipped(entries: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in entries.items():
            package.writestr(name, content)
    return out.getvalue()


def docx(**extra: bytes | str) -> bytes:
    """A minimal Word document; extra entries (name → content) are added to the package."""
    return zipped({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": DOCUMENT,
                   **extra})


@cache
def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "投诉统计"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def mp3(frames=8) -> bytes:
    """MPEG-1 Layer III frames, 128 kbit/s at 44.1 kHz (417 bytes each), of silence."""
    header = bytes([0xFF, 0xFB, 0x90, 0x64])
    return (header + b"\x00" * 413) * frames


def mp3_phone(frames=8) -> bytes:
    """MPEG-2 Layer III frames as a phone recorder writes them: 32 kbit/s at 16 kHz (144 bytes each),
    after an ID3v2 tag and followed by an ID3v1 tag."""
    id3v2 = b"ID3\x03\x00\x00" + bytes([0, 0, 0, 20]) + b"\x00" * 20
    return id3v2 + (bytes([0xFF, 0xF3, 0x48, 0xC4]) + b"\x00" * 140) * frames + b"TAG" + b"\x00" * 125


def amr(frames=10) -> bytes:
    """The AMR-NB file magic and 12.2 kbit/s frames (header byte 0x3C + 31 bytes)."""
    return b"#!AMR\n" + (b"\x3c" + b"\x00" * 31) * frames


def wav(samples=800) -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(struct.pack(f"<{samples}h", *([0] * samples)))
    return out.getvalue()
