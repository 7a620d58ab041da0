// The user's cards: list, acknowledge, mark done. Another user's card is a 404, like another tenant's.
import type { TaskView } from '@crm/contract';
import type { AppDeps } from '../../deps';
import type { Actor } from '../../shared/access';
import { notFound } from '../../shared/errors';
import { createTasksRepo, type TaskFilter } from './tasks.repo';
import { toTaskView } from './tasks.view';

export function createTasksService(deps: Pick<AppDeps, 'db' | 'clock'>) {
  const repo = createTasksRepo(deps.db);

  async function act(actor: Actor, taskId: string, to: 'acked' | 'done'): Promise<TaskView> {
    const now = deps.clock.now();
    const existing = await repo.get(actor, taskId);
    if (!existing) throw notFound('Task');
    // Idempotent: a card already past this step (or closed by the system) is returned as it is.
    await repo.transition(actor, taskId, to, to === 'acked' ? ['open'] : ['open', 'acked'], now);
    const row = await repo.get(actor, taskId);
    if (!row) throw notFound('Task');
    return toTaskView(row, now);
  }

  return {
    async list(actor: Actor, q: { status?: TaskFilter; limit?: number; before?: string }): Promise<TaskView[]> {
      const now = deps.clock.now();
      const rows = await repo.list(actor, {
        status: q.status ?? 'open',
        limit: q.limit ?? 50,
        ...(q.before ? { before: new Date(q.before) } : {}),
      });
      return rows.map((r) => toTaskView(r, now));
    },
    ack: (actor: Actor, taskId: string) => act(actor, taskId, 'acked'),
    done: (actor: Actor, taskId: string) => act(actor, taskId, 'done'),
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
