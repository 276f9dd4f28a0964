import type { templateChannels } from '../../../shared/ipc/templates';
import type { ChannelHandlers } from '../dispatcher';
import type { FeatureDeps } from '../feature-deps';

type TemplateChannel = keyof typeof templateChannels;

export function createTemplateHandlers(_deps: FeatureDeps): Pick<ChannelHandlers, TemplateChannel> {
  return {};
}
