"""Text helpers shared by every domain: name normalisation and pinyin keys."""

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")


def normalize_name(value: str | None) -> str:
    """NFKC + no whitespace: ``烹饪（中式烹调）`` and ``烹饪(中式烹调)`` compare equal."""
    if not value:
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", value)).lower()


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a Chinese name, lower case, letters and digits only."""
    # Imported on first use: loading pypinyin's phrase dictionary costs ~0.3 s CPU, which every
    # `registry` command (e.g. `import programs`, which needs no pinyin) paid at start-up.
    from pypinyin import Style, lazy_pinyin

    text = normalize_name(name)
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables if s)
    keep = re.compile(r"[^a-z0-9]")
    return keep.sub("", full), keep.sub("", initials)
