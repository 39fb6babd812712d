import { describe, expect, it } from 'vitest';
import { parseList } from './lists';

describe('lists typed in one field', () => {
  it('drops empty entries and repeats, keeping the order', () => {
    expect(parseList(' arrest, court ,, arrest;Moscow ')).toEqual(['arrest', 'court', 'Moscow']);
    expect(parseList('a\nb')).toEqual(['a', 'b']);
    expect(parseList('  ')).toEqual([]);
  });
});
