"""What sed writes: its output streams, replacement text, the ``l`` listing, its usage."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def usage() -> str:
    """``sed --help`` of GNU sed 4.9, word for word (kept as a text file beside this one)."""
    return resources.files("mailsim.shell.commands").joinpath("sed_usage.txt").read_text("utf-8")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


class Output:
    """One output stream, remembering a last line written without its newline."""

    def __init__(self, write, sep: str) -> None:  # type: ignore[no-untyped-def]
        self.write = write
        self.sep = sep
        self.missing = False

    def raw(self, text: str) -> None:
        if self.missing:
            self.write(encode(self.sep))
            self.missing = False
        self.write(encode(text))

    def line(self, text: str, newline: bool = True) -> None:
        self.raw(text)
        if newline:
            self.write(encode(self.sep))
        else:
            self.missing = True


def expand_replacement(parts: list[tuple[str, object]], m) -> str:  # type: ignore[no-untyped-def]
    """The replacement for one match, with \\U \\L \\u \\l \\E applied."""
    out: list[str] = []
    mode = ""
    once = ""
    for kind, value in parts:
        if kind == "case":
            if value in ("u", "l"):
                once = str(value)
            else:
                mode = "" if value == "E" else str(value)
                once = ""
            continue
        text = str(value) if kind == "lit" else (m.group(value) or "")
        if mode == "U":
            text = text.upper()
        elif mode == "L":
            text = text.lower()
        if once and text:
            text = (text[0].upper() if once == "u" else text[0].lower()) + text[1:]
            once = ""
        out.append(text)
    return "".join(out)


_L_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v", 92: "\\\\"}


def listing(ps: str, width: int) -> str:
    """The `l` command: C escapes, octal for other bytes, lines wrapped with a backslash."""
    out: list[str] = []
    col = 0
    limit = width - 1
    for byte in encode(ps):
        piece = _L_ESCAPES.get(byte) or (chr(byte) if 32 <= byte < 127 else f"\\{byte:03o}")
        if width > 0 and col + len(piece) > limit:
            out.append("\\\n")
            col = 0
        out.append(piece)
        col += len(piece)
    return "".join(out) + "$\n"
