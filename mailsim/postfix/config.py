"""The loaded Postfix configuration of a machine: the API other parts build on.

``load(machine)`` reads ``/etc/postfix/main.cf`` and ``master.cf`` (parsed
once per file version through ``machine.cached``) and answers what Postfix
itself would: ``get(name)`` (the raw value in effect), ``expand(name)`` (after
``$name`` expansion), ``value_origin(name)`` (file and line that set it),
whether a name is known, and which main.cf settings are unused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mailsim.postfix import maincf, mastercf, params
from mailsim.postfix.expand import PARSE_ERROR, MacroCrash, references
from mailsim.postfix.expand import expand as mac_expand

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

CONFIG_DIR = "/etc/postfix"
REST_CLASSES = "smtpd_restriction_classes"


class ConfigError(Exception):
    """main.cf cannot be used: ``str(exc)`` is Postfix's fatal text (no ``postconf: fatal: ``)."""


@dataclass(frozen=True)
class Origin:
    path: str
    line: int


def _read(machine: Machine, path: str, build: Callable[[str], object]) -> object:
    return machine.cached(path, build)


class PostfixConfig:
    """main.cf + master.cf + the parameter table, as one Postfix program sees them."""

    def __init__(
        self,
        machine: Machine,
        main: maincf.MainCf | None,
        master: list[mastercf.Service] | mastercf.MasterCfError | None,
        config_dir: str = CONFIG_DIR,
        pid: int | None = None,
        overrides: dict[str, str] | None = None,
    ) -> None:
        self.machine = machine
        self.main = main if main is not None else maincf.MainCf()
        """The parsed main.cf (empty when showing defaults only)."""
        self.master = master
        self.config_dir = config_dir
        self.defaults_only = main is None
        self._pid = pid
        self._table = params.table()
        self._settings: dict[str, str] = {
            name: entry.value for name, entry in self.main.entries.items()
        }
        if config_dir != CONFIG_DIR and not self.defaults_only:
            self._settings["config_directory"] = config_dir
        self.readonly_assignments: list[tuple[str, str]] = []
        for name in list(self._settings):
            if name in self._table.readonly:
                self.readonly_assignments.append((name, self._settings.pop(name)))
        if overrides:
            self._settings.update(overrides)
        services = master if isinstance(master, list) else []
        self.services = services
        self._service_defaults = params.service_params([(s.name, s.command) for s in services])
        self._host_cache: dict[str, str] = {}
        self._valid_user: set[str] | None = None
        self._scan_warnings: list[str] = []
        self._default_error: ConfigError | MacroCrash | None = None
        self._local_valid: set[tuple[int, str]] = set()
        self._locals: list[dict[str, str]] = []
        self._eval_warnings: list[str] = []

    # -- what is known -----------------------------------------------------------

    @property
    def main_path(self) -> str:
        return f"{self.config_dir}/main.cf"

    def is_builtin(self, name: str) -> bool:
        return name in self._table.defaults or name in self._service_defaults

    def valid_user_names(self) -> set[str]:
        """User-defined main.cf names that Postfix counts as used."""
        if self._valid_user is None:
            # Lookups made during the scan see only what is validated so far.
            self._valid_user = set()
            self._valid_user = self._scan_user_names()
        return self._valid_user

    def check_defaults(self) -> None:
        """Raise the ConfigError that Postfix's startup scan would have been fatal with.

        MacroCrash where the scan crashes; the warnings before it still come
        first (``scan_warnings``), as the real stderr shows them before the crash.
        """
        self.valid_user_names()
        if self._default_error is not None:
            raise self._default_error

    def scan_crashed(self) -> bool:
        """Whether the startup scan recursed without end (the real postconf dies of SIGSEGV)."""
        self.valid_user_names()
        return isinstance(self._default_error, MacroCrash)

    def scan_warnings(self) -> list[str]:
        """What Postfix's startup scan warns, in its order (undefined names, bad syntax…)."""
        self.valid_user_names()
        return list(self._scan_warnings)

    def _scan_user_names(self) -> set[str]:
        """register_user_parameters(), with the evaluations Postfix 3.7 makes on the way.

        Order (observed and from postconf_user.c): master.cf ``-o`` values; the
        defaults left in effect (the host-derived ones computed, evaluating a
        main.cf myhostname or mydomain against main.cf alone, and scanned); then
        main.cf: smtpd_restriction_classes evaluated against main.cf, and each
        entry (read-only ones refused, all scanned for $names, built-in ones
        then expanded in full). A failing evaluation ends the scan with the fatal
        error ``check_defaults`` raises.
        """
        settings = self._settings
        valid: set[str] = set()
        warnings: list[str] = []
        self._scan_warnings = warnings
        builtin = self.is_builtin
        raw = self._table.raw
        main_cf = f"{self.config_dir}/main.cf"

        def lookup(name: str, _test: bool) -> str | None:
            if name in settings and (builtin(name) or name in valid):
                return settings[name]
            return self.default(name) if builtin(name) else None

        locals_ = [service.params() for service in self.services]
        local_valid = self._local_valid

        def scan(value: str, source: str, local: dict[str, str] | None) -> None:
            for ref in references(value, warnings.append):
                if local is not None and ref in local:
                    local_valid.add((id(local), ref))
                    continue
                if local is None:
                    local_valid.update((id(lp), ref) for lp in locals_ if ref in lp)
                if ref in settings:
                    valid.add(ref)
                elif not builtin(ref) and ref not in valid:
                    warnings.append(f"{self.config_dir}/{source}: undefined parameter: {ref}")

        self._locals = locals_
        for local in locals_:
            for value in local.values():
                if "$" in value:
                    scan(value, "master.cf", local)
        for name, refs in self._table.references.items():
            if name not in settings and name not in self._table.host_derived:
                valid.update(ref for ref in refs if ref in settings)
        if self.defaults_only:
            return {name for name in valid if not builtin(name)}
        self._eval_warnings = warnings
        try:
            for name in sorted(self._table.host_derived - {"process_id"}):
                if name not in settings:
                    value = self._host_default(name)
                    if "$" in value:
                        scan(value, "main.cf", None)
            classes = settings.get(REST_CLASSES)
            if classes is not None:
                text = self._main_eval(REST_CLASSES) or ""
                for word in text.replace(",", " ").split():
                    local_valid.update((id(lp), word) for lp in locals_ if word in lp)
                    if word in settings:
                        valid.add(word)
                    elif not builtin(word) and word not in valid:
                        warnings.append(f"{main_cf}: undefined parameter: {word}")
            for name, value in self.readonly_assignments:
                warnings.append(f"{main_cf}: read-only parameter assignment: {name}={value}")
            for name, value in settings.items():
                if name in raw or "$" not in value:
                    continue
                scan(value, "main.cf", None)
                if builtin(name):
                    _, status = mac_expand(value, lookup, warnings.append)
                    if status & PARSE_ERROR:
                        raise ConfigError("macro processing error")
        except (ConfigError, MacroCrash) as exc:
            self._default_error = exc
        finally:
            self._eval_warnings = []
        return {name for name in valid if not builtin(name)}

    def is_known(self, name: str) -> bool:
        """A built-in, service-defined, or used user-defined parameter."""
        return self.is_builtin(name) or name in self.valid_user_names()

    def names(self) -> list[str]:
        """Every known parameter name, in postconf's order (bytewise)."""
        names = set(self._table.defaults) | set(self._service_defaults)
        names |= self.valid_user_names()
        return sorted(names, key=lambda n: n.encode())

    def set_names(self) -> list[str]:
        """Known names main.cf sets, in postconf's order (what ``postconf -n`` lists)."""
        return sorted((n for n in self._settings if self.is_known(n)), key=lambda n: n.encode())

    def unused(self) -> list[tuple[str, str]]:
        """main.cf ``name=value`` pairs Postfix would call unused, in file order."""
        return [(name, value) for name, value in self._settings.items() if not self.is_known(name)]

    def unused_master(self) -> list[tuple[str, str, str]]:
        """master.cf ``-o name=value`` settings Postfix would call unused: (service, name, value)."""
        self.valid_user_names()
        result = []
        for service, local in zip(self.services, self._locals, strict=False):
            for name, value in local.items():
                if not self.is_known(name) and (id(local), name) not in self._local_valid:
                    result.append((f"{service.name}/{service.type}", name, value))
        return result

    # -- values ----------------------------------------------------------------

    def is_set(self, name: str) -> bool:
        return name in self._settings

    def setting(self, name: str) -> str | None:
        """The value main.cf gives ``name`` (None when it does not set it)."""
        return self._settings.get(name)

    def default(self, name: str) -> str | None:
        """The default value of a known parameter, following the simulated host."""
        if name in self._table.host_derived:
            return self._host_default(name)
        value = self._table.defaults.get(name)
        if value is None:
            value = self._service_defaults.get(name)
        if value is None and name in self.valid_user_names():
            return ""
        return value

    def get(self, name: str) -> str | None:
        """The raw value in effect: main.cf's, else the default; None if unknown."""
        value = self._settings.get(name)
        if value is not None and self.is_known(name):
            return value
        return self.default(name)

    def value_origin(self, name: str) -> tuple[str, int] | None:
        """(file, line) of the main.cf line that sets ``name``, or None for a default."""
        entry = self.main.entries.get(name)
        if entry is None or name not in self._settings:
            return None
        return (self.main_path, entry.line)

    def expand(self, name: str, warn: Callable[[str], None] | None = None) -> str:
        """The value of ``name`` after $name expansion (empty for unknown names)."""
        value = self.get(name)
        if value is None:
            return ""
        if name in self._table.raw:
            return value
        return self._expand_text(value, warn)

    def expand_value(self, text: str, warn: Callable[[str], None] | None = None) -> str:
        """Expand an arbitrary value against this configuration."""
        return self._expand_text(text, warn)

    def _lookup(self, name: str, _test: bool) -> str | None:
        if not self.is_known(name):
            return None
        return self.get(name)

    def _expand_text(self, text: str, warn: Callable[[str], None] | None = None) -> str:
        if "$" not in text:
            return text
        result, _status = mac_expand(text, self._lookup, warn or (lambda _m: None))
        return result

    def expand_checked(self, text: str, warn: Callable[[str], None]) -> tuple[str, int]:
        """Expand and also return mac_expand's status bits (for postconf -x)."""
        return mac_expand(text, self._lookup, warn)

    # -- host-derived defaults ----------------------------------------------------

    def _main_eval(self, name: str) -> str | None:
        """mail_conf_lookup_eval(): main.cf's value, expanded against main.cf alone."""
        if self.defaults_only or name not in self._settings:
            return None
        settings = self._settings
        text, status = mac_expand(
            settings[name], lambda n, _t: settings.get(n), self._eval_warnings.append
        )
        if status & PARSE_ERROR:
            raise ConfigError("dictionary mail_dict: macro processing error")
        return text

    def _param_eval(self, name: str) -> str:
        value = self._main_eval(name)
        if value is None:
            value, status = mac_expand(
                self._table.defaults[name], self._lookup, self._eval_warnings.append
            )
            if status & PARSE_ERROR:
                raise ConfigError("macro processing error")
        return value

    def _host_default(self, name: str) -> str:
        cached = self._host_cache.get(name)
        if cached is not None:
            return cached
        if name == "myhostname":
            value = params.my_hostname(self.machine, self._main_eval("mydomain"))
        elif name == "mydomain":
            host = self._main_eval("myhostname")
            if host is None:
                host = params.my_hostname(self.machine, self._main_eval("mydomain"))
            value = params.my_domain(host)
        elif name == "mynetworks":
            # Postfix reads inet_protocols and inet_interfaces at startup, before
            # mynetworks_style's default is evaluated: their errors come first.
            protocols = self._param_eval("inet_protocols")
            interfaces = self._param_eval("inet_interfaces")
            try:
                value = params.my_networks(
                    self.machine, self._param_eval("mynetworks_style"), interfaces, protocols
                )
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
        else:
            if self._pid is None:
                self._pid = self.machine.allocate_pid()
            value = str(self._pid)
        self._host_cache[name] = value
        return value


def read_main(machine: Machine, config_dir: str = CONFIG_DIR) -> maincf.MainCf:
    """The parsed main.cf (raises OSError when it cannot be read)."""
    return _read(machine, f"{config_dir}/main.cf", maincf.parse)  # type: ignore[return-value]


def read_master(
    machine: Machine, config_dir: str = CONFIG_DIR
) -> list[mastercf.Service] | mastercf.MasterCfError:
    """master.cf's services, or the fatal error reading it gave (raises OSError)."""
    path = f"{config_dir}/master.cf"
    services = _read(machine, path, _build_master)
    if isinstance(services, mastercf.MasterCfError):
        return mastercf.MasterCfError(str(services).replace("{path}", path))
    return services  # type: ignore[return-value]


def _build_master(text: str) -> list[mastercf.Service] | mastercf.MasterCfError:
    """Module-level, so machine.cached (keyed by builder) reuses the parse."""
    try:
        return mastercf.parse(text, "{path}")
    except mastercf.MasterCfError as exc:
        return exc


def load(machine: Machine, config_dir: str = CONFIG_DIR) -> PostfixConfig:
    """The configuration Postfix programs on this machine see.

    A missing main.cf or master.cf counts as empty; a main.cf syntax error
    raises ConfigError with Postfix's fatal text.
    """
    try:
        main = read_main(machine, config_dir)
    except OSError:
        main = maincf.MainCf()
    if main.error is not None:
        raise ConfigError(f"{config_dir}/main.cf, line {main.error.line}: {main.error.message}")
    try:
        master: list[mastercf.Service] | mastercf.MasterCfError | None = read_master(
            machine, config_dir
        )
    except OSError:
        master = None
    return PostfixConfig(machine, main, master, config_dir)
