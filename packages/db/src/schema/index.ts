export * from './activity';
export * from './commerce';
export * from './customers';
export * from './operations';
export * from './pipeline';
export * from './tenants';
export * from './users';
