/**
 * The business profile (PRODUCT §4): read from Meta (the last copy, marked stale, when Meta cannot be
 * reached), saved to Meta after the shared rules passed (the dispatcher validated the request), the photo
 * through Meta's resumable upload, and the local extras. A Meta refusal changes nothing here and says why.
 */
import type { ProfileView } from '../../../shared/ipc/automation';
import { profilePhotoLimits, readOnlyVerticals, settableVerticals } from '../../../shared/rules/business-profile';
import type { BusinessProfileFields } from '../../../shared/rules/business-profile';
import type { Archive, MediaStore } from '../archive';
import type { ConnectionService } from '../cloud/connection';
import { appErrorFromGraph } from '../cloud/connection';
import type { BusinessProfile } from '../cloud/graph-schemas';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import { createProfileStore, emptyFields } from './profile-store';
import type { ProfileStore } from './profile-store';

type ProfileChannels = 'profile:get' | 'profile:save' | 'profile:set-photo' | 'profile:save-extras';

export interface ProfileHandlerDeps {
  archive: () => Archive;
  clock: Pick<ClockPort, 'now'>;
  connection: Pick<ConnectionService, 'view' | 'client'>;
  /** The open workspace's media store (where the photo's copy is kept); null when none runs. */
  media: () => MediaStore | null;
  businessName: () => string;
  logger: Logger;
}

const stores = new WeakMap<Archive, ProfileStore>();

/** Meta's answer in the form's terms (a field Meta leaves out is empty). */
function fieldsFromMeta(meta: BusinessProfile): BusinessProfileFields {
  const vertical = meta.vertical ?? '';
  const known = (settableVerticals as readonly string[]).includes(vertical) || (readOnlyVerticals as readonly string[]).includes(vertical);
  return {
    about: meta.about ?? '',
    address: meta.address ?? '',
    description: meta.description ?? '',
    email: meta.email ?? '',
    websites: meta.websites ?? [],
    vertical: (known ? vertical : '') as BusinessProfileFields['vertical'],
  };
}

export function createProfileHandlers(deps: ProfileHandlerDeps): Pick<ChannelHandlers, ProfileChannels> {
  const store = (): ProfileStore => {
    const archive = deps.archive();
    let found = stores.get(archive);
    if (!found) {
      found = createProfileStore(archive.db, () => deps.clock.now());
      stores.set(archive, found);
    }
    return found;
  };

  function view(stale: string | null = null): ProfileView {
    const stored = store().read();
    return {
      fields: stored.fields,
      photoMediaId: stored.photoMediaId,
      syncedAt: stored.syncedAt,
      stale: stale !== null,
      staleReason: stale,
      extras: stored.extras,
      businessName: deps.businessName(),
    };
  }

  function requireConnected() {
    if (!deps.connection.view().configured) throw new AppError('not_connected', 'Connect the WhatsApp number first (Settings › WhatsApp connection)');
    return deps.connection.client();
  }

  /** Keeps an encrypted copy of the photo to show (Meta's link is not for the app's window). */
  async function keepPhoto(bytes: Uint8Array, mime: string, source: string | null): Promise<void> {
    const media = deps.media();
    if (!media) return;
    const stored = await media.put(bytes);
    const archive = deps.archive();
    archive.transaction(() => {
      const record = archive.media.create({ state: 'stored', mime, size: stored.size, fileName: mime === 'image/png' ? 'profile.png' : 'profile.jpg', contentHash: stored.hash });
      store().savePhoto(record.id, source, deps.clock.now());
    });
  }

  async function syncPhoto(url: string | undefined): Promise<void> {
    if (!url || url === store().read().photoSource) return;
    try {
      const photo = await deps.connection.client().downloadProfilePhoto(url, profilePhotoLimits.maxBytes);
      await keepPhoto(photo.bytes, photo.mimeType || 'image/jpeg', url);
    } catch (error) {
      // The fields are still right; the photo is shown next time it can be fetched.
      deps.logger.warn('The profile photo could not be fetched', { error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  async function refresh(): Promise<void> {
    const meta = await deps.connection.client().getBusinessProfile();
    store().saveFields(fieldsFromMeta(meta), deps.clock.now());
    await syncPhoto(meta.profile_picture_url);
  }

  return {
    'profile:get': async () => {
      if (!deps.connection.view().configured) return view();
      try {
        await refresh();
        return view();
      } catch (error) {
        return view(appErrorFromGraph(error).message);
      }
    },

    'profile:save': async (fields) => {
      const client = requireConnected();
      // UNDEFINED and NOT_A_BIZ cannot be set: leaving them as they are sends no vertical at all.
      const settable = (readOnlyVerticals as readonly string[]).includes(fields.vertical) ? undefined : (fields.vertical as '' | (typeof settableVerticals)[number]);
      try {
        await client.updateBusinessProfile({
          about: fields.about,
          address: fields.address,
          description: fields.description,
          // Meta takes no empty email: an empty field leaves Meta's as it is.
          ...(fields.email ? { email: fields.email } : {}),
          websites: fields.websites,
          ...(settable !== undefined ? { vertical: settable } : {}),
        });
      } catch (error) {
        throw appErrorFromGraph(error);
      }
      store().saveFields({ ...emptyFields, ...fields }, deps.clock.now());
      // Meta's own copy (normalised websites, the email kept) when it answers; the saved one otherwise.
      await refresh().catch(() => undefined);
      return view();
    },

    'profile:set-photo': async ({ bytes, mimeType, fileName }) => {
      const mime = mimeType.split(';')[0]!.trim().toLowerCase();
      if (!(profilePhotoLimits.mimeTypes as readonly string[]).includes(mime)) throw new AppError('attachment_refused', 'A profile photo must be a JPEG or PNG image');
      if (bytes.byteLength === 0) throw new AppError('attachment_refused', 'The file is empty');
      if (bytes.byteLength > profilePhotoLimits.maxBytes) throw new AppError('attachment_refused', `A profile photo can be at most ${profilePhotoLimits.maxBytes / 1024 / 1024} MB`);
      const client = requireConnected();
      try {
        const handle = await client.uploadResumable({ bytes, mimeType: mime, fileName });
        await client.updateBusinessProfile({ profile_picture_handle: handle });
      } catch (error) {
        throw appErrorFromGraph(error);
      }
      // The new photo's URL at Meta, so the next read does not fetch it back.
      const url = await client
        .getBusinessProfile()
        .then((meta) => meta.profile_picture_url ?? null)
        .catch(() => null);
      await keepPhoto(bytes, mime, url);
      return view();
    },

    'profile:save-extras': (extras) => {
      store().saveExtras(extras, deps.clock.now());
      return view();
    },
  };
}
