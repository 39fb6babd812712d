import { describe, expect, it } from 'vitest';
import { markedSegments } from './marks';

describe('markedSegments', () => {
  it('marks each word that starts with a searched word, in any case, and keeps the text whole', () => {
    const text = 'Приговор Басманного суда.\nБасманный район; court';
    const segs = markedSegments(text, ['басманн', 'COURT']);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.filter((s) => s.marked).map((s) => s.text)).toEqual(['Басманного', 'Басманный', 'court']);
  });

  it('marks nothing inside a word and nothing without a search', () => {
    expect(markedSegments('досудебный', ['суд'])).toEqual([{ text: 'досудебный', marked: false }]);
    expect(markedSegments('text', [])).toEqual([{ text: 'text', marked: false }]);
  });
});
