// Module customers: the people who own or buy the brand's cars, how to reach them,
// what they consented to, and their vehicles (by VIN) with ownership over time.
export { markEmailBounced } from './customers.emails.js';
export {
  type CustomerContact,
  contactForEmail,
  contactsForEmails,
  customerContacts,
  customersByEmail,
  customersByVin,
  type EmailContact,
  type EmailContactInput,
  type VehicleBrief,
  vehicleBriefs,
} from './customers.lookups.js';
export { customersRoutes } from './customers.routes.js';
export { getCustomer360, searchCustomers } from './customers.service.js';
export { isVin, parseVin, type Vin } from './customers.vin.js';
