import { describe, expect, it } from 'vitest';
import { contentDisposition, safeFileName, sniffContentType } from './content-type.js';

describe('document content types', () => {
  it('tells PDF, JPEG and PNG by their first bytes and nothing else', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffContentType(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(sniffContentType(Buffer.from('%PDF'))).toBeNull();
    expect(sniffContentType(Buffer.alloc(0))).toBeNull();
  });
  it('makes names safe and true to the content', () => {
    expect(safeFileName('../../etc/章程.pdf', 'application/pdf')).toBe('章程.pdf');
    expect(safeFileName('C:\\x\\evil".html', 'image/png')).toBe('evil.png');
    expect(safeFileName('', 'image/jpeg')).toBe('document.jpg');
    expect(safeFileName('a\u202Efdp.exe', 'application/pdf')).toBe('afdp.pdf');
    expect(contentDisposition('章程.pdf')).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''${encodeURIComponent('章程.pdf')}`,
    );
  });
});
