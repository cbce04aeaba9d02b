"""Turn a parsed configuration into doveconf's lines, as ``config-request.c`` and
``doveconf.c`` of Dovecot 2.3 do.

Settings are first exported as flat ``path=value`` strings (``service/imap/
inet_listener/imap/port=143``; section lists as ``\\001service=imap pop3``;
a named section's name as ``service/imap/\\xffname=imap``), sorted with C's
signed-char comparison, then printed as nested blocks. Doing it the real way
reproduces its ordering (``imap-login`` before ``imap``) and its quirks.
"""

from __future__ import annotations

from collections.abc import Callable

from mailsim.dovecot.config import DovecotConfig
from mailsim.dovecot.parser import Filter, Section, _escape
from mailsim.dovecot.settings import SettingDef, table

LIST = "\001"
UNIQUE = "\uffff"
"""Stands for doveconf's 0xff byte, which sorts first as a signed char."""

ALWAYS_SHOWN = {"namespace": ("location", "prefix")}
"""Fields Dovecot 2.3 reports for every namespace, set or not."""

INDENT = "                              !!!!"

SECRETS = ("key", "secret", "pass", "http://", "https://", "ftp://")


def _sort_key(item: str) -> list[int]:
    key = item.split("=", 1)[0]
    out: list[int] = []
    for part_index, part in enumerate(key.split(UNIQUE)):
        if part_index:
            out.append(-1)
        for b in part.encode("utf-8", "surrogateescape"):
            out.append(b - 256 if b >= 128 else b)
    return out


class Exporter:
    """Collects the flat strings of one settings root (the global one or a filter's)."""

    def __init__(self, scope: str, modules: frozenset[str] | None) -> None:
        self.scope = scope
        """all, all_hidden, set or changed."""
        self.modules = modules
        self.merged = False
        """Exporting a -f merge: Dovecot 2.3 then loses which named-section fields were set."""
        self.strings: list[str] = []
        self.table = table()

    def _want(self, name: str) -> bool:
        return self.modules is None or name in self.modules

    def _dump(self, defn: SettingDef, value: str, changed: bool) -> bool:
        if self.scope == "all_hidden":
            return True
        if self.scope == "all":
            return not defn.hidden or changed
        if self.scope == "set":
            return changed
        return value != defn.default

    def globals(self, settings: dict[str, str]) -> None:
        for name, defn in self.table.globals.items():
            if not self._want(name):
                continue
            changed = name in settings
            value = settings[name] if changed else defn.default
            if self._dump(defn, value, changed):
                self.strings.append(f"{name}={value}")

    def unique_children(
        self,
        prefix: str,
        kind: str,
        items: list[tuple[str, dict[str, str], dict[str, str], list]],
    ) -> None:
        """Named sections (service, listeners, namespace, mailbox): ``items`` are
        (name, all field values, explicitly set fields, child item lists)."""
        ids = []
        for index, (name, _values, _set, _kids) in enumerate(items):
            ids.append(_escape(name) if name else str(index))
        if not ids:
            return
        self.strings.append(f"{LIST}{prefix}{kind}={' '.join(ids)}")
        always = ALWAYS_SHOWN.get(kind, ())
        for ident, (name, values, explicit, kids) in zip(ids, items, strict=True):
            base = f"{prefix}{kind}/{ident}/"
            self.strings.append(f"{base}{UNIQUE}name={name}")
            for field, value in values.items():
                if field == "name":
                    continue
                set_here = field in explicit and not self.merged
                if self.scope in ("all", "all_hidden") or set_here or field in always:
                    self.strings.append(f"{base}{field}={value}")
            for child_kind, child_items in kids:
                self.unique_children(base, child_kind, child_items)

    def numbered_children(self, kind: str, sections: list[Section]) -> None:
        """passdb and userdb: numbered, compared with the section defaults."""
        if not sections:
            return
        self.strings.append(f"{LIST}{kind}={' '.join(str(i) for i in range(len(sections)))}")
        fields = self.table.sections[kind].fields
        for index, section in enumerate(sections):
            for field, defn in fields.items():
                set_value = section.settings.get(field)
                value = set_value.text if set_value is not None else defn.default
                changed = set_value is not None
                if field == "name":
                    # opening the section writes its name, so it counts as set (-N shows it)
                    value, changed = section.name, True
                if self._dump(defn, value, changed):
                    self.strings.append(f"{kind}/{index}/{field}={value}")

    def strlist(self, kind: str, section: Section | None) -> None:
        if section is None:
            return
        self.strings.append(f"{LIST}{kind}=")
        for key, value in section.settings.items():
            self.strings.append(f"{kind}/{key}={value.text}")


def _section_items(
    section_list: list[Section],
    defaults: dict[str, tuple[dict, list]] | None,
    include_defaults: bool,
) -> list:
    """Unique-section items for Exporter.unique_children, default instances first."""
    tbl = table()
    items: list = []
    by_name: dict[str, int] = {}
    if defaults and include_defaults:
        for name, (fields, listeners) in defaults.items():
            kids = _listener_items([], listeners)
            by_name[name] = len(items)
            items.append([name, dict(fields), {}, kids])
    for section in section_list:
        sdef = tbl.sections[section.kind]
        explicit = {k: v.text for k, v in section.settings.items()}
        if section.name and section.name in by_name:
            item = items[by_name[section.name]]
            item[1].update(explicit)
            item[2].update(explicit)
            item[3] = _listener_items(section.children, _default_listeners(item[3]))
            continue
        values = {k: d.default for k, d in sdef.fields.items()}
        values.update(explicit)
        kids = _child_items(section)
        if section.name:
            by_name[section.name] = len(items)
        items.append([section.name, values, explicit, kids])
    return items


def _default_listeners(kids: list) -> list:
    out = []
    for kind, items in kids:
        for name, values, _explicit, _k in items:
            out.append([kind, name, values])
    return out


def _listener_items(children: list[Section], listeners: list) -> list:
    tbl = table()
    order = sorted({k for k, _n, _f in listeners} | {c.kind for c in children})
    kids = []
    for kind in order:
        items: list = []
        index: dict[str, int] = {}
        for lkind, name, fields in listeners:
            if lkind == kind:
                index[name] = len(items)
                items.append([name, dict(fields), {}, []])
        for child in children:
            if child.kind != kind:
                continue
            explicit = {k: v.text for k, v in child.settings.items()}
            if child.name and child.name in index:
                items[index[child.name]][1].update(explicit)
                items[index[child.name]][2].update(explicit)
                continue
            values = {k: d.default for k, d in tbl.sections[kind].fields.items()}
            values.update(explicit)
            if child.name:
                index[child.name] = len(items)
            items.append([child.name, values, explicit, []])
        kids.append((kind, items))
    return kids


def _child_items(section: Section) -> list:
    kinds = sorted({c.kind for c in section.children})
    out = []
    for kind in kinds:
        out.append((kind, _section_items(section.all(kind), None, False)))
    return out


def export_root(
    root: Section,
    settings: dict[str, str],
    scope: str,
    modules: frozenset[str] | None,
    with_default_services: bool,
    merged: bool = False,
) -> list[str]:
    """Flat strings of one root: globals, then every section kind."""
    tbl = table()
    exp = Exporter(scope, modules)
    exp.merged = merged
    exp.globals(settings)
    for kind in tbl.top_sections:
        if modules is not None and kind not in modules:
            continue
        sections = root.all(kind)
        if tbl.sections[kind].unique:
            defaults = None
            if kind == "service" and with_default_services:
                defaults = {n: (s["fields"], s["listeners"]) for n, s in tbl.services.items()}
            items = _section_items(sections, defaults, defaults is not None)
            exp.unique_children("", kind, items)
        else:
            exp.numbered_children(kind, sections)
    for kind in tbl.strlists:
        if modules is not None and kind not in modules:
            continue
        exp.strlist(kind, root.find(kind, ""))
    return exp.strings


def filter_applies(filt: Filter, want: Filter) -> bool:
    """Does ``filt`` apply to a connection described by ``want`` (doveconf -f)?"""
    import ipaddress

    if filt.protocol is not None and filt.protocol != want.protocol:
        return False
    if filt.local_name is not None and filt.local_name != want.local_name:
        return False
    for net, bits, addr in (
        (filt.local, filt.local_bits, want.local),
        (filt.remote, filt.remote_bits, want.remote),
    ):
        if net is None:
            continue
        if addr is None:
            return False
        try:
            if ipaddress.ip_address(addr) not in ipaddress.ip_network(
                f"{net}/{bits}", strict=False
            ):
                return False
        except ValueError:
            return False
    return True


def filter_may_apply(filt: Filter, want: Filter) -> bool:
    """config_filter_find_subset: a filter not ruled out by ``want``."""
    if want.protocol is not None and filt.protocol is not None and filt.protocol != want.protocol:
        return False
    if (
        want.local_name is not None
        and filt.local_name is not None
        and filt.local_name != want.local_name
    ):
        return False
    return True


def filter_order(filters: list[Filter]) -> list[Filter]:
    """config_filter_parser_cmp_rev: broad filters first, then narrower nets; stable."""

    def key(f: Filter) -> tuple:
        return (f.local_name is not None, f.local_bits, f.remote_bits, f.protocol is not None)

    return sorted(filters, key=key)


def merged_settings(config: DovecotConfig, want: Filter | None) -> dict[str, str]:
    settings = {k: v.text for k, v in config.root.settings.items()}
    if want is None:
        return settings
    for filt in filter_order(config.filters):
        if filter_applies(filt, want):
            settings.update({k: v.text for k, v in filt.root.settings.items()})
    return settings


# -- printing --------------------------------------------------------------------------


def _need_quote(value: str) -> bool:
    if not value:
        return False
    return "#" in value or value[0] in " \t" or value[-1] in " \t"


def _escaped(text: str) -> str:
    return "".join("\\" + c if c in "\"\\'" else c for c in text)


def hide_secrets(key: str, value: str) -> str | None:
    """doveconf's hide_secrets_from_value; None when nothing is hidden."""
    quote = _need_quote(value)
    if value and (
        key.endswith(("_password", "_key", "_nonce")) and len(key) > 0 or key.startswith("ssl_dh")
    ):
        for suffix in ("_password", "_key", "_nonce"):
            if key.endswith(suffix) and len(key) > len(suffix):
                return "# hidden, use -P to show it"
        if key.startswith("ssl_dh"):
            return "# hidden, use -P to show it"
    out: list[str] = []
    ret = False
    optr = ptr = 0
    n = len(value)

    def emit(start: int, end: int) -> None:
        out.append(_escaped(value[start:end]) if quote else value[start:end])

    while True:
        best = None
        for secret in SECRETS:
            pos = value.find(secret, ptr)
            if pos >= 0 and (best is None or pos < best[0]):
                best = (pos, secret)
        if best is None:
            break
        ptr, secret = best
        if "://" in secret:
            ptr += len(secret)
            start_user = ptr
            start_host = None
            while ptr < n and not value[ptr].isspace() and value[ptr] != "/":
                if value[ptr] == "@":
                    start_host = ptr
                    break
                ptr += 1
            emit(optr, start_user)
            if start_host is not None and start_host != start_user:
                out.append("#hidden_use-P_to_show#")
            else:
                emit(start_user, ptr)
            optr = ptr
            ret = True
            continue
        ret = True
        if ptr == 0 or not value[ptr - 1].isalnum():
            while ptr < n and value[ptr] != "=" and not value[ptr].isspace():
                ptr += 1
            while ptr < n and value[ptr].isspace():
                ptr += 1
            emit(optr, ptr)
            if ptr < n and value[ptr] == "=":
                out.append("=")
                out.append("#hidden_use-P_to_show#")
                while ptr < n and not value[ptr].isspace() and value[ptr] not in ";:":
                    ptr += 1
            optr = ptr
        else:
            ptr += 1
    if not ret:
        return None
    out.append(_escaped(value[optr:]) if quote else value[optr:])
    return "".join(out)


def render(
    strings: list[str],
    indent: int = 0,
    name_filter: str | None = None,
    hide: bool = True,
    list_prefix: str = "",
) -> tuple[str, bool]:
    """config_dump_human_output: the nested text, and whether anything was printed."""
    ordered = sorted(strings, key=_sort_key)
    out: list[str] = []
    prefixes: list[str] = []
    i = 0
    while i < len(ordered) and ordered[i].startswith(LIST):
        key, _, value = ordered[i][1:].partition("=")
        if value == "":
            prefixes.append(key + "/")
        else:
            prefixes.extend(f"{key}/{ident}/" for ident in value.split(" "))
        i += 1
    sent = False
    stack: list[list[int]] = []  # [prefix_idx, str_pos]
    prefix_idx = -1
    for item in ordered[i:]:
        key, _, value = item.partition("=")
        unique = False
        slash = key.rfind("/")
        if slash >= 0 and key[slash + 1 : slash + 2] == UNIQUE:
            key = key[: slash + 1] + key[slash + 2 :]
            unique = True
        if name_filter and not (
            key.startswith(name_filter)
            and key[len(name_filter) : len(name_filter) + 1] in ("/", "")
        ):
            continue
        skip_item = False
        while True:
            j = 0
            while prefix_idx != -1:
                if not key.startswith(prefixes[prefix_idx]):
                    popped = stack.pop()
                    indent -= 1
                    if popped[1] != -1:
                        list_prefix = list_prefix[: popped[1]]
                    else:
                        out.append(INDENT[: indent * 2] + "}\n")
                    prefix_idx = stack[-1][0] if stack else -1
                else:
                    j = prefix_idx + 1
                    break
            matched = False
            while j < len(prefixes):
                if key.startswith(prefixes[j]):
                    key2 = key[(0 if prefix_idx == -1 else len(prefixes[prefix_idx])) :]
                    str_pos = len(list_prefix) if unique else -1
                    prefix_idx = j
                    stack.append([prefix_idx, str_pos])
                    head = INDENT[: indent * 2] + key2.split("/", 1)[0]
                    if unique and value:
                        head += f" {value}" if " " not in value else f' "{_escaped(value)}"'
                    list_prefix += head + " {\n"
                    indent += 1
                    matched = True
                    break
                j += 1
            if not matched:
                break
            if unique:
                skip_item = True
                break
        if skip_item:
            continue
        out.append(list_prefix)
        list_prefix = ""
        for entry in stack:
            entry[1] = -1
        sent = True
        skip = len(prefixes[prefix_idx]) if prefix_idx != -1 else 0
        name = item[skip:]
        if unique:
            name = name[1:] if name.startswith(UNIQUE) else name.replace(UNIQUE, "", 1)
        name, _, val = name.partition("=")
        hidden = hide_secrets(name, val) if hide else None
        if hidden is not None:
            text = hidden
        elif _need_quote(val):
            text = f'"{_escaped(val)}"'
        else:
            text = val
        out.append(f"{INDENT[: indent * 2]}{name} = {text}\n")
    while prefix_idx != -1:
        popped = stack.pop()
        if popped[1] != -1:
            break
        prefix_idx = stack[-1][0] if stack else -1
        indent -= 1
        out.append(INDENT[: indent * 2] + "}\n")
    return "".join(out), sent


def filter_header(filt: Filter) -> tuple[str, int]:
    """config_dump_filter_begin: the opening lines of a filter block and its depth."""
    text = ""
    depth = 0
    if filt.local_bits > 0 and filt.local is not None:
        full = 32 if ":" not in filt.local else 128
        text += f"local {filt.local}" + (f"/{filt.local_bits}" if filt.local_bits != full else "")
        text += " {\n"
        depth += 1
    if filt.local_name is not None:
        text += INDENT[: depth * 2] + f"local_name {filt.local_name} {{\n"
        depth += 1
    if filt.remote_bits > 0 and filt.remote is not None:
        full = 32 if ":" not in filt.remote else 128
        text += INDENT[: depth * 2] + f"remote {filt.remote}"
        text += (f"/{filt.remote_bits}" if filt.remote_bits != full else "") + " {\n"
        depth += 1
    if filt.protocol is not None:
        text += INDENT[: depth * 2] + f"protocol {filt.protocol} {{\n"
        depth += 1
    return text, depth


def dump_filters(
    config: DovecotConfig,
    want: Filter | None,
    modules: frozenset[str] | None,
    hide: bool,
    write: Callable[[str], None],
) -> None:
    """config_dump_human_sections: each filter block, explicitly set settings only."""
    for filt in filter_order(config.filters):
        if want is not None and not filter_may_apply(filt, want):
            continue
        strings = export_root(
            filt.root, {k: v.text for k, v in filt.root.settings.items()}, "set", modules, False
        )
        head, depth = filter_header(filt)
        text, sent = render(strings, depth, None, hide, head)
        write(text)
        if sent:
            write("".join(INDENT[: d * 2] + "}\n" for d in range(depth - 1, -1, -1)))
