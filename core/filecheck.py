"""What an uploaded file really is, judged by its content, not its name or first bytes.

libmagic (python-magic) names the type from the content; then the declared type's own structure is
read with a library that knows it:
- JPEG/PNG: decoded by Pillow and re-encoded from the pixels alone (no EXIF, GPS, comments, ICC or
  trailing bytes survive); the caller stores the new bytes;
- PDF: parsed by pypdf and every object reachable from the trailer walked: no JavaScript, no
  automatic actions (an /OpenAction that is an action, /AA), no launch, embedded files, forms
  that submit or XFA; encrypted files cannot be inspected and are refused;
- DOCX/XLSX: a valid OOXML package (zip with [Content_Types].xml and its main part), no
  executable inside by name or by content, no macros or ActiveX/OLE binaries, no zip bomb;
- WAV by the standard library's wave reader, AMR (RFC 4867 storage format) and MP3 (MPEG audio
  frame headers) frame by frame to the end;
- text: decodes as UTF-8, UTF-16 or GB18030, no control characters, no markup;
- images and recordings must not carry HTML or script a browser could be talked into running.

Without libmagic on the machine (python-magic cannot load it) the built-in first-bytes table stands
in and every structure check still runs: unknown content is refused, never accepted.
"""
import io
import re
import wave
import zipfile

from django.utils.translation import gettext

try:
    import magic
except ImportError:  # libmagic1 is missing: see sniff()
    magic = None

MAX_PIXELS = 64_000_000
MAX_ZIP_ENTRIES = 5000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_PDF_OBJECTS = 200_000

# What libmagic may call each declared type.
MAGIC_NAMES = {
    "image/jpeg": {"image/jpeg"}, "image/png": {"image/png"}, "application/pdf": {"application/pdf"},
    "audio/mpeg": {"audio/mpeg"}, "audio/amr": {"audio/amr"}, "audio/wav": {"audio/x-wav", "audio/wav"},
    # libmagic names an OOXML package by its first entries; other writers order them differently.
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
}
# Without libmagic: first bytes → the type libmagic would have named.
_SIGNATURES = [(b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"%PDF-", "application/pdf"),
               (b"ID3", "audio/mpeg"), (b"\xff\xfb", "audio/mpeg"), (b"\xff\xf3", "audio/mpeg"),
               (b"\xff\xf2", "audio/mpeg"), (b"#!AMR", "audio/amr"), (b"RIFF", "audio/x-wav"),
               (b"PK\x03\x04", "application/zip")]
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/document.xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/workbook.xml",
}
_EXECUTABLE_NAMES = (".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".pif", ".cpl", ".msi", ".msp", ".jar",
                     ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".ps1", ".hta", ".lnk", ".sh", ".elf")
_EXECUTABLE_HEADS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_PDF_ACTIONS = {"/JavaScript", "/JS", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia",
                "/XFA", "/SubmitForm", "/ImportData"}
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|form|\?php)\b",
                     re.IGNORECASE)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sniff(data: bytes) -> str | None:
    """The content's type as libmagic names it (or the first-bytes table without libmagic)."""
    if magic is not None:
        try:
            return magic.from_buffer(data, mime=True)
        except magic.MagicException:  # libmagic gave up on it: unknown, so refused
            return None
    return next((kind for head, kind in _SIGNATURES if data.startswith(head)), None)


def check(data: bytes, declared: str, kinds: str) -> bytes | None:
    """Refused (with a message for the user) unless `data` is a harmless file of type `declared`.
    Returns the bytes to store instead of `data` (images: the pixels re-encoded), or None."""
    mismatch = Refused(gettext("只能上传 %(kinds)s 文件，且内容须与扩展名一致") % {"kinds": kinds})
    if declared == "text/plain":  # libmagic cannot tell a one-word note from binary: decoded instead
        if not _is_plain_text(data):
            raise mismatch
        return None
    if sniff(data) not in MAGIC_NAMES.get(declared, ()):
        raise mismatch
    if declared.startswith(("image/", "audio/")) and _MARKUP.search(data):
        raise Refused(gettext("文件中夹带了网页或脚本内容，已拒收"))
    if declared in ("image/jpeg", "image/png"):
        return _pixels_only(data, "JPEG" if declared == "image/jpeg" else "PNG")
    if declared == "application/pdf":
        _check_pdf(data)
    elif declared in _OOXML_MAIN:
        _check_ooxml(data, _OOXML_MAIN[declared])
    elif declared == "audio/wav":
        _check_wav(data)
    elif declared == "audio/amr":
        _check_amr(data)
    elif declared == "audio/mpeg":
        _check_mp3(data)
    return None


def _is_plain_text(data: bytes) -> bool:
    """Text in UTF-8, UTF-16 with its BOM or GB18030 (Chinese Windows), no control characters, no
    markup a browser would render."""
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not _CONTROL.search(text) and "<" not in text[:512].replace("&lt;", "")
    return False


def _pixels_only(data: bytes, fmt: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    broken = gettext("图片文件已损坏或无法识别")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != fmt:
                raise Refused(broken)
            if image.width * image.height > MAX_PIXELS:
                raise Refused(gettext("图片尺寸过大(超过 %(mp)s 百万像素)") % {"mp": MAX_PIXELS // 1_000_000})
            image.load()
            upright = ImageOps.exif_transpose(image)  # the orientation is kept in the pixels, not in EXIF
            keep = ("L", "RGB") if fmt == "JPEG" else ("1", "L", "LA", "RGB", "RGBA", "I", "I;16")
            if upright.mode in keep:
                mode = upright.mode
            else:  # palette, CMYK, …: plain colours (a palette PNG with transparency keeps it as alpha)
                mode = "RGBA" if fmt == "PNG" and upright.has_transparency_data else "RGB"
            pixels = upright.convert(mode)
            clean = Image.frombytes(mode, pixels.size, pixels.tobytes())  # a new image: no info, no profile
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise Refused(broken) from None
    out = io.BytesIO()
    clean.save(out, fmt, **({"quality": 92} if fmt == "JPEG" else {"optimize": False}))
    return out.getvalue()


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    broken = gettext("PDF 文件已损坏、加密或无法解析，已拒收")
    scripted = gettext("PDF 文件含有脚本或自动执行的动作(JavaScript/OpenAction)，已拒收")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Refused(broken)
        stack, seen, visited = [reader.trailer], set(), 0
        while stack:
            node = stack.pop()
            if isinstance(node, IndirectObject):
                if node.idnum in seen:
                    continue
                seen.add(node.idnum)
                node = node.get_object()
            visited += 1
            if visited > MAX_PDF_OBJECTS:
                raise Refused(broken)
            if isinstance(node, DictionaryObject):
                for key, value in node.items():
                    if key in _PDF_ACTIONS:
                        raise Refused(scripted)
                    if key == "/OpenAction" and isinstance(_resolved(value), DictionaryObject):
                        raise Refused(scripted)  # an action; a destination (an array) only opens a page
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
            elif isinstance(node, NameObject) and node in _PDF_ACTIONS:
                raise Refused(scripted)
    except Refused:
        raise
    except Exception:  # noqa: BLE001 — any failure of the parser on hostile input is a refusal
        raise Refused(broken) from None


def _resolved(value):
    from pypdf.generic import IndirectObject

    return value.get_object() if isinstance(value, IndirectObject) else value


def _check_ooxml(data: bytes, main_part: str) -> None:
    invalid = gettext("不是有效的 Word/Excel 文档(docx/xlsx)，已拒收")
    executable = gettext("Office 文档中含有可执行程序或宏，已拒收")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            names = {entry.filename for entry in entries}
            if (len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES
                    or "[Content_Types].xml" not in names or main_part not in names):
                raise Refused(invalid)
            for entry in entries:
                name = entry.filename.lower()
                if (name.endswith(_EXECUTABLE_NAMES) or "vbaproject" in name or "/activex/" in name
                        or ("/embeddings/" in name and name.endswith(".bin"))):
                    raise Refused(executable)
                if entry.flag_bits & 0x1:  # encrypted entry: cannot be inspected
                    raise Refused(invalid)
                with package.open(entry) as member:
                    if member.read(4).startswith(_EXECUTABLE_HEADS):
                        raise Refused(executable)
            types = package.read("[Content_Types].xml")
            if b"macroEnabled" in types or b"vbaProject" in types:
                raise Refused(executable)
    except Refused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise Refused(invalid) from None


# Speech bytes after each frame's header byte, by frame type (RFC 4867 §5.3; 9–14 do not exist).
_AMR_FRAMES = {b"#!AMR\n": (12, 13, 15, 17, 19, 20, 26, 31, 5, None, None, None, None, None, None, 0),
               b"#!AMR-WB\n": (17, 23, 32, 36, 40, 46, 50, 58, 60, 5, None, None, None, None, 0, 0)}


def _check_amr(data: bytes) -> None:
    magic_line = next((m for m in _AMR_FRAMES if data.startswith(m)), None)
    at = len(magic_line or b"")
    while magic_line is not None and at < len(data):
        size = _AMR_FRAMES[magic_line][(data[at] >> 3) & 0x0F]
        if size is None or data[at] & 0x83 or at + 1 + size > len(data):  # padding bits must be 0
            break
        at += 1 + size
    if magic_line is None or at != len(data) or at == len(magic_line):
        raise Refused(gettext("录音文件已损坏或无法识别"))


# MPEG audio frame sizes (ISO 11172-3 / 13818-3): kbit/s by (MPEG-1?, layer) and bitrate index 1–14.
_MP3_KBPS = {
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_MP3_TRAILERS = (b"TAG", b"APETAGEX", b"LYRICS")


def _mp3_frame_length(header: bytes) -> int | None:
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, 4 - ((header[1] >> 1) & 3)
    bitrate, rate = header[2] >> 4, (header[2] >> 2) & 3
    if version == 1 or layer == 4 or bitrate in (0, 15) or rate == 3:  # reserved, free-format or bad
        return None
    kbps, hz, padding = _MP3_KBPS[(version == 3, layer)][bitrate - 1], _MP3_RATES[version][rate], (header[2] >> 1) & 1
    if layer == 1:
        return (12 * kbps * 1000 // hz + padding) * 4
    return (144 if layer == 2 or version == 3 else 72) * kbps * 1000 // hz + padding


def _check_mp3(data: bytes) -> None:
    """Frame after frame from the start (after an ID3v2 tag) to the end, where an ID3v1/APE/Lyrics
    tag or a last frame cut short by the recorder may stand; nothing else may follow the audio."""
    at = 0
    if data.startswith(b"ID3") and len(data) >= 10:
        size = (data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | (data[9] & 0x7F)
        at = 10 + size + (10 if data[5] & 0x10 else 0)
    frames, length = 0, 0
    while at < len(data):
        length = _mp3_frame_length(data[at:at + 4])
        if length is None or at + length > len(data):
            break
        at, frames = at + length, frames + 1
    rest = data[at:]
    if frames < 2 or not (rest.startswith(_MP3_TRAILERS) or len(rest) < (length or 4)):
        raise Refused(gettext("录音文件已损坏或无法识别"))


def _check_wav(data: bytes) -> None:
    try:
        with wave.open(io.BytesIO(data)) as recording:
            recording.getnframes()
    except (wave.Error, EOFError, ValueError):
        raise Refused(gettext("录音文件已损坏或无法识别")) from None
