// Row → the contract's TaskView. Pure: `now` is passed in.
import type { TaskView } from '@crm/contract';
import { hoursOverdue } from '@crm/domain';
import type { TaskRow } from './tasks.repo';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);

/** For cards stored without a title (made before their producer wrote one). */
const KIND_TITLES: Record<string, string> = {
  overdue_followup: '超时未跟进',
  dormant_wakeup: '唤醒沉睡客户',
  coupon: '优惠券推送建议',
  order_review: '异常订单待复核',
  process_diagnosis: '销售流程需要诊断',
};

export function toTaskView(r: TaskRow, now: Date): TaskView {
  const p = r.payload ?? {};
  const view: TaskView = {
    id: r.id,
    kind: r.kind,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    title: str(p.title) || (KIND_TITLES[r.kind] ?? r.kind),
    text: str(p.text),
    customer: r.customerId ? { id: r.customerId, name: r.customerName ?? '', org: r.customerOrg ?? null } : null,
    rep: r.repId ? { id: r.repId, name: r.repName ?? '' } : null,
    dueAt: iso(r.dueAt),
    resolution: r.resolution,
    ackedAt: iso(r.ackedAt),
    doneAt: iso(r.doneAt),
  };
  if (r.kind === 'overdue_followup') {
    const promised = typeof p.promisedAt === 'string' ? new Date(p.promisedAt) : r.dueAt;
    // Live while the card is open; frozen at the moment it was closed.
    const closedAt = r.status === 'open' || r.status === 'acked' ? now : (r.doneAt ?? r.updatedAt);
    if (promised) view.overdueHours = hoursOverdue(promised, closedAt);
    view.coreNeed = str(p.coreNeed);
    view.recentOrders = Array.isArray(p.recentOrders) ? (p.recentOrders as TaskView['recentOrders']) : [];
    view.ordersSummary = str(p.ordersSummary);
  } else if (r.kind === 'dormant_wakeup') {
    if (p.pack && typeof p.pack === 'object') view.pack = p.pack as TaskView['pack'];
  } else {
    view.details = p;
  }
  return view;
}
