/** `ecsHandson.loadMore`: the "Load more…" row of a long list shows the next page (only from that row). */
import { t } from '../../l10n';
import { defineCommand } from '../command';

export const loadMore = defineCommand({
  id: 'ecsHandson.loadMore',
  title: () => t('Load more'),
  row: (node) => node,
  rowMustExist: false,
  run: (ctx, node) => ctx.parts.explorer.provider.loadMore(node),
});
