"""postfix-script's ``check-fatal`` and ``check-warn``, over the machine's metadata.

The real script runs ``find`` over the Postfix directories; here the same walks
read owners and modes from the machine (chmod/chown are metadata there), and
print the same lines in the same order. Directory listings are walked in sorted
order (a real ext4 directory lists in hash order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine, Stat
    from mailsim.postfix.service import Script, Settings
    from mailsim.shell.context import Context

# The queue directories post-install creates, with Debian's postfix-files metadata.
QUEUE_DIRS = {
    "active": ("postfix", "root", 0o700),
    "bounce": ("postfix", "root", 0o700),
    "corrupt": ("postfix", "root", 0o700),
    "defer": ("postfix", "root", 0o700),
    "deferred": ("postfix", "root", 0o700),
    "flush": ("postfix", "root", 0o700),
    "hold": ("postfix", "root", 0o700),
    "incoming": ("postfix", "root", 0o700),
    "maildrop": ("postfix", "postdrop", 0o1730),
    "pid": ("root", "root", 0o755),
    "private": ("postfix", "root", 0o700),
    "public": ("postfix", "postdrop", 0o2710),
    "saved": ("postfix", "root", 0o700),
    "trace": ("postfix", "root", 0o700),
}
OWNED_BY_MAIL_OWNER = (
    "saved",
    "incoming",
    "active",
    "defer",
    "deferred",
    "bounce",
    "hold",
    "trace",
    "corrupt",
    "public",
    "private",
    "flush",
)
SCANNED_BY_POSTSUPER = ("hold", "incoming", "active", "deferred")

# How many times each helper program re-reads main.cf during one postfix-script action
# (measured on Postfix 3.7.11): each read repeats main.cf's parse warnings, and each
# postconf read also its "unused parameter" warnings. postlog's reads, one per line
# postfix-script logs, are Script's business.
REREADS = {
    "check": (("/usr/sbin/postconf", 16), ("postsuper", 1)),
    "start": (("/usr/sbin/postconf", 17), ("postsuper", 1)),
    "flush": (("postqueue", 1),),
}
MASTER_CF_READS = {"check": 19, "start": 19}


def replay_warnings(ctx: Context, settings: Settings, action: str) -> None:
    """The helper programs' copies of main.cf's warnings (they go to stderr, tty or not)."""
    for program, times in REREADS.get(action, ()):
        warnings = settings.postconf_warnings() if program.endswith("postconf") else None
        for _ in range(times):
            for warning in warnings if warnings is not None else settings.warnings:
                ctx.err(f"{program}: warning: {warning}\n")
    master_cf = settings.get("config_directory") + "/master.cf"
    if not ctx.machine.exists(master_cf):
        for _ in range(MASTER_CF_READS.get(action, 1)):
            ctx.err(f"/usr/sbin/postconf: warning: open {master_cf}: No such file or directory\n")


def create_missing(machine: Machine, queue: str) -> None:
    """post-install create-missing: recreate queue directories a learner removed."""
    for name, (owner, group, mode) in QUEUE_DIRS.items():
        path = f"{queue}/{name}"
        if machine.exists(path):
            continue
        try:
            machine.mkdir(path, parents=True)
            machine.set_meta(path, owner=owner, group=group, mode=mode)
        except OSError:
            continue


def set_permissions(machine: Machine, settings: Settings) -> None:
    """``postfix set-permissions``: queue directories back to postfix-files' owners and modes."""
    queue = settings.get("queue_directory")
    create_missing(machine, queue)
    owner_dirs = {name: meta for name, meta in QUEUE_DIRS.items()}
    for name, (owner, group, mode) in owner_dirs.items():
        path = f"{queue}/{name}"
        try:
            machine.set_meta(path, owner=owner, group=group, mode=mode)
        except OSError:
            continue
    data = settings.get("data_directory")
    if machine.is_dir(data):
        machine.set_meta(data, owner=settings.get("mail_owner"), group=settings.get("mail_owner"))


def check_fatal(ctx: Context, settings: Settings, script: Script, starting: bool = False) -> bool:
    """Missing master.cf, missing postlog service, unreadable queue directories."""
    machine = ctx.machine
    queue = settings.get("queue_directory")
    create_missing(machine, queue)
    config = settings.get("config_directory")
    if not machine.is_file(config + "/master.cf"):
        script.fatal(f"no {config}/master.cf file found")
        return False
    if settings.get("maillog_file") and not _has_postlog(machine, config):
        script.fatal("missing 'postlog' service in master.cf - run 'postfix upgrade-configuration'")
        return False
    owner = settings.get("mail_owner")
    for name in SCANNED_BY_POSTSUPER:
        try:
            st = machine.stat(f"{queue}/{name}")
        except OSError:
            continue
        if st.owner != owner and not st.mode & 0o005:
            ctx.err(f"postsuper: fatal: scan_dir_push: open directory {name}: Permission denied\n")
            machine.syslog(
                "postfix/postsuper",
                machine.allocate_pid(),
                f"fatal: scan_dir_push: open directory {name}: Permission denied",
            )
            return False
    return True


def _has_postlog(machine: Machine, config: str) -> bool:
    try:
        text = machine.read_text(config + "/master.cf")
    except OSError:
        return False
    return any(
        line.split()[:2] == ["postlog", "unix-dgram"]
        for line in text.split("\n")
        if line and not line.startswith(("#", " ", "\t"))
    )


def _walk(machine: Machine, top: str) -> list[tuple[str, Stat]]:
    """``find TOP`` (TOP itself first, then depth-first), as (shown path, stat) pairs."""
    out: list[tuple[str, Stat]] = []
    try:
        st = machine.lstat(top)
    except OSError:
        return out
    out.append((top, st))
    if st.is_dir:
        try:
            names = machine.listdir(top)
        except OSError:
            return out
        base = top.rstrip("/") if not top.endswith("/.") else top
        for name in names:
            out.extend(_walk(machine, f"{base}/{name}"))
    return out


def _writable(st: Stat) -> bool:
    return bool(st.mode & 0o022) and not st.is_link


def check_warn(ctx: Context, settings: Settings, script: Script) -> None:
    """The ownership and permission walks of check-warn, in the script's order."""
    machine = ctx.machine
    queue = settings.get("queue_directory")
    owner = settings.get("mail_owner")
    setgid = settings.get("setgid_group")
    command_dir = settings.get("command_directory")
    top = [(f"{queue}/.", _stat(machine, queue)), (f"{queue}/pid", _stat(machine, queue + "/pid"))]
    for shown, st in top:
        if st is not None and st.owner != "root":
            script.warn(f"not owned by root: {shown}")
    for shown, st in top:
        if st is not None and _writable(st):
            script.warn(f"group or other writable: {shown}")

    roots = {
        settings.get("config_directory") + "/.",
        settings.get("daemon_directory") + "/.",
        settings.get("meta_directory") + "/.",
    }
    shlib = settings.get("shlib_directory")
    if shlib != "no":
        roots.add(shlib + "/.")
    trees = [entry for root in sorted(roots) for entry in _walk(machine, root)]
    for shown, st in trees:
        if st.owner != "root":
            script.warn(f"not owned by root: {shown}")
    for shown, st in trees:
        target = _follow(machine, shown, st)
        if target is not None and _writable(target):
            script.warn(f"group or other writable: {shown}")
    for shown, st in trees:
        if st.is_link and shown != "/etc/postfix/./makedefs.out" and "/" in (st.target or ""):
            script.warn(f"symlink leaves directory: {shown}")

    data = _walk(machine, settings.get("data_directory") + "/.")
    for shown, st in data:
        if st.owner != owner:
            script.warn(f"not owned by {owner}: {shown}")
    for shown, st in data:
        if _writable(st):
            script.warn(f"group or other writable: {shown}")

    names = _listdir(machine, queue)
    for name in names:
        if name in OWNED_BY_MAIL_OWNER:
            for shown, st in _walk(machine, f"{queue}/{name}"):
                if st.owner != owner:
                    script.warn(f"not owned by {owner}: {shown}")
    maildrop = _stat(machine, queue + "/maildrop")
    if maildrop is not None and maildrop.owner != owner:
        script.warn(f"not owned by {owner}: {queue}/maildrop")

    for path in (
        f"{command_dir}/postqueue",
        f"{command_dir}/postdrop",
        f"{queue}/public",
        f"{queue}/maildrop",
    ):
        st = _stat(machine, path)
        if st is not None and st.group != setgid:
            script.warn(f"not owned by group {setgid}: {path}")
    for path in (f"{command_dir}/postqueue", f"{command_dir}/postdrop"):
        st = _stat(machine, path)
        if st is not None and (st.mode & 0o2111) != 0o2111:
            script.warn(f"not set-gid or not owner+group+world executable: {path}")

    for sub in ("bin", "etc", "lib", "sbin", "usr"):
        base = f"{queue}/{sub}"
        if not machine.is_dir(base):
            continue
        entries = _walk(machine, base)
        for shown, st in entries:
            if st.owner != "root":
                script.warn(f"not owned by root: {queue}/{shown[len(queue) + 1 :]}")
        for shown, st in entries:
            rel = shown[len(queue) + 1 :]
            if st.is_file and machine.is_file("/" + rel):
                if machine.read_bytes(shown) != machine.read_bytes("/" + rel):
                    script.warn(f"{queue}/{rel} and /{rel} differ")

    for shown, st in _walk(machine, queue + "/corrupt"):
        if st.is_file:
            script.warn(f"damaged message: corrupt/{shown[len(queue) + 9 :]}")

    if machine.is_file("/usr/sbin/sendmail") and machine.is_file("/usr/lib/sendmail"):
        if machine.read_bytes("/usr/sbin/sendmail") != machine.read_bytes("/usr/lib/sendmail"):
            script.warn("/usr/lib/sendmail and /usr/sbin/sendmail differ")
            script.warn("Replace one by a symbolic link to the other")


def _stat(machine: Machine, path: str) -> Stat | None:
    try:
        return machine.stat(path)
    except OSError:
        return None


def _follow(machine: Machine, shown: str, st: Stat) -> Stat | None:
    if not st.is_link:
        return st
    return _stat(machine, shown)


def _listdir(machine: Machine, path: str) -> list[str]:
    try:
        return machine.listdir(path)
    except OSError:
        return []
