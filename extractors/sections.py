"""Sections: the heading tree found by the segment stage, as rows with raw offsets."""
from __future__ import annotations

from typing import Iterator

from pipeline.document import Document
from pipeline.rows import SectionRow


def extract(doc: Document) -> Iterator[SectionRow]:
    for s in doc.sections:
        start, end = doc.raw_span(s.start, s.end)
        yield SectionRow(section_id=s.section_id, parent_id=s.parent_id, number=s.number, level=s.level,
                         heading=s.heading, kind=s.kind, char_start=start, char_end=end)
