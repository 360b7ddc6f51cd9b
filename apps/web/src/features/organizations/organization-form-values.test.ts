import type { Organization, Permission } from '@qiao/contracts';
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { fromOrganization, toCreateBody, toUpdateBody } from './organization-form-values.js';
import { allowedTargets } from './organizations-api.js';

const org: Organization = {
  id: 7,
  kind: 'community_org',
  name: '阳光助老队',
  nameEn: null,
  uscc: null,
  usccWarning: null,
  filingNumber: '310101001-2025-0001',
  status: 'draft',
  jurisdictionId: 3,
  foundedOn: '2020-05-01',
  registeredOn: null,
  registrationAuthority: null,
  supervisingUnit: null,
  address: '幸福路 1 号',
  personInCharge: { name: '张三', idNumber: '3101**********0839', phone: '138****8000', masked: true },
  fields: ['elderly_care'],
  membersCount: 12,
  staffCount: null,
  volunteersCount: null,
  needs: { tags: ['场地'], text: '缺少活动室' },
  capabilities: null,
  partyBranch: { kind: 'liaison', secretary: '李四' },
  certificateExpiresOn: null,
  contactStatus: 'reachable',
  unreachableSince: null,
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('toCreateBody', () => {
  it('sends a registered organization its normalized USCC and registration data', () => {
    const body = toCreateBody({
      kind: 'social_group',
      name: ' 区书画协会 ',
      uscc: '５１３１０１０１ｍｊ００００００１１',
      jurisdictionId: 3,
      foundedOn: dayjs('2019-03-04'),
      registeredOn: dayjs('2019-04-01'),
      personInCharge: { name: '王五', idNumber: '11010519491231002x', phone: '138-0000-8000' },
      fields: [],
      membersCount: null,
      needs: { tags: [' 资金 ', ''], text: '' },
      partyBranch: { kind: 'none', membersCount: 3, commitmentLetter: true },
    });
    expect(body).toEqual({
      kind: 'social_group',
      uscc: '51310101MJ00000011',
      jurisdictionId: 3,
      name: '区书画协会',
      foundedOn: '2019-03-04',
      registeredOn: '2019-04-01',
      personInCharge: { name: '王五', idNumber: '11010519491231002X', phone: '13800008000' },
      needs: { tags: ['资金'] },
      partyBranch: { kind: 'none', commitmentLetter: true },
    });
  });

  it('never sends a USCC or registration data for a community organization', () => {
    const body = toCreateBody({
      kind: 'community_org',
      name: '编织小组',
      uscc: '51310101MJ00000011',
      registeredOn: dayjs('2019-04-01'),
      jurisdictionId: 3,
    });
    expect(body).toEqual({ kind: 'community_org', name: '编织小组', jurisdictionId: 3 });
  });

  it('drops a person in charge without a name', () => {
    expect(
      toCreateBody({ kind: 'community_org', name: 'x', jurisdictionId: 1, personInCharge: {} }),
    ).not.toHaveProperty('personInCharge');
  });
});

describe('toUpdateBody', () => {
  it('is empty when nothing changed, and never sends the masked values back', () => {
    expect(toUpdateBody(fromOrganization(org), org)).toEqual({});
  });

  it('carries only the changed fields', () => {
    const values = {
      ...fromOrganization(org),
      address: '幸福路 2 号',
      fields: ['elderly_care' as const, 'health' as const],
    };
    expect(toUpdateBody(values, org)).toEqual({ address: '幸福路 2 号', fields: ['elderly_care', 'health'] });
  });

  it('sends emptied lists empty', () => {
    expect(toUpdateBody({ ...fromOrganization(org), fields: [], needs: { tags: [] } }, org)).toEqual({
      fields: [],
      needs: { tags: [] },
    });
  });

  it('sends the person in charge when a new phone is typed', () => {
    const values = { ...fromOrganization(org), personInCharge: { name: '张三', phone: '13900001111' } };
    expect(toUpdateBody(values, org)).toEqual({ personInCharge: { name: '张三', phone: '13900001111' } });
  });

  it('sends the contact status when it changes', () => {
    expect(toUpdateBody({ ...fromOrganization(org), contactStatus: 'unreachable' }, org)).toEqual({
      contactStatus: 'unreachable',
    });
  });
});

describe('allowedTargets', () => {
  const holding =
    (...held: string[]) =>
    (p: Permission) =>
      held.includes(p);

  it('offers staff who manage every move of the lifecycle from the current status', () => {
    expect(allowedTargets('draft', holding('organization:manage'), false)).toEqual(['submitted', 'active']);
    expect(allowedTargets('active', holding('organization:manage'), false)).toEqual([
      'dormant',
      'suspended',
      'deregistered',
    ]);
    expect(allowedTargets('deregistered', holding('organization:manage'), false)).toEqual([]);
  });

  it('lets a district deregister and nothing else, and an organization submit its own draft', () => {
    expect(allowedTargets('active', holding('organization:deregister'), false)).toEqual(['deregistered']);
    expect(allowedTargets('draft', holding(), true)).toEqual(['submitted']);
    expect(allowedTargets('draft', holding(), false)).toEqual([]);
  });
});
