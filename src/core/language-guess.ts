const ukrainianOnly = /[іїєґ]/giu;
const russianOnly = /[ыэъё]/giu;
const cyrillic = /\p{Script=Cyrillic}/gu;
const latin = /\p{Script=Latin}/gu;
const englishWords = /\b(the|and|of|to|in|is|was|that|for|with)\b/giu;

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/**
 * A first guess by script, so that a freshly imported document is not "und". Letters found in
 * only one language decide between Russian and Ukrainian; a Latin text is English only when its
 * commonest words say so. The ingestion pipeline replaces this with a real detector.
 */
export function guessLanguage(text: string): string {
  const sample = text.slice(0, 20_000);
  const cyr = count(sample, cyrillic);
  const lat = count(sample, latin);
  if (cyr === 0 && lat === 0) return 'und';
  if (cyr >= lat) {
    const uk = count(sample, ukrainianOnly);
    const ru = count(sample, russianOnly);
    return uk > ru ? 'uk' : 'ru';
  }
  const words = sample.split(/\s+/u).length;
  return count(sample, englishWords) / Math.max(words, 1) > 0.04 ? 'en' : 'und';
}
