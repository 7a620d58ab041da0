// Reading report periods in the tenant's time zone.
import { startOfZonedDay, zonedMidnight } from '@crm/domain';
import { invalid } from '../../shared/errors';

const DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(field: 'from' | 'to', value: string, tz: string): Date {
  const m = DATE_RE.exec(value);
  if (m) {
    const at = zonedMidnight(Number(m[1]), Number(m[2]), Number(m[3]), tz);
    // A plain date `to` includes that whole day.
    return field === 'to' ? zonedMidnight(Number(m[1]), Number(m[2]), Number(m[3]) + 1, tz) : at;
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime()))
    throw invalid(field, `${field} "${value}" is not a date (YYYY-MM-DD) or an ISO-8601 instant`);
  return at;
}

/** [from, to): `to` defaults to the end of today, `from` to 30 days before it; at most 366 days. */
export function reportWindow(q: { from?: string | undefined; to?: string | undefined }, now: Date, tz: string) {
  const to = q.to ? parse('to', q.to, tz) : new Date(startOfZonedDay(now, tz).getTime() + DAY);
  const from = q.from ? parse('from', q.from, tz) : new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw invalid('from', `from (${q.from ?? from.toISOString()}) must be before to`);
  if (to.getTime() - from.getTime() > 366 * DAY) throw invalid('from', 'the period is at most 366 days');
  return { from, to };
}
