export * from './text/search-key';
export * from './dates/parse-instant';
export * from './interaction/interaction';
export * from './money/parse-money';
export * from './alerts/index';
export * from './schedule/index';
