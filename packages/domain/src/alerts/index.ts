export * from './dormant';
export * from './overdue';
export * from './settings';
