// A DingTalk card opens the mini-program page (dingtalk://…page=…) with its query; Taro's
// navigation is the same as on WeChat, so DingTalk shares that implementation.
export * from './link.weapp';
