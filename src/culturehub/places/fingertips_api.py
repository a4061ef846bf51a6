"""Downloading figures from the OHID Fingertips API.

`GET {FINGERTIPS_API_URL}/all_data/csv/by_indicator_id?indicator_ids=..&child_area_type_id=..`
returns every figure for one indicator at one area type as CSV (the shape FingertipsImporter reads).
The body can be large, so it is streamed to a temporary file rather than held in memory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import requests
from django.conf import settings

CSV_PATH = "/all_data/csv/by_indicator_id"
CHUNK_BYTES = 64 * 1024
TIMEOUT_SECONDS = (10, 120)  # connect, then between bytes: some indicators take a while to build


class FingertipsApiError(Exception):
    """The API could not be reached or did not return a CSV; the message says what to do."""


def fingertips_csv_url() -> str:
    return settings.FINGERTIPS_API_URL.rstrip("/") + CSV_PATH


def fingertips_csv_params(*, indicator_id: int, area_type_id: int, parent_area_type_id: int | None = None):
    params = {"indicator_ids": indicator_id, "child_area_type_id": area_type_id}
    if parent_area_type_id is not None:
        params["parent_area_type_id"] = parent_area_type_id
    return params


def fingertips_download(
    *,
    indicator_id: int,
    area_type_id: int,
    parent_area_type_id: int | None = None,
    directory: Path | None = None,
    timeout=TIMEOUT_SECONDS,
) -> tuple[Path, str]:
    """Save one indicator's CSV to a temporary file; return its path and the address it came from.

    The caller deletes the file when it has imported it.
    """
    url = fingertips_csv_url()
    params = fingertips_csv_params(
        indicator_id=indicator_id, area_type_id=area_type_id, parent_area_type_id=parent_area_type_id,
    )
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open while the body streams in
        prefix=f"fingertips-{indicator_id}-{area_type_id}-", suffix=".csv", dir=directory, delete=False,
    )
    path = Path(handle.name)
    try:
        with handle, requests.get(url, params=params, stream=True, timeout=timeout) as response:
            address = response.url or url
            if response.status_code != 200:
                raise FingertipsApiError(
                    f"The Fingertips API answered {response.status_code} for indicator {indicator_id} "
                    f"and area type {area_type_id} ({address}). Check both IDs on the Fingertips site."
                )
            for chunk in response.iter_content(chunk_size=CHUNK_BYTES):
                handle.write(chunk)
    except requests.Timeout as error:
        path.unlink(missing_ok=True)
        raise FingertipsApiError(
            f"The Fingertips API at {url} did not answer in time. Try again later, or download the CSV "
            "yourself and run: culturehub import fingertips FILE"
        ) from error
    except requests.RequestException as error:
        path.unlink(missing_ok=True)
        raise FingertipsApiError(
            f"Could not reach the Fingertips API at {url} ({error.__class__.__name__}). Check the network "
            "connection, or download the CSV elsewhere and run: culturehub import fingertips FILE"
        ) from error
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if path.stat().st_size == 0:
        path.unlink(missing_ok=True)
        raise FingertipsApiError(
            f"The Fingertips API returned nothing for indicator {indicator_id} and area type "
            f"{area_type_id}. Check that the indicator is published for that area type."
        )
    return path, address
