"""The grader's ``postfix:`` and ``dovecot:`` checks: a setting's value, and where it is set.

A failing check says what the learner has, what the task needs, and the file and
line to change (or, for a setting still at its default, the file that shows it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.packs.check_values import compare, shown
from mailsim.packs.checks import Check
from mailsim.packs.dovecot_home import dovecot_home
from mailsim.packs.messages import Msg

if TYPE_CHECKING:
    from mailsim.dovecot.config import DovecotConfig
    from mailsim.machine.machine import Machine
    from mailsim.postfix.config import PostfixConfig


def postfix_problem(cfg: PostfixConfig | Msg, check: Check, strict: bool) -> Msg | None:
    """Why a ``postfix:`` check fails (``cfg`` is a Msg when main.cf is unusable), or None."""
    if isinstance(cfg, Msg):
        return cfg
    name = str(check.target)
    origin = cfg.value_origin(name)
    ops = check.ops
    if "is_set" in ops and bool(ops["is_set"]) != (origin is not None):
        if origin is None:
            return Msg("packs.check.postfix.must_be_set", param=name, file=cfg.main_path)
        return Msg("packs.check.postfix.must_be_unset", param=name, file=origin[0], line=origin[1])
    have = cfg.expand(name)
    need = compare(have, ops, strict)
    if need is None:
        return None
    if origin is None:
        # The default in effect, as `postconf -x` shows it: relay_domains' raw
        # default is a compatibility-level expression no learner should decode.
        default = have
        return Msg(
            "packs.check.postfix.unset",
            param=name,
            default=shown(default),
            need=need,
            file=cfg.main_path,
        )
    raw = cfg.setting(name) or ""
    params = {
        "param": name,
        "have": shown(raw),
        "need": need,
        "file": origin[0],
        "line": origin[1],
    }
    if raw != have:
        return Msg("packs.check.postfix.wrong_expanded", expanded=shown(have), **params)
    return Msg("packs.check.postfix.wrong", **params)


def dovecot_problem(cfg: DovecotConfig, machine: Machine, check: Check, strict: bool) -> Msg | None:
    """Why a ``dovecot:`` check fails, or None when it holds."""
    if cfg.error is not None:
        return Msg("packs.check.dovecot.broken", error=str(cfg.error))
    path = str(check.target)
    protocol = check.ops.get("protocol")
    protocol = str(protocol) if protocol else None
    value = cfg.protocol_value(path, protocol) if protocol and "/" not in path else None
    if value is None:
        value = cfg.value(path)

    def where() -> str | Msg:
        """Where to add the setting: inside the protocol's block when the task names one."""
        file = dovecot_home(machine, path, protocol)
        if protocol and "/" not in path:
            return Msg("packs.where.protocol", protocol=protocol, file=file)
        return file

    if "is_set" in check.ops and bool(check.ops["is_set"]) != (value is not None):
        if value is None:
            return Msg("packs.check.dovecot.must_be_set", setting=path, file=where())
        return Msg(
            "packs.check.dovecot.must_be_unset", setting=path, file=value.file, line=value.line
        )
    if "/" in path:
        have = cfg.lookup(path)
    else:
        have = cfg.get(path, protocol=protocol)
    if have is None:
        return Msg("packs.check.dovecot.unknown", setting=path)
    need = compare(have, check.ops, strict)
    if need is None:
        return None
    if value is None:
        return Msg(
            "packs.check.dovecot.unset", setting=path, default=shown(have), need=need, file=where()
        )
    return Msg(
        "packs.check.dovecot.wrong",
        setting=path,
        have=shown(value.text),
        need=need,
        file=value.file,
        line=value.line,
    )
