import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  balanceResponse,
  checkoutBody,
  checkoutReturnBody,
  checkoutReturnResponse,
  checkoutRecord,
  checkoutResponse,
  createProgramBody,
  entitlementResponse,
  grantPeriodBody,
  grantPeriodResponse,
  grantPointsBody,
  idParams,
  pointsExpiryResult,
  program,
  runPointsExpiryBody,
  setProgramActiveBody,
  textLine,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import { pdfHeaders } from './receipt-pdf.js';
import type { EntitlementService } from './entitlements.service.js';
import type { PointsExpiry } from './points-expiry.js';
import type { TillService } from './till.service.js';

const tags = ['supermarket'];

/** The charity supermarket's households side: entitlement programs, the points ledger, the till and returns. */
export const tillRoutes: FastifyPluginAsyncZod<{
  entitlements: EntitlementService;
  till: TillService;
  pointsExpiry: PointsExpiry;
}> = async (app, { entitlements, till, pointsExpiry }) => {
  app.post(
    '/entitlement-programs',
    {
      schema: {
        operationId: 'createEntitlementProgram',
        tags,
        summary: 'Configure points per period by hardship category, item quotas and visit limits',
        body: createProgramBody,
        response: { 201: program },
      },
      config: { permission: 'entitlement:manage' },
    },
    async (req, reply) => reply.code(201).send(await entitlements.createProgram(requestContext(req), req.body)),
  );

  app.get(
    '/entitlement-programs',
    {
      schema: {
        operationId: 'listEntitlementPrograms',
        tags,
        summary: 'The city’s entitlement programs',
        response: { 200: z.object({ items: z.array(program) }) },
      },
      config: { permission: 'market:read' },
    },
    async () => ({ items: await entitlements.listPrograms() }),
  );

  app.patch(
    '/entitlement-programs/:id',
    {
      schema: {
        operationId: 'setEntitlementProgramActive',
        tags,
        summary: 'Switch a program on or off; two active programs never cover one category',
        params: idParams,
        body: setProgramActiveBody,
        response: { 200: program },
      },
      config: { permission: 'entitlement:manage' },
    },
    async (req) => entitlements.setProgramActive(requestContext(req), req.params.id, req.body.active),
  );

  app.post(
    '/points/period-grants',
    {
      schema: {
        operationId: 'grantProgramPeriod',
        tags,
        summary: 'Grant a program’s points for this period to every eligible household in the caller’s subtree, once',
        body: grantPeriodBody,
        response: { 201: grantPeriodResponse },
      },
      config: { permission: 'points:grant' },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await entitlements.grantPeriod(requestContext(req), req.body.programId, req.body.jurisdictionId)),
  );

  app.post(
    '/points/grants',
    {
      schema: {
        operationId: 'grantPoints',
        tags,
        summary: 'Grant points to a household under the program covering its category',
        body: grantPointsBody,
        response: { 201: balanceResponse },
      },
      config: { permission: 'points:grant' },
    },
    async (req, reply) => reply.code(201).send(await entitlements.grantPoints(requestContext(req), req.body)),
  );

  app.post(
    '/points/expiry-runs',
    {
      schema: {
        operationId: 'runPointsExpiry',
        tags,
        summary: 'Expire unspent points past their program’s validity now (the daily job does the same); idempotent',
        body: runPointsExpiryBody,
        response: { 201: pointsExpiryResult },
      },
      config: { permission: 'entitlement:manage' },
    },
    async (req, reply) => reply.code(201).send(await pointsExpiry.run(requestContext(req))),
  );

  app.get(
    '/households/:id/balance',
    {
      schema: {
        operationId: 'getHouseholdBalance',
        tags,
        summary: 'A household’s points, from the points ledger, and when points expire next',
        params: idParams,
        response: { 200: balanceResponse },
      },
      config: { permission: 'market:read' },
    },
    async (req) => entitlements.getBalance(requestContext(req), req.params.id),
  );

  app.get(
    '/households/:id/entitlement',
    {
      schema: {
        operationId: 'getHouseholdEntitlement',
        tags,
        summary: 'What the till shows: points, quotas and visits left this period, whether it may redeem',
        params: idParams,
        response: { 200: entitlementResponse },
      },
      config: { permission: 'market:read' },
    },
    async (req) => entitlements.getEntitlement(requestContext(req), req.params.id),
  );

  app.post(
    '/checkouts',
    {
      schema: {
        operationId: 'checkout',
        tags,
        summary: 'A sale at the till (Idempotency-Key header required): goods out and points spent, or nothing',
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: checkoutBody,
        response: { 201: checkoutResponse },
      },
      config: { permission: 'till:checkout' },
    },
    async (req, reply) => {
      const { replayed, ...sale } = await till.checkout(requestContext(req), req.body, req.headers['idempotency-key']);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(sale);
    },
  );

  app.get(
    '/checkouts',
    {
      schema: {
        operationId: 'listCheckouts',
        tags,
        summary: 'Sales in the caller’s subtree, newest first; by store or receipt number',
        querystring: z.strictObject({
          storeId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
          receiptNo: textLine(40).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ items: z.array(checkoutRecord) }) },
      },
      config: { permission: 'market:read' },
    },
    async (req) => ({ items: await till.listCheckouts(requestContext(req), req.query) }),
  );

  app.post(
    '/checkouts/:id/returns',
    {
      schema: {
        operationId: 'returnCheckout',
        tags,
        summary:
          'Goods brought back from a sale, with a reason (center staff): stock back in, the points refunded at the sale’s prices; never more than was sold less earlier returns',
        params: idParams,
        body: checkoutReturnBody,
        response: { 201: checkoutReturnResponse },
      },
      config: { permission: 'store:manage' },
    },
    async (req, reply) => reply.code(201).send(await till.returnCheckout(requestContext(req), req.params.id, req.body)),
  );

  app.get(
    '/checkouts/:id/receipt',
    {
      schema: {
        operationId: 'getCheckoutReceipt',
        tags,
        summary: 'The sale’s receipt as a printable PDF',
        params: idParams,
      },
      config: { permission: 'market:read' },
    },
    async (req, reply) => {
      const { pdf, receiptNo } = await till.receiptPdf(requestContext(req), req.params.id);
      return reply.headers(pdfHeaders(receiptNo)).send(pdf);
    },
  );
};
