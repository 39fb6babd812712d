import { describe, expect, it } from 'vitest';
import { fileCategory, fileTypeKey, formatBytes, isPreviewableImage } from './files';

describe('files', () => {
  it('formats sizes in the reader’s language', () => {
    expect(formatBytes(512, 'en')).toBe('512 bytes');
    expect(formatBytes(1536, 'en')).toBe('1.5 kB');
    expect(formatBytes(5 * 1024 * 1024, 'en')).toBe('5 MB');
    expect(formatBytes(1536, 'ru')).toMatch(/^1,5\s[кК]Б$/u);
  });

  it('groups file types for the filter', () => {
    expect(fileCategory('application/pdf')).toBe('pdf');
    expect(fileCategory('image/jpeg')).toBe('image');
    expect(fileCategory('text/plain')).toBe('text');
    expect(fileCategory('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('other');
  });

  it('names each kind of file', () => {
    expect(fileTypeKey('application/PDF')).toBe('evidence.type_pdf');
    expect(fileTypeKey('image/heic')).toBe('evidence.type_image');
    expect(fileTypeKey('application/zip')).toBe('evidence.type_other');
  });
});

describe('isPreviewableImage', () => {
  it('previews what the worker re-encodes, never SVG or formats it cannot decode', () => {
    for (const mime of ['image/png', 'image/JPEG', 'image/webp', 'image/tiff', 'image/gif', 'image/bmp']) {
      expect(isPreviewableImage(mime), mime).toBe(true);
    }
    for (const mime of ['image/svg+xml', 'image/heic', 'image/avif', 'application/pdf']) {
      expect(isPreviewableImage(mime), mime).toBe(false);
    }
  });
});
