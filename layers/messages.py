"""Messages and load reports: what happened to a layer while it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class Message:
    """One user-facing sentence about a data source."""

    level: Level
    text: str
    source: str = ""

    def __str__(self) -> str:
        return f"{self.source}: {self.text}" if self.source else self.text


@dataclass
class LoadReport:
    """Messages and counts collected while reading and normalising one source.

    ``counts`` keys used by the data layer: ``repaired``, ``dropped_empty``,
    ``dropped_null``, ``z_dropped``, ``sentinels``, ``reprojected``.
    """

    source: str = ""
    messages: list[Message] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def info(self, text: str) -> None:
        self.messages.append(Message("info", text, self.source))

    def warning(self, text: str) -> None:
        self.messages.append(Message("warning", text, self.source))

    def error(self, text: str) -> None:
        self.messages.append(Message("error", text, self.source))

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + int(n)

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.level == "warning"]

    @property
    def has_errors(self) -> bool:
        return any(m.level == "error" for m in self.messages)

    def extend(self, other: "LoadReport") -> None:
        self.messages.extend(other.messages)
        for key, n in other.counts.items():
            self.add(key, n)
