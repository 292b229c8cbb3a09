"""The Microsoft Teams adapter: the Teams SDK app, Adaptive Card builders, handlers, notifier.

`microsoft_teams.apps` calls `load_dotenv()` when it is imported, which would copy any `.env` on
the way up from the working directory into `os.environ`, where the SDK itself (and every child
process) reads it. Uppsikt reads its settings once, explicitly; so the SDK is imported here,
before any module of the adapter, and whatever that import added to the environment is removed.
"""

from __future__ import annotations

import os as _os
import warnings as _warnings

_before = set(_os.environ)
with _warnings.catch_warnings():
    # The SDK announces preview features (an HTML widget policy) when it is imported.
    _warnings.simplefilter("ignore")
    import microsoft_teams.apps  # noqa: E402,F401

for _name in set(_os.environ) - _before:
    _os.environ.pop(_name, None)
del _before
