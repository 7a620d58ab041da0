// Organisations, industries, titles and cities for demo customers.

/** City, its long-distance area code (without the trunk 0) and some districts. */
export const CITIES = [
  { city: '北京', area: '10', districts: ['朝阳区', '海淀区', '丰台区', '大兴区'] },
  { city: '上海', area: '21', districts: ['浦东新区', '闵行区', '徐汇区', '嘉定区'] },
  { city: '广州', area: '20', districts: ['天河区', '白云区', '番禺区', '黄埔区'] },
  { city: '深圳', area: '755', districts: ['南山区', '宝安区', '龙岗区', '福田区'] },
  { city: '杭州', area: '571', districts: ['西湖区', '滨江区', '余杭区', '萧山区'] },
  { city: '南京', area: '25', districts: ['江宁区', '鼓楼区', '建邺区', '栖霞区'] },
  { city: '苏州', area: '512', districts: ['工业园区', '吴中区', '相城区', '虎丘区'] },
  { city: '成都', area: '28', districts: ['武侯区', '高新区', '锦江区', '双流区'] },
  { city: '武汉', area: '27', districts: ['江汉区', '洪山区', '东西湖区', '汉阳区'] },
  { city: '西安', area: '29', districts: ['雁塔区', '未央区', '长安区', '碑林区'] },
  { city: '天津', area: '22', districts: ['滨海新区', '南开区', '西青区', '河西区'] },
  { city: '重庆', area: '23', districts: ['渝北区', '九龙坡区', '江北区', '沙坪坝区'] },
  { city: '宁波', area: '574', districts: ['鄞州区', '北仑区', '海曙区', '镇海区'] },
  { city: '东莞', area: '769', districts: ['松山湖', '长安镇', '虎门镇', '南城街道'] },
  { city: '佛山', area: '757', districts: ['顺德区', '南海区', '禅城区', '三水区'] },
  { city: '青岛', area: '532', districts: ['黄岛区', '城阳区', '市南区', '李沧区'] },
  { city: '长沙', area: '731', districts: ['岳麓区', '雨花区', '开福区', '望城区'] },
  { city: '郑州', area: '371', districts: ['金水区', '中原区', '管城区', '惠济区'] },
  { city: '合肥', area: '551', districts: ['蜀山区', '包河区', '瑶海区', '庐阳区'] },
  { city: '济南', area: '531', districts: ['历下区', '槐荫区', '天桥区', '章丘区'] },
] as const;

export type City = (typeof CITIES)[number];

export const ROADS = [
  '科技路',
  '创业大道',
  '人民路',
  '解放路',
  '建设路',
  '工业大道',
  '长江路',
  '黄河路',
  '中山路',
  '新华路',
  '学府路',
  '高新大道',
  '纬二路',
  '经五路',
  '滨江大道',
  '环城北路',
] as const;

export const COMPANY_WORDS = [
  '华信',
  '恒达',
  '鑫源',
  '永盛',
  '瑞丰',
  '宏图',
  '博远',
  '金桥',
  '中联',
  '远航',
  '新锐',
  '泰和',
  '天成',
  '明辉',
  '嘉禾',
  '东方',
  '卓越',
  '盛世',
  '汇通',
  '安泰',
  '海纳',
  '启明',
  '正源',
  '众诚',
  '长风',
  '锦程',
  '宏业',
  '润达',
  '德信',
  '青禾',
  '云帆',
  '凯达',
  '百川',
  '同创',
  '精工',
  '华耀',
  '立达',
  '朗润',
  '诺成',
  '佳和',
] as const;

/** Industry → typical company-name endings (示例 marks every demo company as made up). */
export const INDUSTRIES = [
  { industry: '制造业', endings: ['示例机械制造有限公司', '示例精密工业有限公司', '示例电子科技有限公司'] },
  { industry: '批发零售', endings: ['示例贸易有限公司', '示例商贸有限公司', '示例供应链管理有限公司'] },
  { industry: '建筑工程', endings: ['示例建设工程有限公司', '示例装饰工程有限公司'] },
  { industry: '餐饮酒店', endings: ['示例餐饮管理有限公司', '示例酒店管理有限公司'] },
  { industry: '医疗健康', endings: ['示例医疗器械有限公司', '示例健康科技有限公司'] },
  { industry: '教育培训', endings: ['示例教育科技有限公司', '示例培训学校'] },
  { industry: '物流仓储', endings: ['示例物流有限公司', '示例仓储服务有限公司'] },
  { industry: '信息技术', endings: ['示例科技有限公司', '示例网络科技有限公司', '示例软件有限公司'] },
  { industry: '物业管理', endings: ['示例物业服务有限公司', '示例物业管理有限公司'] },
  { industry: '食品加工', endings: ['示例食品有限公司', '示例农业科技有限公司'] },
] as const;

export const DEPARTMENTS = ['采购部', '行政部', '生产部', '设备部', '总经办', '财务部', '仓储部', '工程部'] as const;

export const TITLES: readonly (readonly [string, number])[] = [
  ['采购经理', 20],
  ['采购专员', 14],
  ['总经理', 8],
  ['副总经理', 5],
  ['行政主管', 10],
  ['设备经理', 7],
  ['生产主管', 6],
  ['仓储主管', 5],
  ['财务经理', 4],
  ['项目经理', 6],
  ['运营总监', 4],
  ['董事长', 2],
  ['店长', 5],
];

export const PREFERENCE_TAGS = [
  '重视交期',
  '价格敏感',
  '偏好国产',
  '需要发票',
  '关注售后',
  '月结客户',
  '决策链长',
  '看重品牌',
  '需要样品',
  '集中采购',
] as const;

export const EMAIL_DOMAINS = ['example.com', 'example.cn', 'example.com.cn'] as const;
