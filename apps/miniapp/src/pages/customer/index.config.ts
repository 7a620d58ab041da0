export default definePageConfig({ navigationBarTitleText: '客户', onReachBottomDistance: 80 });
