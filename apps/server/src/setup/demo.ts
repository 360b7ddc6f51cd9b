import type { DepartmentKind, Role } from '@qiao/contracts';
import type { Deps } from '../platform/deps.js';
import { systemActor, type RequestContext } from '../platform/scope.js';
import { createJurisdictionService } from '../modules/jurisdictions/jurisdictions.service.js';
import { createUserService } from '../modules/users/users.service.js';
import { seedDemoOrganizations } from './demo-organizations.js';
import { generatePassword } from './generate-password.js';
import type { Printer } from './first-run.js';

const districts = [
  {
    name: '黄浦区',
    nameEn: 'Huangpu District',
    suffix: '01',
    streets: [
      ['南京东路街道', 'Nanjing East Road Subdistrict', '002'],
      ['外滩街道', 'The Bund Subdistrict', '013'],
    ],
  },
  {
    name: '徐汇区',
    nameEn: 'Xuhui District',
    suffix: '04',
    streets: [
      ['徐家汇街道', 'Xujiahui Subdistrict', '011'],
      ['天平路街道', 'Tianping Road Subdistrict', '004'],
    ],
  },
  {
    name: '静安区',
    nameEn: "Jing'an District",
    suffix: '06',
    streets: [
      ['静安寺街道', "Jing'an Temple Subdistrict", '014'],
      ['曹家渡街道', 'Caojiadu Subdistrict', '015'],
    ],
  },
] as const;

const departments: { name: string; kinds: DepartmentKind[] }[] = [
  { name: '民政科', kinds: ['civil_affairs'] },
  { name: '老龄办', kinds: ['elderly_affairs'] },
  { name: '社区卫生服务中心', kinds: ['health'] },
  { name: '平安办', kinds: ['safety'] },
];

/**
 * A living demo city: 3 districts, 6 subdistricts with service centers and departments, about 300
 * organizations, and a few staff accounts whose generated passwords are printed once. Built through the services, so
 * every row is validated and audited (as the actor demo-seed) like an administrator's entry.
 */
export async function seedDemo(deps: Deps, root: { id: number; path: string; code: string }, print: Printer) {
  const ctx: RequestContext = { actor: systemActor(root, 'demo-seed'), requestId: null, ip: null };
  const places = createJurisdictionService(deps);
  const users = createUserService(deps);
  const accounts: { username: string; role: Role; where: string; password: string }[] = [];
  const addUser = async (
    username: string,
    displayName: string,
    role: Role,
    jurisdictionId: number,
    where: string,
    departmentId?: number,
  ) => {
    const password = generatePassword();
    await users.createUser(ctx, { username, password, displayName, role, jurisdictionId, departmentId });
    accounts.push({ username, role, where, password });
  };

  const streets: { id: number; code: string }[] = [];
  for (const [i, d] of districts.entries()) {
    const districtCode = `${root.code.slice(0, 2)}01${d.suffix}`;
    const district = await places.createJurisdiction(ctx, {
      name: d.name,
      nameEn: d.nameEn,
      level: 'district',
      parentId: root.id,
      code: districtCode,
    });
    for (const [j, [name, nameEn, suffix]] of d.streets.entries()) {
      const street = await places.createJurisdiction(ctx, {
        name,
        nameEn,
        level: 'subdistrict',
        parentId: district.id,
        code: `${districtCode}${suffix}`,
        center: {
          name: `${name.replace('街道', '')}社会组织服务中心`,
          address: `上海市${d.name}${name.replace('街道', '')}路${100 + j * 20}号`,
          phone: `021-6${i}${j}8${suffix}0`,
          openingHours: '周一至周五 9:00–17:00',
        },
      });
      streets.push({ id: street.id, code: street.code });
      const depts = [];
      for (const dep of departments)
        depts.push(await places.createDepartment(ctx, { ...dep, jurisdictionId: street.id }));
      if (j === 0) {
        await addUser(`staff.${d.suffix}${suffix}`, `${name}中心工作人员`, 'center_staff', street.id, name);
        await addUser(`volunteer.${d.suffix}${suffix}`, `${name}志愿者`, 'volunteer', street.id, name);
        if (i === 0)
          await addUser(
            `dept.${d.suffix}${suffix}`,
            `${name}民政科干部`,
            'department_officer',
            street.id,
            name,
            depts[0]!.id,
          );
      }
    }
    if (i === 0) await addUser(`district.${d.suffix}`, `${d.name}民政局干部`, 'district_officer', district.id, d.name);
  }
  await addUser('auditor', '审计员', 'auditor', root.id, '全市');
  await seedDemoOrganizations(deps, ctx, streets);

  print('Demo city created. Demo accounts (passwords shown once):');
  for (const a of accounts)
    print(`  ${a.username.padEnd(18)} ${a.role.padEnd(18)} ${a.where.padEnd(10)} ${a.password}`);
}
