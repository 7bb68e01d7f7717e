import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { MacrosPage } from '../features/cases/admin/MacrosPage';
import { SlaPoliciesPage } from '../features/cases/admin/SlaPoliciesPage';
import { TeamsPage } from '../features/cases/admin/TeamsPage';
import { CasePage } from '../features/cases/detail/CasePage';
import { InboxPage } from '../features/cases/inbox/InboxPage';
import { CaseSearchPage } from '../features/cases/search/CaseSearchPage';
import { Customer360Page } from '../features/customers/Customer360Page';
import { CustomerListPage } from '../features/customers/CustomerListPage';
import { AccountPage } from '../features/identity/account/AccountPage';
import { ApiTokensPage } from '../features/identity/admin/ApiTokensPage';
import { AuditLogPage } from '../features/identity/admin/AuditLogPage';
import { UsersPage } from '../features/identity/admin/UsersPage';
import { ForgotPasswordPage } from '../features/identity/public/ForgotPasswordPage';
import { LandingPage } from '../features/identity/public/LandingPage';
import { LoginPage } from '../features/identity/public/LoginPage';
import { ResetPasswordPage } from '../features/identity/public/ResetPasswordPage';
import type { AdminPermission } from '../features/identity/types';
import { FailedJobsPage } from '../features/platform/FailedJobsPage';
import { MailboxesPage } from '../features/platform/MailboxesPage';
import { OutboxMessagePage } from '../features/platform/OutboxMessagePage';
import { OutboxPage } from '../features/platform/OutboxPage';
import { QuarantinePage } from '../features/platform/QuarantinePage';
import { NewCasePage } from '../features/portal/cases/NewCasePage';
import { PortalCasePage } from '../features/portal/cases/PortalCasePage';
import { PortalHomePage } from '../features/portal/PortalHomePage';
import { RequirePermission, RequireSession } from './guards';
import { NotFound } from './pages/NotFound';
import { RouteError } from './pages/RouteError';
import { Root } from './Root';
import { AgentShell } from './shells/AgentShell';
import { PortalShell } from './shells/PortalShell';
import { PublicLayout } from './shells/PublicLayout';

const admin = (permission: AdminPermission, page: ReactNode) => (
  <RequirePermission permission={permission}>{page}</RequirePermission>
);

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      {
        element: <PublicLayout />,
        children: [
          { index: true, element: <LandingPage /> },
          { path: 'login', element: <LoginPage /> },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
          { path: 'reset-password', element: <ResetPasswordPage /> },
        ],
      },
      {
        path: 'agent',
        element: (
          <RequireSession kind="staff">
            <AgentShell />
          </RequireSession>
        ),
        children: [
          { index: true, element: <Navigate to="cases" replace /> },
          { path: 'cases', element: <InboxPage /> },
          { path: 'cases/search', element: <CaseSearchPage /> },
          { path: 'cases/:ref', element: <CasePage /> },
          { path: 'customers', element: <CustomerListPage /> },
          { path: 'customers/:customerId', element: <Customer360Page /> },
          { path: 'account', element: <AccountPage /> },
          { path: 'admin/users', element: admin('users:read', <UsersPage />) },
          { path: 'admin/teams', element: admin('users:manage', <TeamsPage />) },
          { path: 'admin/macros', element: admin('macros:manage', <MacrosPage />) },
          { path: 'admin/sla', element: admin('sla:manage', <SlaPoliciesPage />) },
          { path: 'admin/api-tokens', element: admin('tokens:manage', <ApiTokensPage />) },
          { path: 'admin/audit', element: admin('audit:read', <AuditLogPage />) },
          { path: 'admin/jobs', element: admin('jobs:manage', <FailedJobsPage />) },
          { path: 'admin/mailboxes', element: admin('email:manage', <MailboxesPage />) },
          { path: 'admin/quarantine', element: admin('email:manage', <QuarantinePage />) },
          { path: 'admin/outbox', element: admin('outbox:read', <OutboxPage />) },
          { path: 'admin/outbox/:messageId', element: admin('outbox:read', <OutboxMessagePage />) },
          { path: '*', element: <NotFound /> },
        ],
      },
      {
        path: 'portal',
        element: (
          <RequireSession kind="customer">
            <PortalShell />
          </RequireSession>
        ),
        children: [
          { index: true, element: <PortalHomePage /> },
          { path: 'cases/new', element: <NewCasePage /> },
          { path: 'cases/:ref', element: <PortalCasePage /> },
          { path: 'account', element: <AccountPage /> },
          { path: '*', element: <NotFound /> },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
