"""Dovecot 2.3's password schemes: generate, decode and verify ``{SCHEME}hash`` values.

The rules follow Dovecot's auth/password-scheme*.c: scheme names are matched
case-insensitively, ``.b64``/``.base64``/``.hex`` suffixes pick the encoding,
fixed-length digests guess hex or base64 from the length, and every failure
carries the real error text (``Input isn't valid base64 encoded data``,
``Password mismatch``…). Used by ``doveadm pw`` and by passdb lookups.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from mailsim.dovecot import schemes_crypt as cr
from mailsim.dovecot import schemes_otp as otp
from mailsim.dovecot.schemes_md import cram_md5_context, md4

LISTED = (
    "SHA1 SSHA512 SCRAM-SHA-256 BLF-CRYPT PLAIN HMAC-MD5 OTP SHA512 SHA DES-CRYPT CRYPT "
    "SSHA MD5-CRYPT PLAIN-MD4 PLAIN-MD5 SCRAM-SHA-1 SHA512-CRYPT CLEAR CLEARTEXT ARGON2I "
    "ARGON2ID SSHA256 MD5 PBKDF2 SHA256 CRAM-MD5 PLAIN-TRUNC SHA256-CRYPT SMD5 DIGEST-MD5 "
    "LDAP-MD5"
).split()
"""``doveadm pw -l`` order: Dovecot's hash-table order on Debian 12's build."""

MISMATCH = "Password mismatch"
NONE, BASE64, HEX = "none", "base64", "hex"


class SchemeError(Exception):
    """A failure Dovecot reports with this text (generation or verification)."""


class SchemeFatal(SchemeError):
    """A failure Dovecot does not return but ends the process with (i_fatal)."""


@dataclass(frozen=True)
class Params:
    """``struct password_generate_params``: the user (DIGEST-MD5) and the rounds (-r)."""

    user: str | None = None
    rounds: int = 0


Generate = Callable[[bytes, Params], bytes]
Verify = Callable[[bytes, Params, bytes], int]
"""Returns 1 (match), 0 (mismatch) or raises SchemeError with the reason."""


@dataclass(frozen=True)
class Scheme:
    name: str
    encoding: str
    raw_len: int
    generate: Generate
    verify: Verify | None = None


def _digest(name: str) -> Generate:
    return lambda plain, _params: hashlib.new(name, plain).digest()


def _salted(name: str, label: str) -> tuple[Generate, Verify]:
    size = hashlib.new(name).digest_size

    def generate(plain: bytes, _params: Params) -> bytes:
        salt = secrets.token_bytes(4)
        return hashlib.new(name, plain + salt).digest() + salt

    def verify(plain: bytes, _params: Params, raw: bytes) -> int:
        if len(raw) <= size:
            raise SchemeError(f"{label} password is too short")
        digest = hashlib.new(name, plain + raw[size:]).digest()
        return int(hmac.compare_digest(digest, raw[:size]))

    return generate, verify


def _plain_verify(plain: bytes, _params: Params, raw: bytes) -> int:
    return int(hmac.compare_digest(plain, raw))


def _plain_trunc_verify(plain: bytes, _params: Params, raw: bytes) -> int:
    i, length = 0, 0
    while i < len(raw) and 48 <= raw[i] <= 57:
        length = length * 10 + raw[i] - 48
        i += 1
    if i == len(raw) or raw[i : i + 1] != b"-":
        raise SchemeError("PLAIN-TRUNC missing length: prefix")
    stored = raw[i + 1 :]
    if len(stored) == length and len(plain) >= length:
        return int(hmac.compare_digest(stored, plain[:length]))
    return int(hmac.compare_digest(stored, plain))


def _crypt_verify(plain: bytes, params: Params, raw: bytes) -> int:
    if len(raw) > 4 and raw[:2] == b"$2" and raw[3:4] == b"$":
        return _blowfish_verify(plain, params, raw)
    if not raw:
        return 0
    try:
        crypted = cr.crypt(plain, raw)
    except cr.CryptUnavailable as exc:
        raise SchemeError("crypt() failed: Function not implemented") from exc
    return int(hmac.compare_digest(crypted, raw))


def _blowfish_verify(plain: bytes, _params: Params, raw: bytes) -> int:
    if not raw:
        return 0
    try:
        return int(cr.blowfish_verify(plain, raw))
    except cr.NotBlowfish as exc:
        raise SchemeError("Password is not blowfish password") from exc


def _md5_crypt_generate(plain: bytes, _params: Params) -> bytes:
    return cr.md5_crypt(plain)


def _md5_crypt_verify(plain: bytes, _params: Params, raw: bytes) -> int:
    return int(hmac.compare_digest(cr.crypt(plain, raw), raw))


def _md5_verify(plain: bytes, params: Params, raw: bytes) -> int:
    if raw.startswith(b"$1$"):
        return _md5_crypt_verify(plain, params, raw)
    try:
        decoded = decode(raw.decode("latin-1"), "PLAIN-MD5")
    except SchemeError as exc:
        raise SchemeError("Not a valid MD5-CRYPT or PLAIN-MD5 password") from exc
    return verify(plain, params, "PLAIN-MD5", decoded)


def _digest_md5(plain: bytes, params: Params) -> bytes:
    if params.user is None:
        raise SchemeFatal("digest_md5_generate(): username not given")
    user, at, realm = params.user.rpartition("@")
    if not at:
        user, realm = params.user, ""
    return hashlib.md5(f"{user}:{realm}:".encode() + plain).digest()


def _otp_verify(plain: bytes, _params: Params, raw: bytes) -> int:
    try:
        return int(otp.verify(plain, raw))
    except otp.OtpEntryError as exc:
        raise SchemeError("Invalid OTP data in passdb") from exc


PBKDF2_ROUNDS_DEFAULT = 5000


def _pbkdf2_generate(plain: bytes, params: Params) -> bytes:
    rounds = params.rounds or PBKDF2_ROUNDS_DEFAULT
    salt = cr.salt(16)
    key = hashlib.pbkdf2_hmac("sha1", plain, salt.encode(), rounds, 20)
    return f"$1${salt}${rounds}${key.hex()}".encode()


def _pbkdf2_verify(plain: bytes, _params: Params, raw: bytes) -> int:
    if len(raw) < 3 or raw[:3] != b"$1$":
        raise SchemeError("Invalid PBKDF2 passdb entry prefix")
    fields = raw[3:].split(b"$")
    if len(fields) != 3 or not fields[1].isdigit() or int(fields[1]) > 0xFFFFFFFF:
        raise SchemeError("Invalid PBKDF2 passdb entry format")
    try:
        stored = bytes.fromhex(fields[2].decode("ascii"))
    except ValueError:
        stored = b""
    if len(fields[2]) != 40 or len(stored) != 20:
        raise SchemeError("PBKDF2 hash not 160bit hex-encoded")
    rounds = int(fields[1])
    if rounds == 0:
        return 0  # PKCS#5 with zero iterations leaves the key zeroed
    key = hashlib.pbkdf2_hmac("sha1", plain, fields[0], rounds, 20)
    return int(hmac.compare_digest(key, stored))


SCRAM_ITERATIONS = 4096


def _scram(name: str, label: str) -> tuple[Generate, Verify]:
    size = hashlib.new(name).digest_size

    def keys(plain: bytes, salt: bytes, rounds: int) -> tuple[bytes, bytes]:
        salted = hashlib.pbkdf2_hmac(name, plain, salt, rounds)
        client = hmac.new(salted, b"Client Key", name).digest()
        server = hmac.new(salted, b"Server Key", name).digest()
        return hashlib.new(name, client).digest(), server

    def generate(plain: bytes, _params: Params) -> bytes:
        salt = secrets.token_bytes(16)
        stored, server = keys(plain, salt, SCRAM_ITERATIONS)
        parts = [str(SCRAM_ITERATIONS).encode()] + [
            base64.b64encode(x) for x in (salt, stored, server)
        ]
        return b",".join(parts)

    def verify(plain: bytes, _params: Params, raw: bytes) -> int:
        fields = raw.split(b",")
        if len(fields) != 4:
            raise SchemeError(f"Invalid {label} passdb entry format")
        if not fields[0].isdigit() or not SCRAM_ITERATIONS <= int(fields[0]) <= 0x7FFFFFFF:
            raise SchemeError(f"Invalid {label} iteration count in passdb")
        for index, what in ((2, "StoredKey"), (3, "ServerKey")):
            value = _b64decode(fields[index])
            if value is None or len(value) != size:
                raise SchemeError(f"Invalid {label} {what} in passdb")
        salt = _b64decode(fields[1], lenient=True) or b""
        stored, _server = keys(plain, salt, int(fields[0]))
        return int(hmac.compare_digest(stored, _b64decode(fields[2]) or b""))

    return generate, verify


def _argon2(variant: str) -> Generate:
    def generate(plain: bytes, params: Params) -> bytes:
        try:
            return cr.argon2(plain, params.rounds, variant)
        except cr.Argon2Failed as exc:
            raise SchemeError(str(exc)) from exc

    return generate


def _argon2_verify(plain: bytes, _params: Params, raw: bytes) -> int:
    return int(cr.argon2_verify(plain, raw))


def _build() -> dict[str, Scheme]:
    ssha = _salted("sha1", "SSHA")
    ssha256 = _salted("sha256", "SSHA256")
    ssha512 = _salted("sha512", "SSHA512")
    smd5 = _salted("md5", "SMD5")
    scram1 = _scram("sha1", "SCRAM-SHA-1")
    scram256 = _scram("sha256", "SCRAM-SHA-256")
    plain: Generate = lambda p, _params: p  # noqa: E731
    cram: Generate = lambda p, _params: cram_md5_context(p)  # noqa: E731
    md5: Generate = lambda p, _params: hashlib.md5(p).digest()  # noqa: E731

    def blf(p: bytes, params: Params) -> bytes:
        return cr.blowfish(p, params.rounds)

    items = [
        Scheme("MD5", NONE, 0, _md5_crypt_generate, _md5_verify),
        Scheme("MD5-CRYPT", NONE, 0, _md5_crypt_generate, _md5_crypt_verify),
        Scheme("SHA", BASE64, 20, _digest("sha1")),
        Scheme("SHA1", BASE64, 20, _digest("sha1")),
        Scheme("SHA256", BASE64, 32, _digest("sha256")),
        Scheme("SHA512", BASE64, 64, _digest("sha512")),
        Scheme("SMD5", BASE64, 0, *smd5),
        Scheme("SSHA", BASE64, 0, *ssha),
        Scheme("SSHA256", BASE64, 0, *ssha256),
        Scheme("SSHA512", BASE64, 0, *ssha512),
        Scheme("PLAIN", NONE, 0, plain, _plain_verify),
        Scheme("CLEAR", NONE, 0, plain, _plain_verify),
        Scheme("CLEARTEXT", NONE, 0, plain, _plain_verify),
        Scheme("PLAIN-TRUNC", NONE, 0, plain, _plain_trunc_verify),
        Scheme("CRAM-MD5", HEX, 32, cram),
        Scheme("SCRAM-SHA-1", NONE, 0, *scram1),
        Scheme("SCRAM-SHA-256", NONE, 0, *scram256),
        Scheme("HMAC-MD5", HEX, 32, cram),
        Scheme("DIGEST-MD5", HEX, 16, _digest_md5),
        Scheme("PLAIN-MD4", HEX, 16, lambda p, _params: md4(p)),
        Scheme("PLAIN-MD5", HEX, 16, md5),
        Scheme("LDAP-MD5", BASE64, 16, md5),
        Scheme("OTP", NONE, 0, lambda p, _params: otp.generate(p), _otp_verify),
        Scheme("PBKDF2", NONE, 0, _pbkdf2_generate, _pbkdf2_verify),
        Scheme("DES-CRYPT", NONE, 0, lambda p, _params: cr.des_crypt(p), _crypt_verify),
        Scheme(
            "SHA256-CRYPT", NONE, 0, lambda p, prm: cr.sha_crypt(p, prm.rounds, "5"), _crypt_verify
        ),
        Scheme(
            "SHA512-CRYPT", NONE, 0, lambda p, prm: cr.sha_crypt(p, prm.rounds, "6"), _crypt_verify
        ),
        Scheme("BLF-CRYPT", NONE, 0, blf, _blowfish_verify),
        Scheme("CRYPT", NONE, 0, blf, _crypt_verify),
        Scheme("ARGON2I", NONE, 0, _argon2("i"), _argon2_verify),
        Scheme("ARGON2ID", NONE, 0, _argon2("id"), _argon2_verify),
    ]
    return {s.name: s for s in items}


SCHEMES = _build()


def lookup(name: str) -> tuple[Scheme, str] | None:
    """The scheme and encoding for ``SHA256``, ``sha256.hex``, ``PLAIN.b64``… or None."""
    base, dot, suffix = name.partition(".")
    scheme = SCHEMES.get(base.upper())
    if scheme is None:
        return None
    if not dot:
        return scheme, scheme.encoding
    if suffix.lower() in ("b64", "base64"):
        return scheme, BASE64
    if suffix.lower() == "hex":
        return scheme, HEX
    return None


def _b64decode(text: bytes, lenient: bool = False) -> bytes | None:
    """Dovecot's base64_decode(): white space skipped, padding required."""
    cleaned = bytes(ch for ch in text if ch not in b" \t\r\n")
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        if lenient:
            try:
                return base64.b64decode(cleaned + b"=" * (-len(cleaned) % 4))
            except (binascii.Error, ValueError):
                return b""
        return None


def _hexdecode(text: bytes) -> bytes | None:
    if len(text) % 2:
        return None
    try:
        return bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def generate_encoded(plaintext: bytes, params: Params, scheme_name: str) -> str:
    """``password_generate_encoded()``: the hash text after ``{SCHEME}``.

    Raises KeyError for an unknown scheme and SchemeError for a failed generation.
    """
    found = lookup(scheme_name)
    if found is None:
        raise KeyError(scheme_name)
    scheme, encoding = found
    try:
        raw = scheme.generate(plaintext, params)
    except cr.CryptUnavailable as exc:
        raise SchemeFatal("crypt() failed: Function not implemented") from exc
    if encoding == BASE64:
        return base64.b64encode(raw).decode("ascii")
    if encoding == HEX:
        return raw.hex()
    return raw.decode("utf-8", "surrogateescape")


def decode(text: str, scheme_name: str) -> bytes:
    """``password_decode()``: the raw stored password, or SchemeError with the real reason."""
    found = lookup(scheme_name)
    if found is None:
        raise SchemeError("Unknown scheme")
    scheme, encoding = found
    data = text.encode("utf-8", "surrogateescape")
    guessed = False
    if encoding != NONE and scheme.raw_len and "." not in scheme_name:
        encoding = HEX if len(data) == scheme.raw_len * 2 else BASE64
        guessed = True
    raw: bytes | None
    if encoding == NONE:
        raw = data
    else:
        raw = _hexdecode(data) if encoding == HEX else None
        if raw is None and encoding == HEX and not guessed:
            raise SchemeError("Input isn't valid HEX encoded data")
        if raw is None:
            raw = _b64decode(data)
            if raw is None:
                raise SchemeError("Input isn't valid base64 encoded data")
    if scheme.raw_len and len(raw) != scheme.raw_len:
        raise SchemeError(f"Input length isn't valid ({len(raw)} instead of {scheme.raw_len})")
    return raw


def verify(plaintext: bytes, params: Params, scheme_name: str, raw: bytes) -> int:
    """``password_verify()``: 1 on a match; SchemeError("Password mismatch") or the error."""
    found = lookup(scheme_name)
    if found is None:
        raise SchemeError("Unknown password scheme")
    scheme = found[0]
    try:
        if scheme.verify is not None:
            result = scheme.verify(plaintext, params, raw)
        else:
            generated = scheme.generate(plaintext, params)
            result = int(len(generated) == len(raw) and hmac.compare_digest(generated, raw))
    except cr.CryptUnavailable as exc:
        raise SchemeError("crypt() failed: Function not implemented") from exc
    if result <= 0:
        raise SchemeError(MISMATCH)
    return result


def split_scheme(password: str) -> tuple[str | None, str]:
    """``password_get_scheme()``: (scheme, rest); bare ``$1$`` hashes are MD5-CRYPT."""
    if password.startswith("$1$"):
        p = password.find("$", 3)
        if p >= 0:
            q = password.find("$", p + 1)
            return "MD5-CRYPT", password if q < 0 else password[:q]
    if not password.startswith("{"):
        return None, password
    end = password.find("}")
    if end < 0:
        return None, password
    return password[1:end], password[end + 1 :]


def check(plaintext: bytes, stored: str, params: Params, default_scheme: str) -> None:
    """Verify ``stored`` (``{SCHEME}…`` or bare, read as ``default_scheme``) as a passdb does.

    Returns on a match; raises SchemeError with Dovecot's reason otherwise.
    """
    scheme, rest = split_scheme(stored)
    if scheme is None:
        scheme = default_scheme
    raw = decode(rest, scheme)
    verify(plaintext, params, scheme, raw)
