"""Create a demo home directory shaped like a data platform user's home.

The layout follows the platform guide (notebooks, data, scripts, models, dbt
projects, plus the freedesktop trash that JupyterLab's delete moves files to),
so that the Storage panel has something realistic to measure.

Creation is idempotent and conservative: files the user already has are never
overwritten or deleted, only missing ones are added. All content is generated
deterministically from fixed seeds.

Usage on its own: python demo/sample_home.py PATH
"""

from __future__ import annotations

import array
import csv
import datetime as dt
import io
import json
import os
import pickle
import random
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

FIRST_NAMES = [
    "Ada",
    "Amara",
    "Ben",
    "Carlos",
    "Chloe",
    "Daniel",
    "Elena",
    "Farah",
    "Felix",
    "Grace",
    "Hana",
    "Ibrahim",
    "Isla",
    "Jonas",
    "Kofi",
    "Lena",
    "Liam",
    "Maya",
    "Mateo",
    "Nadia",
    "Noah",
    "Olivia",
    "Omar",
    "Priya",
    "Rafael",
    "Sara",
    "Tomas",
    "Uma",
    "Victor",
    "Yuki",
    "Zoe",
]
LAST_NAMES = [
    "Andersen",
    "Bauer",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Novak",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Santos",
    "Tanaka",
    "Umar",
    "Virtanen",
    "Walsh",
    "Yilmaz",
    "Zhang",
]
COMPANY_WORDS = [
    "Alpine",
    "Blue",
    "Cedar",
    "Delta",
    "Harbor",
    "Lumen",
    "Maple",
    "Nimbus",
    "Northwind",
    "Orbit",
    "Pioneer",
    "Quartz",
    "Redwood",
    "Summit",
]
COMPANY_SUFFIXES = ["Analytics", "Foods", "Logistics", "Retail", "Systems", "Health", "Labs"]
# (region, country) pairs used consistently by the customer list and sales data.
MARKETS = [
    ("EMEA", "DE"),
    ("EMEA", "FR"),
    ("EMEA", "GB"),
    ("EMEA", "NL"),
    ("EMEA", "SE"),
    ("AMER", "US"),
    ("AMER", "CA"),
    ("AMER", "BR"),
    ("APAC", "JP"),
    ("APAC", "AU"),
    ("APAC", "SG"),
    ("APAC", "IN"),
]
SEGMENTS = ["SMB", "Mid-Market", "Enterprise"]
# (product, category, list price)
PRODUCTS = [
    ("Starter Plan", "Subscription", 29.0),
    ("Team Plan", "Subscription", 99.0),
    ("Enterprise Plan", "Subscription", 499.0),
    ("Data Connector", "Add-on", 49.0),
    ("Extra Storage 1TB", "Add-on", 19.0),
    ("Onboarding Workshop", "Services", 1200.0),
    ("Support Plus", "Services", 250.0),
]
CHANNELS = ["web", "sales", "partner"]
CUSTOMER_COUNT = 120
SALES_ROWS = 3000

# Fixed timestamps keep generated archives byte-identical between runs.
ZIP_TIMESTAMP = (2026, 9, 1, 8, 0, 0)
TRASHED_AT = dt.datetime(2026, 6, 3, 16, 42, 7)


# --------------------------------------------------------------------------- data


def _customers() -> list[dict[str, object]]:
    rng = random.Random(1001)
    customers: list[dict[str, object]] = []
    for index in range(CUSTOMER_COUNT):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}"
        region, country = rng.choice(MARKETS)
        domain = company.lower().replace(" ", "") + ".example"
        customers.append(
            {
                "customer_id": f"C{1001 + index}",
                "name": f"{first} {last}",
                "company": company,
                "email": f"{first.lower()}.{last.lower()}@{domain}",
                "country": country,
                "region": region,
                "segment": rng.choices(SEGMENTS, weights=[55, 30, 15])[0],
                "signup_date": dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1000)),
                "lifetime_value": round(rng.lognormvariate(8.0, 1.0), 2),
            }
        )
    return customers


def sales_rows(count: int, seed: int, start: dt.date, end: dt.date) -> list[list[object]]:
    rng = random.Random(seed)
    customers = _customers()
    span_days = (end - start).days
    rows: list[list[object]] = []
    for index in range(count):
        customer = rng.choice(customers)
        product, category, price = rng.choices(PRODUCTS, weights=[30, 25, 6, 15, 14, 4, 6])[0]
        quantity = rng.randint(1, 5) if category != "Services" else 1
        discount = rng.choice([0.0, 0.0, 0.0, 0.05, 0.1, 0.15])
        revenue = round(quantity * price * (1 - discount), 2)
        rows.append(
            [
                f"SO-{start.year}-{index + 1:06d}",
                (start + dt.timedelta(days=rng.randint(0, span_days))).isoformat(),
                customer["customer_id"],
                customer["region"],
                customer["country"],
                product,
                category,
                quantity,
                f"{price:.2f}",
                f"{discount:.2f}",
                f"{revenue:.2f}",
                rng.choice(CHANNELS),
            ]
        )
    rows.sort(key=lambda row: (row[1], row[0]))
    return rows


SALES_HEADER = [
    "order_id",
    "order_date",
    "customer_id",
    "region",
    "country",
    "product",
    "category",
    "quantity",
    "unit_price",
    "discount",
    "revenue",
    "channel",
]


def sales_csv(
    count: int = SALES_ROWS,
    seed: int = 2024,
    start: dt.date = dt.date(2025, 1, 1),
    end: dt.date = dt.date(2026, 10, 31),
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SALES_HEADER)
    writer.writerows(sales_rows(count, seed, start, end))
    return buffer.getvalue().encode()


# --------------------------------------------------------------------------- xlsx


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _excel_serial(day: dt.date) -> int:
    # Excel's day 0 is 1899-12-30 once its fictional 1900-02-29 is accounted for.
    return (day - dt.date(1899, 12, 30)).days


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SPREADSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _content_types(overrides: dict[str, str]) -> str:
    defaults = (
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
    )
    parts = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        f"{XML_DECLARATION}"
        f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{defaults}{parts}</Types>\n'
    )


def _relationships(targets: list[tuple[str, str]]) -> str:
    """(relationship type URI, target) pairs, numbered rId1, rId2, ..."""
    items = "".join(
        f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"/>'
        for number, (kind, target) in enumerate(targets, start=1)
    )
    return f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{items}</Relationships>\n'


XLSX_CONTENT_TYPES = _content_types(
    {
        "/xl/workbook.xml": f"{SPREADSHEET_TYPE}.sheet.main+xml",
        "/xl/worksheets/sheet1.xml": f"{SPREADSHEET_TYPE}.worksheet+xml",
        "/xl/styles.xml": f"{SPREADSHEET_TYPE}.styles+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
)
XLSX_ROOT_RELS = _relationships(
    [
        (f"{OFFICE_RELS}/officeDocument", "xl/workbook.xml"),
        (f"{PACKAGE_RELS}/metadata/core-properties", "docProps/core.xml"),
        (f"{OFFICE_RELS}/extended-properties", "docProps/app.xml"),
    ]
)
# rId1 must stay the worksheet: workbook.xml refers to it.
XLSX_WORKBOOK_RELS = _relationships(
    [(f"{OFFICE_RELS}/worksheet", "worksheets/sheet1.xml"), (f"{OFFICE_RELS}/styles", "styles.xml")]
)

XLSX_CORE = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Customer list</dc:title>
<dc:creator>jovyan</dc:creator>
<dcterms:created xsi:type="dcterms:W3CDTF">2026-09-01T08:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2026-09-01T08:00:00Z</dcterms:modified>
</cp:coreProperties>
"""

XLSX_APP = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>jupyterlab-datalake demo</Application>
</Properties>
"""

XLSX_WORKBOOK = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets>
</workbook>
"""

# Style indexes used below: 0 default, 1 bold header, 2 date, 3 money.
# Excel insists on the two leading fills (none, gray125) being present.
XLSX_STYLES = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2">
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
</fonts>
<fills count="2">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
</fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""

CUSTOMER_COLUMNS = [
    # (header, key, column width)
    ("Customer ID", "customer_id", 12),
    ("Name", "name", 22),
    ("Company", "company", 24),
    ("Email", "email", 40),
    ("Country", "country", 9),
    ("Region", "region", 9),
    ("Segment", "segment", 13),
    ("Signup date", "signup_date", 12),
    ("Lifetime value", "lifetime_value", 15),
]


def _xlsx_cell(ref: str, value: object, header: bool = False) -> str:
    if header:
        return f'<c r="{ref}" s="1" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="2"><v>{_excel_serial(value)}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}" s="3"><v>{value}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    # Inline strings avoid having to maintain a sharedStrings part.
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def customer_list_xlsx() -> bytes:
    customers = _customers()
    last_column = _column_letter(len(CUSTOMER_COLUMNS) - 1)
    last_row = len(customers) + 1
    rows = [
        '<row r="1">'
        + "".join(
            _xlsx_cell(f"{_column_letter(i)}1", header, header=True)
            for i, (header, _, _) in enumerate(CUSTOMER_COLUMNS)
        )
        + "</row>"
    ]
    for row_number, customer in enumerate(customers, start=2):
        cells = "".join(
            _xlsx_cell(f"{_column_letter(i)}{row_number}", customer[key])
            for i, (_, key, _) in enumerate(CUSTOMER_COLUMNS)
        )
        rows.append(f'<row r="{row_number}">{cells}</row>')
    columns = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{width}" customWidth="1"/>'
        for i, (_, _, width) in enumerate(CUSTOMER_COLUMNS)
    )
    # Element order inside <worksheet> is fixed by the schema; Excel rejects other orders.
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last_column}{last_row}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{columns}</cols>"
        f"<sheetData>{''.join(rows)}</sheetData>"
        "</worksheet>\n"
    )
    parts = [
        ("[Content_Types].xml", XLSX_CONTENT_TYPES),
        ("_rels/.rels", XLSX_ROOT_RELS),
        ("docProps/core.xml", XLSX_CORE),
        ("docProps/app.xml", XLSX_APP),
        ("xl/workbook.xml", XLSX_WORKBOOK),
        ("xl/_rels/workbook.xml.rels", XLSX_WORKBOOK_RELS),
        ("xl/styles.xml", XLSX_STYLES),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode())
    return buffer.getvalue()


# --------------------------------------------------------------------------- notebooks


def _notebook(cells: list[tuple[str, str]]) -> bytes:
    """nbformat 4.5 JSON; (cell_type, source) pairs, ids derived from position
    so the output is stable."""
    notebook_cells = []
    for index, (cell_type, source) in enumerate(cells):
        cell: dict[str, object] = {
            "cell_type": cell_type,
            "id": f"cell-{index:02d}",
            "metadata": {},
            "source": source.strip("\n").splitlines(keepends=True),
        }
        if cell_type == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        notebook_cells.append(cell)
    notebook = {
        "cells": notebook_cells,
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python", "pygments_lexer": "ipython3"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode()


def explore_sales_notebook() -> bytes:
    # Standard library only, so it runs in any kernel without pandas.
    return _notebook(
        [
            (
                "markdown",
                "# Exploring the sales data\n\nA first look at `data/sales_data.csv`: revenue by region and by month.",
            ),
            (
                "code",
                """
import csv
from collections import Counter
from pathlib import Path

with open(Path.home() / "data" / "sales_data.csv", newline="") as f:
    orders = list(csv.DictReader(f))
len(orders), orders[0]
""",
            ),
            (
                "code",
                """
revenue_by_region = Counter()
for order in orders:
    revenue_by_region[order["region"]] += float(order["revenue"])
for region, revenue in revenue_by_region.most_common():
    print(f"{region:5} {revenue:>12,.2f}")
""",
            ),
            (
                "code",
                """
revenue_by_month = Counter()
for order in orders:
    revenue_by_month[order["order_date"][:7]] += float(order["revenue"])
for month in sorted(revenue_by_month):
    print(month, "#" * int(revenue_by_month[month] / 2000))
""",
            ),
            (
                "markdown",
                "## Next steps\n\n"
                "- join with `data/customer_list.xlsx` for segments\n"
                "- move the monthly aggregate into `dbt_projects/sales_analytics`",
            ),
        ]
    )


def datalake_quickstart_notebook() -> bytes:
    return _notebook(
        [
            (
                "markdown",
                "# Data lake quickstart\n\n"
                "The platform sets `DATALAKE_BUCKET`, the S3 endpoint and credentials for you.\n"
                "`shared/` is readable by everyone; `users/<you>/` is your private area.",
            ),
            (
                "code",
                """
import os
import boto3

s3 = boto3.client("s3")
bucket = os.environ["DATALAKE_BUCKET"]
me = os.environ.get("JUPYTERHUB_USER", "jovyan")

listing = s3.list_objects_v2(Bucket=bucket, Prefix="shared/")
for obj in listing.get("Contents", []):
    print(f"{obj['Size']:>10}  {obj['Key']}")
""",
            ),
            (
                "code",
                """
body = s3.get_object(Bucket=bucket, Key="shared/reference/countries.csv")["Body"].read()
print(body.decode()[:300])
""",
            ),
            (
                "code",
                """
# Personal copies go to your own area, never to shared/.
s3.upload_file("data/sales_data.csv", bucket, f"users/{me}/sales_data.csv")
""",
            ),
        ]
    )


# --------------------------------------------------------------------------- other files

CLEAN_SALES_PY = '''\
"""Drop discounted service orders and write a cleaned copy of the sales data."""

import csv
from pathlib import Path

DATA = Path.home() / "data"


def main() -> None:
    with open(DATA / "sales_data.csv", newline="") as source:
        rows = [
            row
            for row in csv.DictReader(source)
            if not (row["category"] == "Services" and float(row["discount"]) > 0)
        ]
    with open(DATA / "sales_clean.csv", "w", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {DATA / 'sales_clean.csv'}")


if __name__ == "__main__":
    main()
'''

UPLOAD_PY = '''\
"""Upload a file to your personal data lake area: python scripts/upload_to_datalake.py FILE"""

import os
import sys
from pathlib import Path

import boto3


def main(path: str) -> None:
    bucket = os.environ["DATALAKE_BUCKET"]
    key = f"users/{os.environ.get('JUPYTERHUB_USER', 'jovyan')}/{Path(path).name}"
    boto3.client("s3").upload_file(path, bucket, key)
    print(f"uploaded {path} to s3://{bucket}/{key}")


if __name__ == "__main__":
    main(sys.argv[1])
'''

DBT_PROJECT_YML = """\
name: sales_analytics
version: "1.0.0"
config-version: 2
profile: sales_analytics

model-paths: ["models"]

models:
  sales_analytics:
    +materialized: view
    revenue_by_region:
      +materialized: table
"""

DBT_SCHEMA_YML = """\
version: 2

sources:
  - name: raw
    tables:
      - name: sales_data

models:
  - name: stg_sales
    columns:
      - name: order_id
        tests: [unique, not_null]
  - name: revenue_by_region
"""

DBT_STG_SALES = """\
select
    order_id,
    cast(order_date as date) as order_date,
    customer_id,
    region,
    product,
    category,
    quantity,
    revenue
from {{ source('raw', 'sales_data') }}
where quantity > 0
"""

DBT_REVENUE_BY_REGION = """\
select
    region,
    date_trunc('month', order_date) as month,
    sum(revenue) as revenue,
    count(*) as orders
from {{ ref('stg_sales') }}
group by 1, 2
"""


def churn_model_pickle() -> bytes:
    """A few MB that unpickle with the standard library alone."""
    rng = random.Random(7)
    model = {
        "model_type": "GradientBoostingClassifier",
        "trained_on": "shared/projects/churn/2026-10/features.csv",
        "feature_names": [
            "tenure_months",
            "monthly_charges",
            "support_tickets_90d",
            "logins_30d",
            "avg_session_minutes",
            "payment_failures_90d",
        ],
        "n_estimators": 400,
        "max_depth": 4,
        # 400 trees x 15 split nodes x (threshold, gain) plus leaf values, padded to a realistic size.
        "tree_parameters": array.array("d", (rng.gauss(0.0, 1.0) for _ in range(384_000))),
    }
    return pickle.dumps(model, protocol=4)


def trashinfo(original: Path) -> bytes:
    # freedesktop.org Trash spec: absolute, percent-encoded path; local time without zone.
    return (
        f"[Trash Info]\nPath={quote(str(original))}\nDeletionDate={TRASHED_AT.isoformat(timespec='seconds')}\n"
    ).encode()


# --------------------------------------------------------------------------- creation


def _files(home: Path) -> dict[str, Callable[[], bytes]]:
    """Relative path -> content factory; factories run only for missing files."""
    trashed_name = "sales_data_2025_h1.csv"
    return {
        "notebooks/01_explore_sales.ipynb": explore_sales_notebook,
        "notebooks/02_datalake_quickstart.ipynb": datalake_quickstart_notebook,
        "data/sales_data.csv": sales_csv,
        "data/customer_list.xlsx": customer_list_xlsx,
        "scripts/clean_sales.py": CLEAN_SALES_PY.encode,
        "scripts/upload_to_datalake.py": UPLOAD_PY.encode,
        "models/churn_model.pkl": churn_model_pickle,
        "dbt_projects/sales_analytics/dbt_project.yml": DBT_PROJECT_YML.encode,
        "dbt_projects/sales_analytics/models/schema.yml": DBT_SCHEMA_YML.encode,
        "dbt_projects/sales_analytics/models/stg_sales.sql": DBT_STG_SALES.encode,
        "dbt_projects/sales_analytics/models/revenue_by_region.sql": DBT_REVENUE_BY_REGION.encode,
        f".local/share/Trash/files/{trashed_name}": lambda: sales_csv(
            1500, seed=2025, end=dt.date(2025, 6, 30)
        ),
        f".local/share/Trash/info/{trashed_name}.trashinfo": lambda: trashinfo(
            home / "data" / trashed_name
        ),
    }


# Files that should look old in a file browser, like the trashed export.
BACKDATED = {
    ".local/share/Trash/files/sales_data_2025_h1.csv",
    ".local/share/Trash/info/sales_data_2025_h1.csv.trashinfo",
}


def _write_new(path: Path, content: bytes) -> None:
    """Write via a temporary name so an interrupted run never leaves a
    truncated file that later runs would then keep."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(
        f".{path.name}.{os.getpid()}.demo-tmp"
    )  # unique: demo runs may overlap
    temporary.write_bytes(content)
    os.replace(temporary, path)


def _add_missing(root: Path, files: dict[str, Callable[[], bytes]]) -> list[Path]:
    """Write the files that `root` does not have yet; returns the files created."""
    created: list[Path] = []
    for relative, factory in files.items():
        path = root / relative
        if path.exists() or path.is_symlink():
            continue
        _write_new(path, factory())
        if relative in BACKDATED:
            timestamp = TRASHED_AT.timestamp()
            os.utime(path, (timestamp, timestamp))
        created.append(path)
    return created


def create_home(home: Path) -> list[Path]:
    """Add missing sample files under `home`; returns the files created."""
    home = home.resolve()
    return _add_missing(home, _files(home))


def create_scratch(scratch: Path) -> list[Path]:
    """What a user typically leaves in a RAM-backed scratch place such as /dev/shm: an
    intermediate export and a cache folder, which the Storage panel lists as lost at restart."""
    files = {
        "sales_2025_clean.csv": lambda: sales_csv(4000, seed=7, end=dt.date(2025, 12, 31)),
        "feature-cache/part-000.bin": lambda: random.Random(1).randbytes(512 * 1024),
        "feature-cache/part-001.bin": lambda: random.Random(2).randbytes(256 * 1024),
    }
    return _add_missing(scratch, files)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} HOME")
    for created_path in create_home(Path(sys.argv[1])):
        print(created_path)
