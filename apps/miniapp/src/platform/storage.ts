// Seen by TypeScript and jest; each build target resolves its own storage.<env>.ts first.
export * from './storage.h5';
