/** A one-to-one conversation is the unordered pair of its users: always stored smaller id first. */
export function conversationOf(userA: string, userB: string): { userA: string; userB: string } {
  return userA <= userB ? { userA, userB } : { userA: userB, userB: userA };
}
