"""Japanese lines wrapped in the Markdown source show without a stray space."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mailsim.tui.widgets.cjk_text import join_cjk_lines


def test_two_japanese_lines_of_a_paragraph_join_without_a_space() -> None:
    assert (
        join_cjk_lines("同じディレクトリに\nあるそれ以外のファイル")
        == "同じディレクトリにあるそれ以外のファイル"
    )
    assert join_cjk_lines("展開される。\n  そのため追従する") == "展開される。そのため追従する"


def test_a_latin_side_keeps_the_line_break() -> None:
    text = "パラメーターを\n`名前 = 値` で記述\nPostfix が読む\n設定 main.cf\nは"
    assert (
        join_cjk_lines(text) == "パラメーターを\n`名前 = 値` で記述\nPostfix が読む設定 main.cf\nは"
    )


def test_blocks_and_code_are_left_alone() -> None:
    text = "説明です\n- 項目\n# 見出し\n| 表 |\n> 引用\n```\nコード\nコード\n```\n説明"
    assert join_cjk_lines(text) == text


@given(st.lists(st.text(alphabet="abc xyz-#`|>*\n", max_size=30), max_size=8))
def test_text_without_japanese_is_unchanged(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert join_cjk_lines(text) == text


@given(st.text(alphabet="あいう。\n`x ", max_size=60))
def test_only_line_breaks_are_removed(text: str) -> None:
    joined = join_cjk_lines(text)
    assert joined.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
