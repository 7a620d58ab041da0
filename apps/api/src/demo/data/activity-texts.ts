// What reps and customers actually say: core needs per action type, chat lines, ticket subjects.

export type ActionType = 'needs_diagnosis' | 'solution_demo' | 'objection_handling' | 'service_followup';

/** 本次沟通核心诉求, by the kind of action the visit was. `{c}` is a product category. */
export const CORE_NEEDS: Readonly<Record<ActionType, readonly string[]>> = {
  needs_diagnosis: [
    '梳理下季度{c}的采购计划和预算',
    '了解现有{c}供应商的交期问题',
    '新厂区投产，需要一次性配齐{c}',
    '盘点{c}月用量，评估是否改为年度框架协议',
    '客户想把分散采购集中到一家供应商',
    '确认{c}的技术参数和替换型号',
    '客户反映现有{c}损耗大，想找更耐用的方案',
  ],
  solution_demo: [
    '现场演示{c}样品并对比现用产品',
    '讲解{c}年度供货方案和阶梯价',
    '带技术同事上门做{c}使用培训',
    '提交{c}试用方案，约定两周试用期',
    '演示线上下单和对账流程',
  ],
  objection_handling: [
    '客户认为{c}报价比竞品高约 8%，解释差价来源',
    '客户担心交期，承诺安排专车配送',
    '客户要求延长账期到 60 天，需内部审批',
    '上次{c}批次有质量投诉，说明整改措施',
    '客户在比价，要求重新报价',
    '付款条件谈判：预付比例从 30% 降到 20%',
  ],
  service_followup: [
    '回访上批{c}的使用情况',
    '处理{c}发货少件的补发',
    '送发票并对账',
    '确认{c}售后维修进度',
    '节前拜访，了解客户下月需求',
    '跟进{c}补货提醒',
  ],
};

export const CHANNELS: readonly (readonly [string, number])[] = [
  ['onsite', 5],
  ['phone', 3],
  ['wecom', 3],
  ['video', 1],
];

export const LOCATIONS = ['客户办公室', '客户工厂车间', '客户仓库', '公司展厅', '咖啡厅', '线上会议'] as const;

export const CHAT_OUT = [
  '您好，上次说的{c}报价单已经发您邮箱了，请查收。',
  '王总，明天上午十点方便吗？我带样品过去。',
  '您订的{c}已经发货了，物流单号稍后发您。',
  '发票已经开好了，这周内寄到贵司前台。',
  '本月有{c}的促销活动，需要的话我给您留货。',
  '上次反馈的问题我们已经处理好了，您看还有什么需要？',
  '合同我改好了，付款条件按您说的调整了。',
  '您好，想跟您约个时间回访一下{c}的使用情况。',
  '节日快乐！有需要随时联系我。',
  '新到一批{c}，规格和您上次问的一样，要不要先寄样？',
] as const;

export const CHAT_IN = [
  '收到，谢谢。',
  '{c}的价格能再便宜点吗？别家报得低一些。',
  '货什么时候能到？我们这边急用。',
  '发一下最新的报价单吧。',
  '上次那批{c}有几箱包装破损了。',
  '下周我们要开会定采购计划，你准备一下资料。',
  '发票抬头改一下，新的信息发你了。',
  '好的，下周二下午过来吧。',
  '这个月先不需要了，下个月再说。',
  '能不能开专票？',
] as const;

export const TICKET_SUBJECTS = [
  '{c}到货少件',
  '{c}包装破损',
  '发票信息有误，需要重开',
  '{c}使用中出现故障，申请维修',
  '物流延误，客户催货',
  '{c}规格与订单不符',
  '申请退换货',
  '对账金额有差异',
  '安装调试预约',
] as const;

export const OPPORTUNITY_TITLES = [
  '{y}年度{c}框架采购',
  '新厂区{c}集中采购项目',
  '{c}供应商替换项目',
  '{c}年度维保合同',
  '总部及分公司{c}统一采购',
  '{c}试点项目扩大采购',
] as const;

export const SUCCESS_CRITERIA = [
  '到货准时率 ≥ 98%，质量问题 48 小时内响应',
  '试用两周内故障率低于 1%，通过客户设备部验收',
  '年度采购成本比上年下降 5%',
  '每月 5 日前完成对账并开具专票',
  '交付后 30 天内完成全员使用培训',
] as const;

// Kinds as the e-mail keyword rules name them (packages/domain/src/signals/email-keywords.ts).
export const EMAIL_TEMPLATES = [
  {
    kind: 'tender_number',
    level: 2,
    subject: '关于{c}项目的招标编号及投标文件要求',
    body: '您好，本项目招标编号为 ZB-{n}，请按附件要求准备投标文件，技术方案已通过初审。',
  },
  {
    kind: 'payment_terms',
    level: 3,
    subject: '{c}采购合同付款条件确认',
    body: '财务委员会已批准本次预算，付款条件按 3:6:1 执行，请确认后回复。',
  },
  {
    kind: 'price_comparison',
    level: 1,
    subject: '{c}比价资料及营业执照',
    body: '附件是我司营业执照扫描件，另外我们在做比价，请尽快提供含税报价。',
  },
] as const;
