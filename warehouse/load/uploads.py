"""Uploaded export files, checked on the server by size and by content (never the extension alone)."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

from warehouse.load.readers import SUPPORTED_SUFFIXES

MAX_UPLOAD_BYTES = 100 << 20
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


class UploadRefused(Exception):
    """Chinese message naming the file and why it is refused."""


def safe_name(name: str) -> str:
    """The file's own name, without folders or characters a path cannot hold."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", base).strip(" .")
    return base or "未命名文件"


def check(name: str, data: bytes) -> str:
    """Refuse what is no export; return the safe file name to store it under."""
    stored = safe_name(name)
    suffix = Path(stored).suffix.lower()
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(f"{stored}：文件超过 {MAX_UPLOAD_BYTES >> 20} MB 上限")
    if not data:
        raise UploadRefused(f"{stored}：文件为空")
    if suffix in _ZIPPED:
        _check_zipped(stored, data, suffix)
    elif suffix == ".xls":
        if not data.startswith(_OLE_MAGIC):
            raise UploadRefused(f"{stored}：文件内容不是Excel 97-2003工作簿（.xls）")
    elif suffix == ".csv":
        _check_csv(stored, data)
    else:
        raise UploadRefused(f"{stored}：不支持的文件类型（只接受 {'、'.join(SUPPORTED_SUFFIXES)}）")
    return stored


# The zipped formats: what the file is, and the parts every such package has.
_ZIPPED = {
    ".xlsx": ("Excel工作簿", ("[Content_Types].xml", "xl/")),
    ".xlsb": ("Excel二进制工作簿", ("[Content_Types].xml", "xl/")),
    ".ods": ("ODS表格文件", ("mimetype", "content.xml")),
}


def _check_zipped(name: str, data: bytes, suffix: str) -> None:
    what, parts = _ZIPPED[suffix]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            inflated = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        raise UploadRefused(f"{name}：文件内容不是{what}（{suffix}）") from None
    if not all(any(n.startswith(part) for n in names) for part in parts):
        raise UploadRefused(f"{name}：压缩包中没有{what}内容")
    if inflated > 20 * MAX_UPLOAD_BYTES:
        raise UploadRefused(f"{name}：解压后体积异常（{inflated >> 20} MB），疑似压缩炸弹，已拒绝")


def _check_csv(name: str, data: bytes) -> None:
    if b"\x00" in data[:65536]:
        raise UploadRefused(f"{name}：文件内容不是文本（CSV）")
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.decode(data, encoding)
            return
        except UnicodeDecodeError:
            continue
    raise UploadRefused(f"{name}：文件编码无法识别（支持UTF-8、GBK、GB18030）")
