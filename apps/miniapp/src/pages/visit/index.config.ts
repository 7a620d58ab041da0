export default definePageConfig({ navigationBarTitleText: '记录拜访' });
