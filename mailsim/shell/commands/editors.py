"""vi, vim, nano and edit: open the TUI's editor on a file of the machine.

All four open the same modeless editor (Ctrl+S saves, Esc opens a command bar
where :w, :q, :wq work). `edit` is mailsim's own name for it.
"""

from __future__ import annotations

from mailsim.shell.context import Context
from mailsim.shell.registry import command
from mailsim.shell.terminal import TerminalUnavailable


@command(
    "editor",
    synopsis="vi FILE | nano FILE | edit FILE",
    summary="Open FILE in mailsim's editor (Ctrl+S saves; Esc then :wq also works).",
    mailsim_only=True,
)
def editor(ctx: Context) -> int:
    operands = [a for a in ctx.args if not a.startswith(("-", "+"))]
    if len(operands) != 1:
        ctx.err(f"{ctx.name}: mailsim's editor opens one file: {ctx.name} FILE\n")
        return 1
    path = ctx.abspath(operands[0])
    if ctx.machine.is_dir(path):
        ctx.err(f"{ctx.name}: {operands[0]}: Is a directory\n")
        return 1
    try:
        ctx.terminal.edit(path)
    except TerminalUnavailable:
        ctx.err(
            f"{ctx.name}: the editor needs mailsim's terminal; here, write the file "
            f"with `cat > {operands[0]} <<'EOF'` or `postconf -e`\n"
        )
        return 1
    return 0
