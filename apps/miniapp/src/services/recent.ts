import { getItem, setItem } from '../platform/storage';

// Customers the rep opened lately, newest first, kept on the phone.
export type RecentCustomer = { id: string; name: string; org: string | null; at: string };
const KEY = 'crm.recentCustomers';
const MAX = 10;

export const recentCustomers = () => getItem<RecentCustomer[]>(KEY) ?? [];

export function rememberCustomer(c: { id: string; name: string; org: string | null }, now = new Date()): void {
  const rest = recentCustomers().filter((r) => r.id !== c.id);
  setItem(KEY, [{ id: c.id, name: c.name, org: c.org, at: now.toISOString() }, ...rest].slice(0, MAX));
}
