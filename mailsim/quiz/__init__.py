"""Question banks, quiz sessions, mock exams and the spaced-review scheduler.

Importable without Textual: the TUI's quiz screen and ``mailsim quiz --plain``
drive the same sessions.
"""
