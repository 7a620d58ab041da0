// Seen by TypeScript and jest; each build target resolves its own auth.<env>.ts first.
export * from './auth.h5';
