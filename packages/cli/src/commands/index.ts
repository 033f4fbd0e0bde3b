import type { Command } from '../command.ts';
import { extractCommand } from './extract.ts';
import { fetchCommand } from './fetch.ts';

/** Every sub-command, in the order `gazette help` lists them. Add new commands here. */
export const commands: Command[] = [extractCommand, fetchCommand];
