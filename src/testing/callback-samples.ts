// A valid sample of every callback command the project models, from Tencent's documentation
// (the same payloads as test/fixtures/). Used by the callback sender (npm run callback) and by tests.

export type CallbackSample = Record<string, unknown> & { CallbackCommand: string };

export const CALLBACK_SAMPLES: Readonly<Record<string, CallbackSample>> = {
  'C2C.CallbackAfterSendMsg': {
    CallbackCommand: 'C2C.CallbackAfterSendMsg',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    OnlineOnlyFlag: 1,
    SendMsgResult: 0,
    ErrorInfo: 'send msg succeed',
    UnreadMsgNum: 7,
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: {
          Text: 'red packet'
        }
      }
    ],
    CloudCustomData: 'your cloud custom data'
  },
  'C2C.CallbackAfterC2CMsgExtension': {
    CallbackCommand: 'C2C.CallbackAfterC2CMsgExtension',
    From_Account: 'user1',
    To_Account: 'user2',
    MsgKey: '93847636_1287657_1764688415',
    OperateType: 1,
    ExtensionList: [
      {
        Key: 'k1',
        Value: 'v1',
        Seq: 1
      },
      {
        Key: 'k2',
        Value: 'v2',
        Seq: 1
      },
      {
        Key: 'k3',
        Value: 'v3',
        Seq: 1
      }
    ],
    Seq: 1,
    EventTime: 1764688540182
  },
  'C2C.CallbackAfterMsgReport': {
    CallbackCommand: 'C2C.CallbackAfterMsgReport',
    Report_Account: 'Jonh',
    Peer_Account: 'jared',
    LastReadTime: 1557481127,
    UnreadMsgNum: 3
  },
  'C2C.CallbackAfterMsgWithDraw': {
    CallbackCommand: 'C2C.CallbackAfterMsgWithDraw',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgKey: '48374_2837546_1557481126',
    UnreadMsgNum: 6
  },
  'C2C.CallbackAfterModifyMsg': {
    CallbackCommand: 'C2C.CallbackAfterModifyMsg',
    Operator_Account: 'jared',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: {
          Text: 'red packet (edited)'
        }
      }
    ],
    CloudCustomData: 'edited cloud custom data',
    EventTime: 1557481186123
  },
  'OfficialAccount.CallbackAfterSendMsg': {
    CallbackCommand: 'OfficialAccount.CallbackAfterSendMsg',
    Official_Account: '@TOA#_2J4SZEAEL',
    MsgKey: '71_1_1698741698',
    MsgTime: 1490686222,
    OnlineOnlyFlag: 1,
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: {
          Text: 'red packet'
        }
      }
    ],
    CloudCustomData: 'your cloud custom data',
    EventTime: 1670574414123
  },
  'OfficialAccount.CallbackAfterCreateOfficialAccount': {
    CallbackCommand: 'OfficialAccount.CallbackAfterCreateOfficialAccount',
    Operator_Account: 'admin',
    Owner_Account: 'jared',
    Name: 'Red Packet News',
    Official_Account: '@TOA#_2J4SZEAEL',
    EventTime: 1670574400000
  },
  'OfficialAccount.CallbackAfterOfficialAccountInfoChanged': {
    CallbackCommand: 'OfficialAccount.CallbackAfterOfficialAccountInfoChanged',
    Official_Account: '@TOA#_2J4SZEAEL',
    Operator_Account: 'jared',
    Name: 'Red Packet Daily',
    FaceUrl: 'https://example.com/red-packet.png',
    Introduction: 'Red packets, every day',
    Organization: 'Red Packet Inc.',
    EventTime: 1670574410000
  },
  'OfficialAccount.CallbackAfterOfficialAccountDestroyed': {
    CallbackCommand: 'OfficialAccount.CallbackAfterOfficialAccountDestroyed',
    Official_Account: '@TOA#_2J4SZEAEL',
    Owner_Account: 'jared',
    Name: 'Red Packet Daily',
    EventTime: 1670574500000
  },
  'OfficialAccount.CallbackAfterOfficialAccountFull': {
    CallbackCommand: 'OfficialAccount.CallbackAfterOfficialAccountFull',
    Official_Account: '@TOA#_2J4SZEAEL',
    EventTime: 1670574440000
  },
  'OfficialAccount.CallbackAfterAddSubscriber': {
    CallbackCommand: 'OfficialAccount.CallbackAfterAddSubscriber',
    Official_Account: '@TOA#_2J4SZEAEL',
    Operator_Account: 'jared',
    SubscribeAccountList: [
      {
        Subscriber_Account: 'Jonh'
      },
      {
        Subscriber_Account: 'lily'
      }
    ],
    EventTime: 1670574420000
  },
  'OfficialAccount.CallbackAfterDeleteSubscriber': {
    CallbackCommand: 'OfficialAccount.CallbackAfterDeleteSubscriber',
    Official_Account: '@TOA#_2J4SZEAEL',
    Operator_Account: 'lily',
    SubscribeAccountList: [
      {
        Subscriber_Account: 'lily'
      }
    ],
    EventTime: 1670574430000
  },
  'OfficialAccount.CallbackAfterMsgWithDraw': {
    CallbackCommand: 'OfficialAccount.CallbackAfterMsgWithDraw',
    Official_Account: '@TOA#_2J4SZEAEL',
    WithdrawMsgList: [
      {
        MsgKey: '71_1_1698741698'
      }
    ],
    EventTime: '1670574450000'
  },
  'State.StateChange': {
    CallbackCommand: 'State.StateChange',
    EventTime: 1629883332497,
    Info: {
      Action: 'Login',
      To_Account: 'jared',
      Reason: 'Register'
    },
    KickedDevice: [
      {
        Platform: 'Windows'
      },
      {
        Platform: 'Android'
      }
    ]
  },
  'C2C.CallbackBeforeSendMsg': {
    CallbackCommand: 'C2C.CallbackBeforeSendMsg',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    OnlineOnlyFlag: 1,
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: {
          Text: 'red packet'
        }
      }
    ],
    CloudCustomData: 'your cloud custom data'
  },
  'OfficialAccount.CallbackBeforeSendMsg': {
    CallbackCommand: 'OfficialAccount.CallbackBeforeSendMsg',
    Official_Account: '@TOA#_2J4SZEAEL',
    OnlineOnlyFlag: 1,
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: {
          Text: 'red packet'
        }
      }
    ],
    CloudCustomData: 'your cloud custom data',
    EventTime: 1670574414123
  },
  'OfficialAccount.CallbackBeforeCreateOfficialAccount': {
    CallbackCommand: 'OfficialAccount.CallbackBeforeCreateOfficialAccount',
    Operator_Account: 'admin',
    Owner_Account: 'brand_owner',
    Name: 'Brand news',
    EventTime: 1670574414123
  },
  'OfficialAccount.CallbackBeforeAddSubscriber': {
    CallbackCommand: 'OfficialAccount.CallbackBeforeAddSubscriber',
    Official_Account: '@TOA#_2J4SZEAEL',
    Operator_Account: 'admin',
    SubscribeAccountList: [
      {
        Subscriber_Account: 'user1'
      },
      {
        Subscriber_Account: 'user2'
      },
      {
        Subscriber_Account: 'banned_user'
      }
    ],
    EventTime: 1670574414123
  },
  // Groups and Community topics (docs: tencent-chat-groups.md; the same payloads as test/fixtures/group-*.json).
  'Group.CallbackAfterCreateGroup': {
    CallbackCommand: 'Group.CallbackAfterCreateGroup',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    Owner_Account: 'leckie',
    Name: 'MyFirstGroup',
    MemberList: [
      {
        Member_Account: 'bob'
      },
      {
        Member_Account: 'peter'
      }
    ],
    UserDefinedDataList: [
      {
        Key: 'UserDefined1',
        Value: 'hello'
      },
      {
        Key: 'UserDefined2',
        Value: 'world'
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterGroupInfoChanged': {
    CallbackCommand: 'Group.CallbackAfterGroupInfoChanged',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'admin',
    Notification: 'New Notification',
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterGroupDestroyed': {
    CallbackCommand: 'Group.CallbackAfterGroupDestroyed',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Owner_Account: 'leckie',
    Name: 'MyFirstGroup',
    MemberList: [
      {
        Member_Account: 'leckie'
      },
      {
        Member_Account: 'peter'
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterGroupFull': {
    CallbackCommand: 'Group.CallbackAfterGroupFull',
    GroupId: '@TGS#2J4SZEAEL',
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterChangeGroupOwner': {
    CallbackCommand: 'Group.CallbackAfterChangeGroupOwner',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    OldOwner_Account: 'leckie',
    NewOwner_Account: 'jared',
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterGroupAttrChanged': {
    CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    OptionType: 'modify',
    GroupAttr: [
      {
        key: 'attr_key1',
        value: 'attr_val1'
      },
      {
        key: 'attr_key2',
        value: 'attr_val2'
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterNewMemberJoin': {
    CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    JoinType: 'Apply',
    Operator_Account: 'leckie',
    NewMemberList: [
      {
        Member_Account: 'jared'
      },
      {
        Member_Account: 'tommy'
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterMemberExit': {
    CallbackCommand: 'Group.CallbackAfterMemberExit',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    ExitType: 'Kicked',
    Operator_Account: 'leckie',
    ExitMemberList: [
      {
        Member_Account: 'jared'
      },
      {
        Member_Account: 'tommy'
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterMemberFieldChanged': {
    CallbackCommand: 'Group.CallbackAfterMemberFieldChanged',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    Member_Account: 'jared',
    Role: 'Admin',
    NameCard: 'Jared the admin',
    EventTime: '1670574414123'
  },
  'Group.CallbackOnMemberStateChange': {
    CallbackCommand: 'Group.CallbackOnMemberStateChange',
    GroupId: '@TGS#a6I4ZUUGO',
    EventType: 'Offline',
    EventCause: 'HeartbeatInterrupt',
    MemberList: [
      {
        Member_Account: 'brennan'
      },
      {
        Member_Account: 'jared'
      }
    ]
  },
  'Group.CallbackAfterSendMsg': {
    CallbackCommand: 'Group.CallbackAfterSendMsg',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 2837546,
    MsgSeq: 123,
    MsgTime: 1490686222,
    OnlineOnlyFlag: 0,
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: {
          Text: 'red packet'
        }
      }
    ],
    CloudCustomData: 'your cloud custom data',
    EventTime: '1670574414123'
  },
  'Group.CallbackSendMsgException': {
    CallbackCommand: 'Group.CallbackSendMsgException',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 2837546,
    OnlineOnlyFlag: 0,
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: {
          Text: 'red packet'
        }
      }
    ],
    CloudCustomData: 'your cloud custom data',
    ErrorCode: 10023,
    ErrorInfo: 'The frequency of sending messages exceeds the limit.',
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterRecallMsg': {
    CallbackCommand: 'Group.CallbackAfterRecallMsg',
    Operator_Account: 'admin',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    MsgSeqList: [
      {
        MsgSeq: 120
      },
      {
        MsgSeq: 121
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterGroupMsgExtension': {
    CallbackCommand: 'Group.CallbackAfterGroupMsgExtension',
    GroupId: '@TGS#2J4SZEAEL',
    MsgSeq: 123,
    OperateType: 1,
    ExtensionList: [
      {
        Key: 'k1',
        Value: 'v1',
        Seq: 1
      },
      {
        Key: 'k2',
        Value: 'v2',
        Seq: 1
      }
    ],
    Seq: 1,
    EventTime: 1764688540182
  },
  'Group.CallbackAfterReadReceipt': {
    CallbackCommand: 'Group.CallbackAfterReadReceipt',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    GroupMsgReceiptList: [
      {
        MsgSeq: 120,
        ReadNum: 1,
        UnreadNum: 2,
        ReadReceiptMembers: [
          {
            Member_Account: 'jared'
          }
        ]
      },
      {
        MsgSeq: 121,
        ReadNum: 2,
        UnreadNum: 1,
        ReadReceiptMembers: [
          {
            Member_Account: 'jared'
          },
          {
            Member_Account: 'tommy'
          }
        ]
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackAfterCreateTopic': {
    CallbackCommand: 'Group.CallbackAfterCreateTopic',
    GroupId: '@TGS#_@TGS#cQVLVHIM62CJ',
    TopicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic',
    Operator_Account: 'leckie',
    Owner_Account: 'leckie',
    Type: 'Community',
    Name: 'TestTopic',
    UserDefinedDataList: [
      {
        Key: 'UserDefined1',
        Value: 'hello'
      }
    ]
  },
  'Group.CallbackAfterTopicInfoChanged': {
    CallbackCommand: 'Group.CallbackAfterTopicInfoChanged',
    GroupId: '@TGS#_@TGS#cQVLVHIM62CJ',
    Type: 'Community',
    Operator_Account: 'leckie',
    Name: 'NewTopicName',
    Introduction: 'Topic introduction'
  },
  'Group.CallbackAfterTopicDestroyed': {
    CallbackCommand: 'Group.CallbackAfterTopicDestroyed',
    GroupId: '@TGS#_@TGS#cQVLVHIM62CJ',
    Type: 'Community',
    TopicIdList: [
      '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic',
      '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic2'
    ]
  },
  'Group.CallbackOnDailyGroupQuotaAlarm': {
    CallbackCommand: 'Group.CallbackOnDailyGroupQuotaAlarm',
    QuotaUsed: 7001,
    Quota: 10000,
    EventTime: 1670574414123
  },
  'Group.CallbackBeforeSendMsg': {
    CallbackCommand: 'Group.CallbackBeforeSendMsg',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 2837546,
    OnlineOnlyFlag: 0,
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: {
          Text: 'red packet'
        }
      }
    ],
    CloudCustomData: 'your cloud custom data',
    EventTime: '1670574414123'
  },
  'Group.CallbackBeforeCreateGroup': {
    CallbackCommand: 'Group.CallbackBeforeCreateGroup',
    Operator_Account: 'leckie',
    Owner_Account: 'leckie',
    Type: 'Public',
    Name: 'MyFirstGroup',
    CreateGroupNum: 1,
    MemberList: [
      {
        Member_Account: 'bob'
      },
      {
        Member_Account: 'peter'
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackBeforeApplyJoinGroup': {
    CallbackCommand: 'Group.CallbackBeforeApplyJoinGroup',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Requestor_Account: 'leckie',
    EventTime: '1670574414123'
  },
  'Group.CallbackBeforeInviteJoinGroup': {
    CallbackCommand: 'Group.CallbackBeforeInviteJoinGroup',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    DestinationMembers: [
      {
        Member_Account: 'jared'
      },
      {
        Member_Account: 'tommy'
      },
      {
        Member_Account: 'banned_user'
      }
    ],
    EventTime: '1670574414123'
  },
  'Group.CallbackBeforeCreateTopic': {
    CallbackCommand: 'Group.CallbackBeforeCreateTopic',
    Operator_Account: 'leckie',
    Type: 'Community',
    Name: 'TestTopic'
  },
};

/** A deep copy of the sample, so callers may change it. */
export function callbackSample(command: string): CallbackSample | undefined {
  const sample = CALLBACK_SAMPLES[command];
  return sample && (structuredClone(sample) as CallbackSample);
}

/**
 * Gives a sample a new identity, as a new message would have: fresh MsgSeq, MsgRandom, MsgTime,
 * MsgKey and EventTime (where the command has them), so that sending it twice is not a duplicate.
 */
export function freshen(sample: CallbackSample, now: Date = new Date()): CallbackSample {
  const copy = structuredClone(sample) as Record<string, unknown>;
  const seconds = Math.floor(now.getTime() / 1000);
  const seq = 1 + Math.floor(Math.random() * 4_000_000_000);
  const random = 1 + Math.floor(Math.random() * 4_000_000_000);
  if ('MsgSeq' in copy) copy.MsgSeq = seq;
  if ('MsgRandom' in copy) copy.MsgRandom = random;
  if ('MsgTime' in copy) copy.MsgTime = seconds;
  if ('MsgKey' in copy) copy.MsgKey = `${String(copy.MsgSeq ?? seq)}_${String(copy.MsgRandom ?? random)}_${String(copy.MsgTime ?? seconds)}`;
  if ('EventTime' in copy) copy.EventTime = now.getTime();
  return copy as CallbackSample;
}
