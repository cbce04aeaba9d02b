"""Lesson packs: format, loader, checks, grader, lab sessions and the instructor's tools.

Importable without Textual: the TUI and the CLI both build on this package.
"""
