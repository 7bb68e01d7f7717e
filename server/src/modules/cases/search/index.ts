// Case search: full text over messages and subjects (German and English stemming), case
// numbers, VINs and customer emails, within the searcher's markets.

export { searchCases } from './search.js';
export { caseSearchMigrations } from './search.migrations.js';
export { caseSearchRoutes } from './search.routes.js';
