import { type DbOrTx, schema } from '@crm/db';

/**
 * Writes a card's deliveries in the caller's transaction (transactional outbox):
 * one row per channel the recipient has. The in-app inbox always; WeCom/DingTalk
 * are added by the delivery issue when the recipient and the tenant have them.
 */
export async function enqueueDeliveries(
  tx: DbOrTx,
  card: { tenantId: string; taskId: string; recipientId: string; now: Date },
): Promise<void> {
  await tx
    .insert(schema.deliveries)
    .values({
      tenantId: card.tenantId,
      taskId: card.taskId,
      recipientId: card.recipientId,
      channel: 'inapp',
      state: 'sent',
      sentAt: card.now,
      nextAttemptAt: card.now,
    })
    .onConflictDoNothing();
}
