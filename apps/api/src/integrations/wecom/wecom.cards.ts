// WeCom template_card bodies (Chinese), inside the platform's limits, cut at character boundaries.
import { zhMonthDayTime } from '@crm/domain';
import type { CardView } from '../platform';
import { truncateBytes, truncateChars } from '../text';

/** Button keys come back as EventKey in the callback; the webhook maps them to task actions. */
export const WECOM_BUTTONS = {
  ack: { text: '已提醒销售', done: '已提醒销售', style: 1 },
  take_over: { text: '我来跟进', done: '已由我跟进', style: 2 },
  done: { text: '已处理', done: '已处理', style: 3 },
} as const;
export type WecomButtonKey = keyof typeof WECOM_BUTTONS;

// Limits from the template_card documentation (path/101032) and SDK comments.
const L = { title: 26, desc: 30, subTitle: 112, keyname: 5, value: 26, taskIdBytes: 128, urlBytes: 2048, source: 13 };

const scores = (s: (number | null)[]) =>
  s.length === 0 ? '暂无订单' : s.map((x) => (x === null ? '—' : String(x))).join(' / ');

/** "11月27日 14:33" on the tenant's wall clock (the domain caches one Intl formatter per zone). */
const local = (d: Date, zone: string | null | undefined) => zhMonthDayTime(d, zone || 'Asia/Shanghai');

const item = (keyname: string, value: string) => ({
  keyname: truncateChars(keyname, L.keyname),
  value: truncateChars(value || '—', L.value),
});

/** The WeCom task_id: unique per app forever, [0-9A-Za-z_-@], ≤128 bytes. */
export function wecomTaskId(taskId: string): string {
  return truncateBytes(`crm-${taskId}`.replace(/[^0-9A-Za-z_\-@]/g, '_'), L.taskIdBytes);
}

/** Reads our task id back out of a WeCom TaskId (undefined if it is not one of ours). */
export function taskIdFromWecom(wecomTaskId: string): string | undefined {
  const m = /^crm-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(wecomTaskId);
  return m?.[1]?.toLowerCase();
}

export function renderWecomCard(card: CardView, taskId: string): Record<string, unknown> {
  const customer = card.customer.org ? `${card.customer.name}（${card.customer.org}）` : card.customer.name;
  const action = { type: 1, url: truncateBytes(card.link, L.urlBytes) };
  const source = { desc: truncateChars('信号CRM', L.source) };
  if (card.kind === 'overdue_followup') {
    const hours = Math.max(0, Math.round(card.overdueHours ?? 0));
    return {
      card_type: 'button_interaction',
      source,
      main_title: {
        title: truncateChars(`跟进承诺已逾期 ${hours} 小时`, L.title),
        desc: truncateChars(customer, L.desc),
      },
      sub_title_text: truncateChars(`承诺：${card.promise ?? '—'}`, L.subTitle),
      horizontal_content_list: [
        item('客户', customer),
        item('销售', card.rep?.name ?? '—'),
        item('应跟进', card.dueAt ? local(card.dueAt, card.timeZone) : '—'),
        item('逾期', `${hours} 小时`),
        item('履约评分', scores(card.fulfilmentScores)),
      ],
      card_action: action,
      task_id: taskId,
      button_list: (Object.keys(WECOM_BUTTONS) as WecomButtonKey[]).map((key) => ({
        type: 0,
        text: WECOM_BUTTONS[key].text,
        style: WECOM_BUTTONS[key].style,
        key,
      })),
    };
  }
  if (card.kind !== 'dormant_wakeup') {
    // coupon, order_review, process_diagnosis …: the card's own title and text.
    return {
      card_type: 'text_notice',
      source,
      main_title: {
        title: truncateChars(card.title || '新的待办卡片', L.title),
        desc: truncateChars(card.customer.name === '客户' ? '' : customer, L.desc),
      },
      sub_title_text: truncateChars(card.text || '打开卡片查看详情。', L.subTitle),
      jump_list: [{ type: 1, title: '查看详情', url: action.url }],
      card_action: action,
      task_id: taskId,
    };
  }
  // dormant_wakeup: a notice that opens the wake-up pack in the mini-app.
  return {
    card_type: 'text_notice',
    source,
    main_title: {
      title: truncateChars(`唤醒沉睡客户：${card.customer.name}`, L.title),
      desc: truncateChars(customer, L.desc),
    },
    sub_title_text: truncateChars(
      card.talkTrack ? `话术：${card.talkTrack}` : '打开唤醒话术包，今天联系一下吧。',
      L.subTitle,
    ),
    horizontal_content_list: [item('客户', customer), item('履约评分', scores(card.fulfilmentScores))],
    jump_list: [{ type: 1, title: '打开唤醒话术包', url: action.url }],
    card_action: action,
    task_id: taskId,
  };
}
