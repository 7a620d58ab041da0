// MECARD (DoCoMo) and BIZCARD: `KEY:value;` fields with backslash escapes.
import { CardBuilder } from './card-builder';
import type { Card } from './card-types';

/**
 * Fields of a MECARD/BIZCARD body. A `;` preceded by an odd number of backslashes
 * is part of the value (ZXing's rule); `\x` becomes `x`. A single or double `;`
 * terminator and a missing one all work.
 */
export function mecardFields(body: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  let i = 0;
  while (i < body.length) {
    let raw = '';
    while (i < body.length && body[i] !== ';') {
      if (body[i] === '\\' && i + 1 < body.length) {
        raw += body.slice(i, i + 2);
        i += 2;
      } else raw += body[i++];
    }
    i++; // the terminator
    if (!raw.trim()) continue;
    const colon = firstUnescaped(raw, ':');
    if (colon <= 0) continue;
    out.push({ key: raw.slice(0, colon).trim().toUpperCase(), value: raw.slice(colon + 1) });
  }
  return out;
}

function firstUnescaped(s: string, ch: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ch) return i;
  }
  return -1;
}

const unesc = (s: string) => s.replace(/\\([\s\S])/g, '$1');

/** Splits on an unescaped character, then unescapes each part. */
function splitOn(s: string, ch: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s.slice(i, i + 2);
      i++;
    } else if (s[i] === ch) {
      out.push(unesc(cur));
      cur = '';
    } else cur += s[i];
  }
  out.push(unesc(cur));
  return out;
}

/** An ORG with a literal ";" (escaped in MECARD) is company;department. */
function setOrg(b: CardBuilder, value: string): void {
  const [org = '', ...dept] = unesc(value).split(/[;；]/);
  b.setFirst('org', org);
  b.setDept(dept);
}

export function readMecard(body: string): Card {
  const b = new CardBuilder('mecard');
  for (const { key, value } of mecardFields(body)) {
    switch (key) {
      case 'N': {
        const [family = '', given = ''] = splitOn(value, ',');
        b.setFirst('family', given.trim() ? family : undefined);
        b.setFirst('given', given);
        if (!given.trim()) b.setFirst('name', family);
        break;
      }
      case 'TEL':
      case 'TEL-AV':
        b.addPhone(unesc(value));
        break;
      case 'EMAIL':
        b.addEmail(unesc(value));
        break;
      case 'URL':
        b.addUrl(unesc(value));
        break;
      case 'ADR':
        b.setAddress(unesc(value).replace(/,/g, ' ').trim());
        break;
      case 'NOTE':
      case 'MEMO':
        b.addNote(unesc(value));
        break;
      case 'ORG':
        setOrg(b, value);
        break;
      case 'TITLE':
        b.setFirst('title', unesc(value));
        break;
      case 'NICKNAME':
        b.setFirst('nickname', unesc(value));
        break;
    }
  }
  return b.build();
}

export function readBizcard(body: string): Card {
  const b = new CardBuilder('bizcard');
  for (const { key, value } of mecardFields(body)) {
    const v = unesc(value);
    switch (key) {
      case 'N':
        b.setFirst('given', v);
        break;
      case 'X':
        b.setFirst('family', v);
        break;
      case 'T':
        b.setFirst('title', v);
        break;
      case 'C':
        setOrg(b, value);
        break;
      case 'A':
        b.setAddress(v);
        break;
      case 'B':
        b.addPhone(v, { type: 'work' });
        break;
      case 'M':
        b.addPhone(v, { type: 'cell' });
        break;
      case 'F':
        b.addPhone(v, { type: 'fax' });
        break;
      case 'E':
        b.addEmail(v);
        break;
    }
  }
  return b.build();
}
