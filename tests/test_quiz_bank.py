"""Bank validation (every problem with file and line), loading, the cache, the schema."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from mailsim.quiz import bank as banks
from mailsim.quiz.bank import BankError, load_bank, parse_file, validate_file
from mailsim.quiz.model import QUESTION_TYPES, clean_text
from mailsim.quiz.normalise import RULES

DATA = Path(__file__).parent / "data" / "quiz"
SCHEMA = Path(__file__).parent.parent / "schemas" / "quiz.schema.json"

HEAD = "languages: [en]\nquestions:\n"


def write(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [str(p) for p in validate_file(path, display="bank.yaml")]


def test_the_test_banks_are_valid() -> None:
    questions, problems = banks.parse_collection(DATA / "bank")
    assert problems == []
    assert {q.type for q in questions} == set(QUESTION_TYPES)
    assert len(questions) == 16


def test_duplicate_ids_are_reported_with_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - id: q1
          type: typed
          objective: "211.1"
          prompt: A?
          accept: [a]
          explanation: x
        - id: q1
          type: typed
          objective: "211.1"
          prompt: B?
          accept: [b]
          explanation: x
        """,
    )
    assert messages(path) == ["bank.yaml:9:7: error: duplicate question id 'q1' (first at line 3)"]


def test_duplicate_ids_across_files_of_a_collection(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(
            HEAD + '  - {id: q1, type: typed, objective: "211.1", '
            "prompt: A, accept: [a], explanation: x}\n"
        )
    problems = banks.validate_collection(tmp_path)
    assert [str(p) for p in problems] == [
        "b.yaml:3: error: duplicate question id 'q1' (also in a.yaml:3)"
    ]


def test_single_with_two_right_answers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - id: q1
          type: single
          objective: "211.1"
          prompt: Which?
          explanation: x
          choices:
            - {id: a, text: "25", correct: true}
            - {id: b, text: "587", correct: true}
        """,
    )
    assert messages(path) == [
        "bank.yaml:9:5: error: a single question needs exactly one right answer (has 2)"
    ]


def test_multi_choose_must_match_the_right_choices(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - id: q1
          type: multi
          choose: 3
          objective: "211.1"
          prompt: Which two?
          explanation: x
          choices:
            - {id: a, text: a, correct: true}
            - {id: b, text: b, correct: true}
            - {id: c, text: c}
        """,
    )
    assert messages(path) == ["bank.yaml:5:11: error: 'choose: 3' but 2 choices are right"]


def test_typed_answer_the_normaliser_cannot_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - id: q1
          type: typed
          objective: "211.1"
          prompt: Which command?
          explanation: x
          accept: ["postconf -e 'myhostname = x"]
          rules: [spacing, flags, sideways]
          match: ["postconf ("]
        """,
    )
    assert messages(path) == [
        "bank.yaml:9:27: error: unknown rule 'sideways' (rules: spacing, case, flags, services, "
        "path, quotes, unordered)",
        'bank.yaml:8:12: error: cannot read "postconf -e \'myhostname = x" as a command line: '
        "No closing quotation",
        "bank.yaml:10:11: error: not a valid regular expression: missing ), unterminated "
        "subpattern at position 9",
    ]


def test_missing_translations(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - id: q1
          type: single
          objective: "211.1"
          prompt: {en: "Which port?"}
          explanation: {en: Because., ja: だから。}
          choices:
            - {id: a, text: "25", correct: true}
            - {id: b, text: {en: none}}
        """,
        head="questions:\n",
    )
    assert messages(path) == [
        "bank.yaml:5:11: error: prompt: missing translation (ja)",
        "bank.yaml:9:21: error: choice 'b': missing translation (ja)",
    ]


def test_unknown_keys_bad_objective_and_missing_explanation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - id: q1
          type: single
          objective: 211.10
          promt: typo
          prompt: Which?
          choices:
            - {id: a, text: a, correct: true}
            - {id: a, text: b}
        """,
    )
    assert messages(path) == [
        "bank.yaml:6:3: error: unknown key 'promt'",
        "bank.yaml:5:14: error: question 'q1': quote the objective ('211.1'): unquoted, YAML "
        "reads it as a number",
        "bank.yaml:3:3: warning: question 'q1' has no 'explanation'",
        "bank.yaml:10:12: error: duplicate choice id 'a'",
    ]


def test_yaml_errors_and_non_banks(tmp_path: Path) -> None:
    path = write(tmp_path, "  - id: [unclosed\n")
    assert messages(path)[0].startswith("bank.yaml:4:1: error: ")
    path.write_text("- just a list\n")
    assert messages(path) == ["bank.yaml:1:1: error: a bank is a mapping with a 'questions' list"]


def test_control_characters_and_ansi_escapes_are_stripped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - id: q1
          type: typed
          objective: "211.1"
          prompt: "Which \\e[31mred\\e[0m command\\a?\\nSecond line"
          explanation: "[b]markup[/b] stays text"
          accept: [postconf]
        """,
    )
    questions, problems = parse_file(path)
    assert problems == []
    assert questions[0].prompt.get("en") == "Which red command?\nSecond line"
    assert questions[0].explanation.get("en") == "[b]markup[/b] stays text"
    assert clean_text("a\x1b]0;title\x07b\x1bPc") == "abc"


def test_load_bank_refuses_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {id: q1, type: nope}\n")
    with pytest.raises(BankError) as info:
        load_bank(path, use_cache=False)
    assert "'type' must be one of" in str(info.value)


def test_warm_load_comes_from_the_cache_and_edits_miss_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "bank"
    folder.mkdir()
    for file in (DATA / "bank").iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    cold = load_bank(folder)
    cached = list((tmp_path / "data" / "cache" / "quiz").glob("*.json"))
    assert len(cached) == 1
    calls: list[tuple] = []

    def parse_collection(*args: object, **_kwargs: object) -> tuple[list, list]:
        calls.append(args)
        return [], []

    monkeypatch.setattr(banks, "parse_collection", parse_collection)
    warm = load_bank(folder)
    assert calls == [] and [q.to_dict() for q in warm.questions] == [
        q.to_dict() for q in cold.questions
    ]
    (folder / "smtp.yaml").write_text((folder / "smtp.yaml").read_text() + "\n# edited\n")
    load_bank(folder)
    assert len(calls) == 1  # a changed file misses the cache
    assert len(list((tmp_path / "data" / "cache" / "quiz").glob("*.json"))) == 1  # replaced


def test_schema_keys_stay_in_step_with_the_validator() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    question = schema["$defs"]["question"]
    assert set(schema["properties"]) == banks.TOP_KEYS
    assert set(question["properties"]) == banks.QUESTION_KEYS
    assert question["properties"]["type"]["enum"] == list(QUESTION_TYPES)
    assert question["properties"]["rules"]["items"]["enum"] == list(RULES)
    assert set(schema["$defs"]["run"]["properties"]) == banks.RUN_KEYS
    assert set(schema["$defs"]["run"]["properties"]["output"]["properties"]) == banks.OUTPUT_KEYS
    assert set(question["required"]) == {"id", "type", "prompt", "objective"}


def test_test_banks_are_valid_under_the_published_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for file in sorted(DATA.glob("*/*.yaml")):
        jsonschema.validate(yaml.safe_load(file.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {
                "questions": [
                    {"id": "x", "type": "typed", "prompt": "p", "objective": "211.1", "choices": []}
                ]
            },
            schema,
        )


def test_builtin_quizzes_folder_is_a_bank_collection() -> None:
    from mailsim.quiz import discover

    found = discover.builtin_quizzes_dir()
    assert found is not None and found.name == "quizzes"
    assert banks.validate_collection(found) == []
    source = discover.resolve(str(DATA / "bank" / "smtp.yaml"))
    assert source is not None and (source.name, source.path.name) == ("smtp", "smtp.yaml")


@pytest.mark.parametrize(
    "text",
    [
        (DATA / "bank" / "smtp.yaml").read_text(encoding="utf-8"),
        "questions:\n  - {id: a, id: b}\n  - &x {id: c}\n  - *x\n",
        "questions:\n  - id: [unclosed\n",
        "questions: [a, b\n",
    ],
)
def test_libyaml_and_pure_parsers_give_one_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Banks parse with libyaml where PyYAML has it (four times faster); without it
    the pure-Python parser must give the same data, marks, duplicates and problems."""
    import yaml

    from mailsim.packs.yamlsrc import YamlSourceError, load_yaml

    if getattr(yaml, "CSafeLoader", None) is None:
        pytest.skip("PyYAML was built without libyaml")
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")

    def load() -> object:
        try:
            doc = load_yaml(path, display="b.yaml")
        except YamlSourceError as exc:
            return exc.problem
        return (doc.data, doc.marks, doc.key_marks, doc.duplicates)

    with_libyaml = load()
    monkeypatch.delattr(yaml, "CSafeLoader")
    assert load() == with_libyaml
