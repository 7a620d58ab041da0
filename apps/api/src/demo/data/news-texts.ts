// Competitor news and knowledge-base answers for the demo tenant.

export const COMPETITORS = ['远东工业品', '联华集采', '速达供应链', '鼎新办公', '恒泰劳保', '京南机电'] as const;

/** Headlines with `{x}` for the competitor; most are the negative kind the wake-up pack quotes. */
export const NEWS_ITEMS: readonly {
  title: string;
  summary: string;
  sentiment: 'negative' | 'neutral' | 'positive';
}[] = [
  {
    title: '{x}华东仓发货延迟，多家客户投诉',
    summary: '受仓储系统切换影响，{x}华东区订单平均延迟 5–7 天。',
    sentiment: 'negative',
  },
  {
    title: '{x}宣布下月起全线涨价 6%',
    summary: '{x}称原材料成本上涨，多个品类上调价格，部分客户已开始比价。',
    sentiment: 'negative',
  },
  {
    title: '{x}一批劳保手套抽检不合格',
    summary: '市场监管部门抽检发现{x}一批丁腈手套拉伸强度不达标，已责令召回。',
    sentiment: 'negative',
  },
  {
    title: '{x}售后热线接通率下降',
    summary: '多名客户反映{x}售后电话长时间无人接听，维修响应超过一周。',
    sentiment: 'negative',
  },
  {
    title: '{x}收紧账期，新客户要求预付',
    summary: '{x}调整信用政策，新签客户需预付 50%，老客户账期由 60 天缩至 30 天。',
    sentiment: 'negative',
  },
  {
    title: '{x}关闭西南区服务网点',
    summary: '{x}撤并成都、重庆两地网点，西南客户改由总部远程服务。',
    sentiment: 'negative',
  },
  {
    title: '{x}润滑油产品被曝以次充好',
    summary: '有用户反映{x}部分液压油批次粘度不达标，{x}称正在调查。',
    sentiment: 'negative',
  },
  {
    title: '{x}核心销售团队离职',
    summary: '{x}华南区销售负责人带队离职，部分大客户对接人发生变化。',
    sentiment: 'negative',
  },
  { title: '{x}上线新版采购平台', summary: '{x}推出线上集采平台，支持一键对账。', sentiment: 'neutral' },
  { title: '{x}获得新一轮融资', summary: '{x}宣布完成新一轮融资，计划扩建华北仓。', sentiment: 'positive' },
];

export const KB_ARTICLES: readonly { question: string; answer: string; tags: readonly string[] }[] = [
  {
    question: '下单后多久能发货？',
    answer: '现货商品当天 16:00 前下单当天发出，其余次日发出；江浙沪一般 1–2 天送达，其他地区 2–4 天。',
    tags: ['交期', '物流'],
  },
  {
    question: '可以开增值税专用发票吗？',
    answer: '可以。请提供开票信息（名称、税号、地址电话、开户行及账号），每月 5 日前对账后统一开具。',
    tags: ['发票'],
  },
  {
    question: '账期怎么申请？',
    answer: '合作满 3 个月、月采购额稳定的客户可申请 30–60 天账期，由销售提交，财务审批约 3 个工作日。',
    tags: ['付款'],
  },
  {
    question: '收到的货有破损怎么办？',
    answer: '签收时请拍照留证，24 小时内联系客服或您的销售，我们会在 48 小时内补发或退换。',
    tags: ['售后'],
  },
  {
    question: '能先寄样品试用吗？',
    answer: '常规品类可免费寄样，大件设备可安排上门演示或两周试用。',
    tags: ['样品'],
  },
  {
    question: '年度框架协议有什么好处？',
    answer: '锁定全年价格、优先保供、按月对账，年采购额越高阶梯折扣越大。',
    tags: ['价格', '合同'],
  },
  {
    question: '设备坏了保修怎么处理？',
    answer: '保修期内免费维修；提交工单后技术人员 24 小时内联系，一般 3 个工作日内上门。',
    tags: ['售后', '维修'],
  },
  {
    question: '可以做定制 logo 吗？',
    answer: '保温杯、礼盒、工装等支持定制，起订量 50 件，生产周期约 2–3 周。',
    tags: ['定制', '福利'],
  },
];
