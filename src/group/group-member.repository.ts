import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { DRIZZLE, type Database } from '../database/database.types.js';
import { groupMembers } from './group.schema.js';

export type GroupMemberRow = typeof groupMembers.$inferSelect;

/** A join (initial members included) or an exit of some users, at one EventTime. */
export interface MembershipChange {
  groupId: string;
  userIds: readonly string[];
  member: boolean;
  eventTime: number;
  joinType?: string | null;
  exitType?: string | null;
  operator?: string | null;
  /** A role the change itself gives (the owner of a new group), ordered by the same EventTime. */
  role?: string | null;
}

/** A field change of one member, at one EventTime; only the fields present are applied. */
export interface MemberFieldChange {
  groupId: string;
  userId: string;
  eventTime: number;
  role?: string | null;
  nameCard?: string | null;
}

const t = groupMembers;
// Newer by EventTime; at a tie an exit beats a join, so the arrival order does not matter.
const membershipNewer = sql`(excluded.membership_event_time > ${t.membershipEventTime} or (excluded.membership_event_time = ${t.membershipEventTime} and ${t.member} and not excluded.member))`;
// Newer by EventTime; at a tie the greater value wins.
const roleNewer = sql`(excluded.role_event_time is not null and (${t.roleEventTime} is null or (excluded.role_event_time, excluded.role) > (${t.roleEventTime}, ${t.role})))`;
const nameCardNewer = sql`(excluded.name_card_event_time is not null and (${t.nameCardEventTime} is null or (excluded.name_card_event_time, excluded.name_card) > (${t.nameCardEventTime}, ${t.nameCard})))`;

/**
 * Group memberships. Each user's membership moves only forward by EventTime, so a late older join
 * cannot undo a newer exit (nor the reverse); a join and an exit with the same EventTime resolve
 * to the exit, whichever arrives first. Role and name card move forward by their own EventTime, so
 * a field change may arrive before the join that makes the user a member.
 */
@Injectable()
export class GroupMemberRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  async recordMembership(change: MembershipChange): Promise<void> {
    // One row per user: a user listed twice must not make the upsert touch a row twice.
    // Sorted: concurrent upserts lock rows in one order and cannot deadlock each other.
    const users = [...new Set(change.userIds)].sort();
    if (users.length === 0) return;
    const m = groupMembers;
    const role = change.role ?? null;
    await this.db
      .insert(m)
      .values(
        users.map((userId) => ({
          groupId: change.groupId,
          userId,
          member: change.member,
          membershipEventTime: change.eventTime,
          joinType: change.member ? (change.joinType ?? null) : null,
          exitType: change.member ? null : (change.exitType ?? null),
          operatorAccount: change.operator ?? null,
          role,
          roleEventTime: role === null ? null : change.eventTime,
        })),
      )
      .onConflictDoUpdate({
        target: [m.groupId, m.userId],
        set: {
          member: sql`case when ${membershipNewer} then excluded.member else ${m.member} end`,
          joinType: sql`case when ${membershipNewer} then excluded.join_type else ${m.joinType} end`,
          exitType: sql`case when ${membershipNewer} then excluded.exit_type else ${m.exitType} end`,
          operatorAccount: sql`case when ${membershipNewer} then excluded.operator_account else ${m.operatorAccount} end`,
          // Last, as the cases above compare against the old time.
          membershipEventTime: sql`case when ${membershipNewer} then excluded.membership_event_time else ${m.membershipEventTime} end`,
          role: sql`case when ${roleNewer} then excluded.role else ${m.role} end`,
          roleEventTime: sql`case when ${roleNewer} then excluded.role_event_time else ${m.roleEventTime} end`,
        },
      });
  }

  /**
   * Applies a member's role or name card change. A change about someone never seen joining makes a
   * placeholder row that is not a member (membership time 0), so a later join with any time wins.
   */
  async applyFieldChange(change: MemberFieldChange): Promise<void> {
    const m = groupMembers;
    const role = change.role ?? null;
    const nameCard = change.nameCard ?? null;
    await this.db
      .insert(m)
      .values({
        groupId: change.groupId,
        userId: change.userId,
        member: false,
        membershipEventTime: 0,
        role,
        roleEventTime: role === null ? null : change.eventTime,
        nameCard,
        nameCardEventTime: nameCard === null ? null : change.eventTime,
      })
      .onConflictDoUpdate({
        target: [m.groupId, m.userId],
        set: {
          role: sql`case when ${roleNewer} then excluded.role else ${m.role} end`,
          roleEventTime: sql`case when ${roleNewer} then excluded.role_event_time else ${m.roleEventTime} end`,
          nameCard: sql`case when ${nameCardNewer} then excluded.name_card else ${m.nameCard} end`,
          nameCardEventTime: sql`case when ${nameCardNewer} then excluded.name_card_event_time else ${m.nameCardEventTime} end`,
        },
      });
  }

  /** Current members by user id, after `afterUserId` (the cursor); `limit` rows at most. */
  async findCurrent(groupId: string, afterUserId: string | undefined, limit: number): Promise<GroupMemberRow[]> {
    const m = groupMembers;
    return this.db
      .select()
      .from(m)
      .where(and(eq(m.groupId, groupId), eq(m.member, true), afterUserId === undefined ? undefined : gt(m.userId, afterUserId)))
      .orderBy(asc(m.userId))
      .limit(limit);
  }
}
