import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  abnormalListing,
  idParams,
  listAbnormalListingsQuery,
  listAbnormalListingsResponse,
  listRiskOrganizationsQuery,
  listRiskOrganizationsResponse,
  listRiskRulesResponse,
  organizationRisk,
  removeAbnormalListingBody,
  riskRule,
  riskSettings,
  riskSummary,
  riskSummaryQuery,
  ruleIdParams,
  runRiskScanBody,
  runRiskScanResponse,
  updateRiskRuleBody,
  updateRiskSettingsBody,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { RiskService } from './risk.service.js';

const tags = ['risk'];

export const riskRoutes: FastifyPluginAsyncZod<{ service: RiskService }> = async (app, { service }) => {
  app.get(
    '/risk-rules',
    {
      schema: {
        operationId: 'listRiskRules',
        tags,
        summary: 'The risk rules with their weights and parameters, and the level thresholds',
        response: { 200: listRiskRulesResponse },
      },
      config: { permission: 'risk:read' },
    },
    async () => service.listRiskRules(),
  );

  app.patch(
    '/risk-rules/:id',
    {
      schema: {
        operationId: 'updateRiskRule',
        tags,
        summary: 'Change a rule’s weight, switch or parameters (each checked against the rule’s range)',
        params: ruleIdParams,
        body: updateRiskRuleBody,
        response: { 200: riskRule },
      },
      config: { permission: 'risk:manage' },
    },
    async (req) => service.updateRiskRule(requestContext(req), req.params.id, req.body),
  );

  app.put(
    '/risk-settings',
    {
      schema: {
        operationId: 'updateRiskSettings',
        tags,
        summary: 'Level thresholds (score at or above each) and the hour of the nightly scan',
        body: updateRiskSettingsBody,
        response: { 200: riskSettings },
      },
      config: { permission: 'risk:manage' },
    },
    async (req) => service.updateRiskSettings(requestContext(req), req.body),
  );

  app.post(
    '/risk-scans',
    {
      schema: {
        operationId: 'runRiskScan',
        tags,
        summary: 'Scan every active, dormant or suspended organization now',
        body: runRiskScanBody,
        response: { 200: runRiskScanResponse },
      },
      config: { permission: 'risk:scan' },
    },
    async (req) => service.runRiskScan(requestContext(req)),
  );

  app.get(
    '/organizations/:id/risk',
    {
      schema: {
        operationId: 'getOrganizationRisk',
        tags,
        summary: 'An organization’s risk level and why: the rules that fired, their evidence, since when',
        params: idParams,
        response: { 200: organizationRisk },
      },
      config: { permission: 'risk:read' },
    },
    async (req) => service.getOrganizationRisk(requestContext(req), req.params.id),
  );

  app.get(
    '/risk-organizations',
    {
      schema: {
        operationId: 'listRiskOrganizations',
        tags,
        summary: 'Organizations above green in the caller’s subtree, highest score first',
        querystring: listRiskOrganizationsQuery,
        response: { 200: listRiskOrganizationsResponse },
      },
      config: { permission: 'risk:read' },
    },
    async (req) => service.listRiskOrganizations(requestContext(req), req.query),
  );

  app.get(
    '/risk-summary',
    {
      schema: {
        operationId: 'getRiskSummary',
        tags,
        summary: 'Organizations by risk level, new signals this week, organizations on the abnormal-activity list',
        querystring: riskSummaryQuery,
        response: { 200: riskSummary },
      },
      config: { permission: 'risk:read' },
    },
    async (req) => service.getRiskSummary(requestContext(req), req.query),
  );

  app.get(
    '/abnormal-listings',
    {
      schema: {
        operationId: 'listAbnormalListings',
        tags,
        summary: 'The abnormal-activity list (活动异常名录) of the caller’s subtree: current or ended listings',
        querystring: listAbnormalListingsQuery,
        response: { 200: listAbnormalListingsResponse },
      },
      config: { permission: 'risk:read' },
    },
    async (req) => service.listAbnormalListings(requestContext(req), req.query),
  );

  app.post(
    '/abnormal-listings/:id/removal',
    {
      schema: {
        operationId: 'removeAbnormalListing',
        tags,
        summary: 'Take an organization off the abnormal-activity list: it rectified, with the evidence',
        params: idParams,
        body: removeAbnormalListingBody,
        response: { 200: abnormalListing },
      },
      config: { permission: 'abnormal_list:manage' },
    },
    async (req) => service.removeAbnormalListing(requestContext(req), req.params.id, req.body.evidence),
  );
};
