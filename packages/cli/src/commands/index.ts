import type { Command } from '../command.ts';

/** One line of `gazette help`; the command's code loads only when it runs, so `help` starts quickly. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Every sub-command, in the order `gazette help` lists them. Add new commands here. */
export const commands: CommandEntry[] = [
  {
    name: 'extract',
    summary: 'Extract article records from saved pages (*.html, *.html.gz) into one JSON file',
    load: async () => (await import('./extract.ts')).extractCommand,
  },
  {
    name: 'fetch',
    summary: 'Fetch one URL with the crawler’s HTTP client and print the outcome',
    load: async () => (await import('./fetch.ts')).fetchCommand,
  },
  {
    name: 'related',
    summary: 'Articles related to an article, by id or URL (same story first, copies collapsed)',
    load: async () => (await import('./related.ts')).relatedCommand,
  },
  {
    name: 'story',
    summary: 'The articles of the same story as an article, in time order, first report marked',
    load: async () => (await import('./story.ts')).storyCommand,
  },
  {
    name: 'revisions',
    summary: 'The versions of an article with their dates, and whether its page went away',
    load: async () => (await import('./revisions.ts')).revisionsCommand,
  },
  {
    name: 'search',
    summary: 'Full-text search of the indexed articles (query syntax, filters, date or relevance order)',
    load: async () => (await import('./search.ts')).searchCommand,
  },
  {
    name: 'sources',
    summary: 'Add, list, remove, pause, resume and run news sources and their schedules',
    load: async () => (await import('./sources.ts')).sourcesCommand,
  },
  {
    name: 'queues',
    summary: 'Queue statistics: jobs per state, oldest waiting job, failures by reason',
    load: async () => (await import('./queues.ts')).queuesCommand,
  },
  {
    name: 'replay',
    summary: 'Re-run failed jobs (dead letters) of a queue, with fresh attempts',
    load: async () => (await import('./replay.ts')).replayCommand,
  },
  {
    name: 'reparse',
    summary: 'Re-parse archived pages with the current parser (no refetch); documents are updated in place',
    load: async () => (await import('./reparse.ts')).reparseCommand,
  },
  {
    name: 'index',
    summary: 'List the versions of the articles index, or delete old ones (never the live one)',
    load: async () => (await import('./index-versions.ts')).indexCommand,
  },
  {
    name: 'reindex',
    summary: 'Build a new index version behind the alias and switch to it; searches keep working',
    load: async () => (await import('./reindex.ts')).reindexCommand,
  },
  {
    name: 'archive',
    summary: 'Check every archive reference in the queues and the page ledger against the files (--repair)',
    load: async () => (await import('./archive.ts')).archiveCommand,
  },
  {
    name: 'import',
    summary: 'Import canonical records from a JSON Lines file through validation and the indexer',
    load: async () => (await import('./import.ts')).importCommand,
  },
];
