export default defineAppConfig({
  pages: ['pages/index/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1a6dff',
    navigationBarTitleText: '销售助手',
    navigationBarTextStyle: 'white',
  },
});
