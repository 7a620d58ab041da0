// Seen by TypeScript and jest; each build target resolves its own link.<env>.ts first.
export * from './link.h5';
