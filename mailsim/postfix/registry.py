"""Postfix's commands: name -> (simulated path, "module:function")."""

COMMANDS: dict[str, tuple[str, str]] = {
    "postconf": ("/usr/sbin/postconf", "mailsim.postfix.postconf:main"),
    "postfix": ("/usr/sbin/postfix", "mailsim.postfix.control:main"),
    "postmap": ("/usr/sbin/postmap", "mailsim.postfix.postmap:main"),
    "postalias": ("/usr/sbin/postalias", "mailsim.postfix.postalias:main"),
    "newaliases": ("/usr/bin/newaliases", "mailsim.postfix.postalias:newaliases"),
    "sendmail": ("/usr/sbin/sendmail", "mailsim.postfix.sendmail:sendmail"),
    "mailq": ("/usr/bin/mailq", "mailsim.postfix.sendmail:mailq"),
    "postqueue": ("/usr/sbin/postqueue", "mailsim.postfix.sendmail:postqueue"),
    "postsuper": ("/usr/sbin/postsuper", "mailsim.postfix.sendmail:postsuper"),
}
