import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useReachBottom, useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { actionLabel, formatDateTime, formatMoney, TIMELINE_KIND_LABEL } from '../../lib/format';
import { ApiError } from '../../services/api';
import { type CustomerView, getCustomer } from '../../services/endpoints';
import { rememberCustomer } from '../../services/recent';
import { requireSession } from '../../services/session';
import type { QueuedVisit } from '../../services/visit-queue';
import { visitQueue } from '../../services/visits';
import { Empty, ErrorLine, Section } from '../../ui/bits';
import { Button, Tag } from '../../ui/nut';

type Item = NonNullable<CustomerView['timeline']>[number];
type Cursor = { before: string; beforeId?: string } | null;
const PAGE = 20;
const SIGNAL_LABEL: Record<number, string> = { 1: '已提供营业执照', 2: '技术方案初审通过', 3: '预算已过会' };

function nextCursor(view: { timeline?: Item[]; timelineNext?: { before: string; beforeId: string } | null }): Cursor {
  if (view.timelineNext !== undefined) return view.timelineNext;
  const items = view.timeline ?? [];
  const last = items[items.length - 1];
  return items.length >= PAGE && last ? { before: last.at, beforeId: last.id } : null;
}

export default function CustomerPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [view, setView] = useState<CustomerView | null>(null);
  const [timeline, setTimeline] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<Cursor>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState<QueuedVisit[]>([]);
  const queuedCount = useRef(0);

  const load = async () => {
    try {
      const v = await getCustomer(id, { limit: PAGE });
      setView(v);
      setTimeline(v.timeline ?? []);
      setCursor(nextCursor(v));
      setError(null);
      Taro.setNavigationBarTitle({ title: v.name });
      rememberCustomer({ id: v.id, name: v.name, org: v.org });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setError('找不到这位客户');
      else if (e instanceof ApiError && e.status === 0) setError('网络不可用，显示的是上次加载的内容');
      else setError((e as Error).message);
    }
  };

  const refreshQueued = () => {
    const mine = visitQueue.forCustomer(id);
    // A queued visit just went out: reload so it shows as the server has it.
    if (mine.length < queuedCount.current) load();
    queuedCount.current = mine.length;
    setQueued(mine);
  };

  useDidShow(() => {
    if (!requireSession()) return;
    refreshQueued();
    load();
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: subscribe once per customer; refreshQueued only reads `id`
  useEffect(() => visitQueue.subscribe(refreshQueued), [id]);

  useReachBottom(async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await getCustomer(id, { before: cursor.before, beforeId: cursor.beforeId, limit: PAGE });
      const seen = new Set(timeline.map((t) => t.id));
      setTimeline([...timeline, ...(page.timeline ?? []).filter((t) => !seen.has(t.id))]);
      setCursor(nextCursor(page));
    } catch {
      Taro.showToast({ title: '加载失败，稍后再试', icon: 'none' });
    } finally {
      setLoadingMore(false);
    }
  });

  if (!view) {
    return <View className="page">{error ? <ErrorLine text={error} /> : <Text className="muted">加载中…</Text>}</View>;
  }

  if (view.access === 'limited') {
    return (
      <View className="page">
        <Section title="这位客户已有负责人">
          <View data-testid="customer-limited" className="stack">
            <Text className="title-xl">{view.name}</Text>
            {view.org ? <Text className="muted">{view.org}</Text> : null}
            <Text>
              该客户属于 <Text className="strong">{view.owner.name}</Text>，你无法查看其跟进记录。
            </Text>
          </View>
        </Section>
      </View>
    );
  }

  const now = Date.now();
  const promise = view.openCommitment;
  const overdue = promise ? new Date(promise.dueAt).getTime() < now : false;

  return (
    <View className="page page--fixed-bottom" data-testid="customer-page">
      <ErrorLine text={error} />
      {queued.length > 0 ? (
        <View className="section row" data-testid="customer-pending">
          <Text>
            <Text className="badge badge--pending">待同步</Text> {queued.length} 条拜访记录，联网后自动上传
          </Text>
        </View>
      ) : null}
      <Section title="客户档案">
        <Text className="title-xl" data-testid="customer-name">
          {view.name}
        </Text>
        <View>
          <Text className="muted">{[view.org, view.title].filter(Boolean).join(' · ') || '—'}</Text>
        </View>
        <View>
          <Text className="muted">负责人 {view.owner.name}</Text>
          {view.ltv ? (
            <Text className="muted">
              {' '}
              · 累计 {formatMoney(view.ltv.amountCents)}（{view.ltv.orders} 单）
            </Text>
          ) : null}
        </View>
        {(view.phones ?? []).map((p) => (
          <View key={p.raw} className="list-item" onClick={() => Taro.makePhoneCall({ phoneNumber: p.e164 ?? p.raw })}>
            <Text className="muted">电话 </Text>
            <Text>{p.raw}</Text>
          </View>
        ))}
        {view.tags && view.tags.length > 0 ? (
          <View className="wrap" style={{ marginTop: '8px' }}>
            {view.tags.map((t) => (
              <Tag key={t} type="primary" plain round>
                {t}
              </Tag>
            ))}
          </View>
        ) : null}
      </Section>

      <Section title="未兑现的承诺">
        {promise ? (
          <Text className={overdue ? 'danger strong' : ''} data-testid="open-promise">
            约定 {formatDateTime(promise.dueAt)} 联系{overdue ? '（已超时）' : ''}
          </Text>
        ) : (
          <Text className="muted">没有未兑现的承诺</Text>
        )}
      </Section>

      <Section title="最近三笔订单">
        {(view.recentOrders ?? []).length === 0 ? <Empty text="暂无订单" /> : null}
        {(view.recentOrders ?? []).slice(0, 3).map((o) => (
          <View key={o.id} className="list-item">
            <View className="row">
              <Text>{formatMoney(o.amountCents)}</Text>
              <Text className={o.fulfilmentScore !== null && o.fulfilmentScore < 60 ? 'danger' : 'ok'}>
                履约 {o.fulfilmentScore ?? '—'}
              </Text>
            </View>
            <Text className="muted">{formatDateTime(o.orderedAt)}</Text>
          </View>
        ))}
      </Section>

      {(view.opportunities ?? []).length > 0 ? (
        <Section title="商机与信号">
          {(view.opportunities ?? []).map((o) => (
            <View key={o.id} className="list-item">
              <View className="row">
                <Text className="strong">{o.title}</Text>
                <Text>{formatMoney(o.amountCents)}</Text>
              </View>
              <Text className="muted">
                {o.topSignalLevel
                  ? `信号：${SIGNAL_LABEL[o.topSignalLevel] ?? `L${o.topSignalLevel}`}`
                  : '尚无客观信号'}
              </Text>
            </View>
          ))}
        </Section>
      ) : null}

      <Section title="动态">
        <View data-testid="timeline">
          {queued.map((q) => (
            <View key={q.clientId} className="timeline-item" data-testid="timeline-queued">
              <View className="row">
                <Text className={`badge ${q.status === 'failed' ? 'badge--danger' : 'badge--pending'}`}>
                  {q.status === 'failed' ? '同步失败' : '待同步'}
                </Text>
                <Text className="muted">{formatDateTime(q.body.occurredAt)}</Text>
              </View>
              <Text>{q.body.coreNeed}</Text>
              {q.error ? <Text className="danger">{q.error}</Text> : null}
            </View>
          ))}
          {timeline.length === 0 && queued.length === 0 ? <Empty text="还没有往来记录" /> : null}
          {timeline.map((t) => (
            <View key={`${t.kind}-${t.id}`} className="timeline-item" data-testid="timeline-item" data-kind={t.kind}>
              <View className="row">
                <Text className="badge">{TIMELINE_KIND_LABEL[t.kind] ?? t.kind}</Text>
                <Text className="muted">{formatDateTime(t.at)}</Text>
              </View>
              <Text>{t.summary}</Text>
              {t.kind === 'visit' && (t.actionType || t.nextContactAt) ? (
                <Text className="muted">
                  {[actionLabel(t.actionType), t.nextContactAt ? `下次联系 ${formatDateTime(t.nextContactAt)}` : null]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              ) : null}
            </View>
          ))}
          {cursor ? <Text className="muted">{loadingMore ? '加载中…' : '上滑加载更多'}</Text> : null}
          {!cursor && timeline.length > 0 ? <Text className="muted">没有更早的记录了</Text> : null}
        </View>
      </Section>

      <View className="fixed-bottom">
        <Button
          type="primary"
          size="large"
          block
          data-testid="record-visit"
          onClick={() =>
            Taro.navigateTo({
              url: `/pages/visit/index?customerId=${view.id}&name=${encodeURIComponent(view.name)}&org=${encodeURIComponent(view.org ?? '')}`,
            })
          }
        >
          记录拜访
        </Button>
      </View>
    </View>
  );
}
