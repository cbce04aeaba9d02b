"""awk as Debian 12 has it (mawk 1.3.4): lexer, parser, compiler to closures, runner."""
