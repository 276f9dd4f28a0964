import { z } from 'zod';

/**
 * The business profile's fields with Meta's limits (PRODUCT §4, REFERENCE §7), and the local extras Meta does
 * not hold. The profile form and core's boundary validate with the same schema, so a field is named wrong
 * before anything reaches Meta. Lengths count characters as people see them (code points), not UTF-16 units.
 */

export const profileLimits = {
  aboutMin: 1,
  aboutMax: 139,
  address: 256,
  description: 512,
  email: 128,
  websites: 2,
  website: 256,
} as const;

/** The verticals Meta accepts in a POST (REFERENCE §7), in the order the form lists them. */
export const settableVerticals = [
  'ALCOHOL',
  'APPAREL',
  'AUTO',
  'BEAUTY',
  'EDU',
  'ENTERTAIN',
  'EVENT_PLAN',
  'FINANCE',
  'GOVT',
  'GROCERY',
  'HEALTH',
  'HOTEL',
  'NONPROFIT',
  'ONLINE_GAMBLING',
  'OTC_DRUGS',
  'OTHER',
  'PHYSICAL_GAMBLING',
  'PROF_SERVICES',
  'RESTAURANT',
  'RETAIL',
  'TRAVEL',
] as const;
export type SettableVertical = (typeof settableVerticals)[number];

/** Values Meta may return but that cannot be set (shown, and kept unless staff choose another). */
export const readOnlyVerticals = ['UNDEFINED', 'NOT_A_BIZ'] as const;

export const characters = (text: string): number => [...text].length;

const withinCharacters = (max: number) => (text: string) => characters(text) <= max;

const websiteSchema = z
  .string()
  .trim()
  .refine(withinCharacters(profileLimits.website), `at most ${profileLimits.website} characters`)
  .refine((url) => {
    try {
      const parsed = new URL(url);
      return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && /^https?:\/\//i.test(url) && parsed.hostname.includes('.');
    } catch {
      return false;
    }
  }, 'a web address starting with http:// or https://');

/** What staff edit and core sends to Meta (empty strings clear a field; `about` cannot be empty). */
export const businessProfileFieldsSchema = z
  .object({
    about: z
      .string()
      .trim()
      .refine((text) => characters(text) >= profileLimits.aboutMin, 'required')
      .refine(withinCharacters(profileLimits.aboutMax), `at most ${profileLimits.aboutMax} characters`),
    address: z.string().trim().refine(withinCharacters(profileLimits.address), `at most ${profileLimits.address} characters`),
    description: z.string().trim().refine(withinCharacters(profileLimits.description), `at most ${profileLimits.description} characters`),
    email: z
      .string()
      .trim()
      .refine(withinCharacters(profileLimits.email), `at most ${profileLimits.email} characters`)
      .refine((email) => email === '' || z.email().safeParse(email).success, 'a valid email address'),
    websites: z.array(websiteSchema).max(profileLimits.websites, `at most ${profileLimits.websites} websites`),
    vertical: z.union([z.literal(''), z.enum(settableVerticals), z.enum(readOnlyVerticals)]),
  })
  .strict();
export type BusinessProfileFields = z.infer<typeof businessProfileFieldsSchema>;

export const contactMethodKinds = ['phone', 'fax', 'email', 'website', 'other'] as const;
export type ContactMethodKind = (typeof contactMethodKinds)[number];

export const maxContactMethods = 10;
export const maxContactLabel = 40;
export const maxContactValue = 256;

export const contactMethodSchema = z
  .object({
    kind: z.enum(contactMethodKinds),
    label: z.string().trim().min(1, 'required').refine(withinCharacters(maxContactLabel), `at most ${maxContactLabel} characters`),
    value: z.string().trim().min(1, 'required').refine(withinCharacters(maxContactValue), `at most ${maxContactValue} characters`),
  })
  .strict()
  .superRefine((method, ctx) => {
    const wrong = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
    if ((method.kind === 'phone' || method.kind === 'fax') && !/^\+?[\d\s().-]{5,30}$/.test(method.value)) wrong('a phone number (digits, spaces, + ( ) - .)');
    if (method.kind === 'email' && !z.email().safeParse(method.value).success) wrong('a valid email address');
    if (method.kind === 'website' && !websiteSchema.safeParse(method.value).success) wrong('a web address starting with http:// or https://');
  });
export type ContactMethod = z.infer<typeof contactMethodSchema>;

/** Local extras (PRODUCT §4): labelled contact methods shown in the app and on the business card. */
export const profileExtrasSchema = z
  .object({
    contactMethods: z.array(contactMethodSchema).max(maxContactMethods, `at most ${maxContactMethods} contact methods`),
  })
  .strict();
export type ProfileExtras = z.infer<typeof profileExtrasSchema>;

/** The profile photo Meta takes: JPEG or PNG (REFERENCE §9 image limits), at most 5 MB. */
export const profilePhotoLimits = { mimeTypes: ['image/jpeg', 'image/png'] as const, maxBytes: 5 * 1024 * 1024 };

export const profilePhotoSchema = z
  .object({
    bytes: z.instanceof(Uint8Array),
    mimeType: z.string().max(100),
    fileName: z.string().min(1).max(255),
  })
  .strict();
