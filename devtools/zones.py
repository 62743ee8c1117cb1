"""Write lambda/checkin/speech/zone_countries.json: which country each IANA time zone is in.

The skill reads the device's time zone through the Alexa Settings API; the safety answer uses
this table to name the device's country (Europe/Dublin -> IE). The source is the IANA zone
table (`zone.tab`, one line per zone: country code, coordinates, zone name), as the system's
tzdata installs it, plus the older names that tzdata keeps as links (US/Eastern,
Asia/Calcutta, Eire), which some devices may still report.

    python -m devtools.zones           # write the table
    python -m devtools.zones --check   # exit 1 if it differs from what zone.tab gives
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TABLE = REPO_ROOT / "lambda" / "checkin" / "speech" / "zone_countries.json"
ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")

# Old names still linked in tzdata's "backward" file, for the countries a locale serves.
LINKS = {
    "US/Eastern": "US", "US/Central": "US", "US/Mountain": "US", "US/Pacific": "US",
    "US/Alaska": "US", "US/Hawaii": "US", "US/Arizona": "US", "US/Michigan": "US",
    "US/East-Indiana": "US", "US/Aleutian": "US", "US/Samoa": "AS", "Navajo": "US",
    "Canada/Atlantic": "CA", "Canada/Central": "CA", "Canada/Eastern": "CA",
    "Canada/Mountain": "CA", "Canada/Newfoundland": "CA", "Canada/Pacific": "CA",
    "Canada/Saskatchewan": "CA", "Canada/Yukon": "CA",
    "Australia/ACT": "AU", "Australia/Canberra": "AU", "Australia/NSW": "AU",
    "Australia/North": "AU", "Australia/Queensland": "AU", "Australia/South": "AU",
    "Australia/Tasmania": "AU", "Australia/Victoria": "AU", "Australia/West": "AU",
    "Australia/Yancowinna": "AU", "Australia/LHI": "AU",
    "Asia/Calcutta": "IN", "Europe/Belfast": "GB", "GB": "GB", "GB-Eire": "GB", "Eire": "IE",
    "NZ": "NZ", "NZ-CHAT": "NZ", "Brazil/East": "BR", "Brazil/West": "BR", "Brazil/Acre": "BR",
    "Brazil/DeNoronha": "BR", "Mexico/General": "MX", "Mexico/BajaNorte": "MX",
    "Mexico/BajaSur": "MX", "America/Ensenada": "MX", "America/Santa_Isabel": "MX",
    "Europe/Kiev": "UA", "Asia/Saigon": "VN", "Asia/Katmandu": "NP", "Asia/Rangoon": "MM",
    "America/Buenos_Aires": "AR", "America/Montreal": "CA", "America/Fort_Wayne": "US",
    "America/Indianapolis": "US", "America/Louisville": "US", "America/Knox_IN": "US",
    "America/Shiprock": "US", "Pacific/Samoa": "AS", "Pacific/Johnston": "UM",
    "Atlantic/Faeroe": "FO", "Poland": "PL", "Portugal": "PT", "Japan": "JP", "Singapore": "SG",
    "Turkey": "TR", "Israel": "IL", "Iceland": "IS", "Jamaica": "JM", "Egypt": "EG",
}


def table(zone_tab: Path = ZONE_TAB) -> dict:
    zones: dict[str, str] = {}
    for line in zone_tab.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, zone, *_ = line.split("\t")
        zones[zone] = country
    for zone, country in LINKS.items():
        zones.setdefault(zone, country)
    return {"about": "IANA time zone -> ISO country, from zone.tab and older linked names; "
                     "written by python -m devtools.zones, never by hand.",
            "zones": dict(sorted(zones.items()))}


def render(data: dict) -> str:
    return json.dumps(data, indent=0, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    expected = render(table())
    if args.check:
        same = TABLE.is_file() and TABLE.read_text(encoding="utf-8") == expected
        print("zone table is current" if same else "zone table differs: python -m devtools.zones")
        return 0 if same else 1
    TABLE.write_text(expected, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
