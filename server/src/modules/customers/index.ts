// Module customers: the people who own or buy the brand's cars, how to reach them,
// what they consented to, and their vehicles (by VIN) with ownership over time.
export { markEmailBounced } from './customers.emails.js';
export { customersRoutes } from './customers.routes.js';
export {
  type CustomerContact,
  contactForEmail,
  customerContacts,
  customersByEmail,
  customersByVin,
  getCustomer360,
  searchCustomers,
  type VehicleBrief,
  vehicleBriefs,
} from './customers.service.js';
export { isVin, parseVin, type Vin } from './customers.vin.js';
