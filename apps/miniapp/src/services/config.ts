import { getItem, setItem } from '../platform/storage';

// API origin. Build-time TARO_APP_API_BASE wins; a mini-program without one lets the
// user type it on the login page (kept in storage). '' on H5 = same origin as the page.
const BUILT = process.env.TARO_APP_API_BASE || '';
const KEY = 'crm.apiBase';

export function apiBase(): string {
  return (BUILT || getItem<string>(KEY) || '').replace(/\/+$/, '');
}

export function setApiBase(url: string): void {
  setItem(KEY, url.trim());
}

export const apiBaseConfigurable = !BUILT && process.env.TARO_ENV !== 'h5';
