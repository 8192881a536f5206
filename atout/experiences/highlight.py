from dataclasses import dataclass, field
from typing import Any


@dataclass
class Segment:
    text: str
    labels: list[str] = field(default_factory=list)


def highlighted(text: str, links: list[Any]) -> list[Segment]:
    """The narrative cut into plain and evidence segments, each evidence with its skills."""
    marks: dict[tuple[int, int], list[str]] = {}
    for link in links:
        for e in link.evidence:
            start, end = max(0, int(e["start"])), min(len(text), int(e["end"]))
            if start < end:
                marks.setdefault((start, end), []).append(link.skill.tr("label"))
    segments: list[Segment] = []
    position = 0
    for (start, end), labels in sorted(marks.items()):
        if start < position:  # overlapping spans: extend the previous mark
            if end > position:
                segments[-1].text += text[position:end]
                position = end
            segments[-1].labels.extend(lbl for lbl in labels if lbl not in segments[-1].labels)
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], list(labels)))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments
