import type { labelChannels } from '../../../shared/ipc/labels';
import type { ChannelHandlers } from '../dispatcher';
import type { FeatureDeps } from '../feature-deps';

type LabelChannel = keyof typeof labelChannels;

export function createLabelHandlers(_deps: FeatureDeps): Pick<ChannelHandlers, LabelChannel> {
  return {};
}
