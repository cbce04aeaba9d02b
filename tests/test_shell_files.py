"""File utilities: what the recorded transcripts cannot show (non-root users, pipes, speed)."""

from __future__ import annotations

import time

from mailsim.machine.machine import Machine
from mailsim.shell.commands.files import ls
from mailsim.shell.commands.files_ls import human
from mailsim.shell.commands.files_mode import adjust_mode, compile_mode
from mailsim.shell.session import Shell
from mailsim.shell.terminal import PlainTerminal
from tests.conftest import make_ctx
from tests.helpers import run


def _as_alice(machine: Machine, line: str) -> tuple[str, str, int]:
    shell = Shell(machine, PlainTerminal(read=lambda: None))
    alice = machine.user("alice")
    assert alice is not None
    shell.push_login(alice)
    return run(machine, line, shell=shell)


def test_non_root_gets_permission_denied(machine: Machine) -> None:
    assert _as_alice(machine, "ls /root") == (
        "",
        "ls: cannot open directory '/root': Permission denied\n",
        2,
    )
    assert _as_alice(machine, "rm /etc/hostname")[1] == (
        "rm: cannot remove '/etc/hostname': Permission denied\n"
    )
    assert _as_alice(machine, "chmod 777 /etc/hostname")[1] == (
        "chmod: changing permissions of '/etc/hostname': Operation not permitted\n"
    )
    assert _as_alice(machine, "chown alice /etc/hostname")[1] == (
        "chown: changing ownership of '/etc/hostname': Operation not permitted\n"
    )
    assert _as_alice(machine, "mkdir /etc/x")[1] == (
        "mkdir: cannot create directory \u2018/etc/x\u2019: Permission denied\n"
    )
    assert machine.exists("/etc/hostname") and not machine.exists("/etc/x")


def test_non_root_creates_files_it_owns(machine: Machine) -> None:
    assert _as_alice(machine, "cd; touch note; mkdir dir; cp note copy")[2] == 0
    for name in ("note", "dir", "copy"):
        st = machine.stat(f"/home/alice/{name}")
        assert (st.owner, st.group) == ("alice", "alice")
    assert machine.stat("/home/alice/note").mode == 0o644
    assert machine.stat("/home/alice/dir").mode == 0o755


def test_root_creating_in_a_users_home_owns_the_file(machine: Machine) -> None:
    """A file root makes under /home/alice is root's, whatever the path's defaults say."""
    run(machine, "touch /home/alice/from-root")
    assert machine.stat("/home/alice/from-root").owner == "root"


def test_sticky_tmp_protects_other_users_files(machine: Machine) -> None:
    run(machine, "touch /tmp/roots")
    assert _as_alice(machine, "rm -f /tmp/roots")[1] == (
        "rm: cannot remove '/tmp/roots': Operation not permitted\n"
    )


def test_ls_piped_is_one_name_a_line_unquoted(machine: Machine) -> None:
    machine.mkdir("/srv/w")
    for name in ("b c", "a", "it's"):
        machine.write_text(f"/srv/w/{name}", "")
    ctx = make_ctx(machine, ["ls", "/srv/w"], tty=False)
    assert ls(ctx) == 0
    assert ctx.stdout.getvalue() == b"a\nb c\nit's\n"
    ctx = make_ctx(machine, ["ls", "-C", "/srv/w"], tty=False)
    ls(ctx)
    assert ctx.stdout.getvalue() == b"a  b c\tit's\n"  # GNU pads with tabs, tty or not


def test_ls_long_dates_follow_the_simulated_clock(machine: Machine) -> None:
    now = machine.clock.now()
    machine.write_text("/srv/new", "")
    machine.write_text("/srv/old", "")
    machine.set_mtime("/srv/old", now - 200 * 86400)
    machine.write_text("/srv/future", "")
    machine.set_mtime("/srv/future", now + 86400)
    out = run(machine, "ls -l /srv/new /srv/old /srv/future")[0]
    assert "Nov 25 08:29 /srv/new" in out
    assert "May  9  2026 /srv/old" in out
    assert "Nov 26  2026 /srv/future" in out


def test_human_sizes_round_up_like_gnu() -> None:
    assert [human(n) for n in (0, 1023, 1024, 1025, 4096, 10239, 10240, 10241, 1048576)] == [
        "0",
        "1023",
        "1.0K",
        "1.1K",
        "4.0K",
        "10K",
        "10K",
        "11K",
        "1.0M",
    ]
    assert [human(n) for n in (10752, 1047552, 1048577)] == ["11K", "1023K", "1.1M"]


def test_modes_as_gnu_computes_them() -> None:
    def mode(spec: str, old: int, is_dir: bool = False) -> int:
        changes = compile_mode(spec)
        assert changes is not None, spec
        return adjust_mode(old, is_dir, changes)

    assert mode("u+x,g-w,o=r", 0o664) == 0o744
    assert mode("=r", 0o777) == 0o444
    assert mode("+w", 0o444) == 0o644  # the umask keeps group and others out
    assert mode("755", 0o2755, is_dir=True) == 0o2755
    assert mode("00755", 0o2755, is_dir=True) == 0o755
    assert mode("a+X", 0o644) == 0o644 and mode("a+X", 0o744) == 0o755
    assert mode("g=u", 0o740) == 0o770
    assert compile_mode("9") is None and compile_mode("u") is None and compile_mode("1777x") is None


def test_hard_links_are_copies_that_keep_metadata(machine: Machine) -> None:
    run(machine, "chown mail:mail /etc/mailname; ln /etc/mailname /root/hard")
    st = machine.stat("/root/hard")
    assert (st.owner, st.group, st.nlink, st.is_file) == ("mail", "mail", 1, True)
    assert machine.read_text("/root/hard") == machine.read_text("/etc/mailname")


def test_find_lists_siblings_in_bytewise_order(machine: Machine) -> None:
    out = run(machine, "find /etc/dovecot -maxdepth 1")[0].splitlines()
    assert out[0] == "/etc/dovecot" and out[1:] == sorted(out[1:])


def test_commands_answer_fast(machine: Machine) -> None:
    ctx = make_ctx(machine, ["ls", "-l", "/etc/postfix"])
    ls(ctx)  # warm the manifest and users
    best = float("inf")
    for _ in range(5):
        ctx = make_ctx(machine, ["ls", "-l", "/etc/postfix"])
        start = time.perf_counter()
        ls(ctx)
        best = min(best, time.perf_counter() - start)
    assert best < 0.005, f"ls -l took {best * 1000:.2f} ms"


def test_ls_option_table_names_real_fields() -> None:
    """ls's table of options that only set fields must name fields that exist:
    a misspelt one would be set on the instance and never read."""
    from dataclasses import fields

    from mailsim.shell.commands import files_ls

    known = {f.name for f in fields(files_ls.Options)}
    for option, settings in files_ls._SETS.items():
        for name, _value in settings:
            assert name in known, option
