// Customers with realistic phones and e-mails, their identity index, and the plan
// (kind and activity window) that shapes each one's timeline.

import type { CustomerPhone } from '@crm/db';
import { pinyinOf, searchKey } from '@crm/domain';
import { CATALOGUE } from './data/catalogue';
import {
  CITIES,
  type City,
  COMPANY_WORDS,
  DEPARTMENTS,
  EMAIL_DOMAINS,
  INDUSTRIES,
  PREFERENCE_TAGS,
  ROADS,
  TITLES,
} from './data/companies';
import { personName } from './people';
import { DAY, HOUR, type Rng } from './prng';
import type { CustomerKind, CustomerPlan, DemoDataset, GenContext } from './types';

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '198',
  '199',
];

type Phone = CustomerPhone & { identity: string };

/** Draws until the identity value is unused: identities are unique per tenant. */
function unique(used: Set<string>, draw: () => { value: string } & Record<string, unknown>) {
  for (;;) {
    const d = draw();
    if (!used.has(d.value)) {
      used.add(d.value);
      return d;
    }
  }
}

function mobilePhone(rng: Rng, used: Set<string>): Phone {
  const d = unique(used, () => {
    const n = rng.pick(MOBILE_PREFIXES) + rng.digits(8);
    return { value: `+86${n}`, n };
  });
  const n = d.n as string;
  const raw = rng.weighted([
    [`${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`, 3],
    [n, 3],
    [`+86 ${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`, 1],
  ] as const);
  return { e164: d.value, type: 'cell', raw, identity: d.value };
}

function landline(rng: Rng, used: Set<string>, city: City): Phone {
  const ext = rng.chance(0.4) ? String(rng.int(100, 899)) : null;
  const d = unique(used, () => {
    // Local numbers never start with 0 or 1.
    const local = String(rng.int(2, 8)) + rng.digits(7);
    const e164 = `+86${city.area}${local}`;
    return { value: ext ? `${e164};ext=${ext}` : e164, e164, local };
  });
  const local = d.local as string;
  const pretty = `${local.slice(0, 4)} ${local.slice(4)}`;
  const raw = rng.chance(0.5) ? `0${city.area}-${pretty}` : `(0${city.area}) ${pretty}`;
  return {
    e164: d.e164 as string,
    ...(ext ? { ext } : {}),
    type: 'work',
    raw: ext ? `${raw} 转 ${ext}` : raw,
    identity: d.value,
  };
}

function email(rng: Rng, used: Set<string>, name: string): { value: string; raw: string } {
  const base = pinyinOf(name, true) || 'contact';
  const d = unique(used, () => {
    const local = rng.chance(0.3) ? base : `${base}${rng.int(1, 999)}`;
    return { value: `${local}@${rng.pick(EMAIL_DOMAINS)}` };
  });
  // Some cards carry capitals; the identity is always lower-case.
  const raw = rng.chance(0.15) ? d.value.charAt(0).toUpperCase() + d.value.slice(1) : d.value;
  return { value: d.value, raw };
}

export type CustomerCounts = Record<CustomerKind, number>;

/** How many customers of each kind: enough overdue and dormant ones to demo the alerts. */
export function customerKinds(total: number): CustomerCounts {
  const overdue = Math.max(3, Math.round(total * 0.009));
  const dormant = Math.max(3, Math.round(total * 0.03));
  const open = Math.round(total * 0.12);
  return { overdue, dormant, open, active: Math.max(0, total - overdue - dormant - open) };
}

function window(rng: Rng, kind: CustomerKind, now: number): { until: number; createdAt: number } {
  let until: number;
  if (kind === 'dormant') until = now - rng.between(95, 400) * DAY;
  else if (kind === 'overdue') until = now - rng.between(3, 12) * DAY;
  else if (kind === 'open') until = now - rng.between(2 * HOUR, 6 * DAY);
  // Skewed to the recent past; never inside the dormancy threshold.
  else until = now - (2 + 83 * rng.next() ** 2) * DAY;
  const age = kind === 'dormant' ? rng.between(60, 700) : rng.between(30, 900);
  return { until, createdAt: until - age * DAY };
}

export function generateCustomers(
  ctx: GenContext,
  total: number,
  repIds: string[],
): { customers: DemoDataset['customers']; identities: DemoDataset['customerIdentities']; plans: CustomerPlan[] } {
  const { rng, tenantId, now } = ctx;
  const counts = customerKinds(total);
  const kinds: CustomerKind[] = rng.sample(
    [
      ...Array<CustomerKind>(counts.overdue).fill('overdue'),
      ...Array<CustomerKind>(counts.dormant).fill('dormant'),
      ...Array<CustomerKind>(counts.open).fill('open'),
      ...Array<CustomerKind>(counts.active).fill('active'),
    ],
    total,
  );
  const phonesUsed = new Set<string>();
  const emailsUsed = new Set<string>();
  const customers: DemoDataset['customers'] = [];
  const identities: DemoDataset['customerIdentities'] = [];
  const plans: CustomerPlan[] = [];

  for (let i = 0; i < total; i++) {
    const id = rng.uuid();
    const kind = kinds[i]!;
    const ownerId = repIds[i % repIds.length]!;
    const name = personName(rng);
    const city = rng.pick(CITIES);
    const ind = rng.pick(INDUSTRIES);
    const org = `${city.city}${rng.pick(COMPANY_WORDS)}${rng.pick(ind.endings)}`;
    const address = `${city.city}市${rng.pick(city.districts)}${rng.pick(ROADS)}${rng.int(1, 999)}号`;
    const { until, createdAt } = window(rng, kind, now);
    const fits = CATALOGUE.filter((c) => c.industries.includes(ind.industry)).map((c) => c.category);
    const categories = rng.sample(fits.length ? fits : CATALOGUE.map((c) => c.category), rng.int(1, 2));

    const phones: Phone[] = [];
    if (rng.chance(0.95)) phones.push(mobilePhone(rng, phonesUsed));
    if (phones.length === 0 || rng.chance(0.35)) phones.push(landline(rng, phonesUsed, city));
    const mail = rng.chance(0.6) ? email(rng, emailsUsed, name) : null;

    for (const p of phones)
      identities.push({ tenantId, id: rng.uuid(), customerId: id, kind: 'phone', value: p.identity, raw: p.raw });
    if (mail)
      identities.push({ tenantId, id: rng.uuid(), customerId: id, kind: 'email', value: mail.value, raw: mail.raw });

    customers.push({
      tenantId,
      id,
      ownerId,
      name,
      searchKey: searchKey(name, org),
      org,
      dept: [rng.pick(DEPARTMENTS)],
      title: rng.weighted(TITLES),
      industry: ind.industry,
      phones: phones.map(({ identity: _, ...p }) => p),
      emails: mail ? [mail.value] : [],
      tags: rng.sample(
        PREFERENCE_TAGS,
        rng.weighted([
          [0, 2],
          [1, 4],
          [2, 3],
          [3, 1],
        ] as const),
      ),
      address,
      wechat: rng.chance(0.3) ? `wxid_${rng.digits(10)}` : null,
      createdAt: new Date(createdAt),
      updatedAt: new Date(until),
    });
    plans.push({
      id,
      ownerId,
      name,
      kind,
      createdAt,
      from: Math.max(createdAt + HOUR, now - 730 * DAY),
      until,
      categories,
      address,
      email: mail?.value ?? null,
      lastVisitAt: until,
      nextContactAt: until,
      followUpAt: null,
      interactionsUntil: until,
    });
  }
  return { customers, identities, plans };
}
