// The three-field record: validation and the request body. Pure (takes `now`).
import type { ActionTypeValue } from './format';

export const CORE_NEED_MAX = 2000; // same as @crm/contract CORE_NEED_MAX

export type VisitDraft = {
  customerId: string;
  coreNeed: string;
  nextContactAt: Date | null;
  actionType?: ActionTypeValue | null;
};

export type VisitField = 'customerId' | 'coreNeed' | 'nextContactAt';
export type VisitErrors = Partial<Record<VisitField, string>>;

export function validateVisit(draft: VisitDraft, now: Date): VisitErrors {
  const errors: VisitErrors = {};
  if (!draft.customerId.trim()) errors.customerId = '请先选择客户';
  const need = draft.coreNeed.trim();
  if (!need) errors.coreNeed = '请填写本次沟通的核心诉求';
  else if (need.length > CORE_NEED_MAX) errors.coreNeed = `核心诉求最多 ${CORE_NEED_MAX} 字（现在 ${need.length} 字）`;
  if (!draft.nextContactAt || Number.isNaN(draft.nextContactAt.getTime())) errors.nextContactAt = '请选择下次联系时间';
  else if (draft.nextContactAt.getTime() <= now.getTime()) errors.nextContactAt = '下次联系时间必须晚于现在';
  return errors;
}

export const isValid = (errors: VisitErrors) => Object.keys(errors).length === 0;

export type VisitBody = {
  customerId: string;
  coreNeed: string;
  nextContactAt: string;
  occurredAt: string;
  actionType?: ActionTypeValue;
  clientId: string;
};

/** Call only after validateVisit passed. occurredAt is when the rep pressed save. */
export function toVisitBody(draft: VisitDraft, clientId: string, occurredAt: Date): VisitBody {
  const body: VisitBody = {
    customerId: draft.customerId,
    coreNeed: draft.coreNeed.trim(),
    nextContactAt: (draft.nextContactAt as Date).toISOString(),
    occurredAt: occurredAt.toISOString(),
    clientId,
  };
  if (draft.actionType) body.actionType = draft.actionType;
  return body;
}
