// Plain-text cards: "姓名：张伟 / 手机：138… / 邮箱：…" lines; unlabelled e-mails and phones too.
import { normalizePhone } from '../phone/normalize-phone';
import { CardBuilder, cleanEmail, isWechatId } from './card-builder';
import type { Card } from './card-types';

type Field = 'name' | 'cell' | 'work' | 'fax' | 'home' | 'email' | 'org' | 'dept' | 'title' | 'address' | 'wechat';
type TextField = Field | 'url' | 'qq' | 'note';

// Labels compared after lower-casing and removing spaces.
const LABELS: [RegExp, TextField][] = [
  [/^(姓名|名字|联系人|name|fullname|名)$/, 'name'],
  [/^(手机|手机号|手机号码|移动电话|mobile|cell|cellphone|mob|m)$/, 'cell'],
  [/^(电话|座机|办公电话|固话|联系电话|tel|phone|telephone|office|t|p|b)$/, 'work'],
  [/^(传真|fax|f)$/, 'fax'],
  [/^(家庭电话|住宅电话|home)$/, 'home'],
  [/^(邮箱|邮件|电子邮件|电子邮箱|email|e-mail|mail|e)$/, 'email'],
  [/^(公司|单位|公司名称|企业|company|org|organization|c)$/, 'org'],
  [/^(部门|dept|department)$/, 'dept'],
  [/^(职位|职务|头衔|title|position|job)$/, 'title'],
  [/^(地址|公司地址|办公地址|address|addr|a)$/, 'address'],
  [/^(微信|微信号|wechat|weixin|wx)$/, 'wechat'],
  [/^(网址|网站|主页|web|website|url|www)$/, 'url'],
  [/^(qq|qq号)$/, 'qq'],
  [/^(备注|note|notes|memo)$/, 'note'],
];

const LINE = /^\s*([^:：\s][^:：]{0,11}?)\s*[:：]\s*(.*?)\s*$/;

function labelOf(raw: string): TextField | null {
  const k = raw.toLowerCase().replace(/\s+/g, '');
  for (const [re, f] of LABELS) if (re.test(k)) return f;
  return null;
}

/** Reads labelled lines; returns null when the text has nothing that identifies a person. */
export function readText(text: string): Card | null {
  const b = new CardBuilder('text');
  let labelled = 0;
  for (const line of text.split(/\r\n|\r|\n|[|｜]/)) {
    if (!line.trim()) continue;
    const m = LINE.exec(line);
    const field = m?.[1] ? labelOf(m[1]) : null;
    const value = m?.[2] ?? '';
    if (field && value) {
      labelled++;
      applyField(b, field, value);
      continue;
    }
    unlabelled(b, line.trim());
  }
  const card = b.build();
  const identifying =
    Boolean(card.name && labelled > 0) ||
    card.phones.some((p) => p.e164) ||
    card.emails.length > 0 ||
    Boolean(card.wechat);
  return identifying ? card : null;
}

function applyField(b: CardBuilder, field: TextField, value: string): void {
  switch (field) {
    case 'name':
      b.setFirst('name', value);
      break;
    case 'cell':
    case 'work':
    case 'fax':
    case 'home':
      for (const part of value.split(/[/、,，]\s*(?=[+\d(（])/)) b.addPhone(part, { type: field });
      break;
    case 'email':
      for (const part of value.split(/[\s,;，；/]+/)) b.addEmail(part);
      break;
    case 'org':
      b.setFirst('org', value);
      break;
    case 'dept':
      b.setDept([value]);
      break;
    case 'title':
      b.setFirst('title', value);
      break;
    case 'address':
      b.setAddress(value);
      break;
    case 'wechat':
      if (isWechatId(value)) b.setFirst('wechat', value);
      else b.addIm('wechat', value);
      break;
    case 'url':
      b.addUrl(value);
      break;
    case 'qq':
      b.addIm('qq', value);
      break;
    case 'note':
      b.addNote(value);
      break;
  }
}

/** An unlabelled line counts only if it is wholly an e-mail address or a valid phone number. */
function unlabelled(b: CardBuilder, line: string): void {
  if (line.length > 80) return;
  if (cleanEmail(line)) {
    b.addEmail(line);
    return;
  }
  if (/^[+(（\d][\d\s()（）+\-－.转分机extEXT#;,]{6,}$/.test(line) && normalizePhone(line).e164) b.addPhone(line);
}
