"""A small new technician edition (technician-2026) and its 对照表 over the seeded registry.

The crosswalk renames 0445 (same code) and 0610 → 0611, merges 0515 + 0528 → 0515 (two
collisions at 广州城市职业技工学校) and 0138 + 0139 → 0140, splits 0314 into 0321 / 0322,
withdraws 0307 and 0442, moves 0529 → 1320 (another category) and absorbs the Guangdong specialty
code 8172 as 0330; the other 27 codes are unchanged."""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
NEW, OLD = "technician-2026", "technician-2022"
ADOPTION = f"/api/v1/catalogs/{NEW}/adoption"
# Where each old code goes when one line decides it (the crosswalk file, read by hand).
AUTOMATIC = {
    "0445": ("0445", "renamed"),
    "0610": ("0611", "renamed"),
    "0515": ("0515", "merged"),
    "0528": ("0515", "merged"),
    "0138": ("0140", "merged"),
    "0139": ("0140", "merged"),
    "0529": ("1320", "moved"),
    "8172": ("0330", "moved"),
}
SPLIT = {"0314": ["0321", "0322"]}
WITHDRAWN = {"0307", "0442"}
DECISIONS = [
    {
        "college_code": "4401J001",
        "old_code": "0314",
        "level": "高级",
        "intake": "高中起点",
        "new_code": "0321",
    },
    {
        "college_code": "4401J002",
        "old_code": "0314",
        "level": "高级",
        "intake": "初中起点",
        "new_code": "0322",
    },
]


def upload(path: Path) -> dict:
    return {"file": (path.name, path.read_bytes(), "text/csv")}
