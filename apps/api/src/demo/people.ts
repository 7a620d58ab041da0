// The demo tenant and its sales organisation: 1 admin, 4 supervisors, reps in 4 teams.
import { GIVEN_NAMES, SURNAMES } from './data/names';
import type { Rng } from './prng';
import type { DemoDataset, GenContext } from './types';

export const DEMO_SLUG = 'demo';
export const DEMO_NAME = '示例销售团队';
export const TEAM_COUNT = 4;

export function personName(rng: Rng): string {
  return rng.weighted(SURNAMES) + rng.pick(GIVEN_NAMES);
}

function mobile(rng: Rng): string {
  return `+86${rng.pick(['138', '139', '186', '135', '158'])}${rng.digits(8)}`;
}

export function generateTenant(
  ctx: GenContext,
  opts: { slug: string; name: string; createdAt: number },
): DemoDataset['tenants'] {
  return [
    {
      tenantId: ctx.tenantId,
      slug: opts.slug,
      name: opts.name,
      timeZone: 'Asia/Shanghai',
      settings: {},
      isDemo: true,
      createdAt: new Date(opts.createdAt),
    },
  ];
}

export type Team = { supervisorId: string; repIds: string[] };

/** Users in insert order (admin, supervisors, then reps, so supervisor_id always points back). */
export function generateUsers(
  ctx: GenContext,
  repCount: number,
  createdAt: number,
): { users: DemoDataset['users']; teams: Team[] } {
  const { rng, tenantId } = ctx;
  const used = new Set<string>();
  const uniqueName = () => {
    for (;;) {
      const n = personName(rng);
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
  };
  const at = new Date(createdAt);
  const users: DemoDataset['users'] = [];
  const add = (role: 'admin' | 'supervisor' | 'rep', handle: string, supervisorId: string | null) => {
    const id = rng.uuid();
    users.push({
      tenantId,
      id,
      name: uniqueName(),
      role,
      supervisorId,
      wecomUserId: handle,
      dingtalkUserId: handle,
      phone: mobile(rng),
      active: true,
      createdAt: at,
    });
    return id;
  };
  add('admin', 'admin', null);
  const teams: Team[] = [];
  for (let t = 0; t < TEAM_COUNT; t++) teams.push({ supervisorId: add('supervisor', `sup${t + 1}`, null), repIds: [] });
  for (let r = 0; r < repCount; r++) {
    const team = teams[r % TEAM_COUNT]!;
    team.repIds.push(add('rep', `rep${String(r + 1).padStart(2, '0')}`, team.supervisorId));
  }
  return { users, teams };
}
