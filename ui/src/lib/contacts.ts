// Contacts: the quick check of an email address the form gives while typing. The backend checks again on save
// (core/src/contacts.rs); this one only spares the person a round trip.

export function isPlausibleEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(text.trim());
}
