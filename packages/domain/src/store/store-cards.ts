// Card payloads of the store rules: what the inbox and the delivery show (title, text) plus
// the raw figures the mini-app renders.
import { COUPON_AVG_BELOW_CENTS } from './store-rules';

/** "84.50 元" from cents. */
export const yuan = (cents: number) => `${(cents / 100).toFixed(2)} 元`;

const who = (c: { name: string; org: string | null }) => (c.org ? `${c.name}（${c.org}）` : c.name);

export type CouponCardInput = {
  customer: { id: string; name: string; org: string | null };
  averageCents: number;
  orders: number;
};

export function couponPayload(i: CouponCardInput) {
  return {
    title: '优惠券推送建议',
    text:
      `客户：${who(i.customer)}；客单价 ${yuan(i.averageCents)}，共 ${i.orders} 单（低于 ${yuan(COUPON_AVG_BELOW_CENTS)}）。` +
      '建议：推送一张满减优惠券，引导提高单笔采购金额。',
    customer: i.customer,
    averageCents: i.averageCents,
    orders: i.orders,
    thresholdCents: COUPON_AVG_BELOW_CENTS,
  };
}

export type OrderReviewCardInput = {
  /** Tenant-local day, "YYYY-MM-DD". */
  day: string;
  address: string;
  orders: { id: string; externalId: string | null }[];
};

export function orderReviewPayload(i: OrderReviewCardInput) {
  return {
    title: '异常订单待复核',
    text: `收货地址「${i.address}」在 ${i.day} 当天共有 ${i.orders.length} 笔订单，请人工复核是否异常。`,
    day: i.day,
    address: i.address,
    orders: i.orders,
    count: i.orders.length,
  };
}
