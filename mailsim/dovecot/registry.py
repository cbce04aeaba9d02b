"""Dovecot's simulated commands: name → (path on the simulated host, implementation)."""

COMMANDS = {
    "doveconf": ("/usr/bin/doveconf", "mailsim.dovecot.doveconf:main"),
    "dovecot": ("/usr/sbin/dovecot", "mailsim.dovecot.daemon:main"),
    "doveadm": ("/usr/bin/doveadm", "mailsim.dovecot.doveadm:main"),
}
