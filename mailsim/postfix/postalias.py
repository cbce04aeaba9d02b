"""``postalias`` and ``newaliases``: the aliases(5) database.

Lines are tokenised as RFC 822 text, as the real tool does (tok822_scan), so a
quoted name may hold ``:`` or ``@``, and values are stored in their re-quoted,
re-spaced form (``a,b`` becomes ``a, b``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mailsim.shell.registry import command

if TYPE_CHECKING:
    from mailsim.shell.context import Context

USAGE = "usage: postalias [-Nfinoprsvw] [-c config_dir] [-d key] [-q key] [map_type:]file..."
OPCHARS = '|%!()<>@,;:\\".[]'
ATOM, QSTRING, COMMENT, DOMLIT = "atom", "qstring", "comment", "domlit"


def tokenize(text: str) -> list[tuple[str, str]]:
    """tok822_scan: (type, text) tokens; single-character operators have type == text."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        i += 1
        if ch in " \t\r\n":
            continue
        if ch == "(":
            level, buf = 1, "("
            while i < n:
                c = text[i]
                buf += c
                i += 1
                if c == "(":
                    level += 1
                elif c == ")":
                    level -= 1
                    if level == 0:
                        break
                elif c == "\\" and i < n:
                    buf += text[i]
                    i += 1
            tokens.append((COMMENT, buf))
        elif ch in '["':
            close = "]" if ch == "[" else '"'
            buf = ""
            while i < n and text[i] != close:
                c = text[i]
                if c == "\\" and i + 1 < n:
                    i += 1
                    c = text[i]
                buf += " " if c in " \t\r\n" else c
                i += 1
            i += 1
            tokens.append((DOMLIT if ch == "[" else QSTRING, buf))
        elif ch != "\\" and ch in OPCHARS:
            tokens.append((ch, ch))
        else:
            i -= 1
            buf = ""
            while i < n:
                c = text[i]
                if c == "\\":
                    if i + 1 >= n:
                        i += 1
                        break
                    i += 1
                    c = text[i]
                elif c in " \t\r\n" or c in OPCHARS:
                    break
                buf += " " if c in " \t\r\n" else c
                i += 1
            needs_quote = any(c == " " or ord(c) < 32 or c == "\x7f" or c in OPCHARS for c in buf)
            tokens.append((QSTRING if needs_quote else ATOM, buf))
    return tokens


def _space_after(tokens: list[tuple[str, str]], index: int) -> bool:
    if index + 1 >= len(tokens):
        return False
    kind, nxt = tokens[index][0], tokens[index + 1][0]
    if kind == "," or nxt == "<":
        return True
    words = (ATOM, QSTRING, COMMENT, DOMLIT)
    return kind in words and nxt in words


def render(tokens: list[tuple[str, str]], external: bool) -> str:
    """tok822_internalize (``external=False``) or tok822_externalize."""
    out = []
    for index, (kind, text) in enumerate(tokens):
        if kind == QSTRING and external:
            out.append('"' + "".join("\\" + c if c in '"\\\r\n' else c for c in text) + '"')
        elif kind == DOMLIT:
            out.append("[" + text + "]")
        else:
            out.append(text)
        if _space_after(tokens, index):
            out.append(" ")
    return "".join(out)


def parse_aliases(
    text: str, path: str, warn: Callable[[str], None], fold: bool, db_path: str
) -> dict[str, str]:
    """An aliases(5) file: ``name: value`` entries; the first of duplicates wins."""
    from mailsim.postfix.maps import logical_lines

    entries: dict[str, str] = {}
    for lineno, line in logical_lines(text, path, warn):
        tokens = tokenize(line)
        if not tokens:
            continue
        colon = next((i for i, tok in enumerate(tokens) if tok[0] == ":"), None)
        if (
            colon is None
            or colon == 0
            or colon == len(tokens) - 1
            or any(tok[0] == "," for tok in tokens[:colon])
        ):
            warn(f"{path}, line {lineno}: need name:value pair")
            continue
        if any(tok[0] in "@%" for tok in tokens[:colon]):
            warn(f"{path}, line {lineno}: name must be local")
            continue
        key = render(tokens[:colon], external=False)
        value = render(tokens[colon + 1 :], external=True)
        if fold:
            key = key.lower()
        if key in entries:
            warn(f'{db_path}: duplicate entry: "{key}"')
            continue
        entries[key] = value
    return entries


def _signatures(ctx: Context, config_dir: str) -> Callable[[dict[str, str]], None]:
    """The ``@:@`` (sendmail) and NIS entries postalias adds to every database."""
    from mailsim.postfix import service

    def add(entries: dict[str, str]) -> None:
        entries.setdefault("@", "@")
        try:
            settings = service.load_settings(ctx.machine, config_dir)
            host = settings.host_value(ctx.machine, "myhostname") or ctx.machine.hostname
        except service.PostfixFatal:
            host = ctx.machine.hostname
        entries["YP_LAST_MODIFIED"] = f"{int(ctx.machine.clock.now()):010d}"
        entries["YP_MASTER_NAME"] = host

    return add


def _config_dir(ctx: Context) -> str:
    from mailsim.postfix import service

    args = ctx.args
    for i, arg in enumerate(args):
        if arg == "-c" and i + 1 < len(args):
            return ctx.abspath(args[i + 1])
    return service.DEFAULT_CONFIG_DIR


@command(
    "postalias",
    synopsis=USAGE.removeprefix("usage: "),
    summary="Postfix alias database maintenance",
)
def main(ctx: Context) -> int:
    from mailsim.postfix.postmap import Tool, run_tool

    tool = Tool(ctx, "postalias")
    return run_tool(
        ctx,
        tool,
        "Nc:d:finopq:rsvw",
        USAGE,
        parse_aliases,
        ":\t",
        _signatures(ctx, _config_dir(ctx)),
    )


def rebuild_aliases(ctx: Context, config_dir: str) -> int:
    """newaliases / ``sendmail -bi``: postalias over every table ``alias_database`` names."""
    from mailsim.postfix import service
    from mailsim.postfix.postmap import Fatal, Tool

    try:
        settings = service.load_settings(ctx.machine, config_dir)
    except service.PostfixFatal as exc:
        ctx.err(f"sendmail: fatal: {exc}\n")
        return 1
    if settings.fatal:
        ctx.err(f"sendmail: fatal: {settings.fatal}\n")
        return 1
    tool = Tool(ctx, "postalias")
    specs = settings.get("alias_database").replace(",", " ").split()
    try:
        for spec in specs:
            tool.build(spec, parse_aliases, _signatures(ctx, config_dir))
    except Fatal:
        return 1
    return 0


@command("newaliases", synopsis="newaliases", summary="rebuild the alias database")
def newaliases(ctx: Context) -> int:
    from mailsim.postfix import service

    config_dir = service.DEFAULT_CONFIG_DIR
    args = ctx.args
    for i, arg in enumerate(args):
        if arg.startswith("-C"):
            value = arg[2:] or (args[i + 1] if i + 1 < len(args) else "")
            config_dir = ctx.abspath(value)
    return rebuild_aliases(ctx, config_dir)
