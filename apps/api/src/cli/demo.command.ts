import type { Command } from 'commander';

// `demo reset` — filled in by the demo generator.
export function registerDemoCommands(_program: Command) {}
