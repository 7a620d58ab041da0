export default definePageConfig({ navigationBarTitleText: '销售助手' });
