"""The simulated host: a directory, its metadata, users, identity, services and clock."""

from mailsim.machine.clock import Clock
from mailsim.machine.machine import Machine, NotAMachineError, Stat

__all__ = ["Clock", "Machine", "NotAMachineError", "Stat"]
