"""``postconf``: Postfix configuration utility, as Postfix 3.7 behaves on Debian 12."""

from __future__ import annotations

import os
from dataclasses import dataclass

from mailsim.postfix import config as pfconfig
from mailsim.postfix import maincf, mastercf, params
from mailsim.postfix.expand import PARSE_ERROR, MacroCrash
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

USAGE = (
    "usage: postconf [-a (server SASL types)] [-A (client SASL types)] [-b (bounce templates)]"
    " [-c config_dir] [-c param_class] [-d (parameter defaults)] [-e (edit configuration)]"
    " [-f (fold lines)] [-F (master.cf fields)] [-h (no names)] [-H (no values)]"
    " [-l (lock types)] [-m (map types)] [-M (master.cf)] [-n (non-default parameters)]"
    " [-o name=value (override parameter value)] [-p (main.cf, default)]"
    " [-P (master.cf parameters)] [-t (bounce templates)]"
    " [-T compile-version|run-version|public-key-algorithms] [-v (verbose)]"
    " [-x (expand parameter values)] [-X (exclude)] [-# (comment-out)] [name...]"
)
NAME_ORDER = "aAbCdefFhHlmMnopPtTxX#"
"""Option letters in the order postconf names them in its messages."""
MAJOR = "aAblmtTpMFP"
EXCLUSIVE = ("aAblmtpMFPT", "den#X", "fe#X", "xe#X", "ode#X", "he#XH")
COMPAT = (
    ("a", ""),
    ("A", ""),
    ("b", ""),
    ("l", ""),
    ("m", ""),
    ("T", ""),
    ("t", ""),
    ("p", "eX#fhCxdnoH"),
    ("M", "eX#fox"),
    ("F", "efhoxH"),
    ("P", "eXfhoxH"),
    ("C", "pdn"),
)
MAP_TYPES = (
    "btree cidr environ fail hash inline internal memcache nis pcre pipemap proxy randmap"
    " regexp socketmap static tcp texthash unionmap unix"
).split()
LOCK_TYPES = ("flock", "fcntl", "dotlock")
SASL_SERVER = ("cyrus", "dovecot")
SASL_CLIENT = ("cyrus",)
LINE_LIMIT = 80
INDENT = "    "
SEPARATORS = " \t\r\n"


_UNPRINTABLE = {c: "?" for c in [*range(32), 127]}


def printable(text: str) -> str:
    """Postfix's logging replaces control characters with '?'."""
    return text.translate(_UNPRINTABLE)


def templates_text() -> str:
    """``postconf -t`` of Postfix 3.7: the built-in bounce templates, recorded."""
    from importlib import resources

    data = resources.files("mailsim.postfix").joinpath("data/bounce_templates.txt")
    return data.read_text("utf-8")


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _seconds(value: str, default_unit: str) -> int:
    """A Postfix time value (``4h``, ``90m``; bare numbers in ``default_unit``)."""
    value = value.strip()
    unit = value[-1:] if value[-1:] in _UNITS else default_unit
    number = value[:-1] if value[-1:] in _UNITS else value
    return int(number) * _UNITS[unit] if number.isdigit() else 0


class Fatal(Exception):
    """``postconf: fatal: …`` and exit status 1."""


def _names(flags: str) -> str:
    return " ".join("-" + ch for ch in NAME_ORDER if ch in flags)


def check_options(mode: str) -> None:
    """postconf's mutual-exclusion and compatibility checks, in its order."""
    for group in EXCLUSIVE:
        hit = [ch for ch in group if ch in mode]
        if len(hit) > 1:
            raise Fatal(f"specify one of {_names(''.join(hit))}")
    for option, allowed in COMPAT:
        if option in mode:
            excess = [ch for ch in mode if ch not in option + allowed and ch not in "cv"]
            if excess:
                raise Fatal(f"with option -{option}, do not specify {_names(''.join(excess))}")


def fold_line(text: str, fold: bool) -> str:
    """print_line(): words joined by single spaces, wrapped at 80 columns under -f."""
    out: list[str] = []
    length = 0
    for word in text.translate({ord(c): " " for c in SEPARATORS}).split(" "):
        if not word:
            continue
        if length > 0:
            if not fold or length + len(word) < LINE_LIMIT:
                out.append(" ")
                length += 1
            else:
                out.append("\n" + INDENT)
                length = len(INDENT)
        out.append(word)
        length += len(word)
    return "".join(out) + "\n"


@dataclass
class _Request:
    """One service_name[/type[/field]] argument of -M or -F, and how many entries it matched."""

    raw: str
    parts: list[str]
    count: int = 0


class Postconf:
    """One run of postconf."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.prog = ctx.argv[0] if ctx.argv else "postconf"
        """Messages carry argv[0] as typed, as msg_vstream_init(argv[0]) makes them."""
        self.machine = ctx.machine
        self.config_dir = pfconfig.CONFIG_DIR
        self.explicit_dir = False
        self.mode = ""
        self.param_class = {"builtin", "service", "user"}
        self.overrides: list[str] = []

    def warn(self, message: str) -> None:
        self.ctx.err(f"{self.prog}: warning: {printable(message)}\n")

    def path(self, name: str) -> str:
        return f"{self.config_dir}/{name}"

    def _abs(self, path: str) -> str:
        return path if path.startswith("/") else self.ctx.abspath(path)

    def run(self) -> int:
        try:
            opts, args = getopt(self.ctx.args, "+aAbc:C:deEfFhHlmMno:pPtT:vxX#")
        except GetoptError as exc:
            self.ctx.err(f"{self.prog}: {exc}\n")
            raise Fatal(USAGE) from None
        for opt, value in opts:
            letter = opt[1]
            if letter == "E":
                raise Fatal(USAGE)
            if letter == "c":
                self.config_dir = value
                self.explicit_dir = True
            elif letter == "C":
                classes = set()
                for word in value.replace(",", " ").split():
                    lowered = word.lower()
                    if lowered == "all":
                        classes |= {"builtin", "service", "user"}
                    elif lowered in ("builtin", "service", "user"):
                        classes.add(lowered)
                    else:
                        raise Fatal(f'unknown -C option value "{word}" in "{value}"')
                self.param_class = classes
                self.mode += "C"
            elif letter == "o":
                self.overrides.append(value)
                self.mode += "o"
            elif letter != "v" and letter not in self.mode:
                self.mode += letter
        if not any(ch in self.mode for ch in MAJOR):
            self.mode += "p"
        if any(ch in self.mode for ch in "pMFP") and args and "=" in args[0]:
            self.mode += "e" if "e" not in self.mode else ""
        check_options(self.mode)
        if "e" in self.mode and not args:
            raise Fatal("-e requires name=value argument")
        if "b" in self.mode or "t" in self.mode:
            if len(args) > 1:
                raise Fatal("options -b and -t require at most one template file")
            if args:
                raise Fatal("template files are not available in this simulation")
            self.show_templates(expand="b" in self.mode)
            return 0
        if "m" in self.mode:
            self.ctx.out("".join(t + "\n" for t in MAP_TYPES))
        elif "l" in self.mode:
            self.ctx.out("".join(t + "\n" for t in LOCK_TYPES))
        elif any(ch in self.mode for ch in "MFP") and not any(ch in self.mode for ch in "eX#"):
            self.show_master(args)
        elif "a" in self.mode:
            self.ctx.out("".join(t + "\n" for t in SASL_SERVER))
        elif "A" in self.mode:
            self.ctx.out("".join(t + "\n" for t in SASL_CLIENT))
        elif "T" in self.mode:
            raise Fatal("-T is not available in this simulation")
        elif any(ch in self.mode for ch in "eX#"):
            if not args:
                raise Fatal("missing service argument")
            if "M" in self.mode:
                self.edit_master(args)
                return 0
            if any(ch in self.mode for ch in "FP"):
                raise Fatal("editing master.cf fields is not available in this simulation")
            self.edit_main(args)
        else:
            self.show_params(args)
        return 0

    # -- reading -------------------------------------------------------------------

    def read_main(self) -> maincf.MainCf:
        path = self.path("main.cf")
        try:
            model = pfconfig.read_main(self.machine, self._abs(self.config_dir))
        except OSError as exc:
            raise Fatal(f"open {path}: {os.strerror(exc.errno or 2)}") from None
        for warning in model.warnings:
            self.warn(warning.replace("{path}", path))
        if model.error is not None:
            raise Fatal(f"{path}, line {model.error.line}: {model.error.message}")
        return model

    def read_master(self, fail: bool) -> list[mastercf.Service]:
        path = self.path("master.cf")
        try:
            services = pfconfig.read_master(self.machine, self._abs(self.config_dir))
        except OSError as exc:
            message = f"open {path}: {os.strerror(exc.errno or 2)}"
            if fail:
                raise Fatal(message) from None
            self.warn(message)
            return []
        if isinstance(services, mastercf.MasterCfError):
            text = str(services).replace(f"file {self._abs(path)}:", f"file {path}:")
            raise Fatal(text)
        for warning in getattr(services, "warnings", []):
            self.warn(warning.replace("{path}", path))
        for service in services:
            for warning in service.warnings:
                self.warn(warning)
        return services

    def overrides_dict(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for item in self.overrides:
            parsed = maincf.split_nameval(item)
            if isinstance(parsed, str):
                raise Fatal(f"invalid parameter override: {item}: {parsed}")
            result[parsed[0]] = parsed[1]
        return result

    def load(self, defaults_only: bool, master_first: bool = False) -> pfconfig.PostfixConfig:
        services: list[mastercf.Service] = []
        if master_first:
            services = self.read_master(fail=True)
        main = None if defaults_only else self.read_main()
        overrides = None if defaults_only else self.overrides_dict()
        if not master_first:
            services = self.read_master(fail=False)
        cfg = pfconfig.PostfixConfig(
            self.machine,
            main,
            services,
            self.config_dir,
            overrides=overrides,
            pid=None,
        )
        if self.explicit_dir and not defaults_only:
            cfg._settings.setdefault("config_directory", self.config_dir)
        if defaults_only:
            return cfg
        for warning in cfg.scan_warnings():
            self.warn(warning)
        try:
            cfg.check_defaults()
        except pfconfig.ConfigError as exc:
            raise Fatal(str(exc)) from None
        return cfg

    # -- main.cf parameters -------------------------------------------------------------

    def show_params(self, names: list[str]) -> None:
        defaults = "d" in self.mode
        cfg = self.load(defaults_only=defaults)
        fold = "f" in self.mode
        if names:
            for name in names:
                if not cfg.is_known(name):
                    self.warn(f"{name}: unknown parameter")
                    continue
                self.print_param(cfg, name, fold)
        else:
            table = params.table().defaults
            # -n shows only main.cf's settings: no need to walk the whole table.
            candidates = cfg.set_names() if "n" in self.mode else cfg.names()
            for name in candidates:
                kind = (
                    "builtin" if name in table else ("service" if cfg.is_builtin(name) else "user")
                )
                if kind in self.param_class:
                    self.print_param(cfg, name, fold)
        if not defaults:
            for name, value in cfg.unused():
                self.warn(f"{self.path('main.cf')}: unused parameter: {name}={value}")
            self.warn_unused_master(cfg)

    def warn_unused_master(self, cfg: pfconfig.PostfixConfig) -> None:
        for _service, name, value in cfg.unused_master():
            self.warn(f"{self.path('master.cf')}: unused parameter: {name}={value}")

    def print_param(self, cfg: pfconfig.PostfixConfig, name: str, fold: bool) -> None:
        try:
            self._print_param(cfg, name, fold)
        except pfconfig.ConfigError as exc:
            raise Fatal(str(exc)) from None

    def _print_param(self, cfg: pfconfig.PostfixConfig, name: str, fold: bool) -> None:
        if "d" in self.mode:
            value = cfg.default(name)
        elif "n" in self.mode:
            value = cfg.setting(name) if cfg.is_known(name) else None
        else:
            value = cfg.get(name)
        if value is None:
            return
        if "x" in self.mode and name not in params.table().raw:
            value, status = cfg.expand_checked(value, self.warn)
            if status & PARSE_ERROR:
                raise Fatal("macro processing error")
        if "H" in self.mode:
            self.ctx.out(name + "\n")
        elif "h" in self.mode:
            self.ctx.out(fold_line(value, fold))
        else:
            self.ctx.out(fold_line(f"{name} = {value}", fold))

    def edit_main(self, args: list[str]) -> None:
        edit_mode = "e" if "e" in self.mode else ("X" if "X" in self.mode else "#")
        changes: dict[str, str | None] = {}
        for arg in args:
            if "\n" in arg:
                raise Fatal("-e, -X, or -# accepts no multi-line input")
            text = arg.lstrip(" \t\r\n\v\f")
            if text.startswith("#"):
                raise Fatal("-e, -X, or -# accepts no comment input")
            if edit_mode == "e":
                parsed = maincf.split_nameval(text)
                if isinstance(parsed, str):
                    raise Fatal(f'{parsed}: "{text}"')
                name, value = parsed
            else:
                if not text:
                    raise Fatal("-X or -# requires non-blank parameter names")
                if "=" in text:
                    raise Fatal("-X or -# requires parameter names without value")
                name, value = text.rstrip(" \t\r\n\v\f"), None
            if name in changes:
                self.warn(f"ignoring earlier request: '{name} = {changes[name]}'")
                del changes[name]
            changes[name] = value
        path = self.path("main.cf")
        host = self._abs(path)
        try:
            text = self.machine.read_text(host)
        except OSError as exc:
            if exc.errno == 2 and self.machine.is_dir(os.path.dirname(host) or "/"):
                raise Fatal(f"open {path} for reading: {os.strerror(exc.errno)}") from None
            raise Fatal(f"open {path}.tmp: {os.strerror(exc.errno or 2)}") from None
        new_text, warnings = maincf.edit(text, changes, edit_mode)
        for warning in warnings:
            self.warn(warning.replace("{path}", path))
        try:
            self.machine.write_text(host, new_text)
        except OSError as exc:
            raise Fatal(f"open {path}.tmp: {os.strerror(exc.errno or 2)}") from None

    def edit_master(self, args: list[str]) -> None:
        from mailsim.postfix import mastercf_edit

        mode = "e" if "e" in self.mode else ("X" if "X" in self.mode else "#")
        path = self.path("master.cf")
        host = self._abs(path)
        try:
            text = self.machine.read_text(host)
            new_text = mastercf_edit.edit(text, args, mode)
            self.machine.write_text(host, new_text)
        except mastercf_edit.EditError as exc:
            raise Fatal(str(exc)) from None
        except OSError as exc:
            raise Fatal(f"open {path}: {os.strerror(exc.errno or 2)}") from None

    # -- bounce templates ----------------------------------------------------------------

    def show_templates(self, expand: bool) -> None:
        """``-t`` prints the built-in bounce templates, ``-b`` their text as expanded."""
        text = templates_text()
        if not expand:
            self.ctx.out(text)
            return
        cfg = self.load(defaults_only=False)
        values = {
            "$myhostname": cfg.expand("myhostname"),
            "$delay_warning_time_hours": str(
                _seconds(cfg.expand("delay_warning_time"), "h") // 3600
            ),
            "$maximal_queue_lifetime_days": str(
                _seconds(cfg.expand("maximal_queue_lifetime"), "d") // 86400
            ),
        }
        blocks = []
        for block in text.split("EOF\n\n"):
            head, _, body = block.partition(" = <<EOF\n")
            name = head.removesuffix("_template")
            body = body.removesuffix("EOF\n").partition("\n\n")[2]
            for key, value in values.items():
                body = body.replace(key, value)
            blocks.append(f"expanded_{name}_text = <<EOF\n{body}EOF\n")
        self.ctx.out("\n".join(blocks))

    # -- master.cf --------------------------------------------------------------------

    def show_master(self, args: list[str]) -> None:
        cfg = self.load(defaults_only=False, master_first=True)
        fold = "f" in self.mode
        expand = (lambda v: cfg.expand_value(v, self.warn)) if "x" in self.mode else None
        services = cfg.services
        if "M" in self.mode:
            patterns = []
            for raw in args:
                parts = raw.split("/")
                if len(parts) > 2 or not all(parts):
                    raise Fatal("-M option requires service_name[/type]")
                patterns.append(_Request(raw, parts))
            for service in services:
                if not patterns:
                    self.ctx.out(mastercf.format_entry(service, fold, expand))
                for pattern in patterns:
                    if mastercf.match(pattern.parts, service):
                        pattern.count += 1
                        self.ctx.out(mastercf.format_entry(service, fold, expand))
            self.warn_unmatched(patterns)
        elif "F" in self.mode:
            self.show_fields(services, args)
        else:
            self.show_master_params(services, args, expand)
        self.warn_unused_master(cfg)

    def show_fields(self, services: list[mastercf.Service], args: list[str]) -> None:
        requests = []
        for raw in args:
            parts = raw.split("/")
            if len(parts) != 3 or not all(parts):
                raise Fatal("-F option requires service_name[/type[/field]]")
            if parts[2] not in mastercf.FIELD_NAMES:
                raise Fatal(f'-F option requires service_name[/type[/field]]: "{raw}"')
            requests.append(_Request(raw, parts))
        for service in services:
            for field, fname in enumerate(mastercf.FIELD_NAMES):
                wanted = not requests
                for request in requests:
                    if mastercf.match(request.parts, service) and request.parts[2] == fname:
                        request.count += 1
                        wanted = True
                if wanted:
                    self.print_field(
                        f"{service.name}/{service.type}/{fname}",
                        mastercf.field_text(service, field),
                    )
        self.warn_unmatched(requests)

    def warn_unmatched(self, requests: list[_Request]) -> None:
        for request in requests:
            if request.count == 0:
                self.warn(f'unmatched request: "{request.raw}"')

    def print_field(self, name: str, value: str) -> None:
        if "H" in self.mode:
            self.ctx.out(name + "\n")
        elif "h" in self.mode:
            self.ctx.out(value + "\n")
        else:
            self.ctx.out(f"{name} = {value}\n")

    def show_master_params(self, services, args, expand) -> None:  # type: ignore[no-untyped-def]
        requests = []
        for raw in args:
            parts = raw.split("/")
            if len(parts) != 3 or not all(parts):
                raise Fatal("-P option requires service_name[/type[/parameter]]")
            requests.append([raw, parts, 0])
        for service in services:
            for name, value in sorted(service.params().items()):
                wanted = not requests
                for request in requests:
                    if mastercf.match(request[1], service) and request[1][2] == name:
                        request[2] += 1
                        wanted = True
                if wanted:
                    shown = expand(value) if expand else value
                    self.print_field(f"{service.name}/{service.type}/{name}", shown)
        for raw, _parts, count in requests:
            if count == 0:
                self.warn(f'unmatched request: "{raw}"')


@command(
    "postconf",
    synopsis="postconf [-dfhnHx] [-c config_dir] [-e|-X|-#] [name[=value] ...]",
    summary="Postfix configuration utility",
    completes="postfix-params",
)
def main(ctx: Context) -> int:
    try:
        return Postconf(ctx).run()
    except MacroCrash:
        # Postfix 3.7 recurses until the stack overflows: SIGSEGV, no message of its own.
        return 139
    except Fatal as exc:
        ctx.err(f"{ctx.argv[0] if ctx.argv else 'postconf'}: fatal: {printable(str(exc))}\n")
        return 1
