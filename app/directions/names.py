"""The form of a 专业方向 name: ``<catalog major>（<direction>）`` — pure text, no database."""

import re

from app.text import normalize_name

# After NFKC full-width brackets are ASCII:
# 艺术设计与制作（动漫设计方向） → 艺术设计与制作(动漫设计方向)
_DIRECTION = re.compile(r"^(?P<base>[^()]+)\((?P<direction>.+)\)$")


def split_direction(name: str) -> tuple[str, str] | None:
    """(base major name, direction) of a name in direction form, normalised; else None."""
    found = _DIRECTION.match(normalize_name(name))
    if found is None:
        return None
    return found.group("base"), found.group("direction")
