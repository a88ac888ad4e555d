import type { BoardEventDto } from '@passerelle/contracts';
import type { ModuleDeps } from '../../types.ts';

/**
 * Live production board. Every row appended to `preparation_transitions` notifies the channel
 * `preparation_events` (trigger of migration 0007), delivered at commit by PostgreSQL to every listening
 * session — so a change made by any server process reaches the browsers connected to any other. Each process
 * holds one listening session (`Database.listen`) and fans the events out to its subscribers, by cooperation.
 */
export const BOARD_CHANNEL = 'preparation_events';

export type BoardListener = (event: BoardEventDto) => void;

export interface BoardEvents {
  subscribe(cooperationId: string, listener: BoardListener): Promise<() => void>;
  close(): Promise<void>;
}

interface Notification {
  cooperationId: string;
  preparationId: string;
  from: string;
  to: string;
  at: string;
}

export function createBoardEvents(deps: Pick<ModuleDeps, 'database'>): BoardEvents {
  const listeners = new Map<string, Set<BoardListener>>();
  let started: Promise<void> | undefined;
  let stop: (() => Promise<void>) | undefined;

  const dispatch = (payload: string | undefined) => {
    if (!payload) return;
    let n: Notification;
    try {
      n = JSON.parse(payload) as Notification;
    } catch {
      return;
    }
    for (const listener of listeners.get(n.cooperationId) ?? []) {
      listener({ preparationId: n.preparationId, from: n.from, to: n.to, at: new Date(n.at).toISOString() });
    }
  };

  const start = async () => {
    // Events missed while the listening session is down are lost: the board reloads its state when its stream
    // reconnects; the stream only tells what changed.
    const subscription = await deps.database.listen(BOARD_CHANNEL, { message: dispatch });
    stop = () => subscription.close();
  };

  return {
    async subscribe(cooperationId, listener) {
      started ??= start();
      await started;
      let set = listeners.get(cooperationId);
      if (!set) listeners.set(cooperationId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    async close() {
      listeners.clear();
      if (started) await started.catch(() => undefined);
      await stop?.();
    },
  };
}
