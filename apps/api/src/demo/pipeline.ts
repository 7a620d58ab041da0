// Opportunities with objective signals (levels 1–3), contracts with success criteria,
// and a few e-mails that produced signal candidates awaiting a human.
import { DEFAULT_CONFIDENCE, LEVEL_KINDS } from '@crm/domain';
import { EMAIL_TEMPLATES, OPPORTUNITY_TITLES, SUCCESS_CRITERIA } from './data/activity-texts';
import { clamp, DAY, HOUR } from './prng';
import type { CustomerPlan, DemoDataset, GenContext } from './types';

type Stage = NonNullable<DemoDataset['opportunities'][number]['stage']>;

// The same kinds and default confidences the forecast and attribution rules use.
export const SIGNAL_LEVELS = ([1, 2, 3] as const).map((level) => ({
  level,
  kind: LEVEL_KINDS[level],
  confidence: DEFAULT_CONFIDENCE[level],
}));

/** Chance that an opportunity at this stage carries each level's signal. */
const SIGNAL_ODDS: Record<Stage, readonly [number, number, number]> = {
  lead: [0.2, 0, 0],
  qualified: [0.6, 0.1, 0],
  proposal: [0.8, 0.6, 0.05],
  negotiation: [0.9, 0.8, 0.5],
  won: [0.9, 0.85, 0.75],
  lost: [0.6, 0.4, 0.15],
};

export function generatePipeline(
  ctx: GenContext,
  plans: CustomerPlan[],
  supervisorOf: Map<string, string>,
  count: number,
): Pick<DemoDataset, 'opportunities' | 'contracts' | 'signals' | 'emails'> {
  const { rng, tenantId, now } = ctx;
  const opportunities: DemoDataset['opportunities'] = [];
  const contracts: DemoDataset['contracts'] = [];
  const signals: DemoDataset['signals'] = [];
  const emails: DemoDataset['emails'] = [];
  const live = plans.filter((p) => p.kind !== 'dormant');
  const year = new Date(now).getUTCFullYear();

  for (const plan of rng.sample(live, count)) {
    const stage = rng.weighted<Stage>([
      ['lead', 15],
      ['qualified', 20],
      ['proposal', 20],
      ['negotiation', 15],
      ['won', 18],
      ['lost', 12],
    ]);
    const created = clamp(now - rng.between(5, 200) * DAY, plan.from, now - 2 * DAY);
    const closed = stage === 'won' || stage === 'lost';
    const closedAt = closed ? Math.min(now - HOUR, created + rng.between(10, 120) * DAY) : null;
    const id = rng.uuid();
    const withCriteria = ['proposal', 'negotiation', 'won'].includes(stage) && rng.chance(0.35);
    const criteria = withCriteria ? rng.pick(SUCCESS_CRITERIA) : null;
    const criteriaAt = criteria ? Math.min(now - HOUR, created + rng.between(3, 30) * DAY) : null;
    opportunities.push({
      tenantId,
      id,
      customerId: plan.id,
      ownerId: plan.ownerId,
      title: rng.pick(OPPORTUNITY_TITLES).replace('{y}', String(year)).replace('{c}', rng.pick(plan.categories)),
      amountCents: rng.int(20, 800) * 100_000,
      stage,
      expectedCloseAt: new Date(closedAt ?? now + rng.between(5, 90) * DAY),
      successCriteria: criteria,
      successCriteriaConfirmedAt: criteriaAt === null ? null : new Date(criteriaAt),
      orderExternalId: null,
      closedAt: closedAt === null ? null : new Date(closedAt),
      createdAt: new Date(created),
      updatedAt: new Date(closedAt ?? created),
    });
    if (stage === 'won')
      contracts.push({
        tenantId,
        id: rng.uuid(),
        opportunityId: id,
        externalId: `HT${year}-${String(contracts.length + 1).padStart(4, '0')}`,
        successCriteria: criteria,
        confirmedByCustomerAt: criteriaAt === null ? null : new Date(criteriaAt),
        signedAt: new Date(closedAt ?? now),
      });

    // Signals in level order between creation and closing (or now).
    const end = closedAt ?? now - HOUR;
    let last = created;
    SIGNAL_ODDS[stage].forEach((odds, i) => {
      if (!rng.chance(odds)) return;
      const sig = SIGNAL_LEVELS[i]!;
      let observed = rng.between(last, end);
      // "Budget passed" usually means the deal closes within 30 days (the attribution report checks it).
      if (sig.level === 3 && stage === 'won')
        observed = closedAt! - (rng.chance(0.8) ? rng.between(2, 28) : rng.between(31, 60)) * DAY;
      observed = clamp(observed, created, end);
      last = observed;
      const scan = rng.chance(0.4);
      const confirmedAt = Math.min(now - 1, observed + rng.between(0.5, 20) * HOUR);
      signals.push({
        tenantId,
        id: rng.uuid(),
        opportunityId: id,
        customerId: plan.id,
        level: sig.level,
        kind: sig.kind,
        confidence: sig.confidence,
        status: 'confirmed',
        source: scan ? 'morning_scan' : 'manual',
        evidence: null,
        sourceRef: null,
        createdById: plan.ownerId,
        // A rep's own signal is confirmed by the rep; a morning-scan one is placed by the supervisor.
        confirmedById: scan ? (supervisorOf.get(plan.ownerId) ?? plan.ownerId) : plan.ownerId,
        confirmedAt: new Date(confirmedAt),
        observedAt: new Date(observed),
        placedAt: scan ? new Date(confirmedAt) : null,
        createdAt: new Date(confirmedAt),
      });
    });
  }

  // E-mails with 招标编号 / 付款条件 / 比价 that created candidates nobody has confirmed yet.
  const openDeals = opportunities.filter((o) => !o.closedAt);
  const mailCount = Math.min(openDeals.length, Math.max(3, Math.round(count / 60)));
  rng.sample(openDeals, mailCount).forEach((opp, i) => {
    const plan = plans.find((p) => p.id === opp.customerId)!;
    const t = rng.pick(EMAIL_TEMPLATES);
    const sentAt = now - rng.between(2, 10 * 24) * HOUR;
    const messageId = `<demo-${String(i + 1).padStart(4, '0')}@mail.example.com>`;
    const category = rng.pick(plan.categories);
    emails.push({
      tenantId,
      id: rng.uuid(),
      messageId,
      fromAddress: plan.email ?? `purchase${i + 1}@example.cn`,
      toAddresses: ['sales@demo.example.com'],
      subject: t.subject.replace('{c}', category),
      body: t.body.replace('{n}', rng.digits(8)),
      sentAt: new Date(sentAt),
      customerId: plan.id,
      createdAt: new Date(sentAt),
    });
    const sig = SIGNAL_LEVELS[t.level - 1]!;
    signals.push({
      tenantId,
      id: rng.uuid(),
      opportunityId: opp.id,
      customerId: plan.id,
      level: sig.level,
      kind: sig.kind,
      confidence: sig.confidence,
      status: 'candidate',
      source: 'email',
      evidence: t.subject.replace('{c}', category),
      sourceRef: messageId,
      createdById: null,
      confirmedById: null,
      confirmedAt: null,
      observedAt: new Date(sentAt),
      placedAt: null,
      createdAt: new Date(sentAt),
    });
  });
  return { opportunities, contracts, signals, emails };
}
