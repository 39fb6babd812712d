// In-app PDF rendering with pdf.js, under the app's strict content security policy:
// - the worker comes from our own bundle (worker-src 'self');
// - no eval (isEvalSupported: false), no scripting, no WebAssembly (the CSP forbids compiling it), so JPEG 2000
//   and JBIG2 images use pdf.js's plain-JavaScript decoders, loaded as scripts from our bundle;
// - character maps and standard fonts are bundled as lazily imported modules and handed to pdf.js directly,
//   so nothing is fetched over the network (connect-src allows only the IPC and evidence protocols).
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';
import jbig2FallbackUrl from 'pdfjs-dist/wasm/jbig2_nowasm_fallback.js?url';
import openjpegFallbackUrl from 'pdfjs-dist/wasm/openjpeg_nowasm_fallback.js?url';

type Loader = () => Promise<string>;

const CMAPS = import.meta.glob<string>('/node_modules/pdfjs-dist/cmaps/*.bcmap', {
  query: '?inline',
  import: 'default',
});
const STANDARD_FONTS = import.meta.glob<string>(
  ['/node_modules/pdfjs-dist/standard_fonts/*.pfb', '/node_modules/pdfjs-dist/standard_fonts/*.ttf'],
  { query: '?inline', import: 'default' },
);

function byFileName(modules: Record<string, Loader>): Map<string, Loader> {
  return new Map(Object.entries(modules).map(([path, load]) => [path.slice(path.lastIndexOf('/') + 1), load]));
}

const cmapFiles = byFileName(CMAPS);
const fontFiles = byFileName(STANDARD_FONTS);

function dataUrlBytes(url: string): Uint8Array {
  const binary = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Gives pdf.js the bundled character maps and standard fonts without any fetch(). */
class BundledDataFactory {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const table = kind === 'cMapUrl' ? cmapFiles : kind === 'standardFontDataUrl' ? fontFiles : null;
    const load = table?.get(filename);
    if (!load) throw new Error(`No bundled ${kind} file ${filename}`);
    return dataUrlBytes(await load());
  }
}

function directoryOf(url: string): string {
  const absolute = new URL(url, document.baseURI).href;
  return absolute.slice(0, absolute.lastIndexOf('/') + 1);
}

let library: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | null = null;

function loadLibrary(): Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> {
  library ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((pdfjs) => {
    pdfjs.GlobalWorkerOptions.workerSrc = new URL(workerUrl, document.baseURI).href;
    return pdfjs;
  });
  return library;
}

/**
 * How every PDF is opened. `disableFontFace`: the document's embedded fonts are drawn by pdf.js as paths and
 * never handed to the browser as font faces, so WebKit's native font parser (FreeType, in the web process) never
 * reads a font from an untrusted PDF (issue 12, review H4).
 */
export function pdfParams(data: Uint8Array, wasmDir: string): DocumentInitParameters & { isEvalSupported: false } {
  // pdf.js 5+ no longer has an eval code path; isEvalSupported is kept false for any version that still reads it.
  return {
    data,
    disableFontFace: true,
    isEvalSupported: false,
    enableXfa: false,
    useWasm: false,
    useWorkerFetch: false,
    wasmUrl: wasmDir,
    cMapUrl: 'bundled/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: 'bundled/standard_fonts/',
    BinaryDataFactory: BundledDataFactory,
    stopAtErrors: false,
  };
}

/** Opens PDF bytes; the caller must destroy() the document when done. */
export async function openPdf(data: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await loadLibrary();
  const wasmDir = directoryOf(openjpegFallbackUrl);
  if (directoryOf(jbig2FallbackUrl) !== wasmDir) {
    console.warn('pdf.js decoders are not in one folder; some images may not show');
  }
  return pdfjs.getDocument(pdfParams(data, wasmDir)).promise;
}
