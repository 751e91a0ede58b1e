"""Publication dates with a confidence and the evidence that gave them.

Order of trust: what the caller knows (feed entry, JSONL field, ``--published``),
then HTML metadata (htmldate without its text heuristics), then a dateline in
the text's header or footer, then an update stamp, then a weekday with no year
("Sunday, December 14") when the weekday leaves one plausible year, then
htmldate's extensive search. When none of these speaks, the date is unknown:
a guess would poison every timeline built on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import dateparser
import htmldate
import pytz

from storyline.lang.en import MONTH_PATTERN, WEEKDAY_PATTERN
from storyline.records import DateEstimate
from storyline.settings import settings

_TIME = r"\d{1,2}[:.]\d{2}(?:\s*(?:a\.?m\.?|p\.?m\.?))?(?:\s*[A-Z]{2,4}\b)?"
_NUMERIC_DOTTED = re.compile(rf"(?:(?P<t1>{_TIME})\s*,?\s*)?\b(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}})\b(?:\s*,?\s*(?P<t2>{_TIME}))?")
_NUMERIC_SLASHED = re.compile(rf"\b(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{2}}|\d{{4}})\b(?:\s*,?\s*(?P<t>{_TIME}))?")
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2}))?")
_WORDY = re.compile(
    rf"\b(?:(?:{WEEKDAY_PATTERN}),?\s+)?(?:(?:{MONTH_PATTERN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTH_PATTERN})\.?)"
    rf"(?:,?\s+(?:19|20)\d{{2}})?(?:\s*,?\s*(?:at\s+)?{_TIME})?",
    re.I,
)
_WEEKDAY_NO_YEAR = re.compile(
    rf"^\s*(?P<wd>{WEEKDAY_PATTERN}),?\s+(?:(?P<m1>{MONTH_PATTERN})\.?\s+(?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH_PATTERN}))\.?\s*$",
    re.I,
)
_STAMP_PREFIX = re.compile(r"^\s*(?P<label>last\s+updated|updated?|published(?:\s+on)?|posted(?:\s+on)?|first\s+published)\s*:?\s*", re.I)
_YEAR_MENTION = re.compile(r"\b(19[5-9]\d|20\d{2})\b")
# A web address ("http://…/2013/02/…") is never a date line: dateparser would try each of its
# some 200 locales on it, compiling their patterns, about a second the first time in a process.
_WEB_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)")
_WEEKDAY_INDEX = {name: i for i, names in enumerate(
    (("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
     ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun"))) for name in names}
# Iranian outlets date by the Solar Hijri calendar: "یکشنبه ۲۳ آذر ۱۴۰۴" is Sunday 14 December 2025.
_SOLAR_HIJRI = re.compile(r"[0-9۰-۹]{1,2}\s+(?:فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)\s+(?:13|14|۱۳|۱۴)[0-9۰-۹]{2}"
                          r"(?:\s*[-–،,]?\s*[0-9۰-۹]{1,2}:[0-9۰-۹]{2})?")


@dataclass(frozen=True)
class DatelineMatch:
    value: datetime | date
    kind: str  # "dateline", "update-stamp" or "weekday-without-year"
    text: str


def _time_parts(fragment: str | None) -> tuple[int, int] | None:
    if not fragment:
        return None
    match = re.match(r"(\d{1,2})[:.](\d{2})\s*(a\.?m\.?|p\.?m\.?)?", fragment, re.I)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    meridiem = (match.group(3) or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    if meridiem == "am" and hour == 12:
        hour = 0
    return (hour, minute) if hour < 24 and minute < 60 else None


def _combine(day: date, time_fragment: str | None) -> datetime | date:
    parts = _time_parts(time_fragment)
    return datetime(day.year, day.month, day.day, *parts) if parts else day


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_numeric(line: str, month_first: bool) -> tuple[datetime | date, str] | None:
    if match := _ISO.search(line):
        day = _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
        if day:
            value = datetime(day.year, day.month, day.day, int(match["H"]), int(match["M"])) if match["H"] else day
            return value, match.group(0)
    if match := _NUMERIC_DOTTED.search(line):
        day = _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
        if day:
            return _combine(day, match["t1"] or match["t2"]), match.group(0)
    if match := _NUMERIC_SLASHED.search(line):
        a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
        year += 2000 if year < 100 else 0
        # Day/month order: a field over 12 decides; otherwise US month-first for English, else day-first.
        month, day_of_month = (a, b) if (b > 12 or (a <= 12 and month_first)) else (b, a)
        day = _safe_date(year, month, day_of_month)
        if day:
            return _combine(day, match["t"]), match.group(0)
    return None


def _parse_wordy(fragment: str, languages: list[str] | None) -> datetime | date | None:
    if not _YEAR_MENTION.search(fragment) or _WEB_ADDRESS.search(fragment):
        return None
    parsed = dateparser.parse(
        fragment, languages=languages, settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}
    )
    if parsed is None:
        return None
    return parsed if re.search(r"\d{1,2}[:.]\d{2}", fragment) else parsed.date()


def _parse_solar_hijri(fragment: str) -> datetime | date | None:
    from dateparser.calendars.jalali import (
        JalaliCalendar,  # needs convertdate; only Persian pages pay for the import
    )

    parsed = JalaliCalendar(fragment).get_date()
    if parsed is None or parsed.date_obj is None:
        return None
    return parsed.date_obj if ":" in fragment else parsed.date_obj.date()


def _remaining_words(line: str, matched: str) -> int:
    rest = line.replace(matched, " ")
    return len(re.findall(r"[^\W\d_]{2,}", rest))


def find_dateline(line: str, month_first: bool = True, languages: list[str] | None = None) -> DatelineMatch | None:
    """Recognise a line that is a date ("20:01 22.10.2024", "Update 2/14/22, 5:18 a.m. ET: ...")."""
    text = line.strip()
    if not text or len(text) > 400:
        return None
    stamp = _STAMP_PREFIX.match(text)
    body = text[stamp.end():] if stamp else text
    if _WEEKDAY_NO_YEAR.match(body) and not stamp:
        return DatelineMatch(value=date.min, kind="weekday-without-year", text=text)
    found = _parse_numeric(body, month_first)
    if found is None and (wordy := _WORDY.search(body)):
        value = _parse_wordy(wordy.group(0), languages)
        found = (value, wordy.group(0)) if value else None
    if found is None and len(body.split()) <= settings().ingest.dateline_local_words and (value := _parse_wordy(body, languages)):
        # Month names in other languages ("22 жовтня 2024"): dateparser knows some 200 locales.
        found = (value, body)
    if found is None and (hijri := _SOLAR_HIJRI.search(body)) and (value := _parse_solar_hijri(hijri.group(0))):
        found = (value, hijri.group(0))
    if found is None:
        return None
    value, matched = found
    if stamp:
        # An update stamp may carry a whole editor's note after the date ("...ET: This article was updated").
        if body.find(matched) > settings().ingest.stamp_prefix_chars:
            return None
        label = stamp["label"].lower()
        return DatelineMatch(value=value, kind="update-stamp" if label.startswith(("upd", "last")) else "dateline", text=text)
    if _remaining_words(body, matched) > settings().ingest.dateline_extra_words:
        return None
    return DatelineMatch(value=value, kind="dateline", text=text)


def resolve_weekday_without_year(line: str, reference: date, context_text: str = "") -> tuple[date | None, str]:
    """"Sunday, December 14" -> the one year in the plausible window whose December 14 is a Sunday.

    The window runs from the latest year the article mentions (an article is not older than
    the events it reports) to the reference date (when it was fetched, or today).
    """
    match = _WEEKDAY_NO_YEAR.match(line.strip())
    if not match:
        return None, "not a weekday-and-day line"
    month_name = (match["m1"] or match["m2"]).lower()[:3]
    month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(month_name) + 1
    day_of_month = int(match["d1"] or match["d2"])
    weekday = _WEEKDAY_INDEX[match["wd"].lower()]
    mentioned = [int(y) for y in _YEAR_MENTION.findall(context_text) if int(y) <= reference.year]
    earliest = max(mentioned) if mentioned else reference.year - settings().ingest.weekday_lookback_years
    earliest = max(earliest, reference.year - settings().ingest.weekday_lookback_years)
    fits = [
        candidate
        for year in range(earliest, reference.year + 1)
        if (candidate := _safe_date(year, month, day_of_month)) and candidate.weekday() == weekday and candidate <= reference
    ]
    window = f"{earliest}-{reference.isoformat()}"
    if len(fits) == 1:
        return fits[0], f"'{line.strip()}': the only year in {window} where that day is a {match['wd'].capitalize()}"
    if not fits:
        return None, f"'{line.strip()}': no year in {window} fits the weekday"
    return None, f"'{line.strip()}': several years fit ({', '.join(str(d.year) for d in fits)}); left unknown"


def plausible(value: datetime | date, reference: date) -> bool:
    """A news article's date lies between the first newspapers and a day after the reference
    (time zones), whatever a page or a caller claims."""
    day = value.date() if isinstance(value, datetime) else value
    return settings().ingest.earliest_year <= day.year and day <= reference + timedelta(days=1)


def _from_given(published: str, source: str, reference: date) -> DateEstimate | None:
    parsed = dateparser.parse(published, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None or not plausible(parsed, reference):
        return None
    has_time = bool(re.search(r"\d{1,2}:\d{2}", published))
    value: datetime | date = parsed if has_time else parsed.date()
    return DateEstimate(value=value, confidence=0.95, method="given", evidence=f"{source}: '{published}'")


# Where most of a country's newsrooms keep time, for countries whose first listed zone is not it.
_NEWSROOM_ZONES = {"CA": "America/Toronto", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo", "RU": "Europe/Moscow",
                   "UA": "Europe/Kyiv"}


def newsroom_zone(country: str | None) -> ZoneInfo | None:
    """The time zone a country's press dates its articles in (the Olson zone its newsrooms use)."""
    if not country:
        return None
    name = _NEWSROOM_ZONES.get(country) or next(iter(pytz.country_timezones.get(country.lower(), ())), None)
    return ZoneInfo(name) if name else None


def _utc_stamp(html: str, day: date, at: datetime | None) -> datetime | None:
    """The moment as the page writes it in UTC (a trailing Z or +00:00, as metadata often does):
    the one htmldate found, or, where it kept only the day, the page's first UTC stamp on that day."""
    moment = at.strftime("%Y-%m-%dT%H:%M") if at is not None else day.isoformat() + r"T\d\d:\d\d"
    found = re.search(f"({moment})" + r"(?::\d{1,2}(?:\.\d+)?)?(?:Z|[+-]00:?00)(?!\d)", html)
    return datetime.fromisoformat(found.group(1)) if found else None


def _url_day(url: str | None) -> date | None:
    """The day a CMS wrote into the address (/2020/04/28/, 20200428...), in the newsroom's own calendar."""
    if url and (found := re.search(r"[/_-]((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)", urlsplit(url).path)):
        return _safe_date(int(found[1]), int(found[2]), int(found[3]))
    return None


def _newsroom_day(html: str, url: str | None, parsed: datetime, zone: ZoneInfo | None) -> tuple[datetime, str]:
    """A UTC moment read as the newsroom's: 02:54 UTC on May 2 is May 1 in New York (unless the
    address itself says May 2)."""
    has_time = (parsed.hour, parsed.minute) != (0, 0)
    utc = _utc_stamp(html, parsed.date(), parsed if has_time else None) if zone is not None else None
    if utc is None:
        return parsed, ""
    local = utc.replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)
    if local.date() == utc.date() or _url_day(url) == utc.date():
        return (utc if has_time else parsed), ""
    return local, f"; the page gives {utc.isoformat(timespec='minutes')} UTC, read in {zone.key}"


def _from_htmldate(html: str, url: str | None, extensive: bool, zone: ZoneInfo | None = None) -> DateEstimate | None:
    try:
        found = htmldate.find_date(
            html, url=url, extensive_search=extensive, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S"
        )
    except Exception:  # htmldate raises assorted parser errors on broken markup; it is one signal among several
        return None
    if not found:
        return None
    parsed, local = _newsroom_day(html, url, datetime.fromisoformat(found), zone)
    value: datetime | date = parsed if (parsed.hour, parsed.minute) != (0, 0) else parsed.date()
    if extensive:
        return DateEstimate(value=value, confidence=0.6, method="htmldate-extensive", evidence=f"htmldate extensive search of the page text{local}")
    return DateEstimate(value=value, confidence=0.9, method="html-metadata", evidence=f"htmldate: page metadata or URL{local}")


def resolve_published(
    *,
    header_lines: tuple[str, ...] = (),
    footer_lines: tuple[str, ...] = (),
    body_text: str = "",
    given: str | None = None,
    given_source: str = "given",
    html: str | None = None,
    url: str | None = None,
    reference: date | None = None,
    month_first: bool = True,
    country: str | None = None,
) -> DateEstimate:
    reference = reference or date.today()
    estimate = _resolve(header_lines, footer_lines, body_text, given, given_source, html, url, reference, month_first,
                        newsroom_zone(country))
    if estimate.value is not None and not plausible(estimate.value, reference):
        return DateEstimate.unknown(f"{estimate.evidence}: {estimate.iso} is no plausible publication date")
    return estimate


def _resolve(header_lines: tuple[str, ...], footer_lines: tuple[str, ...], body_text: str, given: str | None,
             given_source: str, html: str | None, url: str | None, reference: date, month_first: bool,
             zone: ZoneInfo | None) -> DateEstimate:
    if given and (estimate := _from_given(given, given_source, reference)):
        return estimate
    if html and (estimate := _from_htmldate(html, url, extensive=False, zone=zone)):
        return estimate
    stamps: list[tuple[DatelineMatch, str]] = []
    for where, lines in (("header", header_lines), ("footer", footer_lines)):
        for line in lines:
            if found := find_dateline(line, month_first=month_first):
                stamps.append((found, where))
    for found, where in stamps:
        if found.kind == "dateline":
            return DateEstimate(value=found.value, confidence=0.85 if where == "header" else 0.75, method=f"{where}-dateline",
                                evidence=f"{where} line '{found.text[:120]}'")
    for found, _where in stamps:
        if found.kind == "update-stamp":
            return DateEstimate(value=found.value, confidence=0.6, method="update-stamp",
                                evidence=f"update stamp '{found.text[:120]}' (published on or before this)")
    context = "\n".join((*header_lines, body_text, *footer_lines))
    for found, _where in stamps:
        if found.kind == "weekday-without-year":
            day, why = resolve_weekday_without_year(found.text, reference, context)
            if day:
                return DateEstimate(value=day, confidence=0.7, method="weekday-without-year", evidence=why)
            if html is None:
                return DateEstimate.unknown(why)
    if html and (estimate := _from_htmldate(html, url, extensive=True, zone=zone)):
        return estimate
    return DateEstimate.unknown()
