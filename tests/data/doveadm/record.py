"""Record what the real doveadm (Dovecot 2.3.19, Debian 12) prints, for the tests.

Run from the repository root on a host with Dovecot installed and not running:
    python tests/data/doveadm/record.py

Writes pw_cases.json (doveadm pw and the global usage/errors), real_hashes.json
(hashes the real tool made, one per scheme) and auth_cases.json (auth test and
user against a real Dovecot started on loopback with a scratch configuration,
then stopped).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
SCHEMES = subprocess.run(["doveadm", "pw", "-l"], capture_output=True, text=True).stdout.split()
PASSWORDS = ["x", "Secret-pässword 1", "a" * 80]

PW_CASES: list[tuple[list[str], str]] = [
    ([], ""),
    (["foo"], ""),
    (["-x"], ""),
    (["-c"], ""),
    (["help"], ""),
    (["auth"], ""),
    (["log"], ""),
    (["mailbox"], ""),
    (["auth", "test"], ""),
    (["user"], ""),
    (["kick"], ""),
    (["pw", "-l"], ""),
    (["pw", "-l", "-p", "x"], ""),
    (["pw", "-s", "FOO", "-p", "x"], ""),
    (["pw", "-s", "SHA.foo", "-p", "x"], ""),
    (["pw", "-s", "DIGEST-MD5", "-p", "x"], ""),
    (["pw", "-s", "digest-md5", "-p", "x", "-u", "bob"], ""),
    (["pw", "-s", "DIGEST-MD5", "-p", "pw", "-u", "jane.roe@example.com"], ""),
    (["pw", "-s", "DIGEST-MD5", "-p", "pw", "-u", "jane@example.com@realm"], ""),
    (["pw", "-x"], ""),
    (["pw", "-e"], ""),
    (["pw", "extra"], ""),
    (["pw", "extra", "-s", "plain", "-p", "x"], ""),
    (["pw", "-s", "plain", "-p", "x", "extra", "more"], ""),
    (["pw", "-s"], ""),
    (["pw", "-p"], ""),
    (["pw", "--bogus"], ""),
    (["pw", "--scheme", "plain", "--plaintext", "y"], ""),
    (["pw", "--sch", "plain", "-p", "y"], ""),
    (["pw", "-r", "99999999999", "-p", "x"], ""),
    (["pw", "-s", "ARGON2I", "-r", "2", "-p", "x"], ""),
    (["pw", "-s", "PLAIN-TRUNC", "-p", "x", "-V"], ""),
    (["pw", "-t", "{PLAIN}x", "-p", "x"], ""),
    (["pw", "-t", "{plain}x", "-p", "x"], ""),
    (["pw", "-t", "{PLAIN}x", "-p", "y"], ""),
    (["pw", "-V", "-t", "{PLAIN}x", "-p", "x"], ""),
    (["pw", "-t", "{CLEARTEXT}x", "-p", "x"], ""),
    (["pw", "-t", "nobrace", "-p", "x"], ""),
    (["pw", "-t", "{FOO}x", "-p", "x"], ""),
    (["pw", "-t", "{SHA}x", "-p", "x"], ""),
    (["pw", "-t", "{CRYPT}x", "-p", "x"], ""),
    (["pw", "-t", "{CRYPT}", "-p", "x"], ""),
    (["pw", "-t", "{PLAIN-TRUNC}3-abc", "-p", "abcdef"], ""),
    (["pw", "-t", "{PLAIN-TRUNC}3-abc", "-p", "abd"], ""),
    (["pw", "-t", "{SHA256}abc", "-p", "x"], ""),
    (["pw", "-t", "{SHA256.hex}abc", "-p", "x"], ""),
    (["pw", "-t", "{SHA256}YWJj", "-p", "x"], ""),
    (["pw", "-t", "{SSHA}YWJj", "-p", "x"], ""),
    (["pw", "-t", "{SSHA256}YWJj", "-p", "x"], ""),
    (["pw", "-t", "{SMD5}YWJj", "-p", "x"], ""),
    (["pw", "-t", "{BLF-CRYPT}abc", "-p", "x"], ""),
    (["pw", "-t", "{PBKDF2}abc", "-p", "x"], ""),
    (["pw", "-t", "{PBKDF2}$1$salt$abc$00", "-p", "x"], ""),
    (["pw", "-t", "{PBKDF2}$1$salt$1000$00", "-p", "x"], ""),
    (["pw", "-t", "{SCRAM-SHA-1}a,b", "-p", "x"], ""),
    (["pw", "-t", "{SCRAM-SHA-1}100,c2FsdA==,YQ==,YQ==", "-p", "x"], ""),
    (["pw", "-t", "{SCRAM-SHA-256}4096,c2FsdA==,YQ==,YQ==", "-p", "x"], ""),
    (["pw", "-t", "{OTP}foo", "-p", "x"], ""),
    (["pw", "-t", "{OTP}sha1 1024 d43acbfa73e2e30e 55191bf5bf5f4ab1", "-p", "x"], ""),
    (["pw", "-t", "{OTP}SHA1 1024 d43acbfa73e2e30e 55191bf5bf5f4ab1", "-p", "x"], ""),
    (["pw", "-t", "{OTP}md5 99 AbC 0123456789abcdef", "-p", "x"], ""),
    (["pw", "-t", "{MD5}abc", "-p", "x"], ""),
    (["pw", "-t", "{MD5}9dd4e461268c8034f5c8564e155c67a6", "-p", "x"], ""),
    (["pw", "-t", "{ARGON2I}abc", "-p", "x"], ""),
    (["pw", "-t", "$1$abc$def", "-p", "x"], ""),
    (["pw", "-t", "$1$lF9tWauw$eF2AUGHswVwzUgv1FBuG/.$ignored", "-p", "x"], ""),
    (["pw", "-t", "{sha}EfatjsUqKYSrqv18O1FlA3hcIHI=", "-p", "x"], ""),
    (["pw", "-t", "{SHA.HEX}11f6ad8ec52a2984abaafd7c3b516503785c2072", "-p", "x"], ""),
    (["pw", "-t", "{SHA}11f6ad8ec52a2984abaafd7c3b516503785c2072", "-p", "x"], ""),
    (["pw", "-t", "{PLAIN.b64}eA==", "-p", "x"], ""),
    (["pw", "-t", "{PLAIN.hex}7", "-p", "x"], ""),
    (["pw", "-t", "{DIGEST-MD5}94390127e00e81fb26b41c50ceef9fed", "-p", "x", "-u", "bob"], ""),
    (["pw", "-t", "{DIGEST-MD5}94390127e00e81fb26b41c50ceef9fed", "-p", "x"], ""),
    (["pw", "-s", "plain"], "a\nb\nc\nc\n"),
    (["pw", "-s", "plain"], "a\nb\nc\nd\ne\nf\n"),
    (["pw", "-s", "plain"], ""),
    (["pw", "-s", "plain"], "abc"),
    (["pw", "-s", "plain"], "a\rb\r"),
    (["pw", "-s", "plain"], "pw\r\npw\r\n"),
    (["pw", "-s", "plain"], "same\nsame\n"),
    (["pw", "-t", "{PLAIN}abc"], "abc\n"),
    (["pw", "-t", "{PLAIN}abc"], "abd\n"),
]
for scheme in (
    "PLAIN",
    "CLEAR",
    "CLEARTEXT",
    "PLAIN-TRUNC",
    "SHA",
    "SHA1",
    "SHA256",
    "SHA512",
    "PLAIN-MD4",
    "PLAIN-MD5",
    "LDAP-MD5",
    "CRAM-MD5",
    "HMAC-MD5",
):
    for password in PASSWORDS:
        PW_CASES.append((["pw", "-s", scheme, "-p", password], ""))
for encoded in ("SHA256.HEX", "PLAIN-MD5.b64", "CRAM-MD5.base64", "plain.hex", "PLAIN.B64"):
    PW_CASES.append((["pw", "-s", encoded, "-p", "Secret"], ""))

NOT_RUNNING = [
    ["who"],
    ["who", "-1"],
    ["kick", "alice"],
    ["reload"],
    ["stop"],
    ["reload", "x"],
    ["auth", "test", "alice", "alice"],
    ["log", "errors"],
    ["log", "find", "a", "b"],
    ["auth", "lookup", "alice", "bob"],
    ["user", "-u", "alice"],
    ["log", "test"],
    ["log", "reopen"],
    ["help", "auth", "test"],
    ["help", "nosuchcommand"],
]


def run(argv: list[str], stdin: str = "", env: dict | None = None) -> dict:
    done = subprocess.run(
        ["doveadm", *argv], input=stdin.encode(), capture_output=True, timeout=120, env=env
    )
    return {
        "argv": argv,
        "stdin": stdin,
        "stdout": done.stdout.decode("utf-8", "surrogateescape"),
        "stderr": done.stderr.decode("utf-8", "surrogateescape"),
        "status": done.returncode,
    }


def record_pw() -> None:
    assert not Path("/run/dovecot/master.pid").exists(), "stop the host's Dovecot first"
    cases = [run(argv, stdin) for argv, stdin in PW_CASES]
    cases += [run(argv) for argv in NOT_RUNNING]
    (HERE / "pw_cases.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")


def record_hashes() -> None:
    out = []
    for scheme in SCHEMES:
        for password in PASSWORDS:
            argv = ["pw", "-s", scheme, "-p", password]
            if scheme == "DIGEST-MD5":
                argv += ["-u", "jane.roe@example.com"]
            done = run(argv)
            assert done["status"] == 0, done
            out.append(
                {
                    "scheme": scheme,
                    "password": password,
                    "user": "jane.roe@example.com",
                    "hash": done["stdout"].strip(),
                }
            )
    for scheme, rounds in (
        ("SHA512-CRYPT", "1000"),
        ("SHA256-CRYPT", "7000"),
        ("BLF-CRYPT", "4"),
        ("PBKDF2", "1200"),
        ("ARGON2I", "3"),
        ("ARGON2ID", "3"),
    ):
        done = run(["pw", "-s", scheme, "-r", rounds, "-p", "x"])
        out.append(
            {
                "scheme": scheme,
                "password": "x",
                "user": None,
                "rounds": int(rounds),
                "hash": done["stdout"].strip(),
            }
        )
    (HERE / "real_hashes.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


AUTH_CONF = """\
base_dir = {base}/run
state_dir = {base}/state
protocols = imap
listen = 127.0.0.1
log_path = {base}/log
ssl = no
auth_mechanisms = plain
mail_location = mbox:~/mail:INBOX=/var/mail/%u
service imap-login {{
  inet_listener imap {{
    port = 14399
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=CRYPT username_format=%u {base}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {base}/users
}}
"""

AUTH_USERS = [
    ("carol", "{PLAIN}c1", ""),
    ("frank", "{PLAIN}f1", ":1003:1003::/home/frank"),
    ("erin", "{PLAIN}e1", "::::::userdb_quota_rule=*:storage=1G"),
    ("gina", None, ":1004:1004::/home/gina::userdb_mail=maildir:~/Maildir"),
    ("hank", "$1$lF9tWauw$eF2AUGHswVwzUgv1FBuG/.", ":1005:1005::/home/hank"),
]
AUTH_CASES = [
    ["auth", "test", "carol", "c1"],
    ["auth", "test", "carol", "bad"],
    ["auth", "test", "frank", "f1"],
    ["auth", "test", "erin", "e1"],
    ["auth", "test", "gina", "gina-pw"],
    ["auth", "test", "gina", "nope"],
    ["auth", "test", "hank", "x"],
    ["auth", "test", "nobody-here", "x"],
    ["user", "frank"],
    ["user", "gina"],
    ["user", "carol"],
    ["user", "frank", "gina"],
    ["user", "-u", "frank"],
    ["user", "-u", "gina"],
    ["user", "-f", "home", "frank"],
    ["user", "-f", "uid", "nobody-here"],
    ["user", "-e", "%u:%h", "frank"],
    ["user", "-e", "x", "-u", "frank"],
    ["user", "-e", "x", "-f", "y", "frank"],
    ["who"],
    ["kick", "frank"],
    ["log", "find"],
    ["auth", "lookup", "erin"],
    ["auth", "lookup", "zed"],
    ["auth", "test", "a", "b", "c"],
]


def users_file(base: Path) -> str:
    lines = []
    for user, password, rest in AUTH_USERS:
        if password is None:
            password = run(["pw", "-s", "SHA512-CRYPT", "-p", f"{user}-pw"])["stdout"].strip()
        lines.append(f"{user}:{password}{rest}\n")
    return "".join(lines)


def real_auth_cases(users: str, argvs: list[list[str]] = AUTH_CASES) -> list[dict]:
    """Start a real Dovecot on loopback with AUTH_CONF and ``users``, run the cases, stop it."""
    base = Path(tempfile.mkdtemp(prefix="doveadm-rec-"))
    base.chmod(0o755)  # the auth process runs as the dovecot user
    (base / "run").mkdir()
    (base / "state").mkdir()
    conf = base / "dovecot.conf"
    conf.write_text(AUTH_CONF.format(base=base))
    (base / "users").write_text(users)
    subprocess.run(["dovecot", "-c", str(conf)], check=True)
    try:
        time.sleep(1)
        cases = []
        for argv in argvs:
            done = run(["-c", str(conf), *argv])
            done["argv"] = argv
            for key in ("stdout", "stderr"):
                done[key] = done[key].replace(str(base), "{base}")
            cases.append(done)
    finally:
        subprocess.run(["doveadm", "-c", str(conf), "stop"], check=False)
    return cases


def record_auth() -> None:
    users = users_file(Path("."))
    data = {"users": users, "config": AUTH_CONF, "cases": real_auth_cases(users)}
    (HERE / "auth_cases.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    import sys

    os.environ.setdefault("LANG", "C.UTF-8")
    parts = sys.argv[1:] or ["pw", "hashes", "auth"]
    if "pw" in parts:
        record_pw()
    if "hashes" in parts:
        record_hashes()
    if "auth" in parts:
        record_auth()
    print(re.sub(r"\s+", " ", "recorded pw_cases.json real_hashes.json auth_cases.json"))
