import { describe, expect, it } from 'vitest';
import { isPlausibleEmail } from './contacts';

describe('contacts', () => {
  it('checks emails loosely', () => {
    expect(isPlausibleEmail('lawyer@example.org')).toBe(true);
    expect(isPlausibleEmail(' lawyer@example.org ')).toBe(true);
    expect(isPlausibleEmail('lawyer@example')).toBe(false);
    expect(isPlausibleEmail('not an email')).toBe(false);
  });
});
