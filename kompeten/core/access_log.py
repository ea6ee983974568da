"""gunicorn's access log with personal data masked (NIPs in URLs, e-mail addresses, phones).

Run gunicorn with `--logger-class kompeten.core.access_log.GunicornLogger` (docs/operations.md):
every atom of the access-log line (request line, path, query string, referer …) goes through
`kompeten.core.logging.mask`, and so does every error-log message.
"""

from __future__ import annotations

from typing import Any

from gunicorn import glogging

from kompeten.core.logging import PersonalDataFilter, mask


class GunicornLogger(glogging.Logger):
    """gunicorn's Logger with the access-log atoms masked and the error log filtered."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(PersonalDataFilter())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask(v) if isinstance(v, str) else v for k, v in atoms.items()}
