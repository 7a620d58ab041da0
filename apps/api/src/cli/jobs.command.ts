import type { Command } from 'commander';

// `jobs run <name> [--now ISO]` — filled in by the alert engine.
export function registerJobsCommands(_program: Command) {}
