"""The default machine image in sandbox/ (DESIGN.md: "The default image").

Most checks need nothing but the repository.  The line-by-line comparison with
Debian's own configuration files runs only on a Debian 12 host that has the
image's packages installed (postfix 3.7, dovecot 2.3, rsyslog); elsewhere it
is skipped with the reason.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import posixpath
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SANDBOX = REPO / "sandbox"
ROOT = SANDBOX / "root"
HOST = Path("/")


def _load_builder():
    spec = importlib.util.spec_from_file_location(
        "build_sandbox", REPO / "tools" / "build_sandbox.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def image_text(path: str) -> str:
    return (ROOT / path.lstrip("/")).read_text(encoding="utf-8")


def image_lines(path: str) -> list[str]:
    return builder.read_lines(ROOT / path.lstrip("/"))


def parse_manifest() -> list[tuple[str, ...]]:
    entries = []
    for number, raw in enumerate((SANDBOX / "MANIFEST").read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        kind = fields[0]
        if kind in ("dir", "file"):
            assert len(fields) == 4, (
                f"MANIFEST:{number}: {kind} needs PATH OWNER:GROUP MODE: {raw!r}"
            )
        elif kind == "link":
            assert len(fields) == 3, f"MANIFEST:{number}: link needs PATH TARGET: {raw!r}"
        else:
            raise AssertionError(f"MANIFEST:{number}: unknown entry type {kind!r}")
        entries.append(tuple(fields))
    return entries


MANIFEST = parse_manifest()
DIRS = {e[1]: (e[2], e[3]) for e in MANIFEST if e[0] == "dir"}
FILES = {e[1]: (e[2], e[3]) for e in MANIFEST if e[0] == "file"}
LINKS = {e[1]: e[2] for e in MANIFEST if e[0] == "link"}


def passwd_entries() -> list[list[str]]:
    return [ln.split(":") for ln in image_lines("/etc/passwd")]


def group_entries() -> list[list[str]]:
    return [ln.split(":") for ln in image_lines("/etc/group")]


def image_dirs() -> set[str]:
    """Every directory of the machine: declared ones and parents of files and links."""
    dirs = {"/"} | set(DIRS)
    for path in [
        *(("/" + p.relative_to(ROOT).as_posix()) for p in ROOT.rglob("*") if p.is_file()),
        *LINKS,
        *DIRS,
    ]:
        parent = posixpath.dirname(path)
        while parent not in ("/", ""):
            dirs.add(parent)
            parent = posixpath.dirname(parent)
    return dirs


# ---------------------------------------------------------------------------
# format of sandbox/
# ---------------------------------------------------------------------------
def test_version():
    assert (SANDBOX / "VERSION").read_text() == builder.IMAGE_VERSION + "\n"


def test_root_holds_only_regular_files_and_no_empty_dirs():
    for path in ROOT.rglob("*"):
        assert not path.is_symlink(), f"symlink in root/: {path}"
        assert path.is_file() or path.is_dir(), f"not a regular file: {path}"
        if path.is_dir():
            assert any(path.iterdir()), f"empty directory in root/ (declare it in MANIFEST): {path}"


def test_manifest_entries_are_well_formed():
    seen = set()
    for entry in MANIFEST:
        path = entry[1]
        assert path.startswith("/") and posixpath.normpath(path) == path, f"bad path {path!r}"
        assert path not in seen, f"{path} listed twice"
        seen.add(path)
        if entry[0] in ("dir", "file"):
            assert re.fullmatch(r"[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*", entry[2]), entry
            assert re.fullmatch(r"[0-7]{4}", entry[3]), entry


def test_manifest_owners_and_groups_exist():
    users = {e[0] for e in passwd_entries()}
    groups = {e[0] for e in group_entries()}
    for path, (owner_group, _mode) in {**DIRS, **FILES}.items():
        owner, group = owner_group.split(":")
        assert owner in users, f"{path}: unknown user {owner}"
        assert group in groups, f"{path}: unknown group {group}"


def test_manifest_files_exist_in_root():
    for path in FILES:
        assert (ROOT / path.lstrip("/")).is_file(), f"file entry without a file in root/: {path}"


def test_manifest_dirs_are_not_files():
    for path in DIRS:
        target = ROOT / path.lstrip("/")
        assert not target.is_file(), f"{path} is a dir entry but a file in root/"


def test_links_are_sane_and_resolve_inside_the_machine():
    dirs = image_dirs()
    for path, target in LINKS.items():
        assert target and "\0" not in target and not re.search(r"\s", target), (path, target)
        assert not (ROOT / path.lstrip("/")).exists(), f"{path} is a link and a file in root/"
        base = "/" if target.startswith("/") else posixpath.dirname(path)
        # Resolve ".." lexically; it must not climb above "/".
        depth = 0
        for part in posixpath.join(base, target).split("/"):
            if part == "..":
                depth -= 1
                assert depth >= 0, f"{path} -> {target} leaves the machine"
            elif part not in ("", "."):
                depth += 1
        resolved = posixpath.normpath(posixpath.join(base, target))
        exists = resolved in dirs or resolved in LINKS or (ROOT / resolved.lstrip("/")).is_file()
        assert exists, f"{path} -> {target}: {resolved} is not in the image"


# ---------------------------------------------------------------------------
# content of the image
# ---------------------------------------------------------------------------
def test_identity():
    assert image_text("/etc/hostname") == "mail\n"
    assert image_text("/etc/mailname") == "mail.example.com\n"
    hosts = [ln.split() for ln in image_lines("/etc/hosts") if ln and not ln.startswith("#")]
    assert ["127.0.0.1", "localhost"] in hosts
    assert ["127.0.1.1", "mail.example.com", "mail"] in hosts
    assert ["::1", "localhost", "ip6-localhost", "ip6-loopback"] in hosts
    assert "nameserver 192.0.2.53" in image_lines("/etc/resolv.conf")


def test_network_interfaces():
    words = [ln.split() for ln in image_lines("/etc/network/interfaces")]
    assert ["auto", "lo"] in words and ["iface", "lo", "inet", "loopback"] in words
    assert ["auto", "eth0"] in words
    assert ["iface", "eth0", "inet", "static"] in words
    assert ["address", "192.0.2.25/24"] in words
    assert ["gateway", "192.0.2.1"] in words
    assert ["iface", "eth0", "inet6", "static"] in words
    assert ["address", "2001:db8::25/64"] in words


def test_os_release_is_debian_12():
    assert LINKS["/etc/os-release"] == "../usr/lib/os-release"
    assert "VERSION_CODENAME=bookworm" in image_lines("/usr/lib/os-release")
    assert image_text("/etc/debian_version").startswith("12.")


def main_cf() -> dict[str, str]:
    params = {}
    for line in image_lines("/etc/postfix/main.cf"):
        m = re.match(r"^([A-Za-z_0-9]+)\s*=\s*(.*?)\s*$", line)
        if m:
            assert m.group(1) not in params, f"main.cf sets {m.group(1)} twice"
            params[m.group(1)] = m.group(2)
    return params


def test_main_cf_is_debian_internet_site():
    params = main_cf()
    assert "mailbox_command" not in params  # procmail came after postfix
    assert params["myhostname"] == "mail.example.com"
    assert params["myorigin"] == "/etc/mailname"
    assert (
        params["mydestination"]
        == "$myhostname, mail.example.com, localhost.example.com, , localhost"
    )
    assert params["mynetworks"] == "127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128"
    assert params["compatibility_level"] == "3.6"
    assert params["inet_interfaces"] == "all"
    assert params["inet_protocols"] == "all"
    assert params["alias_maps"] == params["alias_database"] == "hash:/etc/aliases"
    assert params["relayhost"] == ""
    assert params["mailbox_size_limit"] == "0"
    assert params["recipient_delimiter"] == "+"
    # ssl-cert was installed first, so the postinst appended the TLS block.
    assert params["smtpd_tls_cert_file"] == "/etc/ssl/certs/ssl-cert-snakeoil.pem"
    assert params["smtpd_tls_key_file"] == "/etc/ssl/private/ssl-cert-snakeoil.key"
    assert params["smtp_tls_CApath"] == "/etc/ssl/certs"
    assert params["smtpd_tls_security_level"] == params["smtp_tls_security_level"] == "may"


def test_master_cf_services():
    services = {
        tuple(ln.split()[:2])
        for ln in image_lines("/etc/postfix/master.cf")
        if ln and not ln[0].isspace() and not ln.startswith("#")
    }
    for svc in [
        ("smtp", "inet"),
        ("pickup", "unix"),
        ("cleanup", "unix"),
        ("qmgr", "unix"),
        ("local", "unix"),
        ("smtp", "unix"),
        ("relay", "unix"),
        ("postlog", "unix-dgram"),
    ]:
        assert svc in services


def test_postfix_support_files():
    assert image_lines("/etc/postfix/dynamicmaps.cf")[1].split("\t")[:3] == [
        "pcre",
        "postfix-pcre.so",
        "dict_pcre_open",
    ]
    assert (ROOT / "etc/postfix/postfix-files").is_file()
    assert (ROOT / "etc/postfix/postfix-files.d/pcre.files").is_file()
    assert "/etc/postfix/sasl" in DIRS and "/etc/postfix/dynamicmaps.cf.d" in DIRS
    assert image_lines("/etc/aliases")[-1] == "postmaster:    root"
    assert not (ROOT / "etc/aliases.db").exists()  # written by the simulated newaliases
    assert not (ROOT / "etc/mail").exists() and "/etc/mail" not in DIRS  # a Postfix host
    # The sendmail emulation layer: Postfix's sendmail, and the names it answers to.
    assert (ROOT / "usr/sbin/sendmail").read_bytes().startswith(b"\x7fELF")
    for name in ("/usr/bin/mailq", "/usr/bin/newaliases", "/usr/lib/sendmail"):
        assert LINKS[name] == "../sbin/sendmail"
    assert (ROOT / "usr/lib/postfix/postfix-pcre.so").is_file()  # dynamicmaps.cf loads it


def test_postfix_queue_tree():
    """The queue directories are the ones Postfix's own inventory (postfix-files in the
    image) gives to mail_owner with mode 700, no more and no fewer."""
    spool = "/var/spool/postfix"
    assert DIRS[spool] == ("root:root", "0755")
    inventory = [
        m.group(1)
        for line in image_lines("/etc/postfix/postfix-files")
        if (m := re.match(r"\$queue_directory/([^:]+):d:\$mail_owner:-:700:", line))
    ]
    assert "active" in inventory and "deferred" in inventory
    owned = {
        p
        for p, (og, mode) in DIRS.items()
        if p.startswith(f"{spool}/") and (og, mode) == ("postfix:root", "0700")
    }
    assert owned == {f"{spool}/{d}" for d in inventory}
    assert DIRS[f"{spool}/maildrop"] == ("postfix:postdrop", "1730")
    assert DIRS[f"{spool}/public"] == ("postfix:postdrop", "2710")
    assert DIRS[f"{spool}/pid"] == ("root:root", "0755")
    assert not (ROOT / spool.lstrip("/")).exists()  # no pid files, sockets or locks
    assert DIRS["/var/lib/postfix"] == ("postfix:postfix", "0755")


def test_dovecot():
    assert "!include_try /usr/share/dovecot/protocols.d/*.protocol" in image_lines(
        "/etc/dovecot/dovecot.conf"
    )
    assert "!include conf.d/*.conf" in image_lines("/etc/dovecot/dovecot.conf")
    assert (
        image_text("/usr/share/dovecot/protocols.d/imapd.protocol")
        == "protocols = $protocols imap\n"
    )
    assert (
        image_text("/usr/share/dovecot/protocols.d/pop3d.protocol")
        == "protocols = $protocols pop3\n"
    )
    assert image_text("/usr/share/dovecot/dh.pem").startswith("-----BEGIN DH PARAMETERS-----\n")
    confd = {p.name for p in (ROOT / "etc/dovecot/conf.d").iterdir()}
    assert confd == set(builder.DOVECOT_CONFD)
    assert DIRS["/etc/dovecot/private"] == ("root:root", "0700")
    assert LINKS["/etc/dovecot/private/dovecot.pem"] == "/etc/ssl/certs/ssl-cert-snakeoil.pem"
    assert LINKS["/etc/dovecot/private/dovecot.key"] == "/etc/ssl/private/ssl-cert-snakeoil.key"
    ssl = image_lines("/etc/dovecot/conf.d/10-ssl.conf")
    assert "ssl_cert = </etc/dovecot/private/dovecot.pem" in ssl
    assert "ssl_dh = </usr/share/dovecot/dh.pem" in ssl
    for name in builder.DOVECOT_EXT:
        assert FILES[f"/etc/dovecot/{name}"] == ("root:dovecot", "0640")


def test_rsyslog_traditional_format():
    lines = image_lines("/etc/rsyslog.conf")
    assert "$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat" in lines
    assert any(re.fullmatch(r"mail\.\*\s+-/var/log/mail\.log", ln) for ln in lines)
    assert FILES["/var/log/mail.log"] == ("root:adm", "0640")
    assert FILES["/var/log/syslog"] == ("root:adm", "0640")
    assert image_text("/var/log/mail.log") == ""


def test_filesystem_layout():
    assert DIRS["/tmp"] == ("root:root", "1777")
    assert DIRS["/var/mail"] == ("root:mail", "2775")
    assert DIRS["/root"] == ("root:root", "0700")
    assert DIRS["/etc/ssl/private"] == ("root:ssl-cert", "0710")
    assert FILES["/etc/shadow"] == FILES["/etc/gshadow"] == ("root:shadow", "0640")
    assert not (ROOT / "var/mail").exists()  # no mailboxes yet
    for name in (".bashrc", ".profile"):
        assert (ROOT / "root" / name).is_file()


def test_accounts_are_consistent():
    passwd = passwd_entries()
    groups = {e[0]: int(e[2]) for e in group_entries()}
    shadow = [ln.split(":") for ln in image_lines("/etc/shadow")]
    gshadow = [ln.split(":") for ln in image_lines("/etc/gshadow")]
    assert all(len(e) == 7 for e in passwd)
    assert all(len(e) == 9 for e in shadow)
    assert [e[0] for e in shadow] == [e[0] for e in passwd]
    assert [e[0] for e in gshadow] == list(groups)
    uids = [int(e[2]) for e in passwd]
    assert len(set(uids)) == len(uids) and len(set(groups.values())) == len(groups)
    by_name = {e[0]: e for e in passwd}
    for name in ("root", "daemon", "mail", "nobody", "postfix", "dovecot", "dovenull"):
        assert name in by_name
    for name in ("postfix", "postdrop", "dovecot", "dovenull", "ssl-cert", "mail", "adm", "shadow"):
        assert name in groups
    assert set(groups.values()) >= {int(e[3]) for e in passwd}
    assert by_name["postfix"][5] == "/var/spool/postfix"
    for uid, name in ((1000, "alice"), (1001, "bob"), (1002, "carol")):
        entry = by_name[name]
        assert int(entry[2]) == uid and groups[name] == int(entry[3]) == uid
        assert entry[5] == f"/home/{name}" and entry[6] == "/bin/bash"
        assert DIRS[f"/home/{name}"] == (f"{name}:{name}", "0700")
        for dot in (".bashrc", ".profile"):
            assert (ROOT / "home" / name / dot).is_file()
        assert not (ROOT / "home" / name / "Maildir").exists()


def _libcrypt():
    name = ctypes.util.find_library("crypt")
    if not name:
        pytest.skip("no libcrypt on this host to verify yescrypt hashes")
    lib = ctypes.CDLL(name)
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    return lib


def test_passwords_are_yescrypt():
    shadow = {ln.split(":")[0]: ln.split(":")[1] for ln in image_lines("/etc/shadow")}
    expected = {"root": "root", "alice": "alice", "bob": "bob", "carol": "carol"}
    for user in expected:
        assert shadow[user].startswith("$y$j9T$"), user
    for user, pw in shadow.items():
        if user not in expected:
            assert pw in ("*", "!", "!*"), f"{user} should not have a password"
    lib = _libcrypt()
    probe = lib.crypt(b"x", shadow["root"].encode())
    if not probe or not probe.startswith(b"$y$"):
        pytest.skip("this libcrypt has no yescrypt")
    for user, password in expected.items():
        assert lib.crypt(password.encode(), shadow[user].encode()).decode() == shadow[user], user
        assert lib.crypt(b"wrong", shadow[user].encode()).decode() != shadow[user], user


def test_snakeoil_certificate():
    x509 = pytest.importorskip("cryptography.x509")
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    pem = (ROOT / "etc/ssl/certs/ssl-cert-snakeoil.pem").read_bytes()
    cert = x509.load_pem_x509_certificate(pem)
    cn = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert cn == "mail.example.com"
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["mail.example.com"]
    # Valid from the image's install day (2025-11-25) for ten years, like make-ssl-cert's.
    assert cert.not_valid_before_utc.date().isoformat() <= "2025-11-25"
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days >= 3650
    key = serialization.load_pem_private_key(
        (ROOT / "etc/ssl/private/ssl-cert-snakeoil.key").read_bytes(), password=None
    )
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()
    hash_links = [
        p
        for p, t in LINKS.items()
        if p.startswith("/etc/ssl/certs/") and t == "ssl-cert-snakeoil.pem"
    ]
    assert len(hash_links) == 1 and re.fullmatch(r"/etc/ssl/certs/[0-9a-f]{8}\.0", hash_links[0])
    host_cert = HOST / "etc/ssl/certs/ssl-cert-snakeoil.pem"
    if host_cert.is_file():
        assert host_cert.read_bytes() != pem, "the image must not carry this host's snakeoil"


# ---------------------------------------------------------------------------
# Debian's line numbers, our comments (needs the real packages on the host)
# ---------------------------------------------------------------------------
def _installed_versions() -> dict[str, str]:
    status = HOST / "var/lib/dpkg/status"
    versions: dict[str, str] = {}
    if not status.is_file():
        return versions
    for para in status.read_text(errors="replace").split("\n\n"):
        fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", para, re.M))
        if "install ok installed" in fields.get("Status", ""):
            versions[fields.get("Package", "")] = fields.get("Version", "")
    return versions


def _host_reason() -> str | None:
    versions = _installed_versions()
    wanted = {
        "postfix": r"3\.7\.",
        "postfix-pcre": r"3\.7\.",
        "dovecot-core": r"1:2\.3\.",
        "dovecot-imapd": r"1:2\.3\.",
        "dovecot-pop3d": r"1:2\.3\.",
        "dovecot-sieve": r"1:2\.3\.",
        "rsyslog": r"8\.",
    }
    missing = [p for p, v in wanted.items() if not re.match(v, versions.get(p, ""))]
    if missing:
        return (
            "needs a Debian 12 host with the image's packages installed "
            f"(missing or other version: {', '.join(missing)})"
        )
    return None


HOST_REASON = _host_reason()
needs_host = pytest.mark.skipif(HOST_REASON is not None, reason=HOST_REASON or "")


@needs_host
@pytest.mark.parametrize("relpath", builder.REWRITTEN)
def test_settings_keep_debian_line_numbers(relpath):
    upstream = builder.upstream_lines(relpath, HOST)
    ours = builder.read_lines(ROOT / relpath)
    assert len(ours) == len(upstream), f"{relpath}: {len(ours)} lines, Debian has {len(upstream)}"
    for number, (theirs, mine) in enumerate(zip(upstream, ours, strict=True), 1):
        if relpath == "etc/rsyslog.conf" and number == builder.RSYSLOG_TEMPLATE_LINE:
            assert theirs == "" and mine == builder.RSYSLOG_TEMPLATE
        elif builder.classify(theirs) == "S":
            assert mine == theirs, f"{relpath}:{number}: Debian has {theirs!r}, the image {mine!r}"
        else:
            assert mine.lstrip().startswith("#"), f"{relpath}:{number}: prose must stay a comment"
            assert mine != theirs, f"{relpath}:{number}: Debian's prose copied: {theirs!r}"


@needs_host
@pytest.mark.parametrize("relpath", builder.REWRITTEN)
def test_image_matches_the_builder(relpath):
    expected = builder.render_config(relpath, HOST)
    assert builder.read_lines(ROOT / relpath) == expected, (
        f"{relpath} differs from what tools/build_sandbox.py makes; rerun it"
    )


@needs_host
@pytest.mark.parametrize("relpath", sorted(builder.COPIED))
def test_copied_files_match_the_host(relpath):
    source = HOST / builder.COPIED[relpath]
    if not source.is_file():
        pytest.skip(f"/{builder.COPIED[relpath]} is not on this host")
    assert (ROOT / relpath).read_bytes() == source.read_bytes()


@needs_host
def test_services_header_is_ours_and_entries_keep_debian_line_numbers():
    relpath = "etc/services"
    upstream = builder.read_lines(HOST / builder.HEADER_REPLACED[relpath][0])
    ours = builder.read_lines(ROOT / relpath)
    header = builder.HEADER_REPLACED[relpath][1]
    assert len(ours) == len(upstream)
    assert ours[: len(header)] == header
    assert all(line.startswith("#") for line in upstream[: len(header)])
    assert not upstream[len(header)].startswith("#"), "Debian's header is longer than ours"
    assert ours[len(header) :] == upstream[len(header) :]


def _tree(top: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(top)): path.read_bytes()
        for path in sorted(top.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


@needs_host
def test_a_rebuild_reproduces_the_committed_image(tmp_path):
    """tools/build_sandbox.py makes sandbox/ exactly: no file is lost, added or changed.

    The snakeoil pair is generated once and then kept, so it is seeded from the
    committed image, as a rebuild in place would find it.
    """
    out = tmp_path / "sandbox"
    for relpath in (builder.CERT, builder.KEY):
        (out / "root" / relpath).parent.mkdir(parents=True, exist_ok=True)
        (out / "root" / relpath).write_bytes((ROOT / relpath).read_bytes())
    builder.build(HOST, out)
    built, committed = _tree(out), _tree(SANDBOX)
    assert sorted(set(committed) - set(built)) == [], "files a rebuild would delete"
    assert sorted(set(built) - set(committed)) == [], "files a rebuild would add"
    changed = sorted(p for p in built if built[p] != committed[p])
    assert changed == [], "files a rebuild would change"
