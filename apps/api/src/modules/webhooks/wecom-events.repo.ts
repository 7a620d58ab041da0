// Applying a WeCom card-button event: the dedupe ledger and the task change in one transaction.
import { type Db, schema } from '@crm/db';
import { and, eq, gt } from 'drizzle-orm';
import { createTasksRepo } from '../tasks/tasks.repo';

export type CardAction = 'ack' | 'take_over' | 'done';

export async function applyCardEvent(
  db: Db,
  e: {
    tenantId: string;
    userId: string;
    taskId: string;
    action: CardAction;
    eventKey: string;
    now: Date;
    payload: unknown;
  },
): Promise<'applied' | 'duplicate'> {
  return db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(schema.webhookEvents)
      .values({ tenantId: e.tenantId, source: 'wecom', eventKey: e.eventKey, receivedAt: e.now, payload: e.payload })
      .onConflictDoNothing()
      .returning({ k: schema.webhookEvents.eventKey });
    if (!fresh) return 'duplicate';
    const tasks = createTasksRepo(tx);
    const actor = { tenantId: e.tenantId, id: e.userId };
    if (e.action === 'done') await tasks.transition(actor, e.taskId, 'done', ['open', 'acked'], e.now);
    else await tasks.transition(actor, e.taskId, 'acked', ['open'], e.now);
    if (e.action !== 'done')
      await tx
        .update(schema.tasks)
        .set({ resolution: e.action === 'take_over' ? '主管已接手跟进 (taken over)' : '已提醒销售 (rep reminded)' })
        .where(
          and(
            eq(schema.tasks.tenantId, e.tenantId),
            eq(schema.tasks.id, e.taskId),
            eq(schema.tasks.recipientId, e.userId),
            eq(schema.tasks.status, 'acked'),
          ),
        );
    return 'applied';
  });
}

/** The card's WeCom delivery, if it was sent within the last `windowMs` (update_template_card's 72 h). */
export async function recentWecomDelivery(db: Db, tenantId: string, taskId: string, since: Date) {
  const d = schema.deliveries;
  const [row] = await db
    .select({ id: d.id })
    .from(d)
    .where(and(eq(d.tenantId, tenantId), eq(d.taskId, taskId), eq(d.channel, 'wecom'), gt(d.sentAt, since)))
    .limit(1);
  return row;
}

export async function taskOf(db: Db, tenantId: string, taskId: string) {
  const [row] = await db
    .select({ id: schema.tasks.id, recipientId: schema.tasks.recipientId })
    .from(schema.tasks)
    .where(and(eq(schema.tasks.tenantId, tenantId), eq(schema.tasks.id, taskId)))
    .limit(1);
  return row;
}
