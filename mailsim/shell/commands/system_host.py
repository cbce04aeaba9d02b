"""The host's identity: hostname (net-tools 3.23) and uname (GNU coreutils 9.1).

The kernel is Debian 12's; the names come from the machine and its /etc/hosts, as
getaddrinfo would find them.
"""

from __future__ import annotations

import re

from mailsim.shell.commands.files_common import try_help
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

KERNEL_RELEASE = "6.1.0-28-amd64"
KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)"
MACHINE = "x86_64"


HOSTNAME_USAGE = """\
Usage: hostname [-b] {hostname|-F file}         set host name (from file)
       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name
       hostname                                 display host name

       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)
       {yp,nis,}domainname                      display NIS domain name

       dnsdomainname                            display dns domain name

       hostname -V|--version|-h|--help          print info and exit

Program name:
       {yp,nis,}domainname=hostname -y
       dnsdomainname=hostname -d

Program options:
    -a, --alias            alias names
    -A, --all-fqdns        all long host names (FQDNs)
    -b, --boot             set default hostname if none available
    -d, --domain           DNS domain name
    -f, --fqdn, --long     long host name (FQDN)
    -F, --file             read host name or NIS domain name from given file
    -i, --ip-address       addresses for the host name
    -I, --all-ip-addresses all addresses for the host
    -s, --short            short host name
    -y, --yp, --nis        NIS/YP domain name

Description:
   This command can get or set the host name or the NIS domain name. You can
   also get the DNS domain or the FQDN (fully qualified domain name).
   Unless you are using bind or NIS for host lookups you can change the
   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is
   part of the FQDN) in the /etc/hosts file.
"""


def hosts_entry(ctx: Context, name: str) -> tuple[str, str, list[str]] | None:
    """(address, canonical name, aliases) of the first /etc/hosts line naming ``name``."""
    try:
        text = ctx.machine.read_text("/etc/hosts")
    except OSError:
        return None
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and name in words[1:]:
            return words[0], words[1], words[2:]
    return None


def fqdn(ctx: Context) -> str:
    """The canonical name of the running host name, as getaddrinfo finds it in /etc/hosts."""
    name = ctx.machine.hostname
    entry = hosts_entry(ctx, name)
    return entry[1] if entry else name


@command(
    "hostname",
    synopsis="hostname [-b] {hostname|-F file}",
    summary="show or set the system's host name",
)
def hostname(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "aAdfFbhiIsVy",
            [
                "alias",
                "all-fqdns",
                "domain",
                "fqdn",
                "long",
                "file",
                "boot",
                "help",
                "ip-address",
                "all-ip-addresses",
                "short",
                "version",
                "yp",
                "nis",
            ],
        )
    except GetoptError as exc:
        ctx.err(f"hostname: {exc}\n")
        ctx.out(HOSTNAME_USAGE)
        return 255
    flags = {o for o, _ in opts}
    if flags & {"-h", "--help"}:
        ctx.out(HOSTNAME_USAGE)
        return 0
    if flags & {"-V", "--version"}:
        ctx.out("hostname 3.23\n")
        return 0
    if len(operands) > 1:
        ctx.err(HOSTNAME_USAGE)
        return 255
    if operands:
        if not ctx.is_root:
            ctx.err("hostname: you must be root to change the host name\n")
            return 1
        name = operands[0]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]{0,63}", name) or ".." in name:
            ctx.err("hostname: the specified hostname is invalid\n")
            return 1
        ctx.machine.set_hostname(name)
        return 0
    name = ctx.machine.hostname
    if flags & {"-f", "--fqdn", "--long", "-A", "--all-fqdns"}:
        ctx.out(fqdn(ctx) + (" \n" if flags & {"-A", "--all-fqdns"} else "\n"))
    elif flags & {"-d", "--domain"}:
        full = fqdn(ctx)
        ctx.out((full.split(".", 1)[1] if "." in full else "") + "\n")
    elif flags & {"-s", "--short"}:
        ctx.out(name.split(".", 1)[0] + "\n")
    elif flags & {"-a", "--alias"}:
        entry = hosts_entry(ctx, name)
        ctx.out(" ".join(entry[2]) + "\n" if entry and entry[2] else "\n")
    elif flags & {"-i", "--ip-address"}:
        entry = hosts_entry(ctx, name)
        if entry is None:
            ctx.err("hostname: Name or service not known\n")
            return 1
        ctx.out(entry[0] + "\n")
    elif flags & {"-I", "--all-ip-addresses"}:
        addrs = [
            a.ip
            for iface in ctx.machine.interfaces()
            if iface.name != "lo"
            for a in iface.addresses
        ]
        ctx.out("".join(a + " " for a in addrs) + "\n")
    elif flags & {"-y", "--yp", "--nis"}:
        ctx.err("hostname: Local domain name not set\n")
        return 1
    else:
        ctx.out(name + "\n")
    return 0


@command("uname", synopsis="uname [OPTION]...", summary="print system information")
def uname(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "asnrvmpio",
            [
                "all",
                "kernel-name",
                "nodename",
                "kernel-release",
                "kernel-version",
                "machine",
                "processor",
                "hardware-platform",
                "operating-system",
                "help",
                "version",
            ],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    if operands:
        ctx.err(f"uname: extra operand ‘{operands[0]}’\n")
        ctx.err("Try 'uname --help' for more information.\n")
        return 1
    long_to_short = {
        "--all": "-a",
        "--kernel-name": "-s",
        "--nodename": "-n",
        "--kernel-release": "-r",
        "--kernel-version": "-v",
        "--machine": "-m",
        "--processor": "-p",
        "--hardware-platform": "-i",
        "--operating-system": "-o",
    }
    flags = {long_to_short.get(o, o) for o, _ in opts}
    if "--version" in flags:
        ctx.out("uname (GNU coreutils) 9.1\n")
        return 0
    if "--help" in flags:
        ctx.out(
            "Usage: uname [OPTION]...\nPrint certain system information.  With no OPTION, "
            "same as -s.\n"
        )
        return 0
    fields = [
        ("-s", "Linux"),
        ("-n", ctx.machine.hostname),
        ("-r", KERNEL_RELEASE),
        ("-v", KERNEL_VERSION),
        ("-m", MACHINE),
        ("-p", "unknown"),
        ("-i", "unknown"),
        ("-o", "GNU/Linux"),
    ]
    if not flags:
        flags = {"-s"}
    out = []
    for flag, value in fields:
        if flag in flags or ("-a" in flags and flag not in ("-p", "-i")):
            out.append(value)
    ctx.out(" ".join(out) + "\n")
    return 0
