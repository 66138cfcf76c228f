"""Code shapes: 4 digits for technician catalogs, 6 for MOE 中职 (pure functions, no database)."""

from dataclasses import dataclass

from app.i18n import t

CODE_LENGTH = {"technician": 4, "secondary": 6}


@dataclass(frozen=True)
class CodeProblem:
    message: str
    suggestion: str | None = None


def code_problem(code: str, system: str) -> CodeProblem | None:
    """None when ``code`` has the shape of its system; else what is wrong and, for a code that
    lost its leading zero in a spreadsheet (``702``), the zero-padded code as a suggestion."""
    want = CODE_LENGTH[system]
    if code.isascii() and code.isdigit() and len(code) == want:
        return None
    if code.isascii() and code.isdigit() and len(code) == want - 1:
        padded = code.zfill(want)
        return CodeProblem(
            t(
                "major.code_format.dropped_zero",
                code=code,
                length=len(code),
                system=t(f"system.{system}"),
                digits=want,
            ),
            padded,
        )
    return CodeProblem(
        t("major.code_format.digits", system=t(f"system.{system}"), digits=want, code=code)
    )
