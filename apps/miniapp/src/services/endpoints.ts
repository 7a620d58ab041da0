// Typed calls of the API (shapes from @crm/contract, types only: nothing of it is bundled).
import type { CustomerSummary, CustomerView, TaskView } from '@crm/contract';
import type { ScannedCard, ScanOutcome, ScanResponse } from '../lib/scan-route';
import { ApiError, api } from './api';

export type { CustomerSummary, CustomerView, TaskView };
export type CustomerSearchResponse = { items: CustomerSummary[]; nextOffset: number | null };

export async function postScan(payload: string, rawData?: string): Promise<ScanOutcome> {
  try {
    const body = await api<ScanResponse>('POST', '/api/scan', { body: rawData ? { payload, rawData } : { payload } });
    return { ok: true, body };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, status: err.status, code: err.code, message: err.message };
    throw err;
  }
}

export const getCustomer = (id: string, page?: { before?: string; beforeId?: string; limit?: number }) =>
  api<CustomerView>('GET', `/api/customers/${encodeURIComponent(id)}`, { query: page });

export const searchCustomers = (q: string) =>
  api<CustomerSearchResponse>('GET', '/api/customers', { query: { q, limit: 20 } });

export type NewCustomerBody = {
  name: string;
  org?: string;
  title?: string;
  phones?: { raw: string; e164?: string | null; type?: string | null; ext?: string | null }[];
  emails?: string[];
  address?: string;
  card?: ScannedCard;
};
export const createCustomer = (body: NewCustomerBody) => api<CustomerView>('POST', '/api/customers', { body });

export const listTasks = (status: 'open' | 'done' | 'all' = 'open') =>
  api<TaskView[]>('GET', '/api/tasks', { query: { status, limit: 200 } });
export const ackTask = (id: string) => api<TaskView>('POST', `/api/tasks/${encodeURIComponent(id)}/ack`);
export const doneTask = (id: string) => api<TaskView>('POST', `/api/tasks/${encodeURIComponent(id)}/done`);
