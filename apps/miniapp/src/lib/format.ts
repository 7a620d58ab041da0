// Chinese display formats. Times are shown on the device clock's offset (passed in for tests).
import { deviceOffset } from './quick-times';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const pad = (n: number) => String(n).padStart(2, '0');

function shifted(at: Date, offsetMin: number) {
  return new Date(at.getTime() + offsetMin * 60_000);
}

/** "6月12日 周四 10:00"; another year than `now`'s gets it in front: "2025年6月12日 …". */
export function formatDateTime(value: string | Date, offsetMin = deviceOffset(), now: Date = new Date()): string {
  const s = shifted(new Date(value), offsetMin);
  const year = s.getUTCFullYear() === shifted(now, offsetMin).getUTCFullYear() ? '' : `${s.getUTCFullYear()}年`;
  return `${year}${s.getUTCMonth() + 1}月${s.getUTCDate()}日 周${WEEKDAYS[s.getUTCDay()]} ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`;
}

/** "2025-06-12" */
export function formatDate(value: string | Date, offsetMin = deviceOffset()): string {
  const s = shifted(new Date(value), offsetMin);
  return `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())}`;
}

/** "14:30" */
export function formatTime(value: string | Date, offsetMin = deviceOffset()): string {
  const s = shifted(new Date(value), offsetMin);
  return `${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`;
}

/** 123456 → "¥1,234.56" */
export function formatMoney(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${pad(abs % 100)}`;
}

export const ACTION_TYPES = [
  { value: 'needs_diagnosis', label: '需求诊断' },
  { value: 'solution_demo', label: '方案演示' },
  { value: 'objection_handling', label: '异议处理' },
  { value: 'service_followup', label: '服务跟进' },
] as const;
export type ActionTypeValue = (typeof ACTION_TYPES)[number]['value'];

export function actionLabel(value: string | null | undefined): string | null {
  return ACTION_TYPES.find((a) => a.value === value)?.label ?? null;
}

export const TIMELINE_KIND_LABEL: Record<string, string> = {
  visit: '拜访',
  order: '订单',
  ticket: '工单',
  chat: '聊天',
  payment: '回款',
  signal: '信号',
};
