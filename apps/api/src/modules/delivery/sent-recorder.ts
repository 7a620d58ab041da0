// Group commit for "sent" marks: sends finishing within a few milliseconds of each other are
// recorded by one UPDATE (one commit, one WAL flush) instead of one each. Every caller still
// waits for its own row to be durable before it counts the delivery as done; the crash window
// after the platform's answer grows by at most FLUSH_MS (see docs/delivery.md).
import { type DbOrTx, schema } from '@crm/db';
import { sql } from 'drizzle-orm';

export const FLUSH_MS = 5;
const MAX_GROUP = 128;

export type SentMark = {
  tenantId: string;
  id: string;
  now: Date;
  messageId?: string | undefined;
  responseCode?: string | undefined;
  note?: string | undefined;
};

export function createSentRecorder(db: DbOrTx) {
  let queue: { mark: SentMark; done: (e?: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;

  async function flush() {
    timer = undefined;
    const group = queue;
    queue = [];
    if (group.length === 0) return;
    const rows = group.map(({ mark: m }) => ({
      tenant_id: m.tenantId,
      id: m.id,
      at: m.now.toISOString(),
      mid: m.messageId ?? null,
      rc: m.responseCode ?? null,
      note: m.note ?? null,
    }));
    const d = schema.deliveries;
    try {
      await db.execute(sql`
        update ${d} set state = 'sent', sent_at = v.at::timestamptz, lease_until = null,
          provider_message_id = v.mid, response_code = v.rc, last_error = v.note, updated_at = v.at::timestamptz
        from json_to_recordset(${JSON.stringify(rows)}::json) as v(tenant_id uuid, id uuid, at text, mid text, rc text, note text)
        where ${d.tenantId} = v.tenant_id and ${d.id} = v.id and ${d.state} = 'sending'`);
      for (const g of group) g.done();
    } catch (e) {
      for (const g of group) g.done(e);
    }
  }

  return {
    record(mark: SentMark): Promise<void> {
      return new Promise((resolve, reject) => {
        queue.push({ mark, done: (e) => (e ? reject(e) : resolve()) });
        if (queue.length >= MAX_GROUP) {
          if (timer) clearTimeout(timer);
          void flush();
        } else timer ??= setTimeout(() => void flush(), FLUSH_MS);
      });
    },
  };
}
