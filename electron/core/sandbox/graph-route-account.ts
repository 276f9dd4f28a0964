/**
 * The account side of the sandbox: the phone number node and the WABA's phone-number list (REFERENCE §10),
 * the business profile with Meta's validation (§7), and the WABA's `subscribed_apps` edge (§1.1).
 */
import { businessProfileFields, businessProfileUpdateRequestSchema } from '../cloud/graph-schemas';
import type { BusinessProfileUpdateRequest } from '../cloud/graph-schemas';
import { managementValidationError, metaErrors } from './graph-meta-errors';
import type { SandboxContext, SandboxReply, SandboxRequest } from './graph-types';
import { parseJsonBody, requestedFields } from './graph-types';

export interface PhoneNumberState {
  display_phone_number: string;
  verified_name: string;
  quality_rating: string;
  code_verification_status: string;
  name_status: string;
  status: string;
  whatsapp_business_manager_messaging_limit: string;
  throughput: { level: string };
  platform_type: string;
  account_mode: string;
}

export type ProfileState = Omit<BusinessProfileUpdateRequest, 'messaging_product' | 'profile_picture_handle'> & { profile_picture_url?: string };

const defaultPhoneFields = ['id', 'display_phone_number', 'verified_name', 'quality_rating'];
const phoneListFields = ['verified_name', 'display_phone_number', 'id', 'quality_rating'];

export interface AccountRoute {
  phoneNumber(request: SandboxRequest): SandboxReply;
  phoneNumbers(request: SandboxRequest): SandboxReply;
  profile(request: SandboxRequest): SandboxReply;
  subscribedApps(request: SandboxRequest): SandboxReply;
  readonly phone: PhoneNumberState;
  readonly currentProfile: ProfileState;
  isSubscribed(): boolean;
}

export function createAccountRoute(ctx: SandboxContext, init: { phone: PhoneNumberState; profile: ProfileState; appName: string }): AccountRoute {
  const phone = { ...init.phone };
  const profile: ProfileState = { ...init.profile };
  let subscribed = false;

  function renderPhone(fields: string[]): SandboxReply {
    const all: Record<string, unknown> = { id: ctx.phoneNumberId, ...phone };
    const unknown = fields.find((f) => !(f in all));
    if (unknown) return ctx.error(400, metaErrors.unknownField(unknown, 'WhatsAppBusinessPhoneNumber'));
    const out: Record<string, unknown> = {};
    for (const field of fields) out[field] = all[field];
    out.id = ctx.phoneNumberId;
    return ctx.ok(out);
  }

  function updateProfile(request: SandboxRequest): SandboxReply {
    const json = parseJsonBody(request);
    if (!json.ok) return ctx.error(400, metaErrors.invalidParameter('The request body is not valid JSON.'));
    const parsed = businessProfileUpdateRequestSchema.safeParse(json.value);
    if (!parsed.success) return ctx.error(400, managementValidationError(parsed.error));
    const { messaging_product: _product, profile_picture_handle: handle, ...fields } = parsed.data;
    if (handle !== undefined) {
      const upload = ctx.uploadsByHandle.get(handle);
      if (!upload || !/^image\/(jpeg|jpg|png)$/.test(upload.fileType)) {
        return ctx.error(400, metaErrors.invalidParameter('Param profile_picture_handle: not an uploaded image handle.'));
      }
      profile.profile_picture_url = `${ctx.baseUrl()}/pps/${upload.sessionId.slice('upload:'.length)}`;
    }
    Object.assign(profile, fields);
    return ctx.ok({ success: true });
  }

  return {
    phone,
    currentProfile: profile,
    isSubscribed: () => subscribed,

    phoneNumber(request) {
      if (request.method !== 'GET') return ctx.error(400, metaErrors.unsupported(request.method, ctx.phoneNumberId));
      return renderPhone(requestedFields(request, defaultPhoneFields));
    },

    phoneNumbers(request) {
      if (request.method !== 'GET') return ctx.error(400, metaErrors.unsupported(request.method, `${ctx.wabaId}/phone_numbers`));
      const all: Record<string, unknown> = { id: ctx.phoneNumberId, ...phone };
      const fields = requestedFields(request, phoneListFields);
      const unknown = fields.find((f) => !(f in all));
      if (unknown) return ctx.error(400, metaErrors.unknownField(unknown, 'WhatsAppBusinessPhoneNumber'));
      const row: Record<string, unknown> = Object.fromEntries(fields.map((f) => [f, all[f]]));
      row.id = ctx.phoneNumberId;
      return ctx.ok({ data: [row] });
    },

    profile(request) {
      if (request.method === 'POST') return updateProfile(request);
      if (request.method !== 'GET') return ctx.error(400, metaErrors.unsupported(request.method, `${ctx.phoneNumberId}/whatsapp_business_profile`));
      const fields = requestedFields(request, businessProfileFields);
      const unknown = fields.find((f) => !(businessProfileFields as readonly string[]).includes(f));
      if (unknown) return ctx.error(400, metaErrors.unknownField(unknown, 'WhatsAppBusinessProfile'));
      const row: Record<string, unknown> = {};
      for (const field of fields) {
        const value = profile[field as keyof ProfileState];
        // Meta leaves out what was never set.
        if (value !== undefined && value !== '') row[field] = value;
      }
      row.messaging_product = 'whatsapp';
      return ctx.ok({ data: [row] });
    },

    subscribedApps(request) {
      if (request.method === 'POST') {
        if (!parseJsonBody(request).ok) return ctx.error(400, metaErrors.invalidParameter('The request body is not valid JSON.'));
        subscribed = true;
        return ctx.ok({ success: true });
      }
      if (request.method === 'DELETE') {
        subscribed = false;
        return ctx.ok({ success: true });
      }
      if (request.method !== 'GET') return ctx.error(400, metaErrors.unsupported(request.method, `${ctx.wabaId}/subscribed_apps`));
      const data = subscribed ? [{ whatsapp_business_api_data: { link: `${ctx.baseUrl()}/apps/${ctx.appId}`, name: init.appName, id: ctx.appId } }] : [];
      return ctx.ok({ data });
    },
  };
}
