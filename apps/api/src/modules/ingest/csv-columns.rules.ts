// CSV headers in Chinese or English → the ingestion fields, and CSV cells → item values.
// Pure: the importer streams, these decide.

export type ImportKind = 'orders' | 'tickets' | 'chats' | 'customers';

const COMMON: Record<string, string[]> = {
  source: ['来源', '渠道', 'source'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', '客户电话', 'phone', 'mobile', 'tel', 'customerphone'],
  email: ['邮箱', '电子邮箱', '邮件', 'email', 'e-mail', 'mail', 'customeremail'],
  customerId: ['客户id', 'customerid', 'customer_id'],
  name: ['客户', '客户名称', '客户姓名', '姓名', '联系人', 'name', 'customername', 'customer'],
  org: ['公司', '单位', '公司名称', '企业', '企业名称', 'org', 'company', 'organization', 'organisation'],
};

const BY_KIND: Record<ImportKind, Record<string, string[]>> = {
  orders: {
    externalId: ['订单号', '订单编号', '单号', '外部单号', 'externalid', 'orderid', 'orderno', 'ordernumber'],
    amount: ['金额', '订单金额', '实付金额', '支付金额', '金额(元)', 'amount', 'total', 'amountyuan'],
    amountCents: ['金额(分)', 'amountcents', 'amount_cents'],
    orderedAt: ['下单时间', '订单时间', '下单日期', '日期', '时间', 'orderedat', 'orderdate', 'date', 'createdat'],
    paidAt: ['付款时间', '支付时间', 'paidat', 'paymentdate'],
    status: ['状态', '订单状态', 'status'],
    fulfilmentScore: ['履约评分', '履约分', '评分', 'fulfilmentscore', 'fulfillmentscore', 'score'],
    sku: ['sku', '商品编码', '货号', '商品编号', 'productsku'],
    productName: ['商品', '商品名称', '产品', '产品名称', 'product', 'productname'],
    category: ['品类', '类目', '商品类目', '分类', 'category', 'productcategory'],
    shipAddress: ['收货地址', '地址', 'shipaddress', 'address'],
  },
  tickets: {
    externalId: ['工单号', '工单编号', '单号', 'externalid', 'ticketid', 'ticketno'],
    subject: ['主题', '标题', '问题', '问题描述', 'subject', 'title'],
    status: ['状态', '工单状态', 'status'],
    priority: ['优先级', '紧急程度', 'priority'],
    openedAt: ['创建时间', '开单时间', '提交时间', '日期', 'openedat', 'createdat', 'date'],
    closedAt: ['关闭时间', '完成时间', 'closedat'],
  },
  chats: {
    externalId: ['消息id', '消息编号', 'msgid', 'externalid', 'messageid'],
    direction: ['方向', '发送方向', 'direction'],
    content: ['内容', '消息内容', '消息', 'content', 'text', 'message'],
    sentAt: ['发送时间', '时间', 'sentat', 'time', 'date'],
    userId: ['员工id', 'userid'],
    wecomUserId: ['员工账号', '企业微信账号', '企微账号', 'wecomuserid', 'wecom_userid'],
  },
  customers: {
    title: ['职位', '职务', 'title', 'jobtitle'],
    tags: ['标签', '偏好标签', '产品偏好', 'tags'],
    owner: ['负责人', '销售', '归属销售', '客户经理', 'owner', 'rep'],
    industry: ['行业', 'industry'],
    address: ['地址', '公司地址', 'address'],
    note: ['备注', '说明', 'note', 'notes', 'remark'],
    wechat: ['微信', '微信号', 'wechat'],
  },
};

const REQUIRED: Record<ImportKind, string[][]> = {
  orders: [['externalId'], ['amount', 'amountCents'], ['orderedAt'], ['phone', 'email', 'customerId']],
  tickets: [['externalId'], ['subject'], ['openedAt'], ['phone', 'email', 'customerId']],
  chats: [['externalId'], ['direction'], ['content'], ['sentAt'], ['phone', 'email', 'customerId']],
  customers: [['name'], ['phone', 'email']],
};

export const normHeader = (h: string) =>
  h
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.*:：]+/g, '');

/** Header row → canonical field per column (null = ignored); throws naming what is missing. */
export function mapHeaders(kind: ImportKind, headers: string[]): { fields: (string | null)[]; ignored: string[] } {
  const table = { ...COMMON, ...BY_KIND[kind] };
  const lookup = new Map<string, string>();
  for (const [field, aliases] of Object.entries(table))
    for (const a of [field, ...aliases]) if (!lookup.has(normHeader(a))) lookup.set(normHeader(a), field);
  const fields = headers.map((h) => lookup.get(normHeader(h)) ?? null);
  const ignored = headers.filter((_, i) => fields[i] === null);
  const seen = new Set(fields.filter((f): f is string => f !== null));
  for (const group of REQUIRED[kind])
    if (!group.some((f) => seen.has(f)))
      throw new Error(`the CSV has no ${group.join(' / ')} column (headers: ${headers.join(', ')})`);
  return { fields, ignored };
}

const ORDER_STATUS: Record<string, string> = {
  待付款: 'pending',
  未付款: 'pending',
  待支付: 'pending',
  已付款: 'paid',
  已支付: 'paid',
  待发货: 'paid',
  已发货: 'fulfilled',
  已完成: 'fulfilled',
  已签收: 'fulfilled',
  交易成功: 'fulfilled',
  已取消: 'cancelled',
  交易关闭: 'cancelled',
  已退款: 'refunded',
  退款成功: 'refunded',
};
const DIRECTION: Record<string, string> = {
  客户: 'in',
  收到: 'in',
  接收: 'in',
  员工: 'out',
  发出: 'out',
  发送: 'out',
  销售: 'out',
};

/** Own entries only: a cell reading "constructor" is not a status. */
const lookup = (table: Record<string, string>, key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);

const wholeNumber = (s: string) => (/^\d+$/.test(s) ? Number(s) : s);

/**
 * One CSV record (field → cell text, blanks dropped) → the item the ingestion service takes.
 * Runs once per row of an import, so it builds the item by plain assignment (fields in a fixed
 * order, absent cells left out) rather than through spreads.
 */
export function toItem(kind: ImportKind, r: Record<string, string>): Record<string, unknown> {
  const customer: Record<string, string> = {};
  if (r.phone) customer.phone = r.phone;
  if (r.email) customer.email = r.email;
  if (r.customerId) customer.customerId = r.customerId;
  if (r.name) customer.name = r.name;
  if (r.org) customer.org = r.org;
  const item: Record<string, unknown> = { externalId: r.externalId };
  if (r.source) item.source = r.source;
  item.customer = customer;
  switch (kind) {
    case 'orders':
      if (r.amount) item.amount = r.amount;
      if (r.amountCents) item.amountCents = r.amountCents;
      item.orderedAt = r.orderedAt;
      if (r.paidAt) item.paidAt = r.paidAt;
      if (r.status) item.status = lookup(ORDER_STATUS, r.status) ?? r.status.toLowerCase();
      if (r.fulfilmentScore) item.fulfilmentScore = wholeNumber(r.fulfilmentScore);
      if (r.shipAddress) item.shipAddress = r.shipAddress;
      if (r.sku) item.product = { sku: r.sku, name: r.productName || r.sku, category: r.category || '未分类' };
      return item;
    case 'tickets':
      item.subject = r.subject;
      item.openedAt = r.openedAt;
      if (r.status) item.status = r.status;
      if (r.priority) item.priority = r.priority;
      if (r.closedAt) item.closedAt = r.closedAt;
      return item;
    case 'chats':
      item.direction = lookup(DIRECTION, r.direction ?? '') ?? r.direction?.toLowerCase();
      item.content = r.content;
      item.sentAt = r.sentAt;
      if (r.userId) item.userId = r.userId;
      if (r.wecomUserId) item.wecomUserId = r.wecomUserId;
      return item;
    case 'customers': {
      const opt = (k: string, v: unknown = r[k]) => (r[k] ? { [k]: v } : {});
      return {
        name: r.name,
        ...opt('org'),
        ...opt('phone'),
        ...opt('email'),
        ...opt('title'),
        ...opt('industry'),
        ...opt('address'),
        ...opt('note'),
        ...opt('wechat'),
        ...opt('owner'),
        ...opt(
          'tags',
          (r.tags ?? '')
            .split(/[;；,，、|/]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      };
    }
  }
}

/** UTF-8 unless the bytes say otherwise: a sample that is not valid UTF-8 is GB18030 (GBK) from Chinese Excel. */
export function detectEncoding(sample: Buffer): 'utf8' | 'gb18030' {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  // A multi-byte character may be cut at the end of the sample: drop up to 3 trailing bytes.
  let end = sample.length;
  for (let i = 0; i < 3 && end > 0 && ((sample[end - 1] ?? 0) & 0xc0) === 0x80; i++) end--;
  if (end > 0 && ((sample[end - 1] ?? 0) & 0xc0) === 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}
