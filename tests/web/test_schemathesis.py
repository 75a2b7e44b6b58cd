"""Property-based tests of the web API against its own OpenAPI description (schemathesis).

Schemathesis generates requests from ``/openapi.json`` and sends them to the app in
process (ASGI). Whatever it sends, the app must answer without a server error, with a
status code and content type its description allows. The endpoints that start runs
and studies are left out (their limits and errors are covered in ``test_web_api.py``);
the store holds one small run so that the run endpoints have data to read.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from anpo import api
from anpo.web import create_app

SMALL = Path(__file__).parents[1] / "fixtures" / "small-raid.yaml"

_folder = Path(tempfile.mkdtemp(prefix="anpo-schemathesis-"))
atexit.register(shutil.rmtree, _folder, True)
_db = _folder / "st.duckdb"
api.run(api.load_scenario(SMALL), trials=50, seed=1, store=_db)
APP = create_app(_db, max_trials=200, allowed_hosts=["testserver"])

schema = (
    schemathesis.openapi.from_asgi("/openapi.json", APP)
    .exclude(method="POST", path="/api/runs")
    .exclude(method="POST", path_regex=r"^/api/studies/")
)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance]
    )
