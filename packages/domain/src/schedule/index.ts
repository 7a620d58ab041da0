export * from './calendar';
export * from './weekly';
export * from './zoned';
