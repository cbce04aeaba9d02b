"""Settings Dovecot 2.3 still reads but renames or drops, with its warnings.

The rules of ``src/config/old-set-parser.c`` for root-level settings: the
``protocols`` value loses ``imaps``/``pop3s`` (turning the plain listener off
where only the secure one was named) and renames ``managesieve``; ``ssl_*_file``
become ``<file`` values; ``ssl_disable`` flips into ``ssl``; some settings are
dropped. The first obsolete setting adds Dovecot's note about ``doveconf -Pn``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.dovecot import lexer

if TYPE_CHECKING:
    from mailsim.dovecot.parser import Section


class ObsoleteSettings:
    """The parser's handling of obsolete settings (a mixin of ``parser.Parser``)."""

    if TYPE_CHECKING:
        # Provided by the parser.
        root: Section
        warnings: list[str]
        obsolete_noted: bool
        file: str
        lineno: int

        def _set(self, kind: str, key: str, value: str) -> None: ...

    def _obsolete(self, message: str) -> None:
        if not self.obsolete_noted:
            self.warnings.append(
                "NOTE: You can get a new clean config file with: doveconf -Pn > dovecot-new.conf"
            )
            self.obsolete_noted = True
        self.warnings.append(f"Obsolete setting in {self.file}:{self.lineno}: {message}")

    def _old_root(self, key: str, value: str) -> bool:
        """Apply a root-level setting old-set-parser.c rewrites; False for any other."""
        if key == "protocols":
            words = value.split()
            have = set(words)
            words2 = []
            for w in words:
                if w in ("imaps", "pop3s"):
                    continue
                if w == "managesieve":
                    self._obsolete("protocols=managesieve has been renamed to protocols=sieve")
                    w = "sieve"
                words2.append(w)
            new = " ".join(words2)
            for plain in ("imap", "pop3"):
                secure = plain + "s"
                if secure in have and plain not in have:
                    self._obsolete(
                        f"'{secure}' protocol can no longer be specified (use protocols={plain})."
                        f" to disable non-ssl {plain}, use service {plain}-login {{ inet_listener"
                        f" {plain} {{ port=0 }} }}"
                    )
                    new += " " + plain
                    self._set_path("service", f"{plain}-login", plain, "0")
                elif secure in have:
                    self._obsolete(f"'{secure}' protocol is no longer necessary, remove it")
            self._set(lexer.KEYVALUE, key, new.lstrip(" "))
            return True
        if key in ("ssl_cert_file", "ssl_key_file", "ssl_ca_file"):
            if value == "":
                return True
            new_key = key.rsplit("_", 1)[0]
            self._obsolete(f"{key} has been replaced by {new_key} = <file")
            self._set(lexer.KEYFILE, new_key, value)
            return True
        if key == "ssl_disable":
            flipped = {"yes": "no", "no": "yes"}.get(value.lower(), value)
            self._obsolete(f"{key} has been renamed to ssl")
            self._set(lexer.KEYVALUE, "ssl", flipped)
            return True
        if key in ("ssl_parameters_regenerate", "ssl_dh_parameters_length"):
            self._obsolete(f"{key} is no longer needed")
            return True
        if key in (
            "login_dir",
            "dbox_rotate_min_size",
            "dbox_rotate_days",
            "director_consistent_hashing",
            "mail_log_max_lines_per_sec",
            "maildir_copy_preserve_filename",
        ):
            self._obsolete(f"{key} has been removed")
            return True
        return False

    def _set_path(self, kind: str, service: str, listener: str, port: str) -> None:
        """``service SERVICE { inet_listener LISTENER { port = PORT } }``, merged in."""
        from mailsim.dovecot.parser import Section, Value

        svc = self.root.find(kind, service)
        if svc is None:
            svc = Section(kind, service, self.file, self.lineno)
            self.root.children.append(svc)
        lis = svc.find("inet_listener", listener)
        if lis is None:
            lis = Section("inet_listener", listener, self.file, self.lineno)
            svc.children.append(lis)
        lis.settings["port"] = Value(port, self.file, self.lineno)
