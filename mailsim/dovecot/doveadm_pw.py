"""``doveadm pw``: make a password hash, list the schemes, check a hash.

Follows doveadm-pw.c of Dovecot 2.3.19 step by step: ``-r`` that does not parse
as a number is ignored and a negative one wraps to an unsigned int, the default
scheme is CRYPT (bcrypt ``$2y$05$``), a hash is always generated first (so
``-t`` with ``-s DIGEST-MD5`` still needs ``-u``), and three mismatched prompts
end the command with status 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.dovecot import schemes
from mailsim.dovecot.doveadm import EX_TEMPFAIL, DoveadmExit

if TYPE_CHECKING:
    from mailsim.dovecot.doveadm import Invocation
    from mailsim.shell.context import Context

DEFAULT_SCHEME = "CRYPT"
UINT_MAX = 0xFFFFFFFF
LONG = ["list", "plaintext=", "rounds=", "scheme=", "test-hash=", "user=", "reverse-verify"]


class PasswordReader:
    """askpass(): the terminal with echo off when stdin is the terminal, else stdin.

    From stdin, as the real one reads it byte by byte, a password ends at a
    newline or a carriage return, and end of input gives an empty password.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._pending = b""
        self._eof = False

    def read(self, prompt: str) -> bytes:
        ctx = self.ctx
        if ctx.stdin.interactive:
            line = ctx.terminal.read_secret(prompt)
            ctx.err("\n")
            return (line or "").encode("utf-8", "surrogateescape")
        while True:
            cut = [i for i in (self._pending.find(b"\n"), self._pending.find(b"\r")) if i >= 0]
            if cut:
                end = min(cut)
                word, self._pending = self._pending[:end], self._pending[end + 1 :]
                return word
            chunk = b"" if self._eof else ctx.stdin.readline()
            if not chunk:
                self._eof = True
                word, self._pending = self._pending, b""
                return word
            self._pending += chunk


def _parse_rounds(text: str) -> int | None:
    """str_to_int64(): optional sign and digits only; None when it does not parse."""
    body = text[1:] if text[:1] in "+-" else text
    if not body.isdigit() or not body.isascii():
        return None
    value = int(text)
    if not -(2**63) <= value < 2**63:
        return None
    return value


def run(inv: Invocation) -> int:
    ctx = inv.ctx
    opts, extra = inv.getopt("lp:r:s:t:u:V", LONG)
    if extra:
        raise inv.extraneous(extra)
    list_schemes = reverse = False
    plaintext: bytes | None = None
    scheme_name: str | None = None
    test_hash: str | None = None
    user: str | None = None
    rounds = 0
    for opt, value in opts:
        if opt in ("-l", "--list"):
            list_schemes = True
        elif opt in ("-p", "--plaintext"):
            plaintext = value.encode("utf-8", "surrogateescape")
        elif opt in ("-r", "--rounds"):
            parsed = _parse_rounds(value)
            if parsed is not None:
                if parsed > UINT_MAX:
                    raise inv.fatal(f"Invalid number of rounds: {parsed}")
                rounds = parsed & UINT_MAX
        elif opt in ("-s", "--scheme"):
            scheme_name = value
        elif opt in ("-t", "--test-hash"):
            test_hash, reverse = value, True
        elif opt in ("-u", "--user"):
            user = value
        elif opt in ("-V", "--reverse-verify"):
            reverse = True
    if list_schemes:
        ctx.out(" ".join(schemes.LISTED) + " \n")
        return 0
    scheme_name = DEFAULT_SCHEME if scheme_name is None else scheme_name.upper()

    reader = PasswordReader(ctx)
    if test_hash is not None and plaintext is None:
        plaintext = reader.read("Enter password to verify: ")
    lives = 3
    while plaintext is None:
        ctx.terminal.check_cancelled()
        first = reader.read("Enter new password: ")
        check = reader.read("Retype new password: ")
        if first != check:
            inv.error("Passwords don't match!")
            lives -= 1
            if lives == 0:
                raise DoveadmExit(1)
            continue
        plaintext = first

    params = schemes.Params(user=user, rounds=rounds)
    try:
        hashed = schemes.generate_encoded(plaintext, params, scheme_name)
    except KeyError:
        raise inv.fatal(f"Unknown scheme: {scheme_name}") from None
    except schemes.SchemeError as exc:
        raise inv.fatal(str(exc)) from None
    if not reverse:
        ctx.out(f"{{{scheme_name}}}{hashed}\n")
        return 0
    if test_hash is not None:
        found, rest = schemes.split_scheme(test_hash)
        if found is None:
            raise inv.fatal("Missing {scheme} prefix from hash")
        scheme_name, hashed = found, rest
    try:
        raw = schemes.decode(hashed, scheme_name)
    except schemes.SchemeError as exc:
        raise inv.fatal(f"reverse decode check failed: {exc}") from None
    try:
        schemes.verify(plaintext, params, scheme_name, raw)
    except schemes.SchemeFatal as exc:
        raise inv.fatal(str(exc)) from None
    except schemes.SchemeError as exc:
        raise inv.fatal(f"reverse password verification check failed: {exc}") from None
    ctx.out(f"{{{scheme_name}}}{hashed} (verified)\n")
    return 0


__all__ = ["EX_TEMPFAIL", "PasswordReader", "run"]
