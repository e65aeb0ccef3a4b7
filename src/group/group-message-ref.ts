/** One group message: MsgSeq counts per group, and per topic in a Community ('' for the group itself). */
export interface GroupMessageRef {
  readonly groupId: string;
  readonly topicId: string;
  readonly msgSeq: number;
}

/** The stored topic of a message: '' for a message of the group itself. */
export const topicKey = (topicId: string | null | undefined): string => topicId ?? '';
