import type { Archive } from '../archive';
import type { ChannelHandlers } from '../dispatcher';
import { createStaffMember, staffState, switchStaff } from './staff';

type StaffChannels = Pick<ChannelHandlers, 'staff:state' | 'staff:create' | 'staff:switch'>;

/** Who is at the desk (PRODUCT §2 staff profiles). */
export function createStaffHandlers(deps: { archive: () => Archive }): StaffChannels {
  return {
    'staff:state': () => staffState(deps.archive()),
    'staff:create': (request) => createStaffMember(deps.archive(), request),
    'staff:switch': (request) => switchStaff(deps.archive(), request),
  };
}
