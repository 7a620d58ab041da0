// Seen by TypeScript and jest; each build target resolves its own scan.<env>.ts first.
export * from './scan.h5';
