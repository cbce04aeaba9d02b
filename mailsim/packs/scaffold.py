"""``mailsim pack new DIR``: a working pack with one lesson, one lab and one question bank.

The scaffold passes ``mailsim pack validate`` as created, so an instructor starts
from something green and changes one thing at a time.
"""

from __future__ import annotations

from pathlib import Path

FILES: dict[str, str] = {
    "pack.yaml": """\
# A mailsim lesson pack (format 1). Schema: mailsim/packs/schemas/pack.schema.json
format: 1
id: {pack_id}
version: "0.1"
title:
  en: My first pack
  ja: はじめてのパック
author: Your Name
licence: CC-BY-4.0
languages: [en, ja]          # the first one is the fallback
objectives: ["211.1"]
lessons:
  - id: delivery
    title:
      en: Local delivery
      ja: ローカル配送
    objectives: ["211.1"]
    pages:
      - id: maildir          # lessons/delivery/maildir.md (+ maildir.ja.md)
        title: {{en: Maildir, ja: Maildir 形式}}
    labs: [maildir]          # labs/maildir.yaml
""",
    "lessons/delivery/maildir.md": """\
# Maildir

Postfix's local delivery agent appends to `/var/mail/USER` (mbox) unless
`home_mailbox` names a mailbox in the user's home directory. A value that
ends with `/` selects Maildir.

A transcript block is re-run by `mailsim pack validate`:

```console transcript
root@mail:~# postconf -d home_mailbox
home_mailbox =
```
""",
    "lessons/delivery/maildir.ja.md": """\
# Maildir 形式

`home_mailbox` を設定しないと、Postfix の local エージェントは `/var/mail/USER`
(mbox 形式) に追記します。値が `/` で終わると Maildir 形式になります。

```console transcript
root@mail:~# postconf -d home_mailbox
home_mailbox =
```
""",
    "labs/maildir.yaml": """\
# A lab. Schema: mailsim/packs/schemas/lab.schema.json
# Variables are written {{{{name}}}}; ${{...}} stays Postfix's and the shell's.
id: maildir
title:
  en: Deliver into Maildir
  ja: Maildir に配送する
mode: final_state
variables:
  user: [alice, bob, carol]
start:
  services: {{postfix: running}}
tasks:
  - id: home-mailbox
    title:
      en: Deliver into ~/Maildir/
      ja: ~/Maildir/ に配送する
    weight: 2
    facts: [postfix.home_mailbox]
    checks:
      - postfix: home_mailbox
        equals: Maildir/
    reason:
      en: Without the trailing slash Postfix writes an mbox file named Maildir.
      ja: 末尾の / がないと Maildir という名前の mbox ファイルになります。
    hints:
      - en: Which parameter names the mailbox relative to the home directory?
        ja: ホームディレクトリからの相対パスでメールボックスを指定するパラメーターは?
      - {{en: "postconf -e home_mailbox=...", ja: "postconf -e home_mailbox=..."}}
    link: {pack_id}/delivery#maildir
  - id: reload
    title:
      en: Make the running Postfix read the change
      ja: 動作中の Postfix に変更を読み込ませる
    checks:
      - service: postfix
        reloaded_after_change: true
    hints:
      - {{en: postfix reload, ja: postfix reload}}
solution:
  - postconf -e home_mailbox=Maildir/
  - postfix reload
must_fail:
  - name: mbox file called Maildir
    commands: [postconf -e home_mailbox=Maildir, postfix reload]
  - name: not reloaded
    commands: [postconf -e home_mailbox=Maildir/]
""",
    "quizzes/delivery.yaml": """\
# A question bank (format: mailsim.quiz.bank).
languages: [en, ja]
questions:
  - id: maildir-param
    type: typed
    objective: "211.1"
    prompt:
      en: Which main.cf parameter makes Postfix deliver into ~/Maildir/?
      ja: Postfix が ~/Maildir/ に配送するようにする main.cf のパラメーターは何ですか。
    accept: [home_mailbox]
    rules: [spacing, case]
    explanation:
      en: "`home_mailbox = Maildir/`: the trailing slash selects Maildir."
      ja: "`home_mailbox = Maildir/`: 末尾の / で Maildir 形式になります。"
    facts: [postfix.home_mailbox]
    source: {pack_id}/delivery#maildir
""",
}


class ScaffoldError(Exception):
    pass


def pack_id_for(path: Path) -> str:
    """An id from the folder name, made to fit the id pattern."""
    import re

    name = re.sub(r"[^a-z0-9-]+", "-", path.resolve().name.lower()).strip("-")
    return (name or "my-pack")[:64]


def create(path: str | Path) -> Path:
    """Write the scaffold into ``path`` (a new or empty folder)."""
    root = Path(path)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ScaffoldError(f"{root}: exists and is not an empty directory")
    pack_id = pack_id_for(root)
    for rel, text in FILES.items():
        file = root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text.format(pack_id=pack_id), encoding="utf-8")
    return root
