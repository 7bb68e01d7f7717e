// Macros of the cases module: canned replies in German and English with placeholders,
// rendered in the case's language and applied as reply + status + tags.
export { type MacroFacts, macroPlaceholders, renderMacro } from './macros.render.js';
export { macroRoutes } from './macros.routes.js';
export { listMacros } from './macros.service.js';
