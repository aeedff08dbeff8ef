"""Reads an iCalendar feed on stdin with python3-icalendar (an independent parser) and prints,
as JSON, the first N occurrences of each recurring event in UTC: the RRULE expanded with
python3-dateutil from DTSTART in its VTIMEZONE, less EXDATEs, with RECURRENCE-ID overrides."""
import json
import sys
from datetime import timezone

from dateutil.rrule import rrulestr
from icalendar import Calendar

count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
cal = Calendar.from_ical(sys.stdin.read())
events = [c for c in cal.walk() if c.name == 'VEVENT']
out = {}
for ev in events:
    if ev.get('RECURRENCE-ID') is not None or ev.get('RRULE') is None:
        continue
    uid = str(ev['UID'])
    start = ev.decoded('DTSTART')
    zone = start.tzinfo
    # expand on wall-clock time, then place each occurrence in the zone: the meeting stays at
    # 09:00 local time whatever the offset of that day (pytz zones need localize for this)
    rule = rrulestr(ev['RRULE'].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    excluded = set()
    exdates = ev.get('EXDATE')
    for group in (exdates if isinstance(exdates, list) else [exdates] if exdates else []):
        for d in group.dts:
            excluded.add(d.dt.astimezone(timezone.utc))
    moved = {}
    for o in events:
        if str(o.get('UID')) == uid and o.get('RECURRENCE-ID') is not None:
            moved[o.decoded('RECURRENCE-ID').astimezone(timezone.utc)] = \
                o.decoded('DTSTART').astimezone(timezone.utc)
    items = []
    for wall in rule:
        occ = zone.localize(wall) if hasattr(zone, 'localize') else wall.replace(tzinfo=zone)
        utc = occ.astimezone(timezone.utc)
        if utc in excluded:
            continue
        items.append(moved.get(utc, utc).strftime('%Y-%m-%dT%H:%M:%SZ'))
        if len(items) == count:
            break
    out[uid] = {'summary': str(ev.get('SUMMARY')), 'tzid': ev['DTSTART'].params.get('TZID'),
                'duration_minutes': int(ev.decoded('DURATION').total_seconds() // 60),
                'occurrences': items}
print(json.dumps(out))
