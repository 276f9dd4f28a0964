import type { HoursView, ProfileView } from '../../../shared/ipc/automation';

/** The words around the card's facts, in the UI language. */
export interface BusinessCardWords {
  address: string;
  email: string;
  website: string;
  /** One labelled fact: "Address: …" ("地址：…"). */
  line: (label: string, value: string) => string;
  /** The heading of the hours: "Opening hours (Europe/London):". */
  hours: (timezone: string) => string;
  /** The week, compactly: one line per run of days with the same hours. */
  week: (hours: HoursView['hours']['week']) => string[];
}

/**
 * The business card staff insert into a chat (PRODUCT §4): plain text, one fact a line — the business's
 * name (bold, as WhatsApp shows `*text*`), address, email, websites, the extra contact methods with their
 * labels, then the week's hours. A fact that is not set is left out.
 */
export function businessCardText(profile: ProfileView, hours: HoursView | null, words: BusinessCardWords): string {
  const lines: string[] = [];
  const name = profile.businessName.trim();
  if (name) lines.push(`*${name}*`);
  const { address, email, websites } = profile.fields;
  if (address.trim()) lines.push(words.line(words.address, address.trim()));
  if (email.trim()) lines.push(words.line(words.email, email.trim()));
  for (const site of websites) if (site.trim()) lines.push(words.line(words.website, site.trim()));
  for (const method of profile.extras.contactMethods) lines.push(words.line(method.label.trim(), method.value.trim()));
  // Hours never saved are only the editor's starting point, not the business's hours.
  if (hours && hours.effectiveFrom !== null) {
    lines.push('', words.hours(hours.hours.timezone));
    lines.push(...words.week(hours.hours.week));
  }
  return lines.join('\n').trim();
}
