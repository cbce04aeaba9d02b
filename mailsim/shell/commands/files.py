"""File utilities from GNU coreutils and findutils, over the machine's API.

The registry points at this module; each command lives in a focused module
and is re-exported here.
"""

from mailsim.shell.commands.files_ls import ls

__all__ = ["ls"]
