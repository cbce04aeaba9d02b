"""GNU getopt_long, so every command parses its flags from a declared spec.

Messages are glibc's, character for character; the caller prefixes its name
and adds its own "Try '… --help'" line where the real tool does.
"""

from __future__ import annotations


class GetoptError(Exception):
    """A usage error; ``str(exc)`` is glibc's message without the program name."""


def getopt(
    args: list[str],
    short: str,
    long: list[str] | tuple[str, ...] = (),
    permute: bool = True,
) -> tuple[list[tuple[str, str]], list[str]]:
    """Parse ``args`` (without argv[0]).

    ``short`` is a getopt string (``"n:ae"``; a leading ``+`` stops at the first
    operand, as POSIX and Postfix's tools do); ``long`` lists names, ``name=``
    taking an argument and ``name=?`` an optional one. Returns the options as
    ``("-n", "5")`` / ``("--all", "")`` pairs in order, and the operands.
    """
    if short.startswith("+"):
        permute, short = False, short[1:]
    takes: dict[str, str] = {}
    i = 0
    while i < len(short):
        ch = short[i]
        kind = ""
        if short[i + 1 : i + 3] == "::":
            kind, i = "?", i + 2
        elif short[i + 1 : i + 2] == ":":
            kind, i = "=", i + 1
        takes[ch] = kind
        i += 1
    longs: dict[str, str] = {}
    for spec in long:
        if spec.endswith("=?"):
            longs[spec[:-2]] = "?"
        elif spec.endswith("="):
            longs[spec[:-1]] = "="
        else:
            longs[spec] = ""

    opts: list[tuple[str, str]] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands.extend(args[i:])
            break
        if arg.startswith("--") and longs:
            name, eq, value = arg[2:].partition("=")
            if name in longs:
                matches = [name]
            else:
                matches = [n for n in longs if n.startswith(name)]
            if not matches:
                raise GetoptError(f"unrecognized option '{arg}'")
            if len(matches) > 1:
                listed = " ".join(f"'--{m}'" for m in matches)
                raise GetoptError(f"option '--{name}' is ambiguous; possibilities: {listed}")
            full = matches[0]
            kind = longs[full]
            if kind == "" and eq:
                raise GetoptError(f"option '--{full}' doesn't allow an argument")
            if kind == "=" and not eq:
                if i >= len(args):
                    raise GetoptError(f"option '--{full}' requires an argument")
                value = args[i]
                i += 1
            opts.append((f"--{full}", value))
            continue
        if arg.startswith("-") and arg != "-" and not arg.startswith("--"):
            j = 1
            while j < len(arg):
                ch = arg[j]
                j += 1
                argkind = takes.get(ch)
                if argkind is None or ch == ":":
                    raise GetoptError(f"invalid option -- '{ch}'")
                if argkind == "":
                    opts.append((f"-{ch}", ""))
                    continue
                rest = arg[j:]
                if rest:
                    opts.append((f"-{ch}", rest))
                elif argkind == "=":
                    if i >= len(args):
                        raise GetoptError(f"option requires an argument -- '{ch}'")
                    opts.append((f"-{ch}", args[i]))
                    i += 1
                else:
                    opts.append((f"-{ch}", ""))
                break
            continue
        if arg.startswith("--") and not longs:
            raise GetoptError(f"unrecognized option '{arg}'")
        operands.append(arg)
        if not permute:
            operands.extend(args[i:])
            break
    return opts, operands


Settings = dict[str, tuple[tuple[str, object], ...]]
"""Options that only set attributes: option → its (attribute, value) pairs."""


def settings_table(*rows: tuple[tuple[str, ...], dict[str, object]]) -> Settings:
    """A ``Settings`` table from rows of (option names, {attribute: value})."""
    return {name: tuple(values.items()) for names, values in rows for name in names}


def apply_setting(table: Settings, option: str, target: object) -> bool:
    """Set ``option``'s attributes on ``target``; False when the table lacks it."""
    pairs = table.get(option)
    if pairs is None:
        return False
    for name, value in pairs:
        setattr(target, name, value)
    return True
