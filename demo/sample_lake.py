"""Deterministic sample objects for the demo's `datalake` bucket.

Everything is generated from fixed seeds so that every demo run (and every
test run) sees the same listing, sizes and contents.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

USERNAME = "jovyan"
# Requests in flight while seeding: botocore's default connection pool, so none waits for one.
PUT_WORKERS = 10


@dataclass(frozen=True)
class SampleObject:
    key: str
    body: bytes
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)


# (ISO alpha-2, ISO alpha-3, name, region, currency)
COUNTRIES: list[tuple[str, str, str, str, str]] = [
    ("AR", "ARG", "Argentina", "Americas", "ARS"),
    ("AT", "AUT", "Austria", "Europe", "EUR"),
    ("AU", "AUS", "Australia", "Oceania", "AUD"),
    ("BE", "BEL", "Belgium", "Europe", "EUR"),
    ("BR", "BRA", "Brazil", "Americas", "BRL"),
    ("CA", "CAN", "Canada", "Americas", "CAD"),
    ("CH", "CHE", "Switzerland", "Europe", "CHF"),
    ("CL", "CHL", "Chile", "Americas", "CLP"),
    ("CN", "CHN", "China", "Asia", "CNY"),
    ("CZ", "CZE", "Czechia", "Europe", "CZK"),
    ("DE", "DEU", "Germany", "Europe", "EUR"),
    ("DK", "DNK", "Denmark", "Europe", "DKK"),
    ("EG", "EGY", "Egypt", "Africa", "EGP"),
    ("ES", "ESP", "Spain", "Europe", "EUR"),
    ("FI", "FIN", "Finland", "Europe", "EUR"),
    ("FR", "FRA", "France", "Europe", "EUR"),
    ("GB", "GBR", "United Kingdom", "Europe", "GBP"),
    ("GH", "GHA", "Ghana", "Africa", "GHS"),
    ("IE", "IRL", "Ireland", "Europe", "EUR"),
    ("IN", "IND", "India", "Asia", "INR"),
    ("IT", "ITA", "Italy", "Europe", "EUR"),
    ("JP", "JPN", "Japan", "Asia", "JPY"),
    ("KE", "KEN", "Kenya", "Africa", "KES"),
    ("KR", "KOR", "South Korea", "Asia", "KRW"),
    ("MA", "MAR", "Morocco", "Africa", "MAD"),
    ("MX", "MEX", "Mexico", "Americas", "MXN"),
    ("NG", "NGA", "Nigeria", "Africa", "NGN"),
    ("NL", "NLD", "Netherlands", "Europe", "EUR"),
    ("NO", "NOR", "Norway", "Europe", "NOK"),
    ("NZ", "NZL", "New Zealand", "Oceania", "NZD"),
    ("PL", "POL", "Poland", "Europe", "PLN"),
    ("PT", "PRT", "Portugal", "Europe", "EUR"),
    ("SE", "SWE", "Sweden", "Europe", "SEK"),
    ("SG", "SGP", "Singapore", "Asia", "SGD"),
    ("TR", "TUR", "Turkey", "Europe", "TRY"),
    ("US", "USA", "United States", "Americas", "USD"),
    ("VN", "VNM", "Vietnam", "Asia", "VND"),
    ("ZA", "ZAF", "South Africa", "Africa", "ZAR"),
]

PLANS = ["basic", "standard", "premium", "enterprise"]
PLAN_PRICE = {"basic": 9.0, "standard": 24.0, "premium": 49.0, "enterprise": 199.0}


def _csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def countries_csv() -> bytes:
    return _csv_bytes(
        ["iso2", "iso3", "name", "region", "currency"],
        [list(row) for row in COUNTRIES],
    )


def churn_features_csv(month: str, customers: int, seed: int) -> bytes:
    """One monthly feature snapshot; the customer base overlaps between months
    (same ids, drifted values), as a real snapshot table would."""
    rng = random.Random(seed)
    year, month_number = (int(part) for part in month.split("-"))
    months_later = (year * 12 + month_number) - (2026 * 12 + 10)
    rows: list[list[object]] = []
    for index in range(customers):
        customer = random.Random(index)  # stable per customer across months
        plan = customer.choices(PLANS, weights=[40, 35, 20, 5])[0]
        country = customer.choice(COUNTRIES)[0]
        tenure = customer.randint(1, 60) + months_later
        monthly = round(PLAN_PRICE[plan] * rng.uniform(0.9, 1.1), 2)
        tickets = min(int(rng.expovariate(0.9)), 12)
        logins = max(0, int(rng.gauss(18 if plan != "basic" else 9, 6)))
        failures = int(rng.random() < 0.06) + int(rng.random() < 0.02)
        risk = 0.04 + 0.05 * tickets + 0.2 * failures - 0.004 * tenure - 0.005 * logins
        rows.append(
            [
                f"C{100000 + index}",
                month,
                country,
                plan,
                tenure,
                f"{monthly:.2f}",
                f"{monthly * tenure:.2f}",
                tickets,
                logins,
                f"{max(0.5, rng.gauss(14.0, 5.0)):.1f}",
                failures,
                int(rng.random() < max(0.01, min(risk, 0.9))),
            ]
        )
    return _csv_bytes(
        [
            "customer_id",
            "snapshot_month",
            "country",
            "plan",
            "tenure_months",
            "monthly_charges",
            "total_charges",
            "support_tickets_90d",
            "logins_30d",
            "avg_session_minutes",
            "payment_failures_90d",
            "churned_next_month",
        ],
        rows,
    )


SHARED_README = """\
# Shared data lake area

Everything under `shared/` is readable by every platform user. Please keep it tidy:

| Folder        | What goes there                                       | Owner          |
|---------------|-------------------------------------------------------|----------------|
| `reference/`  | Small, slowly changing lookup tables (countries, ...) | data platform  |
| `projects/`   | One folder per project, then one folder per snapshot  | project owners |

Conventions:

- Snapshots are immutable: write a new `YYYY-MM/` folder instead of overwriting.
- Add a `model-card.md` or `README.md` next to anything other teams may reuse.
- Personal scratch data belongs in `users/<your-username>/`, not here.

Questions: #data-platform on chat.
"""

MODEL_CARD = """\
# Churn model: model card

**Owner:** amira (customer analytics) **Status:** baseline, not in production

## Intended use
Rank active subscribers by their risk of cancelling next month, so that the
retention team can prioritise outreach. Not meant for pricing decisions.

## Training data
`shared/projects/churn/<YYYY-MM>/features.csv`: one row per active customer per
monthly snapshot; the label `churned_next_month` comes from the following snapshot.

## Model
Gradient-boosted trees, 400 estimators, depth 4. Features: tenure, plan, monthly
charges, support tickets (90 days), logins (30 days), session length, payment failures.

## Evaluation (2026-10 snapshot, held-out 20 %)
| Metric    | Value |
|-----------|-------|
| ROC AUC   | 0.81  |
| PR AUC    | 0.37  |
| Recall@10% | 0.42 |

## Caveats
Customers with less than two months of tenure are under-represented.
"""

JOVYAN_NOTES = """\
# Notes

- churn: try adding `support_tickets_90d` squared, the relationship looks non-linear
- ask amira whether the 2026-11 snapshot includes the enterprise migration
- clean up `experiments/` before the quota review
"""


# A folder of a few thousand objects on one level, as an export of daily files makes: enough
# for the browser's paging, its filter over the whole folder and the subtree search to show.
READINGS_PREFIX = "shared/iot/readings/"
STATIONS = 120
DAYS = 25  # 2026-11-01 .. 2026-11-25


def station_day_csv(station: int, day: int) -> bytes:
    """A day of hourly readings of one station (about 700 bytes)."""
    rng = random.Random(station * 1000 + day)
    base = 4.0 + station % 17
    rows: list[list[object]] = []
    for hour in range(24):
        daily = 3.0 * (1 - abs(hour - 14) / 14)  # warmest mid-afternoon
        rows.append(
            [
                f"2026-11-{day:02d}T{hour:02d}:00:00Z",
                f"{base + daily + rng.gauss(0, 0.6):.1f}",
                rng.randint(55, 95),
            ]
        )
    return _csv_bytes(["time", "temperature_c", "humidity_pct"], rows)


def readings_objects() -> list[SampleObject]:
    """``STATIONS * DAYS`` objects in one folder, named so that a search for a station or a
    day finds a few dozen of them."""
    return [
        SampleObject(
            f"{READINGS_PREFIX}station-{station:03d}_2026-11-{day:02d}.csv",
            station_day_csv(station, day),
            "text/csv",
            {"uploader": "iot-export"},
        )
        for station in range(1, STATIONS + 1)
        for day in range(1, DAYS + 1)
    ]


def sample_objects() -> list[SampleObject]:
    jovyan_metrics = {
        "experiment": "churn-baseline",
        "snapshot": "2026-10",
        "roc_auc": 0.8062,
        "pr_auc": 0.3711,
        "n_train": 14400,
        "n_test": 3600,
    }
    return [
        SampleObject(
            "shared/README.md", SHARED_README.encode(), "text/markdown", {"uploader": "jkowalski"}
        ),
        SampleObject(
            "shared/reference/countries.csv", countries_csv(), "text/csv", {"uploader": "jkowalski"}
        ),
        SampleObject(
            "shared/projects/churn/model-card.md",
            MODEL_CARD.encode(),
            "text/markdown",
            {"uploader": "amira"},
        ),
        SampleObject(
            "shared/projects/churn/2026-10/features.csv",
            churn_features_csv("2026-10", 16000, seed=202610),
            "text/csv",
            {"uploader": "amira"},
        ),
        SampleObject(
            "shared/projects/churn/2026-11/features.csv",
            churn_features_csv("2026-11", 16500, seed=202611),
            "text/csv",
            {"uploader": "priya"},
        ),
        SampleObject(
            f"users/{USERNAME}/notes.md",
            JOVYAN_NOTES.encode(),
            "text/markdown",
            {"uploader": USERNAME},
        ),
        SampleObject(
            f"users/{USERNAME}/experiments/churn-baseline/metrics.json",
            (json.dumps(jovyan_metrics, indent=2) + "\n").encode(),
            "application/json",
            {"uploader": USERNAME},
        ),
        # Someone else's private area: the browser must never show it to jovyan.
        SampleObject(
            "users/amira/scratch/holdout_ids.csv",
            _csv_bytes(["customer_id"], [[f"C{100000 + i}"] for i in range(0, 16000, 7)]),
            "text/csv",
            {"uploader": "amira"},
        ),
        *readings_objects(),
    ]


def put_all(client: Any, bucket: str, objects: Sequence[SampleObject]) -> None:
    """Put the objects with ``PUT_WORKERS`` requests in flight (a boto3 client is safe to share
    between threads); the first failure is raised."""

    def put(item: SampleObject) -> None:
        client.put_object(
            Bucket=bucket,
            Key=item.key,
            Body=item.body,
            ContentType=item.content_type,
            Metadata=item.metadata,
        )

    with ThreadPoolExecutor(PUT_WORKERS) as pool:
        for _ in pool.map(put, objects):
            pass
