// The stub inbox pages: what each member's phone would show, refreshed every 3 s.
import { escapeHtml } from './common';
import type { DingtalkInboxEntry } from './dingtalk';
import type { WecomInboxEntry } from './wecom';

const shell = (title: string, rows: string) =>
  `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>${title}</title>` +
  '<style>body{font:14px system-ui;margin:2em;max-width:60em}.card{border:1px solid #ccc;border-radius:8px;padding:.8em;margin:.6em 0}' +
  '.muted{color:#888}.btn{display:inline-block;border:1px solid #07c;border-radius:4px;padding:2px 8px;margin:2px}</style>' +
  `<h1>${title}</h1>${rows || '<p class="muted">No messages yet.</p>'}`;

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export function wecomInboxPage(inbox: WecomInboxEntry[]): string {
  const rows = [...inbox]
    .reverse()
    .map((e) => {
      const card = (e.body.template_card ?? {}) as Record<string, unknown>;
      const main = (card.main_title ?? {}) as { title?: string; desc?: string };
      const items = ((card.horizontal_content_list ?? []) as { keyname?: string; value?: string }[])
        .map((h) => `<div>${escapeHtml(h.keyname ?? '')}: ${escapeHtml(h.value ?? '')}</div>`)
        .join('');
      const buttons = ((card.button_list ?? []) as { text?: string; key?: string }[])
        .map((b) => `<span class="btn" title="${escapeHtml(b.key ?? '')}">${escapeHtml(b.text ?? '')}</span>`)
        .join('');
      const state = e.dropped
        ? ' <b>(silently dropped: rate limit)</b>'
        : e.replacedWith
          ? ` — ${escapeHtml(e.replacedWith)}`
          : '';
      return `<div class="card"><div class="muted">${time(e.receivedAt)} → ${escapeHtml(e.userid)} · task ${escapeHtml(e.taskId ?? '')}${state}</div><b>${escapeHtml(main.title ?? e.msgtype)}</b><div>${escapeHtml(main.desc ?? '')}</div>${items}${buttons}</div>`;
    })
    .join('');
  return shell('WeCom stand-in inbox', rows);
}

export function dingtalkInboxPage(inbox: DingtalkInboxEntry[]): string {
  const rows = [...inbox]
    .reverse()
    .map((e) => {
      const card = ((e.msg as { action_card?: Record<string, string> }).action_card ?? {}) as Record<string, string>;
      const state = e.forbidden ? ' <b>(not delivered: duplicate or daily limit)</b>' : '';
      return `<div class="card"><div class="muted">${time(e.receivedAt)} → ${escapeHtml(e.userid)} · task ${e.taskId}${state}</div><b>${escapeHtml(card.title ?? String((e.msg as { msgtype?: string }).msgtype))}</b><pre>${escapeHtml(card.markdown ?? '')}</pre>${card.single_title ? `<span class="btn">${escapeHtml(card.single_title)}</span>` : ''}</div>`;
    })
    .join('');
  return shell('DingTalk stand-in inbox', rows);
}
