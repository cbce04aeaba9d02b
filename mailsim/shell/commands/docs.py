"""man, less and more. The manual pages are mailsim's own short summaries (files in
``manpages/``, named ``NAME.SECTION``), written for this simulator, not upstream text.

``man`` and ``less`` open the terminal's pager; where there is none (``mailsim exec``)
or the output is piped, they print, as the real ones do when not on a terminal.
"""

from __future__ import annotations

from importlib import resources

from mailsim.shell.context import Context
from mailsim.shell.registry import command
from mailsim.shell.terminal import TerminalUnavailable

SECTION_ORDER = ["1", "n", "l", "8", "3", "0", "2", "5", "4", "9", "6", "7"]
"""man-db's default search order (SECTION in /etc/manpath.config on Debian)."""
SECTION_TITLES = {
    "1": "General Commands Manual",
    "5": "File Formats Manual",
    "7": "Miscellaneous Information Manual",
    "8": "System Manager's Manual",
}


def _pages() -> dict[tuple[str, str], str]:
    """(name, section) → resource file name."""
    found = {}
    for entry in resources.files("mailsim.shell.commands").joinpath("manpages").iterdir():
        name, _, section = entry.name.rpartition(".")
        if name and section:
            found[(name, section)] = entry.name
    return found


def _read_page(filename: str) -> str:
    return (
        resources.files("mailsim.shell.commands")
        .joinpath("manpages", filename)
        .read_text(encoding="utf-8")
    )


def render_page(name: str, section: str, width: int = 80) -> str:
    """A page with man's header and footer lines around our text."""
    title = f"{name.upper()}({section})"
    middle = SECTION_TITLES.get(section, "")
    gap = max(1, width - 2 * len(title) - len(middle))
    left = gap // 2
    header = f"{title}{' ' * left}{middle}{' ' * (gap - left)}{title}"
    footer_mid = "mailsim"
    gap = max(1, width - len(footer_mid) - len(title))
    footer = f"{footer_mid}{' ' * gap}{title}"
    return f"{header}\n\n{_read_page(f'{name}.{section}').rstrip()}\n\n{footer}\n"


def _summary(filename: str) -> str:
    lines = _read_page(filename).splitlines()
    for index, line in enumerate(lines):
        if line.strip() == "NAME" and index + 1 < len(lines):
            return lines[index + 1].strip().split(" - ", 1)[-1]
    return ""


def _show(ctx: Context, text: str) -> None:
    if ctx.stdout_is_tty:
        try:
            ctx.terminal.page(text)
            return
        except TerminalUnavailable:
            pass
    ctx.out(text)


@command(
    "man", synopsis="man [SECTION] PAGE...", summary="an interface to the system reference manuals"
)
def man(ctx: Context) -> int:
    args = list(ctx.args)
    pages = _pages()
    if args and args[0] in ("-k", "--apropos"):
        words = [w.lower() for w in args[1:]]
        if not words:
            ctx.err("apropos what?\n")
            return 1
        hits = sorted(
            (name, section, _summary(file))
            for (name, section), file in pages.items()
            if any(w in name.lower() or w in _summary(file).lower() for w in words)
        )
        if not hits:
            ctx.err(f"{words[0]}: nothing appropriate.\n")
            return 16
        for name, where, summary in hits:
            ctx.out(f"{f'{name} ({where})':<22}- {summary}\n")
        return 0
    if args and args[0] in ("-f", "--whatis"):
        status = 0
        for word in args[1:]:
            found = [(s, f) for (n, s), f in sorted(pages.items()) if n == word]
            if not found:
                ctx.err(f"{word}: nothing appropriate.\n")
                status = 16
            for where, file in found:
                ctx.out(f"{f'{word} ({where})':<22}- {_summary(file)}\n")
        return status
    if not args:
        ctx.err("What manual page do you want?\nFor example, try 'man man'.\n")
        return 1
    section: str | None = None
    if len(args) > 1 and args[0] in SECTION_ORDER + ["3"]:
        section = args.pop(0)
    status = 0
    texts = []
    for name in args:
        if "(" in name and name.endswith(")"):
            name, _, wanted = name[:-1].partition("(")
            sections = [wanted]
        else:
            sections = [section] if section else SECTION_ORDER
        chosen = next((s for s in sections if (name, s) in pages), None)
        if chosen is None:
            where = f" in section {section}" if section else ""
            ctx.err(f"No manual entry for {name}{where}\n")
            status = 16
            continue
        texts.append(render_page(name, chosen, ctx.terminal.width))
    if texts:
        _show(ctx, "\n".join(texts))
    return status


def st_is_dir(ctx: Context, path: str) -> bool:
    return ctx.machine.is_dir(ctx.abspath(path))


def _page_files(ctx: Context, name: str) -> int:
    """Page files or stdin. A file that cannot be shown fails less only on a terminal
    (piped, less acts as cat and exits 0); more always exits 0, as util-linux's does."""
    if not ctx.args or ctx.args == ["-"]:
        _show(ctx, ctx.stdin.read().decode("utf-8", errors="replace"))
        return 0
    status = 0
    parts = []
    files = [a for a in ctx.args if not a.startswith("-") or a == "-"]
    for path in files:
        problem = ""
        try:
            st = ctx.machine.stat(ctx.abspath(path))
            if st.is_dir:
                problem = f"{path} is a directory" if name == "less" else ""
                if name == "more":
                    ctx.err(f"\n*** {path}: directory ***\n\n")
            else:
                from mailsim.machine.access import may

                if not may(ctx.machine, ctx.abspath(path), ctx.user, "r"):
                    raise PermissionError(13, "Permission denied", path)
                text = ctx.machine.read_text(ctx.abspath(path))
                problem = ""
        except OSError as exc:
            problem = (
                f"{path}: {exc.strerror}"
                if name == "less"
                else f"more: cannot open {path}: {exc.strerror}"
            )
            if name == "more":
                ctx.err(problem + "\n")
        if problem or st_is_dir(ctx, path):
            if problem and name == "less":
                # On a terminal less complains on stderr and fails; piped it acts as cat,
                # writing the complaint into its output and exiting 0.
                if ctx.stdout_is_tty:
                    ctx.err(problem + "\n")
                    status = 1
                else:
                    parts.append(problem + "\n")
            continue
        if name == "more" and len(files) > 1:
            text = f"::::::::::::::\n{path}\n::::::::::::::\n" + text
        parts.append(text)
    if parts:
        _show(ctx, "".join(parts))
    return status


@command("less", synopsis="less [options] [file...]", summary="opposite of more")
def less(ctx: Context) -> int:
    return _page_files(ctx, "less")


@command("more", synopsis="more [options] [file...]", summary="display the contents of a file")
def more(ctx: Context) -> int:
    return _page_files(ctx, "more")
