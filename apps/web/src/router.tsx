import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { meQuery, pathForStage } from './api/session';
import type { Stage } from './api/types';
import { NotFoundPage } from './components/NotFoundPage';
import { AppLayout } from './layout/AppLayout';
import { AdminIndexPage } from './modules/admin/AdminIndexPage';
import { DeadLettersPage } from './modules/admin/DeadLettersPage';
import { GroupsPage } from './modules/admin/GroupsPage';
import { RolesPage } from './modules/admin/RolesPage';
import { PositionsPage } from './modules/admin/PositionsPage';
import { TokensPage } from './modules/admin/TokensPage';
import { UnitsPage } from './modules/admin/UnitsPage';
import { UsersPage } from './modules/admin/UsersPage';
import { AuditPage } from './modules/audit/AuditPage';
import { CasePage } from './modules/cases/CasePage';
import { CasesPage } from './modules/cases/CasesPage';
import { RequestsDashboardPage } from './modules/requests/DashboardPage';
import { NewRequestPage } from './modules/requests/NewRequestPage';
import { RecipientsPage } from './modules/requests/RecipientsPage';
import { RequestPage } from './modules/requests/RequestPage';
import { RequestsPage } from './modules/requests/RequestsPage';
import { TakedownBatchPage } from './modules/requests/TakedownBatchPage';
import { ApprovalsPage, CaseWorkPage, EvidencePage, SupportInboxPage } from './modules/cases/work/CaseWorkPage';
import { LoginPage } from './modules/auth/LoginPage';
import { PasswordChangePage } from './modules/auth/PasswordChangePage';
import { TotpEnrolPage } from './modules/auth/TotpEnrolPage';
import { TotpVerifyPage } from './modules/auth/TotpVerifyPage';
import { HomePage } from './modules/home/HomePage';
import { PublicReportPage } from './modules/intake/PublicReportPage';
import { QueuePage } from './modules/intake/QueuePage';
import { ReportPage } from './modules/intake/ReportPage';
import { ReportStatusPage } from './modules/intake/ReportStatusPage';
import { RoutingRulesPage } from './modules/intake/RoutingRulesPage';
import { StaffEntryPage } from './modules/intake/StaffEntryPage';
import { FeedPage, NewFeedPage } from './modules/detection/FeedPage';
import { FeedsPage } from './modules/detection/FeedsPage';
import { HuntPage } from './modules/detection/HuntPage';
import { EntitiesPage } from './modules/intel/EntitiesPage';
import { EntityPage } from './modules/intel/EntityPage';
import { TemplatesPage } from './modules/documents/TemplatesPage';
import { GraphBenchPage } from './modules/intel/GraphBenchPage';
import { GraphPage } from './modules/intel/GraphPage';
import { ImportPage } from './modules/intel/ImportPage';
import { ObservablePage } from './modules/intel/ObservablePage';
import { ExportPage as SharingExportPage } from './modules/sharing/ExportPage';
import { PartnersPage } from './modules/sharing/PartnersPage';
import { CollectionsPage as TaxiiCollectionsPage } from './modules/sharing/taxii/CollectionsPage';
import { SubscriptionsPage as TaxiiSubscriptionsPage } from './modules/sharing/taxii/SubscriptionsPage';
import { SearchPage } from './modules/intel/SearchPage';
import { OutboxPage } from './modules/outbox/OutboxPage';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (me) throw redirect({ to: pathForStage(me.stage) });
  },
  component: LoginPage,
});

// Each sign-in stage page is open only to a session in that stage; others are sent where they belong.
function stageRoute(path: '/password' | '/mfa/enrol' | '/mfa/verify', stage: Stage, component: () => ReactNode) {
  return createRoute({
    getParentRoute: () => rootRoute,
    path,
    beforeLoad: async ({ context }) => {
      const me = await context.queryClient.ensureQueryData(meQuery);
      if (!me) throw redirect({ to: '/login' });
      if (me.stage !== stage) throw redirect({ to: pathForStage(me.stage) });
    },
    component,
  });
}
const passwordRoute = stageRoute('/password', 'password_change', PasswordChangePage);
const enrolRoute = stageRoute('/mfa/enrol', 'mfa_enrol', TotpEnrolPage);
const verifyRoute = stageRoute('/mfa/verify', 'mfa_verify', TotpVerifyPage);

// Everything else needs a fully signed-in session.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: '/login' });
    if (me.stage !== 'ok') throw redirect({ to: pathForStage(me.stage) });
  },
  component: AppLayout,
});
const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: HomePage });
const adminRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin', component: AdminIndexPage });
const unitsRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/units', component: UnitsPage });
const positionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/positions',
  component: PositionsPage,
});
const usersRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/users', component: UsersPage });
const tokensRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/tokens', component: TokensPage });
const groupsRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/groups', component: GroupsPage });
const outboxRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/outbox', component: OutboxPage });
const rolesRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/roles', component: RolesPage });
const deadLettersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/jobs',
  component: DeadLettersPage,
});
const templatesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/document-templates',
  component: TemplatesPage,
});
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: '/audit', component: AuditPage });

// Intake (通報・相談): the public form and status page need no sign-in; the staff pages sit in the app frame.
// Test-only: synthetic graph layout timing (e2e/90-graph-bench.spec.ts); no data, no sign-in.
const graphBenchRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/bench/graph',
  component: GraphBenchPage,
});
const reportFormRoute = createRoute({ getParentRoute: () => rootRoute, path: '/report', component: PublicReportPage });
const reportStatusRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/report/status',
  component: ReportStatusPage,
});
const intakeQueueRoute = createRoute({ getParentRoute: () => appRoute, path: '/intake', component: QueuePage });
const intakeNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/intake/new', component: StaffEntryPage });
const intakeReportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/intake/reports/$id',
  component: ReportPage,
});
const intakeRulesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/intake/routing-rules',
  component: RoutingRulesPage,
});
const intakeRoutes = [intakeQueueRoute, intakeNewRoute, intakeReportRoute, intakeRulesRoute];

// Outgoing requests and countermeasures (依頼・措置), issue 11.
const requestsRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: '/requests', component: RequestsPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/requests/new', component: NewRequestPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/requests/dashboard', component: RequestsDashboardPage }),
  createRoute({
    getParentRoute: () => appRoute,
    path: '/requests/takedowns/new',
    component: TakedownBatchPage,
    // Where the URLs come from: a campaign (intel entity) or a case.
    validateSearch: (s: Record<string, unknown>): { campaignId?: string; caseId?: string } => ({
      ...(typeof s.campaignId === 'string' ? { campaignId: s.campaignId } : {}),
      ...(typeof s.caseId === 'string' ? { caseId: s.caseId } : {}),
    }),
  }),
  createRoute({ getParentRoute: () => appRoute, path: '/requests/recipients', component: RecipientsPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/requests/$id', component: RequestPage }),
] as const;

// Cases (事件), issue 7.
const casesRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: '/cases', component: CasesPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/cases/$id', component: CasePage }),
] as const;

// Case work (支援要請・証拠・解析依頼), issue 7.
const caseWorkRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: '/support', component: SupportInboxPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/analysis-approvals', component: ApprovalsPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/cases/$id/work', component: CaseWorkPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/cases/$id/evidence/$evidenceId', component: EvidencePage }),
] as const;

// Intelligence (指標・グラフ), issue 5.
const intelPage = <P extends string>(path: P, component: () => ReactNode) =>
  createRoute({ getParentRoute: () => appRoute, path, component });
const intelRoutes = [
  intelPage('/intel', SearchPage),
  intelPage('/intel/observables/$id', ObservablePage),
  intelPage('/intel/observables/$id/graph', GraphPage),
  intelPage('/intel/entities', EntitiesPage),
  intelPage('/intel/entities/$id', EntityPage),
  intelPage('/intel/import', ImportPage),
] as const;

// Sharing (連携先・提供), issue 9.
const sharingRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: '/sharing', component: PartnersPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/sharing/export', component: SharingExportPage }),
  // TAXII (issue 10).
  createRoute({ getParentRoute: () => appRoute, path: '/sharing/taxii', component: TaxiiCollectionsPage }),
  createRoute({
    getParentRoute: () => appRoute,
    path: '/sharing/taxii/subscriptions',
    component: TaxiiSubscriptionsPage,
  }),
] as const;

// Detection (フィード・ログ照合), issue 8.
const detectionRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: '/detection', component: FeedsPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/detection/feeds/new', component: NewFeedPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/detection/feeds/$id', component: FeedPage }),
  createRoute({ getParentRoute: () => appRoute, path: '/detection/hunt', component: HuntPage }),
] as const;

const routeTree = rootRoute.addChildren([
  reportFormRoute,
  reportStatusRoute,
  graphBenchRoute,
  loginRoute,
  passwordRoute,
  enrolRoute,
  verifyRoute,
  appRoute.addChildren([
    homeRoute,
    adminRoute,
    unitsRoute,
    positionsRoute,
    usersRoute,
    tokensRoute,
    groupsRoute,
    rolesRoute,
    outboxRoute,
    deadLettersRoute,
    templatesRoute,
    auditRoute,
    ...intakeRoutes,
    ...intelRoutes,
    ...sharingRoutes,
    ...detectionRoutes,
    ...casesRoutes,
    ...requestsRoutes,
    ...caseWorkRoutes,
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: false, scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
