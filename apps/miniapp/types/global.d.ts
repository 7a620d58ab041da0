/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'qywx' | 'dd' | 'h5' | 'alipay';
    /** API origin for mini-programs (e.g. https://crm.example.com); '' on H5 = same origin. */
    TARO_APP_API_BASE: string;
  }
}
