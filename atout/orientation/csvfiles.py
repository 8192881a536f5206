"""What the importers share to read official CSV files, plain or gzipped: counting lines
for progress, and saying where a file stops being UTF-8."""

import gzip
from pathlib import Path
from typing import IO, cast


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, gunzipped on the fly when it ends in ``.gz``."""
    return cast(IO[bytes], gzip.open(path, "rb")) if path.suffix == ".gz" else path.open("rb")


def open_text(path: Path) -> IO[str]:
    """A CSV file opened for ``csv``, gunzipped on the fly when it ends in ``.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def count_lines(path: Path) -> int:
    """Physical data lines (header excluded): the progress total."""
    lines, last = 0, b"\n"
    with open_binary(path) as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return max(0, lines + (last != b"\n") - 1)


def first_bad_byte(path: Path) -> str:
    """Where the first byte that is not UTF-8 is, for the error message."""
    with open_binary(path) as handle:
        data = handle.read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return f"line {line}, byte 0x{data[error.start]:02x}"
    return "position unknown"
