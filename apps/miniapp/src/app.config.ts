export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/tasks/index',
    'pages/login/index',
    'pages/scan/index',
    'pages/customer/index',
    'pages/visit/index',
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#1a6dff',
    navigationBarTitleText: '销售助手',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f6f8',
  },
  tabBar: {
    color: '#8a8f99',
    selectedColor: '#1a6dff',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '扫码',
        iconPath: 'assets/tab-scan.png',
        selectedIconPath: 'assets/tab-scan-active.png',
      },
      {
        pagePath: 'pages/tasks/index',
        text: '待办',
        iconPath: 'assets/tab-tasks.png',
        selectedIconPath: 'assets/tab-tasks-active.png',
      },
    ],
  },
});
