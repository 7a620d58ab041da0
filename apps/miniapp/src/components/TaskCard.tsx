// One to-do card: a supervisor's overdue follow-up, a rep's Friday wake-up pack, or another kind.

import type { TaskView } from '@crm/contract';
import { Text, View } from '@tarojs/components';
import { formatDateTime, formatMoney } from '../lib/format';
import { Button } from '../ui/nut';

export type TaskAction = 'ack' | 'done' | 'takeover' | 'visit';
type Props = {
  task: TaskView;
  busy?: boolean;
  onAction(task: TaskView, action: TaskAction): void;
  onCopy(text: string): void;
};

const STATUS_LABEL: Record<string, string> = { open: '待处理', acked: '已知悉', done: '已完成', resolved: '已跟进' };

function Scores({ task }: { task: TaskView }) {
  const orders = task.recentOrders ?? [];
  if (orders.length === 0) return <Text className="muted">{task.ordersSummary ?? '暂无订单'}</Text>;
  return (
    <View className="wrap">
      {orders.slice(0, 3).map((o) => (
        <Text
          key={o.orderedAt}
          className={`badge ${o.fulfilmentScore !== null && o.fulfilmentScore < 60 ? 'badge--danger' : 'badge--ok'}`}
        >
          履约 {o.fulfilmentScore ?? '—'} · {formatMoney(o.amountCents)}
        </Text>
      ))}
    </View>
  );
}

/** The primary 'close this card' button every kind of card ends with. */
function DoneButton({ label, task, busy, onAction }: { label: string } & Pick<Props, 'task' | 'busy' | 'onAction'>) {
  return (
    <Button type="primary" size="large" disabled={busy} onClick={() => onAction(task, 'done')} data-testid="task-done">
      {label}
    </Button>
  );
}

export function TaskCard({ task, busy, onAction, onCopy }: Props) {
  const closed = task.status === 'done' || task.status === 'resolved';
  const head = (
    <View className="row">
      <Text className="strong">{task.customer ? task.customer.name : task.title}</Text>
      <Text
        className={`badge ${closed ? 'badge--ok' : task.status === 'acked' ? '' : 'badge--danger'}`}
        data-testid="task-status"
      >
        {STATUS_LABEL[task.status] ?? task.status}
      </Text>
    </View>
  );

  if (task.kind === 'overdue_followup') {
    return (
      <View className="section" data-testid="task-card" data-kind={task.kind} data-status={task.status}>
        {head}
        <Text className="muted">
          {task.customer?.org ?? ''} · 销售 {task.rep?.name ?? '—'}
        </Text>
        <View className="stack" style={{ marginTop: '8px' }}>
          {task.coreNeed ? <Text>承诺：{task.coreNeed}</Text> : null}
          {task.dueAt ? <Text>约定 {formatDateTime(task.dueAt)} 联系</Text> : null}
          {task.overdueHours !== undefined ? (
            <Text className="danger strong" data-testid="overdue-hours">
              已超时 {task.overdueHours} 小时
            </Text>
          ) : null}
          <Scores task={task} />
        </View>
        {!closed ? (
          <View className="task-actions">
            {task.status === 'open' ? (
              <Button size="large" disabled={busy} onClick={() => onAction(task, 'ack')} data-testid="task-ack">
                知道了
              </Button>
            ) : null}
            <Button size="large" disabled={busy} onClick={() => onAction(task, 'takeover')} data-testid="task-takeover">
              我来跟进
            </Button>
            <DoneButton label="已处理" task={task} busy={busy} onAction={onAction} />
          </View>
        ) : null}
      </View>
    );
  }

  if (task.kind === 'dormant_wakeup' && task.pack) {
    const pack = task.pack;
    return (
      <View className="section" data-testid="task-card" data-kind={task.kind} data-status={task.status}>
        {head}
        <Text className="muted">{task.customer?.org ?? ''} · 90 天未联系</Text>
        <View className="stack" style={{ marginTop: '8px' }}>
          <Text className="field__label">话术</Text>
          <View className="talk-track">
            <Text>{pack.talkTrack}</Text>
          </View>
          <Button size="large" block onClick={() => onCopy(pack.talkTrack)} data-testid="copy-talk-track">
            复制话术
          </Button>
          <Text className="field__label">时令建议</Text>
          <Text>{pack.seasonalTip}</Text>
          <Text className="field__label">竞品动态</Text>
          <Text>{pack.competitorSummary}</Text>
          {pack.competitorNews.slice(0, 3).map((n) => (
            <Text key={n.title} className="muted">
              · {n.competitor}：{n.title}
            </Text>
          ))}
        </View>
        {!closed ? (
          <View className="task-actions">
            {task.customer ? (
              <Button size="large" disabled={busy} onClick={() => onAction(task, 'visit')}>
                去联系
              </Button>
            ) : null}
            <DoneButton label="已完成" task={task} busy={busy} onAction={onAction} />
          </View>
        ) : null}
      </View>
    );
  }

  return (
    <View className="section" data-testid="task-card" data-kind={task.kind} data-status={task.status}>
      {head}
      <Text>{task.text}</Text>
      {!closed ? (
        <View className="task-actions">
          <DoneButton label="已处理" task={task} busy={busy} onAction={onAction} />
        </View>
      ) : null}
    </View>
  );
}
