import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportFormat } from '@qiao/contracts';
import type { OrganizationRow } from '../../db/schema.js';
import { neutralizeCell } from '../../platform/spreadsheet.js';

/** What a row's cells need beside the stored row: its jurisdiction and the personal data as this export shows it. */
export interface RowExtras {
  jurisdictionCode: string;
  jurisdictionName: string;
  picId: string | null;
  picPhone: string | null;
}

export interface Column {
  header: string;
  width: number;
  value(r: OrganizationRow, x: RowExtras): string | number | null;
}

const parseList = (text: string) => (JSON.parse(text) as string[]).join(';');

/** The organization export: the import's columns first (so an export reconciles against the bureau's file), then the rest. */
export const organizationColumns: Column[] = [
  { header: 'uscc', width: 22, value: (r) => r.uscc },
  { header: 'name', width: 30, value: (r) => r.name },
  { header: 'kind', width: 20, value: (r) => r.kind },
  { header: 'legal_representative', width: 14, value: (r) => r.pic_name },
  { header: 'registered_on', width: 12, value: (r) => r.registered_on },
  { header: 'status', width: 12, value: (r) => r.status },
  { header: 'authority', width: 20, value: (r) => r.registration_authority },
  { header: 'address', width: 30, value: (r) => r.address },
  { header: 'jurisdiction_code', width: 12, value: (_r, x) => x.jurisdictionCode },
  { header: 'jurisdiction', width: 16, value: (_r, x) => x.jurisdictionName },
  { header: 'id', width: 8, value: (r) => r.id },
  { header: 'filing_number', width: 20, value: (r) => r.filing_number },
  { header: 'founded_on', width: 12, value: (r) => r.founded_on },
  { header: 'supervising_unit', width: 20, value: (r) => r.supervising_unit },
  { header: 'person_in_charge_id_number', width: 20, value: (_r, x) => x.picId },
  { header: 'person_in_charge_phone', width: 14, value: (_r, x) => x.picPhone },
  { header: 'fields', width: 24, value: (r) => parseList(r.fields) },
  { header: 'members_count', width: 8, value: (r) => r.members_count },
  { header: 'staff_count', width: 8, value: (r) => r.staff_count },
  { header: 'volunteers_count', width: 8, value: (r) => r.volunteers_count },
  { header: 'contact_status', width: 12, value: (r) => r.contact_status },
  { header: 'updated_at', width: 22, value: (r) => r.updated_at },
];

const statusZh: Record<string, string> = {
  draft: '草稿',
  submitted: '已提交',
  under_review: '审核中',
  active: '正常',
  rejected: '未通过',
  dormant: '休眠',
  suspended: '停止活动',
  deregistered: '注销',
};

/** Community organization filings in the bureau's layout (its column titles, its status words). */
export const filingColumns: Column[] = [
  { header: '备案编号', width: 20, value: (r) => r.filing_number },
  { header: '组织名称', width: 30, value: (r) => r.name },
  { header: '负责人', width: 12, value: (r) => r.pic_name },
  { header: '负责人身份证号', width: 20, value: (_r, x) => x.picId },
  { header: '联系电话', width: 14, value: (_r, x) => x.picPhone },
  { header: '成立日期', width: 12, value: (r) => r.founded_on },
  { header: '住所', width: 30, value: (r) => r.address },
  { header: '活动领域', width: 24, value: (r) => parseList(r.fields) },
  { header: '成员数', width: 8, value: (r) => r.members_count },
  { header: '状态', width: 10, value: (r) => statusZh[r.status] ?? r.status },
  { header: '街道代码', width: 12, value: (_r, x) => x.jurisdictionCode },
  { header: '所属街道', width: 16, value: (_r, x) => x.jurisdictionName },
  { header: '备案日期', width: 12, value: (r) => r.created_at.slice(0, 10) },
];

/** A written export waiting to be sent; dispose() removes it once sent. */
export interface Spreadsheet {
  file: string;
  rows: number;
  contentType: string;
  extension: ExportFormat;
  dispose(): Promise<void>;
}

const cell = (v: string | number | null) => (typeof v === 'number' ? v : neutralizeCell(v));

/**
 * Writes rows to a private temporary CSV (UTF-8 with BOM) or XLSX (exceljs's streaming writer),
 * every text cell neutralized against formula injection. Memory stays flat whatever the row count.
 */
export async function writeSpreadsheet(
  format: ExportFormat,
  sheetName: string,
  columns: Column[],
  rows: AsyncIterable<(string | number | null)[]>,
): Promise<Spreadsheet> {
  const dir = await mkdtemp(path.join(tmpdir(), 'qiao-export-'));
  const file = path.join(dir, `export.${format}`);
  const dispose = () => rm(dir, { recursive: true, force: true });
  let count = 0;
  try {
    if (format === 'csv') {
      await pipeline(
        Readable.from(
          (async function* () {
            for await (const r of rows) {
              count += 1;
              yield r.map(cell);
            }
          })(),
        ),
        stringify({ header: true, columns: columns.map((c) => c.header), bom: true }),
        createWriteStream(file, { mode: 0o600 }),
      );
    } else {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        stream: createWriteStream(file, { mode: 0o600 }),
        useStyles: true,
        useSharedStrings: false,
      });
      const sheet = workbook.addWorksheet(sheetName);
      sheet.columns = columns.map((c) => ({ header: c.header, key: c.header, width: c.width }));
      sheet.getRow(1).font = { bold: true };
      for await (const r of rows) {
        count += 1;
        sheet.addRow(r.map(cell)).commit();
      }
      sheet.commit();
      await workbook.commit();
    }
  } catch (e) {
    await dispose();
    throw e;
  }
  return {
    file,
    rows: count,
    contentType:
      format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: format,
    dispose,
  };
}
