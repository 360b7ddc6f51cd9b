import type { Kysely } from 'kysely';

// Fields of service become a configurable taxonomy (issue 3 item 1): the city admin adds fields,
// renames their labels and retires them. Seeded with the twelve fields the contracts used to fix.
// Frozen: the seed is written out here, not imported from application code.

const seed: [code: string, zh: string, en: string][] = [
  ['elderly_care', '为老服务', 'Elderly care'],
  ['children_youth', '儿童青少年', 'Children and youth'],
  ['disability', '助残服务', 'Disability'],
  ['culture_sports', '文化体育', 'Culture and sports'],
  ['volunteering', '志愿服务', 'Volunteering'],
  ['community_governance', '社区治理', 'Community governance'],
  ['environment', '环境保护', 'Environment'],
  ['health', '卫生健康', 'Health'],
  ['education', '教育培训', 'Education'],
  ['poverty_relief', '扶贫济困', 'Poverty relief'],
  ['legal_aid', '法律服务', 'Legal aid'],
  ['other', '其他', 'Other'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_fields')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('service_fields')
    .values(
      seed.map(([code, zh, en], i) => ({
        code,
        label_zh: zh,
        label_en: en,
        position: (i + 1) * 10,
        retired_at: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_fields').execute();
}
