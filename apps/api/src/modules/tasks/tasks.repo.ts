// Reading and acting on a user's cards. Every query is scoped to tenant + recipient.
import { type DbOrTx, schema } from '@crm/db';
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';

export type TaskFilter = 'open' | 'done' | 'all';

const STATUSES: Record<TaskFilter, (typeof schema.taskStatus.enumValues)[number][] | null> = {
  open: ['open', 'acked'],
  done: ['done', 'resolved'],
  all: null,
};

const t = schema.tasks;
const c = schema.customers;
const u = schema.users;

const columns = {
  id: t.id,
  kind: t.kind,
  status: t.status,
  createdAt: t.createdAt,
  dueAt: t.dueAt,
  payload: t.payload,
  resolution: t.resolution,
  ackedAt: t.ackedAt,
  doneAt: t.doneAt,
  updatedAt: t.updatedAt,
  customerId: c.id,
  customerName: c.name,
  customerOrg: c.org,
  repId: u.id,
  repName: u.name,
};

export type TaskRow = Awaited<ReturnType<ReturnType<typeof createTasksRepo>['list']>>[number];

export function createTasksRepo(db: DbOrTx) {
  const base = () =>
    db
      .select(columns)
      .from(t)
      .leftJoin(c, and(eq(c.tenantId, t.tenantId), eq(c.id, t.customerId)))
      .leftJoin(u, and(eq(u.tenantId, t.tenantId), eq(u.id, t.repId)));

  return {
    list(actor: { tenantId: string; id: string }, q: { status: TaskFilter; limit: number; before?: Date }) {
      const conds: SQL[] = [eq(t.tenantId, actor.tenantId), eq(t.recipientId, actor.id)];
      const statuses = STATUSES[q.status];
      if (statuses) conds.push(inArray(t.status, statuses));
      if (q.before) conds.push(lt(t.createdAt, q.before));
      return base()
        .where(and(...conds))
        .orderBy(desc(t.createdAt), desc(t.id))
        .limit(q.limit);
    },

    async get(actor: { tenantId: string; id: string }, taskId: string) {
      const [row] = await base()
        .where(and(eq(t.tenantId, actor.tenantId), eq(t.id, taskId), eq(t.recipientId, actor.id)))
        .limit(1);
      return row;
    },

    /** Moves a card forward; only from the given statuses (so a closed card stays closed). */
    async transition(
      actor: { tenantId: string; id: string },
      taskId: string,
      to: 'acked' | 'done',
      from: (typeof schema.taskStatus.enumValues)[number][],
      now: Date,
    ) {
      await db
        .update(t)
        .set(
          to === 'acked'
            ? { status: 'acked', ackedAt: now, actedById: actor.id, updatedAt: now }
            : { status: 'done', doneAt: now, actedById: actor.id, updatedAt: now },
        )
        .where(
          and(eq(t.tenantId, actor.tenantId), eq(t.id, taskId), eq(t.recipientId, actor.id), inArray(t.status, from)),
        );
    },
  };
}
