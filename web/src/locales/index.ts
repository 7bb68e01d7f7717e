import deCases from './de/cases.json';
import deCommon from './de/common.json';
import deCustomers from './de/customers.json';
import deIdentity from './de/identity.json';
import dePlatform from './de/platform.json';
import dePortal from './de/portal.json';
import enCases from './en/cases.json';
import enCommon from './en/common.json';
import enCustomers from './en/customers.json';
import enIdentity from './en/identity.json';
import enPlatform from './en/platform.json';
import enPortal from './en/portal.json';

/** One catalogue per locale and area; English is the reference the types are checked against. */
export const resources = {
  en: {
    common: enCommon,
    identity: enIdentity,
    customers: enCustomers,
    platform: enPlatform,
    portal: enPortal,
    cases: enCases,
  },
  de: {
    common: deCommon,
    identity: deIdentity,
    customers: deCustomers,
    platform: dePlatform,
    portal: dePortal,
    cases: deCases,
  },
} as const;
