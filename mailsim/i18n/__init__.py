"""Message catalogue for the core and the TUI alike.

Messages are ids plus parameters; ``t("lab.task_failed", lang="ja", task=...)``
renders one. Catalogues are YAML files ``catalog/AREA.LANG.yaml`` (one area per
layer, so each layer owns its own files), merged per language and loaded once.
A missing translation falls back to English, then to the id itself.
The simulated machine's own tools never go through here: they stay English.
"""

from __future__ import annotations

import locale
import os
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "ja")
DEFAULT = "en"
_CATALOG_DIR = Path(__file__).parent / "catalog"
_current = [DEFAULT]


def detect_language(environ: dict[str, str] | None = None) -> str:
    """From LANGUAGE / LC_ALL / LC_MESSAGES / LANG, as gettext reads them."""
    env = environ if environ is not None else dict(os.environ)
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        for item in value.split(":"):
            code = item.split("_", 1)[0].split(".", 1)[0].lower()
            if code in LANGUAGES:
                return code
            if code:
                break
    try:
        code = (locale.getlocale()[0] or "").split("_", 1)[0].lower()
    except ValueError:
        code = ""
    return code if code in LANGUAGES else DEFAULT


def set_language(lang: str) -> None:
    _current[0] = lang if lang in LANGUAGES else DEFAULT


def language() -> str:
    return _current[0]


@cache
def catalogue(lang: str) -> dict[str, str]:
    files = sorted(_CATALOG_DIR.glob(f"*.{lang}.yaml"))
    key = [[f.name, f.stat().st_mtime_ns, f.stat().st_size] for f in files]
    cached = _read_cache(lang, key)
    if cached is not None:
        return cached
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    merged: dict[str, str] = {}
    for file in files:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader) or {}
        for msg_id, value in data.items():
            merged[str(msg_id)] = str(value)
    _write_cache(lang, key, merged)
    return merged


def _cache_file(lang: str) -> Path:
    from mailsim.locations import data_dir

    return data_dir() / "cache" / f"i18n-{lang}.json"


def _read_cache(lang: str, key: list[list[object]]) -> dict[str, str] | None:
    """The merged catalogue as JSON, reused while no catalogue file changed:
    importing and running a YAML parser costs the TUI's start ~30 ms."""
    import json

    try:
        data = json.loads(_cache_file(lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != key or not isinstance(data.get("messages"), dict):
        return None
    return data["messages"]


def _write_cache(lang: str, key: list[list[object]], messages: dict[str, str]) -> None:
    import json

    try:
        file = _cache_file(lang)
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"key": key, "messages": messages}, ensure_ascii=False), encoding="utf-8"
        )
        os.replace(tmp, file)
    except OSError:
        pass


def t(msg_id: str, lang: str | None = None, **params: object) -> str:
    """Render a message in ``lang`` (default: the current language)."""
    lang = lang or _current[0]
    text = catalogue(lang).get(msg_id)
    if text is None and lang != DEFAULT:
        text = catalogue(DEFAULT).get(msg_id)
    if text is None:
        return msg_id
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
