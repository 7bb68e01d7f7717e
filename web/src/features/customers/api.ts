import { api } from '../../app/api/client';
import type { Language } from '../../app/i18n';

export interface CustomerSummary {
  id: string;
  name: string;
  email: string;
  market: string;
  language: Language;
  vehicleCount: number;
}

export interface CustomerEmail {
  address: string;
  verified: boolean;
  primary: boolean;
}

export interface Consent {
  purpose: string;
  granted: boolean;
  changedAt: string;
}

export interface Vehicle {
  id: string;
  vin: string;
  model: string;
  modelYear: number;
  market: string;
  softwareVersion: string | null;
  firstRegistration: string | null;
  ownedSince: string | null;
}

export interface Customer360 {
  customer: {
    id: string;
    firstName: string;
    lastName: string;
    name: string;
    emails: CustomerEmail[];
    phones: string[];
    language: Language;
    market: string;
    consents: Consent[];
    createdAt: string;
  };
  vehicles: Vehicle[];
}

export interface CustomerSearch {
  q: string;
  market: string;
  page: number;
}

export const customersPageSize = 25;

export const customerKeys = {
  search: (search: CustomerSearch) => ['customers', 'search', search] as const,
  detail: (id: string) => ['customers', 'detail', id] as const,
  mine: ['customers', 'me'] as const,
};

export const customersApi = {
  search: ({ q, market, page }: CustomerSearch) =>
    api.get<{ items: CustomerSummary[]; total: number }>('/api/customers', {
      q,
      market,
      limit: customersPageSize,
      offset: (page - 1) * customersPageSize,
    }),
  get: (id: string) => api.get<Customer360>(`/api/customers/${encodeURIComponent(id)}`),
  mine: () => api.get<Customer360>('/api/customers/me'),
};
