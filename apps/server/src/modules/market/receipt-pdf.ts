import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

// Printable receipts with Chinese text. The font (Noto Sans SC, SIL OFL) ships in the npm package
// @embedpdf/fonts-sc, so no system font is needed; pdfkit embeds only the glyphs used.

const require = createRequire(import.meta.url);
// The package exports only its JS entry (dist/index.cjs); the fonts sit beside dist/.
const FONT = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');

export interface ReceiptDocument {
  /** 捐赠收据 / 兑换小票 … */
  title: string;
  receiptNo: string;
  /** Label → value rows under the title. */
  header: [string, string][];
  columns: [string, string, string];
  lines: [string, string, string][];
  /** Label → value rows under the lines (totals). */
  footer: [string, string][];
  note?: string;
}

/** A one-page A5 receipt as a PDF buffer. */
export function renderReceipt(doc: ReceiptDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A5', margin: 36, info: { Title: `${doc.title} ${doc.receiptNo}` } });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.registerFont('cjk', FONT);
    pdf.font('cjk');
    const width = pdf.page.width - 72;
    pdf.fontSize(16).text(doc.title, { align: 'center' });
    pdf.moveDown(0.3).fontSize(10).text(`No. ${doc.receiptNo}`, { align: 'center' });
    pdf.moveDown(0.8);
    for (const [label, value] of doc.header) pdf.fontSize(10).text(`${label}：${value}`);
    pdf.moveDown(0.6);
    const cols = [36, 36 + width * 0.6, 36 + width * 0.8];
    const row = (cells: [string, string, string]) => {
      const y = pdf.y;
      pdf.text(cells[0], cols[0], y, { width: width * 0.58 });
      const after = pdf.y;
      pdf.text(cells[1], cols[1], y, { width: width * 0.18, align: 'right' });
      pdf.text(cells[2], cols[2], y, { width: width * 0.2, align: 'right' });
      pdf.x = 36;
      pdf.y = Math.max(after, pdf.y);
    };
    row(doc.columns);
    pdf
      .moveTo(36, pdf.y + 2)
      .lineTo(36 + width, pdf.y + 2)
      .stroke();
    pdf.moveDown(0.3);
    for (const line of doc.lines) row(line);
    pdf
      .moveTo(36, pdf.y + 2)
      .lineTo(36 + width, pdf.y + 2)
      .stroke();
    pdf.moveDown(0.5);
    for (const [label, value] of doc.footer) pdf.text(`${label}：${value}`, { align: 'right' });
    if (doc.note) pdf.moveDown(1).fontSize(9).text(doc.note);
    pdf.end();
  });
}

/** Yuan with two decimals from integer fen, without floating-point rounding. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Headers of a receipt PDF answered to the browser: shown inline, never cached on a shared till computer. */
export const pdfHeaders = (name: string) => ({
  'content-type': 'application/pdf',
  'content-disposition': `inline; filename="${name.replace(/[^\w.-]/g, '_')}.pdf"`,
  'cache-control': 'no-store',
});
