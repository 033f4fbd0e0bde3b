import {
  INDEX_MAPPING_VERSION,
  listIndexVersions,
  mergeLiveIndex,
  pruneIndexVersions,
  SERVING_SEGMENTS,
} from '@gazette/search';
import { UsageError, type Command } from '../command.ts';
import { parseFlags, segmentsFlag } from '../support/args.ts';
import { withSearch } from '../support/env.ts';

const USAGE = [
  'usage: gazette index list [--json]',
  '       gazette index prune [--keep N] [--dry-run]',
  '       gazette index merge [--segments N]',
  '',
  'The versions of the articles index behind ES_INDEX (one per re-index). `list` shows each with its',
  'documents, size, creation time and mapping version, the live one (the alias points at it) marked, and',
  'says when the live one was built with an older mapping than this Gazette builds. `prune` deletes the',
  'versions the alias does not point at, keeping the N newest of them (default 0); never the live one.',
  `\`merge\` force-merges the live version to at most N segments per shard (default ${SERVING_SEGMENTS}, as`,
  "`gazette reindex` leaves an index): the indexer's writes gather segments, and every search and",
  'related lookup works once per segment. Run it at a quiet hour; searches keep working meanwhile.',
].join('\n');

/** `gazette index list|prune`: the versions of the articles index, and removing old ones. */
export const indexCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const [action, ...rest] = argv;
    if (action === 'list') {
      const { flags, positionals } = parseFlags(rest, { json: 'boolean' });
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
      return withSearch(async (es, alias) => {
        const versions = await listIndexVersions(es, alias);
        if (flags.json) console.log(JSON.stringify(versions, null, 2));
        else if (versions.length === 0) console.log(`no versions of ${alias}`);
        else {
          for (const v of versions) {
            const mb = (v.bytes / 1024 / 1024).toFixed(1);
            console.log(
              `${v.live ? '*' : ' '} ${v.index}  ${v.docs} documents  ${mb} MB  ${v.segments} segment${v.segments === 1 ? '' : 's'}  created ${v.createdAt}  mapping v${v.mappingVersion}`,
            );
          }
          const live = versions.find((v) => v.live);
          if (live && live.mappingVersion < INDEX_MAPPING_VERSION) {
            console.log(
              `the live version has mapping version ${live.mappingVersion}; this Gazette builds version ${INDEX_MAPPING_VERSION}` +
                ': `gazette reindex` rebuilds it with the current one',
            );
          }
        }
        return 0;
      });
    }
    if (action === 'prune') {
      const { flags, positionals } = parseFlags(rest, { keep: 'string', 'dry-run': 'boolean' });
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
      const keep = flags.keep === undefined ? 0 : Number(flags.keep);
      if (!Number.isInteger(keep) || keep < 0) throw new UsageError('--keep takes a whole number (0 or more)');
      return withSearch(async (es, alias) => {
        const dryRun = Boolean(flags['dry-run']);
        const { deleted, kept } = await pruneIndexVersions(es, alias, { keep, dryRun });
        const verb = dryRun ? 'would delete' : 'deleted';
        console.log(deleted.length ? `${verb} ${deleted.join(', ')}` : 'nothing to delete');
        console.log(`kept ${kept.join(', ') || '-'}`);
        return 0;
      });
    }
    if (action === 'merge') {
      const { flags, positionals } = parseFlags(rest, { segments: 'string' });
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
      // At least one: a merge to 0 segments is no merge at all.
      const segments = segmentsFlag(flags.segments, SERVING_SEGMENTS, 1);
      return withSearch(async (es, alias) => {
        const merged = await mergeLiveIndex(es, alias, segments);
        if (!merged) {
          console.error(`gazette index merge: ${alias} points at no index`);
          return 1;
        }
        console.log(`${merged.index}: segments ${merged.before} → ${merged.after}`);
        return 0;
      });
    }
    throw new UsageError(action ? `unknown action ${action}` : 'an action is required: list, prune or merge');
  },
};
