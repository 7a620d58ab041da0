export * from './client';
export * from './rows';
export * from './schema/index';
export { schema };

import * as schema from './schema/index';
