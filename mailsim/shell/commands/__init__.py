"""Core utilities and shell builtins: name → (path on a Debian 12 host, implementation).

Paths are the real ones (``/usr/bin/cat``); ``""`` marks a bash builtin.
"""

_B = "mailsim.shell.commands.builtins"
_T = "mailsim.shell.commands.text"
_G = "mailsim.shell.commands.grep"
_S = "mailsim.shell.commands.sed"
_F = "mailsim.shell.commands.files"
_Y = "mailsim.shell.commands.system"
_U = "mailsim.shell.commands.accounts"
_N = "mailsim.shell.commands.network"
_C = "mailsim.shell.commands.services"
_O = "mailsim.shell.commands.openssl"
_D = "mailsim.shell.commands.docs"
_E = "mailsim.shell.commands.editors"

TABLE: dict[str, tuple[str, str]] = {
    # bash builtins
    "cd": ("", f"{_B}:cd"),
    "pwd": ("", f"{_B}:pwd"),
    "echo": ("", f"{_B}:echo"),
    "printf": ("", f"{_B}:printf"),
    "exit": ("", f"{_B}:exit_"),
    "logout": ("", f"{_B}:logout"),
    "export": ("", f"{_B}:export"),
    "unset": ("", f"{_B}:unset"),
    ":": ("", f"{_B}:colon"),
    "true": ("", f"{_B}:true"),
    "false": ("", f"{_B}:false"),
    "history": ("", f"{_B}:history"),
    "type": ("", f"{_B}:type_"),
    "help": ("", f"{_B}:help_"),
    "test": ("", "mailsim.shell.commands.test_cmd:test"),
    "[": ("", "mailsim.shell.commands.test_cmd:bracket"),
    "break": ("", "mailsim.shell.commands.shell_lang:break_"),
    "continue": ("", "mailsim.shell.commands.shell_lang:continue_"),
    "return": ("", "mailsim.shell.commands.shell_lang:return_"),
    "shift": ("", "mailsim.shell.commands.shell_lang:shift"),
    "source": ("", "mailsim.shell.commands.shell_lang:source"),
    ".": ("", "mailsim.shell.commands.shell_lang:dot"),
    "read": ("", "mailsim.shell.commands.shell_lang:read"),
    "alias": ("", "mailsim.shell.commands.shell_lang:alias"),
    "unalias": ("", "mailsim.shell.commands.shell_lang:unalias"),
    "set": ("", "mailsim.shell.commands.shell_lang:set_"),
    "umask": ("", "mailsim.shell.commands.shell_lang:umask"),
    # text
    "cat": ("/usr/bin/cat", f"{_T}:cat"),
    "head": ("/usr/bin/head", f"{_T}:head"),
    "tail": ("/usr/bin/tail", f"{_T}:tail"),
    "wc": ("/usr/bin/wc", f"{_T}:wc"),
    "sort": ("/usr/bin/sort", f"{_T}:sort"),
    "uniq": ("/usr/bin/uniq", f"{_T}:uniq"),
    "cut": ("/usr/bin/cut", f"{_T}:cut"),
    "tee": ("/usr/bin/tee", f"{_T}:tee"),
    "grep": ("/usr/bin/grep", f"{_G}:grep"),
    "egrep": ("/usr/bin/egrep", f"{_G}:egrep"),
    "fgrep": ("/usr/bin/fgrep", f"{_G}:fgrep"),
    "sed": ("/usr/bin/sed", f"{_S}:sed"),
    "tr": ("/usr/bin/tr", "mailsim.shell.commands.tr:tr"),
    # awk
    "awk": ("/usr/bin/awk", "mailsim.shell.commands.awk_cmd:awk"),
    "mawk": ("/usr/bin/mawk", "mailsim.shell.commands.awk_cmd:mawk"),
    # files
    "ls": ("/usr/bin/ls", f"{_F}:ls"),
    "cp": ("/usr/bin/cp", f"{_F}:cp"),
    "mv": ("/usr/bin/mv", f"{_F}:mv"),
    "rm": ("/usr/bin/rm", f"{_F}:rm"),
    "mkdir": ("/usr/bin/mkdir", f"{_F}:mkdir"),
    "rmdir": ("/usr/bin/rmdir", f"{_F}:rmdir"),
    "touch": ("/usr/bin/touch", f"{_F}:touch"),
    "chmod": ("/usr/bin/chmod", f"{_F}:chmod"),
    "chown": ("/usr/bin/chown", f"{_F}:chown"),
    "chgrp": ("/usr/bin/chgrp", f"{_F}:chgrp"),
    "ln": ("/usr/bin/ln", f"{_F}:ln"),
    "find": ("/usr/bin/find", f"{_F}:find"),
    "stat": ("/usr/bin/stat", f"{_F}:stat"),
    # system
    "date": ("/usr/bin/date", f"{_Y}:date"),
    "hostname": ("/usr/bin/hostname", f"{_Y}:hostname"),
    "uname": ("/usr/bin/uname", f"{_Y}:uname"),
    "which": ("/usr/bin/which", f"{_Y}:which"),
    "env": ("/usr/bin/env", f"{_Y}:env"),
    "clear": ("/usr/bin/clear", f"{_Y}:clear"),
    "sleep": ("/usr/bin/sleep", f"{_Y}:sleep"),
    "ps": ("/usr/bin/ps", f"{_Y}:ps"),
    # accounts
    "id": ("/usr/bin/id", f"{_U}:id_"),
    "whoami": ("/usr/bin/whoami", f"{_U}:whoami"),
    "su": ("/usr/bin/su", f"{_U}:su"),
    "sudo": ("/usr/bin/sudo", f"{_U}:sudo"),
    "useradd": ("/usr/sbin/useradd", f"{_U}:useradd"),
    "passwd": ("/usr/bin/passwd", f"{_U}:passwd"),
    # network
    "ip": ("/usr/bin/ip", f"{_N}:ip"),
    "ss": ("/usr/bin/ss", f"{_N}:ss"),
    # services
    "systemctl": ("/usr/bin/systemctl", f"{_C}:systemctl"),
    "service": ("/usr/sbin/service", f"{_C}:service"),
    # certificates
    "openssl": ("/usr/bin/openssl", f"{_O}:openssl"),
    # documentation and paging
    "man": ("/usr/bin/man", f"{_D}:man"),
    "less": ("/usr/bin/less", f"{_D}:less"),
    "more": ("/usr/bin/more", f"{_D}:more"),
    # editors (open the TUI's editor)
    "vi": ("/usr/bin/vi", f"{_E}:editor"),
    "vim": ("/usr/bin/vim", f"{_E}:editor"),
    "nano": ("/usr/bin/nano", f"{_E}:editor"),
    "edit": ("/usr/bin/edit", f"{_E}:editor"),
    # small utilities
    "basename": ("/usr/bin/basename", "mailsim.shell.commands.paths_cmds:basename"),
    "dirname": ("/usr/bin/dirname", "mailsim.shell.commands.paths_cmds:dirname"),
    "readlink": ("/usr/bin/readlink", "mailsim.shell.commands.paths_cmds:readlink"),
    "seq": ("/usr/bin/seq", "mailsim.shell.commands.seq:seq"),
    "expr": ("/usr/bin/expr", "mailsim.shell.commands.expr:expr"),
    "getent": ("/usr/bin/getent", "mailsim.shell.commands.getent:getent"),
    "xargs": ("/usr/bin/xargs", "mailsim.shell.commands.xargs:xargs"),
    "diff": ("/usr/bin/diff", "mailsim.shell.commands.diff:diff"),
}
