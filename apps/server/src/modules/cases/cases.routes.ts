import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignCaseBody,
  caseAssignees,
  caseDetail,
  caseReferralTargets,
  casePage,
  caseRoutingRule,
  caseStats,
  caseStatsQuery,
  commentCaseBody,
  createCaseBody,
  declineReferralBody,
  emptyBody,
  idParams,
  listCasesQuery,
  referCaseBody,
  reopenCaseBody,
  resolveCaseBody,
  runEscalationsResult,
  setCaseRoutingRuleBody,
  slaPolicy,
  updateSlaPolicyBody,
  type Permission,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { CaseService } from './cases.service.js';

const tags = ['cases'];
const READ: Permission[] = ['case:report', 'case:work'];

export const caseRoutes: FastifyPluginAsyncZod<{ service: CaseService }> = async (app, { service }) => {
  app.post(
    '/cases',
    {
      schema: {
        operationId: 'createCase',
        tags,
        summary: 'Report a case in a subdistrict; it is routed to a department or the center queue',
        body: createCaseBody,
        response: { 201: caseDetail },
      },
      config: { permission: 'case:report' },
    },
    async (req, reply) => reply.code(201).send(await service.createCase(requestContext(req), req.body)),
  );

  app.get(
    '/cases',
    {
      schema: {
        operationId: 'listCases',
        tags,
        summary: 'Cases the caller may see, newest first; filter by overdue, status, jurisdiction, escalation',
        querystring: listCasesQuery,
        response: { 200: casePage },
      },
      config: { permission: READ },
    },
    async (req) => service.listCases(requestContext(req), req.query),
  );

  app.get(
    '/cases/:id',
    {
      schema: {
        operationId: 'getCase',
        tags,
        summary: 'One case with its timeline, referrals and what the caller may do now',
        params: idParams,
        response: { 200: caseDetail },
      },
      config: { permission: READ },
    },
    async (req) => service.getCase(requestContext(req), req.params.id),
  );

  app.get(
    '/cases/:id/assignees',
    {
      schema: {
        operationId: 'listCaseAssignees',
        tags,
        summary: 'Who the case may be assigned to',
        params: idParams,
        response: { 200: caseAssignees },
      },
      config: { permission: 'case:work' },
    },
    async (req) => service.listCaseAssignees(requestContext(req), req.params.id),
  );

  app.get(
    '/cases/:id/referral-targets',
    {
      schema: {
        operationId: 'listCaseReferralTargets',
        tags,
        summary: 'Departments the case may be referred to: at its subdistrict or above it',
        params: idParams,
        response: { 200: caseReferralTargets },
      },
      config: { permission: 'case:work' },
    },
    async (req) => service.listCaseReferralTargets(requestContext(req), req.params.id),
  );

  const step = (
    path: string,
    operationId: string,
    summary: string,
    body: z.ZodType,
    run: (ctx: ReturnType<typeof requestContext>, id: number, body: never) => Promise<unknown>,
  ) =>
    app.post(
      `/cases/:id/${path}`,
      {
        schema: { operationId, tags, summary, params: idParams, body, response: { 200: caseDetail } },
        config: { permission: 'case:work' },
      },
      async (req) => run(requestContext(req), req.params.id, req.body as never) as never,
    );

  step('acknowledge', 'acknowledgeCase', 'Acknowledge an open case', emptyBody, (ctx, id) =>
    service.acknowledgeCase(ctx, id),
  );
  step('resolve', 'resolveCase', 'Resolve an acknowledged case with its outcome', resolveCaseBody, (ctx, id, b) =>
    service.resolveCase(ctx, id, (b as z.infer<typeof resolveCaseBody>).outcome),
  );
  step('reopen', 'reopenCase', 'Reopen a resolved case, with the reason', reopenCaseBody, (ctx, id, b) =>
    service.reopenCase(ctx, id, (b as z.infer<typeof reopenCaseBody>).reason),
  );
  step('assign', 'assignCase', 'Assign a case to someone who can work it', assignCaseBody, (ctx, id, b) =>
    service.assignCase(ctx, id, (b as z.infer<typeof assignCaseBody>).assigneeId),
  );
  step(
    'refer',
    'referCase',
    'Refer a case to another department, which accepts or declines',
    referCaseBody,
    (ctx, id, b) => {
      const body = b as z.infer<typeof referCaseBody>;
      return service.referCase(ctx, id, body.departmentId, body.reason);
    },
  );
  step(
    'referral/accept',
    'acceptCaseReferral',
    'Accept the referral of a case to my department',
    emptyBody,
    (ctx, id) => service.decideReferral(ctx, id, 'accept'),
  );
  step(
    'referral/decline',
    'declineCaseReferral',
    'Decline the referral of a case to my department, with the reason',
    declineReferralBody,
    (ctx, id, b) => service.decideReferral(ctx, id, 'decline', (b as z.infer<typeof declineReferralBody>).reason),
  );

  app.post(
    '/cases/:id/comments',
    {
      schema: {
        operationId: 'commentOnCase',
        tags,
        summary: 'Add a comment to a case’s timeline',
        params: idParams,
        body: commentCaseBody,
        response: { 200: caseDetail },
      },
      config: { permission: READ },
    },
    async (req) => service.commentCase(requestContext(req), req.params.id, req.body),
  );

  app.post(
    '/case-escalations',
    {
      schema: {
        operationId: 'runEscalations',
        tags,
        summary: 'Escalate every case past its deadline one level up the tree (also runs on a schedule)',
        body: emptyBody,
        response: { 200: runEscalationsResult },
      },
      config: { permission: 'case:configure' },
    },
    async (req) => service.runEscalations(requestContext(req)),
  );

  app.get(
    '/case-stats',
    {
      schema: {
        operationId: 'getCaseStats',
        tags,
        summary: 'Open, overdue and escalated cases per subdistrict of the caller’s subtree',
        querystring: caseStatsQuery,
        response: { 200: caseStats },
      },
      config: { permission: 'overview:read' },
    },
    async (req) => service.caseStats(requestContext(req), req.query.jurisdictionId),
  );

  app.get(
    '/sla-policies',
    {
      schema: {
        operationId: 'listSlaPolicies',
        tags,
        summary: 'Minutes to acknowledge and to resolve, per severity',
        response: { 200: z.object({ items: z.array(slaPolicy) }) },
      },
      config: { permission: ['case:work', 'case:configure'] },
    },
    async () => service.settings.listSlaPolicies(),
  );

  app.put(
    '/sla-policies',
    {
      schema: {
        operationId: 'updateSlaPolicy',
        tags,
        summary: 'Set the minutes to acknowledge and to resolve for one severity (0 = due at once)',
        body: updateSlaPolicyBody,
        response: { 200: slaPolicy },
      },
      config: { permission: 'case:configure' },
    },
    async (req) => service.settings.updateSlaPolicy(requestContext(req), req.body),
  );

  app.get(
    '/case-routing-rules',
    {
      schema: {
        operationId: 'listCaseRoutingRules',
        tags,
        summary: 'Routing rules per category and jurisdiction in the caller’s subtree',
        response: { 200: z.object({ items: z.array(caseRoutingRule) }) },
      },
      config: { permission: 'case:configure' },
    },
    async (req) => service.settings.listCaseRoutingRules(requestContext(req)),
  );

  app.put(
    '/case-routing-rules',
    {
      schema: {
        operationId: 'setCaseRoutingRule',
        tags,
        summary: 'Route a category at a jurisdiction (and below) to a department or the center queue',
        body: setCaseRoutingRuleBody,
        response: { 200: caseRoutingRule },
      },
      config: { permission: 'case:configure' },
    },
    async (req) => service.settings.setCaseRoutingRule(requestContext(req), req.body),
  );

  app.delete(
    '/case-routing-rules/:id',
    {
      schema: {
        operationId: 'deleteCaseRoutingRule',
        tags,
        summary: 'Remove a routing rule; cases of that category fall back to the next rule up, or the center',
        params: idParams,
        response: { 204: z.null() },
      },
      config: { permission: 'case:configure' },
    },
    async (req, reply) => {
      await service.settings.deleteCaseRoutingRule(requestContext(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
