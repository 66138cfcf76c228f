"""Imports every table module so ``SQLModel.metadata`` is complete (app, seed, CLI, tests), and the
feed rows registered as showing other entities (``app.changes.snapshots``, ``shown_in``)."""

from app import audit  # noqa: F401
from app.access import models as access  # noqa: F401
from app.access import throttle as access_throttle  # noqa: F401  (auth_failure)
from app.accounts import models as accounts  # noqa: F401
from app.authorities import models as authorities  # noqa: F401
from app.catalog import models as catalog  # noqa: F401
from app.changes import models as changes  # noqa: F401
from app.colleges import models as colleges  # noqa: F401
from app.directions import models as directions  # noqa: F401
from app.filings import models as filings  # noqa: F401
from app.programs import lifecycle as program_lifecycle  # noqa: F401
from app.programs import models as programs  # noqa: F401
from app.programs import snapshots as program_snapshots  # noqa: F401
from app.publications import models as publications  # noqa: F401
from app.webhooks import models as webhooks  # noqa: F401
