#!/usr/bin/env python3
"""Build sandbox/, mailsim's default machine image, from a Debian 12 host.

The image is a Debian 12 machine called mail.example.com on which ssl-cert,
postfix, postfix-pcre, dovecot-core, dovecot-imapd, dovecot-pop3d,
dovecot-sieve, rsyslog and procmail were installed, in that order, as
"Internet Site" (see docs in /work/shared/DESIGN.md, "The default image").

Run it on a Debian 12 host that has those packages installed:

    python3 tools/build_sandbox.py            # rewrite sandbox/
    python3 tools/build_sandbox.py --blocks   # list comment blocks and their prose

Configuration files are taken from the installed packages.  Every setting
line and every commented-out setting stays, character for character, at
its Debian line number; every comment line that is English prose is
replaced by our own text (PROSE_TEXT below), so that the upstream comment
prose is not copied.  /etc/services is copied from netbase with only its
opening comment in our words (HEADER_REPLACED), its entries at their Debian
line numbers.  tests/test_sandbox_image.py checks these rules, and that a
rebuild reproduces the committed sandbox/ file for file.

Host identity is never copied: the host name, addresses, users, the
snakeoil key and the machine-id all come from this script.  The snakeoil
certificate and key are generated once (as Debian's make-ssl-cert does,
dated from the image's install day) and kept on later runs, so rebuilding
is stable.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import hashlib
import os
import posixpath
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SANDBOX = REPO / "sandbox"

IMAGE_VERSION = "2"  # 2: program files in /usr/bin, /usr/sbin, /usr/lib/{postfix,dovecot}
HOSTNAME = "mail"
DOMAIN = "example.com"
FQDN = f"{HOSTNAME}.{DOMAIN}"
SHADOW_DAY = 20417  # 2025-11-25, days since 1970-01-01: the day the image was "installed"

# ---------------------------------------------------------------------------
# Telling prose from settings
# ---------------------------------------------------------------------------
# A comment line is "prose" when it is English text.  Everything else is kept
# verbatim: settings, commented-out settings, section braces, includes,
# master.cf service lines and their -o options, rulers, empty "#" lines,
# value legends (d=directory), SQL and query examples, [option] synopses.

_SETTING_RES = [
    re.compile(r"^[A-Za-z_$][\w.\-/$]*\s*=(?!=)"),  # key = value
    re.compile(r"^!?[A-Za-z_][\w\-]*(\s+[^\s{}#]+)?\s*\{\s*(#.*)?$"),  # section {
    re.compile(r"^\}\s*$"),  # }
    re.compile(r"^!include"),  # !include / !include_try
    re.compile(r"^[\w.:\-\[\]]+\s+(inet|unix|fifo|pass|unix-dgram)\s+[-yn]\s"),  # master.cf
    re.compile(r"^-o\s"),  # master.cf -o name=value
    re.compile(r"^\$\w+"),  # postfix-files records, rsyslog $Directives
    re.compile(r"^(module|input|template|action|ruleset)\("),  # rsyslog
    re.compile(r"^(CREATE TABLE|\);|primary key)", re.I),  # SQL examples
    re.compile(r"^\w+ (varchar|bigint|integer|char)\b", re.I),
    re.compile(r"^(SELECT|FROM|home AS)\b"),  # continued query examples
    re.compile(r"^\[[\w=<>\-]+\]( \[[\w=<> \-]+\])*$"),  # [blocking=no] synopses
]

# Lines the patterns get wrong, matched on the stripped line.
FORCE_PROSE = frozenset(
    {
        "# key=value pairs to always set specific settings.",
        "# pop3_uidl_format=%m. For backwards compatibility we use apop3d inspired",
        "#   content-type=type or !type - Include/exclude content type. Excluding will",
        "# $default_internal_user.",
        "# ssl_verify_client_cert=yes. The file should contain the CA certificate(s)",
        "# auth_ssl_require_client_cert=yes in auth section.",
        "# auth_ssl_username_from_cert=yes.",
        "#               special_use=\\Trash mailbox.",
        # postfix-files: the flag legend is explanatory text
        "#\tp=preserve existing file, do not replace (postfix-install).",
        "#\tu=update owner/group/mode (post-install upgrade-permissions).",
        "#\tc=create missing directory (post-install create-missing).",
        "#\tr=apply owner/group recursively (post-install set/upgrade-permissions).",
        "#\to=obsolete, no longer part of Postfix",
    }
)
FORCE_SETTING = frozenset(
    {
        "# service type  private unpriv  chroot  wakeup  maxproc command + args",
        "#               (yes)   (yes)   (no)    (never) (100)",
        '#   lmtp    cmd="lmtpd -a" listen="localhost:lmtp" proto=tcp4',
        "#   plain login digest-md5 cram-md5 ntlm rpa apop anonymous gssapi otp",
        "#   gss-spnego",
        "# dict-type\tso-name (pathname)\tdict-function\tmkmap-function",
        "#\tname:type:owner:group:permission:flags",
    }
)


def classify(line: str) -> str:
    """'P' for a prose comment line, 'S' for anything that must stay verbatim."""
    s = line.strip()
    if not s.startswith("#"):
        return "S"
    if s in FORCE_PROSE:
        return "P"
    if s in FORCE_SETTING:
        return "S"
    body = s.lstrip("#").strip()
    if not body or re.fullmatch(r"[=#\-*~_ ]+", body):
        return "S"
    if re.fullmatch(r"#*\s*[A-Z][A-Z ]+[A-Z]\s*#+", body):  # rsyslog banners
        return "S"
    for pattern in _SETTING_RES:
        if pattern.search(body):
            return "S"
    return "P"


def prose_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first line number, length) of each run of prose lines; numbers from 1."""
    blocks = []
    i = 0
    while i < len(lines):
        if classify(lines[i]) == "P":
            j = i
            while j < len(lines) and classify(lines[j]) == "P":
                j += 1
            blocks.append((i + 1, j - i))
            i = j
        else:
            i += 1
    return blocks


# ---------------------------------------------------------------------------
# Our own comment text.  "@@ path" starts a file (path inside the image;
# copies of one Debian original, named on one "@@" line, share their text),
# "N: text" replaces the prose block that starts at line N, "+ text" adds a
# line to it.  A block may get fewer lines than Debian's; the rest become "#".
# ---------------------------------------------------------------------------
PROSE_TEXT = r"""
@@ etc/postfix/main.cf
1: Debian's short main.cf; every parameter is described in postconf(5).
4: Debian addition: when myorigin names a file, Postfix reads the domain
+ from the first line of that file.  Debian points it at the file
+ /etc/mailname, which the installer fills in.
12: Leave adding ".$mydomain" to bare host names to the mail clients.
15: Send the sender a notice when mail has been queued this long:
20: Behaviour defaults follow this compatibility level (see the
+ COMPATIBILITY_README); Debian sets it on new installs.
26: TLS: the server side uses the ssl-cert snakeoil pair

@@ etc/postfix/master.cf etc/postfix/master.cf.proto
2: Postfix master(8) service table.  Each service is one line; the columns
+ are documented in master(5) ("man 5 master").  A line that begins with
+ white space continues the service above it.
6: After editing, make the running master re-read it: postfix reload
17: Mail submission (port 587): pick the loopback-only line or the public one.
25:     Client restriction lists can be kept short here by pointing them
+     at your own mua_*_restrictions parameters, defined in main.cf, e.g.
+     smtpd_client_restrictions=$mua_client_restrictions
+     (the same pattern works for helo, sender, relay and recipient).
35: Implicit-TLS submission (port 465): again, loopback-only or public.
42:     As above: keep the lists in main.cf under mua_*_restrictions
+     and refer to them from here with -o overrides; this works for
+     client, helo, sender, relay and recipient restrictions.
82: Services below hand mail to programs that are not part of Postfix;
+ read those programs' own manuals for the options they accept.
85: Most of them are run through the pipe(8) delivery agent, whose manual
+ lists the macros (${recipient}, ${sender}, ${nexthop}, ...) that can
+ appear in argv=.
90: Courier maildrop (MAILDROP_README); main.cf then needs
+ maildrop_destination_recipient_limit=1
98: Cyrus IMAP: current versions simply use the "lmtp" service above.
100: Cyrus side (cyrus.conf), for example:
103: Postfix side (main.cf), one of:
109: Older Cyrus deliver program; main.cf then needs
+ cyrus_destination_recipient_limit=1
116: Even older Cyrus delivery, kept as an example.
123: UUCP transport (UUCP_README).
128: More pipe(8) transports for other software.

@@ etc/postfix/postfix-files
2: Maintained by the Postfix package: local changes get overwritten.
4: Inventory of the files and directories that make up Postfix.
+ postfix-install uses it to install, and post-install uses it to
+ fix ownership and permissions ("postfix set-permissions") and to
+ create missing queue directories.
10: Never add $command_directory or $shlib_directory here: an
+ uninstall would then remove everything below them.
15: One file or directory per line, fields separated by ":";
+ write "-" for an empty field; trailing empty fields may be left out.
19: Line layout:
21:	An empty group leaves the group of the file unchanged.
23: Types:
29: (*) For links the owner column holds the link target, and the
+     group and mode columns are not used.
32: Flags (a flag that is absent is off):
+
+	p=keep a file that is already there (postfix-install)
+	u=repair owner, group and mode on upgrades
+	c=create the directory when it is missing
+	r=set owner and group on everything below, too
+	o=no longer shipped by Postfix
+	1=may be missing when config_dir is not the compiled-in one.
41: Give "u" to everything with a special owner or mode, so that an
+ upgrade repairs it.
46: Keep this order: libraries and map plugins come before the
+ programs that load them.
66: Libraries and plugins first.
94: Only relevant when meta_directory equals daemon_directory.
133: Sample tables that Debian does not install

@@ etc/postfix/postfix-files.d/pcre.files

@@ etc/rsyslog.conf
1: rsyslogd(8) configuration, Debian 12 layout.
3: This host writes log files in the classic syslog format
+ (e.g. "Nov 25 08:29:01 mail postfix/smtpd[1234]: ..."):
15: UDP reception (port 514), off by default
19: TCP reception (port 514), off by default
29: Owner, group and modes for log files rsyslog creates.
38: Working directory for queues and state.
43: Drop-in files, read in name order.
53: Everything except authentication messages goes to syslog
58: One file per common facility
67: emerg messages reach every logged-in user.

@@ etc/rsyslog.d/postfix.conf
1: Postfix daemons run chrooted in /var/spool/postfix, so they log
+ through this extra socket inside the chroot (rsyslog skips it if
+ the dev/ directory does not exist).

@@ etc/nsswitch.conf
1: Name service switch configuration
3: Which sources the C library consults for each database, in order;
+ see nsswitch.conf(5).

@@ etc/default/useradd
1: Defaults for useradd(8), the low-level account tool.
3: Login shell for new accounts. Debian keeps the plain
+ POSIX shell here; adduser and useradd -s choose another.
10: Primary group when -n is given.
+ 100 is "users" on Debian.
+
+
+ Without -n or -g, useradd makes a group named after the
+ user instead.
19: Where home directories are made.
22: Days after a password expires before the account
+ is locked for good.
26: Date the account expires.
29: Files copied into a new home directory with -m
+ (.profile, .bashrc and friends).
34: Whether useradd creates /var/mail/USER
+ for the new account.
@@ etc/dovecot/dovecot.conf
1: Dovecot 2.3 main configuration
3: Overview of the settings: https://doc.dovecot.org/ (2.3 documentation).
5: "doveconf -n" prints only the settings that differ from the defaults;
+ that output is the thing to share when asking for help.
8: A "#" starts a comment that runs to the end of the line, and blanks
+ around values are dropped.  Quote a value that must keep either one,
+ for example: key = "value with # and trailing blanks  "
12: Many settings may also be given inside a protocol, local or remote
+ section, so that they only apply to that protocol or address, e.g.:
+ protocol pop3 { ... }  local 192.0.2.25 { ... }  remote 192.0.2.0/24 { ... }
16: A commented-out setting shows its built-in default; there is no need
+ to uncomment it.  Sections (namespace { } and friends) and plugin
+ settings are only examples and are not active by default.  Example paths
+ assume the Debian build layout: binaries under /usr, configuration under
+ /etc, state under /var.
23: Protocols: one file per installed dovecot-*d package
26: Addresses to listen on, separated by commas.  "*" means every IPv4
+ address and "::" every IPv6 address.  Ports and per-service listeners
+ are set in conf.d/10-master.conf.
32: Where the running daemons keep their sockets and pid file.
35: Instance name, shown in ps output; with several Dovecot instances,
+ doveadm -i NAME picks one (the same job as -c CONFIG).
41: Banner sent to clients when they connect.
44: Networks (space separated) allowed to pass the real client address and
+ port on to Dovecot, typically IMAP/POP3 proxies; connections from them
+ are also exempt from disable_plaintext_auth.
50: Sockets asked whether a login may proceed, e.g. tcpwrap.
53: Addresses that count as this server when a passdb returns proxy_maybe=yes
+ (useful behind a load balancer).
58: Put the user name and client address in the process titles shown by
+ ps, which helps to see who is using which process.
63: Kill all child processes when the master process stops.  "no" lets
+ client sessions survive a restart, for instance during an upgrade.
69: When non-zero, mail commands are run through this many doveadm
+ server connections rather than inside the calling process.
72: Where the doveadm server listens (socket path or host:port).
75: Environment variables (space separated) kept for the child processes;
+ NAME=VALUE entries set a variable to a fixed value.
81: dict server
84: The dict service stores key/value data for plugins such as quota.
+ Each name listed here is served by the dict process and can be used
+ elsewhere as "proxy::NAME".
94: The rest of the configuration lives in conf.d/.  Files are read in
+ ASCII order of their names, which is why they carry number prefixes.
99: Optional local additions; no error if the file does not exist:

@@ etc/dovecot/conf.d/10-auth.conf
2: Authentication
5: Refuse LOGIN and other plaintext mechanisms on connections that are
+ not protected by SSL/TLS; the server then advertises LOGINDISABLED.
+ Connections from this host itself (same local and remote address)
+ are always treated as secure.  Related: the ssl = required setting.
12: Size of the authentication cache (e.g. 10M); 0 turns it off.  With PAM
+ or bsdauth the cache also needs a cache_key.
15: How long a cached entry is trusted.  If the backend fails with an
+ internal error, an expired entry is still used.  After a failed login
+ that follows a successful one, the cache is bypassed so that a changed
+ password takes effect (plaintext mechanisms only).
21: Cache lifetime for failures (unknown user, wrong password);
+ 0 means failures are not cached.
25: Realms offered to SASL mechanisms that use them, separated by spaces.
+ Leave empty for a single realm; list the default realm first, since
+ many clients just take the first one.
31: Realm/domain assumed when the client gives none; also appended
+ as @domain to plaintext user names.
35: Characters a user name may contain; any other character makes the
+ login fail at once.  This guards SQL and LDAP lookups against quoting
+ tricks.  An empty value allows every character.
42: Characters to replace in the user name before any lookup, written as
+ pairs of from/to characters: "#@/@" turns both # and / into @.
47: Reformat the user name before lookups, using the usual % variables:
+ %Lu lower-cases it, %n drops the domain, "%n-AT-%d" replaces the "@".
+ Applied after auth_username_translation.
53: Separator that lets a master user log in as another user by typing
+ "user<separator>masteruser" as the login name (without SASL's own
+ authorization id).  "*" is a common choice.
60: Login name given to clients that use the ANONYMOUS mechanism
63: Upper limit of auth worker processes, which run the blocking passdb
+ and userdb lookups (PAM, SQL, ...); they come and go as needed.
68: Host name used in GSSAPI principals; by default gethostname().
+ "$ALL" (quoted) accepts every entry of the keytab.
73: Kerberos keytab for GSSAPI; the system default (normally
+ /etc/krb5.keytab) when empty.  Reading it may need auth to run as root.
78: NTLM and GSS-SPNEGO through Samba's winbind and ntlm_auth helper.
82: Location of Samba's ntlm_auth program.
85: Pause before answering a failed authentication.
88: Fail authentication when the client has no valid SSL certificate.
91: Use the CommonName of the client certificate's subject as the
+ user name.
96: Enabled SASL mechanisms, separated by spaces; possible ones:
99: Plaintext mechanisms are restricted by disable_plaintext_auth.
103: Password databases (passdb) and user databases (userdb)
107: A passdb checks the password; that is all it does.  Several passdbs
+ and userdbs may be combined, for example system accounts from
+ /etc/passwd together with virtual users kept elsewhere.
112: Documentation: Password databases
114: A userdb says where a user's mail lives and under which UID/GID it
+ is accessed; "static" suits setups where one UID owns all mail.
117: Documentation: User databases

@@ etc/dovecot/conf.d/10-director.conf
2: Director
5: In a cluster of Dovecot proxies, the director makes sure that all
+ connections of one user go to the same backend while that user has
+ any connection open.  Every proxy runs a director and the directors
+ share their state.  Mostly used with NFS-backed storage.
11: Every director in the ring, this one included (ip or ip:port); without
+ a port the director's inet_listener port is used.
16: Backend mail servers; ranges such as 10.0.0.10-10.0.0.30 work too.
20: Keep the user-to-backend mapping this long after the user's last
+ connection has closed.
24: Form of the user name that is hashed: %Ln ignores the domain,
+ %Ld keeps all users of a domain on one backend.
29: Director service; set the modes and a port to turn it on.
45: Login services talk to the director socket instead of the normal
+ login socket when these lines are enabled:
57: LMTP proxying through the director:

@@ etc/dovecot/conf.d/10-logging.conf
2: Where logs go
5: Error log: "syslog" sends messages to syslog, /dev/stderr to
+ standard error, anything else is a file name.
9: Informational messages; empty means the same as log_path.
11: Debug messages; empty means the same as info_log_path.
14: Syslog facility; "mail" is normal, local0 to local7 are the usual
+ alternatives.
20: How much to log
23: Log filters are conditions separated by spaces; the filter matches when
+ any condition matches (OR).  Use parentheses to group conditions
+ that must hold together.
27: Event filter syntax: Dovecot documentation, "event filter".
29: Example: category=auth OR (event=imap_command_finished AND user=alice)
31: Debug logging selected by a filter; the successor of mail_debug
+ and auth_debug.
35: Abort (and dump core) on a matching event, e.g. category=error;
+ only for debugging.
39: Log why authentication attempts failed.
42: On a password mismatch also log the password that was tried: no,
+ plain or sha1 (a hash shows repeated guesses without revealing them).
+ Append :N to keep only N characters, e.g. sha1:6.
48: Very detailed authentication logging, including SQL queries.
52: On a mismatch, log the passwords and the scheme that was used
+ (turns on auth_debug as well).
56: Debug output from mail processes, e.g. to see why no mail is found.
60: Log SSL errors at the protocol level.
63: Extra event logging for mail processes (mail_log plugin).
65: Which events; flag_change and append can be added too.
67: Which fields: uid, box, msgid, from, subject, size, vsize, flags
+ (size and vsize only for expunge and copy).
73: Log line format
76: Timestamp prefix, in strftime(3) notation.
80: Elements of the login log line, separated by spaces; elements whose
+ value is empty are left out and the rest are joined with commas.
85: Login log line: %$ is the message itself, %s the elements above.
89: Prefix of mail process log lines; the % variables are listed in the
+ Dovecot documentation.
93: Log line for each delivery.  Some of the variables:
+  %$  delivery result, e.g. "saved to INBOX"
+  %m  Message-ID            %s  Subject
+  %f  From address          %e  envelope sender (MAIL FROM)
+  %p  size on disk          %w  virtual size
+  %{to_envelope}  envelope recipient (RCPT TO)
+  %{delivery_time}  milliseconds spent delivering
+  %{session_time}  LMTP session time without delivery_time
+  %{storage_id}  storage-specific id (Maildir: file name)
@@ etc/dovecot/conf.d/10-mail.conf
2: Where mail is stored, and namespaces
5: Format and path of the users' mailboxes.  Left empty, Dovecot tries to
+ guess, which fails for a user who has never received mail; so it is
+ better to set it.
10: For mbox, naming the INBOX file (such as /var/mail/%u) is not enough:
+ Dovecot also needs the directory that holds the user's other mailbox
+ files.  That "mail root" comes first in the value, the INBOX follows as
+ INBOX=path.
15: Variables that may appear in the value include:
17:   %u  full user name
+   %n  user name without @domain
+   %d  domain of user@domain (empty if there is none)
+   %h  home directory
22: Other variables are listed in the Dovecot documentation.  Examples:
28: Documentation: Mail location
32: For several mail locations, or to change how mailboxes are presented,
+ use namespace sections.
35: A private namespace holds the user's own mail, a shared one gives
+ access to mailboxes other users have shared, and a public one holds
+ mailboxes the administrator provides.  Shared or public namespaces
+ normally go together with the ACL plugin; without it anyone may open
+ any shared mailbox the file permissions let them read.
43: private, shared or public
46: Hierarchy separator.  Use one separator for every namespace, or some
+ clients get confused; "/" is a safe choice.  The default depends on the
+ mailbox format.
51: Prefix that selects this namespace, unique per namespace, e.g. "Public/".
55: Where this namespace's mailboxes are; empty means mail_location.
59: Exactly one namespace contains the INBOX; this one does.
63: A hidden namespace is not reported by the NAMESPACE command (you will
+ usually also want list = no).  Handy for keeping old prefixes such as
+ "~/mail/" or "mail/" working after a migration without showing them.
70: List this namespace's mailboxes in LIST replies, so that clients without
+ NAMESPACE support see them; "children" lists the mailboxes but not the
+ prefix itself.
75: This namespace keeps its own subscription list; "no" hands that job to
+ the parent namespace (the one with the empty prefix must say "yes").
79: Special-use mailboxes are defined in 15-mailboxes.conf.
82: Sample namespace for mailboxes shared between users
87: They appear as "shared/user@domain/"; the doubled %% variables are
+ expanded for the owner of the shared mailbox.
91: Location of the other user's mail.  Plain %variables and ~/ refer to the
+ user who is logged in; %%n, %%d, %%u and %%h refer to the owner.
96: Subscriptions go to the default namespace.
99: List shared/ only when something is actually shared.
102: Show another user's INBOX as "shared/user" (no) or "shared/user/INBOX" (yes).
105: UID and GID used to access mail when the userdb does not return them
+ (names or numbers).  With several system users, let the userdb return
+ uid and gid fields instead.  Documentation: UserIds.
111: Extra group taken on briefly for privileged work, e.g. creating or
+ dot-locking an INBOX in /var/mail; on Debian that group is "mail".
116: Supplementary groups granted to all mail processes, e.g. for shared
+ mailboxes.  Careful: with "mail" here, a user could symlink /var/mail
+ into their own mail directory and delete other users' mailboxes.
123: Let clients use any path the process may read (mailbox names like
+ /path/ or ~user/); only the operating system's permissions apply.
129: key=value store for mailbox attributes, needed by the METADATA and
+ URLAUTH extensions.
133: Free text about this server, readable by logged-in users as the
+ METADATA entry "/shared/comment".
138: How to reach the administrator, as a URI (mailto:, tel:), readable by
+ logged-in users as the METADATA entry "/shared/admin".  RFC 5464 asks
+ for a URI; Dovecot does not check it.  Example: mailto:postmaster@example.com
146: Mail process behaviour
149: Never mmap() files; required when index files live on a network or
+ cluster filesystem.
153: Create dotlock files with O_EXCL (safe on NFS version 3 and later).
157: When Dovecot calls fsync()/fdatasync():
+   optimized  only where data could otherwise be lost (the default)
+   always     every time (e.g. NFS with delayed writes)
+   never      not at all: fastest, but a crash may lose mail
163: How index files are locked: fcntl, flock or dotlock.  dotlock costs
+ more disk I/O; on NFS flock does not work and mmap_disable is needed.
168: Temporary files, mainly for large messages (128 kB and more) being
+ delivered or uncompressed.
174: Lowest and highest UID allowed to log in, so that system accounts
+ cannot be used for mail.  root can never log in, whatever the value.
181: Same for the primary GID; supplementary groups outside the range are
+ silently dropped.
188: Longest keyword name a client may create.
192: Directories (separated by ":") below which mail processes may chroot,
+ using "/./" in a home directory to mark the chroot point.  Empty: "/./"
+ is ignored.  Does not concern login_chroot, mail_chroot or auth chroot.
+ Never list a directory local users can write to: that opens a path to
+ root.  Documentation: Chrooting.
201: Chroot directory for all mail processes; a home of the form
+ /home/./user chroots to /home for that user.  Seldom needed: Dovecot
+ already keeps users inside their mail directories.  If home paths
+ start with the chroot directory, end mail_chroot with "/.".
209: Socket of the auth master used to look up users (imap for shared
+ mailboxes, the LDA).
213: Where mail plugins are loaded from.
216: Plugins for every mail service (space separated); the protocol files
+ add their own.
221: Speeding up mailbox access
224: Keep an index of the mailbox list; speeds up STATUS and is required
+ for the NOTIFY extension.
228: Believe the mailbox list index without checking the disk; saves I/O
+ but may give stale answers after a crash until folders are opened.
233: Keep the INBOX in the mailbox list index too (off: clients open
+ INBOX anyway).
237: Do not write to the cache file until a mailbox holds this many mails
+ (fewer writes, more reads).
242: While a client is in IDLE, look for changes at least this often
+ (inotify/kqueue report changes sooner where available).
248: Store messages with CRLF line ends.  Saves CPU when sending them out
+ (sendfile()), costs a little disk; other programs reading the files
+ might not expect the CRs.
255: Messages to open and prefetch ahead; 0 disables it.
259: Interval for removing leftover temporary files (0 = never).
263: Give up sorting after this many slow mail accesses; the client gets
+ "NO [LIMIT]" and a possibly incomplete SORT reply.
269: Above this many uncached mails, a folder size (vsize) is computed in
+ the background by the indexer instead; 0 disables that.  It must be 0
+ for indexer-worker itself.
277: Maildir
280: Check with stat() that LIST entries starting with a dot really are
+ directories (costs I/O unless the filesystem reports d_type).
287: Copy messages as hard links when possible (fast, no known drawbacks).
291: Assume nothing but Dovecot touches the Maildir: rescan cur/ only when
+ its mtime changes unexpectedly or a message cannot be found.
295: Ignore the S=<size> part of Maildir file names when getting a message's
+ size (except for Maildir++ quota).  For Maildirs with wrong sizes in
+ their names; costs very little.
301: Move new/ messages to cur/ even when \Recent is not reset.
306: mbox
309: Locking methods for mbox files:
+  dotlock      create <mailbox>.lock; the oldest method and NFS-safe,
+               but users need write access to the spool directory
+  dotlock_try  like dotlock, but carry on if the lock file cannot be
+               created (permissions, full disk)
+  fcntl        preferred; works on NFS when lockd runs
+  flock        not available everywhere; not on NFS
+  lockf        not available everywhere; not on NFS
319: Several methods may be combined.  Their order matters: use the same
+ order as every other program that locks these files, or deadlocks
+ can occur.  Some systems refuse certain combinations.
324: Debian locks in the order Debian Policy requires for mail spools
+ (fcntl first, then dotlock); upstream's order is the reverse:
+   upstream: dotlock fcntl
+   Debian:   fcntl dotlock
332: Give up waiting for the locks after this long.
335: Take over a dotlock whose mailbox has not changed for this long.
339: When an mbox changes behind Dovecot's back, normally the whole file is
+ read again.  With this setting Dovecot first assumes new mail was just
+ appended and reads only the new part, falling back to a full read when
+ that assumption fails.  Drawback: flag changes made by other programs
+ show up late.  SELECT, EXAMINE, EXPUNGE and CHECK still do full syncs.
350: Like mbox_dirty_syncs, but even SELECT, EXAMINE, EXPUNGE and CHECK skip
+ the full sync; mbox_dirty_syncs is then ignored.
354: Postpone writing headers until a full sync (EXPUNGE, CHECK, closing the
+ mailbox).  Good for POP3 clients that delete everything; other programs
+ see the changes later.
360: No index files for mboxes smaller than this (e.g. 100k); existing
+ indexes are still read.
364: Headers hashed for MD5-based POP3 UIDLs (pop3_uidl_format = %m).
+ "apop3d" is compatible with older servers but breaks when the first
+ Received: header is not unique; "all" hashes all headers.
371: mdbox
374: Start a new storage file when the current one reaches this size.
377: Or when it reaches this age (days counted from midnight: 1d is today,
+ 2d yesterday); 0 disables the check.
381: Reserve mdbox_rotate_size on disk when a file is created (Linux, on
+ ext4 or xfs only).
387: Attachments
390: sdbox and mdbox can store attachments as separate files, with single
+ instance storage; other formats cannot.
394: Base directory for attachment files; empty disables the feature.
397: Smaller attachments stay inside the message.
401: Storage backend for attachment files:
+  posix            plain files, no deduplication by Dovecot
+  sis posix        deduplicate, comparing bytes while saving
+  sis-queue posix  deduplicate later, in the background
407: Attachment file name template: %{md4} %{md5} %{sha1} %{sha256} %{sha512}
+ %{size} and any text; %{sha256:80} keeps the first 80 bits.
412: When to set the $HasAttachment / $HasNoAttachment keywords.  A MIME part
+ counts as an attachment when it is marked Content-Disposition:
+ attachment, or is inline with a file name.  Options:
+   add-flags        set the keywords on save, or on fetch when cheap
+   content-type=T   count (T) or never count (!T) parts of that type;
+                    a positive entry only undoes an exclusion, as in
+                    content-type=!image/* content-type=image/png
+   exclude-inlined  never count inline parts
@@ etc/dovecot/conf.d/10-master.conf
4: Virtual memory limit per service process; catches processes that leak
+ memory before they take the whole machine.
9: Account for the login processes, the least trusted part of Dovecot;
+ it should not be able to read anything.
13: Account for internal unprivileged processes; keep it distinct from the
+ login account so the two cannot interfere.
26: Connections served by one login process before it is replaced: 1 is
+ the safer choice, 0 (no limit) the faster one.  Documentation: Login
+ processes.
31: Idle login processes kept ready for new connections.
34: Raise this when service_count = 0.
59: An inet listener is only needed when the UNIX socket above cannot be used.
61: Do not expose LMTP to the whole network.
68: Memory goes mostly to mmap()ed index files; very large mailboxes may
+ need a higher limit.
72: Maximum simultaneous IMAP processes (one per connection).
77: Maximum simultaneous POP3 processes (one per connection).
82: Maximum simultaneous submission processes (one per connection).
87: The auth-userdb socket serves userdb lookups to the LDA, doveadm and
+ imap (auth_socket_path points here).  Whoever has full access to it
+ can list every user name and read everyone's userdb data.
92: With mode 0666 anyone may connect, but a lookup only succeeds when the
+ userdb result's uid matches the caller's UID, or when the caller's uid
+ or gid matches the socket owner or group.
97: Any other mode leaves access control to the file permissions, and
+ whoever may connect may look up everyone (0777 opens it to all).
106: Socket for Postfix SMTP AUTH (smtpd_sasl_type = dovecot)
111: Account the auth process runs as.
116: auth-worker runs as root by default so that it can read /etc/shadow;
+ without that need, make it run as the internal user,
+ for example $default_internal_user.
123: Mail processes using the dict proxy need access to this socket,
+ e.g. mode = 0660, group = vmail plus mail_access_groups = vmail.

@@ etc/dovecot/conf.d/10-ssl.conf
2: SSL/TLS
5: yes, no or required.  Documentation: SSL
8: Server certificate and private key, PEM encoded.  Dovecot reads them
+ while it is still root, so the key can stay readable by root only.
+ On Debian these are links to the ssl-cert snakeoil pair; replace them
+ (or point these settings elsewhere) for a real certificate.
15: Passphrase of an encrypted key; it can also be given with dovecot -p.
+ As this file is usually world-readable, better keep it in a root-only
+ file and write ssl_key_password = <that-file.
21: CA certificates (followed by their CRLs) used to check client
+ certificates when ssl_verify_client_cert = yes is set.
+ Example: ssl_ca = </etc/ssl/certs/our-ca.pem
26: Client certificates must pass the CRL check.
29: CA certificates trusted when Dovecot itself is the TLS client (imapc,
+ submission relay).  Debian keeps them in the /etc/ssl/certs directory;
+ Red Hat uses the single file /etc/pki/tls/cert.pem.  A large bundle in
+ ssl_client_ca_file costs a lot of memory, so prefer the directory.
39: As a client, insist on a valid server certificate.
42: Ask clients for a certificate; making it mandatory takes
+ auth_ssl_require_client_cert = yes as well.
46: Certificate field that becomes the user name (commonName or
+ x500UniqueIdentifier); takes auth_ssl_username_from_cert = yes too.
51: Diffie-Hellman parameters.  Debian ships a ready-made file; to make
+ your own: openssl dhparam -out /etc/dovecot/dh.pem 4096
57: Oldest protocol version accepted: SSLv3, TLSv1, TLSv1.1, TLSv1.2 or
+ TLSv1.3 (as far as the OpenSSL library supports them).
60: ANY and LATEST are accepted too: any version at all, or only the
+ newest one the library knows.
64: Built-in cipher list:
66: Same list without the finite-field DH ciphers:
69: Elliptic curves, separated by colons; empty uses the library's own
+ list.  Example value: P-521:P-384:P-256
74: Use the server's cipher preference instead of the client's.
77: OpenSSL engine to use ("openssl engine" lists them).
80: Further options:
+   compression  allow TLS compression
+   no_ticket    do not issue session tickets

@@ etc/dovecot/conf.d/10-tcpwrapper.conf
1: TCP wrappers (hosts.allow / hosts.deny) for Dovecot logins
3: The service names to use in hosts.allow and hosts.deny are the
+ inet_listener names from 10-master.conf.

@@ etc/dovecot/conf.d/15-lda.conf
2: Local delivery (dovecot-lda; LMTP uses these too)
5: Sender of bounce mails; empty means postmaster@%d, %d being the
+ recipient's domain.
9: Host name used in generated mail (Message-ID) and in LMTP replies;
+ by default the system's fully qualified name.
13: A user over quota gets a temporary error (mail stays queued) instead
+ of a bounce.
17: Program used to send mail out.
20: Send via this SMTP server (host[:port]) instead of sendmail_path.
23: Subject of rejection mails; same variables as rejection_reason.
27: Text of rejection mails.  %n is a line break, %r the reason,
+ %s the original subject, %t the recipient.
31: Separates the local part from the extension (user+ext@domain).
34: Header that holds the original RCPT TO address when it is not known
+ otherwise (dovecot-lda -a takes precedence), often X-Original-To.
39: Create a missing mailbox when mail is delivered into it.
42: Subscribe to mailboxes created that way.
46: Plugins for LDA, separated by spaces (default: global mail_plugins).

@@ etc/dovecot/conf.d/15-mailboxes.conf
2: Special mailboxes
5: One "mailbox NAME { }" section per mailbox; quote names that contain
+ spaces.  Settings available inside:
9: The auto setting:
+   whether the mailbox is created (and subscribed) by itself the first
+   time it is used:
15:     no        - leave it to the user
+     create    - create it, no subscription
+     subscribe - create it and subscribe to it
19: The special_use setting:
+   SPECIAL-USE flags (RFC 6154), separated by spaces.  Dovecot does not
+   check them, but clients only understand the standard ones:
25:     \All       - virtual mailbox showing every message
+     \Archive   - archived messages
+     \Drafts    - unfinished messages
+     \Flagged   - virtual mailbox of messages with the \Flagged flag
+     \Important - virtual mailbox of messages marked important
+     \Junk      - spam
+     \Sent      - copies of sent messages
+     \Trash     - deleted messages
40: The comment setting:
+   default text for the METADATA entries "/shared/comment" and
+   "/private/comment"; users with enough rights may change it.
47: These belong to the "inbox" namespace set up in 10-mail.conf.
49: Common mailboxes that clients expect (auto is not set here):
60: Clients use either of two names for sent mail, so both carry \Sent;
+ users usually delete the one they do not need.
69: For a virtual "All messages" mailbox:
75: For a virtual "Flagged" mailbox:
81: For a virtual "Important" mailbox:

@@ etc/dovecot/conf.d/20-imap.conf
2: IMAP
5: After this long in IDLE, hand the connection to the imap-hibernate
+ process and end the imap process; hibernated connections need very
+ little memory, at the price of restarting imap when the client wakes.
11: Longest accepted IMAP command line.  Raise it when clients with very
+ large mailboxes get "Too long argument" or "command line too large".
16: Summary logged at IMAP logout.  Variables include:
+  %i  bytes received from the client
+  %o  bytes sent to the client
+  %{fetch_hdr_count} / %{fetch_hdr_bytes}
+      messages / bytes of header data sent
+  %{fetch_body_count} / %{fetch_body_bytes}
+      messages / bytes of body data sent
+  %{deleted}   messages the client marked \Deleted
+  %{expunged}  messages the client expunged
+  %{autoexpunged}  messages expunged automatically after logout
+  %{trashed}   messages copied or moved to the \Trash mailbox
+  %{appended}  messages saved during the session
36: Replace the CAPABILITY reply; a value starting with "+" adds to the
+ default list instead (e.g. +XFOO XBAR).
40: Interval between "OK Still here" messages during IDLE.
44: ID fields (and values) sent to clients; "*" sends the built-in value.
+ Fields with built-in values: name, version, os, os-version,
+ support-url, support-email, revision.
50: Client ID fields to log; "*" logs all of them.
53: Workarounds for client bugs:
+   delay-newmail
+     report new mail (EXISTS/RECENT) only in replies to NOOP and
+     CHECK; for old clients that ignore it elsewhere (old OS X Mail,
+     Outlook Express).
+   tb-extra-mailbox-sep
+     ignore the trailing "/" Thunderbird adds to mailbox names with
+     LAYOUT=fs (mbox, dbox).
+   tb-lsub-flags
+     send \Noselect in LSUB replies with LAYOUT=fs, so that Thunderbird
+     greys out mailboxes that cannot be selected.
70: Separate several workarounds with spaces.
73: Host accepted in client URLAUTH URLs; "*" accepts any.
76: Offer LITERAL- instead of LITERAL+.
79: What to do when FETCH hits an internal error:
+   disconnect-immediately
+     stop the FETCH and drop the connection.
+   disconnect-after
+     return what can be returned, then drop the connection without a
+     tagged reply.
+   no-after
+     like disconnect-after but answer with a tagged NO; a client that
+     asks for the same broken mail again is disconnected, so it cannot
+     loop forever.
93: Plugins for IMAP, separated by spaces (default: global mail_plugins).
96: Connection limit per user and client address.
+ User names are compared case-sensitively.

@@ etc/dovecot/conf.d/20-pop3.conf
2: POP3
5: Do not mark messages as seen or old during POP3 sessions (less disk
+ I/O: Maildir files stay in new/, mbox Status: headers are not written).
10: Accept the obsolete LAST command; RSET then also clears all \Seen
+ flags.
15: Use an X-UIDL header as the message's UIDL when present.
18: At most one POP3 session per user at a time.
21: POP3 sizes are supposed to count CRLF line ends.  Many servers report
+ LF sizes because they are cheaper.  With this setting Dovecot still
+ tries to give the exact size, but falls back to the cheap one when
+ the exact size would mean opening the message.
28: Format of POP3 UIDLs.  Variables (modifiers as in the Dovecot
+ documentation, e.g. %Uf = file name in upper case):
32:  %v  UIDVALIDITY of the mailbox
+  %u  IMAP UID of the message
+  %m  MD5 over the message headers, hex (mbox only)
+  %f  file name (Maildir only)
+  %g  GUID of the message
38: Formats that match other POP3 servers:
+  UW ipop3d           %08Xv%08Xu
+  Courier             %f or %v-%u (both have been used)
+  Cyrus up to 2.1.3   %u
+  Cyrus 2.1.4 and up  %v.%u
+  Dovecot 0.99        %v.%u
+  tpop3d              %Mf
46: Avoid %v.%u on a new server: some Outlook versions mishandle it.
+ %08Xu%08Xv is a robust choice.
52: Remember the UIDLs already given to clients, so that changing
+ pop3_uidl_format does not change them (Maildir only).
56: Handling of duplicate UIDLs:
+   allow   show them as they are
+   rename  add -2, -3, ... to the duplicates
61: POP3 deletions only hide messages from later POP3 sessions; the
+ messages stay (and count against quota) until removed over IMAP.  The
+ value is the IMAP keyword used for hiding, e.g. "$POP3Deleted".
+ Only use it where keeping such mail is allowed.
68: Summary logged at POP3 logout.  Variables:
+  %i / %o  bytes received from / sent to the client
+  %t / %p  TOP commands / bytes sent for them
+  %r / %b  RETR commands / bytes sent for them
+  %d / %{deleted_bytes}  messages deleted / their size
+  %m / %s  messages / mailbox size before deletion
+  %u  old and new UIDL hash (shows whether UIDLs changed)
82: Workarounds for client bugs:
+   outlook-no-nuls  replace NUL bytes with 0x80 (old Outlook hangs)
+   oe-ns-eoh        always send the empty line ending the headers
+                    (old Outlook Express and Netscape need it)
+ Separate several workarounds with spaces.
93: Plugins for POP3, separated by spaces (default: global mail_plugins).
96: Connection limit per user and client address.
+ User names are compared case-sensitively.
@@ etc/dovecot/conf.d/90-acl.conf
2: Access control lists (acl plugin)
5: The vfile backend reads ACLs from a "dovecot-acl" file in each mailbox
+ directory.  Optionally, a global directory can hold ACL files that apply
+ to every user, one file per mailbox name (INBOX, sub.mailbox, ...).
+ cache_secs is how long a dovecot-acl file is trusted before it is
+ checked for changes again.
15: Listing mailboxes that other users have shared needs a dictionary of
+ shared mailboxes, e.g.:

@@ etc/dovecot/conf.d/90-plugin.conf
2: Plugins
5: A plugin's settings only matter once the plugin is listed in
+ mail_plugins.  The Dovecot documentation describes each plugin and its
+ settings; values undergo %variable expansion.

@@ etc/dovecot/conf.d/90-quota.conf
2: Quota (quota plugin)
5: The quota plugin must also be added to mail_plugins.
+ Documentation: Quota
9: Limits
12: Limits are quota_rule settings.  A userdb may return a "quota_rule"
+ extra field to give a user a different limit, and a rule may name a
+ mailbox, as in the second line below (100 MB more for Trash):
21: LDA/LMTP still accept the message that takes a user over the limit,
+ as long as the result stays within this margin (10% by default; an
+ absolute value such as 10M also works).
26: Largest message the quota plugin accepts.
31: Warnings
34: Run a command when a user crosses a quota limit.  Limits are per
+ quota root and only the first limit crossed triggers, so list the
+ highest first.  The command runs through the script service behind
+ the named socket (quota-warning, defined below).  Write % as %%,
+ otherwise "% " would expand to nothing.
46: Sample quota-warning service.  Mail processes must be allowed to
+ connect to its socket; the example assumes they run as vmail.  With
+ mode 0666, any local user could send warnings to anybody.
59: Backends
62: Available backends:
+   dirsize  add up the sizes of all files (very slow with Maildir)
+   dict     usage kept in a dictionary, e.g. SQL
+   maildir  Maildir++ quota
+   fs       filesystem quota, read only
76: Several quota roots can be combined, e.g. 100 MB per user plus 1 GB
+ for the whole domain:

@@ etc/dovecot/conf.d/90-sieve-extprograms.conf
1: Sieve extprograms plugin (pipe, filter, execute)
3: The plugin must be added to sieve_plugins, and the extensions used
+ (vnd.dovecot.pipe, vnd.dovecot.filter, vnd.dovecot.execute) enabled
+ through sieve_extensions or, better, sieve_global_extensions so that
+ only global scripts can run programs.
11: Socket directories for pipe, filter and execute (in that order).
+ Each socket in them is a program name that scripts may call.
19: Or directories with programs run directly, for pipe, filter and
+ execute.  Each file name is a program name that scripts may call.
28: Sample service "do-something" that receives piped messages
30: The script to run, passed to the script service
33: Run it as an unprivileged account
36: Socket inside sieve_pipe_socket_dir (see the
+ plugin { } section)
39: The LDA/LMTP process must be able to connect

@@ etc/dovecot/conf.d/90-sieve.conf
2: Sieve filtering (Pigeonhole)
5: For delivery-time filtering, add "sieve" to mail_plugins in the lda
+ protocol (15-lda.conf) and the lmtp protocol (20-lmtp.conf).
8: Sieve scripts can come from several kinds of location.  The usual
+ "file" kind is a path to one script or to a directory of scripts;
+ "dict" and "ldap" locations fetch scripts from a database.
14: Script location settings use this form:
19: Without a type prefix, the location is a file or directory path.
+ The Pigeonhole documentation lists the types and options.
25: The user's personal script, or script storage.  Delivery runs the
+ active script found here, the include extension looks here for
+ :personal scripts, and ManageSieve stores uploaded scripts here.
31: ManageSieve can only write to "file:" locations; the other kinds are
+ read-only sources.
35: For "file:", ";active=" names the symlink that points to the active
+ script; for the other kinds, ";name=" names the active script.
41: Script run only for users who have no personal script.  Compile it
+ beforehand with sievec when the compiled file cannot be written next to
+ it.  To run a script in addition to the user's, use sieve_before.
49: Name under which ManageSieve shows the sieve_default script.
53: Where the include extension looks for :global scripts.
56: Script run when a message would otherwise be thrown away, that is when
+ the implicit keep was cancelled (e.g. by "discard") and nothing else
+ stored the message.  It may still file the message somewhere; if it does
+ nothing, the message is discarded.
65: Scripts run before the user's own script.  A directory means every
+ *.sieve file in it, in byte order of the file names.
71: More locations are added with numbered names (sieve_before2,
+ sieve_before3, ...), run in that order; numbering stops at the first
+ gap.
80: Scripts run after the user's script (only while keep is still in
+ effect); also numbered.
87: Extensions available to user scripts.  By default all supported ones
+ except deprecated and experimental extensions.  "+name" adds and
+ "-name" removes relative to that default; for example
+ sieve_extensions = +imapflags brings back the deprecated imapflags.
97: Extensions available only to global scripts, for ones that should stay
+ under the administrator's control (e.g. running programs).  Takes
+ precedence over sieve_extensions: user scripts never get them.  Same
+ +/- syntax.  Empty by default.
109: Plugins of the Sieve interpreter itself, e.g. sieve_extprograms
+ (shipped with this package).
116: Largest script that sievec and ManageSieve accept (0 = unlimited).
121: Most actions one script run may perform (0 = unlimited).
125: Most redirect actions one script run may perform (0 = no redirects).
129: Most personal scripts per user, 0 = unlimited (ManageSieve).
134: Most disk space for a user's scripts, 0 = unlimited (ManageSieve).
139: The user's main address, used as sender when no better address is
+ available, for instance when a script runs from IMAP and there is no
+ envelope.  When unset, postmaster or "<>" is used, depending on the
+ action.
147: File for the user's Sieve log.  Default: next to the personal script
+ as <script>.log, or ~/.dovecot.sieve.log if it is not a single file.
153: Envelope sender of redirected messages; one of:
156:   "sender"         - the original sender (default)
+   "recipient"      - the final recipient
+   "orig_recipient" - the original recipient
+   "user_email"     - sieve_user_email (falls back to "recipient")
+   "postmaster"     - postmaster_address of the LDA
+   "<user@domain>"  - this fixed address (brackets required; "<>"
+                      is allowed too)
168: Redirects of mail that has the null sender "<>" keep "<>".
172: Tracing scripts
+ Trace files show step by step what a script did, for the
+ delivery plugin and for IMAPSIEVE alike.
177: Trace files pile up quickly on a busy server; switch tracing on only
+ briefly and for few users.
181: Directory for trace files; no tracing when unset or missing.  A
+ relative path or one starting with "~/" is taken from the user's home.
187: How much to trace (no tracing when unset):
190:   "actions"  - executed actions (keep, fileinto, reject, redirect)
+   "commands" - all executed commands except tests
+   "tests"    - commands and the tests performed
+   "matching" - as "tests", plus the values that were compared
198: Extra debug output, mostly of interest to developers.
202: Show byte-code addresses as well as source line numbers.

@@ etc/dovecot/conf.d/auth-checkpassword.conf.ext
1: checkpassword authentication; included from 10-auth.conf
3: Documentation: checkpassword
10: The passdb lookup returns the user data too
15: A plain checkpassword program cannot answer userdb lookups; only
+ programs with Dovecot's extensions can serve as userdb.
@@ etc/dovecot/conf.d/auth-deny.conf.ext
1: Blocking users; included from 10-auth.conf when enabled there.
3: A passdb with deny = yes rejects every user it finds, which is a way
+ to lock accounts temporarily.  List it before all other passdbs so
+ that it is consulted first.
8: Here the list is a passwd-file, but any passdb driver works.
13: One user name per line

@@ etc/dovecot/conf.d/auth-dict.conf.ext
1: Users kept in a dict backend; included from 10-auth.conf when enabled.
3: Documentation: dict passdb/userdb
8: Settings of the dict lookups, cf. the sample
+ dovecot-dict-auth.conf.ext

@@ etc/dovecot/conf.d/auth-master.conf.ext
1: Master users; included from 10-auth.conf when enabled there.
3: A passdb marked master = yes holds "master users" who may log in as
+ any other user.  Documentation: Master users
7: Here the master users sit in a passwd-file; any passdb driver works.
13: pass = yes also checks the target user against the normal passdbs, to
+ be sure that user exists (not needed with PAM).

@@ etc/dovecot/conf.d/auth-passwdfile.conf.ext
1: Users from a passwd-like file; included from 10-auth.conf when enabled.
3: File format as /etc/passwd, with the password hash in field 2.
+ Documentation: passwd-file
15: Values used when the file leaves a field empty
18: Values that replace whatever the file says

@@ etc/dovecot/conf.d/auth-sql.conf.ext
1: Users from an SQL database; included from 10-auth.conf when enabled.
3: Documentation: SQL passdb/userdb
8: Connection and queries: dovecot-sql.conf.ext
12: With "prefetch", the passdb query already returned the user's data,
+ so no separate userdb query is made.
24: When every user has the same settings, a static userdb can replace
+ the user_query, for instance:

@@ etc/dovecot/conf.d/auth-static.conf.ext
1: passdb static; included from 10-auth.conf when enabled.
3: For cases where Dovecot need not check the password itself, or where
+ all users share one password:
6:  - a proxy whose backend checks the password
+  - a backend whose proxy already checked it
+  - logins with client certificates
+  - tests

@@ etc/dovecot/conf.d/auth-system.conf.ext
1: System accounts; included from 10-auth.conf (enabled by default).
3: Documentation: passdb and userdb of system users
6: PAM, the usual choice today, combined with userdb passwd or
+ userdb static.  It needs a PAM service file, /etc/pam.d/dovecot
+ (shipped by the Debian package).
17: Accounts looked up through NSS (/etc/passwd and whatever
+ /etc/nsswitch.conf adds).
26: Shadow passwords read directly (/etc/shadow); PAM has replaced this.
35: BSD authentication (OpenBSD).
44: userdb: where mail lives and as whom it is accessed
47: System accounts through NSS (/etc/passwd and the sources named in
+ /etc/nsswitch.conf).
50: Documentation: passwd userdb
55: Values that replace those from passwd
59: Static userdb, the same values for everybody
62: Returns any userdb fields, for example:
66: The LDA and LMTP look users up in the userdb only, and a static userdb
+ has no list of users, so it asks the passdb whether the user exists.
+ That works with most passdbs but not with PAM.  If users are checked
+ some other way, add allow_all_users=yes to args to skip that lookup.

@@ etc/dovecot/dovecot-dict-auth.conf.ext
1: Settings for the dict passdb/userdb, which are enabled in
+ the file conf.d/auth-dict.conf.ext
4: Where the dictionary is
7: Password scheme when the stored hash has no {SCHEME} prefix
10: Keys below this prefix hold the user names (for user iteration)
13: Turn off user iteration, e.g. when this userdb is only a partial
+ cache of the users.
17: Several dict lookups whose results are merged.  The passdb and userdb
+ keys hold JSON objects, such as
+ { "uid": 1000, "gid": 1000, "home": "/home/user" }
32: Value used when the key does not exist; without a default_value
+ (not even an empty one) the lookup fails with "user doesn't
+ exist".
38: Keys whose values are objects; each of their key/value pairs
+ becomes a passdb field.
45: The same for the userdb
49: dict:<key> is the value of a key
52: dict:<key>.<field> is a field of a JSON object

@@ etc/dovecot/dovecot-dict-sql.conf.ext
1: SQL backend of the dict service (see dict { } in dovecot.conf)

@@ etc/dovecot/dovecot-sql.conf.ext
1: Settings for the SQL passdb/userdb, which are enabled in
+ the file conf.d/auth-sql.conf.ext
4: Read while Dovecot is root: keep it root-owned with mode 0600.
6: Documentation: SQL authentication
8: The passdb needs a table with at least a user name and a password
+ column; a separate domain column helps with user@domain logins.
13: If all users share one UID/GID and their homes follow a pattern, a
+ static userdb can build the home from user name and domain, and the
+ table needs no home, uid or gid columns.
18: For the sql userdb, add home, uid and gid columns, for example:
31: SQL driver: mysql, pgsql or sqlite
34: Connection parameters, in the driver's own syntax.
36: Giving several host= values spreads the load and provides failover,
+ e.g. host=db1.example.com host=db2.example.com
39: PostgreSQL (pgsql):
+   any parameter of libpq's PQconnectdb (PostgreSQL manual);
+   maxconns=N sets the number of connections (default 5).
45: MySQL (mysql):
+   host, port, user, password, dbname as for pgsql, and
49:   further:
+     client_flags           - MySQL client flags
+     connect_timeout        - seconds to connect (default 5)
+     read_timeout           - seconds to read (default 30)
+     write_timeout          - seconds to write (default 30)
+     ssl_ca, ssl_ca_path    - one or both turn TLS on
+     ssl_cert, ssl_key      - client certificate for the server
+     ssl_cipher             - cipher list (default HIGH)
+     ssl_verify_server_cert - check the server's name in its
+                              certificate (default no)
+     option_file            - read options from this file rather
+                              than my.cnf
+     option_group           - option group to read (default client)
63:   A UNIX socket is given as host=/path/to/socket.
+   Parameter values cannot contain spaces.
66: SQLite (sqlite):
+   path of the database file.
69: For example:
76: Scheme of password hashes that lack a {SCHEME} prefix.
78: Supported schemes: "doveadm pw -l", or the Dovecot documentation
+ on password schemes.
83: The password query; it may return:
+   password             the password hash (required)
+   user                 the canonical user@domain (for case-insensitive lookups)
+   username and domain  the same, as two fields
88: Returning "user" keeps logins as "name" and "NAME" from ending up in
+ different mail directories.  When user and domain are separate
+ columns, return "username" and "domain" instead.
93: Other columns become extra fields with special meanings (see the
+ documentation on passdb extra fields).
96: Frequently used variables (full list in the documentation):
+   %u  user@domain
+   %n  the user part
+   %d  the domain part
102: These variables are only substituted into the query; values the
+ query returns are left alone (so a user name may contain "%").
106: For example:
114: The user query; it may return:
+   uid   system UID (takes precedence over mail_uid)
+   gid   system GID (takes precedence over mail_gid)
+   home  home directory
+   mail  mail location (takes precedence over mail_location)
120: All of them are optional.  With a single UID/GID and homes that follow
+ a pattern, a static userdb may be simpler.  All possible fields are
+ listed in the documentation on userdb extra fields.
125: For example:
134: To do without the second query, use userdb prefetch and return the
+ userdb fields from the password query with a "userdb_" prefix, for
+ example:
143: Lists all users (doveadm -A, user iteration).
"""


def parse_prose(text: str) -> dict[str, dict[int, list[str]]]:
    table: dict[str, dict[int, list[str]]] = {}
    current: dict[int, list[str]] | None = None
    block: list[str] | None = None
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        if raw.startswith("@@ "):
            first, *copies = raw[3:].split()
            current = table.setdefault(first, {})
            for path in copies:
                assert table.setdefault(path, current) is current, f"{path} has prose of its own"
            block = None
            continue
        m = re.match(r"^(\d+):( |(?=\t)|$)(.*)$", raw)
        if m:
            assert current is not None, raw
            block = current.setdefault(int(m.group(1)), [])
            assert not block, f"block {m.group(1)} given twice"
            block.append(m.group(3))
            continue
        m = re.match(r"^\+( |(?=\t)|$)(.*)$", raw)
        assert m and block is not None, f"bad prose line: {raw!r}"
        block.append(m.group(2))
    return table


PROSE = parse_prose(PROSE_TEXT)


def rewrite_comments(relpath: str, lines: list[str]) -> list[str]:
    """Replace Debian's prose comments in `lines` by ours; keep everything else."""
    table = PROSE.get(relpath, {})
    blocks = prose_blocks(lines)
    starts = {start for start, _ in blocks}
    unknown = sorted(set(table) - starts)
    if unknown:
        raise SystemExit(f"{relpath}: prose given for lines {unknown}, which start no prose block")
    out = list(lines)
    for start, length in blocks:
        if start not in table:
            raise SystemExit(
                f"{relpath}: no prose for the block at line {start} ({length} lines):\n"
                + "\n".join(lines[start - 1 : start - 1 + length])
            )
        text = table[start]
        if len(text) > length:
            raise SystemExit(
                f"{relpath}: prose for line {start} has {len(text)} lines, Debian has {length}"
            )
        for k in range(length):
            orig = lines[start - 1 + k]
            stripped = orig.lstrip()
            indent = orig[: len(orig) - len(stripped)]
            hashes = stripped[: len(stripped) - len(stripped.lstrip("#"))]
            if k < len(text):
                sep = "" if text[k].startswith("\t") else " "
                new = f"{indent}{hashes}{sep}{text[k]}".rstrip()
            else:
                new = f"{indent}#"
            if new == orig:
                raise SystemExit(f"{relpath}:{start + k}: our prose equals Debian's: {orig!r}")
            out[start - 1 + k] = new
    return out


# ---------------------------------------------------------------------------
# Where the Debian originals are on the host
# ---------------------------------------------------------------------------
DOVECOT_CONFD = [
    "10-auth.conf",
    "10-director.conf",
    "10-logging.conf",
    "10-mail.conf",
    "10-master.conf",
    "10-ssl.conf",
    "10-tcpwrapper.conf",
    "15-lda.conf",
    "15-mailboxes.conf",
    "20-imap.conf",
    "20-pop3.conf",
    "90-acl.conf",
    "90-plugin.conf",
    "90-quota.conf",
    "90-sieve.conf",
    "90-sieve-extprograms.conf",
    "auth-checkpassword.conf.ext",
    "auth-deny.conf.ext",
    "auth-dict.conf.ext",
    "auth-master.conf.ext",
    "auth-passwdfile.conf.ext",
    "auth-sql.conf.ext",
    "auth-static.conf.ext",
    "auth-system.conf.ext",
]
DOVECOT_EXT = ["dovecot-dict-auth.conf.ext", "dovecot-dict-sql.conf.ext", "dovecot-sql.conf.ext"]

# image path -> Debian original (relative to the host root).  dovecot-core's
# postinst copies /usr/share/dovecot/* to /etc/dovecot with ucf; 10-metrics.conf
# is not among the files it copies.
CONFIG_SOURCES: dict[str, str] = {
    "etc/postfix/master.cf": "usr/share/postfix/master.cf.dist",
    "etc/postfix/master.cf.proto": "usr/share/postfix/master.cf.dist",
    "etc/postfix/postfix-files": "etc/postfix/postfix-files",
    "etc/postfix/postfix-files.d/pcre.files": "etc/postfix/postfix-files.d/pcre.files",
    "etc/dovecot/dovecot.conf": "usr/share/dovecot/dovecot.conf",
    **{f"etc/dovecot/conf.d/{n}": f"usr/share/dovecot/conf.d/{n}" for n in DOVECOT_CONFD},
    **{f"etc/dovecot/{n}": f"usr/share/dovecot/{n}" for n in DOVECOT_EXT},
    "etc/rsyslog.conf": "etc/rsyslog.conf",
    "etc/rsyslog.d/postfix.conf": "etc/rsyslog.d/postfix.conf",
    "etc/nsswitch.conf": "usr/share/libc-bin/nsswitch.conf",
    "etc/default/useradd": "etc/default/useradd",
}

# Files copied unchanged (the brief allows their upstream comments).
COPIED: dict[str, str] = {
    "etc/ssl/openssl.cnf": "etc/ssl/openssl.cnf",
    "etc/login.defs": "etc/login.defs",
    "etc/skel/.bashrc": "etc/skel/.bashrc",
    "etc/skel/.profile": "etc/skel/.profile",
    "etc/skel/.bash_logout": "etc/skel/.bash_logout",
    "root/.bashrc": "usr/share/base-files/dot.bashrc",
    "root/.profile": "usr/share/base-files/dot.profile",
    "usr/lib/os-release": "usr/lib/os-release",
    "etc/debian_version": "etc/debian_version",
    "etc/logrotate.d/rsyslog": "etc/logrotate.d/rsyslog",
    "etc/pam.d/dovecot": "etc/pam.d/dovecot",
    "usr/share/postfix/makedefs.out": "usr/share/postfix/makedefs.out",
    # Debian's fixed 4096-bit group (the same file on every Debian 12, not a host secret).
    "usr/share/dovecot/dh.pem": "usr/share/dovecot/dh.pem",
}

# Files copied from Debian but for their opening comment, which is ours.  The
# body's comments are one-line labels of entry groups and stay; the header is
# replaced as a whole (prose and "#" lines alike) by as many lines of our own,
# so every entry keeps its Debian line number.
HEADER_REPLACED: dict[str, tuple[str, list[str]]] = {
    # netbase
    "etc/services": (
        "etc/services",
        [
            "# Network services, Internet style: service name, port/protocol, aliases.",
            "#",
            "# Port numbers follow the IANA service name and port number registry.",
            "# Debian lists the ports that are assigned and in real use, or that a",
            "# Debian package needs; the nmap package carries a much longer list.",
            "#",
            "# Columns are separated by tabs; a # starts a comment.",
        ],
    ),
}


def replace_header(relpath: str, lines: list[str]) -> list[str]:
    """Debian's `lines` with the leading run of comment lines replaced by ours."""
    header = HEADER_REPLACED[relpath][1]
    length = 0
    while length < len(lines) and lines[length].startswith("#"):
        length += 1
    if length != len(header):
        raise SystemExit(
            f"{relpath}: Debian's header has {length} comment lines, ours {len(header)}"
        )
    for number, (theirs, mine) in enumerate(zip(lines, header, strict=False), 1):
        if not mine.startswith("#"):
            raise SystemExit(f"{relpath}:{number}: our header line is not a comment: {mine!r}")
        if classify(theirs) == "P" and mine == theirs:
            raise SystemExit(f"{relpath}:{number}: our header equals Debian's: {theirs!r}")
    return header + lines[length:]


# rsyslog: line 5 (empty in Debian) carries the directive that makes the
# file actions write "Nov 25 08:29:01 mail postfix/smtpd[1234]: ..." lines.
RSYSLOG_TEMPLATE_LINE = 5
RSYSLOG_TEMPLATE = "$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat"

# What postfix's postinst appends with "postconf -e" on a fresh "Internet Site"
# install, in its order, for a host whose "hostname --fqdn" is mail.example.com
# and whose debconf mailname is mail.example.com (postfix.config then proposes
# "$myhostname, <mailname>, localhost.<domain>, , localhost" for mydestination).
# procmail is not installed yet, so no mailbox_command.
MAIN_CF_POSTCONF = [
    "smtpd_relay_restrictions = permit_mynetworks permit_sasl_authenticated defer_unauth_destination",
    f"myhostname = {FQDN}",
    "alias_maps = hash:/etc/aliases",
    "alias_database = hash:/etc/aliases",
    "myorigin = /etc/mailname",
    f"mydestination = $myhostname, {FQDN}, localhost.{DOMAIN}, , localhost",
    "relayhost = ",
    "mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128",
    "mailbox_size_limit = 0",
    "recipient_delimiter = +",
    "inet_interfaces = all",
    "inet_protocols = all",
]


def read_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def main_cf_upstream(host: Path) -> list[str]:
    """main.cf as Debian's postinst writes it: main.cf.debian, then main.cf.tls
    (the snakeoil key exists because ssl-cert came first), then postconf -e."""
    return (
        read_lines(host / "usr/share/postfix/main.cf.debian")
        + read_lines(host / "usr/share/postfix/main.cf.tls")
        + MAIN_CF_POSTCONF
    )


def dynamicmaps_upstream(host: Path) -> list[str]:
    """postfix's postinst keeps the comment line (postfix-pcre.so is not there yet);
    postfix-pcre's postinst then runs "addmap pcre", whose echo leaves an empty
    mkmap-function field (a trailing tab)."""
    first = read_lines(host / "usr/share/postfix/dynamicmaps.cf")[0]
    return [first, "pcre\tpostfix-pcre.so\tdict_pcre_open\t"]


def upstream_lines(relpath: str, host: Path) -> list[str]:
    """Debian's version of an image config file, before our prose goes in."""
    if relpath == "etc/postfix/main.cf":
        return main_cf_upstream(host)
    if relpath == "etc/postfix/dynamicmaps.cf":
        return dynamicmaps_upstream(host)
    return read_lines(host / CONFIG_SOURCES[relpath])


def render_config(relpath: str, host: Path) -> list[str]:
    lines = rewrite_comments(relpath, upstream_lines(relpath, host))
    if relpath == "etc/rsyslog.conf":
        assert lines[RSYSLOG_TEMPLATE_LINE - 1] == "", "rsyslog.conf line 5 is not empty any more"
        lines[RSYSLOG_TEMPLATE_LINE - 1] = RSYSLOG_TEMPLATE
    return lines


REWRITTEN = sorted([*CONFIG_SOURCES, "etc/postfix/main.cf", "etc/postfix/dynamicmaps.cf"])

# ---------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------
# (name, uid, gid, gecos, home, shell, shadow password field, shadow aging)
BASE_AGING = "0:99999:7:::"  # base-passwd accounts and adduser's human accounts
SYSTEM_AGING = ":::::"  # adduser --system and systemd-sysusers accounts
USERS = [
    ("root", 0, 0, "root", "/root", "/bin/bash", "PASSWORD", BASE_AGING),
    ("daemon", 1, 1, "daemon", "/usr/sbin", "/usr/sbin/nologin", "*", BASE_AGING),
    ("bin", 2, 2, "bin", "/bin", "/usr/sbin/nologin", "*", BASE_AGING),
    ("sys", 3, 3, "sys", "/dev", "/usr/sbin/nologin", "*", BASE_AGING),
    ("sync", 4, 65534, "sync", "/bin", "/bin/sync", "*", BASE_AGING),
    ("games", 5, 60, "games", "/usr/games", "/usr/sbin/nologin", "*", BASE_AGING),
    ("man", 6, 12, "man", "/var/cache/man", "/usr/sbin/nologin", "*", BASE_AGING),
    ("lp", 7, 7, "lp", "/var/spool/lpd", "/usr/sbin/nologin", "*", BASE_AGING),
    ("mail", 8, 8, "mail", "/var/mail", "/usr/sbin/nologin", "*", BASE_AGING),
    ("news", 9, 9, "news", "/var/spool/news", "/usr/sbin/nologin", "*", BASE_AGING),
    ("uucp", 10, 10, "uucp", "/var/spool/uucp", "/usr/sbin/nologin", "*", BASE_AGING),
    ("proxy", 13, 13, "proxy", "/bin", "/usr/sbin/nologin", "*", BASE_AGING),
    ("www-data", 33, 33, "www-data", "/var/www", "/usr/sbin/nologin", "*", BASE_AGING),
    ("backup", 34, 34, "backup", "/var/backups", "/usr/sbin/nologin", "*", BASE_AGING),
    ("list", 38, 38, "Mailing List Manager", "/var/list", "/usr/sbin/nologin", "*", BASE_AGING),
    ("irc", 39, 39, "ircd", "/run/ircd", "/usr/sbin/nologin", "*", BASE_AGING),
    ("_apt", 42, 65534, "", "/nonexistent", "/usr/sbin/nologin", "*", BASE_AGING),
    ("nobody", 65534, 65534, "nobody", "/nonexistent", "/usr/sbin/nologin", "*", BASE_AGING),
    (
        "systemd-network",
        998,
        998,
        "systemd Network Management",
        "/",
        "/usr/sbin/nologin",
        "!*",
        SYSTEM_AGING,
    ),
    (
        "systemd-timesync",
        997,
        997,
        "systemd Time Synchronization",
        "/",
        "/usr/sbin/nologin",
        "!*",
        SYSTEM_AGING,
    ),
    ("messagebus", 100, 101, "", "/nonexistent", "/usr/sbin/nologin", "!", SYSTEM_AGING),
    ("postfix", 101, 103, "", "/var/spool/postfix", "/usr/sbin/nologin", "!", SYSTEM_AGING),
    (
        "dovecot",
        102,
        105,
        "Dovecot mail server,,,",
        "/usr/lib/dovecot",
        "/usr/sbin/nologin",
        "!",
        SYSTEM_AGING,
    ),
    (
        "dovenull",
        103,
        106,
        "Dovecot login user,,,",
        "/nonexistent",
        "/usr/sbin/nologin",
        "!",
        SYSTEM_AGING,
    ),
    ("alice", 1000, 1000, "Alice,,,", "/home/alice", "/bin/bash", "PASSWORD", BASE_AGING),
    ("bob", 1001, 1001, "Bob,,,", "/home/bob", "/bin/bash", "PASSWORD", BASE_AGING),
    ("carol", 1002, 1002, "Carol,,,", "/home/carol", "/bin/bash", "PASSWORD", BASE_AGING),
]
# Login passwords of the image (a practice machine: they are meant to be known).
PASSWORDS = {"root": "root", "alice": "alice", "bob": "bob", "carol": "carol"}
HUMANS = ["alice", "bob", "carol"]

# (name, gid, members, gshadow password field)
GROUPS = [
    ("root", 0, "", "*"),
    ("daemon", 1, "", "*"),
    ("bin", 2, "", "*"),
    ("sys", 3, "", "*"),
    ("adm", 4, "", "*"),
    ("tty", 5, "", "*"),
    ("disk", 6, "", "*"),
    ("lp", 7, "", "*"),
    ("mail", 8, "", "*"),
    ("news", 9, "", "*"),
    ("uucp", 10, "", "*"),
    ("man", 12, "", "*"),
    ("proxy", 13, "", "*"),
    ("kmem", 15, "", "*"),
    ("dialout", 20, "", "*"),
    ("fax", 21, "", "*"),
    ("voice", 22, "", "*"),
    ("cdrom", 24, "", "*"),
    ("floppy", 25, "", "*"),
    ("tape", 26, "", "*"),
    ("sudo", 27, "", "*"),
    ("audio", 29, "", "*"),
    ("dip", 30, "", "*"),
    ("www-data", 33, "", "*"),
    ("backup", 34, "", "*"),
    ("operator", 37, "", "*"),
    ("list", 38, "", "*"),
    ("irc", 39, "", "*"),
    ("src", 40, "", "*"),
    ("shadow", 42, "", "*"),
    ("utmp", 43, "", "*"),
    ("video", 44, "", "*"),
    ("sasl", 45, "", "*"),
    ("plugdev", 46, "", "*"),
    ("staff", 50, "", "*"),
    ("games", 60, "", "*"),
    ("users", 100, "", "*"),
    ("nogroup", 65534, "", "*"),
    ("systemd-journal", 999, "", "!*"),
    ("systemd-network", 998, "", "!*"),
    ("systemd-timesync", 997, "", "!*"),
    ("messagebus", 101, "", "!"),
    ("ssl-cert", 102, "", "!"),
    ("postfix", 103, "", "!"),
    ("postdrop", 104, "", "!"),
    ("dovecot", 105, "", "!"),
    ("dovenull", 106, "", "!"),
    ("alice", 1000, "", "!"),
    ("bob", 1001, "", "!"),
    ("carol", 1002, "", "!"),
]


def _libcrypt():
    name = ctypes.util.find_library("crypt") or "libcrypt.so.1"
    lib = ctypes.CDLL(name)
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.crypt_gensalt.restype = ctypes.c_char_p
    lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
    return lib


def yescrypt(password: str, user: str) -> str:
    """$y$j9T$... as Debian 12's PAM writes it; the salt is derived from the user
    name so that rebuilding the image gives the same file.  The seed names the first
    image and stays when the image version moves on: recorded transcripts (getent
    shadow) and learners' notes keep the hashes they saw."""
    lib = _libcrypt()
    rbytes = hashlib.sha256(f"mailsim-image-1:{user}".encode()).digest()[:16]
    setting = lib.crypt_gensalt(b"$y$", 0, rbytes, len(rbytes))
    if not setting:
        raise SystemExit("libcrypt has no yescrypt")
    result = lib.crypt(password.encode(), setting)
    if not result or not result.startswith(b"$y$j9T$"):
        raise SystemExit(f"yescrypt failed: {result!r}")
    return result.decode()


def account_files() -> dict[str, str]:
    passwd, shadow, group, gshadow = [], [], [], []
    for name, uid, gid, gecos, home, shell, pw, aging in USERS:
        passwd.append(f"{name}:x:{uid}:{gid}:{gecos}:{home}:{shell}")
        if pw == "PASSWORD":
            pw = yescrypt(PASSWORDS[name], name)
        shadow.append(f"{name}:{pw}:{SHADOW_DAY}:{aging}")
    for name, gid, members, pw in GROUPS:
        group.append(f"{name}:x:{gid}:{members}")
        gshadow.append(f"{name}:{pw}::{members}")
    return {
        "etc/passwd": "\n".join(passwd) + "\n",
        "etc/shadow": "\n".join(shadow) + "\n",
        "etc/group": "\n".join(group) + "\n",
        "etc/gshadow": "\n".join(gshadow) + "\n",
    }


# ---------------------------------------------------------------------------
# Files written by this script
# ---------------------------------------------------------------------------
STATIC_FILES: dict[str, str] = {
    "etc/hostname": f"{HOSTNAME}\n",
    "etc/mailname": f"{FQDN}\n",
    "etc/hosts": (
        "127.0.0.1\tlocalhost\n"
        f"127.0.1.1\t{FQDN}\t{HOSTNAME}\n"
        "\n"
        "# IPv6 loopback and the link-local multicast groups\n"
        "::1     localhost ip6-localhost ip6-loopback\n"
        "ff02::1 ip6-allnodes\n"
        "ff02::2 ip6-allrouters\n"
    ),
    "etc/resolv.conf": f"search {DOMAIN}\nnameserver 192.0.2.53\n",
    "etc/network/interfaces": (
        "# Network interfaces of this host, brought up by ifupdown (ifup/ifdown).\n"
        "# Syntax: interfaces(5).\n"
        "\n"
        "source /etc/network/interfaces.d/*\n"
        "\n"
        "# Loopback\n"
        "auto lo\n"
        "iface lo inet loopback\n"
        "\n"
        "# Primary interface, fixed addresses\n"
        "auto eth0\n"
        "iface eth0 inet static\n"
        "\taddress 192.0.2.25/24\n"
        "\tgateway 192.0.2.1\n"
        "\n"
        "iface eth0 inet6 static\n"
        "\taddress 2001:db8::25/64\n"
    ),
    # Written by postfix's postinst ("/etc/aliases does not exist, creating it");
    # the root_address question was left empty, so there is no root: line.
    "etc/aliases": "# Local aliases, format in aliases(5); run newaliases after editing\npostmaster:    root\n",
    "usr/share/dovecot/protocols.d/imapd.protocol": "protocols = $protocols imap\n",
    "usr/share/dovecot/protocols.d/pop3d.protocol": "protocols = $protocols pop3\n",
    "var/log/mail.log": "",
    "var/log/syslog": "",
}

# ---------------------------------------------------------------------------
# Programs: small stubs at the paths where Debian 12 has its programs
# ---------------------------------------------------------------------------
# mailsim runs every command itself, but the files exist, as on the real host:
# `ls -l /usr/sbin/sendmail`, `[ -x /usr/sbin/postfix ]` and `postfix check`
# look at them.  A stub is an ELF header and one line saying what it is (so
# grep calls it binary and nothing mistakes it for the real program); where
# Debian ships a script, the stub is a script with the same interpreter line.

# The image's own packages: their programs are listed by the host's dpkg.
PROGRAM_PACKAGES = [
    "ssl-cert",
    "postfix",
    "postfix-pcre",
    "dovecot-core",
    "dovecot-imapd",
    "dovecot-pop3d",
    "dovecot-sieve",
    "rsyslog",
    "procmail",
]
# Where programs live; /usr/lib itself only for /usr/lib/sendmail.
PROGRAM_DIRS = (
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/lib/postfix",
    "/usr/lib/postfix/sbin",
    "/usr/lib/dovecot",
)

# The base system's programs that mailsim's commands stand for (coreutils,
# grep, findutils, procps, ...): path -> "elf", "sh" (a script), or a link
# target.  Written out rather than read from the host, whose alternatives and
# extra packages differ from a minimal Debian 12 server; the test compares them
# with the host where the host has them.
BASE_PROGRAMS: dict[str, str] = {
    **{
        f"/usr/bin/{name}": "elf"
        for name in (
            # coreutils
            "[",
            "basename",
            "cat",
            "chgrp",
            "chmod",
            "chown",
            "cp",
            "cut",
            "date",
            "dirname",
            "echo",
            "env",
            "expr",
            "false",
            "head",
            "id",
            "ln",
            "ls",
            "mkdir",
            "mv",
            "printf",
            "pwd",
            "readlink",
            "rm",
            "rmdir",
            "seq",
            "sleep",
            "sort",
            "stat",
            "tail",
            "tee",
            "test",
            "touch",
            "tr",
            "true",
            "uname",
            "uniq",
            "wc",
            "whoami",
            # other packages of a minimal server
            "clear",
            "diff",
            "find",
            "getent",
            "grep",
            "hostname",
            "ip",
            "kill",
            "less",
            "man",
            "mawk",
            "more",
            "nano",
            "openssl",
            "passwd",
            "ps",
            "sed",
            "ss",
            "su",
            "sudo",
            "systemctl",
            "xargs",
            # vim (mailsim offers `vim`, so the image has Debian's vim package)
            "vim.basic",
            # mailsim's own editor command: Debian has no /usr/bin/edit here
            "edit",
        )  # fmt: skip
    },
    "/usr/bin/egrep": "sh",
    "/usr/bin/fgrep": "sh",
    "/usr/bin/which.debianutils": "sh",
    "/usr/sbin/service": "sh",
    "/usr/sbin/useradd": "elf",
    # update-alternatives links: awk is mawk; vim (priority 30) is vi and vim
    "/usr/bin/awk": "/etc/alternatives/awk",
    "/etc/alternatives/awk": "/usr/bin/mawk",
    "/usr/bin/vi": "/etc/alternatives/vi",
    "/etc/alternatives/vi": "/usr/bin/vim.basic",
    "/usr/bin/vim": "/etc/alternatives/vim",
    "/etc/alternatives/vim": "/usr/bin/vim.basic",
    "/usr/bin/which": "/etc/alternatives/which",
    "/etc/alternatives/which": "/usr/bin/which.debianutils",
}
# Set-id programs of the base system (owner:group, mode).
BASE_PROGRAM_META = {
    "/usr/bin/passwd": ("root:root", "4755"),
    "/usr/bin/su": ("root:root", "4755"),
    "/usr/bin/sudo": ("root:root", "4755"),
}

ELF_HEADER = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\x03\x00\x3e\x00"  # x86-64 executable


def program_stub(path: str, kind: str, shebang: str = "#!/bin/sh") -> bytes:
    """A few dozen bytes that stand for the program at PATH."""
    if kind == "sh":
        return f"{shebang}\n# mailsim stub of {path} (Debian ships a script here)\n".encode()
    return ELF_HEADER + f"mailsim stub of {path}\n".encode()


def _default_program_meta(path: str) -> tuple[str, str]:
    """The metadata mailsim gives a file without a manifest entry (see machine/manifest.py)."""
    if path.startswith(("/usr/bin/", "/usr/sbin/", "/usr/lib/postfix/")):
        return ("root:root", "0755")
    return ("root:root", "0644")


def package_programs(host: Path) -> dict[str, tuple[str, str, tuple[str, str] | None]]:
    """The image packages' programs on HOST: path -> (kind, stub data or link target, meta).

    Executable files and the links among them, in PROGRAM_DIRS (merged-/usr paths);
    libraries that are not executable are left out.
    """
    import grp
    import pwd

    listed = subprocess.run(
        ["dpkg", "-L", *PROGRAM_PACKAGES], check=True, capture_output=True, text=True
    ).stdout.split("\n")
    found: dict[str, tuple[str, str, tuple[str, str] | None]] = {}
    links: dict[str, str] = {}
    for raw in sorted(set(listed)):
        path = re.sub(r"^/(bin|sbin|lib)/", r"/usr/\1/", raw)
        if posixpath.dirname(path) not in PROGRAM_DIRS:
            continue
        st = os.lstat(host / raw.lstrip("/"))
        if stat.S_ISLNK(st.st_mode):
            links[path] = os.readlink(host / raw.lstrip("/"))
        elif stat.S_ISREG(st.st_mode) and st.st_mode & 0o111:
            head = (host / raw.lstrip("/")).read_bytes()[:200].split(b"\n")[0]
            kind = "sh" if head.startswith(b"#!") else "elf"
            shebang = head.decode() if kind == "sh" else ""
            owner = f"{pwd.getpwuid(st.st_uid).pw_name}:{grp.getgrgid(st.st_gid).gr_name}"
            meta = (owner, f"{stat.S_IMODE(st.st_mode):04o}")
            found[path] = (kind, shebang, None if meta == _default_program_meta(path) else meta)
    for path, target in links.items():
        if posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) in found:
            found[path] = ("link", target, None)
    return found


def programs(
    host: Path,
) -> tuple[dict[str, bytes], list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Stub files (relpath -> bytes), links and non-default file metadata of the programs."""
    files: dict[str, bytes] = {}
    links: list[tuple[str, str]] = []
    metas: list[tuple[str, str, str]] = []
    entries: dict[str, tuple[str, str, tuple[str, str] | None]] = {
        path: (kind if kind in ("elf", "sh") else "link", kind, BASE_PROGRAM_META.get(path))
        for path, kind in BASE_PROGRAMS.items()
    }
    entries.update(package_programs(host))
    for path, (kind, detail, meta) in sorted(entries.items()):
        if kind == "link":
            links.append((path, detail))
            continue
        shebang = detail if kind == "sh" and detail.startswith("#!") else "#!/bin/sh"
        files[path.lstrip("/")] = program_stub(path, kind, shebang)
        if meta is not None:
            metas.append((path, *meta))
    return files, links, metas


# ---------------------------------------------------------------------------
# Metadata: written to sandbox/MANIFEST
# ---------------------------------------------------------------------------
SPOOL = "/var/spool/postfix"
DIRS: list[tuple[str, str, str]] = [
    # path, owner:group, mode -- empty directories and non-default ones
    ("/boot", "root:root", "0755"),
    ("/dev", "root:root", "0755"),
    ("/etc/alternatives", "root:root", "0755"),
    ("/etc/dovecot/private", "root:root", "0700"),
    ("/etc/network/interfaces.d", "root:root", "0755"),
    ("/etc/postfix/dynamicmaps.cf.d", "root:root", "0755"),
    ("/etc/postfix/sasl", "root:root", "0755"),
    ("/etc/ssl/private", "root:ssl-cert", "0710"),
    ("/home", "root:root", "0755"),
    *[(f"/home/{u}", f"{u}:{u}", "0700") for u in HUMANS],
    ("/media", "root:root", "0755"),
    ("/mnt", "root:root", "0755"),
    ("/opt", "root:root", "0755"),
    ("/proc", "root:root", "0555"),
    ("/root", "root:root", "0700"),
    ("/run", "root:root", "0755"),
    ("/run/lock", "root:root", "1777"),
    ("/srv", "root:root", "0755"),
    ("/sys", "root:root", "0555"),
    ("/tmp", "root:root", "1777"),
    ("/usr/bin", "root:root", "0755"),
    ("/usr/local", "root:root", "0755"),
    ("/usr/local/bin", "root:root", "0755"),
    ("/usr/local/sbin", "root:root", "0755"),
    ("/usr/sbin", "root:root", "0755"),
    ("/var/backups", "root:root", "0755"),
    ("/var/cache", "root:root", "0755"),
    ("/var/lib/dovecot", "root:root", "0755"),
    ("/var/lib/postfix", "postfix:postfix", "0755"),
    ("/var/local", "root:staff", "2775"),
    ("/var/mail", "root:mail", "2775"),
    ("/var/opt", "root:root", "0755"),
    ("/var/spool/rsyslog", "root:root", "0700"),
    ("/var/tmp", "root:root", "1777"),
    # The Postfix queue, as the postinst makes it (and "postfix start" completes
    # with hold/ and trace/ through post-install create-missing).
    (SPOOL, "root:root", "0755"),
    *[
        (f"{SPOOL}/{d}", "postfix:root", "0700")
        for d in (
            "active",
            "bounce",
            "corrupt",
            "defer",
            "deferred",
            "flush",
            "hold",
            "incoming",
            "private",
            "saved",
            "trace",
        )
    ],
    (f"{SPOOL}/maildrop", "postfix:postdrop", "1730"),
    (f"{SPOOL}/public", "postfix:postdrop", "2710"),
    (f"{SPOOL}/pid", "root:root", "0755"),
    *[
        (f"{SPOOL}/{d}", "root:root", "0755")
        for d in ("dev", "etc", "lib", "usr", "usr/lib", "usr/lib/sasl2", "usr/lib/zoneinfo")
    ],
]

FILES: list[tuple[str, str, str]] = [
    ("/etc/shadow", "root:shadow", "0640"),
    ("/etc/gshadow", "root:shadow", "0640"),
    *[(f"/etc/dovecot/{n}", "root:dovecot", "0640") for n in DOVECOT_EXT],
    ("/var/log/mail.log", "root:adm", "0640"),
    ("/var/log/syslog", "root:adm", "0640"),
]

LINKS: list[tuple[str, str]] = [
    ("/bin", "usr/bin"),
    ("/sbin", "usr/sbin"),
    ("/lib", "usr/lib"),
    ("/var/run", "/run"),
    ("/var/lock", "/run/lock"),
    ("/var/spool/mail", "../mail"),
    ("/etc/os-release", "../usr/lib/os-release"),
    ("/etc/postfix/makedefs.out", "/usr/share/postfix/makedefs.out"),
    ("/etc/dovecot/private/dovecot.pem", "/etc/ssl/certs/ssl-cert-snakeoil.pem"),
    ("/etc/dovecot/private/dovecot.key", "/etc/ssl/private/ssl-cert-snakeoil.key"),
    # + /etc/ssl/certs/<subject hash>.0 -> ssl-cert-snakeoil.pem, added at build time
]

MANIFEST_HEADER = """\
# mailsim default image: metadata that plain files cannot carry.
#   dir  PATH OWNER:GROUP MODE   directory (empty ones, and owner/mode other than root:root 0755)
#   file PATH OWNER:GROUP MODE   file under root/ whose owner/mode differ from the defaults
#   link PATH TARGET             symbolic link, target as on the real system
# Defaults without an entry: root:root, 0644 files, 0755 directories; files under
# /home/USER belong to USER:USER; /var/mail/USER is USER:mail 0660; files in
# /etc/ssl/private are root:ssl-cert 0640; files under /usr/bin /usr/sbin /bin /sbin are 0755.
# Generated by tools/build_sandbox.py.
"""


def manifest_text(
    links: list[tuple[str, str]],
    extra_files: tuple[tuple[str, str, str], ...] | list[tuple[str, str, str]] = (),
) -> str:
    entries = (
        [(p, f"dir {p} {og} {m}") for p, og, m in DIRS]
        + [(p, f"file {p} {og} {m}") for p, og, m in [*FILES, *extra_files]]
        + [(p, f"link {p} {t}") for p, t in links]
    )
    paths = [p for p, _ in entries]
    dupes = {p for p in paths if paths.count(p) > 1}
    if dupes:
        raise SystemExit(f"manifest lists these paths twice: {sorted(dupes)}")
    return MANIFEST_HEADER + "\n" + "\n".join(e for _, e in sorted(entries)) + "\n"


# ---------------------------------------------------------------------------
# Snakeoil certificate (generated once, like ssl-cert's make-ssl-cert)
# ---------------------------------------------------------------------------
CERT = "etc/ssl/certs/ssl-cert-snakeoil.pem"
KEY = "etc/ssl/private/ssl-cert-snakeoil.key"


def snakeoil(old_root: Path) -> dict[str, bytes]:
    """The pair make-ssl-cert generate-default-snakeoil would make on this host:
    RSA 2048, SHA-256, CN and subjectAltName from "hostname --fqdn", 3650 days,
    basicConstraints CA:FALSE (plus the subject key id OpenSSL 3 adds).  It is
    dated from the image's install day, so it is valid on the simulated clock."""
    if (old_root / CERT).is_file() and (old_root / KEY).is_file():
        return {CERT: (old_root / CERT).read_bytes(), KEY: (old_root / KEY).read_bytes()}
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, FQDN)])
    start = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=SHADOW_DAY)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(FQDN)]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return {
        CERT: cert.public_bytes(serialization.Encoding.PEM),
        KEY: key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    }


def cert_hash(cert: bytes) -> str:
    out = subprocess.run(
        ["openssl", "x509", "-hash", "-noout"], input=cert, check=True, capture_output=True
    )
    return out.stdout.decode().strip()


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------
def build(host: Path, out: Path) -> None:
    root = out / "root"
    files: dict[str, bytes] = {}
    for relpath in REWRITTEN:
        files[relpath] = ("\n".join(render_config(relpath, host)) + "\n").encode()
    for relpath, src in COPIED.items():
        data = (host / src).read_bytes()
        files[relpath] = data
    for relpath, (src, _header) in HEADER_REPLACED.items():
        lines = replace_header(relpath, read_lines(host / src))
        files[relpath] = ("\n".join(lines) + "\n").encode()
    shells = [
        ln for ln in read_lines(host / "etc/shells") if "tmux" not in ln and "screen" not in ln
    ]
    files["etc/shells"] = ("\n".join(shells) + "\n").encode()
    for user in HUMANS:
        for dot in (".bashrc", ".profile", ".bash_logout"):
            files[f"home/{user}/{dot}"] = (host / "etc/skel" / dot).read_bytes()
    for relpath, text in {**STATIC_FILES, **account_files()}.items():
        files[relpath] = text.encode()
    files.update(snakeoil(root))
    links = LINKS + [(f"/etc/ssl/certs/{cert_hash(files[CERT])}.0", "ssl-cert-snakeoil.pem")]
    stubs, program_links, program_meta = programs(host)
    files.update(stubs)
    links += program_links

    staging = Path(tempfile.mkdtemp(prefix="sandbox-", dir=out.parent))
    try:
        for relpath, data in sorted(files.items()):
            dest = staging / "root" / relpath
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        (staging / "VERSION").write_text(IMAGE_VERSION + "\n")
        (staging / "MANIFEST").write_text(manifest_text(links, program_meta))
        out.mkdir(exist_ok=True)
        for name in ("root", "VERSION", "MANIFEST"):
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            os.replace(staging / name, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def show_blocks(host: Path) -> None:
    for relpath in REWRITTEN:
        lines = upstream_lines(relpath, host)
        for start, length in prose_blocks(lines):
            mine = PROSE.get(relpath, {}).get(start)
            print(f"{relpath}:{start} ({length} lines){'' if mine else '  NO PROSE'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="/", help="root of the Debian 12 host (default /)")
    parser.add_argument("--out", default=str(SANDBOX), help="image directory (default sandbox/)")
    parser.add_argument("--blocks", action="store_true", help="list the prose blocks and exit")
    args = parser.parse_args(argv)
    host = Path(args.host)
    if args.blocks:
        show_blocks(host)
        return 0
    build(host, Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
