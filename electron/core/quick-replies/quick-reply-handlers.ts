import type { quickReplyChannels } from '../../../shared/ipc/quick-replies';
import type { ChannelHandlers } from '../dispatcher';
import type { FeatureDeps } from '../feature-deps';

type QuickReplyChannel = keyof typeof quickReplyChannels;

export function createQuickReplyHandlers(_deps: FeatureDeps): Pick<ChannelHandlers, QuickReplyChannel> {
  return {};
}
