import type { DeliveryState } from '../../utils/message-types';
import { inboxCircle } from './inbox-icons';

/** The delivery ticks' drawings, shared by DeliveryTicks and the conversation rows (which draw them inline). */
export interface TickShape {
  viewBox: string;
  width: number;
  strokeWidth: number;
  roundJoin: boolean;
  paths: string[];
}

const sent: TickShape = { viewBox: '0 0 16 16', width: 14, strokeWidth: 1.8, roundJoin: true, paths: ['M3 8.5l3 3 7-7'] };
const double: TickShape = { viewBox: '0 0 20 16', width: 17, strokeWidth: 1.8, roundJoin: true, paths: ['M1.5 8.5l3 3 7-7', 'M8 11.5l7-7', 'M7.3 10.8l.7.7'] };

export const tickShapes: Record<DeliveryState, TickShape> = {
  pending: { viewBox: '0 0 16 16', width: 14, strokeWidth: 1.6, roundJoin: false, paths: [inboxCircle(8, 8, 6), 'M8 4.5V8l2.2 1.4'] },
  sent,
  delivered: double,
  read: double,
  failed: { viewBox: '0 0 16 16', width: 14, strokeWidth: 1.8, roundJoin: false, paths: [inboxCircle(8, 8, 6.5), 'M8 4.5v4.2M8 11.3v.1'] },
  notConfirmed: { viewBox: '0 0 16 16', width: 14, strokeWidth: 1.8, roundJoin: false, paths: [inboxCircle(8, 8, 6.5), 'M6.2 6.2a1.9 1.9 0 1 1 2.6 1.8c-.5.2-.8.6-.8 1.2M8 11.4v.1'] },
  cancelled: { viewBox: '0 0 16 16', width: 14, strokeWidth: 1.8, roundJoin: false, paths: [inboxCircle(8, 8, 6.5), 'M4 12 12 4'] },
};
