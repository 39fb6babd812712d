// Shared by the steps of the request wizard.

/** Problems found before saving, by the field they belong to (each step shows its own). */
export type FieldErrors = Partial<
  Record<
    | 'title'
    | 'request_type'
    | 'signature_date'
    | 'received'
    | 'admissibility'
    | 'decision'
    | 'decision_date'
    | 'discovered_on'
    | 'identity_expiry',
    string
  >
>;

/** How an evidence item is named in a list: its title and number. */
export function evidenceName(item: { id: number; title: string }, number: (n: number) => string): string {
  return `${item.title} (${number(item.id)})`;
}
