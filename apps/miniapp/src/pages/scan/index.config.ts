export default definePageConfig({ navigationBarTitleText: '识别结果' });
