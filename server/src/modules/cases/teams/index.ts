// Teams of the cases module: the queues cases are routed to, the markets they serve and
// their members. Admins manage them here; agents read the list through the inbox routes.
export { teamRoutes } from './teams.routes.js';
