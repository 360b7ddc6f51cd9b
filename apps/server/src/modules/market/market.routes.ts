import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  balanceResponse,
  checkoutBody,
  checkoutReturnBody,
  checkoutReturnResponse,
  checkoutRecord,
  checkoutResponse,
  createItemBody,
  createProgramBody,
  createStoreBody,
  donation,
  entitlementResponse,
  grantPeriodBody,
  grantPeriodResponse,
  grantPointsBody,
  idParams,
  item,
  listDonationsQuery,
  listItemsQuery,
  listLotsQuery,
  listMovementsQuery,
  listStoresQuery,
  pointsExpiryResult,
  program,
  recordDonationBody,
  recordStockMovementsBody,
  reverseMovementBody,
  runPointsExpiryBody,
  setProgramActiveBody,
  stockLot,
  stockMovement,
  stockResponse,
  stockTakeBody,
  storeReport,
  storeReportExportQuery,
  storeReportQuery,
  store,
  transferBody,
  textLine,
  updateItemBody,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { DonationService } from './donations.service.js';
import type { EntitlementService } from './entitlements.service.js';
import type { PointsExpiry } from './points-expiry.js';
import type { ReportService } from './reports.service.js';
import type { StockMoveService } from './stock-moves.service.js';
import type { StoreService } from './stores.service.js';
import type { TillService } from './till.service.js';

const tags = ['supermarket'];
const pdfHeaders = (name: string) => ({
  'content-type': 'application/pdf',
  'content-disposition': `inline; filename="${name.replace(/[^\w.-]/g, '_')}.pdf"`,
  'cache-control': 'no-store',
});

/** The charity supermarket: stores, catalogue, stock ledger, donations, entitlements, points and the till. */
export const marketRoutes: FastifyPluginAsyncZod<{
  stores: StoreService;
  donations: DonationService;
  entitlements: EntitlementService;
  till: TillService;
  reports: ReportService;
  moves: StockMoveService;
  pointsExpiry: PointsExpiry;
}> = async (app, { stores, donations, entitlements, till, reports, moves, pointsExpiry }) => {
  app.post(
    '/stores',
    {
      schema: {
        operationId: 'createStore',
        tags,
        summary: 'Open a store or warehouse of a subdistrict’s center',
        body: createStoreBody,
        response: { 201: store },
      },
      config: { permission: 'store:manage' },
    },
    async (req, reply) => reply.code(201).send(await stores.createStore(requestContext(req), req.body)),
  );

  app.get(
    '/stores',
    {
      schema: {
        operationId: 'listStores',
        tags,
        summary: 'Stores in the caller’s subtree',
        querystring: listStoresQuery,
        response: { 200: z.object({ items: z.array(store) }) },
      },
      config: { permission: 'market:read' },
    },
    async (req) => ({ items: await stores.listStores(requestContext(req), req.query) }),
  );

  app.get(
    '/stores/:id/stock',
    {
      schema: {
        operationId: 'getStock',
        tags,
        summary: 'On-hand of every item the store has held, from the stock ledger',
        params: idParams,
        response: { 200: stockResponse },
      },
      config: { permission: 'market:read' },
    },
    async (req) => stores.getStock(requestContext(req), req.params.id),
  );

  app.get(
    '/stores/:id/movements',
    {
      schema: {
        operationId: 'listStockMovements',
        tags,
        summary: 'The store’s stock ledger, newest first',
        params: idParams,
        querystring: listMovementsQuery,
        response: { 200: z.object({ items: z.array(stockMovement) }) },
      },
      config: { permission: 'market:read' },
    },
    async (req) => ({ items: await stores.listMovements(requestContext(req), req.params.id, req.query) }),
  );

  app.post(
    '/stores/:id/movements',
    {
      schema: {
        operationId: 'recordStockMovements',
        tags,
        summary:
          'Goods bought with operating money in (a tracked item with its expiry date), or expired and damaged goods written off (by lot or first-expiry-first), with a reason',
        params: idParams,
        body: recordStockMovementsBody,
        response: { 201: z.object({ count: z.number() }) },
      },
      config: { permission: 'store:manage' },
    },
    async (req, reply) =>
      reply.code(201).send(await moves.recordStockMovements(requestContext(req), req.params.id, req.body)),
  );

  app.post(
    '/stores/:id/stock-takes',
    {
      schema: {
        operationId: 'recordStockTake',
        tags,
        summary: 'Counted quantities; posts an adjustment for every item whose count differs',
        params: idParams,
        body: stockTakeBody,
        response: {
          201: z.object({
            counted: z.number(),
            adjustments: z.array(
              z.object({ itemId: z.number(), before: z.number(), counted: z.number(), difference: z.number() }),
            ),
          }),
        },
      },
      config: { permission: 'store:manage' },
    },
    async (req, reply) => reply.code(201).send(await moves.stockTake(requestContext(req), req.params.id, req.body)),
  );

  app.post(
    '/stores/:id/transfers',
    {
      schema: {
        operationId: 'transferStock',
        tags,
        summary: 'Move goods to another store: a transfer_out and transfer_in pair',
        params: idParams,
        body: transferBody,
        response: { 201: z.object({ count: z.number() }) },
      },
      config: { permission: 'store:manage' },
    },
    async (req, reply) => reply.code(201).send(await moves.transfer(requestContext(req), req.params.id, req.body)),
  );

  app.get(
    '/stores/:id/lots',
    {
      schema: {
        operationId: 'listStockLots',
        tags,
        summary:
          'The store’s lots with stock and their expiry dates, soonest first (only those expiring within N days when asked)',
        params: idParams,
        querystring: listLotsQuery,
        response: { 200: z.object({ items: z.array(stockLot) }) },
      },
      config: { permission: 'market:read' },
    },
    async (req) => ({ items: await stores.listLots(requestContext(req), req.params.id, req.query) }),
  );

  app.get(
    '/stores/:id/funds',
    {
      schema: {
        operationId: 'getStoreFunds',
        tags,
        summary: 'Money by fund: donated money apart from operating money',
        params: idParams,
        response: { 200: z.object({ donatedFen: z.number(), operatingFen: z.number() }) },
      },
      config: { permission: 'market:read' },
    },
    async (req) => donations.funds(requestContext(req), req.params.id),
  );

  app.get(
    '/stores/:id/report',
    {
      schema: {
        operationId: 'getStoreReport',
        tags,
        summary: 'A store’s period: goods in by source and out, sales, households served, top items, stock',
        params: idParams,
        querystring: storeReportQuery,
        response: { 200: storeReport },
      },
      config: { permission: 'market:read' },
    },
    async (req) => reports.report(requestContext(req), req.params.id, req.query),
  );

  app.get(
    '/stores/:id/report/export',
    {
      schema: {
        operationId: 'exportStoreReport',
        tags,
        summary: 'The store’s period report as CSV or XLSX',
        params: idParams,
        querystring: storeReportExportQuery,
      },
      config: { permission: 'market:read' },
    },
    async (req, reply) => {
      const { format, ...period } = req.query;
      const file = await reports.exportReport(requestContext(req), req.params.id, period, format);
      return reply
        .type(file.type)
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );

  app.post(
    '/stock-movements/:id/reverse',
    {
      schema: {
        operationId: 'reverseStockMovement',
        tags,
        summary: 'Correct a mistaken donation, purchase, adjustment or write-off by its opposite entry',
        params: idParams,
        body: reverseMovementBody,
        response: { 201: z.object({ reversed: z.number() }) },
      },
      config: { permission: 'store:manage' },
    },
    async (req, reply) =>
      reply.code(201).send(await stores.reverseMovement(requestContext(req), req.params.id, req.body)),
  );

  app.post(
    '/items',
    {
      schema: {
        operationId: 'createItem',
        tags,
        summary: 'Add an item to the city-wide catalogue (EAN-13 barcode checked)',
        body: createItemBody,
        response: { 201: item },
      },
      config: { permission: 'catalogue:manage' },
    },
    async (req, reply) => reply.code(201).send(await stores.createItem(requestContext(req), req.body)),
  );

  app.patch(
    '/items/:id',
    {
      schema: {
        operationId: 'updateItem',
        tags,
        summary: 'Switch an item’s expiry tracking by lot on or off (only while no store holds it)',
        params: idParams,
        body: updateItemBody,
        response: { 200: item },
      },
      config: { permission: 'catalogue:manage' },
    },
    async (req) => stores.updateItem(requestContext(req), req.params.id, req.body),
  );

  app.get(
    '/items',
    {
      schema: {
        operationId: 'listItems',
        tags,
        summary: 'The city-wide catalogue, by name or barcode',
        querystring: listItemsQuery,
        response: { 200: z.object({ items: z.array(item) }) },
      },
      config: { permission: 'market:read' },
    },
    async (req) => ({ items: await stores.listItems(req.query) }),
  );

  app.post(
    '/donations',
    {
      schema: {
        operationId: 'recordDonation',
        tags,
        summary: 'Record donated goods and/or money; numbers the receipt',
        body: recordDonationBody,
        response: { 201: donation },
      },
      config: { permission: 'donation:record' },
    },
    async (req, reply) => reply.code(201).send(await donations.recordDonation(requestContext(req), req.body)),
  );

  app.get(
    '/donations',
    {
      schema: {
        operationId: 'listDonations',
        tags,
        summary: 'Donations in the caller’s subtree, newest first',
        querystring: listDonationsQuery,
        response: { 200: z.object({ items: z.array(donation) }) },
      },
      config: { permission: 'market:read' },
    },
    async (req) => ({ items: await donations.listDonations(requestContext(req), req.query) }),
  );

  app.get(
    '/donations/:id',
    {
      schema: {
        operationId: 'getDonation',
        tags,
        summary: 'One donation',
        params: idParams,
        response: { 200: donation },
      },
      config: { permission: 'market:read' },
    },
    async (req) => donations.getDonation(requestContext(req), req.params.id),
  );

  app.get(
    '/donations/:id/receipt',
    {
      schema: {
        operationId: 'getDonationReceipt',
        tags,
        summary: 'The donation receipt as a printable PDF',
        params: idParams,
      },
      config: { permission: 'market:read' },
    },
    async (req, reply) => {
      const { pdf, receiptNo } = await donations.receiptPdf(requestContext(req), req.params.id);
      return reply.headers(pdfHeaders(receiptNo)).send(pdf);
    },
  );

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
