"""The Textual face of mailsim (the core never imports it)."""

import os

# Textual waits ESCDELAY ms after an Esc to tell a lone Esc from the start of an
# escape sequence. At its default (100 ms) a vi user's quick Esc then ':' (the
# editor's command bar) reaches the app as ':' alone and the Esc is lost. Terminals
# send a sequence in one write, so 40 ms keeps them whole; a user's own ESCDELAY wins.
os.environ.setdefault("ESCDELAY", "40")
