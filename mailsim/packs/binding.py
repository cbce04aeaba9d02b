"""The binding of a machine to its lab, kept in the machine's ``.mailsim/lab.json``.

It travels with the machine directory, so ``mailsim lab check --root DIR`` gives
the same answer on a machine copied from another computer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

STATE_NAME = "lab"
"""``machine.load_state`` name: the file is ``.mailsim/lab.json``."""


@dataclass
class Binding:
    pack: str
    lab: str
    pack_version: str
    seed: int
    started: float = 0.0
    milestones: list[str] = field(default_factory=list)
    """Task ids met at least once (they stay met in milestones mode)."""
    hints: dict[str, int] = field(default_factory=dict)
    """Task id → number of hints shown."""
    solution_shown: bool = False
    start_seq: int = 0
    """The event log's last sequence number once the start state was in place."""

    @classmethod
    def load(cls, machine: Machine) -> Binding | None:
        data = machine.load_state(STATE_NAME)
        if not data or not isinstance(data, dict):
            return None
        try:
            return cls(
                pack=str(data["pack"]),
                lab=str(data["lab"]),
                pack_version=str(data.get("pack_version", "")),
                seed=int(data.get("seed", 0)),
                started=float(data.get("started", 0.0)),
                milestones=[str(t) for t in data.get("milestones", [])],
                hints={str(k): int(v) for k, v in dict(data.get("hints", {})).items()},
                solution_shown=bool(data.get("solution_shown", False)),
                start_seq=int(data.get("start_seq", 0)),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def save(self, machine: Machine) -> None:
        machine.save_state(STATE_NAME, self.to_json())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
