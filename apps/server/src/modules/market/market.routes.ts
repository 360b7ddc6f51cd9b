import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createItemBody,
  createStoreBody,
  donation,
  idParams,
  item,
  listDonationsQuery,
  listItemsQuery,
  listLotsQuery,
  listMovementsQuery,
  listStoresQuery,
  recordDonationBody,
  recordStockMovementsBody,
  reverseMovementBody,
  stockLot,
  stockMovement,
  stockResponse,
  stockTakeBody,
  storeReport,
  storeReportExportQuery,
  storeReportQuery,
  store,
  transferBody,
  updateItemBody,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import { pdfHeaders } from './receipt-pdf.js';
import type { DonationService } from './donations.service.js';
import type { ReportService } from './reports.service.js';
import type { StockMoveService } from './stock-moves.service.js';
import type { StoreService } from './stores.service.js';

const tags = ['supermarket'];

/** The charity supermarket's goods: stores, catalogue, stock ledger, lots, donations, reports (the till and points: till.routes.ts). */
export const marketRoutes: FastifyPluginAsyncZod<{
  stores: StoreService;
  donations: DonationService;
  reports: ReportService;
  moves: StockMoveService;
}> = async (app, { stores, donations, reports, moves }) => {
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
};
