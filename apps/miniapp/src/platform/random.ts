// Seen by TypeScript and jest; each build target resolves its own random.<env>.ts first.
export * from './random.h5';
