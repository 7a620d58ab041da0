// DingTalk work-notice bodies: an action_card (snake_case, as topapi wants) linking into the
// mini-app, the whole msg within 2048 bytes. The text is a pure function of the card, so a
// retry sends identical content (DingTalk delivers the same content to a user once a day) —
// and the card's short number keeps two different cards from looking identical.
import type { CardView } from '../platform';
import { byteLength, truncateBytes, truncateChars } from '../text';

export const DINGTALK_MSG_MAX_BYTES = 2048;

const scores = (s: (number | null)[]) =>
  s.length === 0 ? '暂无订单' : s.map((x) => (x === null ? '—' : String(x))).join(' / ');

export function renderDingtalkMsg(card: CardView): Record<string, unknown> {
  const customer = card.customer.org ? `${card.customer.name}（${card.customer.org}）` : card.customer.name;
  const no = card.taskId.slice(0, 8);
  const overdue = card.kind === 'overdue_followup';
  const dormant = card.kind === 'dormant_wakeup';
  const hours = Math.max(0, Math.round(card.overdueHours ?? 0));
  const title = truncateChars(
    overdue
      ? `跟进承诺已逾期 ${hours} 小时：${card.customer.name}`
      : dormant
        ? `唤醒沉睡客户：${card.customer.name}`
        : card.title || '新的待办卡片',
    40,
  );
  const lines =
    !overdue && !dormant
      ? // coupon, order_review, process_diagnosis …: the card's own title and text.
        [`### ${title}`, card.text || '打开卡片查看详情。']
      : overdue
        ? [
            `### ${title}`,
            `- 客户：${customer}`,
            `- 销售：${card.rep?.name ?? '—'}`,
            `- 承诺：${card.promise ?? '—'}`,
            `- 逾期：${hours} 小时`,
            `- 最近履约评分：${scores(card.fulfilmentScores)}`,
          ]
        : [
            `### ${title}`,
            `- 客户：${customer}`,
            `- 最近履约评分：${scores(card.fulfilmentScores)}`,
            card.talkTrack ? `- 话术：${card.talkTrack}` : '',
            card.seasonalTip ? `- 当季提示：${card.seasonalTip}` : '',
          ];
  const footer = `\n\n卡片编号 ${no}`;
  const shell = (markdown: string) => ({
    msgtype: 'action_card',
    action_card: {
      title,
      markdown,
      single_title: overdue ? '查看并处理' : dormant ? '打开唤醒话术包' : '查看详情',
      single_url: truncateBytes(card.link, 1024),
    },
  });
  // Whatever room the fixed parts leave goes to the body text, cut at a character boundary.
  const fixed = byteLength(JSON.stringify(shell(footer)));
  const body = truncateBytes(lines.filter(Boolean).join('\n'), DINGTALK_MSG_MAX_BYTES - fixed - 64);
  return shell(body + footer);
}
