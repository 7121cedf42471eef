// Types for code-server.mjs, which the TypeScript e2e harness imports.
import type { ChildProcess } from 'node:child_process';

export const ROOT: string;

export interface Profile {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  config: string;
}

export interface RunningCodeServer {
  url: string;
  child: ChildProcess;
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export function setupCodeServer(): string;
export function vsixPath(): string;
export function createProfile(dir: string, settings?: Record<string, unknown>): Profile;
export function installExtension(entry: string, profile: Profile, vsix: string): void;
export function installedExtensions(profile: Profile): string[];
export function freePort(): Promise<number>;
export function launchCodeServer(
  entry: string,
  profile: Profile,
  options: {
    port: number;
    folder: string;
    extraArgs?: string[];
    env?: Record<string, string>;
    output?: 'pipe' | 'inherit' | 'ignore';
  },
): Promise<RunningCodeServer>;
export function stopProcessGroup(child: ChildProcess, signal?: NodeJS.Signals): void;
