import { describe, expect, it } from 'vitest';
import type { ProfileState } from './bindings/ProfileState';
import type { Request } from './bindings/Request';
import {
  addAnnex,
  annexNumber,
  inputToSave,
  isDraftLanguage,
  moveAnnex,
  newRequestInput,
  orderFacts,
  orderGrounds,
  parseZonedTime,
  placeholdersIn,
  removeAnnex,
  requestToInput,
} from './requests';

const stored: Request = {
  id: 2,
  trashed: false,
  title: 'Deletion of the Red Notice',
  request_type: 'revision',
  language: 'es',
  representative: 4,
  power_of_attorney: 9,
  identity_document: 8,
  data: { issuing_country: 'Ruritania', instrument: 'red_notice', references: ['2022/1234-1'], dates: 'issued 2022' },
  facts: [5, 3],
  grounds: [{ ground: 'political', argument: 'The applicant…', evidence: [1, 2] }],
  annexes: [
    { evidence: 8, confidential: false },
    { evidence: 6, confidential: true },
  ],
  revision: {
    revised_type: 'correction_deletion',
    decision_reference: 'CCF/2023/0000',
    decision_date: '2023-10-02',
    new_fact: 'Extradition refused.',
    discovered_on: null,
    summary: 'Summary.',
  },
  confidentiality: 'Annex 2 stays confidential.',
  signature_place: 'Vilnius',
  signature_date: null,
  status: 'sent_to_counsel',
  ccf: { received: '2026-01-31', admissibility: null, decision: null },
};

describe('requestToInput', () => {
  it('turns every stored field into what the form edits, dates as text', () => {
    expect(requestToInput(stored)).toEqual({
      title: 'Deletion of the Red Notice',
      request_type: 'revision',
      language: 'es',
      representative: 4,
      power_of_attorney: 9,
      identity_document: 8,
      data: { issuing_country: 'Ruritania', instrument: 'red_notice', references: ['2022/1234-1'], dates: 'issued 2022' },
      facts: [5, 3],
      grounds: [{ ground: 'political', argument: 'The applicant…', evidence: [1, 2] }],
      annexes: [
        { evidence: 8, confidential: false },
        { evidence: 6, confidential: true },
      ],
      revision: {
        revised_type: 'correction_deletion',
        decision_reference: 'CCF/2023/0000',
        decision_date: '2023-10-02',
        new_fact: 'Extradition refused.',
        discovered_on: '',
        summary: 'Summary.',
        why_unknown: '',
        why_decisive: '',
        late_reason: '',
      },
      confidentiality: 'Annex 2 stays confidential.',
      signature_place: 'Vilnius',
      signature_date: '',
      status: 'sent_to_counsel',
      received: '2026-01-31',
      admissibility: '',
      decision: '',
      other_purposes: [],
      applicant_kind: 'person',
      applicant_form: 'neutral',
      identity_complete: false,
      identity_expiry: '',
      entity_registration: null,
      entity_authority: null,
      minor_relationship: null,
      signer: 'applicant',
    });
  });

  it('reads the fields issue 10 added when a request holds them', () => {
    const input = requestToInput({
      ...stored,
      other_purposes: ['access'],
      applicant_kind: 'entity',
      applicant_form: 'feminine',
      identity_complete: true,
      identity_expiry: '2030-01-31',
      entity_registration: 11,
      entity_authority: 12,
      signer: 'representative',
      revision: { ...stored.revision!, why_unknown: 'Later.', late_reason: 'Counsel’s reason.' },
    });
    expect(input.other_purposes).toEqual(['access']);
    expect([input.applicant_kind, input.applicant_form, input.signer]).toEqual(['entity', 'feminine', 'representative']);
    expect([input.identity_complete, input.identity_expiry]).toEqual([true, '2030-01-31']);
    expect([input.entity_registration, input.entity_authority, input.minor_relationship]).toEqual([11, 12, null]);
    expect(input.revision?.why_unknown).toBe('Later.');
    expect(input.revision?.late_reason).toBe('Counsel’s reason.');
  });

  it('keeps a missing revision as null and copies the lists, so editing never changes the stored request', () => {
    const input = requestToInput({ ...stored, revision: null, signature_date: '2026-03-01' });
    expect(input.revision).toBeNull();
    expect(input.signature_date).toBe('2026-03-01');
    input.annexes[0]!.confidential = true;
    input.grounds[0]!.evidence.push(7);
    input.facts.push(1);
    input.data.references.push('x');
    expect(stored.annexes[0]!.confidential).toBe(false);
    expect(stored.grounds[0]!.evidence).toEqual([1, 2]);
    expect(stored.facts).toEqual([5, 3]);
    expect(stored.data.references).toEqual(['2022/1234-1']);
  });

  it('has no field the stored request lacks, and none left out', () => {
    const keys = Object.keys(requestToInput(stored)).sort();
    expect(keys).toEqual(Object.keys(newRequestInput(null)).sort());
  });
});

describe('newRequestInput / inputToSave', () => {
  it('takes the notice details from the case profile', () => {
    const profile: ProfileState = {
      name_latin: 'PETROV Ivan',
      name_native: '',
      date_of_birth: null,
      nationalities: [],
      current_country: '',
      issuing_country: 'Ruritania',
      notice_type: 'diffusion',
      references: ['A-1'],
    };
    const input = newRequestInput(profile, 'Access');
    expect(input.data).toEqual({ issuing_country: 'Ruritania', instrument: 'diffusion', references: ['A-1'], dates: '' });
    expect(input.language).toBe('en');
    expect(input.status).toBe('draft');
    expect(newRequestInput(null).data.instrument).toBe('red_notice');
  });

  it('trims one-line fields and gives a revision its details', () => {
    const input = { ...newRequestInput(null, '  Revision  '), request_type: 'revision' as const, received: ' 2026-01-02 ' };
    input.data.references = [' A ', '', '  '];
    const saved = inputToSave(input);
    expect(saved.title).toBe('Revision');
    expect(saved.received).toBe('2026-01-02');
    expect(saved.data.references).toEqual(['A']);
    expect(saved.revision).toEqual({
      revised_type: null,
      decision_reference: '',
      decision_date: '',
      new_fact: '',
      discovered_on: '',
      summary: '',
      why_unknown: '',
      why_decisive: '',
      late_reason: '',
    });
    const both = inputToSave({ ...input, request_type: 'access', other_purposes: ['access', 'correction_deletion'] });
    expect(both.other_purposes).toEqual(['correction_deletion']);
    expect(inputToSave({ ...input, request_type: 'access' }).revision).toBeNull();
  });
});

describe('placeholdersIn', () => {
  it('finds {{placeholders}} and [placeholders], each once, in order', () => {
    const text =
      'The charges brought in {{issuing_country}} on {{ date_of_charges }} relate to [political_activity]; see {{issuing_country}}.';
    expect(placeholdersIn(text)).toEqual(['issuing_country', 'date_of_charges', 'political_activity']);
  });

  it('ignores the person’s own brackets and braces', () => {
    expect(placeholdersIn('See [Annex 3] and [annex 4] {not one} {{Not_One}} [] {{}}.')).toEqual([]);
    expect(placeholdersIn('')).toEqual([]);
  });

  it('finds nothing once every placeholder is replaced', () => {
    expect(placeholdersIn('The charges brought in Ruritania on 2022-03-04 relate to my reporting.')).toEqual([]);
  });
});

describe('annexes', () => {
  const annexes = [
    { evidence: 1, confidential: false },
    { evidence: 2, confidential: true },
    { evidence: 3, confidential: false },
  ];
  const ids = (list: { evidence: number }[]): number[] => list.map((a) => a.evidence);

  it('moves an annex up and down, keeping its confidential mark', () => {
    expect(ids(moveAnnex(annexes, 1, -1))).toEqual([2, 1, 3]);
    expect(moveAnnex(annexes, 1, -1)[0]).toEqual({ evidence: 2, confidential: true });
    expect(ids(moveAnnex(annexes, 0, 1))).toEqual([2, 1, 3]);
    expect(ids(moveAnnex(annexes, 1, 1))).toEqual([1, 3, 2]);
  });

  it('leaves the order alone at the ends and for impossible indexes', () => {
    expect(ids(moveAnnex(annexes, 0, -1))).toEqual([1, 2, 3]);
    expect(ids(moveAnnex(annexes, 2, 1))).toEqual([1, 2, 3]);
    expect(ids(moveAnnex(annexes, 7, -1))).toEqual([1, 2, 3]);
    expect(ids(moveAnnex([], 0, 1))).toEqual([]);
  });

  it('never changes the list it was given', () => {
    const moved = moveAnnex(annexes, 0, 1);
    moved[0]!.confidential = false;
    expect(ids(annexes)).toEqual([1, 2, 3]);
    expect(annexes[1]!.confidential).toBe(true);
  });

  it('adds once, removes, and numbers from 1', () => {
    expect(ids(addAnnex(annexes, 4))).toEqual([1, 2, 3, 4]);
    expect(ids(addAnnex(annexes, 2))).toEqual([1, 2, 3]);
    expect(addAnnex([], 5, true)).toEqual([{ evidence: 5, confidential: true }]);
    expect(ids(removeAnnex(annexes, 1))).toEqual([1, 3]);
    expect(annexNumber(annexes, 3)).toBe(3);
    expect(annexNumber(annexes, 9)).toBeNull();
    expect(annexNumber(annexes, null)).toBeNull();
  });
});

describe('ordering', () => {
  it('keeps facts in the chronology order, whatever order they were ticked in', () => {
    expect(orderFacts([7, 2, 5], [2, 3, 5, 7])).toEqual([2, 5, 7]);
    expect(orderFacts([9, 2], [2, 3])).toEqual([2, 9]);
  });

  it('keeps grounds in the library order', () => {
    const g = (ground: string) => ({ ground, argument: '', evidence: [] });
    expect(orderGrounds([g('refugee'), g('zzz'), g('political')], ['political', 'human-rights', 'refugee']).map((x) => x.ground)).toEqual([
      'political',
      'refugee',
      'zzz',
    ]);
  });
});

describe('backend texts', () => {
  it('reads a moment with its offset', () => {
    expect(parseZonedTime('2026-03-31 00:59 +03:00')).toEqual({ date: '2026-03-31', time: '00:59', offset: '+03:00' });
    expect(parseZonedTime('2026-03-30 17:59 -04:00')?.offset).toBe('-04:00');
    expect(parseZonedTime('soon')).toBeNull();
  });

  it('knows the draft languages', () => {
    expect(isDraftLanguage('fr')).toBe(true);
    expect(isDraftLanguage('ar')).toBe(true);
    expect(isDraftLanguage('ru')).toBe(false);
  });
});
