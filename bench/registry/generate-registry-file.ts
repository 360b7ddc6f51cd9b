/**
 * Writes a synthetic municipal registry export for import runs, streamed (10^6 rows in flat memory):
 *
 *   npx tsx bench/registry/generate-registry-file.ts --rows 100000 --out /tmp/registry.csv
 *   npx tsx bench/registry/generate-registry-file.ts --rows 100000 --format jsonl --out /tmp/registry.jsonl
 *
 * Codes are valid GB 32100 USCCs spread over `--districts` region codes after `--city` (310000 →
 * 310001…); every `--invalid`th row is broken on purpose. The same arguments write the same file.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

export function makeUscc(region: string, n: number): string {
  const body = `51${region}${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARS.indexOf(body[i]!) * WEIGHTS[i]!;
  return body + CHARS[(31 - (sum % 31)) % 31];
}

const KINDS = ['社会团体', '民办非企业单位', '社会服务机构', '基金会', 'social_group'];
const STATUSES = ['正常', '正常', '正常', '停止活动', '注销'];
const WORDS = ['助老', '青少年', '志愿者', '慈善', '文化', '体育', '环保', '法律援助', '社工', '邻里'];
const SUFFIX = ['协会', '服务中心', '促进会', '基金会', '服务社'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';

export interface RegistryFileOptions {
  rows: number;
  format: 'csv' | 'jsonl';
  city: string;
  districts: number;
  invalid: number;
}

/** One row's values in the bureau's column order. */
export function registryRow(i: number, o: RegistryFileOptions): string[] {
  const region = `${o.city.slice(0, 2)}${String((i % o.districts) + 1).padStart(4, '0')}`;
  const broken = o.invalid > 0 && i % o.invalid === o.invalid - 1;
  const year = 1995 + (i % 30);
  return [
    broken ? `51${region}BROKEN` : makeUscc(region, i + 1),
    `${WORDS[i % WORDS.length]}${WORDS[(i >> 3) % WORDS.length]}${SUFFIX[i % SUFFIX.length]}${i + 1}号`,
    KINDS[i % KINDS.length]!,
    `${SURNAMES[i % SURNAMES.length]}${SURNAMES[(i >> 2) % SURNAMES.length]}`,
    broken ? '2020-02-30' : `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    STATUSES[i % STATUSES.length]!,
    `${region}民政局`,
    `某区某路${(i % 999) + 1}号`,
    '',
  ];
}

const COLUMNS = [
  'uscc',
  'name',
  'kind',
  'legal_representative',
  'registered_on',
  'status',
  'authority',
  'address',
  'jurisdiction_code',
];

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function writeRegistryFile(out: string, o: RegistryFileOptions): Promise<void> {
  const file = createWriteStream(out);
  const write = async (text: string) => {
    if (!file.write(text)) await once(file, 'drain');
  };
  if (o.format === 'csv') await write(`\uFEFF${COLUMNS.join(',')}\r\n`);
  for (let i = 0; i < o.rows; i++) {
    const row = registryRow(i, o);
    await write(
      o.format === 'csv'
        ? `${row.map(quote).join(',')}\r\n`
        : `${JSON.stringify(Object.fromEntries(COLUMNS.map((c, k) => [c, row[k]])))}\n`,
    );
  }
  file.end();
  await once(file, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      out: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      city: { type: 'string', default: '310000' },
      districts: { type: 'string', default: '16' },
      invalid: { type: 'string', default: '1000' },
    },
  });
  if (!values.out || !['csv', 'jsonl'].includes(values.format)) {
    console.error('usage: generate-registry-file.ts --rows N --out FILE [--format csv|jsonl] [--invalid K]');
    process.exit(2);
  }
  await writeRegistryFile(values.out, {
    rows: Number(values.rows),
    format: values.format as 'csv' | 'jsonl',
    city: values.city,
    districts: Number(values.districts),
    invalid: Number(values.invalid),
  });
}
