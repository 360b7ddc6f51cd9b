import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { recordAudit } from './platform/audit/audit-log.js';
import { Keyring } from './platform/crypto.js';
import type { Deps } from './platform/deps.js';
import type { Clock, Job } from './platform/jobs.js';
import { purgeEndedSessions } from './platform/auth/sessions.js';
import { registerAuthHook } from './platform/http/auth-hook.js';
import './platform/http/fastify-types.js';
import { logRequest } from './platform/http/log-redaction.js';
import { registerOpenApi } from './platform/http/openapi.js';
import { registerProblemHandlers } from './platform/http/problem.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import { registerWebUi } from './platform/http/web-ui.js';
import { auditContext } from './platform/scope.js';
import { aidEvidenceRoutes } from './modules/aid/aid-evidence.routes.js';
import { createAidEvidenceService } from './modules/aid/aid-evidence.service.js';
import { aidRoutes } from './modules/aid/aid.routes.js';
import { createAidService } from './modules/aid/aid.service.js';
import { applicationRoutes } from './modules/applications/applications.routes.js';
import { createApplicationService } from './modules/applications/applications.service.js';
import { documentRoutes } from './modules/documents/documents.routes.js';
import { createDocumentService } from './modules/documents/documents.service.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { caseRoutes } from './modules/cases/cases.routes.js';
import { createCaseService } from './modules/cases/cases.service.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { createNotificationService } from './modules/notifications/notifications.service.js';
import type { SmsSender } from './modules/notifications/delivery.js';
import { householdRoutes } from './modules/households/households.routes.js';
import { createHouseholdService } from './modules/households/households.service.js';
import { jurisdictionRoutes } from './modules/jurisdictions/jurisdictions.routes.js';
import { createJurisdictionService } from './modules/jurisdictions/jurisdictions.service.js';
import { createActivityPhotoService } from './modules/organizations/activity-photos.service.js';
import { activityPhotoRoutes } from './modules/organizations/activity-photos.routes.js';
import { createActivityService } from './modules/organizations/activities.service.js';
import { serviceFieldRoutes } from './modules/service-fields/service-fields.routes.js';
import { createServiceFieldService } from './modules/service-fields/service-fields.service.js';
import { directoryRoutes } from './modules/organizations/directory.routes.js';
import { createDirectoryService } from './modules/organizations/directory.service.js';
import { changeRequestRoutes } from './modules/organizations/change-requests.routes.js';
import { createChangeRequestService } from './modules/organizations/change-requests.service.js';
import { organizationRoutes } from './modules/organizations/organizations.routes.js';
import { createOrganizationService } from './modules/organizations/organizations.service.js';
import { registrySyncRoutes } from './modules/registry-sync/registry-sync.routes.js';
import { createRegistryExportService } from './modules/registry-sync/registry-exports.service.js';
import { createRegistryImportJobService } from './modules/registry-sync/registry-import-jobs.service.js';
import { createRegistryReconcileService } from './modules/registry-sync/registry-reconcile.service.js';
import { createRegistrySyncService } from './modules/registry-sync/registry-sync.service.js';
import { createDonationService } from './modules/market/donations.service.js';
import { createEntitlementService } from './modules/market/entitlements.service.js';
import { marketHouseholds } from './modules/market/market-households.js';
import { marketRoutes } from './modules/market/market.routes.js';
import { tillRoutes } from './modules/market/till.routes.js';
import { createPointsExpiry } from './modules/market/points-expiry.js';
import { createReportService } from './modules/market/reports.service.js';
import { createStockMoveService } from './modules/market/stock-moves.service.js';
import { createStoreService } from './modules/market/stores.service.js';
import { createTillService } from './modules/market/till.service.js';
import { registerCaseRiskRules } from './modules/cases/complaint-risk-rule.js';
import { registerRegistryRiskRules } from './modules/organizations/risk-rules.js';
import { RuleRegistry } from './modules/risk/rule-registry.js';
import { riskRoutes } from './modules/risk/risk.routes.js';
import { riskAlertsToCenterStaff } from './modules/risk/risk-alerts.js';
import { createRiskService } from './modules/risk/risk.service.js';
import { overviewRoutes } from './modules/overview/overview.routes.js';
import { createOverviewService } from './modules/overview/overview.service.js';
import { tokenRoutes } from './modules/tokens/tokens.routes.js';
import { createTokenService } from './modules/tokens/tokens.service.js';
import { createReverifyReminders } from './modules/households/reverify-reminders.js';
import { myVolunteerRoutes } from './modules/volunteers/my-volunteer.routes.js';
import { createVolunteerHoursService } from './modules/volunteers/volunteer-hours.service.js';
import { volunteerRoutes } from './modules/volunteers/volunteers.routes.js';
import { createVolunteerService } from './modules/volunteers/volunteers.service.js';
import { userRoutes } from './modules/users/users.routes.js';
import { createUserService } from './modules/users/users.service.js';

export interface BuildOptions {
  config: Config;
  db: Db;
  /** false in tests that do not want request logs. */
  logger?: boolean;
  /** Now, for everything with deadlines; tests pass a clock they move. */
  clock?: Clock;
  /** The SMS provider adapter; default: write messages to the log. */
  sms?: SmsSender;
  /** Where the log goes (stdout by default); tests read it to prove what it never holds. */
  logStream?: NodeJS.WritableStream;
}

export function createServices(deps: Deps) {
  const users = createUserService(deps);
  const organizations = createOrganizationService(deps);
  const householdService = createHouseholdService(deps);
  const aid = createAidService(deps, householdService);
  const volunteers = createVolunteerService(deps, householdService);
  const stores = createStoreService(deps);
  const households = marketHouseholds(deps.db, householdService);
  const entitlements = createEntitlementService(deps, households);
  // Modules register their risk rules; the engine knows none by name.
  const riskRules = new RuleRegistry();
  registerRegistryRiskRules(riskRules);
  registerCaseRiskRules(riskRules);
  const risk = createRiskService(deps, { registry: riskRules, alerts: riskAlertsToCenterStaff });
  organizations.onChanged((id) => risk.reevaluateOrganization(id));
  const registrySync = createRegistrySyncService(deps, organizations);
  return {
    market: {
      stores,
      donations: createDonationService(deps, stores),
      entitlements,
      till: createTillService(deps, stores, entitlements, households),
      reports: createReportService(deps, stores),
      moves: createStockMoveService(deps, stores),
      pointsExpiry: createPointsExpiry(deps),
    },
    organizations,
    changeRequests: createChangeRequestService(deps, organizations),
    risk,
    applications: createApplicationService(deps, organizations, users),
    documents: createDocumentService(deps, organizations),
    activities: createActivityService(deps, organizations),
    activityPhotos: createActivityPhotoService(deps, organizations),
    directory: createDirectoryService(deps, (id) => risk.publicListings(id)),
    auth: createAuthService(deps),
    users,
    jurisdictions: createJurisdictionService(deps),
    audit: createAuditService(deps),
    tokens: createTokenService(deps),
    overview: createOverviewService(deps, users),
    registrySync,
    registryImportJobs: createRegistryImportJobService(deps, registrySync),
    registryExports: createRegistryExportService(deps, organizations),
    registryReconcile: createRegistryReconcileService(deps),
    serviceFields: createServiceFieldService(deps),
    households: householdService,
    aid,
    aidEvidence: createAidEvidenceService(deps, aid),
    volunteers,
    volunteerHours: createVolunteerHoursService(deps, volunteers, householdService, entitlements),
  };
}

/** The whole HTTP application: platform plugins first, then each module under /api. */
export async function buildApp({
  config,
  db,
  logger = true,
  clock,
  sms,
  logStream,
}: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger && {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      serializers: { req: logRequest },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    bodyLimit: 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: config.trustProxy,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const keyring = new Keyring(config.secret);
  const deps: Deps = { db, config, keyring, clock };
  const services = createServices(deps);
  const notifications = createNotificationService(deps, { log: app.log, sms });
  const cases = createCaseService(deps, services.organizations, services.households);
  const reverifyReminders = createReverifyReminders(deps);
  const jobs: Job[] = [
    { name: 'purge-ended-sessions', schedule: { everyMs: 60 * 60 * 1000 }, run: () => purgeEndedSessions(db.kysely) },
    { name: 'deliver-notifications', schedule: { everyMs: 30_000 }, run: () => notifications.deliver() },
    { name: 'case-escalations', schedule: { everyMs: 60_000 }, run: () => cases.runEscalations(null) },
    // Looks every 15 minutes; scans once a day at the hour the city admin set (risk settings).
    {
      name: 'risk-scan',
      schedule: { everyMs: 15 * 60_000 },
      leaseMs: 60 * 60_000,
      run: () => services.risk.runScheduledScan(),
    },
    {
      name: 'household-reverify-reminders',
      schedule: { dailyAt: '08:30' },
      run: () => reverifyReminders.run(),
      // A first run after a large import may remind tens of thousands of households.
      leaseMs: 60 * 60 * 1000,
    },
    // Just after midnight in Shanghai: points past their program's validity expire (ADR 0016).
    {
      name: 'points-expiry',
      schedule: { dailyAt: '00:15' },
      run: () => services.market.pointsExpiry.run(),
      leaseMs: 60 * 60 * 1000,
    },
  ];
  jobs.push(
    // Background imports whose process died (a stale heartbeat) fail here too, not only when a process starts.
    {
      name: 'registry-import-recovery',
      schedule: { everyMs: 5 * 60_000 },
      run: () => services.registryImportJobs.recoverAbandonedImports(),
    },
    {
      name: 'registry-import-retention',
      schedule: { dailyAt: '03:40' },
      run: () => services.registryImportJobs.purgeImportJobs(),
    },
  );
  app.decorate('jobs', jobs);
  // A closing app lets its background imports finish (main.ts bounds the wait); the database closes after.
  app.addHook('onClose', () => services.registryImportJobs.idle());

  registerSecurityHeaders(app);
  await app.register(fastifyCookie, { secret: keyring.key('session-cookie').toString('base64') });
  await app.register(fastifyRateLimit, { global: false });

  registerProblemHandlers(app, async (req, detail) => {
    if (!req.actor) return;
    const ctx = { actor: req.actor, requestId: String(req.id), ip: req.ip };
    await db.kysely.transaction().execute((trx) =>
      recordAudit(trx, auditContext(ctx), {
        action: 'permission.denied',
        outcome: 'denied',
        details: { method: req.method, route: req.routeOptions.url ?? req.url, detail },
      }),
    );
  });
  registerAuthHook(app, db, config.mfaRoles);
  await registerOpenApi(app);

  await app.register(
    async (api) => {
      await api.register(healthRoutes, { db });
      await api.register(authRoutes, { service: services.auth, loginRatePerMinute: config.loginRatePerMinute });
      await api.register(jurisdictionRoutes, { service: services.jurisdictions });
      await api.register(userRoutes, { service: services.users });
      await api.register(auditRoutes, { service: services.audit, deps });
      await api.register(tokenRoutes, { service: services.tokens });
      await api.register(overviewRoutes, { service: services.overview });
      await api.register(organizationRoutes, { service: services.organizations, activities: services.activities });
      await api.register(changeRequestRoutes, { service: services.changeRequests });
      await api.register(directoryRoutes, { service: services.directory });
      await api.register(serviceFieldRoutes, { service: services.serviceFields });
      await api.register(applicationRoutes, {
        service: services.applications,
        ratePerMinute: config.applyRatePerMinute,
      });
      await api.register(riskRoutes, { service: services.risk });
      await api.register(documentRoutes, { service: services.documents });
      await api.register(activityPhotoRoutes, { service: services.activityPhotos });
      await api.register(notificationRoutes, { service: notifications });
      await api.register(caseRoutes, { service: cases });
      await api.register(registrySyncRoutes, {
        service: services.registrySync,
        exports: services.registryExports,
        reconcile: services.registryReconcile,
        jobs: services.registryImportJobs,
        importMaxMb: config.importMaxMb,
      });
      await api.register(householdRoutes, { service: services.households });
      await api.register(aidRoutes, { service: services.aid });
      await api.register(aidEvidenceRoutes, { service: services.aidEvidence });
      await api.register(volunteerRoutes, { service: services.volunteers, hours: services.volunteerHours });
      await api.register(myVolunteerRoutes, { hours: services.volunteerHours });
      await api.register(marketRoutes, services.market);
      await api.register(tillRoutes, services.market);
    },
    { prefix: '/api' },
  );
  await registerWebUi(app, config.webDist);
  return app;
}
