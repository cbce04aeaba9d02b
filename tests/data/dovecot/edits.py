"""Edits a learner makes to Debian's Dovecot files, for the doveconf corpus.

Each entry: a name, then changes as (file under /etc/dovecot, old line, new
text). ``old`` is an exact line of the default image (its first occurrence is
replaced); ``None`` appends ``new`` to the file. The expected output of each
edited configuration is recorded from the real Dovecot 2.3 in corpus/NAME.*.
"""

M = "conf.d/10-master.conf"
S = "conf.d/10-ssl.conf"
A = "conf.d/10-auth.conf"
L = "conf.d/10-mail.conf"
IMAP = "conf.d/20-imap.conf"
P = "conf.d/20-pop3.conf"
D = "dovecot.conf"

EDITS = [
    ("default", []),
    ("protocols-imap", [(D, "#listen = *, ::", "protocols = imap")]),
    ("protocols-imap-pop3-lmtp", [(D, "#listen = *, ::", "protocols = imap pop3 lmtp")]),
    ("protocols-append-lmtp", [(D, "#listen = *, ::", "protocols = $protocols lmtp")]),
    ("protocols-none", [(D, "#listen = *, ::", "protocols = none")]),
    ("protocols-imaps-obsolete", [(D, "#listen = *, ::", "protocols = imap imaps")]),
    ("protocols-pop3s-only", [(D, "#listen = *, ::", "protocols = pop3s")]),
    ("protocols-unknown", [(D, "#listen = *, ::", "protocols = imap smtp")]),
    ("listen-star", [(D, "#listen = *, ::", "listen = *")]),
    ("listen-default-explicit", [(D, "#listen = *, ::", "listen = *, ::")]),
    ("listen-loopback", [(D, "#listen = *, ::", "listen = 127.0.0.1")]),
    ("listen-two", [(D, "#listen = *, ::", "listen = 192.0.2.25, 127.0.0.1")]),
    ("listen-empty", [(D, "#listen = *, ::", "listen =")]),
    ("ssl-no", [(S, "ssl = yes", "ssl = no")]),
    ("ssl-required", [(S, "ssl = yes", "ssl = required")]),
    ("ssl-maybe", [(S, "ssl = yes", "ssl = maybe")]),
    ("ssl-quoted-required", [(S, "ssl = yes", 'ssl = "required"')]),
    (
        "ssl-cert-snakeoil",
        [
            (
                S,
                "ssl_cert = </etc/dovecot/private/dovecot.pem",
                "ssl_cert = </etc/ssl/certs/ssl-cert-snakeoil.pem",
            ),
            (
                S,
                "ssl_key = </etc/dovecot/private/dovecot.key",
                "ssl_key = </etc/ssl/private/ssl-cert-snakeoil.key",
            ),
        ],
    ),
    (
        "ssl-cert-file-obsolete",
        [
            (
                S,
                "ssl_cert = </etc/dovecot/private/dovecot.pem",
                "ssl_cert_file = /etc/ssl/certs/mail.pem",
            )
        ],
    ),
    (
        "ssl-key-file-obsolete",
        [
            (
                S,
                "ssl_key = </etc/dovecot/private/dovecot.key",
                "ssl_key_file = /etc/ssl/private/mail.key",
            )
        ],
    ),
    ("ssl-min-protocol", [(S, "#ssl_min_protocol = TLSv1.2", "ssl_min_protocol = TLSv1.3")]),
    ("ssl-unknown-setting", [(S, "#ssl_min_protocol = TLSv1.2", "ssl_foo = bar")]),
    ("ssl-disable-obsolete", [(S, "ssl = yes", "ssl_disable = yes")]),
    ("ssl-prefer-server", [(S, None, "ssl_prefer_server_ciphers = yes")]),
    ("auth-mech-login", [(A, "auth_mechanisms = plain", "auth_mechanisms = plain login")]),
    ("auth-mech-cram", [(A, "auth_mechanisms = plain", "auth_mechanisms = plain login cram-md5")]),
    ("auth-mech-default", [(A, "auth_mechanisms = plain", "auth_mechanisms = plain")]),
    ("plaintext-no", [(A, "#disable_plaintext_auth = yes", "disable_plaintext_auth = no")]),
    ("plaintext-yes", [(A, "#disable_plaintext_auth = yes", "disable_plaintext_auth = yes")]),
    ("plaintext-bad", [(A, "#disable_plaintext_auth = yes", "disable_plaintext_auth = maybe")]),
    (
        "auth-passwdfile",
        [(A, "!include auth-system.conf.ext", "!include auth-passwdfile.conf.ext")],
    ),
    ("auth-both", [(A, "#!include auth-passwdfile.conf.ext", "!include auth-passwdfile.conf.ext")]),
    ("auth-missing-include", [(A, "!include auth-system.conf.ext", "!include auth-ldap.conf.ext")]),
    ("auth-debug", [(A, None, "auth_debug = yes\nauth_verbose = yes")]),
    (
        "mail-maildir",
        [
            (
                L,
                "mail_location = mbox:~/mail:INBOX=/var/mail/%u",
                "mail_location = maildir:~/Maildir",
            )
        ],
    ),
    (
        "mail-mbox-home",
        [(L, "mail_location = mbox:~/mail:INBOX=/var/mail/%u", "mail_location = mbox:~/mail")],
    ),
    (
        "mail-mdbox",
        [(L, "mail_location = mbox:~/mail:INBOX=/var/mail/%u", "mail_location = mdbox:~/mdbox")],
    ),
    ("mail-uid", [(L, "#first_valid_uid = 500", "first_valid_uid = 1000")]),
    ("mail-plugins", [(L, "#mail_plugins = ", "mail_plugins = quota")]),
    (
        "imap-userip",
        [(IMAP, "  #mail_max_userip_connections = 10", "  mail_max_userip_connections = 20")],
    ),
    (
        "imap-userip-default",
        [(IMAP, "  #mail_max_userip_connections = 10", "  mail_max_userip_connections = 10")],
    ),
    (
        "imap-userip-bad",
        [(IMAP, "  #mail_max_userip_connections = 10", "  mail_max_userip_connections = ten")],
    ),
    (
        "pop3-userip",
        [(P, "  #mail_max_userip_connections = 10", "  mail_max_userip_connections = 3")],
    ),
    (
        "imap-plugins",
        [
            (L, "#mail_plugins = ", "mail_plugins = quota"),
            (IMAP, "  #mail_plugins = $mail_plugins", "  mail_plugins = $mail_plugins imap_quota"),
        ],
    ),
    (
        "imap-plugins-only",
        [(IMAP, "  #mail_plugins = $mail_plugins", "  mail_plugins = $mail_plugins imap_quota")],
    ),
    (
        "global-after-filter",
        [
            (IMAP, "  #mail_plugins = $mail_plugins", "  mail_plugins = $mail_plugins imap_quota"),
            (P, None, "mail_plugins = acl"),
        ],
    ),
    ("imap-port-off", [(M, "    #port = 143", "    port = 0")]),
    ("imap-port-1143", [(M, "    #port = 143", "    port = 1143")]),
    ("imaps-port-off", [(M, "    #port = 993", "    port = 0")]),
    (
        "imaps-explicit",
        [(M, "    #port = 993", "    port = 993"), (M, "    #ssl = yes", "    ssl = yes")],
    ),
    ("pop3-port-off", [(M, "    #port = 110", "    port = 0")]),
    ("pop3s-port-off", [(M, "    #port = 995", "    port = 0")]),
    ("duplicate-listener", [(M, "    #port = 995", "    port = 110")]),
    ("duplicate-imap", [(M, "    #port = 993", "    port = 143")]),
    ("port-bad", [(M, "    #port = 143", "    port = 99999")]),
    ("login-service-count", [(M, "  #service_count = 1", "  service_count = 0")]),
    ("login-min-avail", [(M, "  #process_min_avail = 0", "  process_min_avail = 4")]),
    ("login-vsz", [(M, "  #vsz_limit = $default_vsz_limit", "  vsz_limit = $default_vsz_limit")]),
    ("listener-address", [(M, "    #port = 143", "    port = 143\n    address = 127.0.0.1")]),
    (
        "unbalanced-open",
        [(M, "service imap-login {", "service imap-login {\n  inet_listener imap2 {")],
    ),
    ("unbalanced-close", [(IMAP, None, "}")]),
    ("missing-brace", [(IMAP, None, "protocol imap {")]),
    ("unknown-section", [(M, None, "service bogus {\n  foo = bar\n}")]),
    ("unknown-in-service", [(M, "  #service_count = 1", "  servce_count = 1")]),
    (
        "plugin-sieve",
        [
            (
                "conf.d/90-sieve.conf",
                None,
                "plugin {\n  sieve_default = /var/lib/dovecot/sieve/default.sieve\n}",
            )
        ],
    ),
    (
        "plugin-password",
        [
            (
                "conf.d/90-plugin.conf",
                None,
                "plugin {\n  quota_password = s3cret\n  some_url = https://user:pw@example.com/x\n}",
            )
        ],
    ),
    ("local-conf", [("local.conf", None, "mail_debug = yes")]),
    ("comment-ambiguous", [(D, "#listen = *, ::", "listen = *#no space")]),
    (
        "quoted-hash",
        [
            (
                L,
                "mail_location = mbox:~/mail:INBOX=/var/mail/%u",
                'mail_location = "mbox:~/mail:INBOX=/var/mail/%u#x"',
            )
        ],
    ),
    (
        "time-size",
        [
            (
                D,
                None,
                "auth_failure_delay = 5s\nmdbox_rotate_size = 4M\nimap_idle_notify_interval = 90 s",
            )
        ],
    ),
    (
        "userdb-passwd-override",
        [
            (
                "conf.d/auth-system.conf.ext",
                "  driver = passwd\n",
                "  driver = passwd\n  override_fields = home=/home/%u\n",
            )
        ],
    ),
]

POSTFIX_AUTH = """service auth {
  unix_listener /var/spool/postfix/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}"""
"""The SMTP AUTH socket for Postfix, as the SASL lessons add it to 10-master.conf."""

OPTION_CASES = [
    ("a", [], ["-a"]),
    ("N", [], ["-N"]),
    ("nP", [], ["-nP"]),
    ("d", [], ["-d"]),
    ("setting", [], ["ssl"]),
    ("settings", [], ["ssl", "protocols", "mail_location"]),
    ("setting-h", [], ["-h", "listen"]),
    ("setting-key-unhidden", [], ["ssl_key"]),
    ("setting-hidden-default", [], ["mail_cache_max_size"]),
    ("setting-unknown", [], ["foo"]),
    ("setting-path", [], ["service/imap-login/inet_listener/imap/port"]),
    ("setting-listener", [], ["service/imap-login/inet_listener/imap"]),
    ("setting-service", [], ["service/imap-login"]),
    ("setting-plugin", [], ["plugin"]),
    ("setting-namespace", [], ["namespace/inbox"]),
    ("setting-n", [], ["-n", "mail_location"]),
    # The header doveconf prints for a listener list names the first matching listener's
    # service, not the service asked for: Dovecot 2.3.19 prints "service auth-client {"
    # for service/auth/unix_listener, and the simulation must print the same.
    ("setting-unix-listeners", [], ["service/auth/unix_listener"]),
    ("setting-unix-listener", [], ["service/auth/unix_listener/auth-userdb"]),
    ("setting-unix-listener-mode", [], ["service/auth/unix_listener/auth-userdb/mode"]),
    ("setting-inet-listeners", [], ["service/imap-login/inet_listener"]),
    ("setting-unix-listeners-lmtp", [], ["service/lmtp/unix_listener"]),
    ("setting-unix-listener-postfix", [(M, None, POSTFIX_AUTH)], ["service/auth/unix_listener"]),
    (
        "setting-unix-listener-postfix-path",
        [(M, None, POSTFIX_AUTH)],
        ["service/auth/unix_listener//var/spool/postfix/private/auth"],
    ),
    ("setting-service-auth-postfix", [(M, None, POSTFIX_AUTH)], ["service/auth"]),
    ("setting-protocol-imap", [], ["protocol/imap"]),
    ("setting-passdb", [], ["passdb"]),
    ("setting-service-unknown", [], ["service/nosuch"]),
    (
        "filter-imap",
        [(IMAP, "  #mail_plugins = $mail_plugins", "  mail_plugins = $mail_plugins imap_quota")],
        ["-n", "-f", "protocol=imap"],
    ),
    (
        "filter-pop3",
        [(IMAP, "  #mail_plugins = $mail_plugins", "  mail_plugins = $mail_plugins imap_quota")],
        ["-n", "-f", "protocol=pop3"],
    ),
    ("filter-unknown", [], ["-n", "-f", "foo=bar"]),
    ("module-imap", [], ["-n", "-m", "imap"]),
    ("bad-option", [], ["-Z"]),
    ("missing-argument", [], ["-m"]),
    (
        "x-missing-file",
        [(S, "ssl_cert = </etc/dovecot/private/dovecot.pem", "ssl_cert = </etc/ssl/none.pem")],
        ["-x", "-n"],
    ),
    (
        "x-vars",
        [
            (D, "#listen = *, ::", "login_greeting = $hostname ready"),
            (M, "  #vsz_limit = $default_vsz_limit", "  vsz_limit = $default_vsz_limit"),
            (S, "</etc/dovecot/private/dovecot.pem", "</usr/share/dovecot/dh.pem"),
            (S, "</etc/dovecot/private/dovecot.key", "</usr/share/dovecot/dh.pem"),
        ],
        ["-x", "-n"],
    ),
    (
        "x-unix-listeners",
        [
            (S, "</etc/dovecot/private/dovecot.pem", "</usr/share/dovecot/dh.pem"),
            (S, "</etc/dovecot/private/dovecot.key", "</usr/share/dovecot/dh.pem"),
            (M, None, POSTFIX_AUTH),
        ],
        ["-x", "service/auth/unix_listener"],
    ),
]
"""Other doveconf options over the default image (name, changes, arguments)."""
