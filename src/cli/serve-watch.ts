/**
 * `serve --watch`: while a team edits its blueprint, the server follows it. Each save is checked
 * first: a blueprint with errors is reported (`file:line:column`, as `architect check` prints
 * it) and the running server goes on serving the last good one; a save that changes nothing
 * the server uses (a comment, spacing) changes nothing. A changed blueprint restarts the
 * server on the same port and data: the requests in flight finish, the schema is brought
 * forward as at start-up, and a change it cannot apply safely is reported while the previous
 * blueprint is served again.
 */
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { checkBlueprint, formatDiagnostics, type Model } from '../blueprint/index.js';
import type { RunningServer } from '../runtime/server/start.js';
import { formatError, type Io } from './io.js';

/** How long a burst of file events (an editor's write, rename and chmod) settles before a reload. */
const SETTLE_MS = 150;

export interface Watching {
  /** Rejects when the server could be started neither on the new blueprint nor on the old one. */
  readonly failed: Promise<never>;
  /** Stop watching; resolves, once a reload in progress is done, to the server running then. */
  stop(): Promise<RunningServer>;
}

/** The model as the server uses it: without source positions, which every edit above moves. */
function meaning(model: Model): string {
  return JSON.stringify(model, (key, value) => (key === 'location' ? undefined : value));
}

/**
 * Watch `file` (the blueprint the server was started from) and restart `server` with
 * `launch(model)` when it changes.
 */
export function watchBlueprint(
  file: string,
  server: RunningServer,
  launch: (model: Model) => Promise<RunningServer>,
  io: Io,
): Watching {
  let current = server;
  let lastGood = server.model;
  let reloads: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {}); // observed by the caller, when it races it

  const reload = async (): Promise<void> => {
    let checked: Awaited<ReturnType<typeof checkBlueprint>>;
    try {
      checked = await checkBlueprint(file);
    } catch (error) {
      // gone for a moment (an editor renaming over it), or unreadable
      io.stderr(`${formatError(error)}\nwatch: still serving the blueprint as it was\n`);
      return;
    }
    if (!checked.model) {
      io.stderr(
        `${formatDiagnostics(checked.diagnostics)}\nwatch: the blueprint has errors; still serving it as it was\n`,
      );
      return;
    }
    if (meaning(checked.model) === meaning(lastGood)) return;
    io.stderr('watch: the blueprint changed; restarting\n');
    await current.close();
    try {
      current = await launch(checked.model);
      lastGood = checked.model;
      const changes = current.migration.differences.length;
      const entities = current.model.entities.length;
      io.stderr(
        `watch: serving ${entities} ${entities === 1 ? 'entity' : 'entities'} at ${current.apiUrl}; schema ${current.migration.status}${changes ? ` (${changes} ${changes === 1 ? 'change' : 'changes'})` : ''}\n`,
      );
    } catch (error) {
      io.stderr(`${formatError(error)}\nwatch: serving the blueprint before this change again\n`);
      try {
        current = await launch(lastGood);
      } catch (again) {
        fail(again);
      }
    }
  };

  const name = basename(file);
  const watcher: FSWatcher = watch(dirname(file), (_event, changed) => {
    // Editors save by writing, or by writing another file and renaming it over this one.
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      reloads = reloads.then(reload);
    }, SETTLE_MS);
  });

  return {
    failed,
    async stop() {
      watcher.close();
      clearTimeout(timer);
      await reloads;
      return current;
    },
  };
}
