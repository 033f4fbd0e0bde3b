export { main } from './main.ts';
export { type Command, UsageError } from './command.ts';
