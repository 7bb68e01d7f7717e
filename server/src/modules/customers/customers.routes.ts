import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import { requirePrincipal } from '../identity/index.js';
import {
  AddVehicleBody,
  CreateCustomerBody,
  Customer360,
  CustomerSummary,
  SearchQuery,
  UpdateCustomerBody,
} from './customers.schemas.js';
import {
  addVehicle,
  createCustomer,
  getCustomer360,
  searchCustomers,
  updateCustomer,
} from './customers.service.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function customersRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'customers:read' } },
        schema: {
          tags: ['customers'],
          summary: 'Search customers of your markets by name, email or VIN',
          querystring: SearchQuery,
          response: {
            200: Type.Object({ items: Type.Array(CustomerSummary), total: Type.Integer() }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => searchCustomers(db, requirePrincipal(request), request.query),
    );

    app.get(
      '/me',
      {
        config: { rule: { allow: ['customer'] } },
        schema: {
          tags: ['customers'],
          summary: "The signed-in owner's own profile and vehicles",
          response: { 200: Customer360, ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const principal = request.context.principal;
        if (principal?.kind !== 'customer') throw errors.forbidden();
        return getCustomer360(db, principal, principal.customerId);
      },
    );

    app.get(
      '/:id',
      {
        config: { rule: { allow: ['staff', 'token', 'customer'], permission: 'customers:read' } },
        schema: {
          tags: ['customers'],
          summary: 'Customer 360: profile, contacts, consents and vehicles',
          params: IdParams,
          response: { 200: Customer360, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => getCustomer360(db, requirePrincipal(request), request.params.id),
    );

    app.post(
      '/',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'customers:write' } },
        schema: {
          tags: ['customers'],
          summary: 'Create a customer in one of your markets',
          body: CreateCustomerBody,
          response: { 201: Customer360, ...errorResponses(400, 401, 403, 422) },
        },
      },
      async (request, reply) => {
        const id = await createCustomer(db, request.context, request.body);
        return reply.status(201).send(await getCustomer360(db, requirePrincipal(request), id));
      },
    );

    app.patch(
      '/:id',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'customers:write' } },
        schema: {
          tags: ['customers'],
          summary: "Change a customer's name, phones, language or consents",
          params: IdParams,
          body: UpdateCustomerBody,
          response: { 200: Customer360, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        await updateCustomer(db, request.context, request.params.id, request.body);
        return getCustomer360(db, requirePrincipal(request), request.params.id);
      },
    );

    app.post(
      '/:id/vehicles',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'customers:write' } },
        schema: {
          tags: ['customers'],
          summary: 'Register a vehicle (by VIN) as owned by this customer',
          params: IdParams,
          body: AddVehicleBody,
          response: { 201: Customer360, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        await addVehicle(db, request.context, request.params.id, request.body);
        return reply.status(201).send(await getCustomer360(db, requirePrincipal(request), request.params.id));
      },
    );
  };
}
