import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { toAmendBody, toApplicationParts } from './application-fields.js';
import type { ApplicationFormValues } from './application-fields.js';

const values = (over: Partial<ApplicationFormValues['organization']> = {}, pic = {}): ApplicationFormValues => ({
  organization: { kind: 'community_org', name: ' 浦江阳光助老服务队 ', address: ' ', fields: [], ...over },
  personInCharge: { name: ' 王芳 ', idNumber: '11010519491231002x', phone: ' 13912345671 ', ...pic },
});

describe('application form values', () => {
  it('trims, normalizes and leaves out empty optionals', () => {
    expect(toApplicationParts(values())).toEqual({
      organization: { kind: 'community_org', name: '浦江阳光助老服务队' },
      personInCharge: { name: '王芳', idNumber: '11010519491231002X', phone: '13912345671' },
    });
  });

  it('sends the USCC of a registered kind only, and the founding date as a day', () => {
    const registered = toApplicationParts(
      values({ kind: 'foundation', uscc: '53310000msa00000xq', foundedOn: dayjs('2020-05-04') }),
    );
    expect(registered.organization).toMatchObject({ uscc: '53310000MSA00000XQ', foundedOn: '2020-05-04' });
    expect(toApplicationParts(values({ uscc: '53310000MSA00000XQ' })).organization).not.toHaveProperty('uscc');
  });

  it('amends the person in charge only when the masked ID number and phone were typed again', () => {
    expect(toAmendBody(values({}, { idNumber: '', phone: '' }))).not.toHaveProperty('personInCharge');
    expect(toAmendBody(values())).toHaveProperty('personInCharge.phone', '13912345671');
  });
});
