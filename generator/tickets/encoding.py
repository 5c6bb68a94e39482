"""What a text export is written in (encoding, delimiter), and spreadsheets turned into text DuckDB reads.

Exports come as UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode text") or
Windows-1252 (older Excel "CSV" on Windows), separated by commas, semicolons (European Excel) or
tabs. The encoding is told from the byte-order mark, else by checking the whole file is valid UTF-8
(in chunks, at C speed), or first by DuckDB itself, which refuses bytes that are not UTF-8 in the
columns it reads (`not_utf8` recognises that refusal); files DuckDB cannot read as they are are
transcoded to a temporary UTF-8
copy, line for line, so line numbers stay those of the original. XLSX is read with openpyxl in
streaming mode (DuckDB's excel extension would need a download) into such a copy, with each row's
sheet row number. A text export may be gzip-compressed (`tickets.csv.gz`): DuckDB reads it as it is,
and the encoding and delimiter are told from its decompressed bytes.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
from pathlib import Path
from typing import BinaryIO

CHUNK = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
LINE_COLUMN = "__storypack_line"
"""The column a converted spreadsheet carries with each row's number in the sheet."""


def compressed(path: Path) -> bool:
    """Return True for a gzip-compressed export (`.csv.gz`, `.tsv.gz`, `.jsonl.gz`): DuckDB reads it as it is."""
    return path.suffix.lower() == ".gz"


def inner_suffix(path: Path) -> str:
    """Return the suffix of the export's format, lower case: '.csv' for both tickets.csv and tickets.csv.gz."""
    return Path(path.name[:-3]).suffix.lower() if compressed(path) else path.suffix.lower()


def open_bytes(path: Path) -> BinaryIO:
    """Return the file's bytes for reading, decompressed when it is gzip-compressed."""
    if compressed(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def detect_encoding(path: Path, whole: bool = True) -> str:
    """Return 'utf-8', 'utf-16' or 'cp1252': what the text file at `path` is written in (decompressed).

    With `whole` False only the start is looked at: a file that does not start as UTF-16 is taken for UTF-8,
    and DuckDB's reading it is the check (`not_utf8`)."""
    with open_bytes(path) as handle:
        start = handle.read(4)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if len(start) >= 2 and (start[0] == 0) != (start[1] == 0):
            return "utf-16"  # UTF-16 without a byte-order mark: every other byte of ASCII text is 0
        if not whole:
            return "utf-8"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def not_utf8(error: BaseException) -> bool:
    """Return True for DuckDB's refusal of a text file read as UTF-8 that holds other bytes."""
    return "invalid unicode" in str(error).lower()


def transcode(path: Path, encoding: str, target: Path) -> Path:
    """Write `path` (in `encoding`) to `target` as UTF-8, chunk by chunk; return `target`.

    Windows-1252 bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are read as Latin-1.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict" if encoding != "cp1252" else "latin1fallback")
    with open_bytes(path) as source, open(target, "w", encoding="utf-8", newline="") as out:
        while chunk := source.read(CHUNK):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
    return target


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Read an undefined Windows-1252 byte as its Latin-1 character instead of failing."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("latin1fallback", _latin1_fallback)


def sniff_delimiter(path: Path, encoding: str) -> str:
    """Return the delimiter of the header line: the most frequent of , ; tab | outside quotes (',' if none)."""
    with io.TextIOWrapper(open_bytes(path), encoding="utf-8-sig" if encoding == "utf-8" else encoding,
                          errors="replace", newline="") as handle:
        header = handle.readline(1024 * 1024)
    counts = {d: 0 for d in DELIMITERS}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def xlsx_to_csv(path: Path, target: Path) -> Path:
    """Write the first sheet of an XLSX workbook to `target` as UTF-8 CSV, with each row's sheet row number.

    Dates become ISO text (YYYY-MM-DD HH:MM:SS); blank rows are left out; the first non-blank row is the header.
    """
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        with open(target, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            header_seen = False
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = ["" if v is None else _cell_text(v) for v in row]
                if not any(c.strip() for c in cells):
                    continue
                writer.writerow([*cells, LINE_COLUMN if not header_seen else str(number)])
                header_seen = True
    finally:
        workbook.close()
    return target


def _cell_text(value: object) -> str:
    """Return a spreadsheet cell as text: dates as ISO, whole numbers without '.0'."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
