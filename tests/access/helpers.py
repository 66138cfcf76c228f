"""Roles, colleges and authorities the access tests use (the route matrix among them)."""

# Every role the route matrix walks. "admin"/"reviewer" belong to 广州市人社局 (GZ-HRSS), which
# governs the technician colleges 4401J001… ; the "other_" ones to 广州市教育局 (GZ-EDU), which
# governs the 中职 schools 4401Z… and none of the technician colleges.
OWN_COLLEGE = "4401J001"  # 广州市技师学院
OTHER_COLLEGE = "4401J002"  # 广州市工贸技师学院, same authority
OWN_AUTHORITY = "GZ-HRSS"
OTHER_AUTHORITY = "GZ-EDU"

ROLE_TOKENS: dict[str, dict | None] = {
    "anonymous": None,
    "superuser": {"role": "admin"},
    "admin": {"role": "admin", "authority": OWN_AUTHORITY},
    "other_admin": {"role": "admin", "authority": OTHER_AUTHORITY},
    "reviewer": {"role": "reviewer", "authority": OWN_AUTHORITY},
    "other_reviewer": {"role": "reviewer", "authority": OTHER_AUTHORITY},
    "college": {"role": "college", "college": OWN_COLLEGE},
    "other_college": {"role": "college", "college": OTHER_COLLEGE},
}
ROLES = tuple(ROLE_TOKENS)

# Callers above and beside OWN_AUTHORITY (issue 22): 广东省人社厅 governs 广州市人社局; 深圳市人社局
# (created by the tests that use it) is a city bureau under the same province. Each borrows the
# matrix slot of the role whose answers it should get by default (``matrix.PARENT_AND_SIBLING``).
PROVINCE_AUTHORITY = "GD-HRSS"
SIBLING_AUTHORITY = "SZ-HRSS"
