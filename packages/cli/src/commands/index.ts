import type { Command } from '../command.ts';
import { archiveCommand } from './archive.ts';
import { extractCommand } from './extract.ts';
import { fetchCommand } from './fetch.ts';
import { importCommand } from './import.ts';
import { queuesCommand } from './queues.ts';
import { reindexCommand } from './reindex.ts';
import { reparseCommand } from './reparse.ts';
import { replayCommand } from './replay.ts';
import { relatedCommand } from './related.ts';
import { searchCommand } from './search.ts';
import { sourcesCommand } from './sources.ts';
import { storyCommand } from './story.ts';

/** Every sub-command, in the order `gazette help` lists them. Add new commands here. */
export const commands: Command[] = [
  extractCommand,
  fetchCommand,
  relatedCommand,
  storyCommand,
  searchCommand,
  sourcesCommand,
  queuesCommand,
  replayCommand,
  reparseCommand,
  reindexCommand,
  archiveCommand,
  importCommand,
];
