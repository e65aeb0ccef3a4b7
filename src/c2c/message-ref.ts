import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { conversationOf } from '../common/conversation.js';

/** One one-to-one message: its conversation (user_a <= user_b) and its MsgKey. */
export interface MessageRef {
  readonly userA: string;
  readonly userB: string;
  readonly msgKey: string;
}

export const messageRefOf = (user1: string, user2: string, msgKey: string): MessageRef => ({ ...conversationOf(user1, user2), msgKey });

/** A map key for a MessageRef, unambiguous whatever characters the ids hold. */
export const refKey = (ref: MessageRef): string => JSON.stringify([ref.userA, ref.userB, ref.msgKey]);

/** `(user_a, user_b, msg_key) IN (...)` for a table keyed by message; callers skip empty lists. */
export function inRefs(columns: { userA: PgColumn; userB: PgColumn; msgKey: PgColumn }, refs: readonly MessageRef[]): SQL {
  const tuples = sql.join(
    refs.map((ref) => sql`(${ref.userA}, ${ref.userB}, ${ref.msgKey})`),
    sql`, `,
  );
  return sql`(${columns.userA}, ${columns.userB}, ${columns.msgKey}) in (${tuples})`;
}
