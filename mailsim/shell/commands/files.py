"""File utilities from GNU coreutils and findutils, over the machine's API.

The registry points at this module; each command lives in a focused module
and is re-exported here.
"""

from mailsim.shell.commands.files_copy import cp, ln, mv
from mailsim.shell.commands.files_find import find
from mailsim.shell.commands.files_ls import ls
from mailsim.shell.commands.files_meta import chgrp, chmod, chown
from mailsim.shell.commands.files_stat import stat
from mailsim.shell.commands.files_tree import mkdir, rm, rmdir, touch

__all__ = [
    "chgrp",
    "chmod",
    "chown",
    "cp",
    "find",
    "ln",
    "ls",
    "mkdir",
    "mv",
    "rm",
    "rmdir",
    "stat",
    "touch",
]
