"""Pygments lexers for the files a mail administrator edits.

Registered through the ``pygments.lexers`` entry point, so ``pygmentize -l postfix
main.cf`` works too. The editor picks one by path with ``lexer_for_path`` (no
plugin scan: that would import every installed lexer package).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pygments.lexer import Lexer


def lexer_for_path(path: str) -> Lexer | None:
    """The lexer for a machine path, or None for plain text."""
    name = path.rsplit("/", 1)[-1]
    if name == "main.cf" or (
        path.startswith("/etc/postfix/") and name.endswith(".cf") and name != "master.cf"
    ):
        from mailsim.lexers.postfix import PostfixMainLexer

        return PostfixMainLexer()
    if name == "master.cf":
        from mailsim.lexers.postfix import PostfixMasterLexer

        return PostfixMasterLexer()
    if path.startswith("/etc/dovecot/") and (
        name.endswith((".conf", ".conf.ext")) or name == "dovecot.conf"
    ):
        from mailsim.lexers.dovecot import DovecotLexer

        return DovecotLexer()
    if name == "aliases" or name.startswith("aliases.") and not name.endswith(".db"):
        from mailsim.lexers.aliases import AliasesLexer

        return AliasesLexer()
    if name in (
        "virtual",
        "transport",
        "canonical",
        "access",
        "relocated",
        "generic",
        "sender_canonical",
        "recipient_canonical",
        "sasl_passwd",
    ) or name.endswith((".pcre", ".regexp", ".cidr")):
        from mailsim.lexers.postfix import PostfixTableLexer

        return PostfixTableLexer()
    if name in (".procmailrc", "procmailrc") or name.endswith(".procmailrc"):
        from mailsim.lexers.procmail import ProcmailLexer

        return ProcmailLexer()
    if name.endswith((".sieve", ".siv")) or name in (".dovecot.sieve", "default.sieve"):
        from pygments.lexers import SieveLexer

        return SieveLexer()
    return None
