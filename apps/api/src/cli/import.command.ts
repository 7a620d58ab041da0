import type { Command } from 'commander';

// `import <orders|tickets|chats|customers> <file.csv> --tenant <slug>` — filled in by ingestion.
export function registerImportCommands(_program: Command) {}
