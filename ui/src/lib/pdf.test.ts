import { describe, expect, it } from 'vitest';
import { pdfParams } from './pdf';

describe('pdfParams', () => {
  it('never lets WebKit parse a PDF font, run script or fetch anything', () => {
    const data = new Uint8Array([37, 80, 68, 70]);
    const params = pdfParams(data, 'tauri://localhost/assets/');
    expect(params.disableFontFace).toBe(true);
    expect(params.isEvalSupported).toBe(false);
    expect(params.enableXfa).toBe(false);
    expect(params.useWorkerFetch).toBe(false);
    expect(params.useWasm).toBe(false);
    expect(params.data).toBe(data);
  });
});
