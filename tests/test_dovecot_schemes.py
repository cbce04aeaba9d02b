"""Dovecot's password schemes round-trip with the real doveadm, in both directions.

- hashes the real doveadm made (recorded in tests/data/doveadm/real_hashes.json,
  and made afresh when doveadm is installed) verify with mailsim;
- hashes mailsim makes verify with the real ``doveadm pw -t`` when installed;
- a wrong password is a mismatch on both sides.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mailsim.dovecot import schemes
from mailsim.dovecot.schemes_md import cram_md5_context, md4
from mailsim.dovecot.schemes_otp import otp_hash

DATA = Path(__file__).parent / "data" / "doveadm"
REAL_HASHES = json.loads((DATA / "real_hashes.json").read_text())
REAL = shutil.which("doveadm")
needs_real = pytest.mark.skipif(REAL is None, reason="the real doveadm is not installed")
USER = "jane.roe@example.com"
PASSWORDS = ["x", "Secret-pässword 1"]


def mailsim_verifies(password: str, stored: str, user: str | None = USER) -> bool:
    try:
        schemes.check(password.encode(), stored, schemes.Params(user=user), "PLAIN")
    except schemes.SchemeError as exc:
        if stored.startswith("{PLAIN-TRUNC}"):
            # as generated (no "<length>-" prefix) it never verifies, as in Dovecot
            assert str(exc) == "PLAIN-TRUNC missing length: prefix"
        else:
            assert str(exc) == "Password mismatch", exc
        return False
    return True


def wrong(password: str) -> str:
    """A different password (changed at the front: bcrypt reads 72 bytes, DES crypt 8)."""
    return "!" + password


def ours(password: str, scheme: str, rounds: int = 0) -> str:
    """A ``{SCHEME}hash`` made by mailsim."""
    params = schemes.Params(user=USER, rounds=rounds)
    return f"{{{scheme}}}" + schemes.generate_encoded(password.encode(), params, scheme)


def real_pw(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["doveadm", "pw", *argv], capture_output=True, text=True, timeout=60)


def _id(entry: dict) -> str:
    return f"{entry['scheme']}-{entry['password'][:10]}-{entry.get('rounds', 'default')}"


def test_every_listed_scheme_is_recorded() -> None:
    assert {e["scheme"] for e in REAL_HASHES} == set(schemes.LISTED)
    assert len(schemes.LISTED) == 31


@pytest.mark.parametrize("entry", REAL_HASHES, ids=[_id(e) for e in REAL_HASHES])
def test_recorded_real_hash_verifies_with_mailsim(entry: dict) -> None:
    if entry["scheme"] != "PLAIN-TRUNC":
        assert mailsim_verifies(entry["password"], entry["hash"], entry["user"])
    assert not mailsim_verifies(wrong(entry["password"]), entry["hash"], entry["user"])


@pytest.mark.parametrize("scheme", schemes.LISTED)
def test_mailsim_hash_verifies_with_mailsim(scheme: str) -> None:
    for password in PASSWORDS:
        stored = ours(password, scheme)
        assert mailsim_verifies(password, stored) == (scheme != "PLAIN-TRUNC")
        assert not mailsim_verifies(wrong(password), stored)


@needs_real
@pytest.mark.parametrize("scheme", schemes.LISTED)
def test_mailsim_hash_verifies_with_real_doveadm(scheme: str) -> None:
    for password in PASSWORDS:
        stored = ours(password, scheme)
        good = real_pw("-t", stored, "-p", password, "-u", USER)
        if scheme == "PLAIN-TRUNC":
            assert "PLAIN-TRUNC missing length: prefix" in good.stderr
            continue
        assert (good.returncode, good.stdout) == (0, f"{stored} (verified)\n"), good.stderr
        bad = real_pw("-t", stored, "-p", wrong(password), "-u", USER)
        assert bad.returncode == 75
        assert (
            bad.stderr == "Fatal: reverse password verification check failed: Password mismatch\n"
        )


@needs_real
@pytest.mark.parametrize("scheme", schemes.LISTED)
def test_fresh_real_hash_verifies_with_mailsim(scheme: str) -> None:
    for password in PASSWORDS:
        made = real_pw("-s", scheme, "-p", password, "-u", USER)
        assert made.returncode == 0, made.stderr
        assert mailsim_verifies(password, made.stdout.strip()) == (scheme != "PLAIN-TRUNC")
        assert not mailsim_verifies(wrong(password), made.stdout.strip())


@needs_real
@pytest.mark.parametrize(
    ("scheme", "rounds"),
    [
        ("SHA512-CRYPT", "2000"),
        ("SHA256-CRYPT", "1000"),
        ("BLF-CRYPT", "4"),
        ("PBKDF2", "100"),
        ("ARGON2I", "3"),
    ],
)
def test_rounds_round_trip(scheme: str, rounds: str) -> None:
    made = real_pw("-s", scheme, "-r", rounds, "-p", "pw")
    assert mailsim_verifies("pw", made.stdout.strip())
    checked = real_pw("-t", ours("pw", scheme, int(rounds)), "-p", "pw")
    assert checked.returncode == 0, checked.stderr


def test_cram_md5_is_the_hmac_key_schedule() -> None:
    """The value the real doveadm prints for ``-s CRAM-MD5 -p x``, and a key longer than a block."""
    assert cram_md5_context(b"x").hex() == (
        "4638c77f1a70c6fda4ddfa6fbe34e6ee090a0f0088f15da8fed5e0a5ff2b4152"
    )
    long_key = cram_md5_context(b"a" * 80).hex()
    assert long_key == "2d54538a0e49f1e3fa8472108264f1909a6b03e6adf287e1fc8eaf3a9d20339e"


@pytest.mark.parametrize(
    ("data", "digest"),
    [
        (b"", "31d6cfe0d16ae931b73c59d7e0c089c0"),
        (b"abc", "a448017aaf21d8525fc10ae87aa6729d"),
        (b"message digest", "d9130a8164549fe818874806e1c7014b"),
        (
            b"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "e33b4ddc9c38f2199c3e7b164fcc0536",
        ),
    ],
)
def test_md4_rfc1320_vectors(data: bytes, digest: str) -> None:
    assert md4(data).hex() == digest


def test_otp_rfc2289_vectors() -> None:
    """RFC 2289 appendix C: pass phrase "This is a test.", seed "TeSt" (lowercased), count 0."""
    assert otp_hash("md4", "test", b"This is a test.", 0).hex() == "d1854218ebbb0b51"
    assert otp_hash("md5", "test", b"This is a test.", 0).hex() == "9e876134d90499dd"
    assert otp_hash("sha1", "test", b"This is a test.", 0).hex() == "bb9e6ae1979d8ff4"


@pytest.mark.parametrize(
    ("stored", "error"),
    [
        ("{SHA}x", "Input isn't valid base64 encoded data"),
        ("{SHA256.hex}abc", "Input isn't valid HEX encoded data"),
        ("{SHA256}YWJj", "Input length isn't valid (3 instead of 32)"),
        ("{FOO}x", "Unknown scheme"),
        ("{SHA.foo}x", "Unknown scheme"),
    ],
)
def test_decode_errors(stored: str, error: str) -> None:
    scheme, rest = schemes.split_scheme(stored)
    assert scheme is not None
    with pytest.raises(schemes.SchemeError, match=error.replace("(", r"\(").replace(")", r"\)")):
        schemes.decode(rest, scheme)


def test_hex_or_base64_is_guessed_from_the_length() -> None:
    hexed = "11f6ad8ec52a2984abaafd7c3b516503785c2072"
    assert mailsim_verifies("x", "{SHA}" + hexed)
    assert mailsim_verifies("x", "{SHA}EfatjsUqKYSrqv18O1FlA3hcIHI=")


def test_yescrypt_from_debian_shadow() -> None:
    """CRYPT verifies what Debian 12's /etc/shadow holds (the image's alice/alice)."""
    stored = "$y$j9T$2Za.18L3tpRix889agbBK1$mmMDhO9KOu3xG2yG./AN2icuCeuIOokZm4AaGoTNOvB"
    assert mailsim_verifies("alice", "{CRYPT}" + stored)
    assert not mailsim_verifies("bob", "{CRYPT}" + stored)


def test_bare_md5_crypt_needs_no_prefix() -> None:
    assert schemes.split_scheme("$1$lF9tWauw$eF2AUGHswVwzUgv1FBuG/.$x") == (
        "MD5-CRYPT",
        "$1$lF9tWauw$eF2AUGHswVwzUgv1FBuG/.",
    )
    assert mailsim_verifies("x", "$1$lF9tWauw$eF2AUGHswVwzUgv1FBuG/.")
