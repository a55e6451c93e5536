import type * as PdfJsModule from 'pdfjs-dist';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
// Bundled with the app and served from its own origin (never a CDN): the worker that parses PDFs,
// and the two standard fonts a system never has (the other standard fonts are the system's own).
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import dingbatsUrl from 'pdfjs-dist/standard_fonts/FoxitDingbats.pfb?url';
import symbolUrl from 'pdfjs-dist/standard_fonts/FoxitSymbol.pfb?url';

const bundled: Record<string, string> = { 'FoxitDingbats.pfb': dingbatsUrl, 'FoxitSymbol.pfb': symbolUrl };

/**
 * What pdf.js asks the page for when a PDF needs data it does not carry (standard fonts). Only the
 * files bundled above; anything else is refused and pdf.js falls back.
 */
class BundledData {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const url = kind === 'standardFontDataUrl' ? bundled[filename] : undefined;
    if (!url) throw new Error(`${filename} is not bundled`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${filename}: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
}

type PdfJs = typeof PdfJsModule;
let loading: Promise<PdfJs> | null = null;

/** pdf.js, loaded the first time a PDF is shown (it is large; most sessions may never need it). */
function pdfjs(): Promise<PdfJs> {
  loading ??= import('pdfjs-dist').then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = workerUrl;
    return lib;
  });
  return loading;
}

/**
 * Opens a PDF served at url (an original, read in ranges). No WebAssembly (the CSP allows none: a
 * JPEG 2000 or JBIG2 image inside a scan is left blank in the preview; its text is still there).
 */
export async function openPdf(url: string): Promise<PDFDocumentLoadingTask> {
  const lib = await pdfjs();
  return lib.getDocument({
    url,
    withCredentials: true,
    useWasm: false,
    useWorkerFetch: false,
    BinaryDataFactory: BundledData,
    disableWorkerRendering: true,
    enableXfa: false,
    verbosity: 0,
  });
}
